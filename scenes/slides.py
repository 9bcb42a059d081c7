"""A slide deck per network: every step of the morph is one slide (manim-slides).

Examples::

    manim-slides render scenes/slides.py ReluSlides          # render the slides
    manim-slides convert ReluSlides media/ReluSlides.html    # a self-contained HTML deck
    manim-slides present ReluSlides                          # present (needs a desktop and Qt)

The manim 0.22 compatibility shim and the deck's base class live in :mod:`scenes.slide_base`.
"""

from __future__ import annotations

from scenes.slide_base import MorphSlides

__all__ = ["MorphSlides"]


class ReluSlides(MorphSlides):
    activation = "relu"


class TanhSlides(MorphSlides):
    activation = "tanh"


class GeluSlides(MorphSlides):
    activation = "gelu"
