"""The trace: a network's output after every affine step, every activation step and softmax."""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from model.errors import NetmorphError
from model.network.layers import Step, describe_steps

INPUT = Step("input", "input", "input: the data")


@dataclass(frozen=True)
class Stage:
    """The point set as it stands after one step of the chain (or the input, stage 0)."""

    step: Step  # what produced this stage
    values: np.ndarray  # (n_points, width) float64

    @property
    def width(self) -> int:
        """The stage's dimension."""
        return self.values.shape[1]


def trace(net: nn.Sequential, points: np.ndarray) -> list[Stage]:
    """Every stage of ``net`` applied to ``points`` of shape (n_points, 2), input first.

    Runs in float64 so the picture carries no float32 rounding; raises NetmorphError if a stage is
    not finite.
    """
    net64 = copy.deepcopy(net).double().eval()
    h = torch.as_tensor(np.asarray(points, dtype=np.float64))
    stages = [Stage(INPUT, h.numpy().copy())]
    with torch.no_grad():
        for step, module in zip(describe_steps(net64), net64):
            h = module(h)
            values = h.numpy().copy()
            if not np.isfinite(values).all():
                raise NetmorphError(
                    f"step {step.name!r} produced non-finite values: the inputs or weights are "
                    "too large; check the data, or retrain with a fresh cache"
                )
            stages.append(Stage(step, values))
    return stages
