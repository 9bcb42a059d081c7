"""Several pictures side by side: panels in the frame's safe area, one common scale, and which
stage the pictures differ at most.

- :func:`panel_row`: ``n`` equal panels side by side, all inside the frame's safe margin (5 % on
  each side), below a band kept for titles.
- :class:`SharedFraming`: several :class:`~model.view.MorphPath` s drawn at *one* scale at every
  moment, each centred in its own panel. The scale is the largest at which every panel's picture
  fits its panel, so the biggest picture fills its panel and the others are drawn to the same
  scale: one unit of a stage is equally long in every panel, and sizes can be compared.
- :func:`stage_differences`: how differently the panels draw the same points at each stage, by
  the shape difference of :func:`shape_difference`; :func:`most_different_stage` is its maximum.

Examples::

    areas = panel_row(3, top=1.1)
    framing = SharedFraming([morph.path for morph in morphs])  # each path fitted to its area
    left, middle, right = framing.frames_at(step, t)  # PanelFrames: points, axes, zoom…
    k = most_different_stage([m.path for m in morphs], rows)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from model.errors import NetmorphError
from model.footprint import FRAME
from model.view import Area, MorphPath

SAFE_MARGIN = 0.05  # share of the frame's width (and height) kept free on each side
PANEL_GAP = 0.3  # scene units between neighbouring panels
READABLE = 0.5  # a panel is never drawn below this share of its own fit (see SharedFraming)


def safe_area(frame: tuple[float, float] = FRAME, margin: float = SAFE_MARGIN) -> Area:
    """The frame without its margins: everything drawn should stay inside it."""
    width, height = frame
    return Area(center=(0.0, 0.0), width=width * (1 - 2 * margin), height=height * (1 - 2 * margin))


def panel_row(
    n: int,
    *,
    top: float = 0.0,
    bottom: float = 0.0,
    gap: float = PANEL_GAP,
    frame: tuple[float, float] = FRAME,
    margin: float = SAFE_MARGIN,
) -> list[Area]:
    """``n`` equal panels side by side, left to right, inside the safe area.

    ``top`` and ``bottom`` are scene units of the safe area kept free above and below the panels
    (for titles, a legend); ``gap`` separates neighbouring panels.
    """
    if n < 1:
        raise NetmorphError(f"a row of panels needs at least one panel, got {n}")
    safe = safe_area(frame, margin)
    width = (safe.width - gap * (n - 1)) / n
    height = safe.height - top - bottom
    if width <= 0 or height <= 0:
        raise NetmorphError(
            f"{n} panels do not fit the frame with top={top}, bottom={bottom}, gap={gap}: "
            "use fewer panels or smaller bands"
        )
    left = safe.center[0] - safe.width / 2
    y = safe.center[1] + safe.height / 2 - top - height / 2
    return [
        Area(center=(left + width / 2 + i * (width + gap), y), width=width, height=height)
        for i in range(n)
    ]


@dataclass(frozen=True)
class PanelFrame:
    """What one panel draws at one moment."""

    points: np.ndarray  # (n, 3) scene coordinates of every point
    axes: np.ndarray | None  # the stage axes as the path draws them, or None
    zoom: float  # drawn scale / common scale: 1 at the common scale, above 1 where enlarged
    true_box: np.ndarray  # (2, 2) scene [lo, hi] corners the picture spans at the common scale


class SharedFraming:
    """Several morph paths drawn at one common scale at every moment.

    Each path keeps its own area (its panel), its own motion and its own re-timing; only the
    scale is shared: at each moment it is the smallest of the scales at which each path would fit
    its own picture into its own area. Each picture stays centred in its panel.

    A picture many times smaller than the others would be a speck at that scale. ``readable``
    sets how small a panel may get: never below that share of the size it would have on its own
    (its own fit). A panel drawn larger than the common scale for that reason reports its
    ``zoom`` and the box it would fill at the common scale, so the scene can say so on screen;
    ``readable=0`` keeps every panel at the common scale.
    """

    def __init__(self, paths: Sequence[MorphPath], readable: float = READABLE) -> None:
        if not paths:
            raise NetmorphError("a shared framing needs at least one path")
        if not 0 <= readable <= 1:
            raise NetmorphError(f"readable is a share of a panel's own fit, 0..1, got {readable}")
        self.paths = list(paths)
        self.readable = readable
        for path in self.paths:
            # frames_at needs every picture's box before any path draws its frame, and the
            # path's frame_at computes the same picture again: remember the last one.
            path.picture_at = _remember_last(path.picture_at)

    def boxes_at(self, step: int, t: float) -> list[np.ndarray]:
        """Each path's framing box (2, p) at time t of ``step``."""
        return [path.picture_at(step, path.retime(step, t))[1] for path in self.paths]

    def own_scales(self, step: int, t: float) -> np.ndarray:
        """(n_paths,) the scale each path would fit its own picture with at time t of ``step``."""
        boxes = self.boxes_at(step, t)
        return np.array([path.fit(box)[0] for path, box in zip(self.paths, boxes)])

    def scale_at(self, step: int, t: float) -> float:
        """The common scale (scene units per stage unit) at time t of ``step``."""
        return float(self.own_scales(step, t).min())

    def frames_at(self, step: int, t: float) -> list[PanelFrame]:
        """Each path's :class:`PanelFrame` at time t of ``step``.

        A path's own frame is centred in its area at its own scale; shrinking it about the area's
        centre by drawn / own gives the same picture at the drawn scale, still centred.
        """
        boxes = self.boxes_at(step, t)
        own = np.array([path.fit(box)[0] for path, box in zip(self.paths, boxes)])
        common = own.min()
        out = []
        for path, box, scale in zip(self.paths, boxes, own):
            drawn = max(common, self.readable * scale)
            points, axes = path.frame_at(step, t)
            center = np.zeros(3)
            center[: len(path.area.center)] = path.area.center
            ratio = drawn / scale
            points = center + (points - center) * ratio
            if axes is not None:
                axes = center + (axes - center) * ratio
            half = (box[1, :2] - box[0, :2]) * common / 2  # (2,)
            true_box = np.stack([center[:2] - half, center[:2] + half])
            out.append(PanelFrame(points, axes, float(drawn / common), true_box))
        return out


def _remember_last(picture_at):
    """``picture_at`` answering a repeated (step, u) from memory (pictures are pure)."""
    if getattr(picture_at, "remembers_last", False):
        return picture_at
    last: list = [None, None]

    def remembered(step: int, u: float):
        if last[0] != (step, u):
            last[:] = [(step, u), picture_at(step, u)]
        return last[1]

    remembered.remembers_last = True
    return remembered


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
    scale = max(norm_a, norm_b, 1e-300)
    flat_a, flat_b = norm_a <= 1e-12 * scale, norm_b <= 1e-12 * scale
    if flat_a or flat_b:
        return 0.0 if flat_a and flat_b else 1.0
    fit = np.linalg.svd((a / norm_a).T @ (b / norm_b), compute_uv=False).sum()
    return float(np.clip(1.0 - fit**2, 0.0, 1.0))


def stage_pictures(path: MorphPath) -> list[np.ndarray]:
    """Each stage's picture (n, p) as ``path`` draws it when the stage is reached."""
    return [path.picture_at(0, 0.0)[0]] + [
        path.picture_at(step, 1.0)[0] for step in range(1, path.n_steps + 1)
    ]


def stage_differences(paths: Sequence[MorphPath], rows: np.ndarray | slice) -> np.ndarray:
    """(n_stages,) mean :func:`shape_difference` over every pair of paths, stage by stage.

    ``rows`` selects the points every path draws alike (the classes and the grid; not a
    boundary, which each network has its own of). Stage 0, the shared input, scores 0.
    """
    if len(paths) < 2:
        raise NetmorphError("differences need at least two panels")
    if len({path.n_steps for path in paths}) > 1:
        raise NetmorphError("panels to compare must have the same steps: use equal hidden widths")
    pictures = [stage_pictures(path) for path in paths]
    pairs = list(combinations(range(len(paths)), 2))
    return np.array(
        [
            np.mean([shape_difference(pics[i][rows], pics[j][rows]) for i, j in pairs])
            for pics in zip(*pictures)  # one stage: every path's picture of it
        ]
    )


def most_different_stage(
    paths: Sequence[MorphPath],
    rows: np.ndarray | slice,
    *,
    kinds: Sequence[str] | None = None,
    among: Sequence[str] | None = None,
) -> int:
    """The stage whose pictures differ most between ``paths`` (the first, on a tie).

    With ``kinds`` (each stage's step kind, e.g. ``[s.step.kind for s in stages]``) and
    ``among`` (e.g. ``("activation",)``), only stages of those kinds are candidates.
    """
    differences = stage_differences(paths, rows)
    if among is not None:
        if kinds is None or len(kinds) != len(differences):
            raise NetmorphError("pass kinds=, one step kind per stage, to choose among kinds")
        allowed = np.array([kind in among for kind in kinds])
        if not allowed.any():
            raise NetmorphError(f"no stage is of kind {', '.join(among)}")
        differences = np.where(allowed, differences, -np.inf)
    return int(np.argmax(differences))
