"""How much of the frame a class covers, measured on the render's own frame (any shape)."""

from __future__ import annotations

import numpy as np
import pytest

from model.picture.footprint import MEASURE_ROWS, class_footprints, measure_pixels
from model.picture.frame import MANIM_FRAME


def test_the_frame_is_measured_on_square_pixels_at_720_rows():
    assert measure_pixels(MANIM_FRAME) == (1280, MEASURE_ROWS)  # Manim's 16:9 frame: 720p
    assert measure_pixels((8.0, 8.0)) == (720, 720)
    assert measure_pixels((6.0, 8.0)) == (540, 720)


@pytest.mark.parametrize("frame", [MANIM_FRAME, (6.0, 8.0), (8.0, 8.0), (16.0, 6.0)])
def test_coverage_is_the_dots_area_over_the_frames_whatever_its_shape(frame):
    # Dots that do not touch, spread over the whole frame up to its edges (a frame measured with
    # the wrong shape would lose the ones near its top or bottom, or its sides).
    width, height = frame
    radius = 0.12
    xs = np.linspace(-width / 2 + 0.2, width / 2 - 0.2, 12)
    ys = np.linspace(-height / 2 + 0.2, height / 2 - 0.2, 12)
    points = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    (share,) = class_footprints([points], [0], radius, frame=frame)
    expected = len(points) * np.pi * radius**2 / (width * height)  # independent: geometry
    assert share == pytest.approx(expected, rel=0.1)


def test_a_class_drawn_over_another_counts_only_what_still_shows():
    spot = np.zeros((1, 2))
    under, over = class_footprints([spot, spot], [0, 1], 0.2, frame=(6.0, 8.0))
    assert under == 0.0 and over > 0


@pytest.mark.parametrize("frame", [(6.0, 8.0), (8.0, 8.0), (16.0, 6.0)])
def test_a_class_along_the_frames_edges_is_seen_on_a_frame_of_any_shape(frame):
    width, height = frame
    radius = 0.12
    along = np.linspace(-width / 2 + 0.3, width / 2 - 0.3, 20)
    bottom = np.stack([along, np.full(20, -height / 2 + 0.3)], axis=1)
    top = np.stack([along, np.full(20, height / 2 - 0.3)], axis=1)
    shares = class_footprints([bottom, top], [0, 1], radius, frame=frame)
    expected = 20 * np.pi * radius**2 / (width * height)
    assert shares == pytest.approx([expected, expected], rel=0.1)
