"""The labelled 2-D points a network trains on and a video draws, and the grid drawn over them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Dataset:
    """Labelled 2-D points: what the network trains on and what the video draws."""

    name: str  # dataset name, e.g. "circles"
    x_train: np.ndarray  # (n_train, 2) float64 training inputs
    y_train: np.ndarray  # (n_train,) int64 class index (0 = red, 1 = blue, 2…: the palette)
    x_plot: tuple[np.ndarray, ...]  # per class, (n_k, 2) points drawn in the video
    class_names: tuple[str, ...]  # legend names, one per class
    description: str = ""  # one line shown under the input stage

    @property
    def n_classes(self) -> int:
        """The number of classes (2, or 3 for ``spiral3``; a CSV's 2 to 8)."""
        return len(self.class_names)

    def grid_box(self) -> tuple[np.ndarray, np.ndarray]:
        """The grid's box: rounded (lo, hi) corners of the plotted data, as the recipe's grid uses.

        Rounds to whole units when the data spans 1 to 10 units (every built-in dataset, so the
        recipe's [-1, 1]² for ``circles``); to the matching power of ten otherwise, so a user's
        CSV in [0, 0.3] or [0, 500] still gets a grid of its own size.
        """
        everything = np.concatenate(self.x_plot)
        low, high = everything.min(axis=0), everything.max(axis=0)
        span = float((high - low).max())
        unit = 10.0 ** np.floor(np.log10(span)) if span > 0 else 1.0
        lo, hi = np.round(low / unit) * unit, np.round(high / unit) * unit
        # Rounding must not collapse an axis: fall back to rounding outwards.
        flat = hi <= lo
        lo[flat] = np.floor(low[flat] / unit) * unit
        hi[flat] = np.ceil(high[flat] / unit) * unit
        hi[hi <= lo] += unit
        return lo, hi


def grid_lines(
    lo: np.ndarray, hi: np.ndarray, n_lines: int = 21, n_samples: int = 161
) -> np.ndarray:
    """Straight grid lines over the box [lo, hi], each sampled densely so it bends smoothly.

    Returns ``(2 * n_lines, n_samples, 2)``: first the vertical lines (constant x), then the
    horizontal ones (constant y).
    """
    xs = np.linspace(lo[0], hi[0], n_lines)
    ys = np.linspace(lo[1], hi[1], n_lines)
    sx = np.linspace(lo[0], hi[0], n_samples)
    sy = np.linspace(lo[1], hi[1], n_samples)
    vertical = np.stack(np.broadcast_arrays(xs[:, None], sy[None, :]), axis=-1)
    horizontal = np.stack(np.broadcast_arrays(sx[None, :], ys[:, None]), axis=-1)
    return np.concatenate([vertical, horizontal]).astype(np.float64)
