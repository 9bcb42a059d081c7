"""Views: from stage values to scene coordinates, fitted to the frame at every moment.

A :class:`MorphPath` holds one 2-D keyframe per stage (the recipe's view: a stage's first two
coordinates) and moves between consecutive keyframes along straight lines, which is exactly the
interpolation (1−t)·z + t·f(z) of the step f in the plane of the view. Its framing lerps the
keyframes' bounding boxes with the same t, so every interpolated point stays inside the framed box
(a convex combination of points inside two boxes lies inside their lerp) and the zoom moves
continuously.

Consecutive stages can differ in size by 40× or more (logits → probabilities). Lerping the box
then does nearly all the zooming in the last instants of a step, so the path's parameter is
re-timed to make the picture's extent change geometrically: the zoom runs at a steady rate, and
every frame still shows exactly an interpolated state (1−u)·a + u·b, only reached at another time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.trace import Stage


def first2(values: np.ndarray) -> np.ndarray:
    """The first two coordinates of (n, width) values; a 1-wide stage lies on the x axis."""
    if values.shape[1] >= 2:
        return values[:, :2]
    return np.concatenate([values, np.zeros_like(values)], axis=1)


@dataclass(frozen=True)
class Area:
    """The part of the frame the picture is fitted into, in scene units."""

    center: tuple[float, float] = (0.0, -0.45)  # scene coordinates of the area's middle
    width: float = 12.4  # scene units
    height: float = 6.2  # scene units (leaves the top 1.2 units to the step's label)


def bounding_box(points: np.ndarray) -> np.ndarray:
    """(2, 2) [lo, hi] of (n, 2) points."""
    return np.stack([points.min(axis=0), points.max(axis=0)])


class MorphPath:
    """Scene coordinates of every point at any moment of the morph through ``stages``."""

    def __init__(self, stages: list[Stage], area: Area | None = None) -> None:
        self.area = area or Area()
        self.keyframes = [first2(stage.values) for stage in stages]  # each (n, 2)
        self.boxes = [bounding_box(k) for k in self.keyframes]  # each (2, 2)
        self.extents = [self.extent(box) for box in self.boxes]

    @property
    def n_steps(self) -> int:
        """Transitions between stages (one per step of the chain)."""
        return len(self.keyframes) - 1

    def plane_at(self, step: int, t: float) -> tuple[np.ndarray, np.ndarray]:
        """View-plane points (n, 2) and their framing box (2, 2) at time t ∈ [0, 1] of ``step``.

        ``step`` counts from 1 (step 1 moves stage 0 to stage 1); step 0 is the input held still.
        """
        if step == 0:
            return self.keyframes[0], self.boxes[0]
        a, b = self.keyframes[step - 1], self.keyframes[step]
        box_a, box_b = self.boxes[step - 1], self.boxes[step]
        return (1 - t) * a + t * b, (1 - t) * box_a + t * box_b

    def extent(self, box: np.ndarray) -> float:
        """How much of the area ``box`` needs: 1 when it just fits, by its tighter side."""
        size = box[1] - box[0]
        return max(size[0] / self.area.width, size[1] / self.area.height, 1e-12)

    def retime(self, step: int, t: float) -> float:
        """The path parameter u at time t of ``step``: the extent lerp grows geometrically."""
        if step == 0:
            return t
        e_a, e_b = self.extents[step - 1], self.extents[step]
        if abs(e_b - e_a) <= 1e-9 * max(e_a, e_b):
            return t
        target = e_a ** (1 - t) * e_b**t
        return float(np.clip((target - e_a) / (e_b - e_a), 0.0, 1.0))

    def scene_at(self, step: int, t: float) -> np.ndarray:
        """(n, 3) scene coordinates at time t of ``step``, fitted into the area."""
        plane, box = self.plane_at(step, self.retime(step, t))
        scale, offset = self.fit(box)
        out = np.zeros((plane.shape[0], 3))
        out[:, :2] = plane * scale + offset
        return out

    def fit(self, box: np.ndarray) -> tuple[float, np.ndarray]:
        """Uniform scale and offset that fit ``box`` into the area, centred, shape kept.

        A box that is flat in one direction is fitted by the other; a box that is a single
        point (everything collapsed) gets a finite scale instead of a division by zero.
        """
        size = box[1] - box[0]
        floor = max(float(size.max()) * 1e-3, 1e-9)
        size = np.maximum(size, floor)
        scale = min(self.area.width / size[0], self.area.height / size[1])
        middle = (box[0] + box[1]) / 2
        return scale, np.asarray(self.area.center) - middle * scale
