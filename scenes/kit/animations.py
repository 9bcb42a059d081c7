"""The morph's picture and the animations that play it from a precomputed timeline."""

from __future__ import annotations

import numpy as np
from manim import VGroup, VMobject

from model.picture.frame import Name
from model.picture.labels import place_names
from model.picture.layout import Layout
from model.picture.screen import Box
from model.picture.view import NO_SEGMENTS, Area, Frame, LandedTimeline, MorphTimeline
from scenes.kit import style
from scenes.kit.manim_internals import InPlaceAnimation
from scenes.kit.mobjects import DotCloud, Polylines
from scenes.kit.overlays import label
from scenes.kit.style import Theme

CROWD_SAMPLE = 400  # data points a label placement avoids covering


def crowd_rows(layout: Layout) -> np.ndarray:
    """The rows of an even sample of at most about :data:`CROWD_SAMPLE` data points: the crowd
    a name's placement keeps off (:func:`model.picture.labels.place_names`)."""
    start, stop = layout.classes[0].start, layout.classes[-1].stop
    return np.arange(start, stop)[:: max(1, (stop - start) // CROWD_SAMPLE)]


def area_clip(area: Area) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of an :class:`Area`, for clipping strokes to it."""
    (cx, cy), w, h = area.center, area.width, area.height
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


class MorphPicture(VGroup):
    """Axes, grid, the class dots, the decision boundary, its guide lines and the axis names.

    The classes are drawn largest first, so a smaller class is never hidden under a larger one.
    ``names`` are every axis name the timeline can show; each frame places the shown ones in free
    space inside ``room`` (:func:`model.picture.labels.place_labels`), so no name lands on
    another, on an overlay or outside the safe area.
    """

    def __init__(
        self,
        layout: Layout,
        frame: Frame,
        theme: Theme,
        *,
        clip: tuple[float, float, float, float] | None = None,
        names: tuple[str, ...] = (),
        room: Box | None = None,
        scale_bar=None,
    ) -> None:
        self.layout = layout
        self.scale_bar = scale_bar  # an overlays.ScaleBar shown with every frame, or None
        self.room = room
        self.axes = Polylines(
            NO_SEGMENTS, theme.axis, style.AXIS_WIDTH, theme.axis_opacity, clip=clip
        )
        self.axes_opacity = theme.axis_opacity
        self.grid = Polylines(
            np.zeros((0, 2, 3)), theme.grid, style.GRID_WIDTH, theme.grid_opacity, clip=clip
        )
        self.clouds = [
            DotCloud(np.zeros((0, 3)), style.DOT_RADIUS, color, theme.class_opacity, theme.dot_edge)
            for color in theme.class_colors[: len(layout.classes)]
        ]
        self.boundary = Polylines([], theme.boundary, style.BOUNDARY_WIDTH, 1.0, clip=clip)
        self.guides = Polylines([], theme.boundary, style.BOUNDARY_WIDTH * 0.6, 1.0, clip=clip)
        self.folds = Polylines([], theme.fold, style.FOLD_WIDTH, 0.9, clip=clip)
        self.names = {name: _name_label(name, theme) for name in names}
        # Every part's own opacity, so a cross-fade scales it and a held frame restores it.
        self.opacities = [
            (part, part.get_fill_opacity(), part.get_stroke_opacity())
            for part in (self.grid, *self.clouds, self.boundary, self.folds)
        ]
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
        self._opacity = 1.0
        # Where each name's centre is, so a frame moves it by one shift (next_to costs 10×).
        self._centres = {name: text.get_center() for name, text in self.names.items()}
        # Each name's (width, height): what its placement fits (the page places them alike).
        self.name_sizes = {n: (float(t.width), float(t.height)) for n, t in self.names.items()}
        self._placed: tuple[tuple, dict[str, tuple[Box, float]]] | None = None
        self.placed: dict[str, Box] = {}  # the shown names' boxes, for markers placed after
        self.crowd_rows = crowd_rows(layout)
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
        if frame.opacity != self._opacity:
            for part, fill, stroke in self.opacities:
                part.set_fill(opacity=fill * frame.opacity, family=False)
                part.set_stroke(opacity=stroke * frame.opacity, family=False)
            self._opacity = frame.opacity
        self.guides.move_to_positions(list(frame.guides))
        self.guides.set_stroke(opacity=frame.guide_opacity)
        self._place_names(frame)
        if self.scale_bar is not None:
            self.scale_bar.display(frame.scale, frame.stretch)
        return self

    def _place_names(self, frame: Frame) -> None:
        placed = self._placements(frame)
        self.placed = {text: box for text, (box, _) in placed.items()}
        for text, mobject in self.names.items():
            box, opacity = placed.get(text, (None, 0.0))
            if box is not None:
                target = np.array([*box.center, 0.0])
                mobject.shift(target - self._centres[text])
                self._centres[text] = target
            if self._shown.get(text) != opacity:
                mobject.set_opacity(opacity)
                self._shown[text] = opacity

    def _placements(self, frame: Frame) -> dict[str, tuple[Box, float]]:
        """Each shown name's box and opacity (:func:`model.picture.labels.place_names`).

        The same names at the same anchors (a held stage, a fade) are placed once: a fade
        changes only their opacities, not which copy of a name shows nor where it goes.
        """
        shown: dict[str, Name] = {}  # the copy of each name place_names places: most opaque
        for name in frame.names:
            if name.opacity > 0 and (
                name.text not in shown or name.opacity > shown[name.text].opacity
            ):
                shown[name.text] = name
        key = (
            tuple(
                (n.text, *np.round(n.anchor[:2], 6), n.away, n.along, n.avoid)
                for n in shown.values()
            ),
            tuple(tuple(np.round(g[:, :2].ravel(), 6)) for g in frame.guides),
        )
        if self._placed is None or self._placed[0] != key:
            crowd = frame.points[self.crowd_rows]
            self._placed = (key, place_names(frame, self.name_sizes, self.room, crowd))
        return {
            text: (box, shown[text].opacity)
            for text, (box, _) in self._placed[1].items()
            if text in shown
        }


def _name_label(name: str, theme: Theme) -> VGroup:
    """An axis name at the axis size; a tick value smaller (they are many and read as
    numbers)."""
    plain = name.replace("−", "-").replace(".", "")
    if plain.lstrip("-").isdigit():
        return label(name, theme, style.SMALL_FONT_SIZE, color=theme.note, role="tick")
    return label(name, theme, style.AXIS_FONT_SIZE, color=theme.note, role="name")


class PlayTimeline(InPlaceAnimation):
    """Play one move of a :class:`MorphTimeline` on a :class:`MorphPicture`."""

    def __init__(
        self, picture: MorphPicture, timeline: MorphTimeline | LandedTimeline, move: int, **kwargs
    ) -> None:
        self.picture = picture
        self.timeline = timeline
        self.move = move
        super().__init__(picture, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        self.picture.display(self.timeline.frame_at(self.move, self.rate_func(alpha)))


class Fade(InPlaceAnimation):
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

    def interpolate_mobject(self, alpha: float) -> None:
        t = self.rate_func(alpha)
        weight = t if self.fade_in else 1 - t
        for part, fill, stroke in self.parts:
            part.set_fill(opacity=fill * weight, family=False)
            part.set_stroke(opacity=stroke * weight, family=False)


class CrossFade(InPlaceAnimation):
    """Fade ``old`` out and ``new`` in, both inside ``holder``, in place (see :class:`Fade`)."""

    def __init__(self, holder: VGroup, old: VGroup, new: VGroup, **kwargs) -> None:
        self.parts = [
            (part, part.get_fill_opacity(), part.get_stroke_opacity(), sign)
            for group, sign in ((old, -1), (new, 1))
            for part in group.get_family()
        ]
        self.holder = holder
        super().__init__(holder, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        t = self.rate_func(alpha)
        for part, fill, stroke, sign in self.parts:
            weight = t if sign > 0 else 1 - t
            part.set_fill(opacity=fill * weight, family=False)
            part.set_stroke(opacity=stroke * weight, family=False)
