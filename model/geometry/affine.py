"""Affine routes: how an affine step x ↦ Wx + b carries the points from its input to its output.

A scene chooses one with its ``affine_path`` attribute (the documented name); here, and in
everything below the scenes, it is the affine *route*.

``"linear"`` is the recipe's straight line (1−t)·x + t·(Wx + b). It is simple but, for a rotation
by more than 90°, it squeezes the picture through a flat, singular moment that the network never
computes.

``"polar"`` moves the linear part as a turn plus a stretch: W = R·S (polar decomposition, R a
rotation, S symmetric positive semi-definite), R_t = expm(t·log R), S_t = (1−t)·I + t·S, and the
bias slides in as t·b. R_t is a rotation and S_t is positive definite for t < 1, so a step whose
map is invertible passes only through invertible pictures.

A step that changes width works in the larger dimension D (points padded with zeros):

- widening (d → m, m > d): W is completed to a square [W | C] whose extra columns are orthogonal to
  W's columns. They multiply the padded zeros, so the end point is exactly Wx + b.
- narrowing (d → m, m < d): W is completed to [W; C] with extra rows orthogonal to W's rows, and the
  extra output coordinates are squashed by (1−t) so they reach 0 at t = 1.

The completion is scaled by W's mean singular value (so the stretch stays balanced) and signed so
det > 0. A square W with det < 0 has an improper R: it is split into a rotation and a mirror
I − 2vvᵀ across R's (−1)-axis v, and the mirror closes linearly, I − 2t·vvᵀ, flattening the
picture only at t = ½ (unavoidable: det changes sign).
:func:`model.geometry.orient.orient_hidden_units` removes such layers where it can.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg

from model.errors import NetmorphError
from model.geometry.rotations import Turn, rotation_log

AFFINE_ROUTES = ("linear", "polar")


def check_affine_route(name: object) -> str:
    """``name`` if it is a known affine route, else a NetmorphError listing them."""
    if name not in AFFINE_ROUTES:
        raise NetmorphError(
            f"unknown affine route {name!r}: choose one of {', '.join(map(repr, AFFINE_ROUTES))}"
        )
    return name


def pad(values: np.ndarray, width: int) -> np.ndarray:
    """(n, width) copy of (n, d ≤ width) values with zero columns appended."""
    out = np.zeros((values.shape[0], width))
    out[:, : values.shape[1]] = values
    return out


def square_up(weight: np.ndarray) -> np.ndarray:
    """A (D, D) matrix, D = max(m, d), whose top-left (m, d) block is ``weight`` (m, d).

    The added columns (widening) or rows (narrowing) are orthogonal to W's and have length W's
    mean singular value; the first of them is signed so the determinant is not negative.
    """
    m, d = weight.shape
    if m == d:
        return weight.copy()
    u, s, vt = np.linalg.svd(weight)  # full: u (m, m), vt (d, d)
    scale = float(s.mean()) if s.max() > 0 else 1.0
    if m > d:
        square = np.hstack([weight, u[:, d:] * scale])  # (m, m)
        if np.linalg.det(square) < 0:
            square[:, d] *= -1
    else:
        square = np.vstack([weight, vt[m:] * scale])  # (d, d)
        if np.linalg.det(square) < 0:
            square[m] *= -1
    return square


@dataclass(frozen=True)
class PolarRoute:
    """The affine step x ↦ Wx + b as a turn, a stretch and a slide, in D = max(m, d) dims."""

    rotation: Turn  # R_t = expm(t·log R), (D, D)
    stretch: np.ndarray  # (D, D) symmetric PSD: S_t = (1−t)·I + t·S
    mirror: np.ndarray | None  # (D,) unit axis v of a reflection (det W < 0), else None
    bias: np.ndarray  # (D,) b padded with zeros
    n_in: int  # d: the input's width
    n_out: int  # m: coordinates from m on are squashed to 0 (narrowing steps)

    @classmethod
    def of(cls, weight: np.ndarray, bias: np.ndarray) -> PolarRoute:
        """The polar route of ``weight`` (m, d) and ``bias`` (m,)."""
        weight = np.asarray(weight, dtype=np.float64)
        m, d = weight.shape
        rotation, stretch = scipy.linalg.polar(square_up(weight), side="right")  # W = R·S
        mirror = None
        if np.linalg.det(rotation) < 0:
            # R's eigenvalue −1 exists for an improper rotation: its axis is the null vector of
            # R + I. R·H (H = I − 2vvᵀ) is then proper, and R = (R·H)·H.
            mirror = np.linalg.svd(rotation + np.eye(len(rotation)))[2][-1]
            rotation = rotation @ (np.eye(len(rotation)) - 2 * np.outer(mirror, mirror))
        return cls(
            rotation=Turn(rotation_log(rotation)),
            stretch=(stretch + stretch.T) / 2,
            mirror=mirror,
            bias=pad(np.asarray(bias, dtype=np.float64)[None], max(m, d))[0],
            n_in=d,
            n_out=m,
        )

    @property
    def dim(self) -> int:
        """D, the width the route moves in."""
        return len(self.bias)

    def linear_at(self, t: float) -> np.ndarray:
        """(D, D) linear part at time t: identity at 0, the squared-up W at 1 (extra rows 0)."""
        eye = np.eye(self.dim)
        linear = self.rotation.at(t)
        if self.mirror is not None:
            linear = linear @ (eye - 2 * t * np.outer(self.mirror, self.mirror))
        linear = linear @ ((1 - t) * eye + t * self.stretch)
        linear[self.n_out :] *= 1 - t  # narrowing: the dropped coordinates fade out
        return linear

    def apply(self, points: np.ndarray, t: float) -> np.ndarray:
        """(n, D) positions at time t of (n, d) input ``points``; Wx + b (padded) at t = 1."""
        # pad(points, D) @ Lᵀ, without the padded copy: its zero columns meet L's last columns.
        return points @ self.linear_at(t)[:, : points.shape[1]].T + t * self.bias
