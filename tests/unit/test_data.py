"""The recipe's data, point for point."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model.data.builtin import circle_coords, circles
from model.data.dataset import grid_lines
from model.data.registry import load_dataset
from model.errors import NetmorphError


def julia_circle_coords(r_min, r_max, r_size, theta_size):
    """The recipe's comprehension, transcribed literally (θ outer loop, r inner)."""
    thetas = [2 * math.pi * i / (theta_size - 1) for i in range(theta_size)]
    rs = [r_min + (r_max - r_min) * j / (r_size - 1) for j in range(r_size)]
    return [(r * math.sin(t), r * math.cos(t)) for t in thetas for r in rs]


def test_circle_coords_matches_the_recipe_loop_order():
    ours = circle_coords(1e-3, 1 / 3, 30, 30)
    assert ours.shape == (900, 2)
    np.testing.assert_allclose(ours, julia_circle_coords(1e-3, 1 / 3, 30, 30), atol=1e-15)


def test_training_set_is_the_recipes():
    data = circles()
    assert data.x_train.shape == (1800, 2)
    np.testing.assert_allclose(data.x_train[0], [0.0, 0.001])
    np.testing.assert_allclose(data.x_train[1, 1], 0.001 + (1 / 3 - 0.001) / 29)
    assert (data.y_train[:900] == 0).all() and (data.y_train[900:] == 1).all()
    radii = np.linalg.norm(data.x_train, axis=1)
    assert radii[:900].max() <= 1 / 3 + 1e-12
    assert radii[900:].min() >= 2 / 3 - 1e-12


def test_both_theta_ends_appear():
    ring = circle_coords(2 / 3, 1, 30, 30)
    # θ = 0 and θ = 2π give the same points: the first and last radial spokes coincide.
    np.testing.assert_allclose(ring[:30], ring[-30:], atol=1e-12)


def test_plotting_set_has_the_denser_outer_ring():
    inner, outer = circles().x_plot
    assert inner.shape == (900, 2)
    assert outer.shape == (4500, 2)
    np.testing.assert_allclose(outer, julia_circle_coords(2 / 3, 1, 30, 150), atol=1e-15)


def test_bounds_round_to_the_unit_box():
    lo, hi = circles().grid_box()
    np.testing.assert_array_equal(lo, [-1, -1])
    np.testing.assert_array_equal(hi, [1, 1])


def test_grid_lines_cover_the_box_and_are_straight():
    lines = grid_lines(np.array([-1.0, -1.0]), np.array([1.0, 1.0]), n_lines=5, n_samples=11)
    assert lines.shape == (10, 11, 2)
    vertical, horizontal = lines[:5], lines[5:]
    np.testing.assert_allclose(vertical[:, :, 0], np.linspace(-1, 1, 5)[:, None] * np.ones(11))
    np.testing.assert_allclose(horizontal[:, :, 1], np.linspace(-1, 1, 5)[:, None] * np.ones(11))
    assert lines.min() == -1 and lines.max() == 1


def test_unknown_dataset_is_a_clear_error():
    with pytest.raises(NetmorphError, match="unknown dataset 'moon'.*circles"):
        load_dataset("moon")


@pytest.mark.parametrize("name", ["moons", "spiral", "xor"])
def test_seeded_datasets_are_balanced_and_unit_sized(name):
    data = load_dataset(name)
    n = len(data.y_train)
    assert data.x_train.shape == (n, 2) and data.x_train.dtype == np.float64
    assert data.y_train.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(data.y_train), [n // 2, n // 2])
    assert np.abs(data.x_train).max() <= 1.1
    for k, points in enumerate(data.x_plot):  # plotted = training points, split by class
        np.testing.assert_array_equal(points, data.x_train[data.y_train == k])
    assert data.n_classes == 2 and data.description
    lo, hi = data.grid_box()
    np.testing.assert_array_equal(lo, [-1, -1])
    np.testing.assert_array_equal(hi, [1, 1])


@pytest.mark.parametrize("name", ["moons", "spiral", "xor"])
def test_seeded_datasets_are_deterministic_and_densify(name):
    a, b = load_dataset(name), load_dataset(name)
    np.testing.assert_array_equal(a.x_train, b.x_train)
    dense = load_dataset(name, density=3)
    np.testing.assert_array_equal(dense.x_train, a.x_train)  # training set is fixed
    for sparse_k, dense_k in zip(a.x_plot, dense.x_plot):
        assert len(dense_k) == 3 * len(sparse_k)
        np.testing.assert_array_equal(dense_k[: len(sparse_k)], sparse_k)


def test_xor_classes_are_the_diagonals():
    data = load_dataset("xor")
    same_sign = np.sign(data.x_train[:, 0]) == np.sign(data.x_train[:, 1])
    np.testing.assert_array_equal(data.y_train, (~same_sign).astype(np.int64))


def test_spiral_arms_are_half_a_turn_apart():
    arm0, arm1 = load_dataset("spiral").x_plot
    # Rotating arm 0 by π gives arm 1's curve: each rotated point is near some arm-1 point.
    rotated = -arm0[:100]
    nearest = np.linalg.norm(rotated[:, None] - arm1[None], axis=-1).min(axis=1)
    assert nearest.max() < 0.1


def test_bounds_follow_the_data_scale():
    from model.data.dataset import Dataset

    def box(points):
        return Dataset("t", points, np.zeros(len(points), np.int64), (points,), ("a",)).grid_box()

    small = box(np.array([[0.02, 0.01], [0.28, 0.21]]))
    np.testing.assert_allclose(small[0], [0.0, 0.0])
    np.testing.assert_allclose(small[1], [0.3, 0.2])
    big = box(np.array([[-120.0, 10.0], [380.0, 90.0]]))
    np.testing.assert_allclose(big[0], [-100, 0])
    np.testing.assert_allclose(big[1], [400, 100])
