"""From a config to everything a scene draws: data → network → trace → view, in one call.

A network found in the checkpoint cache is drawn without importing torch: everything here runs
on its numpy forward pass (:mod:`model.numpy_net`); torch is imported only to train one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.boundary import class_map, decision_boundary, predicted_class
from model.checkpoint import Checkpoint
from model.config import Config
from model.data import Dataset, grid_lines, load_dataset
from model.numpy_net import NumpyNet
from model.orient import orient_hidden_units
from model.probability import BOUNDARY, GRID
from model.store import checkpoint_path, load_cached, load_or_train
from model.trace import Stage, trace
from model.view import Area, Ball, MorphPath


@dataclass(frozen=True)
class Layout:
    """Where each drawn set sits in the concatenated point array that is traced."""

    classes: tuple[slice, ...]  # one slice per class of plotted points
    grid: slice  # the grid lines' samples, flattened
    grid_shape: tuple[int, int]  # (n_lines, n_samples)
    boundary: slice  # the decision boundary's vertices, all curves end to end
    boundary_lengths: tuple[int, ...]  # vertices per boundary curve

    def labels(self) -> np.ndarray:
        """(n,) each row's class, or GRID / BOUNDARY for rows that are not data points."""
        n = self.boundary.stop
        labels = np.full(n, BOUNDARY, dtype=int)
        labels[self.grid] = GRID
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


@dataclass(frozen=True)
class Morph:
    """A trained network traced on the plotted data and grid, ready to draw."""

    dataset: Dataset  # the data drawn
    network: Checkpoint  # the network's weights and how it was trained
    net: NumpyNet  # the network traced: ``network.network()``, or a reordering of the same
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
) -> Morph:
    """Train or load ``config``'s network and trace the plotted points and grid through it.

    ``view`` and ``affine_path`` are :class:`MorphPath`'s; a polar path traces a copy of the
    network with its hidden units reordered so no square layer mirrors the plane (same function).
    ``density`` multiplies the number of plotted points and grid lines (for scale tests);
    ``boundary`` adds the network's 0.5-probability curves to the traced points;
    ``cache_dir=None`` trains without the checkpoint cache.
    """
    data = load_dataset(config.dataset, density)
    network, checkpoint = load_network(config, cache_dir, progress=progress)
    trained = network.network()
    lo, hi = data.bounds()
    side = max(1, round(np.sqrt(density)))
    grid = grid_lines(lo, hi, (grid_lines_per_side - 1) * side + 1, grid_samples)
    # The 0.5-probability curves are just more points: traced like the data, they show where
    # each layer puts the decision, down to a straight line in the logits.
    curves = decision_boundary(trained, lo, hi) if boundary else []
    sets = [*data.x_plot, grid.reshape(-1, 2), *curves]
    sizes = [len(s) for s in sets]
    ends = np.cumsum(sizes)
    starts = ends - sizes
    n_classes = len(data.x_plot)
    layout = Layout(
        classes=tuple(slice(a, b) for a, b in zip(starts[:n_classes], ends[:n_classes])),
        grid=slice(starts[n_classes], ends[n_classes]),
        grid_shape=grid.shape[:2],
        boundary=slice(ends[n_classes], ends[-1]),
        boundary_lengths=tuple(sizes[n_classes + 1 :]),
    )
    net = orient_hidden_units(trained) if affine_path == "polar" else trained
    stages = trace(net, np.concatenate(sets))
    return Morph(
        dataset=data,
        network=network,
        net=net,
        checkpoint=checkpoint,
        accuracy=float((predicted_class(trained, data.x_train) == data.y_train).mean()),
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
        regions=class_map(trained, lo, hi),
        region_box=(lo, hi),
    )


def load_network(
    config: Config, cache_dir: Path | str | None, *, progress: bool = True
) -> tuple[Checkpoint, Path | None]:
    """``config``'s network from the cache (read without torch), or trained and cached."""
    cached = load_cached(config, cache_dir)
    if cached is not None:
        return cached, checkpoint_path(config, cache_dir)
    result, checkpoint = load_or_train(config, cache_dir, progress=progress)
    return Checkpoint.of(result), checkpoint
