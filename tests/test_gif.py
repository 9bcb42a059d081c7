"""``python -m scenes.gif``: compact GIFs from rendered MP4s."""

from __future__ import annotations

import sys

import av
import numpy as np
from PIL import Image

from scenes import style
from scenes.gif import mp4_to_gif
from tests.conftest import run


def _tiny_mp4(path, n=12):
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 64, 36, "yuv420p"
        for i in range(n):
            frame = np.zeros((36, 64, 3), np.uint8)
            frame[:] = (16, 18, 22)
            frame[10:20, i * 4 : i * 4 + 8] = Image.new(
                "RGB", (1, 1), style.CLASS_COLORS[0]
            ).getpixel((0, 0))
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def test_gif_keeps_every_frame_and_the_style_colours(tmp_path):
    _tiny_mp4(tmp_path / "clip.mp4")
    gif = mp4_to_gif(tmp_path / "clip.mp4", tmp_path / "out" / "clip.gif")
    image = Image.open(gif)
    assert image.n_frames == 12
    total = 0
    for k in range(image.n_frames):
        image.seek(k)
        total += image.info["duration"]
    assert total == 400  # 12 frames at 30 fps: 30 and 40 ms delays keep the real 0.4 s
    image.seek(5)
    red = np.array(image.convert("RGB"))[15, 22]
    assert red[0] > 180 and red[2] < 120  # the class colour survives, not dithered away
    assert list((tmp_path / "out").iterdir()) == [gif]  # no temp file left


def test_missing_video_is_one_line_exit_2(tmp_path):
    result = run([sys.executable, "-m", "scenes.gif", "nope.mp4", "out.gif"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "no video at nope.mp4" in result.stderr
    assert not (tmp_path / "out.gif").exists()
