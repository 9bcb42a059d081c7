"""What sits around the picture: titles, the legend, the network strip, the scale bar, markers.

Every piece of text in the videos is built by :func:`label`, so one place decides fonts,
colours and the plate that keeps text legible over a transparent (``-t``) render.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    BackgroundRectangle,
    Circle,
    Dot,
    Line,
    RoundedRectangle,
    VGroup,
    config,
)

from model.network.steps import Step
from scenes.kit import style
from scenes.kit.glyphs import CachedText
from scenes.kit.mobjects import Polylines
from scenes.kit.style import Theme


@dataclass(frozen=True)
class ScreenLayout:
    """Where things go on the frame, all inside the safe margin (scene units)."""

    left: float  # safe area's edges
    right: float
    top: float
    bottom: float
    picture_top: float  # below the title block
    strip_right: float  # the network strip's column ends here (= left when hidden)
    legend_left: float  # the legend's column starts here

    @classmethod
    def of_frame(cls, show_network: bool) -> ScreenLayout:
        """The layout of the current frame size, with or without the network strip."""
        half_w, half_h = config.frame_width / 2, config.frame_height / 2
        left = -half_w * (1 - 2 * style.SAFE_MARGIN)
        top = half_h * (1 - 2 * style.SAFE_MARGIN)
        side = 0.165 * config.frame_width  # each side column
        return cls(
            left=left,
            right=-left,
            top=top,
            bottom=-top,
            picture_top=top - 1.15,
            strip_right=left + side if show_network else left,
            legend_left=-left - side,
        )

    @property
    def picture(self) -> tuple[float, float, float, float]:
        """(center_x, center_y, width, height) of the picture's area, between the columns."""
        gap = 0.15
        x0 = max(self.strip_right, -self.legend_left) + gap
        x1 = -x0  # symmetric, so the picture sits in the middle of the frame
        return (0.0, (self.picture_top + self.bottom) / 2, x1 - x0, self.picture_top - self.bottom)


def label(
    text: str,
    theme: Theme | None,
    size: float = style.NOTE_FONT_SIZE,
    *,
    color: str | None = None,
) -> VGroup:
    """One line of text in the project's font: the one builder of every word on screen.

    ``color`` defaults to the theme's text colour (give one of the two).
    """
    if color is None:
        if theme is None:
            raise ValueError("label needs a theme or a colour")
        color = theme.text
    return VGroup(CachedText(text, font=style.FONT, font_size=size, color=color))


def title_block(title: str, note: str, theme: Theme, layout: ScreenLayout) -> VGroup:
    """The step's title and a one-line note beneath it, centred at the top of the safe area."""
    lines = [label(title, theme, style.TITLE_FONT_SIZE)]
    if note:
        lines.append(label(note, theme, style.NOTE_FONT_SIZE, color=theme.note))
    block = VGroup(*lines).arrange(DOWN, buff=0.1)
    _fit_width(block, layout.right - layout.left)
    block.move_to([0, layout.top - block.height / 2, 0])
    return _plated(block, theme)


def legend(
    class_names: tuple[str, ...], theme: Theme, layout: ScreenLayout, *, folds: bool = False
) -> VGroup:
    """Each class's colour and name, and the boundary's gold line (and the fold lines' colour,
    with ``folds``), in the right-hand column."""
    rows = []
    for name, color in zip(class_names, theme.class_colors):
        swatch = VGroup(
            *(
                Dot(radius=0.06, color=color, fill_opacity=1).shift(0.14 * v)
                for v in (LEFT, RIGHT, UP * 0.8)
            )
        )
        rows.append(VGroup(swatch, label(name, theme, style.LEGEND_FONT_SIZE)))
    line = Line(LEFT * 0.22, RIGHT * 0.22, color=theme.boundary, stroke_width=style.BOUNDARY_WIDTH)
    words = VGroup(
        label("decision boundary", theme, style.LEGEND_FONT_SIZE),
        label(
            "(p = 0.5)" if len(class_names) == 2 else "(top two tie)",
            theme,
            style.LEGEND_FONT_SIZE,
            color=theme.note,
        ),
    ).arrange(DOWN, aligned_edge=LEFT, buff=0.06)
    rows.append(VGroup(line, words))
    if folds:
        fold = Line(LEFT * 0.22, RIGHT * 0.22, color=theme.fold, stroke_width=style.FOLD_WIDTH)
        fold_words = VGroup(
            label("fold lines", theme, style.LEGEND_FONT_SIZE),
            label("(a unit's z = 0)", theme, style.LEGEND_FONT_SIZE, color=theme.note),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.06)
        rows.append(VGroup(fold, fold_words))
    for row in rows:
        row.arrange(RIGHT, buff=0.18)
    group = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
    _fit_width(group, layout.right - layout.legend_left)
    group.move_to([0, 0, 0]).align_to([layout.right, 0, 0], RIGHT)
    group.align_to([0, layout.picture_top, 0], UP)
    return _plated(group, theme)


class NetworkStrip(VGroup):
    """The network as a column of its steps, input to softmax, with the current one lit.

    Affine steps are outlined boxes and activations filled pills, so the two kinds read apart;
    a layer's steps share a bracket with the layer's number.
    """

    def __init__(
        self, steps: list[Step], input_width: int, theme: Theme, layout: ScreenLayout
    ) -> None:
        self.theme = theme
        width = layout.strip_right - layout.left - 0.35
        entries = [f"input · {input_width}"] + [step.short for step in steps[1:]]
        kinds = ["input"] + [step.kind for step in steps[1:]]
        self.boxes, self.texts = [], []
        rows = []
        shapes: dict[bool, RoundedRectangle] = {}  # Manim rounds corners slowly: once per shape
        for text, kind in zip(entries, kinds):
            words = label(text, theme, style.STRIP_FONT_SIZE, color=theme.note)
            pill = kind == "activation"
            if pill not in shapes:
                shapes[pill] = RoundedRectangle(
                    width=width,
                    height=0.36,
                    corner_radius=0.18 if pill else 0.05,
                    stroke_color=theme.note,
                    stroke_width=1.5,
                    fill_color=theme.note,
                    fill_opacity=0.18 if pill else 0.0,
                )
            box = shapes[pill].copy()
            _fit_width(words, width - 0.14)
            words.move_to(box)
            self.boxes.append(box)
            self.texts.append(words)
            rows.append(VGroup(box, words))
        column = VGroup(*rows).arrange(DOWN, buff=0.1)
        brackets = VGroup()
        for layer in sorted({s.layer for s in steps[1:]}):
            members = [rows[i] for i, s in enumerate(steps) if i and s.layer == layer]
            top, bottom = members[0].get_top()[1], members[-1].get_bottom()[1]
            x = column.get_left()[0] - 0.1
            ends = np.array([[x, top, 0], [x, bottom, 0]], dtype=float)
            bar = Line(ends[0], ends[1], color=theme.note, stroke_width=1.5)
            number = label(str(layer), theme, style.STRIP_FONT_SIZE, color=theme.note)
            number.next_to(bar, LEFT, buff=0.06)
            brackets.add(VGroup(bar, number))
        heading = label("network", theme, style.STRIP_FONT_SIZE, color=theme.note)
        super().__init__(heading, column, brackets)
        heading.next_to(column, UP, buff=0.15).align_to(column, LEFT)
        height = layout.picture_top - layout.bottom
        if self.height > height:
            self.scale_to_fit_height(height)
        self.align_to(np.array([layout.left, 0, 0]), LEFT)
        self.move_to(np.array([self.get_center()[0], (layout.picture_top + layout.bottom) / 2, 0]))
        self.current = -1

    def highlight(self, k: int) -> None:
        """Light up entry ``k`` (0: the input) and dim the one lit before."""
        theme = self.theme
        for i in (self.current, k):
            if i < 0:
                continue
            lit = i == k
            box, words = self.boxes[i], self.texts[i]
            box.set_stroke(color=theme.highlight if lit else theme.note, width=3 if lit else 1.5)
            # The highlight colour, not the title's: strip words have no plate, and with -t the
            # title colour (white) vanishes over a white slide.
            words[-1].set_color(theme.highlight if lit else theme.note)
        self.current = k


class ScaleBar(VGroup):
    """A bar one round number of stage units long, so zooming is visible: "⊢──⊣ 0.5".

    It is redrawn on every frame of a morph, so it only moves what changed: the bar's two
    vertices, and its number when the round value changes.
    """

    def __init__(
        self,
        scales: tuple[float, float],
        theme: Theme,
        layout: ScreenLayout,
        *,
        only: float | None = None,
    ) -> None:
        self.values = nice_values(scales[0], scales[1])
        if only is not None:  # one scale is ever seen (a still): build its number alone
            self.values = (pick_value(self.values, only),)
        self.anchor = np.array([layout.legend_left + 0.1, layout.bottom + 0.35, 0.0])
        self.bar = Polylines(np.zeros((1, 2, 3)), theme.note, 3.0)
        self.words = {
            v: label(f"{v:g}", theme, style.LEGEND_FONT_SIZE, color=theme.note)
            .set_opacity(0)
            .next_to(self.anchor, RIGHT, buff=0.12)
            for v in self.values
        }
        self.heading = label("scale", theme, style.LEGEND_FONT_SIZE, color=theme.note)
        self.heading.next_to(self.anchor, UP, buff=0.25).align_to(self.anchor, LEFT)
        super().__init__(self.heading, self.bar, *self.words.values())
        self.shown: float | None = None
        self.left = {v: float(w.get_left()[0]) for v, w in self.words.items()}
        self.display(None)

    def display(self, scale: float | None) -> None:
        """Draw the bar for ``scale`` scene units per stage unit (None: hide it)."""
        value = None if scale is None else pick_value(self.values, scale)
        if value != self.shown:
            if self.shown is not None:
                self.words[self.shown].set_opacity(0)
            if value is not None:
                self.words[value].set_opacity(1)
            if (value is None) != (self.shown is None):
                self.heading.set_opacity(0 if value is None else 1)
                self.bar.set_stroke(opacity=0 if value is None else 1)
            self.shown = value
        if value is None or scale is None:
            return
        end = self.anchor + RIGHT * (value * scale)
        self.bar.move_to_positions(np.stack([self.anchor, end])[None])
        words = self.words[value]
        target = float(end[0]) + 0.12
        words.shift(RIGHT * (target - self.left[value]))
        self.left[value] = target


BAR_LONGEST = 1.6  # scene units: the scale bar never grows longer


def nice_values(lo_scale: float, hi_scale: float) -> tuple[float, ...]:
    """Round numbers (1, 2, 5 × 10ᵏ) a bar needs between those scales."""
    lo = math.floor(math.log10(BAR_LONGEST / 2.5 / hi_scale)) - 1
    hi = math.ceil(math.log10(BAR_LONGEST / lo_scale)) + 1
    return tuple(m * 10.0**e for e in range(lo, hi + 1) for m in (1, 2, 5))


def pick_value(values: tuple[float, ...], scale: float) -> float:
    """The largest round value whose bar fits within :data:`BAR_LONGEST`."""
    fitting = [v for v in values if v * scale <= BAR_LONGEST]
    return max(fitting) if fitting else min(values)


def collapse_marker(
    center: np.ndarray, reach: float, count: int, name: str, color: str, theme: Theme
) -> VGroup:
    """A ring round a class squeezed to (nearly) a point or a line, and words saying so."""
    ring = Circle(radius=max(0.3, reach + 0.15), color=color, stroke_width=3).move_to(center)
    words = label(f"all {count:,} {name} points here", theme, style.LEGEND_FONT_SIZE)
    words.next_to(ring, DOWN if center[1] > 0 else UP, buff=0.1)
    return VGroup(ring, words)


def _fit_width(group: VGroup, width: float) -> None:
    if group.width > width:
        group.scale_to_fit_width(width)


def _plated(group: VGroup, theme: Theme) -> VGroup:
    if theme.plate_opacity <= 0:
        return group
    backing = BackgroundRectangle(
        group, color=theme.plate, fill_opacity=theme.plate_opacity, buff=0.12, corner_radius=0.08
    )
    return VGroup(backing, group)
