"""The morph as the scene plays it: a move's film at the animation's times, its axes' swing."""

from __future__ import annotations

import numpy as np

from model.picture.view import MorphTimeline

FILM_SAMPLES = 401  # animation times sampled along a move


def smooth(alpha: np.ndarray | float, inflection: float = 10.0) -> np.ndarray:
    """Manim's ``smooth`` rate function, in numpy (so model/ needs no Manim): [0, 1] → [0, 1]."""
    alpha = np.asarray(alpha, dtype=np.float64)
    error = 1 / (1 + np.exp(inflection / 2))
    value = (1 / (1 + np.exp(-inflection * (alpha - 0.5))) - error) / (1 - 2 * error)
    return np.clip(value, 0.0, 1.0)


def film(
    timeline: MorphTimeline,
    move: int,
    rows: slice | np.ndarray = slice(None),
    samples: int = FILM_SAMPLES,
) -> np.ndarray:
    """(samples, n_rows, 2) drawn positions of ``rows`` along ``move`` as the scene plays it:
    evenly spaced animation times through Manim's ``smooth``."""
    times = smooth(np.linspace(0.0, 1.0, samples))
    return np.stack([timeline.frame_at(move, float(t)).points[rows, :2] for t in times])


def axis_swing(timeline: MorphTimeline, move: int) -> float:
    """Largest angle in degrees, 0..90, that a drawn stage axis turns between the two ends of
    ``move`` (axes matched by index; 0 when the stages' axes are not drawn).

    A step that re-mixes the coordinates of a plane without changing its shape (an affine
    layer on points of rank 2 whose map is nearly a similarity) moves the points little in an
    aligned view; what moves is the stage's coordinate axes, relative to the points.
    """
    before = timeline.frame_at(move, 0.0).axes  # (k, 2, 3)
    after = timeline.frame_at(move, 1.0).axes
    swing = 0.0
    for a, b in zip(before, after):
        da, db = a[1, :2] - a[0, :2], b[1, :2] - b[0, :2]
        norms = np.linalg.norm(da) * np.linalg.norm(db)
        if norms > 1e-12:  # an axis that misses the picture is not drawn
            swing = max(swing, float(np.degrees(np.arccos(min(abs(da @ db) / norms, 1.0)))))
    return swing
