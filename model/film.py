"""Training over time: the network's pictures at each recorded snapshot, ready to draw.

The hidden picture of each snapshot (the output of the last hidden layer, the picture the
read-out must cut with a straight line) becomes one keyframe of a :class:`MorphPath`, so moving
from snapshot to snapshot is the same continuous, refitted morph as moving from layer to layer.

Screen time goes where learning happens. Each move from one snapshot to the next gets a share of
the replay in proportion to how much it changes the network's fit: half by its change of training
accuracy, half by its change of training loss (cross-entropy), each as a share of its total change,
plus a small equal floor so every move is seen (:data:`FLOOR`). A stretch where nothing changes
(the settling steps after 100 %) then passes in a fraction of a second instead of most of the
video. :meth:`TrainingFilm.position_at` turns a moment of the replay into a snapshot and a
fraction of the move.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from model.activations import check_activation
from model.boundary import decision_boundary
from model.config import Config
from model.data import Dataset, grid_lines, load_dataset
from model.errors import NetmorphError
from model.network import Step
from model.pipeline import Layout
from model.store import load_or_train
from model.trace import INPUT, Stage, trace
from model.view import Area, MorphPath

FLOOR = 0.1  # share of the replay split equally between all moves, whatever they change

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


@dataclass(frozen=True)
class TrainingFilm:
    """Everything a training-over-time scene draws, per snapshot."""

    dataset: Dataset  # the data
    points: np.ndarray  # (n, 2) every drawn input point: classes, then the grid, row by row
    steps: list[int]  # optimiser step of each snapshot
    accuracies: list[float]  # training accuracy of each snapshot, 0..1
    losses: list[float]  # training cross-entropy of each snapshot (no weight penalty)
    boundaries: list[list[np.ndarray]]  # per snapshot, input-space 0.5 curves, each (m, 2)
    hidden: MorphPath  # step k moves the hidden picture from snapshot k-1 to snapshot k
    layout: Layout  # which rows of ``points`` (and of every hidden picture) are which set
    hidden_label: str  # which layer the hidden picture shows, e.g. "hidden layer 3 of 3: …"
    hidden_width: int  # that layer's width
    times: np.ndarray  # (n_snapshots,) when each snapshot is reached, 0 (first) .. 1 (last)

    def input_path(self, area: Area) -> MorphPath:
        """The input plane alone (one stage) fitted into ``area``, framed to the class points.

        Its ``keyframe_frame(0)`` is the input with its axes; ``place_input`` puts any
        input-space points (the boundary curves) where the input is drawn.
        """
        return MorphPath(
            [Stage(INPUT, self.points)],
            area,
            labels=self.layout.labels(),
            class_names=self.dataset.class_names,
        )

    def position_at(self, alpha: float) -> tuple[int, float]:
        """(move, t) at moment ``alpha`` ∈ [0, 1] of the replay: move k (from snapshot k-1 to
        snapshot k, as :attr:`hidden` counts steps) and the fraction t ∈ [0, 1] of it done."""
        alpha = float(np.clip(alpha, 0.0, 1.0))
        move = int(np.searchsorted(self.times, alpha, side="left"))
        move = min(max(move, 1), len(self.times) - 1)
        start, end = self.times[move - 1], self.times[move]
        t = 1.0 if end <= start else (alpha - start) / (end - start)
        return move, float(np.clip(t, 0.0, 1.0))

    def snapshot_at(self, alpha: float) -> int:
        """The snapshot nearest to moment ``alpha`` of the replay (for the boundary and counter)."""
        move, t = self.position_at(alpha)
        return move if t >= 0.5 else move - 1


def replay_times(accuracies: list[float], losses: list[float], floor: float = FLOOR) -> np.ndarray:
    """(n,) when each snapshot is reached, 0 .. 1, spending time where accuracy or loss change.

    Move k (snapshot k-1 → k) takes ``floor / n_moves + (1 − floor) · w_k`` of the replay, with
    w_k the mean of its share of the total accuracy change and of the total loss change (a
    measure that never changes drops out). A single snapshot is reached at once.
    """
    n = len(accuracies)
    if n != len(losses) or n == 0:
        raise NetmorphError("a replay needs one accuracy and one loss per snapshot")
    if n == 1:
        return np.zeros(1)
    shares = []
    for series in (accuracies, losses):
        change = np.abs(np.diff(np.asarray(series, dtype=np.float64)))  # (n - 1,)
        if change.sum() > 0:
            shares.append(change / change.sum())
    weight = np.mean(shares, axis=0) if shares else np.full(n - 1, 1.0 / (n - 1))
    durations = floor / (n - 1) + (1 - floor) * weight
    return np.concatenate([[0.0], np.cumsum(durations) / durations.sum()])


def training_loss(net: nn.Sequential, data: Dataset) -> float:
    """Mean cross-entropy of ``net`` (ending in softmax) on ``data``'s training points."""
    with torch.no_grad():
        probabilities = net(torch.as_tensor(data.x_train, dtype=torch.float32)).double()
    chosen = probabilities[torch.arange(len(data.y_train)), torch.as_tensor(data.y_train)]
    return float(-torch.log(chosen.clamp_min(1e-300)).mean())


def hidden_layer_label(config: Config) -> str:
    """The last hidden layer, named: e.g. ``hidden layer 3 of 3: ReLU(W₃h + b₃)``."""
    layer = len(config.hidden)
    i = str(layer).translate(_SUBSCRIPTS)
    name = f"hidden layer {layer} of {layer}"
    if not config.activations:
        return f"{name}: W₁x + b₁"
    act = check_activation(config.activations[-1])
    return f"{name}: {act.label}(W{i}h + b{i})"


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
    layout = Layout(
        classes=tuple(slice(a - len(x), a) for x, a in zip(data.x_plot, ends)),
        grid=slice(ends[-2], ends[-1]),
        grid_shape=grid.shape[:2],
        boundary=slice(ends[-1], ends[-1]),  # the boundary is drawn in input space only
        boundary_lengths=(),
    )
    hidden_stages, boundaries, losses = [], [], []
    for snapshot in network.snapshots:
        net = network.network_at(snapshot)
        last_hidden = trace(net, points)[-3]  # before the read-out's Dense and softmax
        step = Step("snapshot", f"step{snapshot.step}", "")
        hidden_stages.append(Stage(step, last_hidden.values))
        boundaries.append(decision_boundary(net, lo, hi, resolution=81))
        losses.append(training_loss(net, data))
    accuracies = [s.accuracy for s in network.snapshots]
    return TrainingFilm(
        dataset=data,
        points=points,
        steps=[s.step for s in network.snapshots],
        accuracies=accuracies,
        losses=losses,
        boundaries=boundaries,
        hidden=MorphPath(hidden_stages, area, labels=layout.labels(), class_names=data.class_names),
        layout=layout,
        hidden_label=hidden_layer_label(config),
        hidden_width=hidden_stages[0].width,
        times=replay_times(accuracies, losses),
    )
