"""Measures of what a picture shows: separation, turning, flattening and movement.

Pure numpy, used by the tests and to compare views. A *picture* is an (n, 2) array of drawn
positions (scene coordinates, or a stage seen in its frame); a *step's film* is the picture
sampled along one step as the scene plays it: Manim's ``smooth`` rate function applied to evenly
spaced animation times, then :meth:`model.view.MorphPath.scene_at`.

- :func:`separability`: the best accuracy any straight line reaches on a 2-class picture.
- :func:`turn_rates`: how fast a film turns, in degrees per second, from the best rotation
  (2-D Procrustes) between consecutive centred samples.
- :func:`aspect` and :func:`flattens`: how flat a picture is (smallest over largest singular
  value of the centred points), and whether a film dips to a sliver that neither end is.
- :func:`displacement`: how far a film's end moves from its start, relative to the frame.

Examples::

    from model.metrics import film, separability, turn_rates
    pictures = film(path, step, rows)           # (samples, n, 2)
    turn_rates(pictures, seconds=2.0).max()     # degrees per second
    separability(path.keyframes[k][rows], labels)
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from model.rotations import rotation_angle
from model.view import MorphPath

SCAN_DIRECTIONS = 1440  # normals tried by separability: every 0.125° of a half turn
FILM_SAMPLES = 401  # animation times sampled along a step
FLAT_FLOOR = 0.1  # aspect below which a picture reads as a line (a 12-unit picture 1.2 tall)
FLAT_DIP = 0.5  # a film flattens if it dips below this fraction of its flatter end's aspect


def smooth(alpha: np.ndarray | float, inflection: float = 10.0) -> np.ndarray:
    """Manim's ``smooth`` rate function, in numpy (so model/ needs no Manim): [0, 1] → [0, 1]."""
    alpha = np.asarray(alpha, dtype=np.float64)
    error = 1 / (1 + np.exp(inflection / 2))
    value = (1 / (1 + np.exp(-inflection * (alpha - 0.5))) - error) / (1 - 2 * error)
    return np.clip(value, 0.0, 1.0)


def separability(points: np.ndarray, labels: np.ndarray) -> float:
    """Best accuracy, 0.5..1, of any straight line splitting (n, 2) ``points`` by 0/1 ``labels``.

    Scans :data:`SCAN_DIRECTIONS` normals over a half turn; along each, every threshold between
    distinct projected values and both sides. Points with equal projections cannot be split, so
    a collapsed picture is never credited with a split it does not show. Deterministic; exact up
    to the direction scan (a line through two points' gap narrower than the scan step may be
    missed, so it can only under-estimate).
    """
    points = np.asarray(points, dtype=np.float64)
    labels = np.asarray(labels)
    if set(np.unique(labels)) - {0, 1}:
        raise ValueError("separability is for two classes labelled 0 and 1")
    n = len(labels)
    if n == 0:
        return 1.0
    angles = np.arange(SCAN_DIRECTIONS) * (np.pi / SCAN_DIRECTIONS)
    normals = np.stack([np.cos(angles), np.sin(angles)])  # (2, K)
    projected = (points - points.mean(axis=0)) @ normals  # (n, K)
    order = np.argsort(projected, axis=0, kind="stable")
    ones = labels[order]  # (n, K) labels in projected order
    values = np.take_along_axis(projected, order, axis=0)
    # Splitting after sorted position i: class 0 below and 1 above, or the other way round.
    ones_below = np.cumsum(ones, axis=0)  # (n, K)
    below = np.arange(1, n + 1)[:, None]
    zeros_below = below - ones_below
    ones_total = ones_below[-1]
    correct = zeros_below + (ones_total - ones_below)  # 0s below, 1s above
    correct = np.maximum(correct, n - correct)
    # Only between distinct values (and after the last: everything on one side).
    scale = np.abs(values).max(axis=0) + 1e-300
    distinct = np.ones_like(values, dtype=bool)
    distinct[:-1] = np.diff(values, axis=0) > 1e-12 * scale
    best = np.where(distinct, correct, 0).max()
    return float(best) / n


def turn_rates(pictures: np.ndarray, seconds: float) -> np.ndarray:
    """(samples − 1,) turn rates in degrees per second of a film (samples, n, 2) taken at evenly
    spaced animation times over ``seconds``."""
    dt = seconds / (len(pictures) - 1)
    angles = [rotation_angle(a, b) for a, b in pairwise(pictures)]
    return np.degrees(np.abs(angles)) / dt


def aspect(points: np.ndarray) -> float:
    """Smallest over largest singular value of the centred (n, 2) points: 1 round, 0 a line."""
    spread = np.linalg.svd(points - points.mean(axis=0), compute_uv=False)
    return float(spread[-1] / spread[0]) if spread[0] > 0 else 0.0


def flattens(pictures: np.ndarray) -> bool:
    """Whether a film (samples, n, 2) passes through a sliver that neither end is.

    It does if some inner sample's :func:`aspect` is below both :data:`FLAT_FLOOR` and
    :data:`FLAT_DIP` times the flatter end's aspect. A step between two flat pictures (e.g. to
    the probabilities, all on one line) may stay flat.
    """
    aspects = np.array([aspect(p) for p in pictures])
    ends = min(aspects[0], aspects[-1])
    return bool(aspects[1:-1].min() < min(FLAT_FLOOR, FLAT_DIP * ends))


def displacement(pictures: np.ndarray, size: float) -> float:
    """RMS distance between a film's (samples, n, 2) last and first pictures, over ``size``
    (e.g. the drawing area's height): how visibly the step moves the points."""
    moved = pictures[-1] - pictures[0]
    return float(np.sqrt((moved**2).sum(axis=1).mean()) / size)


def film(
    path: MorphPath,
    step: int,
    rows: slice | np.ndarray = slice(None),
    samples: int = FILM_SAMPLES,
) -> np.ndarray:
    """(samples, n_rows, 2) drawn positions of ``rows`` along ``step`` as the scene plays it:
    evenly spaced animation times through Manim's ``smooth``."""
    times = smooth(np.linspace(0.0, 1.0, samples))
    return np.stack([path.scene_at(step, float(t))[rows, :2] for t in times])
