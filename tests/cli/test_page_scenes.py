"""``netmorph page`` beyond ReluMorph: a training scene's snapshot slider, users' own scene files
(a three-class CSV, their own model's weights), and one-line refusals that write nothing."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from scenes.kit import style
from tests.cli.conftest import colour_share
from tests.conftest import NETMORPH, REPO, run

OWN_SCENES = """
from scenes.morph import MorphScene


class ThreeRings(MorphScene):
    dataset = "rings.csv"
    hidden = (3, 8, 8)
    best_effort = True


class OwnModel(MorphScene):
    dataset = "moons"
    weights = "mine.safetensors"
    activation = "tanh"
    hidden = (8,)
"""


def page(folder: Path, file: str, scene: str, *extra: str, env: dict | None = None):
    """Run ``netmorph page`` in ``folder``: the result, and where the page goes by default."""
    result = run([*NETMORPH, "page", file, scene, *extra], folder, timeout=600, env=env)
    return result, folder / "media" / "pages" / f"{scene}.html"


@pytest.fixture(scope="module")
def training_page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("training-page")
    result, built = page(folder, str(REPO / "scenes" / "training.py"), "ReluTraining")
    assert result.returncode == 0, result.stderr[-2000:]
    return built


def test_the_snapshot_slider_scrubs_training(training_page, open_page):
    opened = open_page(training_page, "snapshot=0")
    snapshots = opened.js("netmorph.data.snapshots")
    phases = opened.js("netmorph.data.sections")  # the video's sections: training's phases
    counter = opened.page.locator("#title .k")
    assert counter.inner_text() == snapshots[0]["caption"]
    assert opened.page.locator("#title .t").inner_text() == phases[0]["title"]
    before = opened.canvas()
    middle = len(snapshots) // 2
    opened.page.locator("#snapshot").fill(str(middle))
    opened.page.wait_for_function(f"location.hash === '#snapshot={middle}'")
    at = snapshots[middle]["at"]
    assert opened.js("netmorph.position") == pytest.approx(at)
    assert counter.inner_text() == snapshots[middle]["caption"] != snapshots[0]["caption"]
    phase = next(p for p in phases if at <= p["end"] + 1e-9)  # the phase it belongs to
    assert opened.page.locator("#title .t").inner_text() == phase["title"]
    assert opened.page.locator("#title .c").inner_text() == " ".join(phase["lines"])
    after = opened.canvas()
    assert (np.abs(after - before).max(axis=2) > 60).mean() > 0.01  # the hidden picture moved
    theme = style.get_theme("dark")
    frame_width, frame_height = opened.js("netmorph.data.frame")
    scale = after.shape[1] / frame_width  # pixels per scene unit
    # The input and hidden panels (the third is the accuracy-and-loss curve).
    for x0, y0, x1, y1 in opened.js("netmorph.data.screen.panels")[:2]:
        rows = slice(round((frame_height / 2 - y1) * scale), round((frame_height / 2 - y0) * scale))
        cols = slice(round((x0 + frame_width / 2) * scale), round((x1 + frame_width / 2) * scale))
        for colour in theme.class_colors[:2]:  # both classes: a lone dot's colour or a clump's
            lone = style.blend(colour, theme.class_opacity, theme.background)
            drawn = colour_share(after[rows, cols], lone)
            assert drawn + colour_share(after[rows, cols], style.rgb(colour)) > 0.002
    assert opened.asked == []


@pytest.fixture(scope="module")
def own_folder(tmp_path_factory) -> Path:
    """A user's folder: a scene file, a three-class CSV and a safetensors state_dict."""
    import torch
    from safetensors.torch import save_file
    from torch import nn

    folder = tmp_path_factory.mktemp("own-page")
    rng = np.random.default_rng(0)
    rows = ["x,y,label"]
    for k, name in enumerate(("core", "ring", "halo")):
        angle = rng.uniform(0, 2 * np.pi, 200)
        radius = rng.uniform(2 * k, 2 * k + 1, 200)
        rows += [f"{r * np.cos(a):.4f},{r * np.sin(a):.4f},{name}" for a, r in zip(angle, radius)]
    (folder / "rings.csv").write_text("\n".join(rows) + "\n")
    torch.manual_seed(0)
    module = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2))
    save_file(module.state_dict(), str(folder / "mine.safetensors"))
    (folder / "mine.py").write_text(textwrap.dedent(OWN_SCENES))
    return folder


@pytest.mark.parametrize(("scene", "classes"), [("ThreeRings", 3), ("OwnModel", 2)])
def test_a_user_s_own_scene_becomes_a_page(own_folder, open_page, scene, classes):
    result, built = page(own_folder, "mine.py", scene)
    assert result.returncode == 0, result.stderr[-2000:]
    opened = open_page(built, "t=0")
    assert opened.js("netmorph.data.classNames.length") == classes
    theme = style.get_theme("dark")
    pixels = opened.canvas()
    for colour in theme.class_colors[:classes]:
        dot = style.blend(colour, theme.class_opacity, theme.background)
        assert colour_share(pixels, dot) > 0.001
    closing = opened.js("netmorph.data.sections.at(-1)")
    if scene == "OwnModel":
        assert closing["title"] == "what your model decided"
    assert opened.asked == []


@pytest.mark.parametrize(
    ("args", "env", "fragment"),
    [
        (["scenes/morph.py", "ReluMorf"], None, "scenes/morph.py has no scene ReluMorf"),
        (["scenes/morph3d.py", "ReluMorph3D"], None, "is not a 2-D morph or training scene"),
        (["scenes/morph.py", "ReluMorph"], {"NETMORPH_ACTIVATION": "tahn"}, "tahn"),
    ],
)
def test_a_mistake_is_one_line_exit_2_and_writes_nothing(tmp_path, args, env, fragment):
    (tmp_path / "scenes").symlink_to(REPO / "scenes")
    result, _ = page(tmp_path, *args, "--media_dir", "media", env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "error: " in lines[0] and fragment in lines[0], result.stderr
    assert not (tmp_path / "media" / "pages").exists()
