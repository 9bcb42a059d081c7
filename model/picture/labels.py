"""Labels in free space: every axis name, tick value and marker word gets a place of its own.

:func:`place_labels` places labels one after another (the first ones win the best places) into
a ``room`` (the picture region of :class:`~model.picture.screen.Screen`, which no overlay
enters), never over an ``obstacle`` (another region, a line it must not cut, a marker's ring)
nor over a label placed before it. Each :class:`LabelSpec` says where it wants to be: just
beyond its ``anchor`` (an axis's end, a tick, a ring) in the ``away`` direction. When that place
is taken it moves as a reader would expect: back along its axis (``along``), then round its
anchor, the nearer places first; among equally good places it prefers the one covering the
fewest data points (``crowd``). A label that finds no place at all is not drawn (None).

Placement is a pure function of its inputs: the same frame places its labels the same way,
whether it is drawn in a video, a still or a page. The scenes keep a label's inputs fixed while
it is shown (names use their held stage's anchors and fade while the picture moves), so a shown
label never jumps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from model.picture.frame import Frame, Name
from model.picture.screen import Box

GAP = 0.1  # scene units between a label and its anchor
SLIDES = np.linspace(0.0, 2.4, 13)  # scene units a label may slide back along its axis
TURNS = np.radians([0, 30, -30, 60, -60, 90, -90, 120, -120, 150, -150, 180])  # round the anchor
TURN_COST = 1.0  # per radian turned from the wanted direction
SLIDE_COST = 0.6  # per scene unit slid back along the axis
CROWD_COST = 0.08  # per data point of the crowd sample the label would cover
CLEARANCE = 0.08  # scene units every label keeps from every other and from obstacles (7 px)


@dataclass(frozen=True)
class LabelSpec:
    """Where one label wants to go."""

    size: tuple[float, float]  # (width, height) of the label, scene units
    anchor: tuple[float, float]  # the point it names
    away: tuple[float, float] = (0.0, -1.0)  # wanted direction from the anchor (unit)
    along: tuple[float, float] | None = None  # unit direction it may slide back (its axis)
    gap: float = GAP  # from the anchor to the label's edge


def place_labels(
    specs: Sequence[LabelSpec],
    room: Box,
    obstacles: Sequence[Box] = (),
    crowd: np.ndarray | None = None,
) -> list[Box | None]:
    """Each label's box, in order of ``specs`` (earlier labels chose first), or None: no place.

    ``room`` is where labels may go; ``obstacles`` boxes they keep out of; ``crowd`` an optional
    (m, ≥2) sample of data points, covered as little as possible.
    """
    taken = [box.grown(CLEARANCE) for box in obstacles]
    sample = None if crowd is None or not len(crowd) else np.asarray(crowd)[:, :2]
    placed: list[Box | None] = []
    for spec in specs:
        box = _best_place(spec, room, taken, sample)
        placed.append(box)
        if box is not None:
            taken.append(box.grown(CLEARANCE))
    return placed


def _best_place(
    spec: LabelSpec, room: Box, taken: list[Box], crowd: np.ndarray | None
) -> Box | None:
    half = np.array(spec.size, dtype=float) / 2
    anchor = np.array(spec.anchor, dtype=float)
    away = _unit(np.array(spec.away, dtype=float))
    slides = SLIDES if spec.along is not None else SLIDES[:1]
    along = np.zeros(2) if spec.along is None else _unit(np.array(spec.along, dtype=float))
    # Every candidate centre: (slides, turns) anchors slid back, then turned round.
    cos, sin = np.cos(TURNS), np.sin(TURNS)
    directions = np.stack([away[0] * cos - away[1] * sin, away[0] * sin + away[1] * cos], axis=1)
    # The distance from a box's centre to its edge along each direction, then the gap.
    reach = np.min(half / np.maximum(np.abs(directions), 1e-9), axis=1) + spec.gap  # (turns,)
    anchors = anchor - slides[:, None] * along  # (slides, 2)
    centres = anchors[:, None, :] + (directions * reach[:, None])[None]  # (slides, turns, 2)
    cost = SLIDE_COST * slides[:, None] + TURN_COST * np.abs(TURNS)[None, :]
    centres, cost = centres.reshape(-1, 2), cost.reshape(-1)
    lo, hi = centres - half, centres + half
    fits = (lo[:, 0] >= room.x0) & (lo[:, 1] >= room.y0) & (hi[:, 0] <= room.x1)
    fits &= hi[:, 1] <= room.y1
    for other in taken:
        fits &= ~(
            (lo[:, 0] < other.x1)
            & (other.x0 < hi[:, 0])
            & (lo[:, 1] < other.y1)
            & (other.y0 < hi[:, 1])
        )
    if not fits.any():
        return None
    if crowd is not None:
        inside = (
            (crowd[None, :, 0] > lo[:, None, 0])
            & (crowd[None, :, 0] < hi[:, None, 0])
            & (crowd[None, :, 1] > lo[:, None, 1])
            & (crowd[None, :, 1] < hi[:, None, 1])
        )
        cost = cost + CROWD_COST * inside.sum(axis=1)
    best = int(np.argmin(np.where(fits, cost, np.inf)))
    return Box(float(lo[best, 0]), float(lo[best, 1]), float(hi[best, 0]), float(hi[best, 1]))


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 1e-12 else np.array([0.0, -1.0])


def place_names(
    frame: Frame,
    sizes: dict[str, tuple[float, float]],
    room: Box | None,
    crowd: np.ndarray | None = None,
) -> dict[str, tuple[Box, float]]:
    """Where each name ``frame`` shows goes: its box and opacity, by text.

    Only names with a size (``sizes``: width, height in scene units) and some opacity are
    placed, the most opaque copy of each; straight guide lines (the boundary's p = 0.5 or
    z₁ − z₀ = 0) and the names' own ``avoid`` boxes (collapse rings) are obstacles. Without a
    ``room``, each name sits just beyond its anchor.
    """
    shown: dict[str, Name] = {}
    for name in frame.names:
        wanted = name.text in sizes and name.opacity > 0
        if wanted and (name.text not in shown or name.opacity > shown[name.text].opacity):
            shown[name.text] = name
    names = list(shown.values())
    specs = [
        LabelSpec(sizes[n.text], (float(n.anchor[0]), float(n.anchor[1])), n.away, n.along)
        for n in names
    ]
    if room is None:
        boxes: list[Box | None] = [beyond(spec) for spec in specs]
    else:
        guides = [line[:, :2] for line in frame.guides if len(line)]
        obstacles = [Box.bounding(g) for g in guides if float(np.ptp(g, axis=0).min()) < 1e-6]
        obstacles += list(dict.fromkeys(box for n in names for box in n.avoid))
        boxes = place_labels(specs, room, obstacles, crowd)
    return {n.text: (box, n.opacity) for n, box in zip(names, boxes) if box is not None}


def beyond(spec: LabelSpec) -> Box:
    """A label's box just beyond its anchor in its wanted direction."""
    away = _unit(np.array(spec.away, dtype=float))
    half = np.array(spec.size) / 2
    reach = float(np.min(half / np.maximum(np.abs(away), 1e-9))) + spec.gap
    centre = np.array(spec.anchor) + away * reach
    return Box.around((float(centre[0]), float(centre[1])), *spec.size)
