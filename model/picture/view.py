"""The morph's timeline: every frame of the morph, from a view plan and a frame composer.

A :class:`MorphTimeline` joins the two halves of a picture:

- the :class:`~model.picture.camera.ViewPlan`: what each moment shows, seen from where, at what
  zoom (the projections, the camera's turns, the framing, the stretch of a sliver);
- the :class:`~model.picture.composer.FrameComposer`: what is drawn on it (the points in the
  scene, the axes, the number lines, the guides, and the labels' wishes).

``frame_at(move, t)`` is the one call every consumer makes: the scenes (Manim paints the frame),
the explorable page, the captions' measurements and the tests all see the same frames. Its
positions are moves (:mod:`model.picture.moves`): the input held, one move per step of the
network, and the return to the input plane.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from model.errors import NetmorphError
from model.geometry.affine import check_affine_route
from model.geometry.projections import check_view, view_dims
from model.geometry.trace import Keyframe
from model.network.numpy_net import Affine, NumpyNet, as_numpy
from model.picture.camera import ViewPlan
from model.picture.composer import FrameComposer
from model.picture.frame import (
    MANIM_FRAME,
    NO_SEGMENTS,
    Area,
    Ball,
    Frame,
    Name,
    Ring,
    bounding_box,
    fit_box,
)
from model.picture.moves import INPUT_MOVE

if TYPE_CHECKING:  # pragma: no cover
    from torch import nn

__all__ = [
    "INPUT_MOVE",
    "MANIM_FRAME",
    "NO_SEGMENTS",
    "Area",
    "Ball",
    "Frame",
    "LandedTimeline",
    "MorphTimeline",
    "Name",
    "Ring",
    "affine_weights",
    "bounding_box",
    "fit_box",
]


def affine_weights(
    net: NumpyNet | nn.Sequential | None, stages: Sequence[Keyframe]
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """(W, b) of each affine step of ``stages``, by the move that plays it (the stage it
    reaches), checked against the stages."""
    if net is None:
        raise NetmorphError(
            "affine_route='polar' needs the network's weights: pass net=<the network the stages "
            "were traced from>, or use affine_route='linear'"
        )
    layers = [layer for layer in as_numpy(net) if isinstance(layer, Affine)]
    moves = [k for k, stage in enumerate(stages) if stage.kind == "affine"]
    if len(layers) != len(moves):
        raise NetmorphError(
            f"the network has {len(layers)} affine layers but the stages {len(moves)}: "
            "pass the network the stages were traced from"
        )
    weights = {}
    for layer, k in zip(layers, moves):
        w, b = layer.weight.copy(), layer.bias.copy()  # (m, d), (m,)
        before, after = stages[k - 1].values, stages[k].values
        if w.shape != (after.shape[1], before.shape[1]) or not np.allclose(
            before @ w.T + b, after, rtol=1e-6, atol=1e-6 * (1 + np.abs(after).max())
        ):
            raise NetmorphError(
                f"step {k} ({stages[k].name}) was not computed by this network: trace the "
                "same network you pass as net= (after orient_hidden_units, if you use it)"
            )
        weights[k] = (w, b)
    return weights


class MorphTimeline:
    """Scene coordinates of every point, and everything drawn with them, at any moment.

    Parameters
    ----------
    stages
        The trace, input first (:func:`model.geometry.trace.trace`), or any keyframes
        (a training film's snapshots).
    area
        Where the picture is fitted: an :class:`Area` for 2-D views (default ``Area()``), a
        :class:`Ball` for ``"3d"`` (default ``Ball()``).
    view
        ``"first2"`` (default, the recipe's), ``"readout"`` (the direction the network reads
        and the largest other spread), ``"pca"`` or ``"3d"``.
    affine_route
        ``"linear"`` (default, the recipe's) or ``"polar"`` (a scene's ``affine_path``).
    net
        The network the stages were traced from; needed by ``affine_route="polar"``.
    labels
        (n,) each row's class, or ``model.picture.probability.GRID`` / ``BOUNDARY`` for rows that
        are not data (:meth:`model.picture.layout.Layout.labels`). The framing and the
        ``"readout"`` view are fitted to the data rows, and the number lines are stacked per
        class. Default: every row is data of one class.
    class_names
        The classes' names, for the probability axis (``p(outer ring)``) and the simplex.
    probability_axis
        Draw the read-out and softmax stages as what they are (a number line, the fixed 0..1
        axis or simplex, see :mod:`model.picture.camera`) rather than as projections.
    dot_radius
        How large the points are drawn (scene units): a class drawn smaller than a speck is
        ringed (:meth:`rings`).
    frame_size
        The frame's (width, height) in scene units, on which a speck is measured: a scene
        passes its render's (Manim's config); default Manim's 16:9 frame.
    """

    def __init__(
        self,
        stages: Sequence[Keyframe],
        area: Area | Ball | None = None,
        *,
        view: str = "first2",
        affine_route: str = "linear",
        net: NumpyNet | nn.Sequential | None = None,
        labels: np.ndarray | None = None,
        class_names: tuple[str, ...] = ("class 0", "class 1"),
        probability_axis: bool = True,
        dot_radius: float = 0.05,
        frame_size: tuple[float, float] = MANIM_FRAME,
    ) -> None:
        self.view = check_view(view)
        self.affine_route = check_affine_route(affine_route)
        dims = view_dims(view)
        region = Ball if dims == 3 else Area
        area = area or region()
        if not isinstance(area, region):
            raise NetmorphError(
                f"view={view!r} fits its picture into a {region.__name__}: "
                f"pass area={region.__name__}(...)"
            )
        n = len(stages[0].values)
        # (n,) each row's class; GRID and BOUNDARY rows are not data. Without labels, every row
        # is data (one class).
        rows = np.zeros(n, dtype=int) if labels is None else np.asarray(labels, dtype=int)
        weights = affine_weights(net, stages) if affine_route == "polar" else {}
        self.plan = ViewPlan(
            stages, area, view=view, weights=weights, labels=rows, probability_axis=probability_axis
        )
        self.composer = FrameComposer(self.plan, class_names, dot_radius, frame_size)
        self.class_names = self.composer.class_names
        # One frame's answer, kept for the other callers of the same moment.
        self._last_frame: tuple[tuple[int, float], Frame] | None = None

    # What the plan decided, under the names every consumer reads.
    @property
    def stages(self) -> Sequence[Keyframe]:
        return self.plan.stages

    @property
    def area(self) -> Area | Ball:
        return self.plan.area

    @property
    def frame_size(self) -> tuple[float, float]:
        """The frame's (width, height) in scene units, where a speck is measured."""
        return self.composer.frame_size

    @property
    def dims(self) -> int:
        return self.plan.dims

    @property
    def labels(self) -> np.ndarray:
        return self.plan.labels

    @property
    def data_rows(self) -> np.ndarray:
        return self.plan.data_rows

    @property
    def bases(self) -> list[np.ndarray]:
        return self.plan.bases

    @property
    def keyframes(self) -> list[np.ndarray]:
        return self.plan.keyframes

    @property
    def boxes(self) -> list[np.ndarray]:
        return self.plan.boxes

    @property
    def fixed(self) -> set[int]:
        return self.plan.fixed

    @property
    def n_moves(self) -> int:
        """Moves through the stages, from 1 (one per step of the chain)."""
        return self.plan.n_moves

    @property
    def return_move(self) -> int:
        """The move after softmax that carries the points back to the input plane."""
        return self.composer.return_move

    def frame_at(self, move: int, t: float) -> Frame:
        """Everything one frame draws at time t ∈ [0, 1] of ``move``, computed once.

        Moves 1..n_moves go through the network; :data:`INPUT_MOVE` holds the input still;
        :attr:`return_move` returns from the last stage to the input plane (a cross-fade). The
        last frame is kept, so every part of a scene that draws the same moment (the picture,
        the 3-D camera) shares one computation.
        """
        key = (move, float(t))
        if self._last_frame is None or self._last_frame[0] != key:
            self._last_frame = (key, self.composer.frame_at(move, t))
        return self._last_frame[1]

    def keyframe_frame(self, k: int, area: Area | None = None) -> Frame:
        """The :class:`Frame` of stage ``k`` exactly, as held between moves (in ``area``)."""
        return self.composer.keyframe_frame(k, area)

    def picture_at(self, move: int, u: float) -> tuple[np.ndarray, np.ndarray]:
        """View points (n, p) as drawn and their framing box (2, p) at parameter u of ``move``."""
        return self.plan.picture_at(move, u)

    def placement_at(self, move: int, t: float) -> tuple[np.ndarray, float, np.ndarray]:
        """How a point of ``move``'s own space is drawn at time t (see ViewPlan.placement_at)."""
        return self.plan.placement_at(move, t)

    def retime(self, move: int, t: float) -> float:
        """The parameter u at time t of ``move``."""
        return self.plan.retime(move, t)

    def fit(self, box: np.ndarray) -> tuple[float, np.ndarray]:
        """Uniform scale and offset that fit ``box`` into the plan's area or ball."""
        return self.plan.fit(box)

    def scale_range(self) -> tuple[float, float]:
        """The smallest and largest scale (scene units per stage unit) any frame uses."""
        return self.plan.scale_range()

    def axis_names(self, k: int) -> tuple[str, ...]:
        """Names of stage ``k``'s own coordinate axes."""
        return self.composer.axis_names(k)

    def guide_lines(self, k: int) -> bool:
        """Whether stage ``k`` is a two-class logits picture with the z₀ = z₁ line drawn."""
        return self.composer.guide_lines(k)

    def collapsed(self, k: int, radius: float) -> list[tuple[int, np.ndarray, float, int]]:
        """Classes stage ``k`` squeezes into (nearly) one point (see FrameComposer.collapsed)."""
        return self.composer.collapsed(k, radius)

    def rings(self, k: int) -> tuple[Ring, ...]:
        """The collapse rings of held stage ``k`` (see FrameComposer.rings)."""
        return self.composer.rings(k)

    def place_input(self, xy: np.ndarray, area: Area | None = None) -> np.ndarray:
        """(3,) scene coordinates of an input-space point (x₁, x₂), as the input is drawn."""
        return self.composer.place_input(xy, area)

    def still(self, k: int, area: Area) -> np.ndarray:
        """(n, 3) scene coordinates of stage ``k``'s picture fitted into another ``area``."""
        if self.dims != 2:
            raise NetmorphError("stills are 2-D: use view='first2' or view='pca'")
        return self.keyframe_frame(k, area).points


SWITCH = 1 / 3  # the share of the read-out move a 3-D video spends turning into the flat view


class LandedTimeline:
    """A 3-D morph that lands on the flat pictures: the hidden stages in true 3-D (``space``),
    then the read-out move switches to the 2-D view of the same trace (``flat``) and ends, as
    every 2-D video does, on the logits' number line, softmax and the decision.

    The switch is a cross-fade at the start of the read-out move (its first :data:`SWITCH`): the
    3-D picture of the last hidden stage fades out, the flat picture of the same stage fades in
    (a camera that turned from any side cannot be followed by a straight slide onto a number
    line), and the rest of the move is the flat read-out. Frames of the 3-D part carry no axes
    or names: the 3-D scene draws those in its own space.
    """

    def __init__(self, space: MorphTimeline, flat: MorphTimeline, last_hidden: int) -> None:
        self.space = space
        self.flat = flat
        self.last_hidden = last_hidden
        self.landing = last_hidden + 1  # the read-out move

    @property
    def stages(self) -> Sequence[Keyframe]:
        return self.flat.stages

    @property
    def n_moves(self) -> int:
        return self.flat.n_moves

    @property
    def return_move(self) -> int:
        return self.flat.return_move

    @property
    def labels(self) -> np.ndarray:
        return self.flat.labels

    def in_space(self, move: int, t: float) -> bool:
        """Whether the moment is seen in 3-D (the camera's plan), not flat."""
        return move <= self.last_hidden or (move == self.landing and t < SWITCH / 2)

    def frame_at(self, move: int, t: float) -> Frame:
        """The frame at time t ∈ [0, 1] of ``move`` (see the class docstring)."""
        if move <= self.last_hidden:
            return self._bare(self.space.frame_at(move, t))
        if move == self.landing and t < SWITCH:
            fade = t / SWITCH
            if fade < 0.5:
                return replace(self._bare(self.space.frame_at(move - 1, 1.0)), opacity=1 - 2 * fade)
            held = self.flat.frame_at(move - 1, 1.0)
            return self.flat.composer.cross_fade(held, held, fade)
        if move == self.landing:
            return self.flat.frame_at(move, (t - SWITCH) / (1 - SWITCH))
        return self.flat.frame_at(move, t)

    @staticmethod
    def _bare(frame: Frame) -> Frame:
        """``frame`` without axes, names or guides (the 3-D scene draws its own)."""
        return replace(frame, axes=NO_SEGMENTS, axes_opacity=0.0, names=(), guides=(), scale=None)
