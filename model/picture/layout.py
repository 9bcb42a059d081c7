"""Which rows of a traced point array are which drawn set: classes, grid, curves and folds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from model.picture.probability import BOUNDARY, FOLD, GRID


@dataclass(frozen=True)
class Layout:
    """Where each drawn set sits in the concatenated point array that is traced."""

    classes: tuple[slice, ...]  # one slice per class of plotted points
    grid: slice  # the grid lines' samples, flattened
    grid_shape: tuple[int, int]  # (n_lines, n_samples)
    boundary: slice  # the decision boundary's vertices, all curves end to end
    boundary_lengths: tuple[int, ...]  # vertices per boundary curve
    # the fold lines' vertices (model.geometry.folds), after the boundary
    folds: slice = field(default_factory=lambda: slice(0, 0))
    fold_lengths: tuple[int, ...] = ()  # vertices per fold line

    @classmethod
    def stack(
        cls,
        classes: Sequence[np.ndarray],
        grid: np.ndarray,
        curves: Sequence[np.ndarray] = (),
        folds: Sequence[np.ndarray] = (),
    ) -> tuple[Layout, np.ndarray]:
        """The one (n, 2) array to trace, classes then grid then curves then folds, and its layout.

        ``classes`` are (n_k, 2) points per class, ``grid`` is (n_lines, n_samples, 2),
        ``curves`` are (m_j, 2) boundary curves (none: no boundary is drawn) and ``folds`` the
        (m_i, 2) fold lines (none unless asked for).
        """
        sets = [*classes, grid.reshape(-1, 2), *curves, *folds]
        sizes = [len(s) for s in sets]
        ends = np.cumsum(sizes, dtype=int)
        starts = ends - sizes
        n = len(classes)
        last_curve = n + len(curves)  # index of the last boundary set (the grid's when none)
        layout = cls(
            classes=tuple(slice(int(a), int(b)) for a, b in zip(starts[:n], ends[:n])),
            grid=slice(int(starts[n]), int(ends[n])),
            grid_shape=(int(grid.shape[0]), int(grid.shape[1])),
            boundary=slice(int(ends[n]), int(ends[last_curve])),
            boundary_lengths=tuple(sizes[n + 1 : last_curve + 1]),
            folds=slice(int(ends[last_curve]), int(ends[-1])),
            fold_lengths=tuple(sizes[last_curve + 1 :]),
        )
        return layout, np.concatenate(sets)

    def with_curves(self, lengths: Sequence[int]) -> Layout:
        """This layout with other curves after the grid: ``lengths`` vertices each."""
        start = self.grid.stop
        return replace(
            self, boundary=slice(start, start + sum(lengths)), boundary_lengths=tuple(lengths)
        )

    def labels(self) -> np.ndarray:
        """(n,) each row's class, or GRID / BOUNDARY / FOLD for rows that are not data points."""
        n = max(self.boundary.stop, self.folds.stop)
        labels = np.full(n, BOUNDARY, dtype=int)
        labels[self.grid] = GRID
        labels[self.folds] = FOLD
        for k, rows in enumerate(self.classes):
            labels[rows] = k
        return labels

    def split(self, points: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, list[np.ndarray]]:
        """Per-class (n_k, d) arrays, the grid as (n_lines, n_samples, d), boundary curves."""
        classes = [points[s] for s in self.classes]
        grid = points[self.grid].reshape(*self.grid_shape, points.shape[1])
        ends = np.cumsum(self.boundary_lengths, dtype=int)
        curves = np.split(points[self.boundary], ends[:-1]) if self.boundary_lengths else []
        return classes, grid, curves

    def fold_curves(self, points: np.ndarray) -> list[np.ndarray]:
        """The fold lines' (m, d) vertices in ``points`` (one stage or frame)."""
        if not self.fold_lengths:
            return []
        ends = np.cumsum(self.fold_lengths, dtype=int)
        return np.split(points[self.folds], ends[:-1])
