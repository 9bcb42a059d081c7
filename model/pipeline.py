"""From a config to everything a scene draws: data → network → trace → view, in one call.

A network found in the checkpoint cache is drawn without importing torch: everything here runs
on its numpy forward pass (:mod:`model.network.numpy_net`); torch is imported only to train one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from model.data.dataset import Dataset, grid_lines
from model.data.registry import load_dataset
from model.geometry.boundary import class_map, decision_boundary
from model.geometry.folds import fold_lines
from model.geometry.orient import orient_hidden_units
from model.geometry.ties import class_regions, tie_boundary
from model.geometry.trace import Stage, trace
from model.network.config import Config
from model.network.numpy_net import NumpyNet
from model.picture.layout import Layout
from model.picture.view import MANIM_FRAME, Area, Ball, MorphTimeline
from model.train.checkpoint_reader import Checkpoint
from model.train.checkpoints import checkpoint_path, load_cached, load_or_train

if TYPE_CHECKING:  # pragma: no cover
    from model.train.results import TrainedNetwork


@dataclass(frozen=True)
class Morph:
    """A trained network traced on the plotted data and grid, ready to draw."""

    dataset: Dataset  # the data drawn
    checkpoint: Checkpoint  # the network's weights and how it was trained
    net: NumpyNet  # the network traced: ``checkpoint.net()``, or a reordering of the same
    checkpoint_file: Path | None  # where the cache keeps it (None: trained without the cache)
    accuracy: float  # training accuracy, 0..1
    stages: list[Stage]  # input first, softmax last
    layout: Layout  # how to split a stage's rows into classes and grid
    timeline: MorphTimeline  # scene coordinates at any moment
    regions: np.ndarray  # (r, r) the predicted class over the input box, row 0 at the top
    region_box: tuple[np.ndarray, np.ndarray]  # (lo, hi) input-space corners of ``regions``


def prepare(
    config: Config,
    cache_dir: Path | str | None,
    *,
    area: Area | Ball | None = None,
    view: str = "first2",
    affine_route: str = "linear",
    density: int = 1,
    boundary: bool = True,
    grid_lines_per_side: int = 21,
    grid_samples: int = 161,
    progress: bool = True,
    trained: TrainedNetwork | None = None,
    folds: bool = False,
    frame_size: tuple[float, float] = MANIM_FRAME,
) -> Morph:
    """Train or load ``config``'s network and trace the plotted points and grid through it.

    ``view`` and ``affine_route`` are :class:`MorphTimeline`'s; a polar route traces a copy of the
    network with its hidden units reordered so no square layer mirrors the plane (same function).
    ``density`` multiplies the number of plotted points and grid lines (for scale tests);
    ``boundary`` adds the network's 0.5-probability curves to the traced points;
    ``cache_dir=None`` trains without the checkpoint cache; ``trained`` draws that network
    (a user's own, :func:`model.train.results.as_trained`) instead of training ``config``'s;
    ``folds`` adds where each ReLU-family unit switches (:func:`model.geometry.folds.fold_lines`);
    ``frame_size`` is the render's frame (scene units), where a class too small to see is
    measured (a scene passes Manim's config).
    """
    data = load_dataset(config.dataset, density)
    if trained is None:
        checkpoint, checkpoint_file = load_checkpoint(config, cache_dir, progress=progress)
    else:
        checkpoint, checkpoint_file = Checkpoint.of(trained), None
    net = checkpoint.net()
    lo, hi = data.grid_box()
    side = max(1, round(np.sqrt(density)))
    grid = grid_lines(lo, hi, (grid_lines_per_side - 1) * side + 1, grid_samples)
    # The 0.5-probability curves are just more points: traced like the data, they show where
    # each layer puts the decision, down to a straight line in the logits.
    find_boundary = decision_boundary if data.n_classes == 2 else tie_boundary
    curves = find_boundary(net, lo, hi) if boundary else []
    fold_curves = [line.curve for line in fold_lines(net, lo, hi)] if folds else []
    layout, points = Layout.stack(data.x_plot, grid, curves, fold_curves)
    traced_net = orient_hidden_units(net) if affine_route == "polar" else net
    stages = trace(traced_net, points)
    return Morph(
        dataset=data,
        checkpoint=checkpoint,
        net=traced_net,
        checkpoint_file=checkpoint_file,
        # Measured again in float64 on the drawn points' dataset, as the trace computes.
        accuracy=float((net(data.x_train).argmax(-1) == data.y_train).mean()),
        stages=stages,
        layout=layout,
        timeline=MorphTimeline(
            stages,
            area,
            view=view,
            affine_route=affine_route,
            net=traced_net,
            labels=layout.labels(),
            class_names=data.class_names,
            frame_size=frame_size,
        ),
        regions=(class_map if data.n_classes == 2 else class_regions)(net, lo, hi),
        region_box=(lo, hi),
    )


def load_checkpoint(
    config: Config, cache_dir: Path | str | None, *, progress: bool = True
) -> tuple[Checkpoint, Path | None]:
    """``config``'s checkpoint from the cache (read without torch), or trained and cached; and
    its file (None without the cache)."""
    cached = load_cached(config, cache_dir)
    if cached is not None and cache_dir is not None:
        return cached, checkpoint_path(config, cache_dir)
    trained, checkpoint_file = load_or_train(config, cache_dir, progress=progress)
    return Checkpoint.of(trained), checkpoint_file
