"""Turn a rendered MP4 into a compact GIF for web pages and slides.

Manim's own GIFs use a fixed 3-3-2 colour cube with dithering: a 20-second 640×360 morph comes
out at ~30 MB. These videos hold a handful of flat colours, so one adaptive palette without
dithering (the style's colours and their anti-aliased blends) keeps them crisp at a tenth of
the size.

Example::

    python -m scenes.gif media/videos/gallery/270p30/ReluShort.mp4 docs/ReluMorph.gif
"""

from __future__ import annotations

import itertools
import os
import sys
import tempfile
from pathlib import Path

import av
from PIL import Image, ImageColor

from model.cli import user_errors
from model.errors import NetmorphError
from scenes import style

BLENDS = (0.2, 0.4, 0.6, 0.8, 1.0)  # anti-aliased edges: each colour at these opacities


def style_palette(background: str) -> Image.Image:
    """A palette of the style's colours blended over ``background`` (what a frame can hold)."""
    bg = ImageColor.getrgb(background)
    colours = [
        style.CLASS_COLORS[0],
        style.CLASS_COLORS[1],
        style.GRID_COLOR,
        style.AXIS_COLOR,
        style.BOUNDARY_COLOR,
        style.LABEL_COLOR,
        style.NOTE_COLOR,
    ]
    entries = [bg]
    for colour in colours:
        rgb = ImageColor.getrgb(colour)
        for a in BLENDS:
            entries.append(tuple(round(a * c + (1 - a) * b) for c, b in zip(rgb, bg)))
    palette = Image.new("P", (1, 1))
    palette.putpalette([v for entry in entries for v in entry])
    return palette


def mp4_to_gif(source: Path, target: Path, background: str = "#101216") -> Path:
    """Write ``source``'s frames to ``target`` as a looping GIF, whole or not at all."""
    if not source.is_file():
        raise NetmorphError(f"no video at {source}: render it first")
    with av.open(str(source)) as video:
        stream = video.streams.video[0]
        rate = float(stream.average_rate or 30)
        frames = [frame.to_image().convert("RGB") for frame in video.decode(stream)]
    if not frames:
        raise NetmorphError(f"{source} has no frames")
    # One palette for the whole clip, made of the style's own colours, so colours stay true and
    # never flicker between frames.
    palette = style_palette(background)
    indexed = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".gif", dir=target.parent)
    os.close(fd)
    try:
        indexed[0].save(
            tmp,
            save_all=True,
            append_images=indexed[1:],
            duration=_frame_delays(len(indexed), rate),
            loop=0,
            optimize=True,
        )
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the GIF from a web server
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _frame_delays(n: int, rate: float) -> list[int]:
    """Per-frame delays in ms that keep the clip's real timing.

    GIF delays are whole centiseconds, so 30 fps cannot be 33.3 ms a frame: a constant 30 ms
    would play 10 % fast. Rounding each frame's *start time* instead alternates 30 and 40 ms.
    """
    starts = [round(i * 100 / rate) * 10 for i in range(n + 1)]  # ms, on the centisecond grid
    return [b - a for a, b in itertools.pairwise(starts)]


def main(argv: list[str] | None = None) -> int:
    """``python -m scenes.gif SOURCE.mp4 TARGET.gif``."""
    args = sys.argv[1:] if argv is None else argv
    with user_errors("python -m scenes.gif"):
        if len(args) != 2:
            raise NetmorphError("usage: python -m scenes.gif SOURCE.mp4 TARGET.gif")
        path = mp4_to_gif(Path(args[0]), Path(args[1]))
        print(f"{path}: {path.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
