"""What one video frame draws, and the regions pictures are fitted into.

A :class:`Frame` is everything a frame shows of the morph, in scene coordinates: the traced
points (classes, grid, boundary), the stage's axes, the names that label them (as
:class:`Name` requests: where each wants to be; :mod:`model.picture.labels` finds each a free
place), the boundary's guide lines, the scale and any stretch of the view.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.picture.screen import Box

NO_SEGMENTS = np.zeros((0, 2, 3))
# Manim's default frame in scene units (16:9, 8 high), for pictures made without a scene; a scene
# passes its render's own (Manim's config: scenes.kit.manim_internals.frame_size).
MANIM_FRAME = (128 / 9, 8.0)


@dataclass(frozen=True)
class Name:
    """A label the frame wants drawn: an axis's name, a tick's value, a corner's class."""

    text: str
    anchor: np.ndarray  # (3,) the scene point it names
    opacity: float  # 0..1: names fade while the picture moves
    away: tuple[float, float] = (0.0, -1.0)  # the direction it wants to sit in from the anchor
    along: tuple[float, float] | None = None  # its axis's direction, to slide back along
    avoid: tuple[Box, ...] = ()  # what it must not cover: its stage's collapse rings


@dataclass(frozen=True)
class Ring:
    """A class a held stage squeezes onto (nearly) one point or line: ringed and named."""

    label: int  # the class
    centre: np.ndarray  # (3,) scene coordinates of the ring's centre
    radius: float  # scene units
    count: int  # how many points the class has

    @property
    def box(self) -> Box:
        """The ring's bounding box."""
        x, y = float(self.centre[0]), float(self.centre[1])
        return Box(x - self.radius, y - self.radius, x + self.radius, y + self.radius)


@dataclass(frozen=True)
class Frame:
    """Everything one video frame draws, in scene coordinates, computed once per frame."""

    points: np.ndarray  # (n, 3) every traced row: classes, grid samples, boundary vertices
    axes: np.ndarray  # (k, 2, 3) the stage's axes (and ticks, on a number line)
    axes_opacity: float  # 0..1: axes cross-fade where two pictures blend
    names: tuple[Name, ...]  # the labels of the axes, ticks and corners
    guides: tuple[np.ndarray, ...]  # (m, 3) lines in the boundary's colour: z₁ − z₀ = 0, p = 0.5
    guide_opacity: float  # 0..1
    scale: float | None  # scene units per stage unit (along →); None on a fixed scale
    opacity: float = 1.0  # the whole picture's, 0..1: a cross-fade between two pictures
    stretch: float = 1.0  # how much more ↑ is drawn than → (a sliver stage's thin axis)

    @classmethod
    def bare(cls, points: np.ndarray) -> Frame:
        """Points alone: no axes, names or guides."""
        return cls(points, NO_SEGMENTS, 0.0, (), (), 0.0, None)


@dataclass(frozen=True)
class Area:
    """The part of the frame a 2-D picture is fitted into, in scene units."""

    center: tuple[float, float] = (0.0, -0.45)  # scene coordinates of the area's middle
    width: float = 12.4  # scene units
    height: float = 6.2  # scene units (leaves the top 1.2 units to the step's label)

    @classmethod
    def of(cls, box: Box) -> Area:
        """The area of a screen region."""
        return cls(center=box.center, width=box.width, height=box.height)


@dataclass(frozen=True)
class Ball:
    """The ball a 3-D picture is fitted into: it stays inside seen from any side."""

    center: tuple[float, float, float] = (0.0, 0.0, 0.0)  # scene coordinates of the middle
    radius: float = 3.0  # scene units: the picture's bounding box's half-diagonal


def fit_box(box: np.ndarray, region: Area | Ball) -> tuple[float, np.ndarray]:
    """Uniform scale and offset that fit ``box`` (2, p) into ``region``, centred, shape kept.

    A box that is flat in one direction is fitted by the others; a box that is a single point
    (everything collapsed) gets a finite scale instead of a division by zero.
    """
    size = box[1] - box[0]
    middle = (box[0] + box[1]) / 2
    if isinstance(region, Ball):
        half_diagonal = max(float(np.linalg.norm(size)) / 2, 1e-9)
        scale = region.radius / half_diagonal
    else:
        floor = max(float(size.max()) * 1e-3, 1e-9)
        size = np.maximum(size, floor)
        scale = min(region.width / size[0], region.height / size[1])
    return scale, np.asarray(region.center) - middle * scale


def bounding_box(points: np.ndarray) -> np.ndarray:
    """(2, p) [lo, hi] of (n, p) points."""
    return np.stack([points.min(axis=0), points.max(axis=0)])
