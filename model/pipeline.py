"""From a config to everything a scene draws: data → network → trace → view, in one call."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from torch import nn

from model.boundary import class_map, decision_boundary
from model.config import Config
from model.data import Dataset, grid_lines, load_dataset
from model.folds import FOLD, fold_lines
from model.orient import orient_hidden_units
from model.probability import BOUNDARY, GRID
from model.store import load_or_train
from model.ties import class_regions, tie_boundary
from model.trace import Stage, trace
from model.train import TrainedNetwork, accuracy
from model.view import Area, Ball, MorphPath


@dataclass(frozen=True)
class Layout:
    """Where each drawn set sits in the concatenated point array that is traced."""

    classes: tuple[slice, ...]  # one slice per class of plotted points
    grid: slice  # the grid lines' samples, flattened
    grid_shape: tuple[int, int]  # (n_lines, n_samples)
    boundary: slice  # the decision boundary's vertices, all curves end to end
    boundary_lengths: tuple[int, ...]  # vertices per boundary curve
    folds: slice = field(
        default_factory=lambda: slice(0, 0)
    )  # the fold lines' vertices (model.folds), after the boundary
    fold_lengths: tuple[int, ...] = ()  # vertices per fold line

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


@dataclass(frozen=True)
class Morph:
    """A trained network traced on the plotted data and grid, ready to draw."""

    dataset: Dataset  # the data drawn
    network: TrainedNetwork  # the network and how it was trained
    net: nn.Sequential  # the network traced: ``network.net`` or a reordering that computes the same
    checkpoint: Path | None  # where the cache keeps it (None: trained without the cache)
    accuracy: float  # training accuracy, 0..1
    stages: list[Stage]  # input first, softmax last
    layout: Layout  # how to split a stage's rows into classes and grid
    path: MorphPath  # scene coordinates at any moment
    regions: np.ndarray  # (r, r) the predicted class over the input box, row 0 at the top
    region_box: tuple[np.ndarray, np.ndarray]  # (lo, hi) input-space corners of ``regions``


def prepare(
    config: Config,
    cache_dir: Path | str | None,
    *,
    area: Area | Ball | None = None,
    view: str = "first2",
    affine_path: str = "linear",
    density: int = 1,
    boundary: bool = True,
    grid_lines_per_side: int = 21,
    grid_samples: int = 161,
    progress: bool = True,
    network: TrainedNetwork | None = None,
    folds: bool = False,
) -> Morph:
    """Train or load ``config``'s network and trace the plotted points and grid through it.

    ``view`` and ``affine_path`` are :class:`MorphPath`'s; a polar path traces a copy of the
    network with its hidden units reordered so no square layer mirrors the plane (same function).
    ``density`` multiplies the number of plotted points and grid lines (for scale tests);
    ``boundary`` adds the network's 0.5-probability curves to the traced points;
    ``cache_dir=None`` trains without the checkpoint cache; ``network`` draws that network
    (a user's own, :func:`model.own.as_trained`) instead of training ``config``'s; ``folds``
    adds where each ReLU-family unit switches (:func:`model.folds.fold_lines`).
    """
    data = load_dataset(config.dataset, density)
    if network is None:
        network, checkpoint = load_or_train(config, cache_dir, progress=progress)
    else:
        checkpoint = None
    lo, hi = data.bounds()
    side = max(1, round(np.sqrt(density)))
    grid = grid_lines(lo, hi, (grid_lines_per_side - 1) * side + 1, grid_samples)
    # The 0.5-probability curves are just more points: traced like the data, they show where
    # each layer puts the decision, down to a straight line in the logits.
    find_boundary = decision_boundary if data.n_classes == 2 else tie_boundary
    curves = find_boundary(network.net, lo, hi) if boundary else []
    fold_curves = [line.curve for line in fold_lines(network.net, lo, hi)] if folds else []
    sets = [*data.x_plot, grid.reshape(-1, 2), *curves, *fold_curves]
    sizes = [len(s) for s in sets]
    ends = np.cumsum(sizes)
    starts = ends - sizes
    n_classes = len(data.x_plot)
    n_boundary = n_classes + 1 + len(curves)  # sets before the fold lines
    layout = Layout(
        classes=tuple(slice(a, b) for a, b in zip(starts[:n_classes], ends[:n_classes])),
        grid=slice(starts[n_classes], ends[n_classes]),
        grid_shape=grid.shape[:2],
        boundary=slice(ends[n_classes], ends[n_boundary - 1]),
        boundary_lengths=tuple(sizes[n_classes + 1 : n_boundary]),
        folds=slice(ends[n_boundary - 1], ends[-1]),
        fold_lengths=tuple(sizes[n_boundary:]),
    )
    net = orient_hidden_units(network.net) if affine_path == "polar" else network.net
    stages = trace(net, np.concatenate(sets))
    return Morph(
        dataset=data,
        network=network,
        net=net,
        checkpoint=checkpoint,
        accuracy=accuracy(network.net, config.dataset),
        stages=stages,
        layout=layout,
        path=MorphPath(
            stages,
            area,
            view=view,
            affine_path=affine_path,
            net=net,
            labels=layout.labels(),
            class_names=data.class_names,
        ),
        regions=(class_map if data.n_classes == 2 else class_regions)(network.net, lo, hi),
        region_box=(lo, hi),
    )
