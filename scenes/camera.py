"""A Cairo camera that lets a mobject draw itself in one pass (see :mod:`scenes.mobjects`).

Two hooks, looked up on each VMobject:

- ``paint_cairo(ctx, points)``: the mobject paints itself completely (dot clouds stamp one
  pre-rendered dot per point);
- ``write_cairo_path(ctx, points)``: the mobject writes its own path, which Manim then strokes and
  fills as usual (polylines).

``points`` are the mobject's points after the camera's own projection (identity in 2-D, the
perspective projection in a ``ThreeDCamera``), in frame units; ``ctx`` maps frame units to pixels.
"""

from __future__ import annotations

from manim import Camera


class OwnDrawingMixin:
    """Give mobjects with ``paint_cairo``/``write_cairo_path`` their one-pass drawing."""

    def display_vectorized(self, vmobject, ctx):
        paint = getattr(vmobject, "paint_cairo", None)
        if paint is None:
            return super().display_vectorized(vmobject, ctx)
        points = self.transform_points_pre_display(vmobject, vmobject.points)
        if len(points):
            paint(ctx, points)
        return self

    def set_cairo_context_path(self, ctx, vmobject):
        write = getattr(vmobject, "write_cairo_path", None)
        if write is None:
            return super().set_cairo_context_path(ctx, vmobject)
        ctx.new_path()
        points = self.transform_points_pre_display(vmobject, vmobject.points)
        if len(points):
            write(ctx, points)
        return self


class FastCamera(OwnDrawingMixin, Camera):
    """Manim's 2-D Cairo camera with one-pass drawing for dot clouds and polylines."""
