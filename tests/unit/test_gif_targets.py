"""``python -m scenes.gif`` refuses a target it cannot honestly write before reading the video:
a folder, a name that is not ``.gif``, something that is not a file, an unwritable place."""

from __future__ import annotations

import os

import pytest

from scenes.kit import gif as gif_tool
from scenes.kit.gif import main


@pytest.fixture
def no_decoding(monkeypatch):
    def trap(*args, **kwargs):
        raise AssertionError("the video was read")

    monkeypatch.setattr(gif_tool, "_probe", trap)
    monkeypatch.setattr(gif_tool, "_decode", trap)


def _setup(tmp_path):
    (tmp_path / "clip.mp4").write_bytes(b"not read")
    (tmp_path / "out").mkdir()
    (tmp_path / "blocker").write_text("a file")
    os.mkfifo(tmp_path / "pipe.gif")


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("out", "out is a folder: give the GIF's name, e.g. out/out.gif"),
        ("out/", "out is a folder"),
        ("out.png", "out.png: the target's name must end in .gif"),
        ("clip", "clip: the target's name must end in .gif (this command writes GIFs only)"),
        ("pipe.gif", "pipe.gif is not a regular file"),
        ("blocker/x.gif", "cannot write blocker/x.gif into blocker (is a file, not a folder)"),
    ],
)
def test_a_bad_target_is_one_line_before_the_video_is_read(
    tmp_path, no_decoding, capsys, target, message
):
    _setup(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(SystemExit) as exit_:
        main([str(tmp_path / "clip.mp4"), target])
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and message in error, error
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert list((tmp_path / "out").iterdir()) == []


def test_a_source_that_is_a_pipe_is_refused_without_waiting(tmp_path, capsys):
    os.mkfifo(tmp_path / "clip.mp4")
    with pytest.raises(SystemExit):
        main([str(tmp_path / "clip.mp4"), str(tmp_path / "clip.gif")])
    assert "clip.mp4 is not a regular file" in capsys.readouterr().err
