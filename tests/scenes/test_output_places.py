"""Where a render goes: unwritable output folders are one line before training, and a full disk
while encoding is one line that leaves no partial file (faked at the write boundary: the
encoder, the final combine, the still's PNG; tests/cli/test_untrusted.py fills a real disk)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from manim import Square, tempconfig
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder
from PIL import Image

from model.train import checkpoints as store
from scenes.kit.morph_scene import NetmorphScene
from tests.conftest import TINY

VIDEO = {**TINY, "dry_run": False}
STILL = {**TINY, "dry_run": False, "save_last_frame": True, "write_to_movie": False}


class Blank(NetmorphScene):
    """A netmorph scene that trains nothing: a square held for a few frames."""

    def construct(self) -> None:
        self.add(Square())
        self.wait(0.6)


def _full(path: object = "x") -> OSError:
    return OSError(errno.ENOSPC, "No space left on device", str(path))


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _render(scene_class, settings, media: Path) -> None:
    with tempconfig({**settings, "media_dir": str(media)}):
        scene_class().render()


def _one_line(capsys) -> str:
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("netmorph: error: "), lines
    return lines[0]


@pytest.mark.parametrize(("settings", "blocked"), [(VIDEO, "videos"), (STILL, "images")])
def test_an_output_folder_that_cannot_be_written_is_one_line_before_training(
    tmp_path, monkeypatch, capsys, settings, blocked
):
    from scenes.morph import ReluMorph

    def trap(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(store, "train", trap)
    media = tmp_path / "media"
    media.mkdir()
    (media / blocked).write_text("a file where Manim's folder goes")
    with pytest.raises(SystemExit) as info:
        _render(type("Mine", (ReluMorph,), {"cache": False}), settings, media)
    assert info.value.code == 2
    line = _one_line(capsys)
    assert f"cannot write the render into {media / blocked}" in line and "--media_dir" in line
    assert _files(media) == [media / blocked]


def test_a_full_disk_while_encoding_is_one_line_and_leaves_no_partial_file(
    tmp_path, monkeypatch, capsys
):
    encode = VideoSegmentEncoder.write_frame

    def fills_up(self, pixels, *, repeat=1):
        encode(self, pixels, repeat=repeat)  # some bytes of the segment are written, then:
        # as Manim's encoder thread reports it, a RuntimeError caused by ENOSPC
        raise RuntimeError(f"Failed to encode video segment {self.target}") from _full(self.target)

    monkeypatch.setattr(VideoSegmentEncoder, "write_frame", fills_up)
    media = tmp_path / "media"
    with pytest.raises(SystemExit) as info:
        _render(Blank, VIDEO, media)
    assert info.value.code == 2
    line = _one_line(capsys)
    assert "the disk holding" in line and "is full" in line and "--media_dir" in line
    assert not [p for p in _files(media) if p.suffix in (".mp4", ".png", ".tmp")]


def test_a_full_disk_while_combining_keeps_the_old_video_and_no_temp_file(
    tmp_path, monkeypatch, capsys
):
    def half_written(self, input_files, output_file, *args, **kwargs):
        Path(output_file).write_bytes(b"half a movie")
        raise _full(output_file)

    monkeypatch.setattr(SceneFileWriter, "combine_files", half_written)
    media = tmp_path / "media"
    with tempconfig({**VIDEO, "media_dir": str(media)}):
        movie = Blank().renderer.file_writer.movie_file_path
    movie.parent.mkdir(parents=True, exist_ok=True)
    movie.write_bytes(b"yesterday's movie")
    with pytest.raises(SystemExit) as info:
        _render(Blank, VIDEO, media)
    assert info.value.code == 2 and "is full" in _one_line(capsys)
    assert movie.read_bytes() == b"yesterday's movie"
    assert [p for p in _files(media) if p.suffix == ".mp4"] == [movie]


def test_a_full_disk_while_saving_a_still_leaves_no_partial_png(tmp_path, monkeypatch, capsys):
    save = Image.Image.save

    def half_written(self, fp, *args, **kwargs):
        save(self, fp, *args, **kwargs)  # the whole PNG lands, then the disk is "full"
        raise _full(fp)

    monkeypatch.setattr(Image.Image, "save", half_written)
    media = tmp_path / "media"
    with pytest.raises(SystemExit) as info:
        _render(Blank, STILL, media)
    assert info.value.code == 2 and "is full" in _one_line(capsys)
    assert not [p for p in _files(media) if p.suffix == ".png"]


def test_a_render_with_room_writes_its_movie_and_still_whole(tmp_path):
    from manim import get_video_metadata

    media = tmp_path / "media"
    _render(Blank, VIDEO, media)
    _render(Blank, STILL, media)
    # (this process's partial movies are removed at its exit)
    movies = [p for p in _files(media) if p.suffix == ".mp4" and "partial" not in str(p)]
    stills = [p for p in _files(media) if p.suffix == ".png"]
    assert len(movies) == 1 and len(stills) == 1
    assert int(get_video_metadata(movies[0])["nb_frames"]) >= 2  # a readable movie
    assert Image.open(stills[0]).size == (160, 90)
    temp = [p for p in _files(media) if p.name.startswith(".") and "partial" not in str(p)]
    assert not temp  # no temp file left beside the movie or the still
