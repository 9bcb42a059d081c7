"""Mobjects for thousands of points: one path each, drawn in one pass by :mod:`scenes.camera`.

Manim builds a cairo path from Bézier points in Python, four curves per dot; these mobjects hold
plain positions (their ``points`` are the dot centres or the polyline vertices) and write their
own cairo path, which is what keeps a frame with thousands of dots cheap.
"""

from __future__ import annotations

import math

import numpy as np
from manim import VMobject


class DotCloud(VMobject):
    """Round, anti-aliased dots of one colour; ``points`` are their centres, shape (n, 3)."""

    def __init__(
        self, centers: np.ndarray, radius: float, color: str, opacity: float = 1.0
    ) -> None:
        super().__init__(fill_color=color, fill_opacity=opacity, stroke_width=0)
        self.radius = radius
        self.move_to_positions(centers)

    def move_to_positions(self, centers: np.ndarray) -> DotCloud:
        """Put the dots at ``centers`` (n, 3)."""
        self.points = np.array(centers, dtype=np.float64)
        return self

    def write_cairo_path(self, ctx, points: np.ndarray) -> None:
        """Add one circle per dot to the current cairo path (``points`` already projected)."""
        r = self.radius
        new_sub_path, arc = ctx.new_sub_path, ctx.arc
        for x, y in points[:, :2].tolist():
            new_sub_path()
            arc(x, y, r, 0.0, math.tau)


class Polylines(VMobject):
    """Many open polylines sharing one stroke; ``points`` are vertices, lines end to end."""

    def __init__(self, lines: np.ndarray, color: str, width: float, opacity: float = 1.0) -> None:
        super().__init__(stroke_color=color, stroke_width=width, stroke_opacity=opacity)
        self.set_fill(opacity=0)
        self.move_to_positions(lines)

    def move_to_positions(self, lines: np.ndarray) -> Polylines:
        """Put the vertices at ``lines`` of shape (n_lines, n_samples, 3)."""
        self.samples_per_line = lines.shape[1]
        self.points = np.array(lines, dtype=np.float64).reshape(-1, 3)
        return self

    def write_cairo_path(self, ctx, points: np.ndarray) -> None:
        """Add every polyline to the current cairo path (``points`` already projected)."""
        move_to, line_to = ctx.move_to, ctx.line_to
        n = self.samples_per_line
        xy = points[:, :2].tolist()
        for start in range(0, len(xy), n):
            move_to(*xy[start])
            for x, y in xy[start + 1 : start + n]:
                line_to(x, y)
