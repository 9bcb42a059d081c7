"""The 3-D scenes: camera plan, picture size, orbit, coverage, range box, axis names, red on top."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from manim import DEGREES, tempconfig
from manim.utils.rate_functions import smoothstep

from model.data.builtin import circles
from scenes.kit.animations import MorphPicture, PlayTimeline
from scenes.kit.manim_internals import FastThreeDCamera
from scenes.kit.orbit import (
    FACE_ON_THETA,
    Pose,
    Screen,
    choose_angles,
    fit_screen,
    keep_inside,
    project,
    rotation,
)
from scenes.morph3d import ReluMorph3D, TanhMorph3D
from tests.conftest import TINY, render_recording

FRAME_HEIGHT = 8.0
FLOOR = 0.6  # the issue's floor: class points' 2–98 % height box / frame height


def _height(screen_points: np.ndarray) -> float:
    low, high = np.percentile(screen_points[:, 1], [2, 98])
    return float(high - low)


@pytest.mark.parametrize(
    "pose",
    [
        Pose(0.0, FACE_ON_THETA),
        Pose(65 * DEGREES, -30 * DEGREES, 0.0, 2.5, (0.3, -0.6)),
        Pose(40 * DEGREES, -120 * DEGREES, 20 * DEGREES, 1.2, (-1.0, 0.5)),
    ],
)
def test_project_is_the_cameras_projection(pose, tmp_path):
    points = np.random.default_rng(0).normal(scale=2.0, size=(50, 3))
    with tempconfig({**TINY, "media_dir": str(tmp_path)}):
        camera = FastThreeDCamera()
        camera.set_pose(pose)
        expected = camera.project_points(points)[:, :2]
    np.testing.assert_allclose(project(points, pose, camera.get_focal_distance()), expected)


def test_fit_screen_fills_the_height_and_keep_inside_keeps_the_cloud_in():
    screen = Screen()
    picture = np.random.default_rng(1).uniform(-1, 1, size=(2000, 2)) * [0.5, 1.0] + [3.0, -2.0]
    zoom, shift = fit_screen(picture, screen)
    drawn = zoom * picture + shift
    assert _height(drawn) == pytest.approx(screen.fill * screen.frame_height)
    half = np.array([screen.width, screen.height]) / 2
    assert (np.abs(drawn - screen.center) <= half + 1e-9).all()
    # A zoom too large for the cloud is reduced, and the shift moved, until it fits.
    zoom, shift = keep_inside(picture, 10 * zoom, shift + [20.0, 0.0], screen)
    assert (np.abs(zoom * picture + shift - screen.center) <= half + 1e-9).all()


def test_chosen_orbit_starts_face_on_and_ends_edge_on_to_the_separating_plane():
    rng = np.random.default_rng(2)
    keyframes = [np.c_[rng.normal(size=(400, 2)), np.zeros(400)]]
    keyframes += [rng.normal(size=(400, 3)) * [2.0, 1.0, 1.5] for _ in range(5)]
    normal = np.array([0.6, -0.5, -0.62])
    normal /= np.linalg.norm(normal)
    poses = choose_angles(keyframes, normal, Screen(), 20.0)
    assert len(poses) == 6
    # Face-on with x₁ to the right: the camera's rotation keeps x and y on screen.
    start = poses[0]
    np.testing.assert_allclose(rotation(start.phi, start.theta, start.gamma), np.eye(3), atol=1e-12)
    assert poses[1].phi >= 30 * DEGREES  # tilted once the plane is lifted
    assert 60 * DEGREES - 1e-9 <= abs(poses[-1].theta - poses[0].theta) <= 90 * DEGREES + 1e-9
    # The camera's line of sight lies in the separating plane: it is seen edge-on.
    sight = rotation(poses[-1].phi, poses[-1].theta, poses[-1].gamma)[2]
    assert abs(sight @ normal) < 1e-9


def _recording(scene_class):
    """A subclass that records the camera and the 3-D overlay at the end of every step."""

    class Recording3D(scene_class):
        def setup(self):
            self.ends = []
            super().setup()

        def _record(self, move: int) -> None:
            camera = self.renderer.camera
            camera.reset_rotation_matrix()
            picture = next(m for m in self.mobjects if isinstance(m, MorphPicture))
            clouds = [c.centers.copy() for c in picture.clouds]
            self.ends.append(
                {
                    "move": move,
                    "pose": camera.get_pose(),
                    "clouds": clouds,
                    "screen": camera.project_points(np.concatenate(clouds))[:, :2],
                    "box": self.space.box.vertices.copy(),
                    "axes": self.space.axes.vertices.reshape(-1, 2, 3).copy(),
                    "box_opacity": self.space.box.get_stroke_opacity(),
                    "scale_shown": self.scale_bar.heading[0].get_fill_opacity() > 0,
                    "names": sorted(
                        name
                        for name, text in self.space.names.items()
                        if text.get_fill_opacity() > 0.99
                    ),
                }
            )

        def wait(self, *args, **kwargs):
            if not self.ends:
                self._record(0)  # the input, before the first step
            super().wait(*args, **kwargs)

        def play(self, *animations, **kwargs):
            super().play(*animations, **kwargs)
            moves = [a.move for a in animations if isinstance(a, PlayTimeline)]
            if moves:
                self._record(moves[0])

    Recording3D.__name__ = scene_class.__name__
    return Recording3D


@pytest.fixture(scope="module")
def relu3d(shared_cache):
    return render_recording(_recording(ReluMorph3D), shared_cache)


@pytest.fixture(scope="module")
def tanh3d(shared_cache):
    return render_recording(_recording(TanhMorph3D), shared_cache)


def _in_space(scene) -> list[dict]:
    """The recorded step ends the 3-D camera shows (the flat read-out and softmax follow)."""
    return [end for end in scene.ends if end["move"] <= scene.last_hidden]


@pytest.mark.parametrize("fixture", ["relu3d", "tanh3d"])
def test_3d_picture_fills_its_area_and_stays_inside_it(fixture, request):
    """At every 3-D stage the class points and the axes (whose ends the names sit at) fill the
    picture region in one direction and never leave it: the legend, strip, title and captions
    keep their regions, seen from any side."""
    scene, _ = request.getfixturevalue(fixture)
    area = scene.picture_screen
    half = np.array([area.width, area.height]) / 2
    ends = _in_space(scene)
    assert [end["move"] for end in ends] == list(range(scene.last_hidden + 1))
    for end in ends:
        focal = scene.camera_plan.focal_distance
        camera_points = project(end["axes"].reshape(-1, 3), end["pose"], focal)
        drawn = np.concatenate([end["screen"], camera_points])
        offset = np.abs(drawn - area.center)
        assert (offset <= half + 1e-6).all(), end["move"]  # inside the area
        filled = (drawn.max(axis=0) - drawn.min(axis=0)) / (2 * half)
        assert filled.max() >= 0.97, (end["move"], filled)  # and fills it one way
        assert _height(end["screen"]) >= 0.3 * FRAME_HEIGHT  # the points themselves show


def _distances(points: np.ndarray, k: int = 60) -> np.ndarray:
    idx = np.linspace(0, len(points) - 1, k).astype(int)
    sub = points[idx]
    return np.linalg.norm(sub[:, None] - sub[None], axis=-1)


def test_3d_view_draws_the_true_hidden_space(relu3d):
    scene, _ = relu3d
    module = scene.morph.net.to_torch()
    plot = np.concatenate(circles().x_plot)
    saw_depth = False
    for move, clouds, _ in scene.recorded:
        if move > scene.last_hidden:
            continue  # the flat read-out, softmax and decision: the 2-D videos' pictures
        drawn = np.concatenate(clouds)
        with torch.no_grad():
            truth = module[:move](torch.as_tensor(plot)).numpy()
        if truth.shape[1] > 3:
            continue
        # A true 3-D view is a rigid motion plus one scale: all distances scale alike.
        d_drawn, d_truth = _distances(drawn), _distances(truth)
        mask = d_truth > 1e-9 * d_truth.max()
        ratios = d_drawn[mask] / d_truth[mask]
        np.testing.assert_allclose(ratios, ratios.mean(), rtol=1e-6)
        saw_depth |= truth.shape[1] == 3 and np.ptp(drawn[:, 2]) > 0.1
    assert saw_depth  # 3-wide stages really leave the z = 0 plane


def test_3d_starts_face_on_then_tilts(relu3d):
    scene, _ = relu3d
    start, lifted = scene.ends[0]["pose"], scene.ends[1]["pose"]
    np.testing.assert_allclose(rotation(start.phi, start.theta, start.gamma), np.eye(3), atol=1e-9)
    assert lifted.phi >= 30 * DEGREES


@pytest.mark.parametrize("fixture", ["relu3d", "tanh3d"])
def test_3d_orbit_turns_60_to_90_degrees(fixture, request):
    scene, _ = request.getfixturevalue(fixture)
    ends = _in_space(scene)
    turn = abs(ends[-1]["pose"].theta - ends[0]["pose"].theta) / DEGREES
    assert 60 - 1e-6 <= turn <= 90 + 1e-6


def test_3d_covers_every_layer_in_3d_then_lands_on_the_flat_read_out(relu3d):
    """Every hidden stage in 3-D, then the read-out, softmax and the decision as the 2-D videos
    draw them: the last frame is the shaded input plane."""
    scene, _ = relu3d
    stages = scene.morph.stages
    moves = [end["move"] for end in scene.ends]
    kinds = [stage.step.kind for stage in stages]
    last_hidden = len(stages) - 3  # before the read-out and softmax
    assert scene.last_hidden == last_hidden and kinds[last_hidden] == "activation"
    assert moves[: last_hidden + 1] == list(range(last_hidden + 1))
    timeline = scene.timeline
    assert moves[last_hidden + 1 :] == [last_hidden + 1, last_hidden + 2, timeline.return_move]
    # The flat stages are the 2-D view's own pictures, the camera face-on (identity).
    for end in scene.ends[last_hidden + 1 :]:
        pose = end["pose"]
        np.testing.assert_allclose(rotation(pose.phi, pose.theta, pose.gamma), np.eye(3), atol=1e-9)
        assert pose.zoom == 1.0 and pose.shift == (0.0, 0.0)
        flat = scene.flat.frame_at(end["move"], 1.0).points
        drawn = np.concatenate(end["clouds"])
        rows = np.concatenate([np.arange(c.start, c.stop) for c in scene.morph.layout.classes])
        np.testing.assert_allclose(drawn, flat[rows], atol=1e-9)


def test_3d_red_class_is_visible_in_the_last_frame(relu3d):
    _, frame = relu3d
    rgb = frame[:, :, :3].astype(int)
    red = (rgb[:, :, 0] - rgb[:, :, 2] > 60) & (rgb[:, :, 0] - rgb[:, :, 1] > 60)
    blue = rgb[:, :, 2] - rgb[:, :, 0] > 60
    assert red.mean() >= 0.003  # issue 9's floor for every class
    assert red.sum() >= 0.1 * blue.sum()


def _box_bounds(end):
    box = end["box"].reshape(-1, 3)
    return box.min(axis=0), box.max(axis=0)


def test_relu_outputs_lie_in_the_octant_box_whose_corner_is_the_origin(relu3d):
    scene, _ = relu3d
    for end in _in_space(scene):
        if scene.morph.stages[end["move"]].step.kind != "activation":
            continue
        assert end["box_opacity"] > 0
        points = np.concatenate(end["clouds"])
        low, high = _box_bounds(end)
        assert (points >= low - 1e-9).all() and (points <= high + 1e-9).all()
        # The octant's corner is h = 0, where the three drawn axes start, and ReLU puts points
        # on its walls.
        starts = end["axes"][:, 0]
        np.testing.assert_allclose(starts, np.tile(low, (3, 1)), atol=1e-9)
        assert np.isclose(points.min(axis=0), low, atol=1e-9).any()


def test_tanh_outputs_lie_in_the_cube_box(tanh3d):
    scene, _ = tanh3d
    saw_cube = False
    for end in _in_space(scene):
        if scene.morph.stages[end["move"]].step.kind != "activation":
            continue
        points = np.concatenate(end["clouds"])
        low, high = _box_bounds(end)
        assert (points >= low - 1e-9).all() and (points <= high + 1e-9).all()
        # The box is the cube [−1, 1]³ drawn at the points' one scale: a cube.
        size = high - low
        np.testing.assert_allclose(size, size[0], rtol=1e-9)
        saw_cube = True
    assert saw_cube


def test_3d_axes_are_named(relu3d):
    scene, _ = relu3d
    ends = _in_space(scene)
    assert ends[0]["names"] == ["x₁", "x₂"]
    for end in ends[1:]:
        assert end["names"] == ["h₁", "h₂", "h₃"]


def test_3d_notes_name_the_range_box(relu3d):
    scene, _ = relu3d
    notes = [scene.get_note(stage) for stage in scene.morph.stages]
    assert "positive octant" in notes[scene.last_hidden]
    assert "octant" not in notes[0]
    assert "seen flat from here on" in notes[scene.last_hidden + 1]


def _turn(a: Pose, b: Pose) -> float:
    """Degrees the camera turns from pose ``a`` to pose ``b`` (the rotation between them)."""
    ra, rb = rotation(a.phi, a.theta, a.gamma), rotation(b.phi, b.theta, b.gamma)
    return float(np.degrees(np.arccos(np.clip((np.trace(rb @ ra.T) - 1) / 2, -1, 1))))


@pytest.mark.parametrize("fixture", ["relu3d", "tanh3d"])
def test_3d_camera_moves_smoothly_and_slowly(fixture, request):
    scene, _ = request.getfixturevalue(fixture)
    plan = scene.camera_plan
    alphas = np.linspace(0, 1, 201)
    for move in range(1, len(plan.poses)):
        seconds = scene.move_seconds(move)
        poses = [plan.pose_at(move, smoothstep(a)) for a in alphas]
        speeds = [_turn(a, b) / (seconds / 200) for a, b in itertools.pairwise(poses)]
        # At rest where each step starts and ends (no jerk into or out of a hold) …
        assert speeds[0] < 1 and speeds[-1] < 1
        # … a tilt under 60°/s and an orbit under 20°/s at their fastest.
        assert max(speeds) <= (60 if move == 1 else 20), move
        # Each step starts where the previous one ended.
        assert _turn(plan.pose_at(move, 0.0), plan.pose_at(move - 1, 1.0)) < 1e-3


def test_3d_shows_no_scale_heading_without_its_bar(relu3d):
    # Perspective has no one scale: the 3-D stages show no bar, and no "scale" heading alone.
    scene, _ = relu3d
    ends = scene.ends
    assert not any(end["scale_shown"] for end in ends if 1 <= end["move"] <= scene.last_hidden)
    assert ends[-1]["scale_shown"]  # the flat read-out has its bar again
