"""Training over time: the network's pictures at each recorded snapshot, ready to draw.

The hidden picture of each snapshot (the output of the last hidden layer, the picture the
read-out must cut with a straight line) becomes one keyframe of a :class:`MorphTimeline` (a
:class:`SnapshotStage`), so a hop from snapshot to snapshot is the same continuous, refitted morph
as a step from layer to layer: move k of the film's timeline is the hop from snapshot k − 1 to
snapshot k.

The default ``view="readout"`` draws each snapshot along *its own* read-out: → is that
snapshot's w₁ − w₀ (the direction its read-out reads) and ↑ the largest other spread, each
picture signed not to mirror the one before. The read-out then cuts the picture with an upright
line, z₁ = z₀, drawn as the hidden picture's boundary: a line sweeping across the classes as the
network learns. The keyframes are those 2-D pictures, moved between by straight lines. Any
other view (``"first2"``, ``"pca"``) is :class:`MorphTimeline`'s own, over the hidden values.

Screen time goes where learning happens. Each hop from one snapshot to the next gets a share of
the replay in proportion to how much it changes the network's fit (by its change of training
accuracy and of training loss, each as a share of its total change), plus a small equal floor so
every hop is seen: :func:`model.narration.training.replay_times`, the clock a training video's
story refines. A stretch where nothing changes (the settling iterations after 100 %) then passes
in a fraction of a second instead of most of the video. :meth:`TrainingFilm.position_at` turns a
moment of the replay into a snapshot and a fraction of the hop.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from model.data.dataset import Dataset, grid_lines
from model.data.registry import load_dataset
from model.errors import NetmorphError
from model.files import written_whole
from model.geometry.boundary import decision_boundary
from model.geometry.projections import (
    check_view,
    orient_readout,
    principal_axes,
    project,
    readout_axes,
)
from model.geometry.trace import INPUT, Stage, trace
from model.narration.training import replay_times
from model.network.activations import check_activation
from model.network.config import Config
from model.picture.layout import Layout
from model.picture.view import MANIM_FRAME, Area, MorphTimeline
from model.train.checkpoints import load_or_train
from model.train.results import TrainedNetwork

GRID_LINES, GRID_SAMPLES = 21, 81  # the input panel's grid: lines per side, samples per line
BOUNDARY_RESOLUTION = 81  # grid samples per side that find each snapshot's boundary
FILM_FORMAT = "netmorph-film/1"  # change when what the film cache holds changes

log = logging.getLogger("netmorph")


@dataclass(frozen=True)
class SnapshotStage:
    """A training film's keyframe: the hidden picture at one snapshot, which a hop of training
    reaches (a :class:`~model.geometry.trace.Keyframe`, not a stage of a network's steps)."""

    iteration: int  # optimiser iterations taken at the snapshot
    values: np.ndarray  # (n_points, width) float64: its hidden picture's values

    @property
    def kind(self) -> str:
        return "snapshot"

    @property
    def name(self) -> str:
        return f"iteration{self.iteration}"

    @property
    def width(self) -> int:
        return self.values.shape[1]


@dataclass(frozen=True)
class TrainingFilm:
    """Everything a training-over-time scene draws, per snapshot."""

    dataset: Dataset  # the data
    points: np.ndarray  # (n, 2) every drawn input point: classes, then the grid, row by row
    iterations: list[int]  # optimiser iterations taken at each snapshot
    accuracies: list[float]  # training accuracy of each snapshot, 0..1
    losses: list[float]  # training cross-entropy of each snapshot (no weight penalty)
    boundaries: list[list[np.ndarray]]  # per snapshot, input-space 0.5 curves, each (m, 2)
    hidden: MorphTimeline  # move k: the hop of the hidden picture from snapshot k-1 to k
    layout: Layout  # which rows of ``points`` (and of every hidden picture) are which set
    hidden_layout: Layout  # the same rows, then (readout view) the read-out's line, 2 rows
    hidden_label: str  # which layer the hidden picture shows, e.g. "last hidden layer · ReLU"
    hidden_width: int  # that layer's width
    view: str  # how the hidden picture is drawn: "readout" (each snapshot's own), "first2"…
    times: np.ndarray  # (n_snapshots,) when each snapshot is reached, 0 (first) .. 1 (last)

    def input_timeline(self, area: Area) -> MorphTimeline:
        """The input plane alone (one stage) fitted into ``area``, framed to the class points.

        Its ``keyframe_frame(0)`` is the input with its axes; ``place_input`` puts any
        input-space points (the boundary curves) where the input is drawn.
        """
        return MorphTimeline(
            [Stage(INPUT, self.points)],
            area,
            labels=self.layout.labels(),
            class_names=self.dataset.class_names,
            frame_size=self.hidden.frame_size,
        )

    def position_at(self, alpha: float) -> tuple[int, float]:
        """(hop, t) at moment ``alpha`` ∈ [0, 1] of the replay: hop k (from snapshot k-1 to
        snapshot k, the move :attr:`hidden` plays) and the fraction t ∈ [0, 1] of it done."""
        alpha = float(np.clip(alpha, 0.0, 1.0))
        hop = int(np.searchsorted(self.times, alpha, side="left"))
        hop = min(max(hop, 1), len(self.times) - 1)
        start, end = self.times[hop - 1], self.times[hop]
        t = 1.0 if end <= start else (alpha - start) / (end - start)
        return hop, float(np.clip(t, 0.0, 1.0))

    def snapshot_at(self, alpha: float) -> int:
        """The snapshot nearest to moment ``alpha`` of the replay (for the boundary and counter)."""
        hop, t = self.position_at(alpha)
        return hop if t >= 0.5 else hop - 1


def training_loss(module: nn.Sequential, data: Dataset) -> float:
    """Mean cross-entropy of ``module`` (ending in softmax) on ``data``'s training points."""
    with torch.no_grad():
        probabilities = module(torch.as_tensor(data.x_train, dtype=torch.float32)).double()
    chosen = probabilities[torch.arange(len(data.y_train)), torch.as_tensor(data.y_train)]
    return float(-torch.log(chosen.clamp_min(1e-300)).mean())


@dataclass(frozen=True)
class SnapshotMeasures:
    """What a film computes of every snapshot: the costly part of a training film's set-up."""

    hidden: list[np.ndarray]  # (n, width) the last hidden layer's values of the drawn points
    scores: list[np.ndarray]  # (n,) their read-out score z₁ − z₀
    boundaries: list[list[np.ndarray]]  # input-space 0.5 curves, each (m, 2)
    losses: list[float]  # training cross-entropy

    def __iter__(self):
        return iter((self.hidden, self.scores, self.boundaries, self.losses))


def snapshot_measures(
    trained: TrainedNetwork, data: Dataset, points: np.ndarray, checkpoint_file: Path | None
) -> SnapshotMeasures:
    """Every snapshot traced on ``points``, its boundary and its loss; cached beside the
    checkpoint (``<name>.film.npz``, for exactly that checkpoint file), so a second render of the
    same film computes none of it."""
    cache, key = None, ""
    if checkpoint_file is not None and checkpoint_file.is_file():  # not when its write failed
        cache = checkpoint_file.with_name(checkpoint_file.stem + ".film.npz")
        key = _film_key(checkpoint_file, points)
        cached = _read_measures(cache, key)
        if cached is not None:
            return cached
    lo, hi = data.grid_box()
    measures = SnapshotMeasures([], [], [], [])
    for snapshot in trained.snapshots:
        module = trained.module_at(snapshot)
        stages = trace(module, points)
        measures.hidden.append(stages[-3].values)  # the last hidden layer: before the read-out
        logits = stages[-2].values
        measures.scores.append(logits[:, 1] - logits[:, 0])
        measures.boundaries.append(
            decision_boundary(module, lo, hi, resolution=BOUNDARY_RESOLUTION)
        )
        measures.losses.append(training_loss(module, data))
    if cache is not None:
        try:
            _write_measures(cache, key, measures)
        except OSError as error:  # a read-only cache still renders, computing each time
            log.info("could not cache the training film at %s (%s)", cache, error)
    return measures


def _film_key(checkpoint_file: Path, points: np.ndarray) -> str:
    """What the cached measures were computed from: this code's format, the checkpoint's bytes
    and the drawn points."""
    digest = hashlib.sha256(FILM_FORMAT.encode())
    digest.update(checkpoint_file.read_bytes())
    digest.update(np.ascontiguousarray(points, dtype=np.float64).tobytes())
    digest.update(f"{BOUNDARY_RESOLUTION}".encode())
    return digest.hexdigest()


def _write_measures(path: Path, key: str, measures: SnapshotMeasures) -> None:
    curves = [c for snapshot in measures.boundaries for c in snapshot]
    with written_whole(path) as f:
        np.savez(
            f,
            key=np.array(key),
            hidden=np.stack(measures.hidden),  # (snapshots, n, width)
            scores=np.stack(measures.scores),  # (snapshots, n)
            losses=np.asarray(measures.losses, dtype=np.float64),
            curves_per_snapshot=np.array([len(s) for s in measures.boundaries], dtype=np.int64),
            curve_lengths=np.array([len(c) for c in curves], dtype=np.int64),
            curve_points=np.concatenate(curves) if curves else np.zeros((0, 2)),
        )


def _read_measures(path: Path, key: str) -> SnapshotMeasures | None:
    """The cached measures at ``path`` if they were computed for ``key``; None otherwise."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            if str(stored["key"]) != key:
                return None
            ends = np.cumsum(stored["curve_lengths"])
            curves = np.split(stored["curve_points"], ends[:-1]) if len(ends) else []
            per_snapshot = np.cumsum(stored["curves_per_snapshot"])
            boundaries = [list(curves[a:b]) for a, b in zip([0, *per_snapshot[:-1]], per_snapshot)]
            return SnapshotMeasures(
                hidden=list(stored["hidden"]),
                scores=list(stored["scores"]),
                boundaries=boundaries,
                losses=[float(v) for v in stored["losses"]],
            )
    except FileNotFoundError:
        return None
    except (OSError, KeyError, ValueError) as error:  # damaged: computed afresh and rewritten
        log.warning("ignoring a damaged training-film cache %s (%s)", path, error)
        return None


def hidden_layer_label(config: Config) -> str:
    """The last hidden layer, named: e.g. ``last hidden layer · ReLU``."""
    name = "last hidden layer"
    if not config.activations:
        return f"{name} · linear"
    return f"{name} · {check_activation(config.activations[-1]).label}"


def readout_pictures(
    hidden: list[np.ndarray], scores: list[np.ndarray], rows: np.ndarray | slice
) -> list[np.ndarray]:
    """(n + 2, 2) pictures of each snapshot's hidden values (n, width) along its own read-out,
    then the two ends of the read-out's line z₁ = z₀ across the data.

    ``scores`` are each snapshot's z₁ − z₀ of the same rows; ``rows`` the data rows the axes
    are fitted to. Each picture's ↑ axis is signed not to mirror the picture before. The score
    of the last hidden layer is affine in it, so along → it is a·u + c exactly and the line is
    u = −c/a. A snapshot whose score no direction reads (all points alike) falls back to its
    principal axes, its line collapsed onto the data's middle.
    """
    pictures: list[np.ndarray] = []
    for values, score in zip(hidden, scores):
        basis = readout_axes(values[rows], score[rows])
        if basis is None:
            basis = principal_axes(values, 2)
        if pictures:
            basis = orient_readout(basis, values[rows], pictures[-1][rows])
        picture = project(values, basis)  # (n, 2)
        data = picture[rows]
        slope, intercept = np.polyfit(data[:, 0], score[rows], 1)
        middle = data.mean(axis=0)
        cut = -intercept / slope if abs(slope) > 1e-12 else middle[0]
        lo, hi = data[:, 1].min(), data[:, 1].max()
        reach = (hi - lo) * 0.08
        line = np.array([[cut, lo - reach], [cut, hi + reach]])  # (2, 2)
        pictures.append(np.concatenate([picture, line]))
    return pictures


def training_film(
    config: Config,
    cache_dir: Path | str | None,
    area: Area,
    *,
    view: str = "readout",
    progress: bool = True,
    frame_size: tuple[float, float] = MANIM_FRAME,
) -> TrainingFilm:
    """Train (or load) ``config`` with snapshots and trace each snapshot's hidden picture.

    ``view`` draws the hidden picture: ``"readout"`` (each snapshot along its own read-out),
    ``"first2"`` or ``"pca"``; ``frame_size`` is the render's frame (scene units), where a class
    too small to see is measured.
    """
    if check_view(view) == "3d":
        raise NetmorphError("a training film is drawn in 2-D: use view='readout' or 'first2'")
    if config.snapshot_every < 1:
        raise NetmorphError("a training film needs snapshots: set snapshot_every to 1 or more")
    trained, checkpoint_file = load_or_train(config, cache_dir, progress=progress)
    data = load_dataset(config.dataset)
    lo, hi = data.grid_box()
    grid = grid_lines(lo, hi, GRID_LINES, GRID_SAMPLES)
    layout, points = Layout.stack(data.x_plot, grid)  # the boundary is drawn in input space only
    hidden, scores, boundaries, losses = snapshot_measures(trained, data, points, checkpoint_file)
    accuracies = [s.accuracy for s in trained.snapshots]
    data_rows = slice(0, layout.grid.start)  # the classes come first
    width = hidden[0].shape[1]
    hidden_layout = layout
    if view == "readout":
        hidden = readout_pictures(hidden, scores, data_rows)
        hidden_layout = layout.with_curves((2,))  # the read-out's line, after the grid
    hidden_stages = [
        SnapshotStage(s.iteration, values) for s, values in zip(trained.snapshots, hidden)
    ]
    hidden_view = "first2" if view == "readout" else view  # readout pictures: drawn as they are
    return TrainingFilm(
        dataset=data,
        points=points,
        iterations=[s.iteration for s in trained.snapshots],
        accuracies=accuracies,
        losses=losses,
        boundaries=boundaries,
        hidden=MorphTimeline(
            hidden_stages,
            area,
            view=hidden_view,
            labels=hidden_layout.labels(),
            class_names=data.class_names,
            frame_size=frame_size,
        ),
        layout=layout,
        hidden_layout=hidden_layout,
        hidden_label=hidden_layer_label(config),
        hidden_width=width,
        view=view,
        times=replay_times(accuracies, losses),
    )
