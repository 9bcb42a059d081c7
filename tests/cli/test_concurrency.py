"""Renders side by side on one media folder all succeed and leave one valid checkpoint."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from manim import get_video_metadata

from model.train.checkpoints import TEMP_GLOB, cache_dir_in, load

SCENE = '''
from scenes.morph import MorphScene

class Brisk(MorphScene):
    """GELU, paced briskly so three renders at once stay cheap."""

    activation = "gelu"
    morph_seconds = 0.2
    hold_seconds = 0.0
    label_seconds = 0.2
'''


@pytest.mark.cli
def test_three_renders_of_one_uncached_scene_at_once(tmp_path):
    (tmp_path / "brisk.py").write_text(SCENE)
    media = tmp_path / "media"
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    args = ["manim", "-r", "160,90", "--fps", "5", "--media_dir", str(media), "brisk.py", "Brisk"]
    renders = [
        subprocess.Popen(
            args, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    outputs = [render.communicate(timeout=600) for render in renders]
    for render, (out, err) in zip(renders, outputs):
        assert render.returncode == 0, err[-3000:]
        assert "Traceback" not in out + err
    # Every render trained (nothing was cached); one checkpoint remains, whole.
    (checkpoint,) = cache_dir_in(media).glob("*.safetensors")
    assert load(checkpoint).accuracy == 1.0
    assert list(cache_dir_in(media).glob(TEMP_GLOB)) == []
    (video,) = (media / "videos").rglob("Brisk.mp4")
    # The movie is whole: every frame its header counts decodes (a render writing over
    # another's clips would have cut or mixed them).
    import av

    with av.open(str(video)) as container:
        decoded = sum(1 for _ in container.decode(video=0))
    assert decoded == int(get_video_metadata(video)["nb_frames"]) > 20
    # Each render kept its text SVGs and partial clips to itself, and removed them at exit.
    assert not (media / "texts").exists()
    partials = next((media / "videos").rglob("partial_movie_files"))
    assert [p for p in partials.rglob("*") if p.is_file()] == []


KILLED_RENDER = """
import time
from scenes.kit import environment
print(environment._private_text_dir(), flush=True)  # what a render's first Text would make
time.sleep(600)
"""


def test_folders_of_a_killed_render_are_removed_by_the_next(tmp_path):
    from scenes.kit.environment import TEXT_DIR_PREFIX, remove_dead_run_folders

    env = dict(os.environ, TMPDIR=str(tmp_path))
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parents[1]), env.get("PYTHONPATH", "")])
    render = subprocess.Popen(
        [sys.executable, "-c", KILLED_RENDER], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        folder = Path(render.stdout.readline().strip())
        (folder / "label.svg").write_text("<svg/>")
        assert remove_dead_run_folders(tmp_path.glob(f"{TEXT_DIR_PREFIX}*")) == []  # alive
    finally:
        render.kill()  # SIGKILL: no atexit clean-up runs
        render.wait()
    assert folder.is_dir()  # what a killed render leaves behind
    assert remove_dead_run_folders(tmp_path.glob(f"{TEXT_DIR_PREFIX}*")) == [folder]
    assert not folder.exists()
