"""How much of the frame each class visibly covers: the measure behind "every class visible".

Dots are stamped in drawing order onto a pixel grid of the frame, each pixel keeping the class
drawn last over it, so a class hidden under another counts only what still shows.
"""

from __future__ import annotations

import numpy as np

FRAME = (14.222222222222221, 8.0)  # Manim's frame in scene units (16:9)
PIXELS = (1280, 720)  # 720p, where the issue measured


def class_footprints(
    clouds: list[np.ndarray],
    order: list[int],
    radius: float,
    pixels: tuple[int, int] = PIXELS,
    frame: tuple[float, float] = FRAME,
) -> list[float]:
    """Share of the frame's pixels (0..1) that show each class.

    ``clouds`` are each class's (n_k, ≥2) scene positions, ``order`` the classes in drawing
    order (bottom first) and ``radius`` the dots' radius in scene units.
    """
    width, height = pixels
    per_unit = width / frame[0]
    owner = np.full((height, width), -1, dtype=np.int16)
    r = max(radius * per_unit, 0.5)
    reach = int(np.ceil(r))
    offsets = [
        (dx, dy)
        for dx in range(-reach, reach + 1)
        for dy in range(-reach, reach + 1)
        if dx * dx + dy * dy <= r * r
    ]
    for k in order:
        points = np.asarray(clouds[k])
        if not len(points):
            continue
        cx = np.round((points[:, 0] + frame[0] / 2) * per_unit).astype(int)
        cy = np.round((frame[1] / 2 - points[:, 1]) * per_unit).astype(int)
        for dx, dy in offsets:
            x, y = cx + dx, cy + dy
            inside = (x >= 0) & (x < width) & (y >= 0) & (y < height)
            owner[y[inside], x[inside]] = k
    total = width * height
    return [float((owner == k).sum()) / total for k in range(len(clouds))]
