"""The softmax stage of 3 to 8 classes on a fixed scale: the probability simplex, flattened.

A point's class probabilities p (k,) sum to 1, so they are a point of the simplex; it is drawn
at Σ pᵢvᵢ, where v₀…v_{k−1} are the corners of a fixed regular polygon (a triangle for three
classes). A corner is one class for certain (its one-hot point), the centre is 1/k for every
class, and a point's distance to a corner shows how sure the network is. The polygon never
depends on the data, so an undecided network's points crowd the centre, visibly. For three
classes the map is exact (barycentric coordinates); for more, several probability vectors can
share a position, so the picture is read by corners and centre, not as coordinates.

Coordinates are probability units: the polygon's corners lie on the unit circle, the first at
the top, the rest clockwise.
"""

from __future__ import annotations

import numpy as np

MARGIN = 0.22  # room around the polygon for the corner names
CENTRE_MARK = 0.045  # half-length of the cross that marks the centre


def corners(k: int) -> np.ndarray:
    """(k, 2) the regular polygon's corners on the unit circle, first at the top, clockwise."""
    angles = np.pi / 2 - 2 * np.pi * np.arange(k) / k
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


def picture(probabilities: np.ndarray) -> np.ndarray:
    """(n, 2) positions Σ pᵢvᵢ of (n, k) probabilities."""
    p = np.asarray(probabilities, dtype=np.float64)
    return p @ corners(p.shape[1])


def box(k: int) -> np.ndarray:
    """(2, 2) the fixed picture box [lo, hi] around the polygon and its corner names."""
    v = corners(k)
    return np.stack([v.min(axis=0) - MARGIN, v.max(axis=0) + MARGIN])


def outline(k: int) -> np.ndarray:
    """(k + 2, 2, 2) segments: the polygon's edges, then a cross at the centre (1/k each)."""
    v = corners(k)
    edges = np.stack([v, np.roll(v, -1, axis=0)], axis=1)
    cross = np.array(
        [[[-CENTRE_MARK, 0.0], [CENTRE_MARK, 0.0]], [[0.0, -CENTRE_MARK], [0.0, CENTRE_MARK]]]
    )
    return np.concatenate([edges, cross])


def labels(class_names: tuple[str, ...]) -> list[tuple[str, np.ndarray]]:
    """Each corner's class name just outside it, and the centre's "1/k each" above the cross."""
    k = len(class_names)
    v = corners(k)
    named = [(name, corner * (1 + 0.08)) for name, corner in zip(class_names, v)]
    fraction = "⅓" if k == 3 else f"1/{k}"
    # Above the cross, towards the first corner: the tie lines leave the centre away from corners.
    return [*named, (f"{fraction} each", np.array([0.0, 4.4 * CENTRE_MARK]))]
