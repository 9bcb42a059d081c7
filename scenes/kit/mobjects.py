"""Mobjects for thousands of points, drawn in one pass by :mod:`scenes.kit.manim_internals`.

Manim builds a cairo path from Bézier points in Python, four curves per dot, and cairo then
rasterises thousands of tiny circles. These mobjects paint themselves instead: a dot cloud stamps
one pre-rendered, anti-aliased dot per point (5× faster than filling arcs at 1080p), and
polylines stroke straight segments, one line at a time.

Their ``points`` keep Manim's VMobject contract (cubic Bézier curves, four control points each),
so whatever Manim does with them (copy, ``become``, ``Transform`` between equal shapes, shift,
bounding boxes) means what it says: a dot is a curve of length zero at its centre, and a
polyline is its straight segments, one subpath per line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import cairo
import numpy as np
from manim import VMobject

from scenes.kit.manim_internals import LINE_WIDTH_UNIT, cairo_rgba

CUBIC = 4  # control points per cubic Bézier curve (VMobject.n_points_per_cubic_curve)


class DotCloud(VMobject):
    """Round, anti-aliased dots of one colour at :attr:`centers`, (n, 3).

    Each dot is a zero-length cubic at its centre (its four control points equal).
    """

    def __init__(
        self,
        centers: np.ndarray,
        radius: float,
        color: str,
        opacity: float = 1.0,
        edge: str | None = None,
    ) -> None:
        super().__init__(fill_color=color, fill_opacity=opacity, stroke_width=0)
        self.radius = radius
        # A thin ring round each dot in this colour (None: none), so dots read on a shading of
        # their own colour (a transparent render's strong decision shading).
        self.edge = (
            None
            if edge is None
            else tuple(int(edge.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
        )
        self.move_to_positions(centers)

    def move_to_positions(self, centers: np.ndarray) -> DotCloud:
        """Put the dots at ``centers`` (n, 3)."""
        self.points = np.repeat(np.asarray(centers, dtype=np.float64), CUBIC, axis=0)
        return self

    @property
    def centers(self) -> np.ndarray:
        """(n, 3) the dots' centres: each curve's first control point."""
        return self.points[::CUBIC]

    def paint_points(self) -> np.ndarray:
        """What the camera projects for :meth:`paint_cairo`: the centres."""
        return self.centers

    def paint_cairo(self, ctx, points: np.ndarray) -> None:
        """Stamp one dot per point (``points`` in frame units, already projected).

        Each dot is one of PHASES² stamps drawn a quarter pixel apart and is painted at a whole
        pixel: cairo then copies it without resampling (a third faster than a stamp at a
        fractional offset, which cairo filters bilinearly) and the dot stays sharp, within an
        eighth of a pixel of its place.
        """
        m = ctx.get_matrix()  # frame units -> pixels
        radius_px = round(self.radius * abs(m.xx), 2)
        rgba = cairo_rgba(self.get_fill_rgbas()[0])
        if self.edge is not None:
            # The edges first, every fill over them: a ring round each clump, not each dot
            # (thousands of overlapping rings would darken a dense class).
            ring = max(1.0, 0.25 * radius_px)
            self._stamp(ctx, points, *_dot_stamps(radius_px + ring, *self.edge, rgba[3]))
        self._stamp(ctx, points, *_dot_stamps(radius_px, *rgba))

    def _stamp(
        self, ctx, points: np.ndarray, stamps: tuple[cairo.ImageSurface, ...], half: int
    ) -> None:
        """Paint one of ``stamps`` (a dot at each sub-pixel phase) at every point."""
        m = ctx.get_matrix()
        x = points[:, 0] * m.xx + points[:, 1] * m.xy + m.x0 - half
        y = points[:, 0] * m.yx + points[:, 1] * m.yy + m.y0 - half
        col, phase_x = np.divmod(np.rint(x * PHASES).astype(np.int64), PHASES)
        row, phase_y = np.divmod(np.rint(y * PHASES).astype(np.int64), PHASES)
        target = ctx.get_target()
        size = 2 * half
        seen = (col > -size) & (row > -size)
        seen &= (col < target.get_width()) & (row < target.get_height())
        ctx.save()
        ctx.identity_matrix()
        set_source, paint = ctx.set_source_surface, ctx.paint
        # Flat lists: building one small list per point costs 5× more than the numbers themselves.
        which = (phase_y * PHASES + phase_x)[seen].tolist()
        for k, sx, sy in zip(which, col[seen].tolist(), row[seen].tolist()):
            set_source(stamps[k], sx, sy)
            paint()
        ctx.restore()


PHASES = 4  # sub-pixel positions of a dot stamp per axis: a quarter pixel apart


@lru_cache(maxsize=64)
def _dot_stamps(
    radius_px: float, c0: float, c1: float, c2: float, alpha: float
) -> tuple[tuple[cairo.ImageSurface, ...], int]:
    """An anti-aliased dot of the given pixel radius and colour at each sub-pixel phase (row
    phase × PHASES + column phase), and the offset of a phase-0 stamp's centre."""
    half = math.ceil(radius_px) + 1
    stamps = []
    for phase_y in range(PHASES):
        for phase_x in range(PHASES):
            surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, 2 * half, 2 * half)
            ctx = cairo.Context(surface)
            centre_x, centre_y = half + phase_x / PHASES, half + phase_y / PHASES
            ctx.arc(centre_x, centre_y, max(radius_px, 0.5), 0.0, math.tau)
            ctx.set_source_rgba(c0, c1, c2, alpha)
            ctx.fill()
            stamps.append(surface)
    return tuple(stamps), half


class Polylines(VMobject):
    """Open polylines sharing one stroke style, their :attr:`vertices` end to end.

    Each line of m ≥ 2 vertices is m − 1 straight cubics (a one-vertex line, one of length zero).

    ``clip`` (x0, y0, x1, y1), in scene units, keeps the strokes inside a rectangle: the grid's
    image reaches far beyond the framed data.
    """

    def __init__(
        self,
        lines,
        color: str,
        width: float,
        opacity: float = 1.0,
        clip: tuple[float, float, float, float] | None = None,
    ) -> None:
        super().__init__(stroke_color=color, stroke_width=width, stroke_opacity=opacity)
        self.set_fill(opacity=0)
        self.clip = clip
        self.move_to_positions(lines)

    def move_to_positions(self, lines) -> Polylines:
        """Put the vertices at ``lines``: an (n_lines, n_samples, 3) array or a list of (m, 3)."""
        if isinstance(lines, np.ndarray) and lines.ndim == 3:
            self.lengths = (lines.shape[1],) * lines.shape[0]
            self.points = _straight_cubics(np.asarray(lines, dtype=np.float64)).reshape(-1, 3)
        else:
            self.lengths = tuple(len(line) for line in lines)
            curves = [
                _straight_cubics(np.asarray(line, dtype=np.float64)[None]).reshape(-1, 3)
                for line in lines
                if len(line)
            ]
            self.points = np.concatenate(curves) if curves else np.zeros((0, 3))
        return self

    @property
    def vertices(self) -> np.ndarray:
        """(sum of lengths, 3) every line's vertices, end to end: the curves' anchors."""
        lengths = self.lengths
        if lengths and min(lengths) == max(lengths) >= 2:  # the grid: one reshape
            n_lines, n = len(lengths), lengths[0]
            curves = self.points.reshape(n_lines, n - 1, CUBIC, 3)
            return np.concatenate([curves[:, :, 0], curves[:, -1:, -1]], axis=1).reshape(-1, 3)
        out, start = [], 0
        for n in lengths:
            if n == 0:
                continue
            stop = start + CUBIC * max(n - 1, 1)
            curve = self.points[start:stop]
            out.append(curve[:1] if n == 1 else np.concatenate([curve[::CUBIC], curve[-1:]]))
            start = stop
        return np.concatenate(out) if out else np.zeros((0, 3))

    def paint_points(self) -> np.ndarray:
        """What the camera projects for :meth:`paint_cairo`: the vertices."""
        return self.vertices

    def paint_cairo(self, ctx, points: np.ndarray) -> None:
        """Stroke each polyline on its own (``points`` in frame units, already projected).

        One stroke per line, not one for the whole grid: cairo's stroker resolves every crossing
        of a single self-intersecting path, which costs twice as much at 1080p.
        """
        r, g, b, a = cairo_rgba(self.get_stroke_rgbas()[0])
        if a <= 0:
            return
        ctx.save()
        if self.clip is not None:
            x0, y0, x1, y1 = self.clip
            ctx.rectangle(x0, y0, x1 - x0, y1 - y0)
            ctx.clip()
        ctx.set_source_rgba(r, g, b, a)
        ctx.set_line_width(self.get_stroke_width() * LINE_WIDTH_UNIT)
        ctx.set_line_join(cairo.LINE_JOIN_ROUND)
        ctx.set_line_cap(cairo.LINE_CAP_ROUND)
        move_to, line_to, stroke, new_path = ctx.move_to, ctx.line_to, ctx.stroke, ctx.new_path
        # A grid line under an affine step (or a ReLU's pieces) stays straight: its runs of
        # vertices on one straight segment are stroked as that segment, 5-10× fewer for cairo.
        tolerance = STRAIGHT_PX / max(abs(ctx.get_matrix().xx), 1e-9)
        keep, lengths = straight_runs_dropped(points[:, :2], self.lengths, tolerance)
        points = points[keep]
        # Flat lists: building one small list per vertex costs 5× more than the floats themselves.
        xs, ys = points[:, 0].tolist(), points[:, 1].tolist()
        start = 0
        for n in lengths:
            end = start + n
            if n >= 2:
                new_path()
                move_to(xs[start], ys[start])
                for x, y in zip(xs[start + 1 : end], ys[start + 1 : end]):
                    line_to(x, y)
                stroke()
            start = end
        ctx.restore()


class ClassRegions(VMobject):
    """An image of the input plane shaded by class: one colour per predicted class.

    Its ``points`` are the rectangle's outline (proper Bézier corners, so Manim can move or
    fade it like any shape); the camera paints the image into that rectangle in one pass.
    """

    def __init__(
        self,
        classes: np.ndarray,
        colors: tuple[str, ...],
        corners: Sequence[np.ndarray],  # (lo, hi)
        opacity: float,
        clip: tuple[float, float, float, float] | None = None,
    ) -> None:
        super().__init__(fill_opacity=opacity, stroke_width=0)
        self.clip = clip  # (x0, y0, x1, y1) scene units the shading stays inside (the picture)
        (x0, y0), (x1, y1) = corners[0][:2], corners[1][:2]
        self.set_points_as_corners(
            np.array([[x0, y0, 0], [x1, y0, 0], [x1, y1, 0], [x0, y1, 0], [x0, y0, 0]], float)
        )
        rgb = np.array([_rgb255(c) for c in colors], dtype=np.uint8)  # (k, 3)
        h, w = classes.shape
        # Premultiplied, in memory order R, G, B, A: cairo's ARGB32 on Manim's RGBA buffer.
        image = np.empty((h, w, 4), dtype=np.uint8)
        image[..., :3] = rgb[classes]
        image[..., 3] = 255
        self._image = image
        self._surface = cairo.ImageSurface.create_for_data(
            image.data, cairo.FORMAT_ARGB32, w, h, 4 * w
        )

    def paint_points(self) -> np.ndarray:
        """What the camera projects for :meth:`paint_cairo`: the outline."""
        return self.points

    def paint_cairo(self, ctx, points: np.ndarray) -> None:
        """Paint the image into the bounding box of ``points`` at the mobject's fill opacity."""
        alpha = float(self.get_fill_opacity())
        if alpha <= 0 or not len(points):
            return
        (x0, y0), (x1, y1) = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
        h, w = self._image.shape[:2]
        pattern = cairo.SurfacePattern(self._surface)
        pattern.set_filter(cairo.FILTER_NEAREST)
        # Frame units → image pixels: x grows right, and image row 0 is the top (y = y1).
        sx, sy = w / (x1 - x0), h / (y1 - y0)
        pattern.set_matrix(cairo.Matrix(sx, 0, 0, -sy, -sx * x0, sy * y1))
        ctx.save()
        if self.clip is not None:
            cx0, cy0, cx1, cy1 = self.clip
            ctx.rectangle(cx0, cy0, cx1 - cx0, cy1 - cy0)
            ctx.clip()
        ctx.rectangle(x0, y0, x1 - x0, y1 - y0)
        ctx.clip()
        ctx.set_source(pattern)
        ctx.paint_with_alpha(alpha)
        ctx.restore()


STRAIGHT_PX = 0.01  # a vertex this close to its run's chord (in pixels) is left out
STRAIGHT_RUN = 16  # vertices per run tested for straightness


def straight_runs_dropped(
    xy: np.ndarray, lengths: Sequence[int], tolerance: float, run: int = STRAIGHT_RUN
) -> tuple[np.ndarray, list[int]]:
    """Which vertices of the polylines ``xy`` (lengths end to end) to stroke, and the lines'
    new lengths: every ``run``-th vertex and each line's ends are kept, and the vertices
    between two kept ones are left out when all lie, in order, within ``tolerance`` of the
    straight segment joining them, so the stroke is the same to that distance. The order
    matters: a line folded back onto itself (a ReLU collapse) keeps its turning point.
    """
    counts = np.asarray(lengths, dtype=np.int64)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=bool), [int(n) for n in counts]
    index = np.arange(total)
    line = np.repeat(np.arange(len(counts)), counts)
    first = (np.cumsum(counts) - counts)[line]
    last = (np.cumsum(counts) - 1)[line]
    local = index - first
    a_at = first + (local // run) * run  # the kept vertex each run starts from
    b_at = np.minimum(a_at + run, last)  # and ends at
    inside = (local % run != 0) & (index != last)
    chord = xy[b_at] - xy[a_at]
    rel = xy - xy[a_at]
    length2 = np.einsum("ij,ij->i", chord, chord)
    flat = length2 <= tolerance**2
    safe = np.where(flat, 1.0, length2)
    t = np.where(flat, 0.0, np.einsum("ij,ij->i", rel, chord) / safe)
    off = np.where(
        flat,
        np.hypot(rel[:, 0], rel[:, 1]),
        np.abs(chord[:, 0] * rel[:, 1] - chord[:, 1] * rel[:, 0]) / np.sqrt(safe),
    )
    slack = tolerance / np.sqrt(safe)  # the tolerance along the chord, in units of t
    ordered = np.ones(total, dtype=bool)
    ordered[1:] = t[1:] >= t[:-1] - slack[1:]  # t at a run's start is 0
    on = (off <= tolerance) & ordered & (t >= -slack) & (t <= 1 + slack)
    bent = np.zeros(total, dtype=bool)
    bent[a_at[inside & ~on]] = True
    keep = ~inside | bent[a_at]
    kept = np.bincount(line[keep], minlength=len(counts))
    return keep, [int(n) for n in kept]


def _straight_cubics(lines: np.ndarray) -> np.ndarray:
    """(n_lines, n_samples, 3) polylines → (n_lines, max(n_samples − 1, 1), 4, 3) straight cubics.

    Control points a, a + (b − a)/3, a + 2(b − a)/3, b, as VMobject.set_points_as_corners makes
    them; a line of one vertex becomes one cubic of length zero.
    """
    if lines.shape[1] == 1:
        return np.repeat(lines[:, :, None], CUBIC, axis=2)
    a, b = lines[:, :-1, None], lines[:, 1:, None]  # (n_lines, n_samples - 1, 1, 3)
    t = np.linspace(0.0, 1.0, CUBIC)[None, None, :, None]
    return a + t * (b - a)


def _rgb255(color: str) -> tuple[int, int, int]:
    h = color.lstrip("#")
    return tuple(int(h[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
