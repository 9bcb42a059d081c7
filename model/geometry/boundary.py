"""The decision boundary: where the network is undecided (probability 0.5), as input-space curves.

The boundary is the zero set of the logit difference ``f(x) = z₁(x) − z₀(x)`` (softmax gives
class 1 probability 0.5 exactly there). Marching squares on a fine grid finds which grid edges it
crosses and in what order; bisection along each crossed edge then puts every vertex on the
boundary to float64 precision. Bisection, not Newton: it cannot jump to another branch or stall
on a ReLU network's flat pieces, and a crossed edge always brackets a root.

The curves are ordinary points: trace them with :func:`model.geometry.trace.trace` and they stay
on the boundary through every stage, landing on the line z₀ = z₁ in the 2-D logit stage.

Examples::

    lo, hi = data.grid_box()
    curves = decision_boundary(net, lo, hi)       # list of (m, 2) polylines
    stages = trace(net, np.concatenate(curves))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.network.numpy_net import NumpyNet, as_numpy

if TYPE_CHECKING:  # pragma: no cover
    from torch import nn

BISECTIONS = 60  # halvings of a grid edge: 2⁻⁶⁰ of a cell is far below float64 resolution


def logit_body(net: NumpyNet | nn.Sequential) -> NumpyNet:
    """``net`` (torch or numpy) without its softmax, in numpy float64: made once, evaluated
    many times."""
    return as_numpy(net).logits()


def logit_difference(net: NumpyNet | nn.Sequential, points: np.ndarray) -> np.ndarray:
    """``z₁ − z₀`` before the softmax, in float64, for points of shape (n, 2): (n,)."""
    z = logit_body(net)(points)  # (n, 2)
    return z[:, 1] - z[:, 0]


def class_probability(net: NumpyNet | nn.Sequential, points: np.ndarray) -> np.ndarray:
    """The network's probability of class 1 at each point of shape (n, 2): (n,) in [0, 1]."""
    # σ(z₁ − z₀) is the two-class softmax, without overflow for large logits.
    return 1.0 / (1.0 + np.exp(-logit_difference(net, points)))


def predicted_class(net: NumpyNet | nn.Sequential, points: np.ndarray) -> np.ndarray:
    """The class the network picks at each point, (n,) int64: e.g. to tint the grid by class."""
    return (logit_difference(net, points) > 0).astype(np.int64)


def class_map(
    net: NumpyNet | nn.Sequential, lo: np.ndarray, hi: np.ndarray, resolution: int = 240
) -> np.ndarray:
    """(resolution, resolution) int64: the class ``net`` predicts at each cell centre of [lo, hi].

    Row 0 is the top of the box (y = hi), as an image is stored: the input plane shaded by what
    the network decided.
    """
    xs = lo[0] + (np.arange(resolution) + 0.5) / resolution * (hi[0] - lo[0])
    ys = hi[1] - (np.arange(resolution) + 0.5) / resolution * (hi[1] - lo[1])
    cells = np.stack(np.meshgrid(xs, ys, indexing="xy"), axis=-1).reshape(-1, 2)
    return predicted_class(net, cells).reshape(resolution, resolution)


def decision_boundary(
    net: NumpyNet | nn.Sequential,
    lo: np.ndarray,
    hi: np.ndarray,
    resolution: int = 161,
) -> list[np.ndarray]:
    """The 0.5-probability curves of ``net`` inside the box [lo, hi], as ordered polylines.

    ``resolution`` grid samples per side find the curves: a boundary loop smaller than a grid
    cell can be missed. Returns a list of (m, 2) float64 arrays, longest first; a closed curve
    repeats its first point at the end. Empty when the network picks one class everywhere.
    """
    net = logit_body(net)  # once, not once per bisection
    xs = np.linspace(lo[0], hi[0], resolution)
    ys = np.linspace(lo[1], hi[1], resolution)
    grid = np.stack(np.meshgrid(xs, ys, indexing="xy"), axis=-1)  # (ny, nx, 2): [j, i] = (xᵢ, yⱼ)
    positive = logit_difference(net, grid.reshape(-1, 2)).reshape(resolution, resolution) > 0
    edges, links = _march(net, grid, positive)
    if not edges:
        return []
    ends_a = np.array([grid[a] for a, _ in edges])  # (n_edges, 2)
    ends_b = np.array([grid[b] for _, b in edges])
    a_positive = np.array([positive[a] for a, _ in edges])
    vertices = _bisect(net, ends_a, ends_b, a_positive)
    curves = [vertices[chain] for chain in _chains(len(edges), links)]
    return sorted(curves, key=len, reverse=True)


def _march(
    net: NumpyNet, grid: np.ndarray, positive: np.ndarray
) -> tuple[list[tuple[tuple[int, int], tuple[int, int]]], list[tuple[int, int]]]:
    """Marching squares: the crossed grid edges and which pairs of them a cell joins.

    An edge is its two grid indices (j, i); a link joins two edge numbers within one cell.
    """
    edge_ids: dict[tuple[tuple[int, int], tuple[int, int]], int] = {}

    def edge(a: tuple[int, int], b: tuple[int, int]) -> int | None:
        if positive[a] == positive[b]:
            return None
        return edge_ids.setdefault((a, b), len(edge_ids))

    # Only cells whose four corners disagree can hold the boundary.
    corners = (
        positive[:-1, :-1].astype(int) + positive[:-1, 1:] + positive[1:, :-1] + positive[1:, 1:]
    )
    links: list[tuple[int, int]] = []
    saddles: list[tuple[int, int, list[int]]] = []
    for j, i in zip(*np.nonzero((corners > 0) & (corners < 4))):
        j, i = int(j), int(i)
        bottom = edge((j, i), (j, i + 1))
        right = edge((j, i + 1), (j + 1, i + 1))
        top = edge((j + 1, i), (j + 1, i + 1))
        left = edge((j, i), (j + 1, i))
        crossed = [e for e in (bottom, right, top, left) if e is not None]
        if len(crossed) == 2:
            links.append((crossed[0], crossed[1]))
        else:  # a saddle: all four edges crossed, ambiguous from the corners alone
            saddles.append((j, i, crossed))  # all four, in order
    if saddles:
        # Resolve each saddle by the network's own sign at the cell centre.
        centres = np.array([(grid[j, i] + grid[j + 1, i + 1]) / 2 for j, i, _ in saddles])
        centre_positive = logit_difference(net, centres) > 0
        for (j, i, (bottom, right, top, left)), c in zip(saddles, centre_positive):
            if c == positive[j, i]:
                # The bottom-left corner's sign joins the centre: cut off the other two corners.
                links += [(bottom, right), (top, left)]
            else:
                links += [(left, bottom), (right, top)]
    ordered = sorted(edge_ids, key=lambda e: edge_ids[e])
    return ordered, links


def _bisect(net: NumpyNet, a: np.ndarray, b: np.ndarray, a_positive: np.ndarray) -> np.ndarray:
    """Points on segments a→b where the logit difference is zero (it changes sign on each)."""
    # Orient every segment from its negative end to its positive end.
    neg = np.where(a_positive[:, None], b, a)  # (n, 2)
    pos = np.where(a_positive[:, None], a, b)
    for _ in range(BISECTIONS):
        mid = (neg + pos) / 2
        f = logit_difference(net, mid)
        up = f > 0
        pos = np.where(up[:, None], mid, pos)
        neg = np.where(up[:, None], neg, mid)
    # Of the two final ends, keep the one nearer the boundary.
    f_neg, f_pos = logit_difference(net, neg), logit_difference(net, pos)
    return np.where((np.abs(f_neg) <= np.abs(f_pos))[:, None], neg, pos)


def _chains(n: int, links: list[tuple[int, int]]) -> list[list[int]]:
    """Walk the links into ordered chains of edge numbers: open ones first, then closed loops.

    Every edge has at most two links (one per cell beside it), so the walk never branches; an
    edge on the box's border has one, and starts or ends an open curve.
    """
    neighbours: list[list[int]] = [[] for _ in range(n)]
    for p, q in links:
        neighbours[p].append(q)
        neighbours[q].append(p)
    seen = np.zeros(n, dtype=bool)
    chains: list[list[int]] = []
    starts = [e for e in range(n) if len(neighbours[e]) == 1] + list(range(n))
    for start in starts:
        if seen[start]:
            continue
        chain = [start]
        seen[start] = True
        current = start
        while True:
            following = [e for e in neighbours[current] if not seen[e]]
            if not following:
                break
            current = following[0]
            seen[current] = True
            chain.append(current)
        if len(neighbours[start]) == 2 and start in neighbours[current] and len(chain) > 2:
            chain.append(start)  # a closed loop ends where it began
        if len(chain) > 1:
            chains.append(chain)
    return chains
