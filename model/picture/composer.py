"""The frame composer: what is drawn on the view plan's pictures, and where each label wants to go.

:class:`FrameComposer` turns a :class:`~model.picture.camera.ViewPlan`'s picture at any moment
into a :class:`~model.picture.frame.Frame`: the points placed in the scene, the stage's own axes
(clipped to the framed box), the number lines of the logits and probabilities with their ticks,
the boundary's guide line, and the names of axes, ticks and corners as requests (each names its
anchor and the direction it would like to sit in; :mod:`model.picture.labels` finds the place).

Names are shown on held stages. While a move plays they fade out at its start and in at its end,
each at its own held stage's place (their anchors do not move while they fade, so a label never
slides across the picture mid-morph, and never jumps). A move into or out of a picture that is
not a projection (a number line, a histogram, a simplex) moves the points straight across the
scene while the two stages' axes cross-fade; the return from softmax to the input plane is a
cross-fade of the two pictures (the points would otherwise cross the whole picture).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from model.picture import probability, simplex
from model.picture.camera import ViewPlan
from model.picture.footprint import class_footprints
from model.picture.frame import MANIM_FRAME, NO_SEGMENTS, Area, Frame, Name, Ring, fit_box
from model.picture.moves import INPUT_MOVE, return_move, stage_before

NAME_FADE = 0.15  # share of a move over which axis names fade out at its start and in at its end
VISIBLE_SHARE = 0.003  # a class covering less of the frame's pixels is marked as collapsed
RING_FLOOR = 0.3  # scene units: the smallest collapse ring
RING_ROOM = 0.15  # scene units a ring keeps round the points it marks
MAX_CORNER_REACH = 0.8  # scene units: the widest ring drawn on the probability polygon
DOWN = (0.0, -1.0)
UP_RIGHT = (0.45, 0.89)  # a number line's name: above its right end, clear of the ticks
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


class FrameComposer:
    """Frames of a :class:`ViewPlan`: its pictures placed in the scene, axes, guides and names.

    ``class_names`` name the probability axis (``p(outer ring)``) and the simplex's corners;
    ``frame_size`` is the frame's (width, height) in scene units, where a class too small to see
    is measured (:meth:`collapsed`).
    """

    def __init__(
        self,
        plan: ViewPlan,
        class_names: tuple[str, ...],
        dot_radius: float = 0.05,
        frame_size: tuple[float, float] = MANIM_FRAME,
    ) -> None:
        self.plan = plan
        self.class_names = tuple(class_names)
        self.dot_radius = dot_radius  # scene units: how large a class's points are drawn
        self.frame_size = frame_size  # scene units: the frame a class's footprint is measured on
        self._held: dict[int, Frame] = {}  # each stage's held frame in the plan's own area
        self._rings: dict[int, tuple[Ring, ...]] = {}

    @property
    def return_move(self) -> int:
        """The move after softmax that carries the points back to the input plane."""
        return return_move(self.plan.n_moves)

    def frame_at(self, move: int, t: float) -> Frame:
        """Everything one frame draws at time t ∈ [0, 1] of ``move`` (see the module docstring).

        Moves 1..n_moves go through the network; :data:`~model.picture.moves.INPUT_MOVE` holds
        the input still; :attr:`return_move` returns from the last stage to the input plane.
        """
        plan = self.plan
        if move == self.return_move:
            return self.cross_fade(self.held(plan.n_moves), self.held(0), t)
        if move != INPUT_MOVE and plan.blended(move):
            return self.blend(self.held(move - 1), self.held(move), t)
        if move == INPUT_MOVE or t <= 0:
            return self.held(stage_before(move))
        if t >= 1:
            return self.held(move)
        u = plan.retime(move, t)
        picture, box = plan.picture_at(move, u)
        scale, offset = plan.fit(box)
        reach = self._reach(box, scale, offset)
        axes = self._axes(move, u, reach, scale, offset)
        # Names fade out as the move starts and in as it ends, each at its held stage's place:
        # mid-move the picture's coordinates are neither stage's.
        fade_out = max(0.0, 1 - u / NAME_FADE)
        fade_in = max(0.0, (u - 1 + NAME_FADE) / NAME_FADE)
        names = _faded(self.held(move - 1).names, fade_out) + _faded(self.held(move).names, fade_in)
        guides = self._guides(move, reach, scale, offset, plan.stretch_matrix_at(move, u))
        return Frame(
            points=self._scene(picture, scale, offset),
            axes=NO_SEGMENTS if axes is None else axes,
            axes_opacity=1.0,
            names=names,
            guides=guides,
            guide_opacity=fade_in if guides else 0.0,
            scale=scale,
            stretch=plan.stretch_at(move, u),
        )

    def held(self, k: int) -> Frame:
        """Stage ``k``'s frame as it is held between moves (computed once); its names keep clear
        of the stage's collapse rings (:meth:`rings`)."""
        if k not in self._held:
            frame = self.keyframe_frame(k)
            avoid = tuple(ring.box for ring in self.rings(k, frame))
            if avoid:
                frame = replace(frame, names=tuple(replace(n, avoid=avoid) for n in frame.names))
            self._held[k] = frame
        return self._held[k]

    def rings(self, k: int, frame: Frame | None = None) -> tuple[Ring, ...]:
        """The collapse rings of held stage ``k``: one round each class it squeezes onto
        (nearly) one point or line (see :meth:`collapsed`)."""
        if k not in self._rings:
            found = []
            for label, centre, reach, count in self.collapsed(k, self.dot_radius, frame):
                if k in self.plan.fixed and reach > MAX_CORNER_REACH:
                    # On the probability polygon a class piled at its corner with a few points
                    # along an edge would get a ring across the whole polygon; the corner's name
                    # says it already.
                    continue
                radius = max(RING_FLOOR, reach + RING_ROOM)
                found.append(Ring(label, centre, radius, count))
            self._rings[k] = tuple(found)
        return self._rings[k]

    def keyframe_frame(self, k: int, area: Area | None = None) -> Frame:
        """The :class:`Frame` of stage ``k`` exactly, as held between moves.

        ``area`` fits it into another part of the frame (small multiples); default: the plan's.
        """
        plan = self.plan
        box = plan.boxes[k]
        scale, offset = plan.fit(box) if area is None else fit_box(box, area)
        picture = plan.stretched(plan.keyframes[k], k)
        points = self._scene(picture, scale, offset)
        if k in plan.fixed and plan.stages[k].width > 2:
            return self._simplex_frame(k, points, scale, offset)
        if k in plan.fixed:
            return self._probability_frame(points, scale, offset)
        if k in plan.special:
            return self._line_frame(points, scale, offset, area)
        reach = self._reach(box, scale, offset, area)
        # Stage k as move k ends (the input as the input move holds it).
        axes = self._axes(k, 1.0 if k else 0.0, reach, scale, offset)
        guides = self._guides(k, reach, scale, offset, plan.stretch_matrix(k))
        return Frame(
            points=points,
            axes=NO_SEGMENTS if axes is None else axes,
            axes_opacity=1.0,
            names=_named_ends(self.axis_names(k), axes),
            guides=guides,
            guide_opacity=1.0 if guides else 0.0,
            scale=scale,
            stretch=plan.stretches[k],
        )

    def _simplex_frame(self, k: int, points: np.ndarray, scale: float, offset: np.ndarray) -> Frame:
        """The fixed probability polygon of 3 to 8 classes: its outline and corner names."""
        outline = self._place(simplex.outline(self.plan.stages[k].width), scale, offset)
        names = []
        for text, at in simplex.labels(self.class_names):
            norm = float(np.linalg.norm(at))
            away = (float(at[0] / norm), float(at[1] / norm)) if norm > 1e-9 else (0.0, 1.0)
            names.append(Name(text, self._place(at, scale, offset), 1.0, away))
        return Frame(points, outline, 1.0, tuple(names), (), 0.0, None)

    def _probability_frame(self, points: np.ndarray, scale: float, offset: np.ndarray) -> Frame:
        """The fixed 0–1 axis of p(class 1): the histogram, its ticks and the p = 0.5 marker."""
        segments, ticks = probability.p_axis()
        names = [Name(text, self._place(at, scale, offset), 1.0, DOWN) for text, at in ticks]
        end = self._place(np.array([1.0, 0.0]), scale, offset)
        names.append(Name(f"p({self.class_names[-1]})", end, 1.0, UP_RIGHT, (1.0, 0.0)))
        return Frame(
            points,
            self._place(segments, scale, offset),
            1.0,
            tuple(names),
            (self._place(probability.half_line(), scale, offset),),
            1.0,
            None,
        )

    def _line_frame(
        self, points: np.ndarray, scale: float, offset: np.ndarray, area: Area | None
    ) -> Frame:
        """The two-class logits' number line: z₁ − z₀ across, its round values, the boundary
        at 0 across the whole picture."""
        line = self.plan.line
        box = line.box
        span = line.hi - line.lo
        ticks = [(v, _number(v)) for v in line.ticks()]
        segments, anchors = probability.number_line(
            line.lo, line.hi, ticks, box[0, 1], 0.035 * span
        )
        names = [Name(text, self._place(at, scale, offset), 1.0, DOWN) for text, at in anchors]
        end = self._place(np.array([line.hi, 0.0]), scale, offset)
        names.append(Name("z₁ − z₀", end, 1.0, UP_RIGHT, (1.0, 0.0)))
        reach = self._reach(box, scale, offset, area)
        guide = np.array([[0.0, reach[0, 1]], [0.0, reach[1, 1]]])
        return Frame(
            points,
            self._place(segments, scale, offset),
            1.0,
            tuple(names),
            (self._place(guide, scale, offset),),
            1.0,
            scale,
        )

    def blend(self, start: Frame, end: Frame, t: float) -> Frame:
        """Scene-space blend of two held frames: points move straight, the rest cross-fades."""
        t = float(np.clip(t, 0.0, 1.0))
        fade = abs(2 * t - 1)  # the nearer end's axes and names, fading through the middle
        near = start if t < 0.5 else end
        guides: tuple[np.ndarray, ...] = ()
        opacity = 0.0
        if len(start.guides) == len(end.guides) == 1 and start.guide_opacity and end.guide_opacity:
            a, b = start.guides[0], end.guides[0]
            guides, opacity = ((1 - t) * a + t * b,), 1.0
        elif near.guides:
            guides, opacity = near.guides, near.guide_opacity * fade
        return Frame(
            points=(1 - t) * start.points + t * end.points,
            axes=near.axes,
            axes_opacity=fade * near.axes_opacity,
            names=_faded(near.names, fade),
            guides=guides,
            guide_opacity=opacity,
            scale=near.scale,
            stretch=near.stretch,
        )

    def cross_fade(self, start: Frame, end: Frame, t: float) -> Frame:
        """``start`` fading out, then ``end`` fading in, each where it is held."""
        t = float(np.clip(t, 0.0, 1.0))
        near, fade = (start, 1 - 2 * t) if t < 0.5 else (end, 2 * t - 1)
        return Frame(
            points=near.points,
            axes=near.axes,
            axes_opacity=fade * near.axes_opacity,
            names=_faded(near.names, fade),
            guides=near.guides,
            guide_opacity=fade * near.guide_opacity,
            scale=near.scale,
            opacity=fade,
            stretch=near.stretch,
        )

    def axis_names(self, k: int) -> tuple[str, ...]:
        """Names of stage ``k``'s own coordinate axes: x₁ x₂, h₁ h₂ h₃, z₀ z₁, p₀ p₁."""
        stage = self.plan.stages[k]
        if stage.width > 3:
            return ()
        if stage.kind == "input":
            return tuple(f"x{i + 1}".translate(SUBSCRIPTS) for i in range(stage.width))
        if stage.kind == "softmax":
            return tuple(f"p{i}".translate(SUBSCRIPTS) for i in range(stage.width))
        if k == self.plan.logits or self.guide_lines(k):
            return tuple(f"z{i}".translate(SUBSCRIPTS) for i in range(stage.width))
        return tuple(f"h{i + 1}".translate(SUBSCRIPTS) for i in range(stage.width))

    def guide_lines(self, k: int) -> bool:
        """Whether stage ``k`` is a two-class logits picture drawn from its coordinates (no
        number line): its boundary z₀ = z₁ is a straight line, drawn across the picture."""
        stages = self.plan.stages
        if k + 1 >= len(stages) or self.plan.dims != 2 or k in self.plan.special:
            return False
        return stages[k + 1].kind == "softmax" and stages[k].width == 2

    def _reach(
        self, box: np.ndarray, scale: float, offset: np.ndarray, area: Area | None = None
    ) -> np.ndarray:
        """(2, p) the box, in picture coordinates, that axes and guide lines span: the whole
        area in 2-D (a flat picture's axes would otherwise shrink to its data), the data's box
        in 3-D."""
        framed = area or self.plan.area
        if not isinstance(framed, Area):
            return box
        half = np.array([framed.width, framed.height]) / 2
        corners = np.stack([np.asarray(framed.center) - half, np.asarray(framed.center) + half])
        return (corners - offset) / scale

    def _guides(
        self, k: int, box: np.ndarray, scale: float, offset: np.ndarray, stretch: np.ndarray
    ) -> tuple[np.ndarray, ...]:
        """The line z₀ = z₁ of logits stage ``k``, clipped to the framed box, in the scene."""
        if not self.guide_lines(k):
            return ()
        diagonal = np.array([1.0, 1.0]) / np.sqrt(2)
        ends = _clip_line(diagonal @ self.plan.bases[k][:2] @ stretch, box)
        return () if ends is None else (self._place(ends, scale, offset),)

    def _scene(self, picture: np.ndarray, scale: float, offset: np.ndarray) -> np.ndarray:
        """(n, 3) scene coordinates of an (n, p) picture."""
        out = np.zeros((picture.shape[0], 3))
        out[:, : self.plan.dims] = picture * scale + offset
        return out

    def _place(self, xy: np.ndarray, scale: float, offset: np.ndarray) -> np.ndarray:
        """Scene coordinates (..., 3) of picture coordinates (..., p)."""
        out = np.zeros((*xy.shape[:-1], 3))
        out[..., : self.plan.dims] = xy * scale + offset
        return out

    def _axes(
        self, move: int, u: float, box: np.ndarray, scale: float, offset: np.ndarray
    ) -> np.ndarray | None:
        """The stage axes at parameter u of ``move``, in the framing (box, scale, offset)
        already found."""
        plan = self.plan
        if move == INPUT_MOVE or u <= 0 or u >= 1:
            k = stage_before(move) if (move == INPUT_MOVE or u <= 0) else move
            basis = plan.bases[k][: plan.stages[k].width]
            stretch = plan.stretch_matrix(k)
        else:
            basis = plan.moving_basis(move).at(u)
            stretch = plan.stretch_matrix_at(move, u)
        if basis.shape[0] > 3:
            return None
        if plan.dims == 2:
            basis = basis @ stretch
        segments = np.zeros((basis.shape[0], 2, 3))
        for i, direction in enumerate(basis):  # the image of axis e_i in the picture, (p,)
            ends = _clip_line(direction, box)
            if ends is not None:
                segments[i, :, : plan.dims] = ends * scale + offset
            else:
                segments[i, :, : plan.dims] = offset  # zero length, at the origin
        return segments

    def collapsed(
        self, k: int, radius: float, frame: Frame | None = None
    ) -> list[tuple[int, np.ndarray, float, int]]:
        """Classes that stage ``k`` squeezes into (nearly) one point or line, for dots of
        ``radius``: (class, (3,) centre, half diagonal of its box, count), in scene units.

        Such a class covers less than :data:`VISIBLE_SHARE` of the frame's pixels however
        honestly it is drawn, so the scene rings and names it instead of leaving a speck.
        """
        plan = self.plan
        points = (frame or self.held(k)).points
        classes = sorted(int(c) for c in np.unique(plan.labels[plan.data_rows]))
        clouds = [points[plan.labels == c] for c in classes]
        order = sorted(range(len(clouds)), key=lambda i: -len(clouds[i]))  # as drawn
        out = []
        for i, share in enumerate(class_footprints(clouds, order, radius, frame=self.frame_size)):
            if share < VISIBLE_SHARE:
                lo, hi = clouds[i].min(axis=0), clouds[i].max(axis=0)
                reach = float(np.linalg.norm(hi - lo)) / 2
                out.append((classes[i], (lo + hi) / 2, reach, len(clouds[i])))
        return out

    def place_input(self, xy: np.ndarray, area: Area | None = None) -> np.ndarray:
        """(3,) scene coordinates of an input-space point (x₁, x₂), as the input is drawn
        (in ``area``, or the plan's own)."""
        plan = self.plan
        box = plan.boxes[0]
        scale, offset = plan.fit(box) if area is None else fit_box(box, area)
        picture = np.asarray(xy, dtype=float) @ plan.bases[0][:2]
        return self._place(plan.stretched(picture, 0), scale, offset)


def _number(value: float) -> str:
    """A tick's value as text: ``−10``, ``0``, ``2.5`` (a true minus sign)."""
    text = f"{value:g}"
    return "0" if text in ("-0", "0") else text.replace("-", "−")


def _faded(names: tuple[Name, ...], opacity: float) -> tuple[Name, ...]:
    """``names`` at ``opacity`` × their own; none when that is 0."""
    if opacity <= 0:
        return ()
    return tuple(replace(n, opacity=n.opacity * opacity) for n in names if n.opacity)


def _named_ends(names: tuple[str, ...], axes: np.ndarray | None) -> tuple[Name, ...]:
    """Each axis name just beyond its axis's positive end, along the axis, for the first
    ``len(names)`` axes."""
    if axes is None:
        return ()
    out = []
    for i, name in enumerate(names):
        if i >= len(axes):
            break
        direction = axes[i, 1, :2] - axes[i, 0, :2]
        length = float(np.linalg.norm(direction))
        if length <= 1e-6:
            continue
        unit = (float(direction[0] / length), float(direction[1] / length))
        out.append(Name(name, axes[i, 1].copy(), 1.0, unit, unit))
    return tuple(out)


def _clip_line(direction: np.ndarray, box: np.ndarray) -> np.ndarray | None:
    """The (2, p) part of the line s·direction (through the origin) inside ``box``, or None."""
    if not np.any(np.abs(direction) > 1e-12):
        return None
    lo_s, hi_s = -np.inf, np.inf
    for d, lo, hi in zip(direction, box[0], box[1]):
        if abs(d) <= 1e-12:
            if not lo <= 0 <= hi:
                return None
            continue
        a, b = sorted((lo / d, hi / d))
        lo_s, hi_s = max(lo_s, a), min(hi_s, b)
    if lo_s >= hi_s:
        return None
    return np.stack([lo_s * direction, hi_s * direction])
