"""A slide deck per network: every step of the morph is one slide (manim-slides).

Examples::

    manim -qh scenes/slides.py ReluSlides                    # render the slides into ./slides
    netmorph deck ReluSlides media/ReluSlides.html           # one HTML file, plays offline
    manim-slides convert --to pptx ReluSlides media/ReluSlides.pptx  # PowerPoint, videos inside
    manim-slides convert --to pdf ReluSlides media/ReluSlides.pdf    # one still per slide
    manim-slides present ReluSlides                          # present (needs a desktop and Qt)

``make deck SCENE=ReluSlides`` does the first two (:mod:`scenes.kit.deck` says why the HTML needs
it). ``manim-slides render`` is an alias of ``manim render``, but it reads ``-qh`` as its own
``-h``: write ``-q h`` there.

The manim 0.22 compatibility shim and the deck's base class live in :mod:`scenes.kit.slides_scene`.
"""

from __future__ import annotations

from scenes.kit.slides_scene import MorphSlides

__all__ = ["MorphSlides"]


class ReluSlides(MorphSlides):
    activation = "relu"


class TanhSlides(MorphSlides):
    activation = "tanh"


class GeluSlides(MorphSlides):
    activation = "gelu"
