"""Affine routes: the polar route turns and stretches without ever flattening an invertible map."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg

from model.geometry.affine import PolarRoute, square_up
from model.geometry.orient import orient_hidden_units
from model.geometry.rotations import Turn, procrustes, rotation_log
from model.network.config import Config
from model.network.layers import init_network
from model.network.numpy_net import Affine

TIMES = np.linspace(0, 1, 101)


def _weight(rng, m, d, sign=1.0):
    """A random (m, d) weight; square ones get det of the given sign."""
    w = rng.normal(size=(m, d))
    if m == d and np.sign(np.linalg.det(w)) != sign:
        w[0] *= -1
    return w


def _rotation(rng, dim):
    q, _ = np.linalg.qr(rng.normal(size=(dim, dim)))
    return q if np.linalg.det(q) > 0 else q @ np.diag([-1.0] + [1.0] * (dim - 1))


@pytest.mark.parametrize("dim", [2, 3, 8])
def test_rotation_log_is_real_skew_and_inverts_expm(dim):
    rotation = _rotation(np.random.default_rng(dim), dim)
    log = rotation_log(rotation)
    np.testing.assert_allclose(log, -log.T, atol=1e-14)
    np.testing.assert_allclose(scipy.linalg.expm(log), rotation, atol=1e-12)


def test_rotation_log_handles_a_half_turn():
    # scipy.linalg.logm goes complex here; the Schur route stays real.
    for half_turn in (np.diag([-1.0, -1.0, 1.0]), np.diag([-1.0, -1.0, -1.0, -1.0])):
        log = rotation_log(half_turn)
        np.testing.assert_allclose(scipy.linalg.expm(log), half_turn, atol=1e-12)


def test_procrustes_is_scipys_when_proper_and_never_mirrors():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(50, 3))
    for q in (_rotation(rng, 3), -_rotation(rng, 3)):  # a turn, then a turn with a mirror
        b = a @ q + 0.01 * rng.normal(size=(50, 3))
        ours = procrustes(a, b)
        assert np.linalg.det(ours) == pytest.approx(1.0)
        if np.linalg.det(q) > 0:
            np.testing.assert_allclose(ours, scipy.linalg.orthogonal_procrustes(a, b)[0])


@pytest.mark.parametrize("dim", [2, 3, 8])
def test_polar_path_is_a_turn_and_a_stretch_from_identity_to_w(dim):
    rng = np.random.default_rng(dim)
    w, b = _weight(rng, dim, dim), rng.normal(size=dim)
    route = PolarRoute.of(w, b)
    np.testing.assert_allclose(route.linear_at(0.0), np.eye(dim), atol=1e-14)
    np.testing.assert_allclose(route.linear_at(1.0), w, atol=1e-12)
    # The recipe of the issue, with scipy's logm as the oracle.
    rotation, stretch = scipy.linalg.polar(w)
    for t in (0.25, 0.5, 0.8):
        expected = scipy.linalg.expm(t * scipy.linalg.logm(rotation)).real @ (
            (1 - t) * np.eye(dim) + t * stretch
        )
        np.testing.assert_allclose(route.linear_at(t), expected, atol=1e-10)
    assert all(np.linalg.det(route.linear_at(t)) > 0 for t in TIMES)
    x = rng.normal(size=(20, dim))
    np.testing.assert_allclose(route.apply(x, 0.0), x)
    np.testing.assert_allclose(route.apply(x, 1.0), x @ w.T + b, atol=1e-12)


@pytest.mark.parametrize(("m", "d"), [(3, 2), (8, 2), (2, 3), (2, 8), (5, 3)])
def test_width_changing_steps_stay_invertible_and_land_on_the_output(m, d):
    rng = np.random.default_rng(m * 10 + d)
    w, b = _weight(rng, m, d), rng.normal(size=m)
    square = square_up(w)
    np.testing.assert_array_equal(square[:m, :d], w)
    assert np.linalg.det(square) > 0
    route = PolarRoute.of(w, b)
    x = rng.normal(size=(30, d))
    moved = route.apply(x, 1.0)  # (30, max(m, d))
    np.testing.assert_allclose(moved[:, :m], x @ w.T + b, atol=1e-12)
    np.testing.assert_allclose(moved[:, m:], 0.0, atol=1e-12)  # narrowing: squashed to 0
    np.testing.assert_allclose(route.apply(x, 0.0)[:, :d], x)
    # Invertible until the very end (a narrowing step must flatten at t = 1, not before).
    assert all(np.linalg.det(route.linear_at(t)) > 0 for t in TIMES[:-1])


def test_a_reflection_flattens_only_halfway():
    rng = np.random.default_rng(7)
    w = _weight(rng, 3, 3, sign=-1.0)
    route = PolarRoute.of(w, np.zeros(3))
    assert route.mirror is not None
    np.testing.assert_allclose(route.linear_at(1.0), w, atol=1e-12)
    dets = np.array([np.linalg.det(route.linear_at(t)) for t in TIMES])
    assert (dets[TIMES < 0.5] > 0).all() and (dets[TIMES > 0.5] < 0).all()


@pytest.mark.parametrize("hidden", [(3, 3, 3), (8, 8)])
def test_every_layer_of_an_oriented_network_moves_without_flattening(hidden):
    module = orient_hidden_units(init_network(Config(hidden=hidden, activation="tanh"), seed=0))
    for layer in (m for m in module if isinstance(m, Affine)):  # orient gives a NumpyNet
        w = layer.weight
        route = PolarRoute.of(w, layer.bias)
        assert all(np.linalg.det(route.linear_at(t)) > 0 for t in TIMES[:-1])
        m, d = w.shape
        np.testing.assert_allclose(route.linear_at(1.0)[:m, :d], w, atol=1e-10)


def test_turn_is_expm_of_its_log_at_every_time():
    log = rotation_log(_rotation(np.random.default_rng(3), 5))
    turn = Turn(log)
    np.testing.assert_allclose(turn.at(0.0), np.eye(5), atol=1e-14)
    for t in (0.3, 1.0, 1.7):
        np.testing.assert_allclose(turn.at(t), scipy.linalg.expm(t * log), atol=1e-12)
