"""The 3-D scenes' camera: where it looks from at every stage, and how large the picture is.

A :class:`CameraPlan` holds one camera pose per stage of the video (input first) and moves
between consecutive poses while a step morphs. The angles follow one shape for every network:

- the input is seen face-on (from above, x₁ to the right, x₂ up), as in the 2-D videos;
- during the first step, the lift into 3-D, the camera tilts down to ``lift_phi`` so the plane
  is seen leaving z = 0;
- over the remaining steps it orbits a total turn in ``turn_range`` around the vertical axis,
  ending where the read-out's separating plane is seen edge-on, so the last hidden stage shows
  the two classes on the two sides of a line (the gold boundary).

Among the orbits of that shape, :func:`choose_angles` keeps the one that sees every stage's
class points least flattened (no embedded plane seen edge-on). The zoom and a screen shift are
then fitted at every stage so the class points' 2–98 % height box fills ``Screen.fill`` of the
frame height and the whole class cloud stays inside the screen area; between stages they move
geometrically (zoom) and linearly (shift), clamped to keep the cloud inside.

Angles are Manim's :class:`~manim.ThreeDCamera` ones (radians): ``phi`` from the vertical,
``theta`` around it, ``gamma`` a roll about the line of sight; :func:`project` reproduces the
camera's projection, so the plan's figures are what the video shows.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from manim import DEGREES, RIGHT
from manim.utils.space_ops import rotation_about_z, rotation_matrix

from model.picture.moves import INPUT_MOVE

FACE_ON_THETA = -90 * DEGREES  # with phi = gamma = 0: x to the right, y up, as in 2-D


@dataclass(frozen=True)
class Pose:
    """Where the camera looks from and how much it magnifies."""

    phi: float  # radians from the vertical axis (0: looking straight down)
    theta: float  # radians around the vertical axis
    gamma: float = 0.0  # radians of roll about the line of sight
    zoom: float = 1.0  # magnification after the perspective projection
    shift: tuple[float, float] = (0.0, 0.0)  # scene units added on screen after projecting


@dataclass(frozen=True)
class Screen:
    """The part of the frame the 3-D picture fills (scene units, the frame is 8 high)."""

    center: tuple[float, float] = (0.0, -0.5)  # below the step's title
    width: float = 11.0  # leaves side margins to a legend or network strip
    height: float = 6.2  # from 0.4 above the bottom edge to just below the title
    frame_height: float = 8.0  # Manim's frame height
    fill: float = 0.66  # class points' 2–98 % height box / frame height at every stage


FACE_ON = Pose(0.0, FACE_ON_THETA)  # scene coordinates of the z = 0 plane drawn as they are


def rotation(phi: float, theta: float, gamma: float = 0.0) -> np.ndarray:
    """(3, 3) matrix taking scene coordinates to camera coordinates, as ThreeDCamera's."""
    result = np.identity(3)
    for matrix in (
        rotation_about_z(-theta - 90 * DEGREES),
        rotation_matrix(-phi, RIGHT),
        rotation_about_z(gamma),
    ):
        result = matrix @ result
    return result


def project(points: np.ndarray, pose: Pose, focal_distance: float) -> np.ndarray:
    """(n, 2) screen positions of (n, 3) scene points, as ThreeDCamera.project_points + shift."""
    camera = points @ rotation(pose.phi, pose.theta, pose.gamma).T  # (n, 3)
    depth = focal_distance - camera[:, 2]
    factor = np.where(depth > 0, focal_distance / np.where(depth > 0, depth, 1.0), 1e6)
    return camera[:, :2] * (factor * pose.zoom)[:, None] + np.asarray(pose.shift)


def visibility(points: np.ndarray, pose: Pose) -> float:
    """How unflattened (n, 3) points look from ``pose``: 1 at best, 0 seen edge-on.

    The ratio of the picture's two spreads (its singular values), relative to the best any view
    can show (the points' own second / first spread), so an elongated cloud is not penalised
    for its shape, only for being seen from a bad side.
    """
    centred = points - points.mean(axis=0)
    spread = np.linalg.svd(centred, compute_uv=False)  # (3,)
    picture = centred @ rotation(pose.phi, pose.theta, pose.gamma)[:2].T  # (n, 2)
    seen = np.linalg.svd(picture, compute_uv=False)
    if spread[0] <= 0 or spread[1] <= 1e-12 * spread[0]:
        return 1.0  # a line or a point looks the same from every side that does not hide it
    return float(min(1.0, (seen[1] / max(seen[0], 1e-300)) / (spread[1] / spread[0])))


def edge_on_phi(normal: np.ndarray, theta: float) -> float:
    """phi ∈ (0, π) at which a camera at azimuth ``theta`` sees the plane ⟂ ``normal`` edge-on."""
    along = normal[0] * np.cos(theta) + normal[1] * np.sin(theta)
    return float(np.arctan2(-normal[2], along) % np.pi)


def orbit_angles(
    n_stages: int, theta_start: float, turn: float, lift_phi: float, end_phi: float
) -> list[Pose]:
    """Poses for stages 0..n_stages−1: face-on, tilt to ``lift_phi``, orbit ``turn`` radians.

    The input pose is face-on with a roll that keeps x₁ to the right whatever ``theta_start``;
    the tilt keeps the azimuth (the roll unwinds); the orbit then turns steadily while phi moves
    steadily from ``lift_phi`` to ``end_phi``. A video of one step tilts and orbits at once.
    """
    face_on = Pose(0.0, theta_start, theta_start - FACE_ON_THETA)
    if n_stages == 1:
        return [face_on]
    if n_stages == 2:
        return [face_on, Pose(end_phi, theta_start + turn)]
    poses = [face_on, Pose(lift_phi, theta_start)]
    for k in range(2, n_stages):
        s = (k - 1) / (n_stages - 2)
        poses.append(Pose(lift_phi + s * (end_phi - lift_phi), theta_start + s * turn))
    return poses


def choose_angles(
    keyframes: Sequence[np.ndarray],
    normal: np.ndarray | None,
    screen: Screen,
    focal_distance: float,
    *,
    lift_range: tuple[float, float] = (30 * DEGREES, 70 * DEGREES),
    turn_range: tuple[float, float] = (60 * DEGREES, 90 * DEGREES),
    phi_range: tuple[float, float] = (40 * DEGREES, 80 * DEGREES),
    max_roll: float = 30 * DEGREES,
    fill_floor: float = 0.62,
) -> list[Pose]:
    """The orbit (see :func:`orbit_angles`) that sees every stage's class points best.

    Best: every stage fills at least ``fill_floor`` of the frame height (a wide picture in a
    wide frame fills less of it), then the worst-seen stage is the least flattened, then the
    roll is small and the turn mid-range.

    Parameters
    ----------
    keyframes
        Each stage's class points, (n, 3) scene coordinates, input first.
    normal
        The last stage's separating direction in scene coordinates (the read-out's w₁ − w₀), or
        None: the orbit then ends at the middle of ``phi_range``.
    screen, focal_distance
        Where the picture is fitted (:func:`fit_screen`) and the camera's perspective.
    lift_range, turn_range, phi_range
        The tilts tried for the end of the lift, the orbit's total turns, and the elevations
        allowed at the end (where the separating plane is seen edge-on).
    max_roll
        The largest turn of the input picture in the screen during the tilt (the start azimuth's
        distance from face-on): small keeps the tilt reading as a tilt.
    fill_floor
        The height fill every stage should reach (the screen's target is ``screen.fill``).
    """
    n_stages = len(keyframes)
    # A few hundred points each: the choice needs the clouds' shapes, not every dot.
    sample = [points[:: max(1, len(points) // 400)] for points in keyframes]
    middle_turn, middle_phi = sum(turn_range) / 2, sum(phi_range) / 2
    turns = np.linspace(*turn_range, 7)
    best: tuple[float, list[Pose]] | None = None
    for constrained in (True, False):
        for roll, lift, turn in itertools.product(
            np.linspace(-max_roll, max_roll, 7), np.linspace(*lift_range, 5), (*turns, *-turns)
        ):
            theta_start = FACE_ON_THETA + roll
            end_phi = middle_phi
            if constrained:
                if normal is None:
                    break
                end_phi = edge_on_phi(normal, theta_start + turn)
                if not phi_range[0] <= end_phi <= phi_range[1]:
                    continue
            poses = orbit_angles(n_stages, theta_start, turn, lift, end_phi)
            fill = min(
                (filled(sample[k], poses[k], screen, focal_distance) for k in range(n_stages)),
            )
            # The last stage is seen as the separation asks: only its fill is scored.
            seen = min((visibility(sample[k], poses[k]) for k in range(1, n_stages - 1)), default=1)
            score = (
                seen
                - 10 * max(0.0, fill_floor - fill)
                - 0.05 * abs(roll) / max(max_roll, 1e-9)
                - 0.02 * abs(abs(turn) - middle_turn)
                - 0.02 * abs(lift - sum(lift_range) / 2)
            )
            if best is None or score > best[0]:
                best = (score, poses)
        if best is not None:
            break
    assert best is not None  # the unconstrained pass always has candidates
    return best[1]


def fit_screen(
    picture: np.ndarray,
    screen: Screen,
    max_zoom: float = np.inf,
    extent: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    """Zoom and shift that fit an unzoomed, unshifted (n, 2) projection to ``screen``.

    The 2–98 % height box fills ``screen.fill`` of the frame height unless the whole cloud (and
    ``extent``, (m, 2) more projected points to keep inside: a range box, axes) would then leave
    the screen area; all of it is centred in it.
    """
    whole = picture if extent is None or not len(extent) else np.concatenate([picture, extent])
    lo, hi = whole.min(axis=0), whole.max(axis=0)
    size = np.maximum(hi - lo, 1e-9)
    low, high = np.percentile(picture[:, 1], [2, 98])
    zoom = min(
        screen.fill * screen.frame_height / max(high - low, 1e-9),
        screen.width / size[0],
        screen.height / size[1],
        max_zoom,
    )
    return zoom, np.asarray(screen.center) - zoom * (lo + hi) / 2


def filled(points: np.ndarray, pose: Pose, screen: Screen, focal_distance: float) -> float:
    """The class points' 2–98 % height box / frame height, fitted to ``screen`` from ``pose``."""
    picture = project(points, replace(pose, zoom=1.0, shift=(0.0, 0.0)), focal_distance)
    zoom, _ = fit_screen(picture, screen)
    low, high = np.percentile(picture[:, 1], [2, 98])
    return float(zoom * (high - low) / screen.frame_height)


def keep_inside(
    picture: np.ndarray, zoom: float, shift: np.ndarray, screen: Screen
) -> tuple[float, np.ndarray]:
    """``zoom`` and ``shift`` reduced and moved as little as needed to keep the (n, 2) unzoomed
    projection inside the screen area."""
    lo, hi = picture.min(axis=0), picture.max(axis=0)
    size = np.maximum(hi - lo, 1e-9)
    zoom = min(zoom, screen.width / size[0], screen.height / size[1])
    half = np.array([screen.width, screen.height]) / 2
    low_edge, high_edge = np.asarray(screen.center) - half, np.asarray(screen.center) + half
    shift = np.asarray(shift, dtype=float)
    shift = shift + np.maximum(low_edge - (zoom * lo + shift), 0)
    shift = shift - np.maximum(zoom * hi + shift - high_edge, 0)
    return zoom, shift


@dataclass(frozen=True)
class CameraPlan:
    """A pose per stage (input first), fitted to the stage's class points, and the moves between.

    Build it with :meth:`fitted`; :meth:`pose_at` gives the pose at any moment of a move.
    """

    poses: tuple[Pose, ...]  # one per stage, zoom and shift fitted
    screen: Screen  # where the picture goes
    focal_distance: float  # the camera's perspective

    @classmethod
    def fitted(
        cls,
        angles: Sequence[Pose],
        keyframes: Sequence[np.ndarray],
        screen: Screen,
        focal_distance: float,
        extents: Sequence[np.ndarray] | None = None,
    ) -> CameraPlan:
        """The plan with ``angles`` (zoom and shift ignored), fitted to each stage's points;
        ``extents`` (each (m, 3), per stage) are more points to keep on the screen area."""
        poses = []
        for k, (pose, points) in enumerate(zip(angles, keyframes)):
            bare = replace(pose, zoom=1.0, shift=(0.0, 0.0))
            extent = None if extents is None else project(extents[k], bare, focal_distance)
            zoom, shift = fit_screen(project(points, bare, focal_distance), screen, extent=extent)
            poses.append(replace(bare, zoom=zoom, shift=(float(shift[0]), float(shift[1]))))
        return cls(tuple(poses), screen, focal_distance)

    def pose_at(self, move: int, t: float, points: np.ndarray | None = None) -> Pose:
        """The pose at time ``t`` ∈ [0, 1] of ``move`` (the input move: the input, held).

        Angles and shift move linearly in ``t``, the zoom geometrically; with the current (n, 3)
        class ``points``, the zoom and shift are then kept from pushing them off the screen area.
        """
        if move == INPUT_MOVE:
            return self.poses[0]
        a, b = self.poses[move - 1], self.poses[move]
        pose = Pose(
            phi=a.phi + t * (b.phi - a.phi),
            theta=a.theta + t * (b.theta - a.theta),
            gamma=a.gamma + t * (b.gamma - a.gamma),
        )
        zoom = a.zoom ** (1 - t) * b.zoom**t
        shift = (1 - t) * np.asarray(a.shift) + t * np.asarray(b.shift)
        if points is not None and len(points):
            picture = project(points, pose, self.focal_distance)
            zoom, shift = keep_inside(picture, zoom, shift, self.screen)
        return replace(pose, zoom=float(zoom), shift=(float(shift[0]), float(shift[1])))

    def turn_between(self, a: int, b: int) -> float:
        """Degrees the camera turns from stage ``a``'s pose to stage ``b``'s (their rotation)."""
        pa, pb = self.poses[a], self.poses[b]
        ra, rb = rotation(pa.phi, pa.theta, pa.gamma), rotation(pb.phi, pb.theta, pb.gamma)
        cosine = np.clip((np.trace(rb @ ra.T) - 1) / 2, -1.0, 1.0)
        return float(np.degrees(np.arccos(cosine)))

    @property
    def turn(self) -> float:
        """Radians the camera turns around the vertical axis over the whole video."""
        return self.poses[-1].theta - self.poses[0].theta
