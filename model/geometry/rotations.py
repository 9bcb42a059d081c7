"""Rotations: a proper rotation's real logarithm, the closest rotation, the turn between pictures.

The closest rotation is Procrustes'; the turn is between two 2-D pictures.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg


def rotation_log(rotation: np.ndarray) -> np.ndarray:
    """A real skew-symmetric L with expm(L) = ``rotation``, a (d, d) orthogonal matrix, det +1.

    ``scipy.linalg.logm`` turns complex for a turn by π; the real Schur form reads each rotation
    plane's angle off directly: 2×2 blocks [[cos θ, −sin θ], [sin θ, cos θ]] and ±1 on the
    diagonal, where the −1s come in pairs (a turn by π) because the determinant is +1.
    """
    dim = rotation.shape[0]
    block, basis = scipy.linalg.schur(rotation, output="real")
    log = np.zeros((dim, dim))
    half_turns: list[int] = []
    i = 0
    while i < dim:
        # LAPACK leaves an exact zero below the diagonal between 1×1 blocks.
        if i + 1 < dim and block[i + 1, i] != 0.0:
            sine = (block[i + 1, i] - block[i, i + 1]) / 2
            cosine = (block[i, i] + block[i + 1, i + 1]) / 2
            angle = np.arctan2(sine, cosine)
            log[i + 1, i], log[i, i + 1] = angle, -angle
            i += 2
            continue
        if block[i, i] < 0:
            half_turns.append(i)
        i += 1
    if len(half_turns) % 2:
        raise ValueError("rotation_log needs a proper rotation (det +1)")
    for i, j in zip(half_turns[::2], half_turns[1::2]):
        log[j, i], log[i, j] = np.pi, -np.pi
    log = basis @ log @ basis.T
    return (log - log.T) / 2  # skew-symmetric up to rounding: make it exactly so


def procrustes(a: np.ndarray, b: np.ndarray, det: float = 1.0) -> np.ndarray:
    """The orthogonal (k, k) Q with determinant sign ``det`` that minimises ‖a·Q − b‖.

    ``a`` and ``b`` are (n, k). With ``det=+1`` this is the Kabsch rotation: it equals
    ``scipy.linalg.orthogonal_procrustes(a, b)`` whenever that one is proper, and otherwise flips
    the axis that costs least, so the match never mirrors.
    """
    k = a.shape[1]
    if k == 0:
        return np.eye(0)
    u, _, vt = np.linalg.svd(a.T @ b)
    signs = np.ones(k)
    # det(u·vt) is ±1; it is the sign the unconstrained optimum would have.
    signs[-1] = np.sign(det) * np.sign(np.linalg.det(u @ vt))
    return (u * signs) @ vt


def rotation_angle(a: np.ndarray, b: np.ndarray) -> float:
    """Angle in radians, (−π, π], of the rotation that best carries (n, 2) ``a`` onto ``b``.

    Both are centred first (least squares, i.e. 2-D Procrustes / Kabsch): positive is
    counter-clockwise. 0 when either picture is a single point.
    """
    return float(turn_angles(np.stack([a, b]))[0])


def turn_angles(pictures: np.ndarray) -> np.ndarray:
    """(k − 1,) :func:`rotation_angle` between consecutive pictures of a (k, n, 2) sequence."""
    centred = pictures - pictures.mean(axis=1, keepdims=True)
    a, b = centred[:-1], centred[1:]
    cross = np.sum(a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0], axis=1)
    dot = np.sum(a * b, axis=(1, 2))
    return np.arctan2(cross, dot)  # arctan2(0, 0) is 0: a single point does not turn


def film_turn_angles(rows: np.ndarray, maps: np.ndarray) -> np.ndarray:
    """(k − 1,) :func:`turn_angles` of the film whose picture j is ``rows @ maps[j]`` (plus any
    shift common to all points), without forming a picture: (n, m) rows, (k, m, 2) maps.

    Centring removes the shift, and both sums :func:`turn_angles` takes over the points are
    entries of Mⱼᵀ·(Z̃ᵀZ̃)·Mⱼ₊₁ with Z̃ the centred rows: an (m, m) Gram matrix once, then
    2×2 products, rather than k pictures of every point.
    """
    centred = rows - rows.mean(axis=0)
    gram = centred.T @ centred  # (m, m)
    pairs = maps[:-1].transpose(0, 2, 1) @ gram @ maps[1:]  # (k − 1, 2, 2): Σ aᵢᵀ bᵢ
    cross = pairs[:, 0, 1] - pairs[:, 1, 0]
    dot = pairs[:, 0, 0] + pairs[:, 1, 1]
    return np.arctan2(cross, dot)


def plane_rotation(angle: float) -> np.ndarray:
    """(2, 2) R with ``picture @ R`` the (n, 2) picture turned counter-clockwise by ``angle``."""
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, s], [-s, c]])


class Turn:
    """The one-parameter rotation t ↦ expm(t·L) of a skew-symmetric (d, d) L, cheap at any t.

    i·L is Hermitian, so one ``eigh`` gives L = V·diag(−i·w)·Vᴴ and expm(t·L) =
    V·diag(e^(−i·t·w))·Vᴴ: a small matrix product a frame, where ``scipy.linalg.expm`` costs
    milliseconds even for 3×3.
    """

    def __init__(self, log: np.ndarray) -> None:
        self.log = np.asarray(log, dtype=np.float64)  # (d, d) skew-symmetric
        self._freqs, self._vectors = np.linalg.eigh(1j * self.log)

    @classmethod
    def padded(cls, turn: Turn, dim: int) -> Turn:
        """The same turn in a space with extra, unmoved, coordinates: (dim, dim)."""
        log = np.zeros((dim, dim))
        log[: len(turn.log), : len(turn.log)] = turn.log
        return cls(log)

    def at(self, t: float) -> np.ndarray:
        """(d, d) rotation expm(t·L): the identity at 0, expm(L) at 1."""
        phases = np.exp(-1j * t * self._freqs)
        return ((self._vectors * phases) @ self._vectors.conj().T).real
