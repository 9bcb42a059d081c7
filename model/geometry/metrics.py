"""Measures of what a picture shows: separation, turning, flattening and movement.

Pure numpy, used by the tests and to compare views. A *picture* is an (n, 2) array of drawn
positions (scene coordinates, or a stage seen in its basis); a *film* is a stack of pictures,
(samples, n, 2), such as :func:`model.picture.played.film` samples from a morph.

- :func:`separability`: the best accuracy any straight line reaches on a 2-class picture.
- :func:`turn_rates`: how fast a film turns, in degrees per second, from the best rotation
  (2-D Procrustes) between consecutive centred samples.
- :func:`aspect` and :func:`flattens`: how flat a picture is (smallest over largest singular
  value of the centred points), and whether a film dips to a sliver that neither end is.
- :func:`displacement`: how far a film's end moves from its start, relative to the frame.

Examples::

    from model.geometry.metrics import separability, turn_rates
    from model.picture.played import film
    pictures = film(timeline, move, rows)       # (samples, n, 2)
    turn_rates(pictures, seconds=2.0).max()     # degrees per second
    separability(timeline.keyframes[k][rows], labels)
"""

from __future__ import annotations

import numpy as np

from model.geometry.rotations import turn_angles

SCAN_DIRECTIONS = 1440  # normals tried by separability: every 0.125° of a half turn
FLAT_FLOOR = 0.1  # aspect below which a picture reads as a line (a 12-unit picture 1.2 tall)
FLAT_DIP = 0.5  # a film flattens if it dips below this fraction of its flatter end's aspect


def line_accuracies(points: np.ndarray, labels: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """(K,) best accuracy of a straight line with each normal angle (radians) on (n, 2)
    ``points`` labelled 0/1: every threshold between distinct projected values, both sides.

    Points with equal projections cannot be split, so a collapsed picture is never credited
    with a split it does not show.
    """
    points = np.asarray(points, dtype=np.float64)
    labels = np.asarray(labels)
    if set(np.unique(labels)) - {0, 1}:
        raise ValueError("line accuracies are for two classes labelled 0 and 1")
    n = len(labels)
    if n == 0:
        return np.ones(len(angles))
    normals = np.stack([np.cos(angles), np.sin(angles)])  # (2, K)
    projected = ((points - points.mean(axis=0)) @ normals).T  # (K, n): rows sort fastest
    # Any sort will do: only the ends of runs of equal values are read below, and what lies
    # below a run's end is the same whatever the order inside the run (quicksort: 2× stable's).
    order = np.argsort(projected, axis=1, kind="quicksort")
    values = np.take_along_axis(projected, order, axis=1)
    # Splitting after sorted position i: class 0 below and 1 above, or the other way round.
    ones_below = np.cumsum(labels[order], axis=1)  # (K, n)
    zeros_below = np.arange(1, n + 1) - ones_below
    correct = zeros_below + (ones_below[:, -1:] - ones_below)
    correct = np.maximum(correct, n - correct)
    # Only between distinct values (and after the last: everything on one side).
    scale = np.abs(values).max(axis=1, keepdims=True) + 1e-300
    distinct = np.ones_like(values, dtype=bool)
    distinct[:, :-1] = np.diff(values, axis=1) > 1e-12 * scale
    return np.where(distinct, correct, 0).max(axis=1) / n


def separability(points: np.ndarray, labels: np.ndarray) -> float:
    """Best accuracy, 0.5..1, of any straight line splitting (n, 2) ``points`` by 0/1 ``labels``.

    Scans :data:`SCAN_DIRECTIONS` normals evenly over a half turn (see
    :func:`line_accuracies`). Deterministic; exact up to the scan: a separating line whose
    normal falls between two scanned ones can be missed, so it can only under-estimate.
    """
    angles = np.arange(SCAN_DIRECTIONS) * (np.pi / SCAN_DIRECTIONS)
    return float(line_accuracies(points, labels, angles).max())


def best_normal(
    points: np.ndarray, labels: np.ndarray, coarse: int = 180, keep: int = 4
) -> tuple[float, float]:
    """(accuracy, normal angle in radians) of about the best straight line on (n, 2) 0/1
    ``points``, cheaply: ``coarse`` normals over a half turn, then 32 finer ones around each of
    the ``keep`` best. For choosing a view; :func:`separability` is the measure."""
    spacing = np.pi / coarse
    angles = np.arange(coarse) * spacing
    accuracy = line_accuracies(points, labels, angles)
    starts = angles[np.argsort(-accuracy, kind="stable")[:keep]]
    fine = (starts[:, None] + np.linspace(-spacing, spacing, 33)[None]).ravel()
    angles, accuracy = np.r_[angles, fine], np.r_[accuracy, line_accuracies(points, labels, fine)]
    best = int(np.argmax(accuracy))
    return float(accuracy[best]), float(angles[best])


def turn_rates(pictures: np.ndarray, seconds: float) -> np.ndarray:
    """(samples − 1,) turn rates in degrees per second of a film (samples, n, 2) taken at evenly
    spaced animation times over ``seconds``."""
    dt = seconds / (len(pictures) - 1)
    return np.degrees(np.abs(turn_angles(np.asarray(pictures)))) / dt


def aspect(points: np.ndarray) -> float:
    """Smallest over largest singular value of the centred (n, 2) points: 1 round, 0 a line."""
    spread = np.linalg.svd(points - points.mean(axis=0), compute_uv=False)
    return float(spread[-1] / spread[0]) if spread[0] > 0 else 0.0


def flattens(pictures: np.ndarray) -> bool:
    """Whether a film (samples, n, 2) passes through a sliver that neither end is.

    It does if some inner sample's :func:`aspect` is below both :data:`FLAT_FLOOR` and
    :data:`FLAT_DIP` times the flatter end's aspect. A move between two flat pictures (e.g. to
    the probabilities, all on one line) may stay flat.
    """
    aspects = np.array([aspect(p) for p in pictures])
    ends = min(aspects[0], aspects[-1])
    return bool(aspects[1:-1].min() < min(FLAT_FLOOR, FLAT_DIP * ends))


def displacement(pictures: np.ndarray, size: float) -> float:
    """RMS distance between a film's (samples, n, 2) last and first pictures, over ``size``
    (e.g. the drawing area's height): how visibly the move carries the points."""
    moved = pictures[-1] - pictures[0]
    return float(np.sqrt((moved**2).sum(axis=1).mean()) / size)
