"""What every scene file is built from: base scenes and the code that draws them.

Style, camera, mobjects, animations, overlays, scene options, the one module that touches Manim's
internals, the GIF, slide-deck and page commands and the ``netmorph`` command that runs them
(:mod:`scenes.kit.cli`).
"""
