"""Every stage of one network as small multiples on one frame, for papers and slides.

Examples::

    manim -qh -s scenes/poster.py StagesPoster       # a 1920×1080 PNG
    manim -qk -s scenes/poster.py StagesPoster       # 4K for print

A poster of another network is a subclass: ``class TanhPoster(StagesPoster): activation = "tanh"``.
"""

from __future__ import annotations

from manim import VGroup, config

from model.formatting import format_percent
from model.picture.screen import PanelScreen
from model.picture.view import Area
from scenes.kit import style
from scenes.kit.animations import MorphPicture, area_clip
from scenes.kit.mobjects import ClassRegions
from scenes.kit.morph_scene import MorphScene
from scenes.kit.overlays import label, title_block
from scenes.kit.panel_overlays import legend_row


class StagesPoster(MorphScene):
    """The input and every step's output side by side, each fitted to its own panel, and the
    input plane shaded by the network's decision last; a title above, the legend below."""

    def construct(self) -> None:
        stages, timeline, theme = self.morph.stages, self.morph.timeline, self.colors
        n = len(stages) + 1
        self.screen = screen = PanelScreen.grid(  # type: ignore[assignment]  # its own layout
            config.frame_width, config.frame_height, n
        )
        self.add(
            title_block(self.poster_title(), "", theme, screen.title),
            legend_row(self.morph.dataset.class_names, theme, screen.legend),
        )
        for k in range(n):
            area = Area.of(screen.panels[k])
            if k < len(stages):
                frame = timeline.keyframe_frame(k, area)
                text = f"{k}. {stages[k].step.short}" if k else "0. input"
            else:  # the closing panel: the input plane shaded by predicted class
                frame = timeline.keyframe_frame(0, area)
                text = "decision"
                lo, hi = self.morph.region_box
                corners = tuple(timeline.place_input(c, area) for c in (lo, hi))
                self.add(
                    ClassRegions(
                        self.morph.regions,
                        theme.class_colors,
                        corners,
                        theme.region_opacity,
                        clip=area_clip(area),
                    )
                )
            panel = MorphPicture(self.morph.layout, frame, theme, clip=area_clip(area))
            header = screen.headers[k]
            words = label(text, theme, style.POSTER_FONT_SIZE)
            if words.width > header.width:
                words.scale_to_fit_width(header.width)
            words.move_to((*header.center, 0))
            self.add(VGroup(panel, words))
        self.wait(1 / config.frame_rate)

    def poster_title(self) -> str:
        """ "the network, stage by stage · training accuracy 100 %": what the poster shows."""
        accuracy = format_percent(self.morph.accuracy)
        return f"{self.model_name}, stage by stage · training accuracy {accuracy}"
