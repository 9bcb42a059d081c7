"""The one animation netmorph needs: points and grid following a precomputed path."""

from __future__ import annotations

import numpy as np
from manim import Animation, VGroup

from model.pipeline import Layout
from model.view import MorphPath
from scenes import style
from scenes.mobjects import DotCloud, Polylines

NO_AXES = np.zeros((0, 2, 3))


class MorphPicture(VGroup):
    """The stage's axes, the grid, one dot cloud per class and the decision boundary, in order."""

    def __init__(self, layout: Layout, positions: np.ndarray, axes: np.ndarray | None) -> None:
        classes, grid, curves = layout.split(positions)
        self.layout = layout
        self.axes = Polylines(
            NO_AXES if axes is None else axes,
            style.AXIS_COLOR,
            style.AXIS_WIDTH,
            style.AXIS_OPACITY,
        )
        self.grid = Polylines(grid, style.GRID_COLOR, style.GRID_WIDTH, style.GRID_OPACITY)
        self.clouds = [
            DotCloud(points, style.DOT_RADIUS, color, style.CLASS_OPACITY)
            for points, color in zip(classes, style.CLASS_COLORS)
        ]
        self.boundary = Polylines(
            curves, style.BOUNDARY_COLOR, style.BOUNDARY_WIDTH, style.BOUNDARY_OPACITY
        )
        super().__init__(self.axes, self.grid, *self.clouds, self.boundary)

    def show(self, positions: np.ndarray, axes: np.ndarray | None) -> MorphPicture:
        """Move every dot and grid vertex to ``positions`` (rows in the layout's order)."""
        classes, grid, curves = self.layout.split(positions)
        self.axes.move_to_positions(NO_AXES if axes is None else axes)
        self.boundary.move_to_positions(curves)
        self.grid.move_to_positions(grid)
        for cloud, points in zip(self.clouds, classes):
            cloud.move_to_positions(points)
        return self


class FollowPath(Animation):
    """Move a :class:`MorphPicture` through one step of a :class:`MorphPath`."""

    def __init__(self, picture: MorphPicture, path: MorphPath, step: int, **kwargs) -> None:
        self.path = path
        self.step = step
        super().__init__(picture, **kwargs)

    def create_starting_mobject(self) -> MorphPicture:
        # Every frame comes from the path, never from a starting copy: skip Manim's deep copy.
        return self.mobject

    def interpolate_mobject(self, alpha: float) -> None:
        self.mobject.show(*self.path.frame_at(self.step, self.rate_func(alpha)))


class CrossFade(Animation):
    """Fade ``old`` out and ``new`` in, both inside ``holder``, in place.

    Manim's FadeIn/FadeOut deep-copy their mobjects twice each, which for Pango text costs more
    than all the frames of a label swap; this scales each part's own opacity instead. ``holder``
    is a group already in the scene, so its place in the drawing order is kept; remove ``old``
    from it afterwards.
    """

    def __init__(self, holder: VGroup, old: VGroup, new: VGroup, **kwargs) -> None:
        self.parts = [
            (part, part.get_fill_opacity(), part.get_stroke_opacity(), sign)
            for group, sign in ((old, -1), (new, 1))
            for part in group.get_family()
        ]
        super().__init__(holder, **kwargs)

    def create_starting_mobject(self) -> VGroup:
        return self.mobject  # opacities come from the saved ones, never from a copy

    def interpolate_mobject(self, alpha: float) -> None:
        t = self.rate_func(alpha)
        for part, fill, stroke, sign in self.parts:
            weight = t if sign > 0 else 1 - t
            part.set_fill(opacity=fill * weight, family=False)
            part.set_stroke(opacity=stroke * weight, family=False)
