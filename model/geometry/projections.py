"""Projections: how a stage of any width becomes a 2-D or 3-D picture, and how the camera moves.

Every stage gets a *basis*: a (max(width, p), p) matrix with orthonormal columns, p = 2 or 3; its
picture is ``pad(values) @ basis`` (n, p). Views choose the bases:

- ``"first2"``: the recipe's: the first two coordinates.
- ``"pca"``: the stage's two principal axes, aligned to the previous stage's picture.
- ``"3d"``: stages up to 3 wide as they are (2-D ones in the z = 0 plane), wider ones on their
  three principal axes, aligned the same way.
- ``"readout"``: what the network does with the stage: → the direction along which the logit
  difference f = z₁ − z₀ grows (least squares; at the last hidden stage exactly the read-out's
  w₁ − w₀), ↑ the largest other spread (see :func:`readout_axes`). The input is drawn as it is;
  the second axis is signed so consecutive pictures do not mirror. For more than two classes
  it falls back to ``"pca"``'s bases.

Alignment. A principal axis has no preferred sign, so a fresh PCA would flip or spin the picture
from one stage to the next for no reason in the network. Each PCA basis is first oriented so its
picture matches the previous picture without a mirror (the cross-covariance has det ≥ 0; the
orientation carried along the chain from the input), then turned by the proper rotation
(det +1, Kabsch/Procrustes) that best matches the previous picture. Procrustes minimises the
squared distance between the two pictures, i.e. the total travel of a straight-line morph.
Stage 0 is aligned to its own coordinates, so a 2-D input is drawn as it is.

Between two stages the camera turns rigidly: :class:`BasisTurn` finds a rotation G of the move's
whole space with G·basis_a = basis_b, disturbing the unseen directions as little as possible, and
moves along expm(t·log G) (optionally after riding along the points' own turn). The projection
stays orthonormal (no shear) and lands exactly on each stage's basis. :class:`SlidingBasis`
(a straight-line morph between two pictures) and :class:`SteadyBasis` (a turn of the picture
in its own plane, on a schedule) serve the 2-D aligned views; :func:`plan_turns` decides how far
each of their pictures may turn, see :meth:`model.picture.camera.ViewPlan.moving_basis`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from model.errors import NetmorphError
from model.geometry.affine import pad
from model.geometry.metrics import best_normal
from model.geometry.rotations import Turn, plane_rotation, procrustes, rotation_log
from model.geometry.trace import Keyframe

VIEWS = ("first2", "pca", "3d", "readout")
SEPARATION_MARGIN = 0.01  # readout: accuracy the recipe's picture must beat it by to be used
CHECK_POINTS = 1000  # readout: about this many data points decide that


def check_view(name: object) -> str:
    """``name`` if it is a known view, else a NetmorphError listing them."""
    if name not in VIEWS:
        raise NetmorphError(f"unknown view {name!r}: choose one of {', '.join(map(repr, VIEWS))}")
    return name


def view_dims(view: str) -> int:
    """p, the dimension of the pictures ``view`` draws."""
    return 3 if view == "3d" else 2


def standard_basis(width: int, p: int) -> np.ndarray:
    """(max(width, p), p) basis of the first p coordinates."""
    return np.eye(max(width, p), p)


def principal_axes(values: np.ndarray, p: int) -> np.ndarray:
    """(D, p) top-p principal axes of (n, width) values, D = max(width, p).

    Directions the data does not span (rank < p) are filled with the first standard axes made
    orthogonal to the others: they carry no spread, so they change the picture only by a shift.
    """
    points = pad(values, max(values.shape[1], p))  # (n, D)
    dim = points.shape[1]
    _, spread, axes = np.linalg.svd(points - points.mean(axis=0), full_matrices=False)
    rank = int((spread > 1e-9 * spread[0]).sum()) if spread.size and spread[0] > 0 else 0
    basis = axes[: min(rank, p)].T  # (D, r)
    for axis in np.eye(dim):
        if basis.shape[1] == p:
            break
        rest = axis - basis @ (basis.T @ axis)
        norm = np.linalg.norm(rest)
        if norm > 1e-6:
            basis = np.c_[basis, rest / norm]
    return basis


def align(basis: np.ndarray, values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """``basis`` (D, p) oriented and turned so its picture best matches ``reference`` (n, p).

    Returns ``oriented_frame @ rotation`` with det(rotation) = +1, see the module docstring.
    """
    picture = pad(values, basis.shape[0]) @ basis
    picture = picture - picture.mean(axis=0)
    target = reference - reference.mean(axis=0)
    basis = basis.copy()
    if np.linalg.det(picture.T @ target) < 0:
        basis[:, -1] *= -1
        picture[:, -1] *= -1
    return basis @ procrustes(picture, target, det=1.0)


def logit_difference(stages: Sequence[Keyframe]) -> np.ndarray | None:
    """(n,) f = z₁ − z₀ of every row: the read-out's output (the last affine stage), or None
    when there is no 2-wide read-out (more classes, or no affine step)."""
    readouts = [s for s in stages if s.kind == "affine"]
    if not readouts or readouts[-1].width != 2:
        return None
    z = readouts[-1].values
    return z[:, 1] - z[:, 0]


def readout_axes(
    values: np.ndarray, score: np.ndarray, labels: np.ndarray | None = None
) -> np.ndarray | None:
    """(D, 2) basis [u, v] of (n, width) data ``values`` whose ``score`` (n,) the network
    computes, D = max(width, 2).

    u is the direction along which the score grows, from the least-squares fit of the centred
    score on the centred values: the best linear read-out of the score from this stage, so for
    the last hidden stage (score affine in it) exactly the read-out's w₁ − w₀. At earlier stages
    it is the linear part of what the rest of the network does, averaged over the data (for
    roughly Gaussian data, the mean gradient, by Stein's lemma); a least-squares fit uses only
    the trace, needs no derivatives of the activations and is deterministic.

    v is the largest spread left orthogonal to u, unless the classes (0/1 ``labels``) separate
    visibly better (by more than :data:`SEPARATION_MARGIN` of the points) along some direction
    of the stage's first two coordinates, the recipe's picture: then v is that direction's part
    orthogonal to u, so the picture contains it and never separates less than ``"first2"``.

    None when the score is not linearly readable at all (a stage of one point, or a score
    uncorrelated with every direction).
    """
    dim = max(values.shape[1], 2)
    points = pad(values, dim)
    points = points - points.mean(axis=0)  # (n, D)
    score = score - score.mean()
    beta = np.linalg.lstsq(points, score, rcond=1e-10)[0]  # (D,) min-norm: in the data's span
    fitted = points @ beta
    if not np.linalg.norm(fitted) > 1e-9 * max(float(np.linalg.norm(score)), 1e-300):
        return None
    u = beta / np.linalg.norm(beta)
    rest = points - np.outer(points @ u, u)  # (n, D): what u does not explain
    v = principal_axes(rest, 1)[:, 0]
    v = v - u * (u @ v)  # rank < 2: the filler axis may lean on u
    if np.linalg.norm(v) < 1e-6:
        v = principal_axes(np.outer(np.ones(2), u), 2)[:, 1]  # any unit axis ⟂ u
    basis = np.c_[u, v / np.linalg.norm(v)]
    if labels is not None and dim > 2:
        every = slice(None, None, -(-len(points) // CHECK_POINTS))  # an even subsample is enough
        shown, _ = best_normal(points[every] @ basis, labels[every])
        if shown >= 1 - SEPARATION_MARGIN:
            return basis  # nothing to gain
        recipe, angle = best_normal(points[every, :2], labels[every])
        v = np.zeros(dim)
        v[:2] = np.cos(angle), np.sin(angle)  # the recipe picture's best normal, in D dims
        v -= u * (u @ v)
        if recipe > shown + SEPARATION_MARGIN and np.linalg.norm(v) > 1e-6:
            basis = np.c_[u, v / np.linalg.norm(v)]
    return basis


def data_rows(
    classes: Sequence[slice | np.ndarray], n_rows: int
) -> tuple[np.ndarray | slice, np.ndarray | None]:
    """The rows of the data points among ``n_rows`` (all when ``classes`` is empty), and their
    class index as 0/1 labels when there are exactly two classes (else None)."""
    if not classes:
        return slice(None), None
    index = [np.arange(n_rows)[c] for c in classes]
    labels = np.repeat(np.arange(len(index)), [len(i) for i in index])
    return np.concatenate(index), labels if len(index) == 2 else None


def fit_bases(
    stages: Sequence[Keyframe], view: str, classes: Sequence[slice | np.ndarray] = ()
) -> list[np.ndarray]:
    """One basis per stage, each (max(width, p), p), for ``view``.

    ``classes`` are the rows of each class of data points (:class:`model.pipeline.Layout`'s);
    the ``"readout"`` view is fitted to them only (grid samples and boundary vertices are not
    data), to all rows when there are none.
    """
    p = view_dims(check_view(view))
    rows, labels = data_rows(classes, len(stages[0].values))
    score = logit_difference(stages) if view == "readout" else None
    bases: list[np.ndarray] = []
    for k, stage in enumerate(stages):
        as_it_is = view == "first2" or (view == "3d" and stage.width <= 3)
        if as_it_is or (view == "readout" and k == 0):  # the input is drawn as it is
            bases.append(standard_basis(stage.width, p))
            continue
        if bases:
            reference = project(stages[len(bases) - 1].values, bases[-1])
        else:
            reference = pad(stage.values, max(stage.width, p))[:, :p]
        readout = None
        if score is not None:
            readout = readout_axes(stage.values[rows], score[rows], labels)
        if readout is not None:
            basis = orient_readout(readout, stage.values[rows], reference[rows])
        else:
            basis = align(principal_axes(stage.values, p), stage.values, reference)
        if bases and len(basis) == len(bases[-1]) == p:
            basis = keep_orientation(basis, stage.values, bases[-1])
        bases.append(basis)
    return bases


def orient_readout(basis: np.ndarray, values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """A readout ``basis`` (D, 2) with its second axis signed so its picture of ``values`` does
    not mirror the ``reference`` picture (n, 2); the first axis keeps the score's direction."""
    picture = project(values, basis)
    picture = picture - picture.mean(axis=0)
    if np.linalg.det(picture.T @ (reference - reference.mean(axis=0))) < 0:
        basis = basis * [1.0, -1.0]
    return basis


def keep_orientation(basis: np.ndarray, values: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """``basis`` (p, p), mirrored across its picture's flat direction if that avoids a mirror
    between it and the ``previous`` (p, p) basis.

    Two square bases of opposite orientation cannot be turned into each other. When the picture
    is flat in some direction (e.g. softmax outputs on the line p₁ + p₂ = 1), mirroring across
    that direction only shifts the picture, so the choice is free: take the one the camera can
    turn into.
    """
    if np.linalg.det(basis) * np.linalg.det(previous) > 0:
        return basis
    picture = project(values, basis)  # (n, p)
    _, spread, directions = np.linalg.svd(picture - picture.mean(axis=0), full_matrices=False)
    if spread.size == basis.shape[1] and spread[-1] > 1e-9 * max(spread[0], 1e-300):
        return basis  # a real mirror: the picture has spread in every direction
    flat = directions[-1]  # (p,) unit direction with no spread
    return basis @ (np.eye(len(flat)) - 2 * np.outer(flat, flat))


def project(values: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """(n, p) picture of (n, width) values in a (D ≥ width, p) basis."""
    return pad(values, basis.shape[0]) @ basis


def pad_rows(basis: np.ndarray, dim: int) -> np.ndarray:
    """The (dim, p) basis of a (D ≤ dim, p) basis in a space padded with zero coordinates."""
    out = np.zeros((dim, basis.shape[1]))
    out[: basis.shape[0]] = basis
    return out


def complement(basis: np.ndarray) -> np.ndarray:
    """(D, D − p) orthonormal basis of the directions a (D, p) basis does not see."""
    full = np.linalg.qr(basis, mode="complete")[0]  # (D, D)
    return full[:, basis.shape[1] :]


@dataclass(frozen=True)
class BasisTurn:
    """A camera moving from basis ``start`` to basis ``end`` (both (D, p)) by rigid turns.

    Optionally the camera first rides along a rotation of the points (``carry``, e.g. the
    turn of a polar affine route), then turns the rest of the way: basis(t) = T_t·C_t·start with
    C_t = expm(t·log C), T_t = expm(t·log T), T·C·start = end. Riding along cancels a turn
    of the points that the aligned pictures do not show, so the picture does not spin for it.
    """

    start: np.ndarray  # (D, p)
    end: np.ndarray  # (D, p)
    turn: Turn | None  # T_t, (D, D); None when the bases mirror each other
    carry: Turn | None = None  # C_t, (D, D): a rotation of the points ridden along, or None

    @classmethod
    def between(cls, start: np.ndarray, end: np.ndarray, carry: Turn | None = None) -> BasisTurn:
        """The turn whose final part T (T·C·start = end) moves the unseen directions least."""
        carried = start if carry is None else carry.at(1.0) @ start
        log = turn_log(carried, end)
        return cls(start, end, None if log is None else Turn(log), carry)

    def at(self, t: float) -> np.ndarray:
        """(D, p) basis at time t ∈ [0, 1]: exactly ``start`` at 0 and ``end`` at 1."""
        if t <= 0:
            return self.start
        if t >= 1:
            return self.end
        basis = self.start if self.carry is None else self.carry.at(t) @ self.start
        if self.turn is None:
            # A mirror cannot be turned into: blend, flattening the picture at one instant.
            return (1 - t) * basis + t * self.end
        return self.turn.at(t) @ basis


def turn_log(start: np.ndarray, end: np.ndarray) -> np.ndarray | None:
    """log G of a turn G ∈ SO(D) with G·start = end ((D, p) bases), or None if none exists.

    With D > p the unseen directions are matched as closely as a turn allows (Procrustes), so G
    is small when the bases are close. With D = p, G = end·startᵀ is forced, and it is a turn
    only if the bases have the same orientation.
    """
    dim, p = start.shape
    if np.array_equal(start, end):
        return np.zeros((dim, dim))
    if dim == p:
        turn = end @ start.T
        return None if np.linalg.det(turn) < 0 else rotation_log(turn)
    hidden_start = complement(start)  # (D, D − p)
    if np.linalg.det(np.c_[start, hidden_start]) < 0:
        hidden_start[:, 0] *= -1
    hidden_end = complement(end)
    sign = np.sign(np.linalg.det(np.c_[end, hidden_end]))
    hidden_end = hidden_end @ procrustes(hidden_end, hidden_start, det=sign)
    turn = np.c_[end, hidden_end] @ np.c_[start, hidden_start].T  # (D, D), det +1
    return rotation_log(turn)


@dataclass(frozen=True)
class SlidingBasis:
    """Bases under which a moving state is seen as the straight-line morph of two pictures.

    The state at time t is x·L(t)ᵀ + t·b for the move's inputs x, with L(t) invertible for
    t < 1 (the polar route's linear part). Seen through L(t)⁻ᵀ·M(t), M(t) = (1−t)·start +
    t·target, its picture is x·M(t) plus a shift common to all points (t·b·L(t)⁻ᵀ·M(t) − t·b·end,
    zero at both ends): every point slides straight from its picture in ``start`` to its picture
    in ``end``. The bases are not orthonormal in between (a straight morph is no rigid view).
    """

    start: np.ndarray  # (D, 2) the first stage's basis
    end: np.ndarray  # (D, 2) the last stage's basis
    target: np.ndarray  # (D, 2) Wᵀ·end: the last picture as a linear image of the inputs
    linear: Callable[[float], np.ndarray]  # t ↦ (D, D) L(t)

    def at(self, t: float) -> np.ndarray:
        """(D, 2) basis at time t ∈ [0, 1]: exactly ``start`` at 0 and ``end`` at 1."""
        if t <= 0:
            return self.start
        if t >= 1:
            return self.end
        return np.linalg.solve(self.linear(t).T, (1 - t) * self.start + t * self.target)


@dataclass(frozen=True)
class SteadyBasis:
    """A moving basis whose picture is also turned in its own plane by a tabulated angle.

    ``base`` decides which plane of the move's space is seen at each moment; the in-plane angle
    χ(t) (linear between the tabulated ``times``) decides how the picture of that plane is
    turned on screen. A 2-D picture's turn can so be scheduled freely without changing what is
    seen: see :meth:`model.picture.view.MorphTimeline.moving_basis`.
    """

    base: BasisTurn | SlidingBasis  # the plane seen at each moment, (D, 2) bases
    times: np.ndarray  # (k,) increasing parameters of the move, 0 first and 1 last
    angles: np.ndarray  # (k,) radians: χ at each time
    start: np.ndarray  # (D, 2): base.start turned by angles[0], exactly the move's first basis
    end: np.ndarray  # (D, 2): base.end turned by angles[-1], exactly the move's last basis

    def at(self, t: float) -> np.ndarray:
        """(D, 2) basis at time t ∈ [0, 1]: exactly ``start`` at 0 and ``end`` at 1."""
        if t <= 0:
            return self.start
        if t >= 1:
            return self.end
        return self.base.at(t) @ plane_rotation(float(np.interp(t, self.times, self.angles)))


ANGLE_GRID = np.radians(0.5)  # the spacing of plan_turns' grid of cumulative turns


def plan_turns(turns: np.ndarray, weights: np.ndarray, cap: float) -> tuple[np.ndarray, np.ndarray]:
    """How far each move's 2-D picture turns, and how far each stage's picture leans.

    ``turns`` (n,) are the moves' own turns in radians (each measured along the move between
    the unleaned bases); a stage's picture *leans* by φ when it is drawn turned by φ from its
    unleaned basis. Leaning stage k by φ_k adds φ_k − φ_(k−1) to move k's turn. The input
    (stage 0) never leans. Chosen here: the cumulative turns T_k (T_0 = 0) with
    |T_k − T_(k−1)| ≤ ``cap`` that minimise Σ weights_k·d(φ_k)², d the distance to the nearest
    whole turn (a lean by 2π is no lean), plus a tie-break of 10⁻⁶·Σ turn² so the camera turns
    least. Exact dynamic programming over T on a grid of :data:`ANGLE_GRID`; a stage within one
    grid spacing of no lean gets none. With ``cap`` large enough, nothing leans.

    Returns the planned turns (n,) and the leans (n + 1,), both in radians, with
    planned_k = turns_k + lean_k − lean_(k−1).
    """
    turns = np.asarray(turns, dtype=np.float64)
    n = len(turns)
    targets = np.cumsum(turns)  # C_k: the cumulative turn with no lean
    reach = min(n * cap, 4 * np.pi)
    grid = np.arange(-reach, reach + ANGLE_GRID / 2, ANGLE_GRID)  # candidate T values
    band = int(np.floor(cap / ANGLE_GRID + 1e-9))

    def off(x: np.ndarray) -> np.ndarray:
        return (x + np.pi) % (2 * np.pi) - np.pi

    cost = np.where(np.abs(grid) < ANGLE_GRID / 2, 0.0, np.inf)  # T_0 = 0
    back = []
    for k in range(n):
        best = np.full_like(cost, np.inf)
        arg = np.zeros(len(grid), dtype=int)
        for shift in range(-band, band + 1):  # T_k = T_(k−1) + shift·ANGLE_GRID
            prev = np.full_like(cost, np.inf)
            if shift >= 0:
                prev[shift:] = cost[: len(cost) - shift]
            else:
                prev[:shift] = cost[-shift:]
            candidate = prev + 1e-6 * (shift * ANGLE_GRID) ** 2
            better = candidate < best
            best[better] = candidate[better]
            arg[better] = np.arange(len(grid))[better] - shift
        cost = best + weights[k] * off(grid - targets[k]) ** 2
        back.append(arg)
    index = int(np.argmin(cost))
    cumulative = np.zeros(n + 1)
    for k in range(n - 1, -1, -1):
        cumulative[k + 1] = grid[index]
        index = back[k][index]
    leans = np.r_[0.0, cumulative[1:] - targets]  # not wrapped: T_k − T_(k−1) stays planned
    near = np.abs(off(leans)) < ANGLE_GRID
    leans[near] = 2 * np.pi * np.round(leans[near] / (2 * np.pi))  # exactly whole turns
    planned = turns + np.diff(leans)
    return planned, leans
