"""Several pictures side by side: panels in the safe area, one common scale, where they differ.

Which stage the pictures differ at most picks the comparison's enlarged panel.

- :func:`panel_row`: ``n`` equal panels side by side, all inside the frame's safe margin (5 % on
  each side), below a band kept for titles.
- :class:`SharedFraming`: several :class:`~model.picture.view.MorphTimeline` s drawn at *one*
  scale at every moment, each centred in its own panel. The scale is the largest at which every
  panel's picture fits its panel, so the biggest picture fills its panel and the others are drawn
  to the same scale: one unit of a stage is equally long in every panel, and sizes can be
  compared. A panel where a class would be too small to see at that scale is enlarged just
  enough, and says by how much.
- :func:`crowded`: classes a picture draws as (nearly) one point, to be marked, not enlarged.
- :func:`stage_differences`: how differently the panels draw the same points at each stage, by
  the shape difference of :func:`shape_difference`; :func:`most_different_stage` is its maximum.

Examples::

    areas = panel_row(3, top=1.1)
    framing = SharedFraming([m.timeline for m in morphs], radius=0.032)  # each fitted to its area
    left, middle, right = framing.pictures_at(move, t)  # PanelPictures: frame, zoom, true_box
    k = most_different_stage([m.timeline for m in morphs], rows)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np

from model.errors import NetmorphError
from model.picture.footprint import class_footprints
from model.picture.frame import MANIM_FRAME
from model.picture.moves import INPUT_MOVE
from model.picture.view import Area, Frame, MorphTimeline, bounding_box

SAFE_MARGIN = 0.05  # share of the frame's width (and height) kept free on each side
PANEL_GAP = 0.3  # scene units between neighbouring panels
FLOOR = 0.003  # the least share of the frame's pixels a class may cover: 0.3 %
ZOOM_BISECTIONS = 12  # halvings (in log scale) when searching the zoom that keeps classes visible
CROWD_SHARE = 0.8  # a class is a crowd when this share of its points ...
CROWD_RADIUS = 0.04  # ... lies within this share of the picture's diagonal of their median


def safe_area(frame: tuple[float, float] = MANIM_FRAME, margin: float = SAFE_MARGIN) -> Area:
    """The frame without its margins: everything drawn should stay inside it."""
    width, height = frame
    return Area(center=(0.0, 0.0), width=width * (1 - 2 * margin), height=height * (1 - 2 * margin))


def panel_row(
    n: int,
    *,
    top: float = 0.0,
    bottom: float = 0.0,
    gap: float = PANEL_GAP,
    pad: float | tuple[float, float, float, float] = 0.0,
    frame: tuple[float, float] = MANIM_FRAME,
    margin: float = SAFE_MARGIN,
) -> list[Area]:
    """``n`` equal panels side by side, left to right, inside the safe area.

    ``top`` and ``bottom`` are scene units of the safe area kept free above and below the panels
    (for titles, a legend); ``gap`` separates neighbouring panels. Each returned area is the
    panel less ``pad`` (one number for every side, or (left, bottom, right, top)), where its
    picture goes: the pad keeps room for the names drawn beyond the picture's axes.
    """
    if n < 1:
        raise NetmorphError(f"a row of panels needs at least one panel, got {n}")
    safe = safe_area(frame, margin)
    left_pad, bottom_pad, right_pad, top_pad = (pad,) * 4 if isinstance(pad, (int, float)) else pad
    width = (safe.width - gap * (n - 1)) / n
    height = safe.height - top - bottom
    if width <= left_pad + right_pad or height <= bottom_pad + top_pad:
        raise NetmorphError(
            f"{n} panels do not fit the frame with top={top}, bottom={bottom}, gap={gap}, "
            f"pad={pad}: "
            "use fewer panels or smaller bands"
        )
    left = safe.center[0] - safe.width / 2
    y = safe.center[1] + safe.height / 2 - top - height / 2
    return [
        Area(
            center=(
                left + i * (width + gap) + left_pad + (width - left_pad - right_pad) / 2,
                y + (bottom_pad - top_pad) / 2,
            ),
            width=width - left_pad - right_pad,
            height=height - bottom_pad - top_pad,
        )
        for i in range(n)
    ]


@dataclass(frozen=True)
class PanelPicture:
    """What one panel draws at one moment."""

    frame: Frame  # the timeline's frame, at the scale the panel is drawn at
    zoom: float  # drawn scale / common scale: 1 at the common scale, above 1 where enlarged
    true_box: np.ndarray  # (2, 2) scene [lo, hi] corners the data spans at the common scale


class SharedFraming:
    """Several morph timelines drawn at one common scale at every moment.

    Each timeline keeps its own area (its panel), its own motion and its own re-timing; only the
    scale is shared: at each moment it is the smallest of the scales at which each timeline would
    fit its own picture into its own area. Each picture stays centred in its panel.

    With ``radius`` (the dots' radius in scene units) every class stays visible: where a class
    of a panel would cover less than ``floor`` of the frame at the common scale, that panel is
    enlarged just enough (at most to its own fit), and its :class:`PanelPicture` reports the
    ``zoom`` and the box its data would fill at the common scale, so the scene can say so. A
    class the panel draws as one crowd (:func:`crowded`) is exempt: no zoom would spread it, and
    the scene marks it instead. The zoom is found at each stage and eased between stages.
    Pictures on a fixed scale (the probability axis) are the same size in every panel and are
    left as they are.
    """

    def __init__(
        self,
        timelines: Sequence[MorphTimeline],
        *,
        radius: float | None = None,
        floor: float = FLOOR,
    ) -> None:
        if not timelines:
            raise NetmorphError("a shared framing needs at least one timeline")
        self.timelines = list(timelines)
        self.radius = radius
        self.floor = floor
        self._zooms: dict[int, list[float]] = {}

    def pictures_at(self, move: int, t: float) -> list[PanelPicture]:
        """Each timeline's :class:`PanelPicture` at time t ∈ [0, 1] of ``move``."""
        if move == INPUT_MOVE:
            return self.held_pictures(0)
        before, after = self.zooms(move - 1), self.zooms(move)
        eased = [a ** (1 - t) * b**t for a, b in zip(before, after)]
        return self._shared([timeline.frame_at(move, t) for timeline in self.timelines], eased)

    def held_pictures(self, k: int) -> list[PanelPicture]:
        """Each timeline's :class:`PanelPicture` of stage ``k`` exactly, as held between moves."""
        held = [timeline.keyframe_frame(k) for timeline in self.timelines]
        return self._shared(held, self.zooms(k))

    def return_at(self, k: int, t: float) -> list[PanelPicture]:
        """Each panel on its way from stage ``k`` back to the input plane, at time t ∈ [0, 1].

        The picture cross-fades, as a timeline's own return from softmax does.
        """
        starts, ends = self.held_pictures(k), self.held_pictures(0)
        return [
            PanelPicture(
                timeline.composer.cross_fade(a.frame, b.frame, t),  # as the timeline returns
                (1 - t) * a.zoom + t * b.zoom,
                (1 - t) * a.true_box + t * b.true_box,
            )
            for timeline, a, b in zip(self.timelines, starts, ends)
        ]

    def zooms(self, k: int) -> list[float]:
        """Each panel's zoom at stage ``k``: the least, ≥ 1, that keeps its classes visible."""
        if k not in self._zooms:
            frames = [timeline.keyframe_frame(k) for timeline in self.timelines]
            self._zooms[k] = [1.0] * len(frames)
            if self.radius is not None:
                common = self._shared(frames, self._zooms[k])
                self._zooms[k] = [
                    self._visible_zoom(timeline, panel, own.scale)
                    for timeline, panel, own in zip(self.timelines, common, frames)
                ]
        return self._zooms[k]

    def _visible_zoom(
        self, timeline: MorphTimeline, panel: PanelPicture, own: float | None
    ) -> float:
        """The least zoom ≥ 1 at which ``panel``'s classes, crowds aside, reach the floor."""
        radius = self.radius
        if own is None or panel.frame.scale is None or radius is None:
            return 1.0
        largest = own / panel.frame.scale  # the zoom that fills the panel
        center = _center(timeline)

        def visible(zoom: float) -> bool:
            points = center + (panel.frame.points - center) * zoom
            found = marks(points, timeline.labels, radius, self.floor, frame=timeline.frame_size)
            return all(m.crowd for m in found)

        if largest <= 1.0 or visible(1.0):
            return 1.0
        if not visible(largest):
            return largest
        lo, hi = 1.0, largest
        for _ in range(ZOOM_BISECTIONS):
            middle = (lo * hi) ** 0.5
            lo, hi = (lo, middle) if visible(middle) else (middle, hi)
        return hi

    def _shared(self, frames: list[Frame], zooms: list[float]) -> list[PanelPicture]:
        """``frames`` (one per timeline, each at its own scale) redrawn at the common scale × zoom.

        A timeline's own frame is centred in its area; shrinking it about the area's centre by
        drawn / own gives the same picture at the drawn scale, still centred. No panel is drawn
        beyond its own fit.
        """
        scales = [f.scale for f in frames if f.scale is not None]
        common = min(scales) if scales else None
        out = []
        for timeline, frame, zoom in zip(self.timelines, frames, zooms):
            data = frame.points[timeline.data_rows][:, :2]
            if common is None or frame.scale is None:
                out.append(PanelPicture(frame, 1.0, bounding_box(data)))
                continue
            center = _center(timeline)
            drawn = min(common * zoom, frame.scale)
            shared = _scaled(frame, center, drawn / frame.scale)
            true_box = center[:2] + (bounding_box(data) - center[:2]) * common / frame.scale
            out.append(PanelPicture(shared, float(drawn / common), true_box))
        return out


def _center(timeline: MorphTimeline) -> np.ndarray:
    """(3,) the middle of a timeline's area, where its pictures are centred."""
    center = np.zeros(3)
    center[: len(timeline.area.center)] = timeline.area.center
    return center


def _scaled(frame: Frame, center: np.ndarray, ratio: float) -> Frame:
    """``frame`` shrunk (ratio < 1) or grown about ``center`` (3,)."""
    if ratio == 1.0:
        return frame

    def about_center(points: np.ndarray) -> np.ndarray:
        return center + (points - center) * ratio

    return replace(
        frame,
        points=about_center(frame.points),
        axes=about_center(frame.axes) if len(frame.axes) else frame.axes,
        names=tuple(replace(name, anchor=about_center(name.anchor)) for name in frame.names),
        guides=tuple(about_center(line) for line in frame.guides),
        scale=None if frame.scale is None else frame.scale * ratio,
    )


@dataclass(frozen=True)
class Mark:
    """A class drawn too small to see, to be ringed and named on screen."""

    label: int  # the class
    centre: np.ndarray  # (3,) scene coordinates of the ring's centre
    reach: float  # scene units from the centre the marked points reach
    count: int  # how many of the class's points are within the ring
    total: int  # how many points the class has
    crowd: bool  # True: most points sit on one spot (:func:`crowded`), no zoom would help


def crowded(
    points: np.ndarray,
    labels: np.ndarray,
    share: float = CROWD_SHARE,
    radius: float = CROWD_RADIUS,
) -> list[Mark]:
    """Classes drawn (nearly) as one point, each as the :class:`Mark` of its crowd.

    A class is a crowd when ``share`` of its points lie within ``radius`` × the picture's
    diagonal (the data's bounding box) of their median point. Scale-free, so a zoom neither
    makes nor breaks a crowd; measured with the share, not every point, so a few stragglers
    (tanh's saturated corner keeps some) do not hide that the rest sit on one spot.
    """
    data = points[labels >= 0]
    if not len(data):
        return []
    reach = radius * float(np.linalg.norm(np.ptp(data[:, :2], axis=0)))
    out = []
    for c in np.unique(labels[labels >= 0]):
        rows = points[labels == c]
        centre = np.median(rows, axis=0)
        near = np.linalg.norm(rows[:, :2] - centre[:2], axis=1) <= reach
        if near.mean() >= share:
            out.append(Mark(int(c), centre, reach, int(near.sum()), len(rows), True))
    return out


def marks(
    points: np.ndarray,
    labels: np.ndarray,
    radius: float,
    floor: float = FLOOR,
    *,
    frame: tuple[float, float],
) -> list[Mark]:
    """The classes of a picture that cover less than ``floor`` of the frame, as drawn.

    ``points`` (n, 3) are every row's scene coordinates, ``labels`` (n,) each row's class (< 0:
    not data), ``radius`` the dots' radius, ``frame`` the frame's (width, height) in scene units
    (the timeline's ``frame_size``); classes are stamped largest first, as the scenes draw them.
    A crowd is ringed where it sits; any other class round its whole box.
    """
    classes = list(range(int(labels.max()) + 1))
    clouds = [points[labels == c] for c in classes]
    order = sorted(classes, key=lambda c: -len(clouds[c]))
    crowds = {m.label: m for m in crowded(points, labels)}
    out = []
    for c, share in enumerate(class_footprints(clouds, order, radius, frame=frame)):
        if share >= floor:
            continue
        if c in crowds:
            out.append(crowds[c])
            continue
        lo, hi = clouds[c].min(axis=0), clouds[c].max(axis=0)
        reach = float(np.linalg.norm(hi - lo)) / 2
        out.append(Mark(c, (lo + hi) / 2, reach, len(clouds[c]), len(clouds[c]), False))
    return out


def shape_difference(a: np.ndarray, b: np.ndarray) -> float:
    """How differently two pictures of the same points look, 0 (same shape) .. 1.

    The Procrustes disparity of (n, p) pictures ``a`` and ``b`` (row i of both is the same
    point): each is centred and scaled to unit size, ``b`` is turned (or mirrored) onto ``a`` as
    well as possible, and what is left is the sum of squared distances between matching points.
    A shift, a turn, a mirror or a uniform zoom changes nothing, so only a change of shape counts;
    two pictures that share no shape at all score 1. A picture collapsed to one point has no
    shape: against another collapsed one it scores 0, against anything else 1.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise NetmorphError(f"pictures of different points: shapes {a.shape} and {b.shape}")
    a = a - a.mean(axis=0)
    b = b - b.mean(axis=0)
    norm_a, norm_b = np.linalg.norm(a), np.linalg.norm(b)
    scale = max(float(norm_a), float(norm_b), 1e-300)
    flat_a, flat_b = norm_a <= 1e-12 * scale, norm_b <= 1e-12 * scale
    if flat_a or flat_b:
        return 0.0 if flat_a and flat_b else 1.0
    fit = np.linalg.svd((a / norm_a).T @ (b / norm_b), compute_uv=False).sum()
    return float(np.clip(1.0 - fit**2, 0.0, 1.0))


def stage_pictures(timeline: MorphTimeline) -> list[np.ndarray]:
    """Each stage's picture (n, p) as ``timeline`` draws it when the stage is reached."""
    return [timeline.picture_at(INPUT_MOVE, 0.0)[0]] + [
        timeline.picture_at(move, 1.0)[0] for move in range(1, timeline.n_moves + 1)
    ]


def stage_differences(timelines: Sequence[MorphTimeline], rows: np.ndarray | slice) -> np.ndarray:
    """(n_stages,) mean :func:`shape_difference` over every pair of timelines, stage by stage.

    ``rows`` selects the points every timeline draws alike (the classes and the grid; not a
    boundary, which each network has its own of). Stage 0, the shared input, scores 0.
    """
    if len(timelines) < 2:
        raise NetmorphError("differences need at least two panels")
    if len({timeline.n_moves for timeline in timelines}) > 1:
        raise NetmorphError("panels to compare must have the same steps: use equal hidden widths")
    pictures = [stage_pictures(timeline) for timeline in timelines]
    pairs = list(combinations(range(len(timelines)), 2))
    return np.array(
        [
            np.mean([shape_difference(pics[i][rows], pics[j][rows]) for i, j in pairs])
            for pics in zip(*pictures)  # one stage: every timeline's picture of it
        ]
    )


def most_different_stage(
    timelines: Sequence[MorphTimeline],
    rows: np.ndarray | slice,
    *,
    kinds: Sequence[str] | None = None,
    among: Sequence[str] | None = None,
) -> int:
    """The stage whose pictures differ most between ``timelines`` (the first, on a tie).

    With ``kinds`` (each stage's step kind, e.g. ``[s.step.kind for s in stages]``) and
    ``among`` (e.g. ``("activation",)``), only stages of those kinds are candidates.
    """
    differences = stage_differences(timelines, rows)
    if among is not None:
        if kinds is None or len(kinds) != len(differences):
            raise NetmorphError("pass kinds=, one step kind per stage, to choose among kinds")
        allowed = np.array([kind in among for kind in kinds])
        if not allowed.any():
            raise NetmorphError(f"no stage is of kind {', '.join(among)}")
        differences = np.where(allowed, differences, -np.inf)
    return int(np.argmax(differences))
