"""The 3-D base scene: :class:`MorphScene` seen in true 3-D, the camera orbiting the hidden space.

The video starts face-on on the input, tilts as the first step lifts the plane into 3-D, then
orbits 60–90° through every hidden layer and ends on the last hidden stage, seen from where the
read-out's separating plane is edge-on (see :mod:`scenes.kit.orbit`). The picture fills two thirds
of the frame height at every stage. A faint box marks the activation's range (ReLU's positive
octant, tanh's cube [−1, 1]³) in the stage's own coordinates, whose axes are labelled.

Kept apart from :mod:`scenes.morph3d` so ``manim -a scenes/morph3d.py`` renders only the named
scenes, not this base.
"""

from __future__ import annotations

import re
from typing import cast

import numpy as np
from manim import (
    DEGREES,
    Mobject,
    ThreeDScene,
    VGroup,
    config,
)
from manim.utils.rate_functions import smoothstep

from model.errors import user_errors
from model.geometry.trace import Stage
from model.network.activations import ACTIVATIONS
from model.network.numpy_net import Affine
from model.picture.labels import LabelSpec, place_labels
from model.picture.moves import INPUT_MOVE, stage_before
from model.picture.screen import Box
from model.picture.view import SWITCH, Area, LandedTimeline, MorphTimeline
from scenes.kit import style
from scenes.kit.animations import MorphPicture, PlayTimeline, area_clip
from scenes.kit.manim_internals import (
    FastThreeDCamera,
    InPlaceAnimation,
    frame_size,
    set_drawing_order,
)
from scenes.kit.mobjects import Polylines
from scenes.kit.morph_scene import MorphScene
from scenes.kit.orbit import FACE_ON, CameraPlan, Screen, choose_angles
from scenes.kit.overlays import label

# Where each bounded activation sends every coordinate: (low, high), None where unbounded.
ACTIVATION_RANGES: dict[str, tuple[float, float | None]] = {
    "relu": (0.0, None),
    "softplus": (0.0, None),
    "gelu": (-0.17, None),  # GELU's minimum, at z ≈ −0.75
    "silu": (-0.28, None),  # SiLU's minimum, at z ≈ −1.28
    "elu": (-1.0, None),
    "tanh": (-1.0, 1.0),
    "sigmoid": (0.0, 1.0),
}

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
TILT_RATE = 55.0  # degrees a second the camera tilts at most (the lift into 3-D)
ORBIT_RATE = 18.0  # degrees a second it orbits at most
SMOOTHSTEP_PEAK = 1.5  # the camera's easing (smoothstep) peaks at this many times its mean

# The 12 edges of a box, as pairs of corner indices (corner i has bit j set: high in axis j).
_BOX_EDGES = [(i, i | 1 << j) for i in range(8) for j in range(3) if not i & (1 << j)]


def range_activation(stages: list[Stage], k: int) -> str | None:
    """The activation whose range stage ``k`` is drawn with: its own, or the next step's."""
    for j in (k, k + 1):
        if j < len(stages) and stages[j].step.kind == "activation":
            return re.sub(r"\d+$", "", stages[j].step.name)
        if j == k and stages[j].step.kind != "affine":
            return None
    return None


def range_box(stages: list[Stage], k: int, rows: np.ndarray) -> np.ndarray | None:
    """(2, 3) low and high corners of stage ``k``'s activation range, or None.

    Unbounded sides reach the largest class point of the activation's output (``rows`` pick the
    class points), so the box frames the picture. None for stages wider than 3, whose
    coordinates are not the drawn axes, and for activations without a bounded side.
    """
    name = range_activation(stages, k)
    if name not in ACTIVATION_RANGES or stages[k].width > 3:
        return None
    low, high = ACTIVATION_RANGES[name]
    out = stages[k + 1] if stages[k].step.kind == "affine" else stages[k]
    width = stages[k].width
    lo = np.full(width, low)
    if high is None:
        hi = out.values[rows].max(axis=0)
        hi = np.maximum(hi, low + 0.05 * max(float((hi - low).max()), 1e-9))
    else:
        hi = np.full(width, high)
    box = np.zeros((2, 3))
    box[0, :width], box[1, :width] = lo, hi
    return box


def range_note(name: str) -> str:
    """The caption naming the faint box of activation ``name``."""
    low, high = ACTIVATION_RANGES[name]
    label = ACTIVATIONS[name].label
    if high is not None:
        region = f"the cube [{low:g}, {high:g}]³".replace("-", "−")
    elif low == 0:
        region = "the positive octant"
    else:
        region = f"h ≥ {low:g}".replace("-", "−")
    return f"faint box: {region}, {label}'s range"


def axis_range(stage: Stage, rows: np.ndarray) -> np.ndarray | None:
    """(2, 3) where stage's axes are drawn: each coordinate's class range, widened to reach 0.

    Axis i runs through the stage's origin from ``lo[i]·eᵢ`` to ``hi[i]·eᵢ``: over the class
    points' extent along it, so it is never missing or far longer than the picture. Axes past
    the stage's width have zero length; None for stages wider than 3 (their coordinates are
    not the drawn axes).
    """
    if stage.width > 3:
        return None
    values = stage.values[rows]  # (n, width)
    extent = np.zeros((2, 3))
    extent[0, : stage.width] = np.minimum(values.min(axis=0), 0.0)
    extent[1, : stage.width] = np.maximum(values.max(axis=0), 0.0)
    return extent


def box_edges(box: np.ndarray, open_high: bool = False) -> np.ndarray:
    """(k, 2, 3) edges of the (2, 3) box [lo, hi]: all 12, or with ``open_high`` (a range with
    no upper bound, its high side only the data's reach) the 9 that outline its three faces
    through ``lo``, the octant's walls."""
    corners = np.array([[box[(i >> j) & 1, j] for j in range(3)] for i in range(8)])
    edges = [(a, b) for a, b in _BOX_EDGES if not (open_high and b == 7)]
    return np.stack([corners[[a, b]] for a, b in edges])


def lerp_extents(
    before: np.ndarray | None, after: np.ndarray | None, t: float
) -> tuple[np.ndarray | None, float]:
    """A (2, 3) extent t of the way from ``before`` to ``after``, and its opacity: one that
    exists only at one end fades in or out, at full size."""
    if before is not None and after is not None:
        return (1 - t) * before + t * after, 1.0
    if before is not None:
        return before, 1 - t
    if after is not None:
        return after, t
    return None, 0.0


class SpaceOverlay(VGroup):
    """The stage's axes with their names, and the activation's range box, in the picture's space.

    The axes and the box are lines in 3-D (register ``lines`` with the camera), drawn beneath
    the picture, clipped to the picture's area; the names (``name_group``, drawn above it) are
    flat text on the screen, each placed in free space beside its axis's projected end
    (:func:`model.picture.labels.place_labels`).
    """

    def __init__(
        self,
        axis_style: tuple[str, float, float],
        box_style: tuple[str, float, float],
        font_size: float,
        name_color: str,
        clip: tuple[float, float, float, float],
    ) -> None:
        self.axes = Polylines(np.zeros((3, 2, 3)), *axis_style, clip=clip)
        self.box = Polylines(np.zeros((12, 2, 3)), *box_style, clip=clip)
        self.lines = VGroup(self.box, self.axes)
        self.opacities = {self.axes: axis_style[2], self.box: box_style[2]}
        self.font_size = font_size
        self.name_color = name_color
        self.names: dict[str, VGroup] = {}
        # The names go above the picture (add this group after it): an axis' end is often
        # inside the cloud, where names beneath the dots would be hidden.
        self.name_group = VGroup()
        super().__init__(self.lines)

    def label(self, name: str) -> VGroup:
        """The axis name ``name`` (made once)."""
        if name not in self.names:
            text = label(name, None, self.font_size, color=self.name_color, role="name")
            self.names[name] = text
            self.name_group.add(text)
        return self.names[name]

    def show_lines(self, lines: Polylines, segments: np.ndarray | None, opacity: float) -> None:
        """Draw ``lines`` through (k, 2, 3) scene ``segments`` (None: hide them)."""
        if segments is None or opacity <= 0:
            lines.set_stroke(opacity=0)
            return
        lines.move_to_positions(segments)
        lines.set_stroke(opacity=self.opacities[lines] * min(opacity, 1.0))

    def show_names(self, placed: dict[str, Box], opacity: float) -> None:
        """Put each name at its placed box (screen units), every other name hidden."""
        for name, text in self.names.items():
            box = placed.get(name)
            if box is None or opacity <= 0:
                text.set_opacity(0)
                continue
            text.move_to(np.array([*box.center, 0.0])).set_opacity(max(min(opacity, 1.0), 0.0))


class FollowCamera(InPlaceAnimation):
    """The camera and the range box through one move, beside its :class:`PlayTimeline`."""

    def __init__(self, scene: MorphScene3D, move: int, morph_rate, **kwargs) -> None:
        self.scene = scene
        self.move = move
        self.morph_rate = morph_rate
        super().__init__(scene.space, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        self.scene.show_space(self.move, self.morph_rate(alpha), smoothstep(alpha))


class MorphScene3D(MorphScene, ThreeDScene):
    """:class:`MorphScene` in true 3-D through the hidden layers, landing on the flat read-out.

    Every mobject a scene adds stays flat on the screen (titles, notes, legends); the morphing
    picture and the range box live in 3-D until the read-out step, which switches to the flat
    view of the same trace (:class:`model.picture.view.LandedTimeline`): the logits' number line,
    softmax and the shaded decision plane, as in the 2-D videos. To add a 3-D mobject of your
    own, call ``self.renderer.camera.add_space_mobjects(mob)`` too.
    """

    view = "3d"
    camera_type = FastThreeDCamera

    # The 3-D look: class attributes so a subclass restyles it (angles in degrees).
    lift_range: tuple[float, float] = (30, 70)  # the tilt from straight down, once lifted
    turn_range: tuple[float, float] = (60, 90)  # the orbit's total turn around the vertical
    end_phi_range: tuple[float, float] = (40, 80)  # elevations allowed for the closing view
    max_roll: float = 30  # the largest turn of the input in the screen as the camera tilts
    fill: float = 0.66  # class points' 2–98 % height box / frame height at every stage (at most:
    # the picture's area bounds it)
    axis_color: str | None = None  # the stage's axes, over the class points' extent (None: the
    # theme's axis colour)
    axis_opacity: float = 0.7
    axis_width: float = 2.2
    box_color: str | None = None  # the activation's range box, fainter (None: the theme's)
    box_opacity: float = 0.3
    box_width: float = 1.4
    axis_name_size: float = style.AXIS_FONT_SIZE  # x₁, h₁… at the axes' positive ends
    axis_name_gap: float = 0.1  # scene units between an axis' end and its name
    name_margin: float = 0.42  # scene units round the picture kept for the axis names

    def setup(self) -> None:
        super().setup()
        stages = self.morph.stages
        self.class_rows = np.concatenate(
            [np.arange(s.start, s.stop) for s in self.morph.layout.classes]
        )
        self.last_hidden = self.hidden_end()
        # The same trace in the 2-D videos' view, for the read-out, softmax and the decision.
        with user_errors():
            self.flat = MorphTimeline(
                stages,
                Area.of(self.screen.data),
                view="readout",
                affine_route=self.affine_path,
                net=self.morph.net,
                labels=self.morph.layout.labels(),
                class_names=self.morph.dataset.class_names,
                frame_size=frame_size(),
            )
        self.landed = LandedTimeline(self.morph.timeline, self.flat, self.last_hidden)
        self.timeline = self.landed
        self.picture_screen = self.picture_area_3d()
        self.range_boxes = [range_box(stages, k, self.class_rows) for k in range(len(stages))]
        self.range_open = [
            ACTIVATION_RANGES.get(range_activation(stages, k) or "", (0, 0))[1] is None
            for k in range(len(stages))
        ]
        self.axis_ranges = [axis_range(stage, self.class_rows) for stage in stages]
        self.camera_plan = self.plan_camera()
        theme = self.colors
        self.space = SpaceOverlay(
            (self.axis_color or theme.axis, self.axis_width, self.axis_opacity),
            (self.box_color or theme.axis, self.box_width, self.box_opacity),
            self.axis_name_size,
            theme.note,
            area_clip(self.picture_area()),
        )
        camera = cast(FastThreeDCamera, self.renderer.camera)
        camera.add_space_mobjects(self.space.lines)
        # Every axis name made up front (Pango is slow).
        for stage in stages[: self.last_hidden + 1]:
            for name in self.axis_names(stage):
                self.space.label(name).set_opacity(0)
        self._sizes = {n: (float(t.width), float(t.height)) for n, t in self.space.names.items()}

    def hidden_end(self) -> int:
        """The last hidden stage, the one the read-out separates: the 3-D picture ends there."""
        kinds = [stage.step.kind for stage in self.morph.stages]
        return max(k for k, kind in enumerate(kinds) if kind == "affine") - 1

    def picture_area_3d(self) -> Screen:
        """The frame's area for the 3-D picture: the picture region of the 2-D videos (the
        legend, strip, title and caption keep their regions; the axis names find free places
        in it, see :meth:`place_names`)."""
        data = self.screen.picture
        return Screen(
            data.center,
            data.width,
            data.height,
            frame_height=config.frame_height,
            fill=self.fill,
        )

    def plan_camera(self) -> CameraPlan:
        """The camera's pose at every 3-D stage (see :mod:`scenes.kit.orbit`), fitted so the
        class points, the range box and the axes stay inside the picture's area."""
        timeline, last = self.morph.timeline, self.last_hidden
        keyframes = [timeline.frame_at(INPUT_MOVE, 0.0).points[self.class_rows]]
        keyframes += [timeline.frame_at(k, 1.0).points[self.class_rows] for k in range(1, last + 1)]
        extents = [
            np.concatenate([points, self.space_extent(k)])
            for k, points in zip(range(last + 1), keyframes)
        ]
        focal_distance = cast(FastThreeDCamera, self.renderer.camera).get_focal_distance()
        angles = choose_angles(
            keyframes,
            self.separating_direction(last),
            self.picture_screen,
            focal_distance,
            lift_range=(self.lift_range[0] * DEGREES, self.lift_range[1] * DEGREES),
            turn_range=(self.turn_range[0] * DEGREES, self.turn_range[1] * DEGREES),
            phi_range=(self.end_phi_range[0] * DEGREES, self.end_phi_range[1] * DEGREES),
            max_roll=self.max_roll * DEGREES,
        )
        return CameraPlan.fitted(angles, keyframes, self.picture_screen, focal_distance, extents)

    def space_extent(self, move: int, t: float = 1.0) -> np.ndarray:
        """(6, 3) scene points of the axes' ends as drawn at time ``t`` of ``move``: what the
        fit keeps inside the picture's area besides the points (the names sit at the positive
        ends; the range box's far corners are clipped to the area rather than shrink the
        picture for them)."""
        basis, scale, offset = self.morph.timeline.placement_at(move, t)
        before = self.axis_ranges[stage_before(move)]
        extent, _ = lerp_extents(before, self.axis_ranges[move], t if move != INPUT_MOVE else 1.0)
        if extent is None or basis.shape[0] > 3:
            return np.zeros((0, 3))
        corners = np.concatenate([np.diag(extent[0]), np.diag(extent[1])])  # (6, 3) stage
        padded = np.zeros((len(corners), basis.shape[0]))
        padded[:, : min(3, basis.shape[0])] = corners[:, : basis.shape[0]]
        out = np.zeros((len(corners), 3))
        out[:, : basis.shape[1]] = padded @ basis * scale + offset
        return out

    def construct(self) -> None:
        self.show_space(INPUT_MOVE, 0.0, 0.0)
        super().construct()

    def move_seconds(self, move: int) -> float:
        """The read-out move also turns the 3-D picture into the flat one: it takes longer."""
        seconds = super().move_seconds(move)
        if move == self.landed.landing:
            return seconds / (1 - SWITCH)
        if 1 <= move < len(self.camera_plan.poses):
            # The camera never turns faster than its limit at the peak of its easing.
            limit = TILT_RATE if move == 1 else ORBIT_RATE
            turned = self.camera_plan.turn_between(move - 1, move)
            seconds = max(seconds, SMOOTHSTEP_PEAK * turned / limit)
        return seconds

    def mark_collapsed(self, k: int) -> list[VGroup]:
        """Markers on the flat pictures only (a 3-D cloud is seen from one side)."""
        return super().mark_collapsed(k) if k > self.last_hidden else []

    def separating_direction(self, k: int) -> np.ndarray | None:
        """The read-out's w₁ − w₀ after stage ``k``, in stage ``k``'s picture (3,), or None."""
        readout = self.morph.net[k] if k < len(self.morph.net) else None
        if not isinstance(readout, Affine) or readout.out_features != 2:
            return None
        weight = readout.weight  # (2, width)
        basis = self.morph.timeline.bases[k][: weight.shape[1]]  # (width, 3)
        direction = basis.T @ (weight[1] - weight[0])
        norm = np.linalg.norm(direction)
        return direction / norm if norm > 1e-12 else None

    def add(self, *mobjects: Mobject) -> MorphScene3D:  # type: ignore[override]  # Cairo only
        # The morphing picture lives in 3-D, class 0 (the enclosed, smaller class) drawn last so
        # the ring around it cannot hide it, with the axes and range box just beneath it; its
        # names stay flat (they name the flat pictures of the read-out and softmax).
        expanded: list[Mobject] = []
        pictures: list[Mobject] = []
        for mob in mobjects:
            if isinstance(mob, MorphPicture) and mob not in self.mobjects:
                clouds = mob.clouds
                first = min(mob.submobjects.index(c) for c in clouds)
                rest = [m for m in mob.submobjects if m not in clouds]
                set_drawing_order(mob, [*rest[:first], *reversed(clouds), *rest[first:]])
                camera = cast(FastThreeDCamera, self.renderer.camera)
                flat = {*mob.names.values(), mob.scale_bar}
                camera.add_space_mobjects(*(m for m in mob.submobjects if m not in flat))
                expanded.append(self.space)
                pictures = [self.space, mob, self.space.name_group]
            expanded.append(mob)
            if pictures and pictures[1] is mob:
                expanded.append(self.space.name_group)
        super().add(*expanded)
        if pictures:
            # Behind every flat mobject: the title, legend… stay readable over the grid.
            self.bring_to_back(*pictures)
        return self

    def play(self, *animations, **kwargs) -> None:
        # The camera and the box move with every step's morph, with their own gentle easing.
        moves = [
            FollowCamera(self, anim.move, anim.rate_func)
            for anim in animations
            if isinstance(anim, PlayTimeline)
        ]
        super().play(*animations, *moves, **kwargs)

    def show_space(self, move: int, t: float, camera_t: float) -> None:
        """Camera, axes, their names and the range box at morph time ``t`` of ``move`` (the
        camera at its own time ``camera_t``); flat from the read-out move's switch on."""
        camera = cast(FastThreeDCamera, self.renderer.camera)
        if move > self.last_hidden:
            if self.landed.in_space(move, t):  # the 3-D picture fading out
                fade = 1 - 2 * t / SWITCH
                camera.set_pose(self.camera_plan.pose_at(self.last_hidden, 1.0))
                self._show_overlay(self.last_hidden, 1.0, fade)
            else:
                camera.set_pose(FACE_ON)
                self._show_overlay(None, 1.0, 0.0)
            return
        positions = self.morph.timeline.frame_at(move, t).points
        current = np.concatenate([positions[self.class_rows], self.space_extent(move, t)])
        camera.set_pose(self.camera_plan.pose_at(move, camera_t, current))
        self._show_overlay(move, t, 1.0)

    def _show_overlay(self, move: int | None, t: float, opacity: float) -> None:
        """The range box, axes and names of ``move`` at time ``t`` (None: hidden)."""
        if move is None or opacity <= 0:
            self.space.show_lines(self.space.box, None, 0)
            self.space.show_lines(self.space.axes, None, 0)
            self.space.show_names({}, 0)
            return
        basis, scale, offset = self.morph.timeline.placement_at(move, t)
        k = stage_before(move)

        def to_scene(points: np.ndarray) -> np.ndarray:  # (..., 3) stage coordinates
            flat = points.reshape(-1, 3)
            padded = np.zeros((len(flat), basis.shape[0]))
            padded[:, : min(3, basis.shape[0])] = flat[:, : basis.shape[0]]
            out = np.zeros((len(flat), 3))
            out[:, : basis.shape[1]] = padded @ basis * scale + offset
            return out.reshape(points.shape)

        in_3d = basis.shape[0] <= 3  # wider steps are seen on principal axes: no h-axes
        before = self.range_boxes[k] if move != INPUT_MOVE else None
        box, box_opacity = lerp_extents(before, self.range_boxes[move], t)
        edges = None
        if box is not None and in_3d:
            edges = to_scene(box_edges(box, self.range_open[move]))
        self.space.show_lines(self.space.box, edges, box_opacity * opacity)

        extent, axes_opacity = lerp_extents(self.axis_ranges[k], self.axis_ranges[move], t)
        if extent is None or not in_3d:
            self.space.show_lines(self.space.axes, None, 0)
            self.space.show_names({}, 0)
            return
        ends = np.zeros((3, 2, 3))
        ends[:, 0], ends[:, 1] = np.diag(extent[0]), np.diag(extent[1])
        axes = to_scene(ends)  # (3, 2, 3) scene segments through the stage's origin
        self.space.show_lines(self.space.axes, axes, axes_opacity * opacity)

        names_before = self.axis_names(self.morph.stages[k])
        names_after = self.axis_names(self.morph.stages[move])
        names, fade = names_after, axes_opacity
        if names_before != names_after:
            names, fade = (names_before, 1 - 2 * t) if t < 0.5 else (names_after, 2 * t - 1)
        self.space.show_names(self.place_names(names, axes), fade * opacity)

    def place_names(self, names: list[str], axes: np.ndarray) -> dict[str, Box]:
        """Each axis name's box on the screen: beyond its axis's projected end, or the nearest
        free place in the picture's region (never on another name or an overlay)."""
        camera = cast(FastThreeDCamera, self.renderer.camera)
        specs, shown = [], []
        for name, (start, end) in zip(names, axes):
            a, b = camera.project_points(np.stack([start, end]))[:, :2]
            direction = b - a
            length = float(np.linalg.norm(direction))
            if length < 1e-6:
                continue
            unit = (float(direction[0] / length), float(direction[1] / length))
            anchor = (float(b[0]), float(b[1]))
            specs.append(LabelSpec(self._sizes[name], anchor, unit, unit, self.axis_name_gap))
            shown.append(name)
        boxes = place_labels(specs, self.screen.picture)
        return {name: box for name, box in zip(shown, boxes) if box is not None}

    def axis_names(self, stage: Stage) -> list[str]:
        """The stage's coordinate names: x₁, x₂ for the input, h₁, h₂, h₃ for hidden units."""
        letter = "x" if stage.step.kind == "input" else "h"
        return [f"{letter}{i}".translate(_SUBSCRIPTS) for i in range(1, stage.width + 1)]

    def picture_note(self, stage: Stage) -> str:
        note = super().picture_note(stage)
        k = next((k for k, s in enumerate(self.morph.stages) if s is stage), -1)
        if 0 < k <= self.last_hidden and self.range_boxes[k] is not None:
            box = range_note(cast(str, range_activation(self.morph.stages, k)))
            note = f"{note} · {box}" if note else box
        if k == self.last_hidden + 1:
            shown = "on a number line, the boundary at 0" if stage.width == 2 else "on a plane"
            note = f"seen flat from here on: the logits {shown}"
        return note
