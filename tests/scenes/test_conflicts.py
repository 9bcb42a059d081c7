"""Every conflict knowable from a scene's attributes is one line before training, and the 3-D
scene's attributes are checked (and overridable) like every other.

Each case renders a real subclass in this process with training replaced by a trap, so "refused
before training" is checked exactly, and nothing may be left in the media folder (a training
always leaves its checkpoint there).
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from manim import tempconfig
from torch import nn

from model.train import checkpoints as store
from scenes.kit.options import check_scene_options
from tests.conftest import TINY, scene_media

BASES = {
    "MorphScene": "from scenes.morph import MorphScene",
    "MorphScene3D": "from scenes.kit.morph_scene_3d import MorphScene3D",
    "ReluMorph3D": "from scenes.morph3d import ReluMorph3D",
    "TrainingScene": "from scenes.training import TrainingScene",
    "ActivationComparison": "from scenes.comparison import ActivationComparison",
}

# (case id, base class, class body, environment, fragment of the one error line)
CONFLICTS = [
    (
        "folds with tanh",
        "MorphScene",
        "show_folds = True; activation = 'tanh'",
        {},
        "show_folds = True: fold lines are where ReLU-family units switch",
    ),
    (
        "folds with sigmoid from the environment",
        "MorphScene",
        "activation = 'sigmoid'",
        {"NETMORPH_SHOW_FOLDS": "1"},
        "NETMORPH_SHOW_FOLDS='1': fold lines",
    ),
    (
        "one width, an activation",
        "MorphScene",
        "hidden = (3,)",
        {},
        "hidden = (3,): one width is the affine embedding alone",
    ),
    (
        "one width in every panel",
        "ActivationComparison",
        "hidden = (3,)",
        {},
        "activations ('relu', 'tanh', 'gelu') is never used",
    ),
    (
        "three activations for two layers",
        "MorphScene",
        "activation = ('relu', 'tanh', 'gelu')",
        {},
        "3 activations given for 2 activated layers (hidden=3,3,3",
    ),
    (
        "two activations for the spiral's default",
        "MorphScene",
        "dataset = 'spiral'; activation = ('relu', 'tanh', 'gelu')",
        {},
        "for 2 activated layers (hidden=3,6,6",
    ),
    (
        "activation list for a CSV search",
        "MorphScene",
        "dataset = 'points.csv'; activation = ('relu', 'tanh')",
        {},
        "a CSV without hidden widths is fitted by trying networks of 2 and 3",
    ),
    ("3d view on a 2-D scene", "MorphScene", "view = '3d'", {}, "view '3d' needs a 3-D scene"),
    (
        "3d view on the training scene",
        "TrainingScene",
        "pass",
        {"NETMORPH_VIEW": "3d"},
        "NETMORPH_VIEW='3d': view '3d' needs a 3-D scene",
    ),
    (
        "2-D view on a 3-D scene",
        "ReluMorph3D",
        "pass",
        {"NETMORPH_VIEW": "pca"},
        "a 3-D scene (MorphScene3D) always draws the hidden space in 3-D",
    ),
    ("fill negative", "MorphScene3D", "fill = -1", {}, "fill = -1: must be a number above 0"),
    ("fill text", "MorphScene3D", "fill = 'big'", {}, "fill = 'big': must be a number"),
    ("fill above 1", "ReluMorph3D", "fill = 1.5", {}, "up to 1"),
    ("lift reversed", "MorphScene3D", "lift_range = (70, 30)", {}, "from ≤ to"),
    ("lift one number", "MorphScene3D", "lift_range = (30,)", {}, "must be two numbers"),
    ("turn beyond a circle", "MorphScene3D", "turn_range = (60, 400)", {}, "from 0 to 360"),
    ("end phi below", "MorphScene3D", "end_phi_range = (-10, 80)", {}, "from 0 to 90"),
    ("roll negative", "MorphScene3D", "max_roll = -5", {}, "max_roll = -5"),
    ("axis colour unknown", "MorphScene3D", "axis_color = 'big'", {}, 'like "#FFAA00"'),
    ("box colour a number", "MorphScene3D", "box_color = 3", {}, "box_color = 3"),
    ("axis opacity 2", "MorphScene3D", "axis_opacity = 2", {}, "from 0 to 1"),
    ("box width 0", "MorphScene3D", "box_width = 0", {}, "box_width = 0: must be a number"),
    ("axis width huge", "MorphScene3D", "axis_width = 500", {}, "up to 20"),
    ("name size 0", "MorphScene3D", "axis_name_size = 0", {}, "from 4 to 96"),
    ("name gap negative", "MorphScene3D", "axis_name_gap = -1", {}, "from 0 to 2"),
    ("name margin 5", "MorphScene3D", "name_margin = 5", {}, "name_margin = 5"),
    ("env fill text", "ReluMorph3D", "pass", {"NETMORPH_FILL": "big"}, "NETMORPH_FILL='big'"),
    (
        "env lift reversed",
        "ReluMorph3D",
        "pass",
        {"NETMORPH_LIFT_RANGE": "70,30"},
        "NETMORPH_LIFT_RANGE='70,30'",
    ),
    (
        "env colour",
        "ReluMorph3D",
        "pass",
        {"NETMORPH_BOX_COLOR": "nope"},
        "NETMORPH_BOX_COLOR='nope'",
    ),
]


def _scene_class(base: str, body: str, tmp_path):
    (tmp_path / "points.csv").write_text("x,y,label\n0,0,a\n1,1,b\n0,1,a\n1,0,b\n")
    namespace: dict = {}
    lines = "\n    ".join(part.strip() for part in body.split(";"))
    exec(f"{BASES[base]}\nclass Mine({base}):\n    {lines}\n", namespace)
    return namespace["Mine"]


@pytest.fixture
def clean_env(monkeypatch):
    for name in [n for n in os.environ if n.startswith("NETMORPH_")]:
        monkeypatch.delenv(name)
    return monkeypatch


@pytest.mark.parametrize(
    ("base", "body", "env", "fragment"), [c[1:] for c in CONFLICTS], ids=[c[0] for c in CONFLICTS]
)
def test_a_conflict_is_one_line_before_training(
    base, body, env, fragment, tmp_path, clean_env, capsys
):
    def trap(*args, **kwargs):
        raise AssertionError("training started")

    clean_env.setattr(store, "train", trap)
    for name, value in env.items():
        clean_env.setenv(name, value)
    scene_class = _scene_class(base, body, tmp_path)
    media = tmp_path / "media"
    with tempconfig({**TINY, "dry_run": False, "media_dir": str(media)}):
        with pytest.raises(SystemExit) as info:
            scene_class().render()
    assert info.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], lines
    assert not [p for p in media.rglob("*") if p.is_file()]  # no checkpoint, no frame


@pytest.mark.parametrize(
    ("base", "body"),
    [
        ("MorphScene", "show_folds = True; activation = ('tanh', 'relu')"),  # one layer folds
        ("MorphScene", "hidden = (3,); activation = 'identity'"),  # a linear network, said
        ("MorphScene", "dataset = 'points.csv'; activation = 'tanh'"),  # one name for a search
        ("MorphScene", "weights = 'mine.safetensors'; hidden = (8,); activation = ('relu',)"),
        ("MorphScene3D", "fill = 1; lift_range = [0, 90]; axis_color = 'RED'; box_color = None"),
    ],
    ids=["folds on one layer", "identity", "csv search", "own file", "3-D at its limits"],
)
def test_combinations_that_work_pass_the_check(base, body, tmp_path, clean_env):
    scene_class = _scene_class(base, body, tmp_path)
    scene = scene_class.__new__(scene_class)
    values = check_scene_options(scene, {})
    assert values  # every attribute was checked and normalised
    if base == "MorphScene3D":
        assert scene.lift_range == (0.0, 90.0) and scene.fill == 1.0


def test_the_own_networks_layers_decide_not_the_attributes(tmp_path, clean_env):
    from scenes.morph import MorphScene

    class Mine(MorphScene):
        activation = "tanh"  # ignored: trained_network() gives the layers
        show_folds = True

        def trained_network(self):
            return nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 2))

    assert check_scene_options(Mine.__new__(Mine), {})["show_folds"] is True


def test_3d_attributes_from_the_environment_reach_the_picture(shared_cache, clean_env):
    from scenes.morph3d import ReluMorph3D

    clean_env.setenv("NETMORPH_FILL", "0.5")
    clean_env.setenv("NETMORPH_AXIS_COLOR", "#FF0000")
    clean_env.setenv("NETMORPH_MAX_ROLL", "0")
    with tempconfig({**TINY, "media_dir": str(scene_media(shared_cache))}):
        scene = ReluMorph3D()
        scene.setup()
    assert scene.fill == 0.5 and scene.picture_screen.fill == 0.5
    assert scene.space.axes.get_stroke_color().to_hex() == "#FF0000"
    # Every stage's class points fill half the frame height (2–98 % box), the camera's own fit.
    plan = scene.camera_plan
    from scenes.kit.orbit import project

    heights = []
    for k, pose in enumerate(plan.poses):
        frame = scene.morph.timeline.frame_at(k, 1.0 if k else 0.0)
        drawn = project(frame.points[scene.class_rows], pose, plan.focal_distance)
        low, high = np.percentile(drawn[:, 1], [2, 98])
        heights.append(high - low)
    assert max(heights) == pytest.approx(0.5 * 8.0) and min(heights) > 0
    assert abs(plan.poses[0].gamma) < 1e-12  # max_roll 0: the input is never turned
