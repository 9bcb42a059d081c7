"""manim-slides' Slide for manim 0.22, and the morph as a deck (see :mod:`scenes.slides`).

manim-slides 5.7.0 breaks on manim 0.22 in two places: ``Slide.__init__`` sets
``config["write_to_movie"]`` (removed: movies are always written) and ``Slide.render`` sets
``config["max_files_cached"] = inf`` (0.22 wants -1 for unlimited) and reads
``config["flush_cache"]`` (removed). :class:`CompatSlide` redoes just those two methods for 0.22;
everything else is manim-slides' own. MorphScene's sections become slides because manim-slides
aliases ``next_section`` to ``next_slide``.
"""

from __future__ import annotations

from manim import Scene, config
from manim_slides import Slide

from scenes.kit.morph_scene import MorphScene


class CompatSlide(Slide):
    """manim-slides' Slide with ``__init__`` and ``render`` redone for manim 0.22's config."""

    def __init__(self, *args, **kwargs) -> None:
        super(Slide, self).__init__(*args, **kwargs)  # Slide's, minus write_to_movie

    def render(self, *args, **kwargs) -> None:
        # Keep every partial movie: manim-slides builds its slides from them.
        max_files_cached = config["max_files_cached"]
        config["max_files_cached"] = -1
        try:
            Scene.render(self, *args, **kwargs)
        finally:
            config["max_files_cached"] = max_files_cached
        self._save_slides(
            use_cache=not (config["disable_caching"] or self.disable_caching),
            flush_cache=self.flush_cache,
            skip_reversing=self.skip_reversing,
        )


class MorphSlides(CompatSlide, MorphScene):
    """:class:`MorphScene` as a deck: the input, then one slide per step."""
