"""Stratified row samples: the same rows every time for the same labels.

A big dataset is trained on a proportional stratified subset and drawn as a per-class capped
one, so a million-row CSV trains in seconds and renders at the built-in data's frame rate.
The rows come from a fixed seed and are returned sorted, so the same file always gives the same
sample and the drawn points keep the file's order.

Examples::

    rows = capped_rows(y, 2000)          # at most 2,000 rows of each class
    rows = proportional_rows(y, 6000)    # about 6,000 rows, each class in its own share
"""

from __future__ import annotations

import numpy as np

SEED = 0  # every sample is drawn from this seed


def capped_rows(labels: np.ndarray, per_class: int) -> np.ndarray:
    """Sorted row numbers: every row of a class with at most ``per_class`` rows, else a
    uniform sample of ``per_class`` of them."""
    return _sample(labels, lambda count: min(count, per_class))


def proportional_rows(labels: np.ndarray, total: int, floor: int = 50) -> np.ndarray:
    """Sorted row numbers of about ``total`` rows, each class keeping its share of the data
    (but at least ``floor`` rows, or all it has): all rows when there are at most ``total``."""
    labels = np.asarray(labels)
    if len(labels) <= total:
        return np.arange(len(labels))
    n = len(labels)
    return _sample(labels, lambda count: min(count, max(floor, round(total * count / n))))


def _sample(labels: np.ndarray, size) -> np.ndarray:
    labels = np.asarray(labels)
    rng = np.random.default_rng(SEED)
    picked = []
    for k in np.unique(labels):
        rows = np.flatnonzero(labels == k)
        want = size(len(rows))
        picked.append(rows if want >= len(rows) else rng.choice(rows, want, replace=False))
    return np.sort(np.concatenate(picked)) if picked else np.zeros(0, dtype=np.int64)
