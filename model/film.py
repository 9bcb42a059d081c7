"""Training over time: the network's pictures at each recorded snapshot, ready to draw.

The hidden picture of each snapshot (the output of the last activated layer, the picture the
read-out must cut with a straight line) becomes one keyframe of a :class:`MorphPath`, so moving
from snapshot to snapshot is the same continuous, refitted morph as moving from layer to layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.boundary import decision_boundary
from model.config import Config
from model.data import Dataset, grid_lines, load_dataset
from model.errors import NetmorphError
from model.network import Step
from model.pipeline import Layout
from model.store import load_or_train
from model.trace import Stage, trace
from model.view import Area, MorphPath, bounding_box, fit_box


@dataclass(frozen=True)
class TrainingFilm:
    """Everything a training-over-time scene draws, per snapshot."""

    dataset: Dataset  # the data
    points: np.ndarray  # (n, 2) every drawn input point: classes, then the grid, row by row
    steps: list[int]  # optimiser step of each snapshot
    accuracies: list[float]  # training accuracy of each snapshot, 0..1
    boundaries: list[list[np.ndarray]]  # per snapshot, input-space 0.5 curves, each (m, 2)
    hidden: MorphPath  # step k moves the hidden picture from snapshot k-1 to snapshot k
    layout: Layout  # which rows of ``points`` (and of every hidden picture) are which set
    hidden_label: str  # which stage the hidden picture shows

    def input_fit(self, area: Area):
        """A function: (n, 2) input-space points → (n, 3) scene points fitted into ``area``."""
        scale, offset = fit_box(bounding_box(self.points), area)

        def place(xy: np.ndarray) -> np.ndarray:
            return np.c_[np.asarray(xy) * scale + offset, np.zeros(len(xy))]

        return place


def training_film(
    config: Config, cache_dir: Path | str | None, area: Area, *, progress: bool = True
) -> TrainingFilm:
    """Train (or load) ``config`` with snapshots and trace each snapshot's hidden picture."""
    if config.snapshot_every < 1:
        raise NetmorphError("a training film needs snapshots: set snapshot_every to 1 or more")
    network, _ = load_or_train(config, cache_dir, progress=progress)
    data = load_dataset(config.dataset)
    lo, hi = data.bounds()
    grid = grid_lines(lo, hi, 21, 81)
    sets = [*data.x_plot, grid.reshape(-1, 2)]
    points = np.concatenate(sets)
    ends = np.cumsum([len(s) for s in sets])
    hidden_stages, boundaries = [], []
    for snapshot in network.snapshots:
        net = network.network_at(snapshot)
        stages = trace(net, points)
        last_hidden = stages[-3]  # before the read-out's Dense and softmax
        step = Step("snapshot", f"step{snapshot.step}", "")
        hidden_stages.append(Stage(step, last_hidden.values))
        boundaries.append(decision_boundary(net, lo, hi, resolution=81))
    return TrainingFilm(
        dataset=data,
        points=points,
        steps=[s.step for s in network.snapshots],
        accuracies=[s.accuracy for s in network.snapshots],
        boundaries=boundaries,
        hidden=MorphPath(hidden_stages, area),
        layout=Layout(
            classes=tuple(slice(a - len(x), a) for x, a in zip(data.x_plot, ends)),
            grid=slice(ends[-2], ends[-1]),
            grid_shape=grid.shape[:2],
            boundary=slice(ends[-1], ends[-1]),  # the boundary is drawn in input space only
            boundary_lengths=(),
        ),
        hidden_label=f"after {stages[-3].step.label}",
    )
