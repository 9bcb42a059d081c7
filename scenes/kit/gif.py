"""Turn a rendered MP4 into a compact GIF for web pages and slides, one frame at a time.

Manim's own GIFs use a fixed 3-3-2 colour cube with dithering and keep every frame in memory.
Here the video is read twice, frame by frame, and never held whole:

1. a palette pass histograms a sample of frames and picks one global palette from the video's own
   colours (flat colours first, then their anti-aliased blends), so any theme keeps its colours;
2. an encoding pass maps every frame to that palette without dithering (flat colours stay flat and
   never flicker) and writes only the rectangle that changed since the frame before.

Examples::

    netmorph gif media/videos/gallery/270p30/ReluShort.mp4 docs/ReluMorph.gif
    netmorph gif media/videos/morph/720p30/ReluMorph.mp4 relu.gif --width 640
    netmorph gif clip.mp4 clip.gif --fps 15 --colors 64
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO, NamedTuple

import av
import numpy as np
from PIL import GifImagePlugin, Image

from model.errors import NetmorphError, OneLineParser, user_errors
from model.files import unwritable_reason, written_whole

DEFAULT_FPS = 30  # browsers slow GIFs whose delays are under 2 cs; 30 fps plays in real time
MAX_FPS = 50  # 2 cs a frame, the shortest delay browsers honour
# Flat colours take the first entries and blends the rest: at 32 a 1280x720 morph is within a few
# levels of the video (mean error < 2, 99th percentile ~20 of 255) and a quarter smaller than
# at 64; more colours add little but size, fewer show banded anti-aliasing.
DEFAULT_COLORS = 32
# A slide's GIF: wider ones grow fast (every moving dot is redrawn per frame) and look no
# sharper on a projector; a 720p30 morph comes out under 8 MB at this width.
DEFAULT_WIDTH = 800
PALETTE_SAMPLES = 48  # frames histogrammed for the palette, spread evenly over the clip
MAX_DELAY_CS = 0xFFFF  # a GIF frame delay is a 16-bit count of centiseconds
_LEVELS = 64  # colour histogram / lookup cells per channel (6 bits)


def mp4_to_gif(
    source: Path,
    target: Path,
    width: int | None = None,
    fps: float = DEFAULT_FPS,
    colors: int = DEFAULT_COLORS,
) -> Path:
    """Write ``source``'s frames to ``target`` as a looping GIF, whole or not at all.

    Parameters
    ----------
    source
        A video file (any format PyAV reads).
    target
        The GIF to write; its folder is created.
    width
        Output width in pixels (aspect kept, height even); default: the video's own, at most
        ``DEFAULT_WIDTH``.
    fps
        Frame rate cap: faster videos drop frames, keeping real time.
    colors
        Palette size, 2..255 (one more entry is kept for transparency).

    Returns
    -------
    Path
        ``target``.
    """
    check_target(source, target)
    if not 2 <= colors <= 255:
        raise NetmorphError(f"--colors {colors}: give a palette size from 2 to 255")
    if not 0 < fps <= MAX_FPS:
        raise NetmorphError(
            f"--fps {fps:g}: give a rate above 0 and at most {MAX_FPS} "
            "(browsers slow down faster GIFs)"
        )
    clip = _probe(source)
    size = _output_size(clip.width, clip.height, width)
    keep = _FrameSelection(clip.rate, Fraction(fps).limit_denominator(1001))
    stride = max(1, keep.count(clip.frames) // PALETTE_SAMPLES) if clip.frames else 1
    samples = (rgba for i, rgba in _decode(source, size, keep) if keep.slot(i) % stride == 0)
    palette = palette_from(samples, colors)  # this pass also counts the frames, for the end
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        writing = written_whole(target)
    except OSError as error:
        raise NetmorphError(f"cannot write {target}: {error.strerror}") from None
    with writing as out:
        frames = ((keep.start_cs(i), rgba) for i, rgba in _decode(source, size, keep))
        _encode(frames, palette, keep.end_cs(), out)
    return target


def check_target(source: Path, target: Path) -> None:
    """Refuse, before any decoding, a target that is the source, a folder, not named ``.gif``
    (GIF bytes under another name mislead every viewer), not a regular file, or in a folder
    that cannot be written."""
    if os.path.realpath(source) == os.path.realpath(target):
        raise NetmorphError(f"{target} is the source video: give the GIF another name")
    if target.is_dir():
        raise NetmorphError(f"{target} is a folder: give the GIF's name, e.g. {target}/out.gif")
    if target.suffix.lower() != ".gif":
        raise NetmorphError(
            f"{target}: the target's name must end in .gif (this command writes GIFs only), "
            f"e.g. {target.with_suffix('.gif')}"
        )
    if target.exists() and not target.is_file():
        raise NetmorphError(f"{target} is not a regular file: give a new file name ending in .gif")
    reason = unwritable_reason(target.parent)
    if reason is not None:
        raise NetmorphError(
            f"cannot write {target} into {target.parent} ({reason}): give a GIF in a writable "
            "folder"
        )


class _Clip(NamedTuple):
    """What the container says about its first video stream."""

    width: int
    height: int
    rate: Fraction  # frames a second
    frames: int  # as the container says, or estimated from its duration; 0 if unknown


def _probe(source: Path) -> _Clip:
    if source.exists() and not source.is_file():  # a folder, or a pipe PyAV would wait on
        raise NetmorphError(f"{source} is not a regular file: give a rendered video")
    if not source.is_file():
        raise NetmorphError(f"no video at {source}: render it first")
    with _open(source) as video:
        if not video.streams.video:
            raise NetmorphError(f"{source} has no video stream: give a rendered MP4")
        stream = video.streams.video[0]
        rate = Fraction(stream.average_rate or stream.guessed_rate or 30)
        frames = stream.frames
        if not frames and video.duration:  # WebM keeps no count, only a duration
            frames = round(Fraction(video.duration, av.time_base) * rate)
        return _Clip(stream.width, stream.height, rate, frames)


def _open(source: Path) -> av.container.InputContainer:
    try:
        return av.open(str(source))
    except av.FFmpegError as error:
        raise NetmorphError(f"cannot read {source} as a video ({error.strerror})") from None


def _output_size(src_width: int, src_height: int, width: int | None) -> tuple[int, int]:
    """``(width, height)``: the video's own, or ``width`` with the aspect kept and height even."""
    if width is None:
        if src_width <= DEFAULT_WIDTH:
            return src_width, src_height
        width = DEFAULT_WIDTH
    if not 2 <= width <= src_width:
        raise NetmorphError(f"--width {width}: give a width from 2 to the video's {src_width}")
    height = max(2, round(src_height * width / src_width / 2) * 2)
    return width, height


class _FrameSelection:
    """Which source frames a GIF of at most ``fps`` frames a second shows, and when.

    Output frame ``j`` starts at ``j / fps`` and shows the first source frame at or after that
    time. Times are rounded to the GIF's centisecond grid from the clip's start, so delays
    alternate (30 fps: 30, 40, 30 ms…) and the GIF plays in real time rather than 10 % fast.
    """

    def __init__(self, rate: Fraction, fps: Fraction) -> None:
        self.rate, self.fps = rate, min(rate, fps)
        self.seen = 0  # source frames decoded so far: the clip's length after one pass

    def slot(self, index: int) -> int:
        """The output frame that source frame ``index`` falls in."""
        return int(index * self.fps // self.rate)

    def __call__(self, index: int) -> bool:
        """Whether source frame ``index`` starts a new output frame."""
        self.seen = max(self.seen, index + 1)
        return index == 0 or self.slot(index) != self.slot(index - 1)

    def count(self, frames: int) -> int:
        """Output frames for a clip of ``frames`` source frames."""
        return self.slot(frames - 1) + 1 if frames else 0

    def start_cs(self, index: int) -> int:
        """Start of source frame ``index``'s output frame, in centiseconds."""
        return round(self.slot(index) * 100 / self.fps)

    def end_cs(self) -> int:
        """The end of the frames seen so far, in centiseconds."""
        return round(self.seen * 100 / self.rate)


def _decode(
    source: Path, size: tuple[int, int], keep: Callable[[int], bool]
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(index, rgba)`` for each kept frame, scaled to ``size``; one frame at a time.

    RGBA rather than RGB because four bytes a pixel read as one integer (see :func:`_encode`).
    """
    with _open(source) as video:
        stream = video.streams.video[0]
        stream.thread_type = "AUTO"
        try:
            for index, frame in enumerate(video.decode(stream)):
                if keep(index):
                    scaled = frame.reformat(*size, format="rgba", interpolation="AREA")
                    yield index, scaled.to_ndarray()  # (height, width, 4) uint8
        except av.FFmpegError as error:
            raise NetmorphError(f"cannot decode {source} ({error.strerror})") from None


def palette_from(frames: Iterable[np.ndarray], colors: int) -> np.ndarray:
    """One palette of at most ``colors`` entries for a whole clip, from a stream of frames.

    Colours are histogrammed in 6-bit cells. The most frequent cell comes first, then each next
    most frequent cell at least ``spacing`` away from every chosen one, halving ``spacing``
    whenever none is left: flat colours (backgrounds, dots, lines, text) get exact entries
    whatever the theme, and the rest of the palette spreads over their anti-aliased blends
    instead of piling up on the background's coding noise, as a pixel-weighted median cut does.

    Parameters
    ----------
    frames
        RGB (or RGBA, alpha ignored) frames, each ``(height, width, 3 or 4)`` uint8, consumed
        one at a time.
    colors
        The most entries to return.

    Returns
    -------
    np.ndarray
        ``(n, 3)`` uint8 palette, ``1 <= n <= colors``, most frequent colour first.
    """
    cells = _LEVELS**3
    counts = np.zeros(cells)
    sums = np.zeros((3, cells))
    for rgb in frames:
        key = _cell(rgb).ravel()  # (n_pixels,)
        counts += np.bincount(key, minlength=cells)
        for c in range(3):
            sums[c] += np.bincount(key, weights=rgb[..., c].ravel(), minlength=cells)
    used = np.flatnonzero(counts)
    if used.size == 0:
        raise NetmorphError("the video has no frames: render it again")
    order = used[np.argsort(-counts[used], kind="stable")]
    means = (sums[:, order] / counts[order]).T  # (n_cells, 3), most frequent first
    chosen = [0]
    nearest = np.linalg.norm(means - means[0], axis=1)  # distance to the closest chosen colour
    spacing = 64.0
    while len(chosen) < min(colors, len(order)) and spacing >= 1:
        candidates = np.flatnonzero(nearest >= spacing)
        if candidates.size == 0:
            spacing /= 2
            continue
        pick = candidates[0]
        chosen.append(pick)
        nearest = np.minimum(nearest, np.linalg.norm(means - means[pick], axis=1))
    return np.clip(np.rint(means[chosen]), 0, 255).astype(np.uint8)


def _cell(rgb: np.ndarray) -> np.ndarray:
    """The 6-bit colour cell of each pixel, ``rrrrrrggggggbbbbbb``: ``(h, w, 3+)`` -> ``(h, w)``."""
    r, g, b = (rgb[..., c] >> 2 for c in range(3))
    return (r.astype(np.int32) << 12) | (g.astype(np.int32) << 6) | b


def _nearest_lookup(palette: np.ndarray) -> np.ndarray:
    """For every 6-bit colour cell, the index of the palette colour closest to its centre.

    Indexed by the cell read straight from an RGBA pixel as a little-endian integer,
    ``(pixel >> 2) & 0x3F3F3F``, so mapping a frame costs two integer operations and one look-up
    (the table has gaps: 4 MB, of which 256 kB are used).
    """
    levels = np.arange(_LEVELS) * 4 + 1.5
    centres = np.stack(np.meshgrid(levels, levels, levels, indexing="ij"), -1).reshape(-1, 3)
    entries = palette.astype(np.float64)  # (n_colours, 3)
    nearest = np.empty(len(centres), np.uint8)
    chunk = 1 << 14  # cells at a time: (chunk, n_colours) scores stay a few MB
    for start in range(0, len(centres), chunk):
        # |c - p|^2 = |c|^2 - 2 c.p + |p|^2, and |c|^2 is the same for every p
        score = (entries**2).sum(1) - 2 * centres[start : start + chunk] @ entries.T
        nearest[start : start + chunk] = score.argmin(1)
    r, g, b = np.meshgrid(*[np.arange(_LEVELS)] * 3, indexing="ij")  # same order as centres
    lookup = np.zeros(0x3F3F3F + 1, np.uint8)
    lookup[(r | g << 8 | b << 16).ravel()] = nearest
    return lookup


def _palette_indices(rgba: np.ndarray, lookup: np.ndarray) -> np.ndarray:
    """``(h, w, 4)`` RGBA frame -> ``(h, w)`` palette indices, via :func:`_nearest_lookup`."""
    packed = rgba.view("<u4")[..., 0]  # (h, w): 0xAABBGGRR
    return lookup[(packed >> 2) & 0x3F3F3F]


def _encode(
    frames: Iterable[tuple[int, np.ndarray]],
    palette: np.ndarray,
    end_cs: int,
    out: BinaryIO,
) -> None:
    """Write the GIF of ``(start_cs, rgba)`` frames mapped to ``palette``, one frame at a time.

    Each frame stores only the rectangle that changed: as it now looks, or with the unchanged
    pixels transparent, whichever encodes smaller (transparency wins around a few moving
    things; a whole moving cloud is cheaper drawn as it is).
    """
    lookup = _nearest_lookup(palette)
    transparent = len(palette)
    gif: _GifStream | None = None
    shown = np.empty(0)  # (height, width) palette indices the GIF displays
    for start, rgba in frames:
        indices = _palette_indices(rgba, lookup)  # (height, width) uint8
        if gif is None:
            gif = _GifStream(out, (rgba.shape[1], rgba.shape[0]), palette, transparent)
            shown = indices
            gif.add(_lzw(shown, (0, 0)), start)
            continue
        redraw = indices != shown
        rows, cols = np.flatnonzero(redraw.any(1)), np.flatnonzero(redraw.any(0))
        if rows.size == 0:
            continue  # nothing changed: the shown frame lasts longer
        box = np.s_[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
        offset = (int(cols[0]), int(rows[0]))
        sparse = np.where(redraw[box], indices[box], np.uint8(transparent))
        shown = indices
        gif.add(min(_lzw(sparse, offset), _lzw(shown[box], offset), key=len), start)
    if gif is None:
        raise NetmorphError("the video has no frames: render it again")
    gif.close(end_cs)


class _GifStream:
    """A looping GIF89a written as it goes: header and global palette, then frame by frame.

    A frame's delay is known only when the next changed frame starts, so one encoded frame
    waits; frames identical to what is shown are never written, their time goes to the one
    before. Frames are drawn over what is shown (disposal 1), ``transparent`` leaving it.
    """

    def __init__(
        self, out: BinaryIO, size: tuple[int, int], palette: np.ndarray, transparent: int
    ) -> None:
        self.out, self.transparent = out, transparent
        bits = transparent.bit_length()  # a table of 2**bits entries holds palette + 1
        table = np.zeros((1 << bits, 3), np.uint8)
        table[: len(palette)] = palette
        out.write(b"GIF89a" + _u16(size[0]) + _u16(size[1]) + bytes([0xF0 | (bits - 1), 0, 0]))
        out.write(table.tobytes())
        out.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + _u16(0) + b"\x00")  # loop forever
        self.pending: tuple[bytes, int] | None = None  # (encoded image, start in cs)

    def add(self, image: bytes, start_cs: int) -> None:
        """Queue an encoded image (:func:`_lzw`) shown from ``start_cs``."""
        if self.pending is not None:
            self._write(*self.pending, start_cs)
        self.pending = (image, start_cs)

    def close(self, end_cs: int) -> None:
        """Write the last frame, shown until ``end_cs``, and the trailer."""
        if self.pending is not None:
            image, start = self.pending
            self._write(image, start, max(end_cs, start + 2))
        self.out.write(b";")

    def _write(self, image: bytes, start_cs: int, until_cs: int) -> None:
        delay = until_cs - start_cs
        while True:  # a hold longer than one delay can say goes on in empty 1x1 frames
            step = min(delay, MAX_DELAY_CS)
            control = bytes([0x21, 0xF9, 4, 0b0000_0101]) + _u16(step)  # disposal 1, transparent
            self.out.write(control + bytes([self.transparent, 0]) + image)
            delay -= step
            if delay <= 0:
                return
            image = _lzw(np.full((1, 1), self.transparent, np.uint8), (0, 0))


def _lzw(indices: np.ndarray, offset: tuple[int, int]) -> bytes:
    """An image block: descriptor at ``offset`` and the LZW-coded ``(h, w)`` palette indices."""
    return b"".join(GifImagePlugin.getdata(Image.fromarray(indices), offset=offset))


def _u16(value: int) -> bytes:
    return value.to_bytes(2, "little")


def main(argv: list[str] | None = None, prog: str = "netmorph gif") -> int:
    """``netmorph gif SOURCE.mp4 TARGET.gif [--width W] [--fps F] [--colors N]``."""
    parser = OneLineParser(
        prog=prog,
        description="Convert a rendered video to a compact looping GIF, frame by frame.",
    )
    parser.add_argument("source", type=Path, help="the video, e.g. media/videos/.../X.mp4")
    parser.add_argument("target", type=Path, help="the GIF to write, e.g. docs/X.gif")
    parser.add_argument(
        "--width",
        type=int,
        help=(
            f"scale down to this width (aspect kept; default: the video's, at most {DEFAULT_WIDTH})"
        ),
    )
    parser.add_argument(
        "--fps",
        type=float,
        default=DEFAULT_FPS,
        help=f"at most this many frames a second, dropping frames (default {DEFAULT_FPS})",
    )
    parser.add_argument(
        "--colors",
        type=int,
        default=DEFAULT_COLORS,
        help=f"palette size, 2..255 (default {DEFAULT_COLORS})",
    )
    with user_errors(prog):
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
        path = mp4_to_gif(args.source, args.target, args.width, args.fps, args.colors)
        print(f"{path}: {path.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
