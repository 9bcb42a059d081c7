"""What every scene file is built from: base scenes and the code that draws them.

Style, camera, mobjects, animations, overlays, scene options, the one module that touches Manim's
internals, and the GIF and slide-deck commands (``python -m scenes.kit.gif``, ``.deck``).
"""
