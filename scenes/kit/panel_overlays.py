"""What sits around side-by-side panels: a legend in one row, the zoom tag of an enlarged panel.

Used by :mod:`scenes.comparison` and :mod:`scenes.kit.training_scene`; built from the pieces of
:mod:`scenes.kit.overlays`, so fonts and colours are the theme's.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Circle, Dot, Line, VGroup

from model.picture.labels import LabelSpec, place_labels
from model.picture.panels import Mark, PanelPicture
from model.picture.screen import Box
from scenes.kit import style
from scenes.kit.mobjects import Polylines
from scenes.kit.overlays import label, marker_words, plated
from scenes.kit.style import Theme

MAX_RING = 1.2  # scene units: a wider marker ring would cross a whole panel
ZOOM_STEP = 0.1  # the zoom tag's number moves in steps of this much (it is redrawn when it does)


def legend_row(class_names: tuple[str, ...], theme: Theme, region: Box) -> VGroup:
    """The classes' colours and names and the boundary's line, in one row, left in ``region``."""
    items = []
    for name, color in zip(class_names, theme.class_colors):
        swatch = Dot(radius=0.07, color=color, fill_opacity=1)
        items.append(VGroup(swatch, label(name, theme, style.LEGEND_FONT_SIZE)))
    line = Line(LEFT * 0.22, RIGHT * 0.22, color=theme.boundary, stroke_width=style.BOUNDARY_WIDTH)
    items.append(VGroup(line, label("decision boundary (p = 0.5)", theme, style.LEGEND_FONT_SIZE)))
    for item in items:
        item.arrange(RIGHT, buff=0.12)
    row = VGroup(*items).arrange(RIGHT, buff=0.45)
    if row.width > region.width or row.height > region.height:
        row.scale(min(region.width / row.width, region.height / row.height))
    row.move_to([region.center[0], region.center[1], 0]).align_to(np.array([region.x0, 0, 0]), LEFT)
    return plated(row, theme)


def rectangle(box: np.ndarray) -> np.ndarray:
    """(1, 5, 3) the closed outline of a (2, 2) [lo, hi] scene box, as one polyline."""
    (x0, y0), (x1, y1) = box
    return np.array([[[x0, y0, 0], [x1, y0, 0], [x1, y1, 0], [x0, y1, 0], [x0, y0, 0]]])


class ZoomTag(VGroup):
    """An enlarged panel's tag, "enlarged 3.5×", and the outline of its true size.

    The outline is the box the panel's data would fill at the common scale, so a viewer still
    sees how small the picture really is; both vanish while the panel is at the common scale.
    """

    def __init__(self, anchor: tuple[float, float], theme: Theme) -> None:
        self.theme = theme
        self.outline = Polylines(np.zeros((0, 2, 3)), theme.note, 2.0, 0.0)
        self.words = VGroup()
        self.anchor = np.array([anchor[0], anchor[1], 0.0])  # the words' centre
        super().__init__(self.outline, self.words)
        self.value: float | None = None

    def display(self, panel: PanelPicture) -> None:
        """Follow ``panel``: the outline every frame, the words when their number changes."""
        # Rounded down, so the tag never claims more enlargement than there is.
        value = float(np.floor(panel.zoom / ZOOM_STEP + 1e-9) * ZOOM_STEP)
        enlarged = value > 1.0
        self.outline.move_to_positions(rectangle(panel.true_box))
        self.outline.set_stroke(opacity=0.9 if enlarged else 0.0)
        shown = round(value, 6) if enlarged else None
        if shown == self.value:
            return
        self.value = shown
        if shown is None:
            self.words.set_opacity(0)
            return
        text = f"enlarged {shown:.1f}× · grey box: true size"
        words = label(text, self.theme, style.SMALL_FONT_SIZE, color=self.theme.note)
        # become(), never adding or removing: Manim draws a playing animation's mobjects as
        # they were listed at its start, so a removed one would linger and an added one hide.
        self.words.become(words.move_to(self.anchor))


class MarkSlot(VGroup):
    """One class's marker: a ring round its points and words saying how many are there.

    It can follow a moving picture: :meth:`display` moves, rewords or hides it in place (the
    words are made once per distinct text and kept, since Pango text costs far more than a
    frame).
    """

    def __init__(self, name: str, color: str, theme: Theme, width: float = 3.0) -> None:
        self.class_name, self.theme = name, theme
        self.wrap = width  # scene units the words wrap at
        self.ring = Circle(radius=1.0, color=color, stroke_width=3).set_stroke(opacity=0)
        self.radius = 1.0
        self.words = VGroup()
        self.texts: dict[str, VGroup] = {}
        self.shown: str | None = None  # the words on screen, or None when hidden
        super().__init__(self.ring, self.words)

    def prepare(self, mark: Mark | None) -> str:
        """Make (once) the words :meth:`display` would say for ``mark``, and return them.

        A scene calls it for every mark it will show before an animation starts, so no Pango
        text is made mid-animation.
        """
        if mark is None:
            return ""
        amount = f"{mark.count:,} of {mark.total:,}"
        if mark.count == mark.total:
            amount = f"all {mark.total:,}"
        text = f"{amount} {self.class_name} points here"
        if text not in self.texts:
            self.texts[text] = marker_words(text, self.theme, self.wrap)
        return text

    def display(
        self, mark: Mark | None, room: Box | None = None, obstacles: Sequence[Box] = ()
    ) -> MarkSlot:
        """Ring ``mark``'s points and say how many are there; None hides the marker.

        The words go beside the ring, in free space of ``room`` clear of ``obstacles`` (other
        labels) when a room is given (:func:`model.picture.labels.place_labels`).
        Everything changes in place (become, opacity), never by adding or removing: Manim
        draws a playing animation's mobjects as they were listed at its start.
        """
        if mark is None:
            self.ring.set_stroke(opacity=0)
            self.words.set_opacity(0)
            self.shown = None
            return self
        radius = max(0.3, mark.reach + 0.15)
        # A class spread thin over the picture gets its words alone: a ring round all of it
        # would cross the whole panel (and a ring never crosses a label).
        ring = Box.around((float(mark.centre[0]), float(mark.centre[1])), 2 * radius, 2 * radius)
        ringed = radius <= MAX_RING and not any(ring.meets(box) for box in obstacles)
        self.ring.scale(radius / self.radius).move_to(mark.centre)
        self.ring.set_stroke(opacity=1 if ringed else 0)
        self.radius = radius
        text = self.prepare(mark)
        self.words.become(self.texts[text])  # its own opacities, if hidden before
        self.shown = text
        side = -1.0 if room is None or mark.centre[1] > room.center[1] else 1.0
        spec = LabelSpec(
            (float(self.words.width), float(self.words.height)),
            (float(mark.centre[0]), float(mark.centre[1] + side * radius)),
            (0.0, side),
        )
        if not ringed:
            spec = LabelSpec(spec.size, (float(mark.centre[0]), float(mark.centre[1])), (0.0, side))
        box = None
        if room is not None:
            box = place_labels([spec], room, [*obstacles, ring] if ringed else obstacles)[0]
        if box is None and room is None:
            self.words.next_to(self.ring, DOWN if side < 0 else UP, buff=0.08)
        elif box is None:  # no free place in the panel: the ring alone says it
            self.words.set_opacity(0)
        else:
            self.words.move_to(np.array([*box.center, 0.0]))
        return self


class TrainingCurve(VGroup):
    """Training accuracy and loss against the optimiser iterations, the snapshot shown marked.

    Accuracy is drawn on its own 0–1 scale; the loss as a share of its largest value (its
    shape, not its units, is what a viewer follows). A vertical line and a dot on each curve
    mark the snapshot on screen (:meth:`mark`).
    """

    def __init__(
        self,
        iterations: Sequence[int],
        accuracies: Sequence[float],
        losses: Sequence[float],
        theme: Theme,
        region: Box,
    ) -> None:
        self.iterations = np.asarray(iterations, dtype=float)
        names = ("accuracy", "loss")
        words = [
            label(n, theme, style.AXIS_FONT_SIZE, color=theme.note, role="name") for n in names
        ]
        room = max(w.height for w in words) + 0.15
        # The plot: the region less a row for the iteration axis' numbers and the curves' names.
        self.box = Box(region.x0 + 0.1, region.y0 + room, region.x1 - 0.1, region.y1 - 0.1)
        loss = np.asarray(losses, dtype=float)
        self.series = (
            np.asarray(accuracies, dtype=float),
            loss / max(float(loss.max()), 1e-12),
        )
        colours = (theme.boundary, theme.note)
        self.lines = [
            Polylines([self._place(self.iterations, y)], colour, style.BOUNDARY_WIDTH * 0.75)
            for y, colour in zip(self.series, colours)
        ]
        outline = rectangle(np.array([[self.box.x0, self.box.y0], [self.box.x1, self.box.y1]]))
        self.outline = Polylines(outline, theme.axis, 1.5, theme.axis_opacity)
        self.cursor = Polylines(np.zeros((1, 2, 3)), theme.text, 2.0)
        self.dots = VGroup(*(Dot(radius=0.07, color=colour, fill_opacity=1) for colour in colours))
        ends = [self._place(self.iterations[-1:], y[-1:])[0] for y in self.series]
        taken: list[Box] = []
        for word, end in zip(words, ends):
            spec = LabelSpec((float(word.width), float(word.height)), (end[0], end[1]), (-1, 1))
            box = place_labels([spec], region, taken)[0] or Box.around(tuple(end[:2]), 0, 0)
            word.move_to(np.array([*box.center, 0.0]))
            taken.append(box)
        first = label(
            f"iteration {int(self.iterations[0])}", theme, style.SMALL_FONT_SIZE, color=theme.note
        )
        last = label(f"{int(self.iterations[-1])}", theme, style.SMALL_FONT_SIZE, color=theme.note)
        first.next_to(np.array([self.box.x0, self.box.y0, 0]), DOWN, buff=0.08).align_to(
            [self.box.x0, 0, 0], LEFT
        )
        last.next_to(np.array([self.box.x1, self.box.y0, 0]), DOWN, buff=0.08).align_to(
            [self.box.x1, 0, 0], RIGHT
        )
        super().__init__(self.outline, *self.lines, self.cursor, self.dots, *words, first, last)
        self.mark(0)

    def _place(self, iterations: np.ndarray, values: np.ndarray) -> np.ndarray:
        """(n, 3) scene points of (iterations, values in 0..1) in the plot."""
        span = max(float(self.iterations[-1] - self.iterations[0]), 1e-12)
        x = self.box.x0 + (iterations - self.iterations[0]) / span * self.box.width
        y = self.box.y0 + np.clip(values, 0.0, 1.0) * self.box.height
        return np.stack([x, y, np.zeros_like(x)], axis=1)

    def mark(self, k: int) -> None:
        """Mark snapshot ``k``: the cursor at its iteration, a dot on each curve."""
        iteration = self.iterations[k : k + 1]
        x = float(self._place(iteration, np.zeros(1))[0, 0])
        self.cursor.move_to_positions(np.array([[[x, self.box.y0, 0], [x, self.box.y1, 0]]]))
        for dot, values in zip(self.dots, self.series):
            dot.move_to(self._place(iteration, values[k : k + 1])[0])
