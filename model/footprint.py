"""How much of the frame each class covers: the measure behind "every class stays visible".

A class's *footprint* is the share of the frame's pixels whose top-most dot is one of that
class's dots, with the dots stamped in draw order (later clouds cover earlier ones) at a given
resolution. A pixel counts as covered when its centre lies inside a dot, the usual coverage rule;
grid lines, axes and the boundary are thin and are left out. Dots keep their radius in scene
units at every resolution, so the share hardly depends on the resolution; the default is the
``-ql`` frame (854×480).

Examples::

    from model.footprint import footprints
    footprints([red_points, blue_points], radius=0.028)   # e.g. [0.011, 0.094]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

FRAME = (128 / 9, 8.0)  # Manim's frame in scene units, (width, height), 16:9
PIXELS = (854, 480)  # the -ql frame
FLOOR = 0.003  # the smallest footprint a class may have: 0.3 % of the frame's pixels


def footprints(
    clouds: Sequence[np.ndarray],
    radius: float,
    *,
    frame: tuple[float, float] = FRAME,
    pixels: tuple[int, int] = PIXELS,
) -> list[float]:
    """Share of the frame's pixels (0..1) showing each cloud's dots, later clouds on top.

    Parameters
    ----------
    clouds
        Scene coordinates of each class's dots, each (n_k, 2) or (n_k, 3), in draw order.
    radius
        Dot radius in scene units.
    frame
        The frame's (width, height) in scene units, centred on the origin.
    pixels
        The (width, height) in pixels at which coverage is counted.
    """
    width, height = pixels
    per_unit = height / frame[1]  # pixels per scene unit (square pixels)
    r = radius * per_unit
    reach = int(np.ceil(r))
    dx, dy = np.meshgrid(np.arange(-reach, reach + 1), np.arange(-reach, reach + 1))
    dx, dy = dx.ravel(), dy.ravel()  # (m,) pixel offsets around each dot's own pixel
    owner = np.full(width * height, -1, dtype=np.int64)
    for k, cloud in enumerate(clouds):
        xy = np.asarray(cloud, dtype=np.float64)[:, :2]
        px = xy[:, 0] * per_unit + width / 2  # (n,) in pixels, x to the right
        py = frame[1] / 2 * per_unit - xy[:, 1] * per_unit  # y downwards, as in the image
        col = np.floor(px).astype(np.int64)[:, None] + dx  # (n, m)
        row = np.floor(py).astype(np.int64)[:, None] + dy
        inside = (col + 0.5 - px[:, None]) ** 2 + (row + 0.5 - py[:, None]) ** 2 <= r * r
        inside &= (col >= 0) & (col < width) & (row >= 0) & (row < height)
        owner[row[inside] * width + col[inside]] = k
    total = float(width * height)
    return [float(np.count_nonzero(owner == k)) / total for k in range(len(clouds))]
