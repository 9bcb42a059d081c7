"""What sits around the picture: titles, captions, legend, network strip, scale bar, markers.

Each overlay is drawn into its own region of :class:`model.picture.screen.Screen` and never
leaves it, at a size readable from the back of a hall. Every piece of text in the videos is built
by :func:`label`, so one place decides fonts, colours and the plate that keeps text legible over
a transparent (``-t``) render.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    BackgroundRectangle,
    Dot,
    Line,
    RoundedRectangle,
    VGroup,
    VMobject,
)

from model.narration.wording import unbreakable
from model.network.steps import Step
from model.picture.screen import Box
from model.picture.view import MorphTimeline
from scenes.kit import style
from scenes.kit.glyphs import CachedText
from scenes.kit.mobjects import Polylines
from scenes.kit.style import Theme

STRIP_ENTRY = 0.44  # scene units: one strip entry's box height
STRIP_GAP = 0.08  # between entries
STRIP_NUMBERS = 0.42  # the layer numbers' column, left of the boxes


def label(
    text: str,
    theme: Theme | None,
    size: float = style.NOTE_FONT_SIZE,
    *,
    color: str | None = None,
    role: str = "",
) -> VGroup:
    """One line of text in the project's font: the one builder of every word on screen.

    ``color`` defaults to the theme's text colour (give one of the two). ``role`` says what the
    words are where it matters for their size (``"name"`` of an axis or curve, ``"marker"``,
    ``"tick"``): the layout audit reads it (:mod:`scenes.kit.audit`).
    """
    if color is None:
        if theme is None:
            raise ValueError("label needs a theme or a colour")
        color = theme.text
    words = CachedText(text, font=style.FONT, font_size=size, color=color)
    words.role = role
    return VGroup(words)


def wrapped(
    text: str,
    width: float,
    theme: Theme,
    size: float,
    color: str | None = None,
    role: str = "",
) -> VGroup:
    """``text`` as lines of at most ``width`` scene units, broken between words, left-aligned,
    never inside a formula ("(a unit's z = 0)", :func:`model.narration.wording.unbreakable`).

    A word longer than the width stays whole on its own line (the caller fits the group).
    """
    lines: list[VGroup] = []
    words = unbreakable(text)
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and label(candidate, theme, size, color=color, role=role).width > width:
            lines.append(label(current, theme, size, color=color, role=role))
            current = word
        else:
            current = candidate
    if current:
        lines.append(label(current, theme, size, color=color, role=role))
    return VGroup(*lines).arrange(DOWN, aligned_edge=LEFT, buff=0.06)


def title_block(title: str, note: str, theme: Theme, band: Box) -> VGroup:
    """The step's title and a one-line note beneath it, centred at the top of ``band``."""
    lines = [label(title, theme, style.TITLE_FONT_SIZE)]
    if note:
        lines.append(label(note, theme, style.NOTE_FONT_SIZE, color=theme.note))
    block = VGroup(*lines).arrange(DOWN, buff=0.1)
    _fit(block, band)
    block.move_to(np.array([band.center[0], band.y1 - block.height / 2, 0]))
    return plated(block, theme)


def caption_block(lines: tuple[str, ...], theme: Theme, band: Box) -> VGroup:
    """A step's caption, one or two lines centred in the caption ``band``."""
    if not lines:
        return VGroup()
    block = VGroup(*(label(line, theme, style.CAPTION_FONT_SIZE) for line in lines))
    block.arrange(DOWN, buff=0.1)
    _fit(block, band)
    block.move_to(np.array([band.center[0], band.center[1], 0]))
    return plated(block, theme)


def legend(
    class_names: tuple[str, ...], theme: Theme, region: Box, *, folds: bool = False
) -> VGroup:
    """Each class's colour and name, and the boundary's gold line (and the fold lines' colour,
    with ``folds``), top-left of ``region``; a name too long for it wraps."""
    key = 0.44  # a row's swatch column
    text_width = region.width - key - 0.12
    rows: list[tuple[VMobject, VGroup]] = []
    for name, color in zip(class_names, theme.class_colors):
        swatch = VGroup(
            *(
                Dot(radius=0.065, color=color, fill_opacity=1).shift(0.14 * v)
                for v in (LEFT, RIGHT, UP * 0.8)
            )
        )
        rows.append((swatch, wrapped(name, text_width, theme, style.LEGEND_FONT_SIZE)))
    line = Line(LEFT * 0.2, RIGHT * 0.2, color=theme.boundary, stroke_width=style.BOUNDARY_WIDTH)
    tie = "(p = 0.5)" if len(class_names) == 2 else "(top two tie)"
    words = VGroup(
        wrapped("decision boundary", text_width, theme, style.LEGEND_FONT_SIZE),
        label(tie, theme, style.LEGEND_FONT_SIZE, color=theme.note),
    ).arrange(DOWN, aligned_edge=LEFT, buff=0.06)
    rows.append((line, words))
    if folds:
        fold = Line(LEFT * 0.2, RIGHT * 0.2, color=theme.fold, stroke_width=style.FOLD_WIDTH)
        fold_words = VGroup(
            label("fold lines", theme, style.LEGEND_FONT_SIZE),
            wrapped("(a unit's z = 0)", text_width, theme, style.LEGEND_FONT_SIZE, theme.note),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.06)
        rows.append((fold, fold_words))
    group = VGroup()
    for mark, words in rows:
        # The key centred in its column, beside the words' first line.
        words.next_to(mark, RIGHT, buff=0.12)
        mark.move_to(np.array([key / 2, words[0].get_center()[1], 0]))
        words.align_to(np.array([key + 0.12, 0, 0]), LEFT)
        group.add(VGroup(mark, words))
    group.arrange(DOWN, aligned_edge=LEFT, buff=0.24)
    _fit(group, region)
    group.move_to(np.array([region.x0 + group.width / 2, region.y1 - group.height / 2, 0]))
    return plated(group, theme)


class NetworkStrip(VGroup):
    """The network as a column of its steps, input to softmax, with the current one lit.

    Affine steps are outlined boxes and activations filled pills, so the two kinds read apart;
    a layer's steps share a bracket with the layer's number. Drawn into ``region``; a network
    too deep for it packs its entries closer before anything shrinks.
    """

    def __init__(self, steps: list[Step], input_width: int, theme: Theme, region: Box) -> None:
        self.theme = theme
        width = region.width - STRIP_NUMBERS
        entries = [f"input · {input_width}"] + [step.short for step in steps[1:]]
        kinds = ["input"] + [step.kind for step in steps[1:]]
        heading = label("network", theme, style.STRIP_FONT_SIZE, color=theme.note)
        room = region.height - heading.height - 0.15
        gap = STRIP_GAP
        height = STRIP_ENTRY
        if len(entries) * (height + gap) - gap > room:  # deep: pack closer, then shrink
            gap = 0.03
            height = min(height, (room + gap) / len(entries) - gap)
        self.boxes, self.texts = [], []
        rows = []
        shapes: dict[bool, RoundedRectangle] = {}  # Manim rounds corners slowly: once per shape
        for text, kind in zip(entries, kinds):
            words = label(text, theme, style.STRIP_FONT_SIZE, color=theme.note)
            pill = kind == "activation"
            if pill not in shapes:
                shapes[pill] = RoundedRectangle(
                    width=width,
                    height=height,
                    corner_radius=height / 2 if pill else 0.05,
                    stroke_color=theme.note,
                    stroke_width=1.5,
                    fill_color=theme.note,
                    fill_opacity=0.18 if pill else 0.0,
                )
            box = shapes[pill].copy()
            if words.width > width - 0.16 or words.height > height - 0.08:
                words.scale(min((width - 0.16) / words.width, (height - 0.08) / words.height))
            words.move_to(box)
            self.boxes.append(box)
            self.texts.append(words)
            rows.append(VGroup(box, words))
        column = VGroup(*rows).arrange(DOWN, buff=gap)
        brackets = VGroup()
        for layer in sorted({s.layer for s in steps[1:]}):
            members = [rows[i] for i, s in enumerate(steps) if i and s.layer == layer]
            top, bottom = members[0].get_top()[1], members[-1].get_bottom()[1]
            x = column.get_left()[0] - 0.1
            bar = Line(
                np.array([x, top, 0]), np.array([x, bottom, 0]), color=theme.note, stroke_width=1.5
            )
            number = label(str(layer), theme, style.STRIP_FONT_SIZE, color=theme.note)
            number.next_to(bar, LEFT, buff=0.08)
            brackets.add(VGroup(bar, number))
        super().__init__(heading, column, brackets)
        heading.next_to(column, UP, buff=0.15).align_to(column, LEFT)
        _fit(self, region)
        self.align_to(np.array([region.x1, 0, 0]), RIGHT)
        self.move_to(np.array([self.get_center()[0], region.center[1], 0]))
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
    """A bar one round number of stage units long, so zooming is visible: "⊢──⊣ 0.5", and under
    it what the view stretches ("↑ ×12"), in the scale region.

    It is redrawn on every frame of a morph, so it only moves what changed: the bar's two
    vertices, and its number (or stretch note) when the round value changes.
    """

    def __init__(
        self,
        scales: tuple[float, float],
        theme: Theme,
        region: Box,
        *,
        only: float | None = None,
        stretches: tuple[tuple[float, str], ...] = (),
    ) -> None:
        self.region = region
        size = style.SMALL_FONT_SIZE
        self.heading = label("scale", theme, style.LEGEND_FONT_SIZE, color=theme.note)
        self.heading.move_to(np.array([0, 0, 0])).align_to(np.array([region.x0, 0, 0]), LEFT)
        row = self.heading.height + 0.12
        if region.height >= 3 * row:  # the bar under its heading, the stretch note under it
            self.heading.align_to(np.array([0, region.y1, 0]), UP)
            self.anchor = np.array([region.x0, self.heading.get_bottom()[1] - 0.25, 0.0])
        else:  # "scale ──── 2" in the top row, the note (when there is room) in the next
            middle = region.y1 - min(region.height, row) / 2
            self.heading.move_to(np.array([self.heading.get_center()[0], middle, 0]))
            self.anchor = np.array([self.heading.get_right()[0] + 0.15, middle, 0.0])
        note_room = self.anchor[1] - 0.2 - region.y0 >= row - 0.12
        self.longest = min(BAR_LONGEST, region.x1 - self.anchor[0] - 0.7)
        self.values = nice_values(scales[0], scales[1])
        if only is not None:  # one scale is ever seen (a still): build its number alone
            self.values = (pick_value(self.values, only, self.longest),)
        self.bar = Polylines(np.zeros((1, 2, 3)), theme.note, 3.0)
        self.words = {
            v: label(f"{v:g}", theme, size, color=theme.note)
            .set_opacity(0)
            .next_to(self.anchor, RIGHT, buff=0.12)
            for v in self.values
        }
        said = {factor: note for factor, note in stretches if factor > 1.0 and note_room}
        self.notes = {
            s: label(said[s], theme, size, color=theme.note)
            .set_opacity(0)
            .move_to(np.array([0, 0, 0]))
            .align_to(np.array([region.x0, 0, 0]), LEFT)
            .align_to([0, self.anchor[1] - 0.25, 0], UP)
            for s in sorted(said)
        }
        super().__init__(self.heading, self.bar, *self.words.values(), *self.notes.values())
        self.shown: float | None = None
        self.noted: float | None = None
        self.left = {v: float(w.get_left()[0]) for v, w in self.words.items()}
        # Hidden until a frame has a scale: a 3-D stage (seen in perspective) never has one, and
        # a lone "scale" heading there promised a bar that never came.
        self.heading.set_opacity(0)
        self.bar.set_stroke(opacity=0)
        self.display(None)

    @classmethod
    def of_timeline(
        cls, timeline: MorphTimeline, theme: Theme, region: Box, *, only: float | None = None
    ) -> ScaleBar:
        """The scale bar of ``timeline``'s pictures, with the note of every stretched stage
        ("↑ drawn ×12"): a morph's, and a training film's hidden panel (its snapshots can be
        slivers too). ``only``: the one scale a still shows."""
        plan = timeline.plan
        notes = tuple((factor, plan.stretch_note(k)) for k, factor in enumerate(plan.stretches))
        return cls(timeline.scale_range(), theme, region, only=only, stretches=notes)

    def display(self, scale: float | None, stretch: float = 1.0) -> None:
        """Draw the bar for ``scale`` scene units per stage unit (None: hide it), and the
        stretch note of a view whose ↑ is drawn ``stretch`` times larger."""
        value = None if scale is None else pick_value(self.values, scale, self.longest)
        if value != self.shown:
            if self.shown is not None:
                self.words[self.shown].set_opacity(0)
            if value is not None:
                self.words[value].set_opacity(1)
            if (value is None) != (self.shown is None):
                self.heading.set_opacity(0 if value is None else 1)
                self.bar.set_stroke(opacity=0 if value is None else 1)
            self.shown = value
        # A stretch easing between stages is not stated mid-way: only one a stage holds.
        noted = next((s for s in self.notes if abs(math.log(s / stretch)) <= 1e-6), None)
        if noted != self.noted:
            if self.noted is not None:
                self.notes[self.noted].set_opacity(0)
            if noted is not None:
                self.notes[noted].set_opacity(1)
            self.noted = noted
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


def pick_value(values: tuple[float, ...], scale: float, longest: float = BAR_LONGEST) -> float:
    """The largest round value whose bar fits within ``longest`` scene units."""
    fitting = [v for v in values if v * scale <= longest]
    return max(fitting) if fitting else min(values)


def marker_words(text: str, theme: Theme, width: float) -> VGroup:
    """A marker's words ("all 900 inner disk points here"), centred lines of at most ``width``
    scene units, on a plate so no line crosses them."""
    lines = wrapped(text, width, theme, style.SMALL_FONT_SIZE, role="marker")
    for line in lines[1:]:
        line.match_x(lines[0])
    lines.arrange(DOWN, buff=0.06)
    return plated(lines, theme, always=True)


def _fit(group: VGroup, region: Box) -> None:
    """Shrink ``group`` to fit ``region`` (a last resort: regions are sized for their text)."""
    if group.width > region.width or group.height > region.height:
        group.scale(min(region.width / group.width, region.height / group.height))


def plated(group: VGroup, theme: Theme, *, always: bool = False) -> VGroup:
    """``group`` on a plate of the theme's plate colour (in a ``-t`` render, or ``always``)."""
    opacity = theme.plate_opacity if not always else max(theme.plate_opacity, 0.85)
    if opacity <= 0:
        return group
    backing = BackgroundRectangle(
        group, color=theme.plate, fill_opacity=opacity, buff=0.08, corner_radius=0.06
    )
    return VGroup(backing, group)
