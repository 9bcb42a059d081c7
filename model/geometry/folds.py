"""Fold lines: where each hidden unit of a ReLU-family layer switches, as input-space curves.

A ReLU unit folds the plane along the set where its pre-activation z_j(x) is 0: on one side it
passes z_j on, on the other it flattens it (leaky ReLU, ELU: bends it; GELU, SiLU, softplus:
bend it smoothly around 0). That set is found exactly as the decision boundary is
(:func:`model.boundary.decision_boundary`), by giving it a read-out whose logit difference *is*
z_j: the network up to the unit's layer, then a 2-output head (0, z_j). The curves are ordinary
points: traced through the network with the data, they carry the folds through every stage.

Examples::

    lines = fold_lines(net, lo, hi)          # list of FoldLine
    curves = [line.curve for line in lines]  # (m, 2) each
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.errors import NetmorphError
from model.geometry.boundary import decision_boundary
from model.network.numpy_net import Affine, Elementwise, NumpyNet, as_numpy

if TYPE_CHECKING:  # pragma: no cover
    from torch import nn

# Activations that switch at z = 0: kinked (ReLU, leaky ReLU, ELU) or bent smoothly there.
FOLDING = ("relu", "leaky_relu", "elu", "gelu", "silu", "softplus")


@dataclass(frozen=True)
class FoldLine:
    """One piece of the curve where one hidden unit's pre-activation is 0."""

    position: int  # index in the network's chain of the activation the unit feeds
    unit: int  # the unit's index in that layer
    curve: np.ndarray  # (m, 2) input-space vertices, in order


def _is_folding(layer: object) -> bool:
    return isinstance(layer, Elementwise) and layer.activation in FOLDING


def pre_activation(net: NumpyNet | nn.Sequential, position: int, unit: int) -> NumpyNet:
    """A float64 network whose logit difference z₁ − z₀ is unit ``unit``'s input to the
    activation at ``position`` of ``net``: ``net[:position]`` then the head (0, z_unit)."""
    before = as_numpy(net).layers[:position]
    width = next(layer.out_features for layer in reversed(before) if isinstance(layer, Affine))
    head = np.zeros((2, width))
    head[1, unit] = 1.0
    return NumpyNet((*before, Affine(head, np.zeros(2))))


def fold_lines(
    net: NumpyNet | nn.Sequential, lo: np.ndarray, hi: np.ndarray, resolution: int = 161
) -> list[FoldLine]:
    """Every fold line of ``net``'s ReLU-family units inside the box [lo, hi].

    Raises NetmorphError when no layer folds (tanh, sigmoid and identity bend no line).
    """
    lines: list[FoldLine] = []
    net = as_numpy(net)
    folding = [i for i, layer in enumerate(net) if _is_folding(layer)]
    if not folding:
        raise NetmorphError(
            "show_folds draws where ReLU-family units switch (relu, leaky_relu, elu, gelu, silu, "
            "softplus); this network has none: set show_folds = False or use such an activation"
        )
    for position in folding:
        before = reversed(net.layers[:position])
        width = next(layer.out_features for layer in before if isinstance(layer, Affine))
        for unit in range(width):
            pre = pre_activation(net, position, unit)
            for curve in decision_boundary(pre, lo, hi, resolution):
                lines.append(FoldLine(position, unit, curve))
    return lines
