"""The morph sampled for an explorable page: frames at chosen moments, read once, packed small.

A page draws the frames it carries and interpolates linearly between neighbours (in a
cross-fade, where the whole picture's opacity is below 1 and the points do not move, it shows
the nearer one). :func:`refine` chooses the moments: it halves an interval while the straight
line between its two ends misses the true frame at its middle by more than a tolerance, so a
turning polar route gets more samples than a straight slide and every in-between frame a page
draws is within that tolerance of the video's. Each kept frame is read once
(:func:`read_frame`), with its names where the video places them
(:func:`model.picture.labels.place_names`).

:func:`pack_positions` stores (samples, rows, 2) scene positions in 1/1024 scene unit as 16-bit
integers, each row's difference from the sample before (modulo 2¹⁶), split into a plane of low
bytes and one of high bytes and deflated: a smooth morph's differences are small, so the high
plane is nearly all zeros or 255s. :func:`unpack_positions` is the exact inverse (the page's
JavaScript decodes the same way).
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

import numpy as np

from model.picture.frame import Frame
from model.picture.screen import Box
from model.picture.view import MorphTimeline

QUANTUM = 1 / 1024  # scene units per stored unit: 0.13 px at 1080p (135 px per scene unit)
FAR = 32000  # a stored |coordinate| this large is off every frame: a line breaks there
LEVEL = 4  # deflate effort: ReluMorph at 6 is 6 % smaller and takes 0.3 s longer (of ~3 s)

# Where each shown name goes: {text: (its box, its opacity)}, as model.picture.labels.place_names
# answers for the frame (the video's own placement).
Placement = Mapping[str, tuple[Box, float]]


@dataclass(frozen=True)
class FrameSample:
    """What a page draws of one :class:`~model.picture.frame.Frame`, in 2-D scene coordinates."""

    points: np.ndarray  # (n, 2) every traced row: classes, grid samples, boundary vertices
    axes: np.ndarray  # (k, 2, 2) the stage's axes as segments
    axes_opacity: float  # 0..1
    names: tuple[tuple[str, float, float, float], ...]  # (text, x, y, opacity): x, y its centre
    guides: tuple[np.ndarray, ...]  # (m, 2) lines in the boundary's colour
    guide_opacity: float  # 0..1
    scale: float | None  # scene units per stage unit; None on a fixed probability scale
    opacity: float = 1.0  # the whole picture's (grid, dots, boundary): < 1 in a cross-fade
    stretch: float = 1.0  # how much more the thin side is drawn (the scale bar's "↑ drawn ×12")


def read_frame(frame: Frame, placed: Placement | None = None) -> FrameSample:
    """The one place a page reads a :class:`~model.picture.frame.Frame` (its documented fields).

    ``placed`` is where the frame's names go (:func:`model.picture.labels.place_names`, as the
    video places them): each shown name is kept at its box's centre. Without it no name is kept.
    """
    names = tuple(
        (text, *box.center, float(opacity)) for text, (box, opacity) in (placed or {}).items()
    )
    return FrameSample(
        points=np.asarray(frame.points)[:, :2],
        axes=np.asarray(frame.axes)[:, :, :2],
        axes_opacity=float(frame.axes_opacity),
        names=names,
        guides=tuple(np.asarray(g)[:, :2] for g in frame.guides),
        guide_opacity=float(frame.guide_opacity),
        scale=None if frame.scale is None else float(frame.scale),
        opacity=float(frame.opacity),
        stretch=float(frame.stretch),
    )


class HasPoints(Protocol):
    """A frame or a sample: anything with (n, ≥2) ``points``."""

    @property
    def points(self) -> np.ndarray: ...


Sampled = TypeVar("Sampled", bound=HasPoints)


def refine(
    sample_at: Callable[[float], Sampled],
    start: float,
    end: float,
    tolerance: float,
    *,
    first: int = 8,
    finest: float = 1 / 256,
) -> list[tuple[float, Sampled]]:
    """Moments in [start, end] (both ends kept) and their samples, fine enough that a straight
    line between neighbours stays within ``tolerance`` scene units of every row at their middle.

    ``first`` equal intervals are halved while they miss; none gets shorter than ``finest`` of
    the whole (a jump in the film would otherwise be chased forever: the return to the input
    plane is a cross-fade, its points jump where the two pictures swap). Rows off the frame
    (:data:`FAR`) at either end or the middle are not measured.
    """
    taken: dict[float, Sampled] = {}

    def at(moment: float) -> Sampled:
        if moment not in taken:
            taken[moment] = sample_at(moment)
        return taken[moment]

    shortest = (end - start) * finest

    def split(a: float, b: float) -> list[float]:  # the kept moments in (a, b]
        if b - a > shortest:
            middle = (a + b) / 2
            if _misses(at(a).points, at(b).points, at(middle).points, tolerance):
                return split(a, middle) + split(middle, b)
        at(b)
        return [b]

    bounds = np.linspace(start, end, first + 1).tolist()
    moments = [bounds[0]] + [m for a, b in itertools.pairwise(bounds) for m in split(a, b)]
    return [(m, at(m)) for m in moments]


def _misses(a: np.ndarray, b: np.ndarray, middle: np.ndarray, tolerance: float) -> bool:
    """Whether the straight line from ``a`` to ``b`` (n, 2) misses ``middle`` by > tolerance."""
    a, b, middle = a[:, :2], b[:, :2], middle[:, :2]
    missed = np.abs(a + b - 2 * middle) > 2 * tolerance  # (n, 2)
    if not missed.any():  # most intervals: no row misses, nothing more to look at
        return False
    reach = np.maximum(np.maximum(np.abs(a), np.abs(b)), np.abs(middle))
    return bool((missed & (reach < FAR * QUANTUM)).any())


def sample_moves(
    timeline: MorphTimeline,
    moves: Sequence[int],
    spans: Sequence[tuple[float, float]],
    tolerance: float,
    rate: Callable[[float], float],
    *,
    first: int = 8,
    read: Callable[[Frame], FrameSample] = read_frame,
) -> list[tuple[float, FrameSample]]:
    """Frames of each of ``moves`` as a video plays it, keyed by page position.

    Move ``moves[i]`` plays while the page's position runs through ``spans[i]``; at a fraction
    α of that span the frame is ``timeline.frame_at(move, rate(α))`` (a video plays α through
    Manim's ``smooth``, :func:`model.picture.played.smooth`). Each span starts as ``first``
    intervals (:func:`refine`); neighbouring moves share their common moment once. Each kept
    frame is read by ``read`` (a page's: :func:`read_frame` with the frame's name placement).
    """
    out: list[tuple[float, FrameSample]] = []
    for move, (lo, hi) in zip(moves, spans):

        def frame_at(position: float, move: int = move, lo: float = lo, hi: float = hi) -> Frame:
            alpha = (position - lo) / (hi - lo)
            return timeline.frame_at(move, float(rate(alpha)))

        found = refine(frame_at, lo, hi, tolerance, first=first)
        if out and out[-1][0] == found[0][0]:
            found = found[1:]
        out += [(moment, read(frame)) for moment, frame in found]
    return out


def pack_positions(positions: np.ndarray, level: int = LEVEL) -> bytes:
    """(samples, rows, 2) scene positions as deflated byte planes (see the module's docstring).

    Coordinates beyond :data:`FAR` quanta are stored as ±FAR (the page breaks lines there).
    """
    stored = np.clip(np.rint(np.asarray(positions) * (1 / QUANTUM)), -FAR, FAR).astype(np.int16)
    planes = stored.transpose(2, 0, 1)  # (2, samples, rows): x plane, then y
    deltas = np.empty(planes.shape, dtype=np.int16)
    deltas[:, 0] = planes[:, 0]
    np.subtract(planes[:, 1:], planes[:, :-1], out=deltas[:, 1:])  # int16: modulo 2¹⁶
    split = deltas.view(np.uint8).reshape(*deltas.shape, 2)  # little-endian: low byte first
    return zlib.compress(split.transpose(3, 0, 1, 2).tobytes(), level)  # (4, samples, rows)


def unpack_positions(packed: bytes, samples: int, rows: int) -> np.ndarray:
    """(samples, rows, 2) scene positions from :func:`pack_positions`' bytes."""
    planes = np.frombuffer(zlib.decompress(packed), dtype=np.uint8).reshape(2, 2, samples, rows)
    deltas = (planes[0].astype(np.uint16) | (planes[1].astype(np.uint16) << 8)).view(np.int16)
    stored = np.cumsum(deltas, axis=1, dtype=np.int16)  # wraps as the differences did
    return stored.transpose(1, 2, 0).astype(np.float64) * QUANTUM


def pack_bytes(values: np.ndarray, level: int = LEVEL) -> bytes:
    """A small integer array (class map, …) as deflated bytes, C order."""
    return zlib.compress(np.ascontiguousarray(values, dtype=np.uint8).tobytes(), level)
