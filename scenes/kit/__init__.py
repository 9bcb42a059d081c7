"""What every scene file is built from: base scenes and the code that draws them.

Style, camera, mobjects, animations, overlays, scene options, the one module that touches Manim's
internals, the GIF, slide-deck and page commands and the ``netmorph`` command that runs them
(:mod:`scenes.kit.cli`).
"""

import gc

# Everything imported so far (Manim, numpy, cairo: ~600k objects) lives as long as the process.
# Frozen out of the collector's view, a full collection no longer walks it: a cached still's
# two full collections (42 ms) become one of 12 ms.
gc.freeze()
