"""The trace: a network's output after every affine step, every activation step and softmax.

Each output is a :class:`Stage`. What a timeline moves between is any :class:`Keyframe`: a
stage, or a training film's snapshot (:class:`model.film.SnapshotStage`), which a hop of
training reaches, not a step of the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from model.errors import NetmorphError
from model.network.numpy_net import NumpyNet, as_numpy
from model.network.steps import Step, describe_steps

if TYPE_CHECKING:  # pragma: no cover
    from torch import nn

INPUT = Step("input", "input", "input: the data")


class Keyframe(Protocol):
    """A point set a timeline moves to and from: its values, what it is, and its width."""

    @property
    def values(self) -> np.ndarray:
        """(n_points, width) float64."""

    @property
    def kind(self) -> str:
        """What produced it: a step's kind ("input", "affine", "activation", "softmax"), or
        "snapshot" for a training film's keyframe."""

    @property
    def name(self) -> str:
        """Its name in messages: the step's section name, or the snapshot's iteration."""

    @property
    def width(self) -> int:
        """Its dimension."""


@dataclass(frozen=True)
class Stage:
    """The point set as it stands after one step of the chain (or the input, stage 0)."""

    step: Step  # what produced this stage
    values: np.ndarray  # (n_points, width) float64

    @property
    def width(self) -> int:
        """The stage's dimension."""
        return self.values.shape[1]

    @property
    def kind(self) -> str:
        """The kind of step that produced it (a :class:`Keyframe`'s kind)."""
        return self.step.kind

    @property
    def name(self) -> str:
        """The step's section name (a :class:`Keyframe`'s name)."""
        return self.step.name


def trace(net: NumpyNet | nn.Sequential, points: np.ndarray) -> list[Stage]:
    """Every stage of ``net`` applied to ``points`` of shape (n_points, 2), input first.

    Runs in float64 (in numpy, :mod:`model.network.numpy_net`) so the picture carries no float32
    rounding; raises NetmorphError if a stage is not finite.
    """
    net = as_numpy(net)
    h = np.array(points, dtype=np.float64)
    stages = [Stage(INPUT, h)]
    for step, layer in zip(describe_steps(net), net):
        h = layer(h)
        if not np.isfinite(h).all():
            raise NetmorphError(
                f"step {step.name!r} produced non-finite values: the inputs or weights are "
                "too large; check the data, or retrain with a fresh cache"
            )
        stages.append(Stage(step, h))
    return stages
