"""Every stage of one network as small multiples on one frame, for papers and slides.

Examples::

    manim -qh -s scenes/poster.py StagesPoster       # a 1920×1080 PNG
    manim -qk -s scenes/poster.py StagesPoster       # 4K for print

A poster of another network is a subclass: ``class TanhPoster(StagesPoster): activation = "tanh"``.
"""

from __future__ import annotations

import math

from manim import VGroup, config

from model.formatting import format_percent
from model.picture.view import Area
from scenes.kit import style
from scenes.kit.animations import MorphPicture, area_clip
from scenes.kit.mobjects import ClassRegions
from scenes.kit.morph_scene import MorphScene
from scenes.kit.overlays import label

COLUMNS = 4  # panels per row
PANEL_GAP = 0.25  # scene units between panels
TITLE_HEIGHT = 0.35  # scene units above each panel for its label


class StagesPoster(MorphScene):
    """The input and every step's output side by side, each fitted to its own panel, and the
    input plane shaded by the network's decision last."""

    def construct(self) -> None:
        stages, path, theme = self.morph.stages, self.morph.path, self.colors
        rows = math.ceil((len(stages) + 1) / COLUMNS)
        safe_w = config.frame_width * (1 - 2 * style.SAFE_MARGIN)
        safe_h = config.frame_height * (1 - 2 * style.SAFE_MARGIN)
        width = (safe_w - PANEL_GAP * (COLUMNS - 1)) / COLUMNS
        height = (safe_h - PANEL_GAP * (rows - 1)) / rows
        for k in range(len(stages) + 1):
            row, col = divmod(k, COLUMNS)
            x = -safe_w / 2 + width / 2 + col * (width + PANEL_GAP)
            y = safe_h / 2 - height / 2 - row * (height + PANEL_GAP)
            area = Area(
                center=(x, y - TITLE_HEIGHT / 2), width=width, height=height - TITLE_HEIGHT - 0.1
            )
            if k < len(stages):
                frame = path.keyframe_frame(k, area)
                text = f"{k}. {stages[k].step.title}"
            else:  # the closing panel: the input plane shaded by predicted class
                frame = path.keyframe_frame(0, area)
                text = f"decision · training accuracy {format_percent(self.morph.accuracy)}"
                lo, hi = self.morph.region_box
                corners = tuple(path.place_input(c, area) for c in (lo, hi))
                self.add(
                    ClassRegions(
                        self.morph.regions, theme.class_colors, corners, theme.region_opacity
                    )
                )
            panel = MorphPicture(self.morph.layout, frame, theme, clip=area_clip(area))
            title = label(text, theme, style.POSTER_FONT_SIZE)
            if title.width > width:
                title.scale_to_fit_width(width)
            title.move_to((x, y + height / 2 - TITLE_HEIGHT / 2, 0))
            self.add(VGroup(panel, title))
        self.wait(1 / config.frame_rate)
