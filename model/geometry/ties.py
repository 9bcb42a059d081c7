"""The decision boundary of a network with 3 to 8 classes: where the top two classes tie.

With more than two classes the boundary is the set where the two most probable classes are
equally probable. For each pair of classes (a, b) the curve z_a = z_b is found as the two-class
boundary is (:func:`model.boundary.decision_boundary`, through a read-out whose logit difference
is z_b − z_a), and only its stretches where a and b are the top two are kept: the rest of that
curve lies inside a third class's region. Each kept vertex has equal top-two probabilities to
float64 precision; like the two-class boundary, the curves are traced through every stage.

Examples::

    curves = tie_boundary(net, lo, hi)      # list of (m, 2) polylines
    regions = class_regions(net, lo, hi)    # (r, r) predicted class, row 0 at the top
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np

from model.geometry.boundary import decision_boundary, logit_body
from model.network.numpy_net import Affine, NumpyNet

if TYPE_CHECKING:  # pragma: no cover
    from torch import nn

TOP_TWO_SLACK = 1e-9  # a vertex whose pair is within this of the top two logits counts as tied


def logits(net: NumpyNet | nn.Sequential, points: np.ndarray) -> np.ndarray:
    """(n, k) float64 logits (before softmax) of points of shape (n, 2)."""
    return logit_body(net)(points)


def pair_readout(net: NumpyNet | nn.Sequential, a: int, b: int) -> NumpyNet:
    """A float64 network whose logit difference z₁ − z₀ is ``net``'s z_b − z_a."""
    body = logit_body(net)
    k = next(layer.out_features for layer in reversed(body.layers) if isinstance(layer, Affine))
    head = np.zeros((2, k))
    head[0, a] = 1.0
    head[1, b] = 1.0
    return NumpyNet((*body.layers, Affine(head, np.zeros(2))))


def tie_boundary(
    net: NumpyNet | nn.Sequential, lo: np.ndarray, hi: np.ndarray, resolution: int = 161
) -> list[np.ndarray]:
    """Curves in the box [lo, hi] where the network's two most probable classes tie, longest
    first; each (m, 2) float64."""
    curves: list[np.ndarray] = []
    net = logit_body(net)  # once, not once per pair
    n_classes = logits(net, np.zeros((1, 2))).shape[1]
    for a, b in itertools.combinations(range(n_classes), 2):
        for curve in decision_boundary(pair_readout(net, a, b), lo, hi, resolution):
            z = logits(net, curve)  # (m, k)
            pair = np.maximum(z[:, a], z[:, b])
            others = np.delete(z, [a, b], axis=1).max(axis=1)
            scale = 1.0 + np.abs(z).max(axis=1)
            curves += _runs(curve, pair >= others - TOP_TWO_SLACK * scale)
    return sorted(curves, key=len, reverse=True)


def _runs(curve: np.ndarray, keep: np.ndarray) -> list[np.ndarray]:
    """The stretches of ``curve`` where ``keep`` holds, each at least two vertices long."""
    edges = np.flatnonzero(np.diff(np.r_[0, keep.astype(int), 0]))
    return [curve[s:e] for s, e in zip(edges[::2], edges[1::2]) if e - s >= 2]


def class_regions(
    net: NumpyNet | nn.Sequential, lo: np.ndarray, hi: np.ndarray, resolution: int = 240
) -> np.ndarray:
    """(resolution, resolution) int64: the class predicted at each cell centre of [lo, hi], row 0
    at the top (as :func:`model.boundary.class_map`, for any number of classes)."""
    xs = lo[0] + (np.arange(resolution) + 0.5) / resolution * (hi[0] - lo[0])
    ys = hi[1] - (np.arange(resolution) + 0.5) / resolution * (hi[1] - lo[1])
    cells = np.stack(np.meshgrid(xs, ys, indexing="xy"), axis=-1).reshape(-1, 2)
    return logits(net, cells).argmax(axis=1).reshape(resolution, resolution)
