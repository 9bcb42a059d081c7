"""The picture measures: separability, turn rate, flattening and movement, on known pictures."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from model.geometry.metrics import (
    aspect,
    best_normal,
    displacement,
    flattens,
    separability,
    turn_rates,
)
from model.geometry.rotations import film_turn_angles, plane_rotation, rotation_angle, turn_angles
from model.picture.played import smooth


def _brute_force_separability(points, labels):
    """Exact best line accuracy: optimal lines can be moved to pass (almost) through two
    points, so try every pair's direction, nudged to either side, with every threshold."""
    best = 0.0
    for i, j in itertools.combinations(range(len(points)), 2):
        d = points[j] - points[i]
        base = np.arctan2(d[1], d[0]) + np.pi / 2
        for angle in (base - 1e-7, base + 1e-7):
            projected = points @ [np.cos(angle), np.sin(angle)]
            for cut in np.r_[projected, -np.inf]:
                above = projected > cut
                best = max(best, (above == labels).mean(), (above != labels).mean())
    return best


@pytest.mark.parametrize("seed", range(4))
def test_separability_matches_a_brute_force_search(seed):
    rng = np.random.default_rng(seed)
    points = rng.normal(size=(24, 2))
    labels = (points[:, 0] + 0.8 * rng.normal(size=24) > 0).astype(int)
    assert separability(points, labels) == pytest.approx(_brute_force_separability(points, labels))
    assert best_normal(points, labels)[0] == pytest.approx(separability(points, labels))


def test_separability_of_separable_mixed_and_collapsed_pictures():
    rng = np.random.default_rng(0)
    left, right = rng.normal(size=(50, 2)) - [4, 0], rng.normal(size=(50, 2)) + [4, 0]
    labels = np.repeat([0, 1], 50)
    assert separability(np.r_[left, right], labels) == 1.0
    # Rings: no line does better than cutting a cap off the outer one.
    angle = rng.uniform(0, 2 * np.pi, 100)
    radius = np.r_[np.full(50, 1.0), np.full(50, 3.0)]
    rings = np.c_[radius * np.cos(angle), radius * np.sin(angle)]
    assert 0.5 < separability(rings, labels) < 0.9
    # Everything at one point: no line splits anything, whatever the labels.
    assert separability(np.zeros((100, 2)), labels) == 0.5
    # Alternating classes along one line: the best cut splits off a single point.
    line = np.c_[np.arange(100.0), np.zeros(100)]
    assert separability(line, np.arange(100) % 2) == pytest.approx(0.51)


def test_turn_rate_of_a_steady_rotation():
    rng = np.random.default_rng(1)
    picture = rng.normal(size=(200, 2)) * [3, 1]
    # 60° over 2 s at constant speed: 30°/s; under smooth the peak is 2.53× faster.
    times = np.linspace(0, 1, 201)
    steady = np.stack([picture @ plane_rotation(np.radians(60) * t) for t in times])
    np.testing.assert_allclose(turn_rates(steady, 2.0), 30.0, rtol=1e-9)
    eased = np.stack([picture @ plane_rotation(np.radians(60) * t) for t in smooth(times)])
    assert turn_rates(eased, 2.0).max() == pytest.approx(30.0 * 2.534, rel=0.01)
    assert rotation_angle(picture, picture @ plane_rotation(0.3)) == pytest.approx(0.3)
    # A shift or a zoom is not a turn.
    assert rotation_angle(picture, 4 * picture + [10, -3]) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_film_turn_angles_equal_those_of_the_pictures(seed):
    """The Gram-matrix form gives the angles of the pictures rows @ maps[j] + shift[j]."""
    rng = np.random.default_rng(seed)
    rows = rng.normal(size=(500, 5)) * [1, 3, 0.2, 2, 1] + 4
    maps = np.cumsum(rng.normal(scale=0.3, size=(40, 5, 2)), axis=0)
    shifts = rng.normal(size=(40, 1, 2)) * 10
    pictures = rows @ maps + shifts
    assert np.allclose(film_turn_angles(rows, maps), turn_angles(pictures), atol=1e-12)
    assert np.abs(turn_angles(pictures)).max() > 0.05  # the film does turn


def test_smooth_is_manims():
    from manim import smooth as manim_smooth

    for t in np.linspace(0, 1, 11):
        assert smooth(t) == pytest.approx(manim_smooth(t), abs=1e-15)


def test_flattening_is_a_dip_to_a_line_that_neither_end_is():
    rng = np.random.default_rng(2)
    disk = rng.normal(size=(300, 2))
    times = np.linspace(0, 1, 101)
    # A mirror closed linearly passes through a line at t = ½.
    through_line = np.stack([disk * [1.0, 1 - 2 * t] for t in times])
    assert aspect(through_line[50]) < 1e-12 and flattens(through_line)
    turning = np.stack([disk @ plane_rotation(2 * t) for t in times])
    assert not flattens(turning)
    # Squashing a disk onto a line ends on one: allowed.
    squash = np.stack([disk * [1.0, 1 - t] for t in times])
    assert not flattens(squash)


def test_displacement_is_relative_to_the_frame():
    start = np.zeros((10, 2))
    film = np.stack([start, start + [0.3, 0.4]])
    assert displacement(film, size=5.0) == pytest.approx(0.1)
