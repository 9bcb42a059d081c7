"""``netmorph gif``: compact GIFs from rendered MP4s, streamed frame by frame."""

from __future__ import annotations

import stat
import tracemalloc
import weakref
from collections.abc import Iterator

import av
import numpy as np
import pytest
from PIL import Image, ImageColor

import scenes.kit.gif as gif_tool
from scenes.kit import style
from scenes.kit.gif import main, mp4_to_gif
from tests.conftest import NETMORPH, run

DARK = {
    "background": "#101216",
    "flat": [*style.CLASS_COLORS, style.BOUNDARY_COLOR, style.LABEL_COLOR, style.NOTE_COLOR],
}
# What a light theme may draw: white slide, dark text, darker classes, a deep boundary and the
# faint tints of shaded decision regions (close to white, easy for a palette to lose).
LIGHT = {
    "background": "#FFFFFF",
    "flat": ["#C62828", "#1565C0", "#8A6D00", "#222222", "#F9E1E1", "#E1ECF9", "#6B7280"],
}


def _rgb(colour: str) -> np.ndarray:
    return np.array(ImageColor.getrgb(colour), np.uint8)


def _write_mp4(path, frames: Iterator[np.ndarray], rate: int = 30) -> None:
    """Encode ``(h, w, 3)`` frames to an H.264 MP4, one at a time, as Manim does."""
    with av.open(str(path), "w") as out:
        stream = None
        for frame in frames:
            if stream is None:
                stream = out.add_stream("libx264", rate=rate)
                stream.height, stream.width = frame.shape[:2]
                stream.pix_fmt = "yuv420p"
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def _moving_square(n: int, size=(36, 64), colour=style.CLASS_COLORS[0], still_after=None):
    """``n`` frames of a square sliding right over the dark background (still after a frame)."""
    for i in range(n):
        frame = np.empty((*size, 3), np.uint8)
        frame[:] = _rgb(DARK["background"])
        x = (min(i, still_after) if still_after is not None else i) % (size[1] - 8)
        frame[10:20, x : x + 8] = _rgb(colour)
        yield frame


def _theme_frames(theme: dict, n: int = 20) -> Iterator[np.ndarray]:
    """Flat swatches of each theme colour, plus anti-aliased dots of the first two moving."""
    h, w = 72, 128
    for i in range(n):
        frame = np.empty((h, w, 3), np.uint8)
        frame[:] = _rgb(theme["background"])
        for k, colour in enumerate(theme["flat"]):
            frame[4:20, 4 + 16 * k : 16 + 16 * k] = _rgb(colour)
        # soft-edged discs: every blend between the class colours and the background
        yy, xx = np.mgrid[:h, :w]
        for k, colour in enumerate(theme["flat"][:2]):
            cx, cy = 30 + 2 * i + 50 * k, 48
            alpha = np.clip(6 - np.hypot(xx - cx, yy - cy), 0, 1)[..., None]
            frame[:] = (alpha * _rgb(colour) + (1 - alpha) * frame).astype(np.uint8)
        yield frame


def _frames_of(path) -> list[tuple[np.ndarray, int]]:
    """Each GIF frame as displayed (RGB), with its delay in ms."""
    image = Image.open(path)
    shown = []
    for k in range(image.n_frames):
        image.seek(k)
        shown.append((np.array(image.convert("RGB")), image.info["duration"]))
    return shown


def _decoded(path) -> Iterator[np.ndarray]:
    with av.open(str(path)) as video:
        for frame in video.decode(video=0):
            yield frame.to_ndarray(format="rgb24")


class _DecodeProbe:
    """Wraps the tool's decoder: counts decoded frames alive at once, and traces the memory
    of the encoding pass alone (its peak is reset when that pass's first frame arrives)."""

    def __init__(self, monkeypatch) -> None:
        self.alive = self.most_alive = self.passes = 0
        self.decode = gif_tool._decode
        monkeypatch.setattr(gif_tool, "_decode", self)

    def _release(self) -> None:
        self.alive -= 1

    def __call__(self, *args):
        self.passes += 1
        for n, (index, rgba) in enumerate(self.decode(*args)):
            self.alive += 1
            self.most_alive = max(self.most_alive, self.alive)
            weakref.finalize(rgba, self._release)
            if self.passes % 2 == 0 and n == 0 and tracemalloc.is_tracing():
                tracemalloc.reset_peak()
            yield index, rgba
            del rgba

    def encoding_peak(self, source, target) -> int:
        """Convert ``source``; the peak traced memory of its encoding pass, in bytes."""
        tracemalloc.start()
        try:
            mp4_to_gif(source, target)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_a_long_clip_is_streamed_a_few_frames_at_a_time(tmp_path, monkeypatch):
    long_clip, short_clip = tmp_path / "long.mp4", tmp_path / "short.mp4"
    _write_mp4(long_clip, _moving_square(900, size=(90, 160)))  # 30 s
    _write_mp4(short_clip, _moving_square(30, size=(90, 160)))
    probe = _DecodeProbe(monkeypatch)
    short_peak = probe.encoding_peak(short_clip, tmp_path / "short.gif")
    long_peak = probe.encoding_peak(long_clip, tmp_path / "long.gif")
    assert probe.most_alive <= 3  # the frame in hand and what iterators still hold of the last
    one_frame = 90 * 160 * 4
    # 900 frames held even as palette indices would add 225 frames' worth of RGBA
    assert long_peak - short_peak < 10 * one_frame
    assert sum(delay for _, delay in _frames_of(tmp_path / "long.gif")) == 30_000  # all there


def test_frames_keep_real_time_in_whole_centiseconds(tmp_path):
    _write_mp4(tmp_path / "clip.mp4", _moving_square(12))
    frames = _frames_of(mp4_to_gif(tmp_path / "clip.mp4", tmp_path / "out" / "clip.gif"))
    # 30 fps cannot be 33.3 ms a frame: delays alternate so that 12 frames last the real 0.4 s
    assert [delay for _, delay in frames] == [30, 40, 30, 30, 40, 30, 30, 40, 30, 30, 40, 30]


def test_a_still_stretch_is_one_frame_with_the_time_of_all(tmp_path):
    _write_mp4(tmp_path / "clip.mp4", _moving_square(30, still_after=5))
    frames = _frames_of(mp4_to_gif(tmp_path / "clip.mp4", tmp_path / "clip.gif"))
    assert len(frames) == 6
    assert frames[-1][1] == 1000 - 170  # frame 5 starts at 170 ms and lasts to the end, 1 s


def test_fps_is_capped_at_30_by_default_and_can_go_lower(tmp_path):
    _write_mp4(tmp_path / "clip.mp4", _moving_square(60), rate=60)  # 1 s
    default = _frames_of(mp4_to_gif(tmp_path / "clip.mp4", tmp_path / "default.gif"))
    assert len(default) == 30 and {delay for _, delay in default} == {30, 40}
    assert sum(delay for _, delay in default) == 1000
    slow = _frames_of(mp4_to_gif(tmp_path / "clip.mp4", tmp_path / "slow.gif", fps=10))
    assert [delay for _, delay in slow] == [100] * 10


def test_a_wide_video_becomes_a_slide_sized_gif_by_default(tmp_path):
    """Without --width, a 1280x720 video gives an 800x450 GIF; a narrow one keeps its width."""
    _write_mp4(tmp_path / "wide.mp4", _moving_square(3, size=(720, 1280)))
    _write_mp4(tmp_path / "narrow.mp4", _moving_square(3))  # 64x36
    assert main([str(tmp_path / "wide.mp4"), str(tmp_path / "wide.gif")]) == 0
    assert Image.open(tmp_path / "wide.gif").size == (gif_tool.DEFAULT_WIDTH, 450) == (800, 450)
    assert main([str(tmp_path / "narrow.mp4"), str(tmp_path / "narrow.gif")]) == 0
    assert Image.open(tmp_path / "narrow.gif").size == (64, 36)


def test_width_scales_keeping_the_aspect_with_an_even_height(tmp_path):
    _write_mp4(tmp_path / "clip.mp4", _moving_square(4))  # 64x36
    for width, height in ((32, 18), (45, 26), (64, 36)):
        target = tmp_path / f"{width}.gif"
        assert main([str(tmp_path / "clip.mp4"), str(target), "--width", str(width)]) == 0
        assert Image.open(target).size == (width, height)


@pytest.mark.parametrize("theme", [DARK, LIGHT], ids=["dark", "light"])
def test_palette_comes_from_the_video_and_keeps_flat_colours_flat(tmp_path, theme):
    _write_mp4(tmp_path / "clip.mp4", _theme_frames(theme))
    gif = mp4_to_gif(tmp_path / "clip.mp4", tmp_path / "clip.gif", colors=16)
    shown = _frames_of(gif)
    assert len(shown) == 20
    for (frame, _), source in zip(shown, _decoded(tmp_path / "clip.mp4"), strict=True):
        for k in range(len(theme["flat"])):
            swatch, original = frame[8:16, 8 + 16 * k], source[8:16, 8 + 16 * k]
            assert np.abs(swatch.astype(int) - original).max() <= 6  # true to the video
            assert (swatch == swatch[0]).all()  # flat, not dithered
        corner = frame[60:, 110:]
        assert (corner == frame[60, 110]).all()  # the background is one colour
    backgrounds = {tuple(frame[60, 110]) for frame, _ in shown}
    assert len(backgrounds) == 1  # and stays it: no flicker between frames
    background = np.array(backgrounds.pop(), int)
    assert np.abs(background - _rgb(theme["background"])).max() <= 4


def test_the_gif_is_standard_and_writes_whole_with_mode_0644(tmp_path):
    _write_mp4(tmp_path / "clip.mp4", _moving_square(12))
    gif = mp4_to_gif(tmp_path / "clip.mp4", tmp_path / "out" / "clip.gif")
    assert list((tmp_path / "out").iterdir()) == [gif]  # no temp file left
    assert stat.S_IMODE(gif.stat().st_mode) == 0o644
    last_by_ffmpeg = list(_decoded(gif))[-1]  # a second decoder agrees with Pillow
    assert np.array_equal(last_by_ffmpeg, _frames_of(gif)[-1][0])


def test_a_failure_midway_leaves_the_old_gif_and_no_temp_file(tmp_path, monkeypatch):
    _write_mp4(tmp_path / "clip.mp4", _moving_square(12))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "clip.gif").write_bytes(b"old")
    decode = gif_tool._decode
    calls = 0

    def failing_second_pass(*args):
        nonlocal calls
        calls += 1
        for n, item in enumerate(decode(*args)):
            if calls == 2 and n == 5:
                raise gif_tool.NetmorphError("cannot decode clip.mp4 (truncated)")
            yield item

    monkeypatch.setattr(gif_tool, "_decode", failing_second_pass)
    with pytest.raises(SystemExit) as exit_:
        main([str(tmp_path / "clip.mp4"), str(tmp_path / "out" / "clip.gif")])
    assert exit_.value.code == 2
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["clip.gif"]
    assert (tmp_path / "out" / "clip.gif").read_bytes() == b"old"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["clip.mp4"], "the following arguments are required: target"),
        (["clip.mp4", "out.gif", "--width", "wide"], "argument --width: invalid int value"),
        (["clip.mp4", "out.gif", "--width", "1"], "--width 1: give a width from 2"),
        (["clip.mp4", "out.gif", "--width", "65"], "to the video's 64"),
        (["clip.mp4", "out.gif", "--fps", "0"], "--fps 0: give a rate above 0"),
        (["clip.mp4", "out.gif", "--fps", "60"], "at most 50 (browsers slow down"),
        (["clip.mp4", "out.gif", "--colors", "256"], "--colors 256: give a palette size"),
        (["clip.mp4", "clip.mp4"], "clip.mp4 is the source video"),
        (["notes.mp4", "out.gif"], "cannot read notes.mp4 as a video"),
        (["nope.mp4", "out.gif"], "no video at nope.mp4: render it first"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path, capsys, args, message):
    _write_mp4(tmp_path / "clip.mp4", _moving_square(4))
    (tmp_path / "notes.mp4").write_text("not a video")
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("netmorph gif: error: ")
    assert message in error
    assert {p.name for p in tmp_path.iterdir()} - {"media"} == {"clip.mp4", "notes.mp4"}


def test_the_command_line_prints_the_size(tmp_path):
    _write_mp4(tmp_path / "clip.mp4", _moving_square(4))
    result = run([*NETMORPH, "gif", "clip.mp4", "clip.gif"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "clip.gif: 0.0 MB"
