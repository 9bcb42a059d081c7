"""The morph's picture and the animations that move it along a precomputed path."""

from __future__ import annotations

import numpy as np
from manim import Animation, VGroup, VMobject

from model.picture.layout import Layout
from model.picture.view import NO_SEGMENTS, Area, Frame, MorphTimeline
from scenes.kit import style
from scenes.kit.mobjects import DotCloud, Polylines
from scenes.kit.overlays import label
from scenes.kit.style import Theme

NAME_GAP = 0.1  # scene units between an axis's end and its name


def area_clip(area: Area) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of an :class:`Area`, for clipping strokes to it."""
    (cx, cy), w, h = area.center, area.width, area.height
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


class MorphPicture(VGroup):
    """Axes, grid, the class dots, the decision boundary, its guide lines and the axis names.

    The classes are drawn largest first, so a smaller class is never hidden under a larger one.
    ``names`` are every axis name the path can show; each is placed and faded per frame.
    """

    def __init__(
        self,
        layout: Layout,
        frame: Frame,
        theme: Theme,
        *,
        clip: tuple[float, float, float, float] | None = None,
        names: tuple[str, ...] = (),
        center: tuple[float, float] = (0.0, 0.0),
        scale_bar=None,
    ) -> None:
        self.layout = layout
        self.scale_bar = scale_bar  # an overlays.ScaleBar shown with every frame, or None
        self.center_xy = np.array(center, dtype=float)
        # The network strip sits left of the picture's area: no axis name may reach into it.
        self.names_left = None if clip is None else clip[0]
        self.axes = Polylines(
            NO_SEGMENTS, theme.axis, style.AXIS_WIDTH, theme.axis_opacity, clip=clip
        )
        self.axes_opacity = theme.axis_opacity
        self.grid = Polylines(
            np.zeros((0, 2, 3)), theme.grid, style.GRID_WIDTH, theme.grid_opacity, clip=clip
        )
        self.clouds = [
            DotCloud(np.zeros((0, 3)), style.DOT_RADIUS, color, theme.class_opacity)
            for color in theme.class_colors[: len(layout.classes)]
        ]
        self.boundary = Polylines([], theme.boundary, style.BOUNDARY_WIDTH, 1.0, clip=clip)
        self.guides = Polylines([], theme.boundary, style.BOUNDARY_WIDTH * 0.6, 1.0, clip=clip)
        self.folds = Polylines([], theme.fold, style.FOLD_WIDTH, 0.9, clip=clip)
        self.names = {
            name: label(name, theme, style.AXIS_FONT_SIZE, color=theme.note) for name in names
        }
        sizes = [s.stop - s.start for s in layout.classes]
        order = sorted(range(len(self.clouds)), key=lambda k: -sizes[k])  # largest first
        super().__init__(
            self.axes,
            self.grid,
            self.guides,
            *(self.clouds[k] for k in order),
            self.folds,
            self.boundary,
            *self.names.values(),
            *([] if scale_bar is None else [scale_bar]),
        )
        self._shown: dict[str, float] = {}
        # Where each name's centre is, so a frame moves it by one shift (next_to costs 10×).
        self._centres = {name: text.get_center() for name, text in self.names.items()}
        self._halves = {n: np.array([t.width, t.height]) / 2 for n, t in self.names.items()}
        self.display(frame)

    def display(self, frame: Frame) -> MorphPicture:
        """Draw ``frame``: every dot and vertex moved, axes, guides and names placed."""
        classes, grid, curves = self.layout.split(frame.points)
        self.axes.move_to_positions(frame.axes)
        self.axes.set_stroke(opacity=self.axes_opacity * frame.axes_opacity)
        self.boundary.move_to_positions(curves)
        self.folds.move_to_positions(self.layout.fold_curves(frame.points))
        self.grid.move_to_positions(grid)
        for cloud, points in zip(self.clouds, classes):
            cloud.move_to_positions(points)
        self.guides.move_to_positions(list(frame.guides))
        self.guides.set_stroke(opacity=frame.guide_opacity)
        self._place_names(frame)
        if self.scale_bar is not None:
            self.scale_bar.display(frame.scale)
        return self

    def _place_names(self, frame: Frame) -> None:
        wanted: dict[str, tuple[np.ndarray | None, float]] = {}
        for name, anchor, opacity in frame.names:
            if name in self.names and opacity > wanted.get(name, (None, 0.0))[1]:
                wanted[name] = (anchor, opacity)
        for name, text in self.names.items():
            spot, opacity = wanted.get(name, (None, 0.0))
            if spot is not None and opacity > 0:
                target = self._name_centre(name, spot)
                text.shift(target - self._centres[name])
                self._centres[name] = target
            if self._shown.get(name) != opacity:
                text.set_opacity(opacity)
                self._shown[name] = opacity

    def _name_centre(self, name: str, anchor: np.ndarray) -> np.ndarray:
        """Beyond the axis's end, away from the picture's middle; tick values below their tick.

        The name's box just clears the anchor by NAME_GAP in the direction away from the middle.
        """
        if name[:1].isdigit():
            away = np.array([0.0, -1.0])
        else:
            away = anchor[:2] - self.center_xy
            norm = float(np.linalg.norm(away))
            away = away / norm if norm > 1e-9 else np.array([1.0, 0.0])
        half = self._halves[name]
        # Distance from the box's centre to its edge along ``away``.
        reach = float(np.min(half / np.maximum(np.abs(away), 1e-9)))
        centre = anchor + np.r_[away * (reach + NAME_GAP), 0.0]
        if self.names_left is not None:
            centre[0] = max(centre[0], self.names_left + half[0])
        return centre


class FollowPath(Animation):
    """Move a :class:`MorphPicture` through one step of a :class:`MorphTimeline`."""

    def __init__(self, picture: MorphPicture, path: MorphTimeline, step: int, **kwargs) -> None:
        self.picture = picture
        self.path = path
        self.step = step
        super().__init__(picture, **kwargs)

    def create_starting_mobject(self) -> MorphPicture:
        # Every frame comes from the path, never from a starting copy: skip Manim's deep copy.
        return self.picture

    def interpolate_mobject(self, alpha: float) -> None:
        self.picture.display(self.path.frame_at(self.step, self.rate_func(alpha)))


class Fade(Animation):
    """Fade mobjects in or out in place, by scaling their own opacities.

    Manim's FadeIn/FadeOut deep-copy their mobjects twice each, which for Pango text costs more
    than all the frames of a title change; this keeps the mobjects and their drawing order.
    ``holder`` is a group already in the scene that contains them.
    """

    def __init__(self, holder: VMobject, *parts: VMobject, fade_in: bool, **kwargs) -> None:
        self.fade_in = fade_in
        self.parts = [
            (part, part.get_fill_opacity(), part.get_stroke_opacity())
            for group in parts
            for part in group.get_family()
        ]
        self.holder = holder
        super().__init__(holder, **kwargs)

    def create_starting_mobject(self) -> VMobject:
        return self.holder  # opacities come from the saved ones, never from a copy

    def interpolate_mobject(self, alpha: float) -> None:
        t = self.rate_func(alpha)
        weight = t if self.fade_in else 1 - t
        for part, fill, stroke in self.parts:
            part.set_fill(opacity=fill * weight, family=False)
            part.set_stroke(opacity=stroke * weight, family=False)


class CrossFade(Animation):
    """Fade ``old`` out and ``new`` in, both inside ``holder``, in place (see :class:`Fade`)."""

    def __init__(self, holder: VGroup, old: VGroup, new: VGroup, **kwargs) -> None:
        self.parts = [
            (part, part.get_fill_opacity(), part.get_stroke_opacity(), sign)
            for group, sign in ((old, -1), (new, 1))
            for part in group.get_family()
        ]
        self.holder = holder
        super().__init__(holder, **kwargs)

    def create_starting_mobject(self) -> VGroup:
        return self.holder

    def interpolate_mobject(self, alpha: float) -> None:
        t = self.rate_func(alpha)
        for part, fill, stroke, sign in self.parts:
            weight = t if sign > 0 else 1 - t
            part.set_fill(opacity=fill * weight, family=False)
            part.set_stroke(opacity=stroke * weight, family=False)
