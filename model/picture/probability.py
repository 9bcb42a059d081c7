"""The softmax stage on a fixed probability scale: a histogram of p per class, never refitted.

Softmax sends every point of a two-class network onto the segment p₀ + p₁ = 1, most of them to
its two ends: drawn as a scatter plot the stage is two specks, and refitted to the frame a
network that hovers at p ≈ 0.5 looks exactly as confident as one at 0 and 1. So the stage is
drawn on a *fixed* axis instead: x = p(class 1) from 0 to 1 (p = 0.5 marked), and each class's
points stacked as a histogram — class 0 above the axis, class 1 below — so 2,700 points at
p ≈ 1 are a visible bar, and an undecided network's bars stand in the middle.

Within a bin the points are laid out column by column in order of p, so x grows with p and is
never more than one bin width from the point's true probability. Bars are scaled by the
largest share of either class in one bin: a bar's height is the share of its class that falls
in that bin, so a class of 900 points and one of 4,500 compare.

Coordinates are "probability units": x in [0, 1] and y in [-0.45, 0.45] (:data:`BOX`), the same
scale on both axes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GRID = -1  # the label of a grid sample's row
BOUNDARY = -2  # the label of a decision-boundary vertex's row
FOLD = -3  # the label of a fold line's row (model.geometry.folds)

BINS = 25  # histogram bins across p ∈ [0, 1]: bin width 0.04
BAR_FILL = 0.8  # share of a bin's width its bar covers (the rest separates bars)
AXIS_GAP = 0.035  # y between the axis and a bar's foot
BAR_HEIGHT = 0.38  # y of the tallest bar above its foot
# The fixed picture box in probability units, wide rather than tall so the 0..1 axis spans most
# of the frame: room for ticks and labels around the axis and the bars.
BOX = np.array([[-0.04, -0.45], [1.04, 0.45]])


def class_probability(logits: np.ndarray) -> np.ndarray:
    """p(class 1) of (n, 2) logits, stably: σ(z₁ − z₀)."""
    return 1.0 / (1.0 + np.exp(logits[:, 0] - logits[:, 1]))


def histogram_picture(p: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """(n, 2) histogram positions of the points with probabilities ``p`` (n,) and ``labels``.

    ``labels`` (n,) is each row's class (0 or 1), :data:`GRID` for grid samples (placed on the
    axis at their own p: the plane collapses onto the line of probabilities) or :data:`BOUNDARY`
    for decision-boundary vertices (p = 0.5 exactly: spread along the p = 0.5 marker, so the
    boundary curve becomes that line).
    """
    p = np.clip(np.asarray(p, dtype=np.float64), 0.0, 1.0)
    out = stacked(p, labels, 0.0, 1.0)
    boundary = np.flatnonzero(np.asarray(labels) == BOUNDARY)
    out[boundary, 0] = 0.5
    out[boundary, 1] = np.linspace(BOX[0, 1], BOX[1, 1], len(boundary))
    return out


def stacked(x: np.ndarray, labels: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """(n, 2) each row at its own ``x``, class 0 stacked above the axis and class 1 below it.

    The range [lo, hi] is cut into :data:`BINS` bins; within a bin the points are laid out column
    by column in order of x, so x grows with the value and is never more than one bin width from
    it. Bars are as tall as the share of their class in the bin (the tallest
    :data:`BAR_HEIGHT` × the range), so a class of 900 points and one of 4,500 compare. Rows of
    other labels stay on the axis (y = 0).
    """
    x = np.asarray(x, dtype=np.float64)
    labels = np.asarray(labels)
    span = max(hi - lo, 1e-12)
    out = np.c_[x, np.zeros(len(x))]
    bins = np.clip(((x - lo) / span * BINS).astype(int), 0, BINS - 1)  # (n,)
    counts = {k: np.bincount(bins[labels == k], minlength=BINS) for k in (0, 1)}
    # Each bar is the share of its class in the bin, so classes of different sizes compare.
    shares = {k: c / max(1, c.sum()) for k, c in counts.items()}
    tallest = max(float(s.max()) for s in shares.values()) or 1.0
    width = BAR_FILL / BINS
    for k, sign in ((0, 1.0), (1, -1.0)):
        rows = np.flatnonzero(labels == k)
        for b in np.flatnonzero(counts[k]):
            members = rows[bins[rows] == b]
            members = members[np.argsort(x[members], kind="stable")]
            n = len(members)
            height = BAR_HEIGHT * shares[k][b] / tallest
            # Columns × rows of the bar's lattice, with cells about as wide as they are high.
            columns = int(np.clip(round(np.sqrt(n * width / height)), 1, n))
            per_column = int(np.ceil(n / columns))
            col, row = np.divmod(np.arange(n), per_column)
            left = (b + 0.5) / BINS - width / 2
            out[members, 0] = lo + span * (left + (col + 0.5) / columns * width)
            out[members, 1] = sign * span * (AXIS_GAP + (row + 0.5) / per_column * height)
    return out


@dataclass(frozen=True)
class LogitLine:
    """The logits of a two-class network as what they are: the margin f = z₁ − z₀ on a number
    line, the decision boundary at f = 0, class 0 stacked above the line and class 1 below.

    Softmax only reads f (p = σ(f)), so the line is the whole of the logits that matters, drawn
    left to right as the probability axis is (p grows with f). Coordinates are logit units on
    both axes: x is f to within one bin (:func:`stacked`), y the stacking (a height in units of
    the line's range, the same proportions as the probability histogram's :data:`BOX`).
    """

    picture: np.ndarray  # (n, 2) every row's place
    box: np.ndarray  # (2, 2) the picture box [lo, hi]
    lo: float  # the line's range of f, 0 included
    hi: float

    @classmethod
    def of(cls, margin: np.ndarray, labels: np.ndarray) -> LogitLine:
        """The line of ``margin`` (n,) f per row, ``labels`` as :func:`histogram_picture`'s."""
        labels = np.asarray(labels)
        data = margin[labels >= 0] if (labels >= 0).any() else margin
        lo, hi = min(float(data.min()), 0.0), max(float(data.max()), 0.0)
        if hi - lo <= 1e-9:
            lo, hi = lo - 1.0, hi + 1.0
        span = hi - lo
        picture = stacked(margin, labels, lo, hi)
        box = np.array(
            [
                [lo + (BOX[0, 0]) * span, BOX[0, 1] * span],
                [hi + (BOX[1, 0] - 1) * span, BOX[1, 1] * span],
            ]
        )
        boundary = np.flatnonzero(labels == BOUNDARY)
        picture[boundary, 0] = 0.0
        picture[boundary, 1] = np.linspace(box[0, 1], box[1, 1], len(boundary))
        return cls(picture, box, lo, hi)

    def ticks(self) -> list[float]:
        """Round values (1, 2 or 5 × 10ᵏ apart) along the line, 0 among them: 2 to 5 of them."""
        span = self.hi - self.lo
        for exponent in range(int(np.floor(np.log10(span))) - 1, int(np.ceil(np.log10(span))) + 2):
            for mantissa in (1, 2, 5):
                gap = mantissa * 10.0**exponent
                values = np.arange(np.ceil(self.lo / gap), np.floor(self.hi / gap) + 1) * gap
                if len(values) <= 5:
                    return [float(v) for v in values]
        return [0.0]


def p_axis() -> tuple[np.ndarray, list[tuple[str, np.ndarray]]]:
    """The p axis as (k, 2, 2) segments (axis and ticks) and its tick values with anchors.

    The values sit in a row beneath the picture's box, each under its tick: the bars hang
    below the axis itself, and the p = 0.5 marker ends where its "0.5" begins.
    """
    return number_line(0.0, 1.0, [(0.0, "0"), (0.5, "0.5"), (1.0, "1")], BOX[0, 1], 0.035)


def number_line(
    lo: float, hi: float, ticks: list[tuple[float, str]], foot: float, tick: float
) -> tuple[np.ndarray, list[tuple[str, np.ndarray]]]:
    """A number line from ``lo`` to ``hi`` at y = 0 with ``ticks`` (value, text): (k, 2, 2)
    segments and each value's text anchored at ``foot`` (the box's bottom) under its tick."""
    segments = [np.array([[lo, 0.0], [hi, 0.0]])]
    labels: list[tuple[str, np.ndarray]] = []
    for value, text in ticks:
        segments.append(np.array([[value, -tick], [value, tick]]))
        labels.append((text, np.array([value, foot])))
    return np.stack(segments), labels


def half_line() -> np.ndarray:
    """(2, 2) the p = 0.5 marker across the whole picture."""
    return np.array([[0.5, BOX[0, 1]], [0.5, BOX[1, 1]]])
