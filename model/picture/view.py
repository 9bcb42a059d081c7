"""Views: from stage values to scene coordinates, fitted to the frame at every moment.

A :class:`MorphTimeline` gives every point's scene position at any moment of the morph. Three
choices shape it:

- ``view`` (see :mod:`model.geometry.projections`): how a stage becomes a picture. ``"first2"`` (the
  recipe's first two coordinates), ``"readout"`` (the direction the network reads and the
  largest other spread, any width), ``"pca"`` (two aligned principal axes, any width) or
  ``"3d"`` (true 3-D positions, wider layers on three aligned principal axes).
- ``affine_path`` (see :mod:`model.geometry.affine`): how an affine step moves the points.
  ``"linear"`` (the recipe's straight line) or ``"polar"`` (turn + stretch + slide; needs the
  network's weights).
  Activation and softmax steps always move along straight lines (1−t)·z + t·f(z).
- the fitting region: an :class:`Area` of the 2-D frame, or a :class:`Ball` for the 3-D view
  (centred, so a camera can orbit it).

At time t of a step the points' full-width state is interpolated first, then seen through a frame
that turns continuously from the stage before to the stage after, so the motion is continuous even
when the two stages are projected differently, and lands exactly on each stage's picture.

Framing lerps the two keyframes' bounding boxes with the same t, grown where a curved path leaves
them, so every point stays inside the framed box and the zoom moves continuously. For straight
paths in a fixed frame the lerp already holds every point (a convex combination of points in two
boxes lies in their lerp), which is the recipe's framing.

Consecutive stages can differ in size by 40× or more (logits → probabilities). Lerping the box
then does nearly all the zooming in the last instants of a step, so the path's parameter is
re-timed to make the picture's extent change geometrically: the zoom runs at a steady rate, and
every frame still shows exactly an interpolated state, only reached at another time.

Turning. A 2-D picture whose camera turns ("readout", "pca") never turns more than
:data:`MAX_STEP_TURN` in a step, and turns at a rate proportional to the scene's time, not the
path parameter's: see :meth:`MorphTimeline.frame_path`. Measured on the recipe's 2 s smooth morph,
no built-in scene then turns faster than 76°/s (``first2`` turned up to 520°/s: it shows each
layer's rotation in the fixed coordinates, which is the map's own rotation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.errors import NetmorphError
from model.geometry.affine import PolarPath, check_affine_path, pad
from model.geometry.projections import (
    FramePath,
    SlidingFramePath,
    SteadyFramePath,
    check_view,
    data_rows,
    fit_frames,
    pad_rows,
    plan_turns,
    project,
    view_dims,
)
from model.geometry.rotations import Turn, film_turn_angles, plane_rotation
from model.geometry.trace import Stage
from model.network.numpy_net import Affine, NumpyNet, as_numpy
from model.picture import probability, simplex
from model.picture.footprint import class_footprints
from model.picture.probability import half_line, histogram_picture, p_axis

if TYPE_CHECKING:  # pragma: no cover
    from torch import nn

# The most a 2-D picture turns in one step. At the scenes' 2 s morph with Manim's ``smooth``
# (whose peak rate is 2.53× its mean), 60° peaks at 76°/s: under a quarter turn per second.
MAX_STEP_TURN = np.radians(60.0)
TURN_SAMPLES = 129  # path parameters at which a step's turn is measured and scheduled
LEAN_WEIGHT = 1e3  # readout view: how much more the last hidden stage (and later) must not lean

NO_SEGMENTS = np.zeros((0, 2, 3))
NAME_FADE = 0.15  # share of a step over which axis names fade out at its start and in at its end
MARGIN = 0.04  # the framed box reaches this share of the data's size beyond it on every side
VISIBLE_SHARE = 0.003  # a class covering less of the frame's pixels is marked as collapsed


@dataclass(frozen=True)
class Frame:
    """Everything one video frame draws, in scene coordinates, computed once per frame."""

    points: np.ndarray  # (n, 3) every traced row: classes, grid samples, boundary vertices
    axes: np.ndarray  # (k, 2, 3) the stage's axes (and ticks, on the probability axis)
    axes_opacity: float  # 0..1: axes cross-fade where two pictures blend
    names: tuple[tuple[str, np.ndarray, float], ...]  # (axis name, (3,) anchor, opacity)
    guides: tuple[np.ndarray, ...]  # (m, 3) lines in the boundary's colour: z₀ = z₁, p = 0.5
    guide_opacity: float  # 0..1
    scale: float | None  # scene units per stage unit; None on the fixed probability scale

    @classmethod
    def bare(cls, points: np.ndarray) -> Frame:
        """Points alone: no axes, names or guides."""
        return cls(points, NO_SEGMENTS, 0.0, (), (), 0.0, None)


@dataclass(frozen=True)
class Area:
    """The part of the frame a 2-D picture is fitted into, in scene units."""

    center: tuple[float, float] = (0.0, -0.45)  # scene coordinates of the area's middle
    width: float = 12.4  # scene units
    height: float = 6.2  # scene units (leaves the top 1.2 units to the step's label)


@dataclass(frozen=True)
class Ball:
    """The ball a 3-D picture is fitted into: it stays inside seen from any side."""

    center: tuple[float, float, float] = (0.0, 0.0, 0.0)  # scene coordinates of the middle
    radius: float = 3.0  # scene units: the picture's bounding box's half-diagonal


def fit_box(box: np.ndarray, region: Area | Ball) -> tuple[float, np.ndarray]:
    """Uniform scale and offset that fit ``box`` (2, p) into ``region``, centred, shape kept.

    A box that is flat in one direction is fitted by the others; a box that is a single point
    (everything collapsed) gets a finite scale instead of a division by zero.
    """
    size = box[1] - box[0]
    middle = (box[0] + box[1]) / 2
    if isinstance(region, Ball):
        half_diagonal = max(float(np.linalg.norm(size)) / 2, 1e-9)
        scale = region.radius / half_diagonal
    else:
        floor = max(float(size.max()) * 1e-3, 1e-9)
        size = np.maximum(size, floor)
        scale = min(region.width / size[0], region.height / size[1])
    return scale, np.asarray(region.center) - middle * scale


def bounding_box(points: np.ndarray) -> np.ndarray:
    """(2, p) [lo, hi] of (n, p) points."""
    return np.stack([points.min(axis=0), points.max(axis=0)])


def affine_weights(
    net: NumpyNet | nn.Sequential | None, stages: list[Stage]
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """(W, b) of each affine step of ``stages``, by step number, checked against the stages."""
    if net is None:
        raise NetmorphError(
            "affine_path='polar' needs the network's weights: pass net=<the network the stages "
            "were traced from>, or use affine_path='linear'"
        )
    layers = [layer for layer in as_numpy(net) if isinstance(layer, Affine)]
    steps = [k for k, stage in enumerate(stages) if stage.step.kind == "affine"]
    if len(layers) != len(steps):
        raise NetmorphError(
            f"the network has {len(layers)} affine layers but the stages {len(steps)}: "
            "pass the network the stages were traced from"
        )
    weights = {}
    for layer, k in zip(layers, steps):
        w, b = layer.weight.copy(), layer.bias.copy()  # (m, d), (m,)
        before, after = stages[k - 1].values, stages[k].values
        if w.shape != (after.shape[1], before.shape[1]) or not np.allclose(
            before @ w.T + b, after, rtol=1e-6, atol=1e-6 * (1 + np.abs(after).max())
        ):
            raise NetmorphError(
                f"step {k} ({stages[k].step.name}) was not computed by this network: trace the "
                "same network you pass as net= (after orient_hidden_units, if you use it)"
            )
        weights[k] = (w, b)
    return weights


class MorphTimeline:
    """Scene coordinates of every point at any moment of the morph through ``stages``.

    Parameters
    ----------
    stages
        The trace, input first (:func:`model.geometry.trace.trace`).
    area
        Where the picture is fitted: an :class:`Area` for ``"first2"``/``"pca"`` (default
        ``Area()``), a :class:`Ball` for ``"3d"`` (default ``Ball()``).
    view
        ``"first2"`` (default, the recipe's), ``"readout"`` (the direction the network reads
        and the largest other spread), ``"pca"`` or ``"3d"``.
    affine_path
        ``"linear"`` (default, the recipe's) or ``"polar"``.
    net
        The network the stages were traced from; needed by ``affine_path="polar"``.
    labels
        (n,) each row's class, or ``model.picture.probability.GRID`` / ``BOUNDARY`` for rows that
        are not data (:meth:`model.picture.layout.Layout.labels`). The framing and the
        ``"readout"`` view are fitted to the data rows, and the softmax stage's histogram is drawn
        per class.
        Default: every row is data of one class.
    class_names
        The classes' names, for the probability axis (``p(outer ring)``).
    probability_axis
        Draw a two-class softmax stage on the fixed 0..1 axis (default) rather than refitted.
    """

    def __init__(
        self,
        stages: list[Stage],
        area: Area | Ball | None = None,
        *,
        view: str = "first2",
        affine_path: str = "linear",
        net: NumpyNet | nn.Sequential | None = None,
        labels: np.ndarray | None = None,
        class_names: tuple[str, ...] = ("class 0", "class 1"),
        probability_axis: bool = True,
    ) -> None:
        self.view = check_view(view)
        self.affine_path = check_affine_path(affine_path)
        self.dims = view_dims(view)  # p: 2 or 3
        region = Ball if self.dims == 3 else Area
        self.area = area or region()
        if not isinstance(self.area, region):
            raise NetmorphError(
                f"view={view!r} fits its picture into a {region.__name__}: "
                f"pass area={region.__name__}(...)"
            )
        self.stages = stages
        n = len(stages[0].values)
        # (n,) each row's class; GRID and BOUNDARY rows are not data. Without labels, every row
        # is data (one class).
        self.labels = np.zeros(n, dtype=int) if labels is None else np.asarray(labels, dtype=int)
        self.data_rows = np.flatnonzero(self.labels >= 0)
        # A slice when the data rows come first (they do from model.pipeline): no copy per frame.
        contiguous = len(self.data_rows) and self.data_rows[-1] == len(self.data_rows) - 1
        self.data_view = slice(0, len(self.data_rows)) if contiguous else self.data_rows
        self.class_names = tuple(class_names)
        self.weights = affine_weights(net, stages) if affine_path == "polar" else {}
        self._polar: dict[int, PolarPath] = {}
        self._turns: dict[int, FramePath | SlidingFramePath | SteadyFramePath] = {}
        # Each class's rows, for the readout view's fit and its measured turns.
        classes = (
            ()
            if labels is None
            else tuple(
                np.flatnonzero(self.labels == c) for c in np.unique(self.labels[self.data_rows])
            )
        )
        self._rows = data_rows(classes, n)[0]  # the data's rows
        self._own: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # see _own_turn
        # One frame's answers, kept for the other callers of the same moment.
        self._last_frame: tuple[tuple[int, float], Frame] | None = None
        self._last_picture: tuple[tuple[int, float], tuple[np.ndarray, np.ndarray]] | None = None
        self._steady = self.dims == 2 and view != "first2"  # a 2-D camera that turns
        self._unleaned = fit_frames(stages, view, classes)  # each (max(width, p), p)
        self.frames = self._lean_frames()  # each (max(width, p), p)
        self.keyframes = [project(s.values, f) for s, f in zip(stages, self.frames)]  # (n, p)
        # The softmax stage of a two-class network is drawn on a fixed 0..1 probability axis
        # (model.picture.probability): its picture is a histogram, never refitted to the data.
        self.fixed: set[int] = set()
        last = stages[-1]
        if probability_axis and self.dims == 2 and last.step.kind == "softmax" and last.width == 2:
            k = len(stages) - 1
            self.keyframes[k] = histogram_picture(last.values[:, 1], self.labels)
            self.fixed.add(k)
        elif probability_axis and self.dims == 2 and last.step.kind == "softmax":
            # 3 to 8 classes: the probability triangle or polygon (model.picture.simplex), as fixed.
            k = len(stages) - 1
            self.keyframes[k] = simplex.picture(last.values)
            self.fixed.add(k)
        # Frame the data, not the grid: the grid's far corners are empty plane.
        self.boxes = [
            self._fixed_box(k) if k in self.fixed else _grown(bounding_box(key[self.data_rows]))
            for k, key in enumerate(self.keyframes)
        ]  # each (2, p)
        self.extents = [self.extent(box) for box in self.boxes]

    def _fixed_box(self, k: int) -> np.ndarray:
        """(2, 2) the fixed picture box of probability stage ``k``."""
        width = self.stages[k].width
        return probability.BOX if width == 2 else simplex.box(width)

    @property
    def n_steps(self) -> int:
        """Transitions between stages (one per step of the chain)."""
        return len(self.keyframes) - 1

    def step_dim(self, step: int) -> int:
        """D, the width step ``step`` moves in: both stages' widths and the picture's fit."""
        return max(self.stages[step - 1].width, self.stages[step].width, self.dims)

    def polar_path(self, step: int) -> PolarPath:
        """The polar path of affine step ``step`` (built once)."""
        if step not in self._polar:
            self._polar[step] = PolarPath.of(*self.weights[step])
        return self._polar[step]

    def frame_path(self, step: int) -> FramePath | SlidingFramePath | SteadyFramePath:
        """The camera's turn during ``step`` (built once).

        In the aligned views ("pca", "readout", "3d") the camera rides along a polar step's
        rotation: the aligned keyframes already leave that turn out, so showing it would spin
        the picture away and back. "first2" keeps its camera on the coordinates and shows the
        turn: that is the map's own rotation in the drawn plane.

        A 2-D camera that turns ("pca", "readout") is steadied in its picture plane: its
        picture turns through the step's planned angle (see :meth:`_lean_frames`) at a rate
        proportional to the scene's time, whatever the plane seen does on the way. Measured
        turn by turn (2-D Procrustes between nearby moments), the base path's own turn ψ(u) is
        cancelled and replaced by θ·t(u), t the time at which the path reaches u
        (:meth:`retime` inverted): a shape that deforms through the step no longer spins
        back and forth, and a fast zoom no longer hurries the turn.
        """
        if step not in self._turns:
            path = self._unleaned_path(step)
            if self._steady:
                times, own = self._own_turn(step)
                lean = self._leans[step - 1]
                angles = lean + self._planned[step - 1] * self._time_of(step, times) - own
                dim = self.step_dim(step)
                start, end = pad_rows(self.frames[step - 1], dim), pad_rows(self.frames[step], dim)
                self._turns[step] = SteadyFramePath(path, times, angles, start, end)
            else:
                self._turns[step] = path
        return self._turns[step]

    def _unleaned_path(self, step: int) -> FramePath | SlidingFramePath:
        """The camera between the unleaned frames of ``step``: a rigid turn, or in the readout
        view a narrowing polar step's straight-line morph of its two pictures.

        The read-out step (last hidden stage → logits) narrows, and a rigid camera can lose
        the picture's height on the way (the squashed directions carry it away before the
        kept ones bring it in). Both its pictures have the read-out axis f = z₁ − z₀ first,
        so along a straight-line morph that axis only rescales, and the other axis slides
        between two coordinates whose parts beyond f agree in sign (the readout frames do
        not mirror): the picture never passes through a line.
        """
        dim = self.step_dim(step)
        start = pad_rows(self._unleaned[step - 1], dim)
        end = pad_rows(self._unleaned[step], dim)
        if step not in self.weights or self.view == "first2":
            return FramePath.between(start, end)
        polar = self.polar_path(step)
        if self.view == "readout" and polar.n_out < polar.n_in:
            weight = np.zeros((dim, dim))
            weight[: polar.n_out, : polar.n_in] = self.weights[step][0]
            return SlidingFramePath(start, end, weight.T @ end, polar.linear_at)
        return FramePath.between(start, end, Turn.padded(polar.rotation, dim))

    def _own_turn(self, step: int) -> tuple[np.ndarray, np.ndarray]:
        """(TURN_SAMPLES,) path parameters and the data's picture turn ψ there (radians, from
        0), seen through the unleaned camera: the step's turn left to itself."""
        if step not in self._own:
            times = np.linspace(0.0, 1.0, TURN_SAMPLES)
            path = self._unleaned_path(step)
            rows, maps = self._film_factors(step, times, [path.at(u) for u in times])
            self._own[step] = times, np.r_[0.0, np.cumsum(film_turn_angles(rows, maps))]
        return self._own[step]

    def _film_factors(
        self, step: int, times: np.ndarray, each: list[np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The data's pictures ``state_at(step, u) @ camera`` at each parameter u and its (D, p)
        camera, as factors: (n_data, m) rows Z and (len(times), m, p) maps M with picture
        j = Z @ M[j] + (a shift that is the same for every point)."""
        cameras = np.stack(each)  # (k, D, p)
        dim = self.step_dim(step)
        before = self.stages[step - 1].values[self._rows]
        if step in self.weights:
            polar = self.polar_path(step)  # state = pad(x, D') @ Lᵀ + u·b, then zeros to D
            seen = cameras[:, : polar.dim]  # (k, D', p)
            linear = np.stack([polar.linear_at(float(u)).T for u in times]) @ seen
            return pad(before, polar.dim), linear  # the bias only shifts the picture
        after = self.stages[step].values[self._rows]
        u = times[:, None, None]
        # (1 − u)·before @ camera + u·after @ camera, as one product of [before, after].
        rows = np.concatenate([pad(before, dim), pad(after, dim)], axis=1)
        return rows, np.concatenate([(1 - u) * cameras, u * cameras], axis=1)

    def _time_of(self, step: int, u: np.ndarray) -> np.ndarray:
        """The times t ∈ [0, 1] at which ``step`` reaches path parameters ``u``."""
        times = np.linspace(0.0, 1.0, 4 * TURN_SAMPLES)
        reached = np.array([self.retime(step, float(t)) for t in times])
        return np.interp(u, reached, times)

    def _lean_frames(self) -> list[np.ndarray]:
        """The unleaned frames, each turned in its picture plane by the planned lean.

        A 2-D picture that turns more than :data:`MAX_STEP_TURN` in a step would spin, so the
        turn is spread over the steps around it (:func:`model.geometry.projections.plan_turns`): the
        stages in between lean, drawn turned from their unleaned frames. In the readout view
        the last hidden stage and every later one lean only when no plan can avoid it, so its
        read-out direction stays exactly to the right; the input never leans.
        """
        n = len(self.stages) - 1
        self._leans = np.zeros(n + 1)
        self._planned = np.zeros(n)
        if not self._steady or n == 0:
            return self._unleaned
        turns = np.array([self._own_turn(step)[1][-1] for step in range(1, n + 1)])
        weights = np.ones(n)
        affine = [k for k, s in enumerate(self.stages) if s.step.kind == "affine"]
        if self.view == "readout" and affine:
            weights[max(affine[-1] - 2, 0) :] = LEAN_WEIGHT  # stage k is weights[k − 1]
        self._planned, self._leans = plan_turns(turns, weights, MAX_STEP_TURN)
        return [
            frame if lean % (2 * np.pi) == 0 else frame @ plane_rotation(lean)
            for frame, lean in zip(self._unleaned, self._leans)
        ]

    def state_at(self, step: int, u: float, rows: slice | np.ndarray = slice(None)) -> np.ndarray:
        """(n, D) full-width positions at parameter u of ``step`` (stages padded with zeros), of
        all rows or of ``rows``."""
        dim = self.step_dim(step)
        before = self.stages[step - 1].values[rows]
        if step in self.weights:
            return pad(self.polar_path(step).apply(before, u), dim)
        after = self.stages[step].values[rows]
        return (1 - u) * pad(before, dim) + u * pad(after, dim)

    def picture_at(self, step: int, u: float) -> tuple[np.ndarray, np.ndarray]:
        """View points (n, p) and their framing box (2, p) at parameter u ∈ [0, 1] of ``step``.

        ``step`` counts from 1 (step 1 moves stage 0 to stage 1); step 0 is the input held still.
        The last answer is kept: a frame asks for its picture more than once (the frame, then
        the 3-D scene's placement), and it is computed once.
        """
        key = (step, float(u))
        if self._last_picture is None or self._last_picture[0] != key:
            self._last_picture = (key, self._picture_at(step, u))
        return self._last_picture[1]

    def _picture_at(self, step: int, u: float) -> tuple[np.ndarray, np.ndarray]:
        if step == 0 or u <= 0:
            k = max(step - 1, 0)
            return self.keyframes[k], self.boxes[k]
        if u >= 1:
            return self.keyframes[step], self.boxes[step]
        picture = self.state_at(step, u) @ self.frame_path(step).at(u)
        box = (1 - u) * self.boxes[step - 1] + u * self.boxes[step]
        tight = bounding_box(picture[self.data_view])
        return picture, np.stack([np.minimum(box[0], tight[0]), np.maximum(box[1], tight[1])])

    def extent(self, box: np.ndarray) -> float:
        """How much of the area ``box`` needs: 1 when it just fits (tighter side, or diagonal)."""
        size = box[1] - box[0]
        if isinstance(self.area, Ball):
            return max(float(np.linalg.norm(size)) / 2 / self.area.radius, 1e-12)
        return max(size[0] / self.area.width, size[1] / self.area.height, 1e-12)

    def retime(self, step: int, t: float) -> float:
        """The path parameter u at time t of ``step``: the extent lerp grows geometrically."""
        if step == 0:
            return t
        e_a, e_b = self.extents[step - 1], self.extents[step]
        if abs(e_b - e_a) <= 1e-9 * max(e_a, e_b):
            return t
        target = e_a ** (1 - t) * e_b**t
        return float(np.clip((target - e_a) / (e_b - e_a), 0.0, 1.0))

    @property
    def back_step(self) -> int:
        """The step after softmax that carries the points back to the input plane."""
        return self.n_steps + 1

    def frame_at(self, step: int, t: float) -> Frame:
        """Everything one frame draws at time t ∈ [0, 1] of ``step``, computed once.

        Steps 1..n_steps move through the network; ``step == 0`` is the input held still;
        :attr:`back_step` returns from the last stage to the input plane. A step into or out of
        a fixed-scale (probability) picture blends the two fitted pictures in scene space,
        since they are drawn in different units. The last frame is kept, so every part of a
        scene that draws the same moment (the picture, the 3-D camera) shares one computation.
        """
        key = (step, float(t))
        if self._last_frame is None or self._last_frame[0] != key:
            self._last_frame = (key, self._frame_at(step, t))
        return self._last_frame[1]

    def _frame_at(self, step: int, t: float) -> Frame:
        if step == self.back_step:
            return self._blend(self.keyframe_frame(self.n_steps), self.keyframe_frame(0), t)
        if step > 0 and (step in self.fixed or step - 1 in self.fixed):
            return self._blend(self.keyframe_frame(step - 1), self.keyframe_frame(step), t)
        if step == 0 or t <= 0:
            return self.keyframe_frame(max(step - 1, 0))
        if t >= 1:
            return self.keyframe_frame(step)
        u = self.retime(step, t)
        picture, box = self.picture_at(step, u)
        scale, offset = self.fit(box)
        reach = self._reach(box, scale, offset)
        axes = self._axes(step, u, reach, scale, offset)
        # Axis names fade out as the step starts and in as it ends: mid-step the picture's
        # coordinates are neither stage's.
        before, after = self.axis_names(step - 1), self.axis_names(step)
        fade_out, fade_in = max(0.0, 1 - u / NAME_FADE), max(0.0, (u - 1 + NAME_FADE) / NAME_FADE)
        names = _named_ends(before, axes, fade_out) + _named_ends(after, axes, fade_in)
        guides: tuple[np.ndarray, ...] = ()
        guide_opacity = 0.0
        if self.guide_lines(step):
            guides = self._guides(step, reach, scale, offset)
            guide_opacity = fade_in
        return Frame(
            points=self._scene(picture, scale, offset),
            axes=NO_SEGMENTS if axes is None else axes,
            axes_opacity=1.0,
            names=names,
            guides=guides,
            guide_opacity=guide_opacity,
            scale=scale,
        )

    def keyframe_frame(self, k: int, area: Area | None = None) -> Frame:
        """The :class:`Frame` of stage ``k`` exactly, as held between steps.

        ``area`` fits it into another part of the frame (small multiples); default: this path's.
        """
        box = self.boxes[k]
        scale, offset = self.fit(box) if area is None else fit_box(box, area)
        if k in self.fixed and self.stages[k].width > 2:
            outline = self._place(simplex.outline(self.stages[k].width), scale, offset)
            names = tuple(
                (text, self._place(at, scale, offset), 1.0)
                for text, at in simplex.labels(self.class_names)
            )
            points = self._scene(self.keyframes[k], scale, offset)
            return Frame(points, outline, 1.0, names, (), 0.0, None)
        if k in self.fixed:
            segments, ticks = p_axis()
            p_names = tuple((text, self._place(at, scale, offset), 1.0) for text, at in ticks)
            end = self._place(np.array([1.0, 0.0]), scale, offset)
            p_names += ((f"p({self.class_names[-1]})", end, 1.0),)  # beyond the axis's end
            return Frame(
                self._scene(self.keyframes[k], scale, offset),
                self._place(segments, scale, offset),
                1.0,
                p_names,
                (self._place(half_line(), scale, offset),),
                1.0,
                None,
            )
        reach = self._reach(box, scale, offset, area)
        axes = self._axes(k, 1.0 if k else 0.0, reach, scale, offset)
        names = _named_ends(self.axis_names(k), axes, 1.0)
        guides = self._guides(k, reach, scale, offset) if self.guide_lines(k) else ()
        return Frame(
            points=self._scene(self.keyframes[k], scale, offset),
            axes=NO_SEGMENTS if axes is None else axes,
            axes_opacity=1.0,
            names=names,
            guides=guides,
            guide_opacity=1.0 if guides else 0.0,
            scale=scale,
        )

    def _blend(self, start: Frame, end: Frame, t: float) -> Frame:
        """Scene-space blend of two held frames: points move straight, the rest cross-fades."""
        t = float(np.clip(t, 0.0, 1.0))
        first_half = t < 0.5
        fade = abs(2 * t - 1)  # the nearer end's axes and names, fading through the middle
        near = start if first_half else end
        guides: tuple[np.ndarray, ...] = ()
        opacity = 0.0
        if len(start.guides) == len(end.guides) == 1 and start.guide_opacity and end.guide_opacity:
            a, b = start.guides[0], end.guides[0]
            guides, opacity = ((1 - t) * a + t * b,), 1.0
        elif near.guides:
            guides, opacity = near.guides, near.guide_opacity * fade
        return Frame(
            points=(1 - t) * start.points + t * end.points,
            axes=near.axes,
            axes_opacity=fade,
            names=tuple((text, at, o * fade) for text, at, o in near.names),
            guides=guides,
            guide_opacity=opacity,
            scale=near.scale,
        )

    def axis_names(self, k: int) -> tuple[str, ...]:
        """Names of stage ``k``'s own coordinate axes: x₁ x₂, h₁ h₂ h₃, z₀ z₁, p₀ p₁."""
        stage = self.stages[k]
        if stage.width > 3:
            return ()
        sub = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
        if stage.step.kind == "input":
            return tuple(f"x{i + 1}".translate(sub) for i in range(stage.width))
        if stage.step.kind == "softmax":
            return tuple(f"p{i}".translate(sub) for i in range(stage.width))
        logits = k + 1 < len(self.stages) and self.stages[k + 1].step.kind == "softmax"
        if self.guide_lines(k) or (logits and stage.width > 2):
            return tuple(f"z{i}".translate(sub) for i in range(stage.width))
        return tuple(f"h{i + 1}".translate(sub) for i in range(stage.width))

    def guide_lines(self, k: int) -> bool:
        """Whether stage ``k`` is the logits of a two-class softmax: its boundary z₀ = z₁ is a
        straight line, drawn across the whole picture."""
        if k + 1 >= len(self.stages) or self.dims != 2:
            return False
        nxt = self.stages[k + 1].step
        return nxt.kind == "softmax" and self.stages[k].width == 2

    def _reach(
        self, box: np.ndarray, scale: float, offset: np.ndarray, area: Area | None = None
    ) -> np.ndarray:
        """(2, p) the box, in picture coordinates, that axes and guide lines span: the whole
        area in 2-D (a flat picture's axes would otherwise shrink to its data), the data's box
        in 3-D."""
        framed = area or self.area
        if not isinstance(framed, Area):
            return box
        area = framed
        half = np.array([area.width, area.height]) / 2
        corners = np.stack([np.asarray(area.center) - half, np.asarray(area.center) + half])
        return (corners - offset) / scale

    def _guides(
        self, k: int, box: np.ndarray, scale: float, offset: np.ndarray
    ) -> tuple[np.ndarray, ...]:
        """The line z₀ = z₁ of logits stage ``k``, clipped to the framed box, in the scene."""
        diagonal = np.array([1.0, 1.0]) / np.sqrt(2)
        ends = _clip_line(diagonal @ self.frames[k][:2], box)
        return () if ends is None else (self._place(ends, scale, offset),)

    def _scene(self, picture: np.ndarray, scale: float, offset: np.ndarray) -> np.ndarray:
        """(n, 3) scene coordinates of an (n, p) picture."""
        out = np.zeros((picture.shape[0], 3))
        out[:, : self.dims] = picture * scale + offset
        return out

    def _place(self, xy: np.ndarray, scale: float, offset: np.ndarray) -> np.ndarray:
        """Scene coordinates (..., 3) of picture coordinates (..., p)."""
        out = np.zeros((*xy.shape[:-1], 3))
        out[..., : self.dims] = xy * scale + offset
        return out

    def collapsed(self, k: int, radius: float) -> list[tuple[int, np.ndarray, float, int]]:
        """Classes that stage ``k`` squeezes into (nearly) one point or line, for dots of
        ``radius``: (class, (3,) centre, half diagonal of its box, count), in scene units.

        Such a class covers less than :data:`VISIBLE_SHARE` of the frame's pixels however
        honestly it is drawn, so the scene rings and names it instead of leaving a speck.
        """
        points = self.keyframe_frame(k).points
        classes = sorted(int(c) for c in np.unique(self.labels[self.data_rows]))
        clouds = [points[self.labels == c] for c in classes]
        order = sorted(range(len(clouds)), key=lambda i: -len(clouds[i]))  # as drawn
        out = []
        for i, share in enumerate(class_footprints(clouds, order, radius)):
            if share < VISIBLE_SHARE:
                lo, hi = clouds[i].min(axis=0), clouds[i].max(axis=0)
                reach = float(np.linalg.norm(hi - lo)) / 2
                out.append((classes[i], (lo + hi) / 2, reach, len(clouds[i])))
        return out

    def place_input(self, xy: np.ndarray, area: Area | None = None) -> np.ndarray:
        """(3,) scene coordinates of an input-space point (x₁, x₂), as the input is drawn
        (in ``area``, or this path's own)."""
        scale, offset = self.fit(self.boxes[0]) if area is None else fit_box(self.boxes[0], area)
        return self._place(np.asarray(xy, dtype=float) @ self.frames[0][:2], scale, offset)

    def scale_range(self) -> tuple[float, float]:
        """The smallest and largest scale (scene units per stage unit) any frame uses."""
        scales = [self.fit(box)[0] for k, box in enumerate(self.boxes) if k not in self.fixed]
        return min(scales), max(scales)

    def fit(self, box: np.ndarray) -> tuple[float, np.ndarray]:
        """Uniform scale and offset that fit ``box`` into this path's area or ball."""
        return fit_box(box, self.area)

    def _axes(
        self, step: int, u: float, box: np.ndarray, scale: float, offset: np.ndarray
    ) -> np.ndarray | None:
        """The stage axes at parameter u, in the framing (box, scale, offset) already found."""
        if step == 0 or u <= 0 or u >= 1:
            k = max(step - 1, 0) if (step == 0 or u <= 0) else step
            frame = self.frames[k][: self.stages[k].width]
        else:
            frame = self.frame_path(step).at(u)
        if frame.shape[0] > 3:
            return None
        segments = np.zeros((frame.shape[0], 2, 3))
        for i, direction in enumerate(frame):  # the image of axis e_i in the picture, (p,)
            ends = _clip_line(direction, box)
            if ends is not None:
                segments[i, :, : self.dims] = ends * scale + offset
            else:
                segments[i, :, : self.dims] = offset  # zero length, at the origin
        return segments

    def still(self, k: int, area: Area) -> np.ndarray:
        """(n, 3) scene coordinates of stage ``k``'s picture fitted into another ``area``.

        For small multiples: the same picture as the morph shows at stage ``k``, in its own panel.
        """
        if self.dims != 2:
            raise NetmorphError("stills are 2-D: use view='first2' or view='pca'")
        scale, offset = fit_box(self.boxes[k], area)
        out = np.zeros((self.keyframes[k].shape[0], 3))
        out[:, :2] = self.keyframes[k] * scale + offset
        return out

    def placement_at(self, step: int, t: float) -> tuple[np.ndarray, float, np.ndarray]:
        """How a point of ``step``'s own space is drawn at time t: ``(frame, scale, offset)``.

        A point v of the step's full-width space (zero-padded to ``frame``'s D rows) is drawn at
        ``v @ frame * scale + offset``, the first p scene coordinates, exactly as the traced
        points are at that moment: for things drawn in the stage's coordinates (a range box,
        axis labels). Step 0 (the input held) uses the input's space.
        """
        u = self.retime(step, t)
        _, box = self.picture_at(step, u)
        scale, offset = self.fit(box)
        if step == 0 or u <= 0:
            frame = self.frames[max(step - 1, 0)]
        elif u >= 1:
            frame = self.frames[step]
        else:
            frame = self.frame_path(step).at(u)
        dim = self.step_dim(step) if step else frame.shape[0]
        return pad_rows(frame, dim), scale, offset


def _grown(box: np.ndarray) -> np.ndarray:
    """``box`` (2, p) grown by :data:`MARGIN` of its size on each side (flat: by the other's)."""
    size = box[1] - box[0]
    pad_by = MARGIN * np.maximum(size, size.max() * 1e-3)
    return np.stack([box[0] - pad_by, box[1] + pad_by])


def _named_ends(
    names: tuple[str, ...], axes: np.ndarray | None, opacity: float
) -> tuple[tuple[str, np.ndarray, float], ...]:
    """Each axis name at its axis's positive end, for the first ``len(names)`` axes."""
    if axes is None or opacity <= 0:
        return ()
    return tuple(
        (name, axes[i, 1].copy(), opacity)
        for i, name in enumerate(names)
        if i < len(axes) and np.linalg.norm(axes[i, 1] - axes[i, 0]) > 1e-6
    )


def _clip_line(direction: np.ndarray, box: np.ndarray) -> np.ndarray | None:
    """The (2, p) part of the line s·direction (through the origin) inside ``box``, or None."""
    if not np.any(np.abs(direction) > 1e-12):
        return None
    lo_s, hi_s = -np.inf, np.inf
    for d, lo, hi in zip(direction, box[0], box[1]):
        if abs(d) <= 1e-12:
            if not lo <= 0 <= hi:
                return None
            continue
        a, b = sorted((lo / d, hi / d))
        lo_s, hi_s = max(lo_s, a), min(hi_s, b)
    if lo_s >= hi_s:
        return None
    return np.stack([lo_s * direction, hi_s * direction])
