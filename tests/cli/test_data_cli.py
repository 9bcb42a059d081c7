"""Your data and your model through the real ``manim`` CLI, at a tiny resolution."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest
import torch
from manim import get_video_metadata
from safetensors.torch import save_file
from torch import nn

from tests.conftest import REPO, run

TINY = ["-r", "160,90", "--fps", "5"]


def _three_blobs(path):
    rng = np.random.default_rng(1)
    centres = {"north": (0.0, 1.0), "west": (-1.0, -0.6), "east": (1.0, -0.6)}
    rows = [
        f"{x!r},{y!r},{name}"
        for name, centre in centres.items()
        for x, y in (np.array(centre) + rng.normal(0, 0.25, (60, 2))).tolist()
    ]
    path.write_text("x,y,label\n" + "\n".join(rows) + "\n")
    return path


def _scene_file(tmp_path, weights):
    data = _three_blobs(tmp_path / "blobs.csv")
    scene = tmp_path / "mine.py"
    scene.write_text(
        textwrap.dedent(
            f"""
            from scenes.morph import MorphScene

            class Mine(MorphScene):
                dataset = {str(data)!r}
                weights = {str(weights)!r}
                activation = "relu"
                show_folds = True
            """
        )
    )
    return scene


@pytest.mark.cli
def test_your_weights_on_a_three_class_csv_with_folds_render(tmp_path):
    torch.manual_seed(0)
    module = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 3))
    weights = tmp_path / "my_net.safetensors"
    save_file(module.state_dict(), str(weights))
    scene = _scene_file(tmp_path, weights)
    media = tmp_path / "media"
    args = ["manim", "--config_file", str(REPO / "manim.cfg"), *TINY, "--media_dir", str(media)]
    result = run([*args, str(scene), "Mine"], tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    (video,) = media.rglob("Mine.mp4")
    meta = get_video_metadata(video)
    assert (meta["width"], meta["height"]) == (160, 90)
    assert int(meta["nb_frames"]) > 50
    assert not (media / "checkpoints").exists() or not any((media / "checkpoints").iterdir())


@pytest.mark.cli
def test_an_unsupported_weights_file_stops_the_render_in_one_line(tmp_path):
    module = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Linear(4, 3))
    weights = tmp_path / "bn.safetensors"
    save_file(module.state_dict(), str(weights))
    scene = _scene_file(tmp_path, weights)
    media = tmp_path / "media"
    args = ["manim", "--config_file", str(REPO / "manim.cfg"), *TINY, "--media_dir", str(media)]
    result = run([*args, str(scene), "Mine"], tmp_path)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "netmorph: error" in line]
    assert len(errors) == 1 and "batch norm" in errors[0] and "supported:" in errors[0]
    assert not list(media.rglob("*.mp4"))
