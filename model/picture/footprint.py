"""How much of the frame each class visibly covers: the measure behind "every class visible".

Dots are stamped in drawing order onto a pixel grid of the frame, each pixel keeping the class
drawn last over it, so a class hidden under another counts only what still shows. The frame is
the render's own (Manim's ``frame_width`` × ``frame_height``, which a scene passes), measured at
:data:`MEASURE_ROWS` pixel rows whatever the render's resolution, so a video decides the same
at ``-ql`` and ``-qh``.
"""

from __future__ import annotations

import numpy as np

MEASURE_ROWS = 720  # pixel rows the frame is measured at: 720p, where the issue measured


def measure_pixels(frame: tuple[float, float]) -> tuple[int, int]:
    """(width, height) of the pixel grid ``frame`` (scene units) is measured on: square pixels,
    :data:`MEASURE_ROWS` rows (1280 × 720 for Manim's 16:9 frame)."""
    width, height = frame
    return round(MEASURE_ROWS * width / height), MEASURE_ROWS


def class_footprints(
    clouds: list[np.ndarray],
    order: list[int],
    radius: float,
    *,
    frame: tuple[float, float],
) -> list[float]:
    """Share of the frame's pixels (0..1) that show each class.

    ``clouds`` are each class's (n_k, ≥2) scene positions, ``order`` the classes in drawing
    order (bottom first), ``radius`` the dots' radius in scene units and ``frame`` the frame's
    (width, height) in scene units (Manim's config, as the scene renders it).
    """
    width, height = measure_pixels(frame)
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
