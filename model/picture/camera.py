"""The view plan: what each moment of the morph shows, seen from where, at what zoom.

A :class:`ViewPlan` turns the trace into pictures: every stage's picture (its projection, or
for the read-out and softmax stages a number line, a histogram or a simplex), the camera's
turn between consecutive stages, the framing (scale and offset) that fits the moving picture
into its area, and the stretch of a sliver's thin axis. :class:`~model.picture.composer.
FrameComposer` then decides what is drawn on those pictures.

Three choices shape it:

- ``view`` (see :mod:`model.geometry.projections`): how a stage becomes a picture. ``"first2"``
  (the recipe's first two coordinates), ``"readout"`` (the direction the network reads and the
  largest other spread, any width), ``"pca"`` (two aligned principal axes, any width) or
  ``"3d"`` (true 3-D positions, wider layers on three aligned principal axes).
- ``affine_route`` (see :mod:`model.geometry.affine`): how an affine step moves the points.
  ``"linear"`` (the recipe's straight line) or ``"polar"`` (turn + stretch + slide; needs the
  network's weights). Activation and softmax steps always move along straight lines.
- the fitting region: an :class:`~model.picture.frame.Area` of the 2-D frame, or a
  :class:`~model.picture.frame.Ball` for the 3-D view (centred, so a camera can orbit it).

Pictures that are not projections. In 2-D, with ``probability_axis`` (the default), the logits of
a two-class network are drawn as what they are, the read-out's margin z₁ − z₀ on a number line
(the boundary at 0, class 0 stacked above it and class 1 below, :func:`model.picture.
probability.line_picture`), and its softmax on the fixed 0–1 probability axis; 3 to 8 classes'
logits are seen on the plane softmax cannot tell apart from them (the simplex's own, every logit
shifted by their mean), their softmax on the fixed simplex. A move into or out of a number line,
histogram or simplex blends the two pictures in scene space.

At time t of a move the points' full-width state is interpolated first, then seen through a
basis that turns continuously from the stage before to the stage after, so the motion is
continuous even when the two stages are projected differently, and lands exactly on each
stage's picture.

Framing lerps the two keyframes' bounding boxes with the same t, grown where a curved route leaves
them, so every point stays inside the framed box and the zoom moves continuously. Consecutive
stages can differ in size by 40× or more, so the move's parameter u is re-timed to make the
picture's extent change geometrically: the zoom runs at a steady rate, and every frame still
shows exactly an interpolated state, only reached at another time.

Slivers. A stage whose picture is far thinner one way than the other (a linear network's hidden
stages are 30 px bands) is drawn stretched across its thin side, by a whole factor stated on
screen ("↑ drawn ×12"): the stretch is part of the stated view, eased geometrically between
stages (:meth:`ViewPlan.stretch_matrix_at`).

Turning. A 2-D picture whose camera turns ("readout", "pca") never turns more than
:data:`MAX_MOVE_TURN` in a move, and turns at a rate proportional to the scene's time, not the
move's parameter's: see :meth:`ViewPlan.moving_basis`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from model.geometry.affine import PolarRoute, pad
from model.geometry.metrics import turn_angles
from model.geometry.projections import (
    BasisTurn,
    SlidingBasis,
    SteadyBasis,
    data_rows,
    fit_bases,
    pad_rows,
    plan_turns,
    project,
    view_dims,
)
from model.geometry.rotations import Turn, film_turn_angles, plane_rotation
from model.geometry.trace import Keyframe
from model.picture import probability, simplex
from model.picture.frame import Area, Ball, bounding_box, fit_box
from model.picture.moves import INPUT_MOVE, stage_before

# The most a 2-D picture turns in one move. At the scenes' 2 s morph with Manim's ``smooth``
# (whose peak rate is 2.53× its mean), 60° peaks at 76°/s: under a quarter turn per second.
MAX_MOVE_TURN = np.radians(60.0)
TURN_SAMPLES = 129  # parameters u at which a move's turn is measured and scheduled
LEAN_WEIGHT = 1e3  # readout view: how much more the last hidden stage (and later) must not lean
MARGIN = 0.04  # the framed box reaches this share of the data's size beyond it on every side
THIN = 0.12  # a picture whose two spreads' ratio is below this is a sliver: its thin side is
THICK = 0.3  # stretched by the least whole factor that brings the ratio up to this
MAX_STRETCH = 12.0  # never more: a picture that would need it is drawn as the line it is
SPIN = 30.0  # degrees a stretch may add to a neighbouring move's turn (more: not stretched)


class ViewPlan:
    """Every moment's picture of ``stages`` and its framing (see the module docstring).

    ``labels`` (n,) are each row's class (< 0: grid, boundary or fold rows, which are not data);
    the framing and the ``"readout"`` view are fitted to the data rows.
    """

    def __init__(
        self,
        stages: Sequence[Keyframe],
        area: Area | Ball,
        *,
        view: str,
        weights: dict[int, tuple[np.ndarray, np.ndarray]],
        labels: np.ndarray,
        probability_axis: bool = True,
    ) -> None:
        self.stages = stages
        self.area = area
        self.view = view
        self.dims = view_dims(view)  # p: 2 or 3
        self.weights = weights  # affine steps' (W, b), by move: the polar routes need them
        self.labels = labels
        self.data_rows = np.flatnonzero(labels >= 0)
        # A slice when the data rows come first (they do from model.pipeline): no copy per frame.
        contiguous = len(self.data_rows) and self.data_rows[-1] == len(self.data_rows) - 1
        self.data_view = slice(0, len(self.data_rows)) if contiguous else self.data_rows
        self._polar: dict[int, PolarRoute] = {}
        self._turns: dict[int, BasisTurn | SlidingBasis | SteadyBasis] = {}
        n = len(labels)
        classes = tuple(np.flatnonzero(labels == c) for c in np.unique(labels[self.data_rows]))
        self._rows = data_rows(classes, n)[0]  # the data's rows
        self._own: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # see _own_turn
        self._last_picture: tuple[tuple[int, float], tuple[np.ndarray, np.ndarray]] | None = None
        self._steady = self.dims == 2 and view != "first2"  # a 2-D camera that turns
        self._unleaned = fit_bases(stages, view, classes)  # each (max(width, p), p)
        self.logits = _logits_stage(stages) if self.dims == 2 and probability_axis else None
        if self.logits is not None and stages[self.logits].width > 2:
            # 3+ classes: the logits on softmax's own plane, corners where the simplex has them.
            self._unleaned[self.logits] = _simplex_basis(stages[self.logits].width)
        self.bases = self._lean_bases()  # each (max(width, p), p)
        self.keyframes = [project(s.values, f) for s, f in zip(stages, self.bases)]  # (n, p)
        # Pictures that are not projections: drawn in their own units, reached by a blend.
        self.fixed: set[int] = set()  # on a fixed scale (probabilities)
        self.special: set[int] = set()  # fixed, or the two-class logits' number line
        last = len(stages) - 1
        if probability_axis and self.dims == 2 and stages[last].kind == "softmax":
            values = stages[last].values
            self.keyframes[last] = (
                probability.histogram_picture(values[:, 1], labels)
                if values.shape[1] == 2
                else simplex.picture(values)
            )
            self.fixed.add(last)
            self.special.add(last)
        if self.logits is not None and stages[self.logits].width == 2:
            z = stages[self.logits].values
            self.line = probability.LogitLine.of(z[:, 1] - z[:, 0], labels)
            self.keyframes[self.logits] = self.line.picture
            self.special.add(self.logits)
        # Slivers are stretched across their thin side; every box is of the picture as drawn.
        slivers = [
            (1.0, np.array([0.0, 1.0]))
            if k in self.special or self.dims != 2
            else sliver_stretch(key[self.data_rows])
            for k, key in enumerate(self.keyframes)
        ]
        self.stretches = [factor for factor, _ in slivers]  # each ≥ 1, a whole number
        self.stretch_axes = [axis for _, axis in slivers]  # each (2,): the thin side
        for k, factor in enumerate(self.stretches):
            if factor > 1.0 and self._stretch_spins(k):
                self.stretches[k] = 1.0
        self.boxes = [self._keyframe_box(k) for k in range(len(stages))]  # each (2, p)
        self.extents = [self.extent(box) for box in self.boxes]

    def _stretch_spins(self, k: int) -> bool:
        """Whether stretching stage ``k`` would make a move next to it spin: a stretch eased
        in over a picture lying across it (a diagonal line) turns that picture by up to a
        half turn. Measured as the data's total turn over each neighbouring move, with the
        stretch and without, on a coarse film; :data:`SPIN` more is a spin."""
        rows = np.arange(len(self.labels))[self._rows][:: max(1, len(self.data_rows) // 300)]
        for move in (k, k + 1):
            if not 1 <= move <= len(self.stages) - 1 or self.blended(move):
                continue
            turned = []
            for stretched in (True, False):
                film = []
                for u in np.linspace(0.0, 1.0, 17):
                    camera = self._unleaned_basis(move).at(u)
                    picture = self.state_at(move, float(u), rows) @ camera
                    if stretched:
                        picture = picture @ self.stretch_matrix_at(move, float(u))
                    film.append(picture)
                turned.append(float(np.degrees(np.abs(turn_angles(np.stack(film)))).sum()))
            if turned[0] - turned[1] > SPIN:
                return True
        return False

    def _keyframe_box(self, k: int) -> np.ndarray:
        """(2, p) stage ``k``'s picture box as drawn (stretched), grown by :data:`MARGIN`."""
        if k in self.fixed:
            width = self.stages[k].width
            return probability.BOX if width == 2 else simplex.box(width)
        if k in self.special:
            return self.line.box
        return _grown(bounding_box(self.stretched(self.keyframes[k], k)[self.data_rows]))

    def stretched(self, picture: np.ndarray, k: int) -> np.ndarray:
        """``picture`` (n, p) of stage ``k`` stretched as drawn."""
        return picture if self.stretches[k] == 1.0 else picture @ self.stretch_matrix(k)

    def stretch_matrix(self, k: int) -> np.ndarray:
        """(2, 2) symmetric: stage ``k``'s picture is drawn as ``picture @ matrix``."""
        axis = self.stretch_axes[k]
        return np.eye(2) + (self.stretches[k] - 1.0) * np.outer(axis, axis)

    def stretch_note(self, k: int) -> str:
        """What stage ``k``'s stretch is, as the scale bar says it ("↑ drawn ×12")."""
        x, y = self.stretch_axes[k]  # pointing up
        arrows = "→↗↑↖←"  # every 45° from the right, counter-clockwise
        side = arrows[round(np.degrees(np.arctan2(y, x)) / 45.0) % 5]
        return f"{side} drawn ×{self.stretches[k]:g}"

    @property
    def n_moves(self) -> int:
        """Moves through the stages (one per step of the chain, or hop of a film), from 1."""
        return len(self.keyframes) - 1

    def move_dim(self, move: int) -> int:
        """D, the width ``move`` moves in: both stages' widths and the picture's fit."""
        return max(self.stages[move - 1].width, self.stages[move].width, self.dims)

    def blended(self, move: int) -> bool:
        """Whether ``move`` moves into or out of a picture that is not a projection: it is then
        a scene-space blend of its two held pictures."""
        return move in self.special or move - 1 in self.special

    def polar_route(self, move: int) -> PolarRoute:
        """The polar route of the affine step that ``move`` plays (built once)."""
        if move not in self._polar:
            self._polar[move] = PolarRoute.of(*self.weights[move])
        return self._polar[move]

    def moving_basis(self, move: int) -> BasisTurn | SlidingBasis | SteadyBasis:
        """The camera's basis during ``move`` (built once).

        In the aligned views ("pca", "readout", "3d") the camera rides along a polar route's
        rotation: the aligned keyframes already leave that turn out, so showing it would spin
        the picture away and back. "first2" keeps its camera on the coordinates and shows the
        turn: that is the map's own rotation in the drawn plane.

        A 2-D camera that turns ("pca", "readout") is steadied in its picture plane: its
        picture turns through the move's planned angle (see :meth:`_lean_bases`) at a rate
        proportional to the scene's time, whatever the plane seen does on the way. Measured
        turn by turn (2-D Procrustes between nearby moments), the base basis' own turn ψ(u) is
        cancelled and replaced by θ·t(u), t the time at which the move reaches u
        (:meth:`retime` inverted): a shape that deforms through the move no longer spins
        back and forth, and a fast zoom no longer hurries the turn.
        """
        if move not in self._turns:
            unleaned = self._unleaned_basis(move)
            if self._steady:
                times, own = self._own_turn(move)
                lean = self._leans[move - 1]
                angles = lean + self._planned[move - 1] * self._time_of(move, times) - own
                dim = self.move_dim(move)
                start, end = pad_rows(self.bases[move - 1], dim), pad_rows(self.bases[move], dim)
                self._turns[move] = SteadyBasis(unleaned, times, angles, start, end)
            else:
                self._turns[move] = unleaned
        return self._turns[move]

    def _unleaned_basis(self, move: int) -> BasisTurn | SlidingBasis:
        """The camera between the unleaned bases of ``move``: a rigid turn, or in the readout
        view a narrowing polar route's straight-line morph of its two pictures.

        The read-out step (last hidden stage → logits) narrows, and a rigid camera can lose
        the picture's height on the way (the squashed directions carry it away before the
        kept ones bring it in). Both its pictures have the read-out axis f = z₁ − z₀ first,
        so along a straight-line morph that axis only rescales, and the other axis slides
        between two coordinates whose parts beyond f agree in sign (the readout bases do
        not mirror): the picture never passes through a line.
        """
        dim = self.move_dim(move)
        start = pad_rows(self._unleaned[move - 1], dim)
        end = pad_rows(self._unleaned[move], dim)
        if move not in self.weights or self.view == "first2":
            return BasisTurn.between(start, end)
        polar = self.polar_route(move)
        if self.view == "readout" and polar.n_out < polar.n_in:
            weight = np.zeros((dim, dim))
            weight[: polar.n_out, : polar.n_in] = self.weights[move][0]
            return SlidingBasis(start, end, weight.T @ end, polar.linear_at)
        return BasisTurn.between(start, end, Turn.padded(polar.rotation, dim))

    def _own_turn(self, move: int) -> tuple[np.ndarray, np.ndarray]:
        """(TURN_SAMPLES,) parameters u and the data's picture turn ψ there (radians, from
        0), seen through the unleaned camera: the move's turn left to itself."""
        if move not in self._own:
            times = np.linspace(0.0, 1.0, TURN_SAMPLES)
            unleaned = self._unleaned_basis(move)
            rows, maps = self._film_factors(move, times, [unleaned.at(u) for u in times])
            self._own[move] = times, np.r_[0.0, np.cumsum(film_turn_angles(rows, maps))]
        return self._own[move]

    def _film_factors(
        self, move: int, times: np.ndarray, each: list[np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The data's pictures ``state_at(move, u) @ camera`` at each parameter u and its (D, p)
        camera, as factors: (n_data, m) rows Z and (len(times), m, p) maps M with picture
        j = Z @ M[j] + (a shift that is the same for every point)."""
        cameras = np.stack(each)  # (k, D, p)
        dim = self.move_dim(move)
        before = self.stages[move - 1].values[self._rows]
        if move in self.weights:
            polar = self.polar_route(move)  # state = pad(x, D') @ Lᵀ + u·b, then zeros to D
            seen = cameras[:, : polar.dim]  # (k, D', p)
            linear = np.stack([polar.linear_at(float(u)).T for u in times]) @ seen
            return pad(before, polar.dim), linear  # the bias only shifts the picture
        after = self.stages[move].values[self._rows]
        u = times[:, None, None]
        # (1 − u)·before @ camera + u·after @ camera, as one product of [before, after].
        rows = np.concatenate([pad(before, dim), pad(after, dim)], axis=1)
        return rows, np.concatenate([(1 - u) * cameras, u * cameras], axis=1)

    def _time_of(self, move: int, u: np.ndarray) -> np.ndarray:
        """The times t ∈ [0, 1] at which ``move`` reaches parameters ``u``."""
        times = np.linspace(0.0, 1.0, 4 * TURN_SAMPLES)
        reached = np.array([self.retime(move, float(t)) for t in times])
        return np.interp(u, reached, times)

    def _lean_bases(self) -> list[np.ndarray]:
        """The unleaned bases, each turned in its picture plane by the planned lean.

        A 2-D picture that turns more than :data:`MAX_MOVE_TURN` in a move would spin, so the
        turn is spread over the moves around it (:func:`model.geometry.projections.plan_turns`):
        the stages in between lean, drawn turned from their unleaned bases. In the readout view
        the last hidden stage and every later one lean only when no plan can avoid it, so its
        read-out direction stays exactly to the right; the input never leans.
        """
        n = len(self.stages) - 1
        self._leans = np.zeros(n + 1)
        self._planned = np.zeros(n)
        if not self._steady or n == 0:
            return self._unleaned
        turns = np.array([self._own_turn(move)[1][-1] for move in range(1, n + 1)])
        weights = np.ones(n)
        affine = [k for k, s in enumerate(self.stages) if s.kind == "affine"]
        if self.view == "readout" and affine:
            weights[max(affine[-1] - 2, 0) :] = LEAN_WEIGHT  # stage k is weights[k − 1]
        self._planned, self._leans = plan_turns(turns, weights, MAX_MOVE_TURN)
        return [
            basis if lean % (2 * np.pi) == 0 else basis @ plane_rotation(lean)
            for basis, lean in zip(self._unleaned, self._leans)
        ]

    def state_at(self, move: int, u: float, rows: slice | np.ndarray = slice(None)) -> np.ndarray:
        """(n, D) full-width positions at parameter u of ``move`` (stages padded with zeros), of
        all rows or of ``rows``."""
        dim = self.move_dim(move)
        before = self.stages[move - 1].values[rows]
        if move in self.weights:
            return pad(self.polar_route(move).apply(before, u), dim)
        after = self.stages[move].values[rows]
        return (1 - u) * pad(before, dim) + u * pad(after, dim)

    def _seen(self, move: int, u: float, camera: np.ndarray) -> np.ndarray:
        """``state_at(move, u) @ camera``, without padding the states: their zero columns
        meet the camera's last rows and add nothing, and the padded copies cost a frame more
        than the products."""
        before = self.stages[move - 1].values
        if move in self.weights:
            moved = self.polar_route(move).apply(before, u)
            return moved @ camera[: moved.shape[1]]
        after = self.stages[move].values
        return (1 - u) * (before @ camera[: before.shape[1]]) + u * (
            after @ camera[: after.shape[1]]
        )

    def move_turn(self, move: int) -> float:
        """Degrees a steadied 2-D picture turns during ``move`` (0 for a camera that does not
        turn: "first2" shows the map's own rotation, the 3-D camera keeps its own pace)."""
        if not self._steady or not 1 <= move <= len(self._planned):
            return 0.0
        return float(np.degrees(abs(self._planned[move - 1])))

    def stretch_matrix_at(self, move: int, u: float) -> np.ndarray:
        """(2, 2) the stretch at parameter u of ``move``: eased geometrically (the matrix
        logarithms of the two stages' stretches, blended)."""
        if move == INPUT_MOVE or u <= 0:
            return self.stretch_matrix(stage_before(move))
        if u >= 1:
            return self.stretch_matrix(move)
        if self.stretches[move - 1] == self.stretches[move] == 1.0:
            return np.eye(2)
        logs = [_spd_log(self.stretch_matrix(k)) for k in (move - 1, move)]
        values, vectors = np.linalg.eigh((1 - u) * logs[0] + u * logs[1])
        return (vectors * np.exp(values)) @ vectors.T

    def stretch_at(self, move: int, u: float) -> float:
        """How much the picture is stretched at parameter u of ``move`` (its largest factor)."""
        return float(np.linalg.eigvalsh(self.stretch_matrix_at(move, u))[-1])

    def picture_at(self, move: int, u: float) -> tuple[np.ndarray, np.ndarray]:
        """View points (n, p), as drawn (stretched), and their framing box (2, p) at parameter
        u ∈ [0, 1] of ``move``.

        Move k (from 1) morphs stage k − 1 into stage k; :data:`INPUT_MOVE` holds the input.
        The last answer is kept: a frame asks for its picture more than once (the frame, then
        the 3-D scene's placement), and it is computed once.
        """
        key = (move, float(u))
        if self._last_picture is None or self._last_picture[0] != key:
            self._last_picture = (key, self._picture_at(move, u))
        return self._last_picture[1]

    def _picture_at(self, move: int, u: float) -> tuple[np.ndarray, np.ndarray]:
        if move == INPUT_MOVE or u <= 0:
            k = stage_before(move)
            return self.stretched(self.keyframes[k], k), self.boxes[k]
        if u >= 1:
            return self.stretched(self.keyframes[move], move), self.boxes[move]
        picture = self._seen(move, u, self.moving_basis(move).at(u))
        if self.dims == 2 and max(self.stretches[move - 1], self.stretches[move]) > 1.0:
            picture = picture @ self.stretch_matrix_at(move, u)
        box = (1 - u) * self.boxes[move - 1] + u * self.boxes[move]
        tight = bounding_box(picture[self.data_view])
        return picture, np.stack([np.minimum(box[0], tight[0]), np.maximum(box[1], tight[1])])

    def extent(self, box: np.ndarray) -> float:
        """How much of the area ``box`` needs: 1 when it just fits (tighter side, or diagonal)."""
        size = box[1] - box[0]
        if isinstance(self.area, Ball):
            return max(float(np.linalg.norm(size)) / 2 / self.area.radius, 1e-12)
        return max(size[0] / self.area.width, size[1] / self.area.height, 1e-12)

    def retime(self, move: int, t: float) -> float:
        """The parameter u at time t of ``move``: the extent lerp grows geometrically."""
        if move == INPUT_MOVE:
            return t
        e_a, e_b = self.extents[move - 1], self.extents[move]
        if abs(e_b - e_a) <= 1e-9 * max(e_a, e_b):
            return t
        target = e_a ** (1 - t) * e_b**t
        return float(np.clip((target - e_a) / (e_b - e_a), 0.0, 1.0))

    def fit(self, box: np.ndarray) -> tuple[float, np.ndarray]:
        """Uniform scale and offset that fit ``box`` into this plan's area or ball."""
        return fit_box(box, self.area)

    def scale_range(self) -> tuple[float, float]:
        """The smallest and largest scale (scene units per stage unit) any frame uses."""
        scales = [self.fit(box)[0] for k, box in enumerate(self.boxes) if k not in self.fixed]
        return min(scales), max(scales)

    def placement_at(self, move: int, t: float) -> tuple[np.ndarray, float, np.ndarray]:
        """How a point of ``move``'s own space is drawn at time t: ``(basis, scale, offset)``.

        A point v of the move's full-width space (zero-padded to ``basis``'s D rows) is drawn at
        ``v @ basis * scale + offset``, the first p scene coordinates, exactly as the traced
        points are at that moment: for things drawn in the stage's coordinates (a range box,
        axis labels). The input move (held) uses the input's space. (3-D pictures are never
        stretched.)
        """
        u = self.retime(move, t)
        _, box = self.picture_at(move, u)
        scale, offset = self.fit(box)
        if move == INPUT_MOVE or u <= 0:
            basis = self.bases[stage_before(move)]
        elif u >= 1:
            basis = self.bases[move]
        else:
            basis = self.moving_basis(move).at(u)
        dim = self.move_dim(move) if move != INPUT_MOVE else basis.shape[0]
        return pad_rows(basis, dim), scale, offset


def sliver_stretch(picture: np.ndarray) -> tuple[float, np.ndarray]:
    """The whole factor ↑ of (n, 2) ``picture`` is stretched by, and the axis stretched (↑).

    1 unless the picture is a sliver (its two spreads' ratio below :data:`THIN`) that lies
    along → (its thin side within 30° of ↑): then the least whole factor that brings the ratio to
    :data:`THICK`, or, when no factor up to :data:`MAX_STRETCH` does, the one that thickens it
    most, if that at least doubles it. Only ↑ is ever stretched, so → keeps its meaning (in the
    readout view, exactly the direction the network reads) and the scale bar its truth.
    """
    upright = np.array([0.0, 1.0])
    if len(picture) < 3:
        return 1.0, upright
    cov = np.cov(picture.T)  # (2, 2)
    values, vectors = np.linalg.eigh(cov)  # ascending spreads²

    def thickness(factor: float) -> float:
        low, high = np.linalg.eigvalsh(cov * np.outer([1.0, factor], [1.0, factor]))
        return math.sqrt(max(low, 0.0) / high) if high > 0 else 1.0

    now = thickness(1.0)
    if values[1] <= 0 or now >= THIN or abs(vectors[1, 0]) < math.cos(math.radians(30)):
        return 1.0, upright  # thick enough, a point, or thin across an oblique side
    factors = [float(f) for f in range(2, int(MAX_STRETCH) + 1)]
    reached = [thickness(f) for f in factors]
    enough = [f for f, t in zip(factors, reached) if t >= THICK]
    if enough:
        return enough[0], upright
    best = int(np.argmax(reached))
    return (factors[best], upright) if reached[best] >= 2 * now else (1.0, upright)


def _spd_log(matrix: np.ndarray) -> np.ndarray:
    """The logarithm of a symmetric positive definite (2, 2) ``matrix``."""
    values, vectors = np.linalg.eigh(matrix)
    return (vectors * np.log(values)) @ vectors.T


def _logits_stage(stages: Sequence[Keyframe]) -> int | None:
    """The stage of the logits (the last affine, just before softmax), or None."""
    last = len(stages) - 1
    if last >= 1 and stages[last].kind == "softmax" and stages[last - 1].width >= 2:
        return last - 1
    return None


def _simplex_basis(width: int) -> np.ndarray:
    """(width, 2) orthonormal basis seeing logits on softmax's own plane (⟂ all-ones), each
    class's axis where the probability simplex has its corner."""
    return simplex.corners(width) / math.sqrt(width / 2)


def _grown(box: np.ndarray) -> np.ndarray:
    """``box`` (2, p) grown by :data:`MARGIN` of its size on each side (flat: by the other's)."""
    size = box[1] - box[0]
    pad_by = MARGIN * np.maximum(size, size.max() * 1e-3)
    return np.stack([box[0] - pad_by, box[1] + pad_by])
