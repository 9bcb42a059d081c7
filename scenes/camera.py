"""A Cairo camera that lets a mobject draw itself in one pass (see :mod:`scenes.mobjects`).

A VMobject with a ``paint_cairo(ctx, points)`` method paints itself completely (dot clouds stamp
one pre-rendered dot per point; polylines stroke line by line); every other mobject is drawn as
Manim draws it. ``points`` are the mobject's points after the camera's own projection (identity
in 2-D, the perspective projection in a ``ThreeDCamera``), in frame units; ``ctx`` maps frame
units to pixels.

Two things are never drawn, because nothing of them would show. A VMobject whose fill and both
strokes are fully transparent (an axis name faded out, a title not yet in): Manim would build
its whole Cairo path and paint it at alpha 0, every frame. And, in a still (``manim -s``), every
frame before the last: Manim skips the animations but still draws two frames per ``play``,
which :meth:`OwnDrawingMixin.hold_drawing` turns off until the scene's teardown.
"""

from __future__ import annotations

from manim import Camera


def _invisible(vmobject) -> bool:
    """True when neither the fill nor either stroke of ``vmobject`` can put a pixel down."""
    if vmobject.get_fill_rgbas()[:, 3].any():
        return False
    for background in (False, True):
        if (
            vmobject.get_stroke_width(background) > 0
            and vmobject.get_stroke_rgbas(background)[:, 3].any()
        ):
            return False
    return True


class OwnDrawingMixin:
    """Let mobjects with ``paint_cairo`` draw themselves in one pass; skip what cannot show."""

    holding = False  # True: capture nothing (a still's skipped frames)

    def hold_drawing(self, hold: bool) -> None:
        """Stop (True) or resume (False) drawing captured frames."""
        self.holding = hold

    def capture_mobjects(self, mobjects, **kwargs):
        if self.holding:
            return None
        return super().capture_mobjects(mobjects, **kwargs)

    def display_vectorized(self, vmobject, ctx):
        paint = getattr(vmobject, "paint_cairo", None)
        if paint is None:
            if _invisible(vmobject):
                return self
            return super().display_vectorized(vmobject, ctx)
        points = self.transform_points_pre_display(vmobject, vmobject.points)
        if len(points):
            paint(ctx, points)
        return self


class FastCamera(OwnDrawingMixin, Camera):
    """Manim's 2-D Cairo camera with one-pass drawing for dot clouds and polylines."""
