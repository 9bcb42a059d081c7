"""A Cairo camera that lets a mobject write its own path (see :mod:`scenes.mobjects`)."""

from __future__ import annotations

from manim import Camera


class OwnPathMixin:
    """Draw mobjects that define ``write_cairo_path`` in one pass; all others as Manim does."""

    def set_cairo_context_path(self, ctx, vmobject):
        write = getattr(vmobject, "write_cairo_path", None)
        if write is None:
            return super().set_cairo_context_path(ctx, vmobject)
        ctx.new_path()
        points = self.transform_points_pre_display(vmobject, vmobject.points)
        if len(points):
            write(ctx, points)
        return self


class FastCamera(OwnPathMixin, Camera):
    """Manim's 2-D Cairo camera with one-pass paths for dot clouds and polylines."""
