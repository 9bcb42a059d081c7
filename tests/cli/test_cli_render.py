"""The real ``manim`` CLI end to end, at a tiny resolution."""

from __future__ import annotations

import itertools
import json
import sys
import textwrap

import pytest
from manim import get_video_metadata
from PIL import Image

from tests.conftest import REPO, run

TINY = ["-r", "160,90", "--fps", "5"]


def manim(*args, cwd=REPO):
    return run(["manim", "--config_file", str(REPO / "manim.cfg"), *args], cwd)


@pytest.mark.cli
def test_gif_and_sections_through_the_real_cli(tmp_path):
    result = manim(
        *TINY,
        "--format",
        "gif",
        "--save_sections",
        "--media_dir",
        str(tmp_path),
        "scenes/morph.py",
        "ReluMorph",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    # One clip per step, named after it, and Manim's JSON index.
    index = json.loads(next(tmp_path.rglob("sections/ReluMorph.json")).read_text())
    assert [s["name"] for s in index] == [
        "input",
        "dense1_2to3",
        "dense2_3to3",
        "relu2",
        "dense3_3to3",
        "relu3",
        "dense4_3to2",
        "softmax",
        "decision",
    ]
    for section in index:
        assert next(tmp_path.rglob("sections")).joinpath(section["video"]).is_file()
        assert int(section["nb_frames"]) >= 5
    gifs = list((tmp_path / "videos" / "morph").rglob("ReluMorph*.gif"))
    assert len(gifs) == 1
    meta = get_video_metadata(gifs[0])
    assert (meta["width"], meta["height"]) == (160, 90)
    assert int(meta["nb_frames"]) > 50  # every step is animated, not just keyframes
    assert (tmp_path / "checkpoints").is_dir()  # trained on its own, cached beside the media


@pytest.mark.cli
def test_last_frame_png(tmp_path):
    result = manim(*TINY, "-s", "--media_dir", str(tmp_path), "scenes/morph.py", "TanhMorph")
    assert result.returncode == 0, result.stderr[-2000:]
    pngs = list((tmp_path / "images" / "morph").rglob("TanhMorph*.png"))
    assert len(pngs) == 1
    assert Image.open(pngs[0]).size == (160, 90)


@pytest.mark.cli
def test_user_subclass_and_its_mistake(tmp_path):
    (tmp_path / "mine.py").write_text(
        textwrap.dedent("""
        from scenes.morph import MorphScene

        class WideTanh(MorphScene):
            activation = "tanh"
            hidden = (8, 8)
            view = "pca"

        class Typo(MorphScene):
            activation = "tahn"
    """)
    )
    good = manim(*TINY, "--media_dir", str(tmp_path / "media"), "mine.py", "WideTanh", cwd=tmp_path)
    assert good.returncode == 0, good.stderr[-2000:]
    assert list((tmp_path / "media").rglob("WideTanh.mp4"))
    bad = manim(*TINY, "--media_dir", str(tmp_path / "bad"), "mine.py", "Typo", cwd=tmp_path)
    assert bad.returncode == 2
    assert "unknown activation 'tahn'" in bad.stderr
    assert "Traceback" not in bad.stderr + bad.stdout
    assert not list((tmp_path / "bad").rglob("*.mp4"))


@pytest.mark.cli
def test_3d_last_frame(tmp_path):
    result = manim(*TINY, "-s", "--media_dir", str(tmp_path), "scenes/morph3d.py", "ReluMorph3D")
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(list((tmp_path / "images").rglob("ReluMorph3D*.png"))) == 1


@pytest.mark.cli
@pytest.mark.parametrize(
    ("file", "scene"),
    [("scenes/comparison.py", "ActivationComparison"), ("scenes/training.py", "ReluTraining")],
)
def test_explaining_scenes_through_the_real_cli(tmp_path, file, scene):
    result = manim(*TINY, "--media_dir", str(tmp_path), file, scene)
    assert result.returncode == 0, result.stderr[-2000:]
    video = next(tmp_path.rglob(f"{scene}.mp4"))
    assert int(get_video_metadata(video)["nb_frames"]) > 30


@pytest.mark.cli
def test_poster_png_and_transparent_video(tmp_path):
    poster = manim(
        "-r", "480,270", "-s", "--media_dir", str(tmp_path), "scenes/poster.py", "StagesPoster"
    )
    assert poster.returncode == 0, poster.stderr[-2000:]
    png = next((tmp_path / "images").rglob("StagesPoster*.png"))
    assert Image.open(png).size == (480, 270)
    clear = manim(*TINY, "-t", "--media_dir", str(tmp_path), "scenes/morph.py", "TanhMorph")
    assert clear.returncode == 0, clear.stderr[-2000:]
    movie = next(p for p in tmp_path.rglob("TanhMorph.mov") if "partial" not in str(p))
    meta = get_video_metadata(movie)
    assert meta["pix_fmt"] == "argb"  # an alpha channel: the slide shows through


@pytest.mark.cli
def test_gallery_gif_recipe(tmp_path):
    """What `make gallery` does per activation, at a tiny size: short scene → compact GIF."""
    rendered = manim(
        "-r",
        "160,90",
        "--fps",
        "30",
        "--media_dir",
        str(tmp_path),
        "scenes/gallery.py",
        "ReluShort",
    )
    assert rendered.returncode == 0, rendered.stderr[-2000:]
    video = next(tmp_path.rglob("ReluShort.mp4"))
    num, den = get_video_metadata(video)["avg_frame_rate"].split("/")
    assert int(num) / int(den) == pytest.approx(30, rel=0.01)  # 30 fps, to Manim's rounding
    gif = tmp_path / "docs" / "ReluMorph.gif"
    converted = run([sys.executable, "-m", "scenes.kit.gif", str(video), str(gif)], tmp_path)
    assert converted.returncode == 0, converted.stderr
    image = Image.open(gif)
    total_ms = 0  # identical held frames are merged, so compare running time, not frame count
    for k in range(image.n_frames):
        image.seek(k)
        total_ms += image.info["duration"]
    seconds = float(get_video_metadata(video)["duration"])
    assert abs(total_ms / 1000 - seconds) < 0.05
    assert seconds < 25  # short: the whole network, with its input and closing holds, in ~20 s


@pytest.mark.cli
def test_every_section_clip_opens_and_ends_on_its_own_title(tmp_path):
    """A lecturer pausing at a step's start or end (or a slide's last frame) sees its title:
    the title band of every clip's first and last frame holds the title's text, and the
    text changes from one section to the next."""
    import av

    result = manim(
        "-r", "320,180", "--fps", "5", "--save_sections", "--media_dir", str(tmp_path),
        "scenes/morph.py", "ReluMorph",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    folder = next(tmp_path.rglob("sections"))
    index = json.loads((folder / "ReluMorph.json").read_text())
    bands = []
    for section in index:
        with av.open(str(folder / section["video"])) as clip:
            frames = [f.to_ndarray(format="rgb24") for f in clip.decode(video=0)]
        for frame in (frames[0], frames[-1]):
            band = frame[: frame.shape[0] * 9 // 100].astype(int)  # the title's rows
            # Light title glyphs on the dark theme (anti-aliased at 320×180: few reach white).
            text = (band.min(axis=2) > 150).sum()
            assert text >= 60, (section["name"], text)
        bands.append(band.min(axis=2) > 150)
    assert all((a != b).any() for a, b in itertools.pairwise(bands))  # each its own title
