"""The morph as a slide deck (see :mod:`scenes.slides`): one slide per section of MorphScene.

manim-slides aliases ``next_section`` to ``next_slide``, so the sections become slides. The
manim 0.22 shim for manim-slides 5.7.0 is :func:`scenes.kit.manim_internals.slide_base`.
"""

from __future__ import annotations

from scenes.kit.manim_internals import slide_base
from scenes.kit.morph_scene import MorphScene


class MorphSlides(slide_base(), MorphScene):  # type: ignore[misc]
    """:class:`MorphScene` as a deck: the input, then one slide per step."""
