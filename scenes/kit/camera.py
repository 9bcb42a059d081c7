"""A Cairo camera that lets a mobject draw itself in one pass (see :mod:`scenes.kit.mobjects`).

A VMobject with a ``paint_cairo(ctx, points)`` method paints itself completely (dot clouds stamp
one pre-rendered dot per point; polylines stroke line by line); every other mobject is drawn as
Manim draws it. ``points`` are the mobject's points after the camera's own projection (identity
in 2-D, the perspective projection in a ``ThreeDCamera``), in frame units; ``ctx`` maps frame
units to pixels.
"""

from __future__ import annotations

from manim import Camera


class OwnDrawingMixin:
    """Let mobjects with ``paint_cairo`` draw themselves in one pass."""

    def display_vectorized(self, vmobject, ctx):
        paint = getattr(vmobject, "paint_cairo", None)
        if paint is None:
            return super().display_vectorized(vmobject, ctx)
        points = self.transform_points_pre_display(vmobject, vmobject.points)
        if len(points):
            paint(ctx, points)
        return self


class FastCamera(OwnDrawingMixin, Camera):
    """Manim's 2-D Cairo camera with one-pass drawing for dot clouds and polylines."""
