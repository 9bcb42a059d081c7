"""The environment cannot change the picture: render settings come from the package, and every
documented scene attribute can be set from the environment (NETMORPH_*)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from manim import config, tempconfig
from PIL import Image

from model.network.config import Config
from model.train.checkpoints import cache_dir_in, load
from scenes.comparison import ActivationComparison
from scenes.kit.style import THEMES
from scenes.morph import ReluMorph, TanhMorph
from tests.conftest import REPO, TINY, run

DARK_BACKGROUND = THEMES["dark"].background

# What Manim renders with when no manim.cfg is in the working directory.
MANIM_DEFAULTS = {
    "disable_caching": False,
    "background_color": "#000000",
    "max_inflight_encoders": 1,
    "video_encoder_options": {},
}


@pytest.fixture(autouse=True)
def _no_overrides(monkeypatch):
    for name in [n for n in os.environ if n.startswith("NETMORPH_")]:
        monkeypatch.delenv(name)


def test_render_settings_come_from_the_package(tmp_path):
    with tempconfig({**TINY, **MANIM_DEFAULTS, "media_dir": str(tmp_path)}):
        ReluMorph()
        assert config.disable_caching is True
        assert config.background_color.to_hex().upper() == DARK_BACKGROUND.upper()
        assert config.max_inflight_encoders == 4  # TINY's frame: small
        assert config.video_encoder_options["rc-lookahead"] == "10"
        # Text SVGs go to this process's own folder, not the shared <media_dir>/texts.
        assert not Path(config.get_dir("text_dir")).is_relative_to(tmp_path)


@pytest.mark.parametrize(
    ("size", "encoders"), [((854, 480), 4), ((1280, 720), 4), ((1920, 1080), 2)]
)
def test_small_frames_encode_more_clips_at_once(tmp_path, size, encoders):
    width, height = size
    settings = {**TINY, **MANIM_DEFAULTS, "pixel_width": width, "pixel_height": height}
    with tempconfig({**settings, "media_dir": str(tmp_path)}):
        ReluMorph()
        assert config.max_inflight_encoders == encoders


def test_the_users_own_settings_win(tmp_path):
    mine = {
        "background_color": "#FFFFFF",
        "max_inflight_encoders": 3,
        "video_encoder_options": {"rc-lookahead": "20"},
        "text_dir": str(tmp_path / "my-texts"),
    }
    with tempconfig({**TINY, **MANIM_DEFAULTS, **mine, "media_dir": str(tmp_path)}):
        ReluMorph()
        assert config.background_color.to_hex().upper() == "#FFFFFF"
        assert config.max_inflight_encoders == 3
        assert config.video_encoder_options["rc-lookahead"] == "20"
        assert Path(config.get_dir("text_dir")) == tmp_path / "my-texts"


def test_valid_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("NETMORPH_HIDDEN", "3,5,3")
    monkeypatch.setenv("NETMORPH_SEED", "4")
    monkeypatch.setenv("NETMORPH_SHOW_BOUNDARY", "no")
    monkeypatch.setenv("NETMORPH_ACTIVATION", "relu, tanh")
    monkeypatch.setenv("NETMORPH_HOLD_SECONDS", "0")
    monkeypatch.setenv("NETMORPH_TARGET_ACCURACY", "default")
    monkeypatch.setenv("NETMORPH_ACTIVATIONS", "gelu,sigmoid")
    with tempconfig({**TINY, "media_dir": str(tmp_path)}):
        scene = TanhMorph()
        panels = ActivationComparison()
    assert scene.hidden == (3, 5, 3) and scene.seed == 4
    assert scene.show_boundary is False and scene.hold_seconds == 0.0
    assert scene.activation == ("relu", "tanh") and scene.target_accuracy is None
    assert scene.network_config() == Config(hidden=(3, 5, 3), activation=("relu", "tanh"), seed=4)
    assert panels.activations == ("gelu", "sigmoid")
    assert TanhMorph.hidden is None and TanhMorph.activation == "tanh"  # the class is unchanged


@pytest.mark.cli
def test_render_from_another_directory_with_an_override(tmp_path):
    """`cd elsewhere && manim /path/to/scenes/morph.py`: same background, override applied."""
    media = tmp_path / "media"
    render = ["manim", "-r", "160,90", "-s", "--media_dir", str(media)]
    render += [str(REPO / "scenes" / "morph.py"), "TanhMorph"]
    # No manim.cfg in this folder, no --config_file.
    result = run(["env", "NETMORPH_HIDDEN=3,4,3", *render], tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    (png,) = (media / "images").rglob("TanhMorph*.png")
    pixels = np.asarray(Image.open(png).convert("RGB")).astype(int)  # (90, 160, 3)
    assert "#" + "".join(f"{c:02X}" for c in pixels[0, 0]) == DARK_BACKGROUND.upper()
    (checkpoint,) = cache_dir_in(media).glob("*.safetensors")
    assert load(checkpoint).config == Config(activation="tanh", hidden=(3, 4, 3))
