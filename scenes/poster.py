"""Every stage of one network as small multiples on one frame, for papers and slides.

Examples::

    manim -qh -s scenes/poster.py StagesPoster       # a 1920×1080 PNG
    manim -qk -s scenes/poster.py StagesPoster       # 4K for print

A poster of another network is a subclass: ``class TanhPoster(StagesPoster): activation = "tanh"``.
"""

from __future__ import annotations

import math

from manim import Text, VGroup, config

from model.view import Area
from scenes import style
from scenes.animations import MorphPicture
from scenes.base import MorphScene

COLUMNS = 4  # panels per row
PANEL_GAP = 0.25  # scene units between panels
TITLE_HEIGHT = 0.35  # scene units above each panel for its label


class StagesPoster(MorphScene):
    """The input and every step's output side by side, each fitted to its own panel."""

    def construct(self) -> None:
        stages = self.morph.stages
        rows = math.ceil(len(stages) / COLUMNS)
        width = (config.frame_width - PANEL_GAP * (COLUMNS + 1)) / COLUMNS
        height = (config.frame_height - PANEL_GAP * (rows + 1)) / rows
        for k, stage in enumerate(stages):
            row, col = divmod(k, COLUMNS)
            x = -config.frame_width / 2 + PANEL_GAP + width / 2 + col * (width + PANEL_GAP)
            y = config.frame_height / 2 - PANEL_GAP - height / 2 - row * (height + PANEL_GAP)
            area = Area(
                center=(x, y - TITLE_HEIGHT / 2), width=width, height=height - TITLE_HEIGHT - 0.1
            )
            panel = MorphPicture(
                self.morph.layout, self.morph.path.keyframe_frame(k, area), self.colors
            )
            caption = f" · {self.morph.accuracy:.0%} accuracy" if k == len(stages) - 1 else ""
            title = Text(
                f"{k}. {stage.step.label}{caption}",
                font=style.FONT,
                font_size=style.POSTER_FONT_SIZE,
                color=style.LABEL_COLOR,
            )
            title.move_to((x, y + height / 2 - TITLE_HEIGHT / 2, 0))
            self.add(VGroup(panel, title))
        self.wait(1 / config.frame_rate)
