"""Projections: PCA pictures are faithful, aligned ones never mirror, the camera turns rigidly."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.spatial.distance import pdist
from torch import nn

from model.errors import NetmorphError
from model.geometry.projections import (
    BasisTurn,
    check_view,
    fit_bases,
    logit_difference,
    plan_turns,
    principal_axes,
    project,
    turn_log,
)
from model.geometry.rotations import procrustes
from model.geometry.trace import Stage, trace
from model.network.config import Config
from model.network.layers import Step, init_network
from model.picture.view import Area, MorphTimeline


def _stages(hidden, activation="tanh", seed=0, n=300):
    module = init_network(Config(hidden=hidden, activation=activation), seed=seed)
    points = np.random.default_rng(seed).normal(size=(n, 2))
    return trace(module, points)


def _rank(values):
    return np.linalg.matrix_rank(values - values.mean(axis=0), tol=1e-9)


@pytest.mark.parametrize("hidden", [(3, 3, 3), (8, 8)])
@pytest.mark.parametrize(("view", "p"), [("pca", 2), ("3d", 3)])
def test_a_stage_of_low_rank_is_drawn_as_an_isometric_copy(hidden, view, p):
    stages = _stages(hidden)
    bases = fit_bases(stages, view)
    checked = 0
    for stage, basis in zip(stages, bases):
        np.testing.assert_allclose(basis.T @ basis, np.eye(p), atol=1e-12)  # orthonormal
        if _rank(stage.values) <= p:
            # All pairwise distances kept: a rigid copy (no scale: framing comes later).
            np.testing.assert_allclose(
                pdist(project(stage.values, basis)), pdist(stage.values), atol=1e-9
            )
            checked += 1
    assert checked >= 2  # the input and the first affine step's plane at least


@pytest.mark.parametrize("hidden", [(3, 3, 3), (8, 8)])
def test_pca_frames_span_the_principal_plane(hidden):
    for stage, basis in zip(_stages(hidden), fit_bases(_stages(hidden), "pca")):
        if _rank(stage.values) >= 2:
            axes = principal_axes(stage.values, 2)
            np.testing.assert_allclose(basis @ basis.T, axes @ axes.T, atol=1e-8)


@pytest.mark.parametrize("hidden", [(3, 3, 3), (8, 8), (5, 4, 3)])
@pytest.mark.parametrize("view", ["pca", "3d"])
def test_consecutive_aligned_pictures_differ_by_no_turn_and_no_mirror(hidden, view):
    stages = _stages(hidden, activation="relu", seed=2)
    bases = fit_bases(stages, view)
    pictures = [project(s.values, f) for s, f in zip(stages, bases)]
    p = pictures[0].shape[1]
    # Stage 0 is aligned to its own coordinates: a 2-D input is drawn as it is.
    np.testing.assert_allclose(pictures[0][:, :2], stages[0].values, atol=1e-9)
    for k in range(1, len(stages)):
        if view == "3d" and stages[k].width <= 3:
            np.testing.assert_allclose(pictures[k][:, : stages[k].width], stages[k].values)
            continue  # drawn as it is, not aligned
        a = pictures[k] - pictures[k].mean(axis=0)
        b = pictures[k - 1] - pictures[k - 1].mean(axis=0)
        assert np.linalg.det(a.T @ b) >= -1e-9 * np.linalg.norm(a) * np.linalg.norm(b)
        # The best proper rotation onto the previous picture is already the identity.
        np.testing.assert_allclose(procrustes(a, b), np.eye(p), atol=1e-6)


def test_first2_frames_select_the_first_two_coordinates():
    stages = _stages((3, 3, 3))
    for stage, basis in zip(stages, fit_bases(stages, "first2")):
        np.testing.assert_array_equal(project(stage.values, basis), stage.values[:, :2])


def test_degenerate_stages_still_get_orthonormal_frames():
    rng = np.random.default_rng(0)
    line = np.c_[rng.normal(size=50), np.zeros(50), np.zeros(50), np.zeros(50)]
    stages = [
        Stage(Step("input", "input", "input"), rng.normal(size=(50, 2))),
        Stage(Step("affine", "a", "a"), line),  # rank 1 in 4-D
        Stage(Step("affine", "b", "b"), np.full((50, 5), 2.0)),  # a single point
        Stage(Step("affine", "c", "c"), rng.normal(size=(50, 1))),  # 1-wide
    ]
    for view, p in (("pca", 2), ("3d", 3)):
        for basis in fit_bases(stages, view):
            np.testing.assert_allclose(basis.T @ basis, np.eye(p), atol=1e-12)


@pytest.mark.parametrize(("dim", "p"), [(3, 2), (8, 2), (8, 3), (2, 2), (3, 3)])
def test_the_camera_turns_rigidly_and_lands_on_both_frames(dim, p):
    rng = np.random.default_rng(dim + p)
    start = np.linalg.qr(rng.normal(size=(dim, p)))[0]
    end = np.linalg.qr(rng.normal(size=(dim, p)))[0]
    if dim == p and np.linalg.det(end) * np.linalg.det(start) < 0:
        end[:, 0] *= -1  # square bases can only be turned into with the same orientation
    turn = BasisTurn.between(start, end)
    assert turn.at(0.0) is start and turn.at(1.0) is end
    ts = np.linspace(0, 1, 101)
    bases = [turn.at(t) for t in ts]
    for basis in bases:
        np.testing.assert_allclose(basis.T @ basis, np.eye(p), atol=1e-10)
    # Continuous: the interior turn arrives at the end bases.
    np.testing.assert_allclose(turn.at(1 - 1e-9), end, atol=1e-7)
    np.testing.assert_allclose(turn.at(1e-9), start, atol=1e-7)
    assert max(np.abs(np.diff(bases, axis=0)).max(axis=(1, 2))) < 0.1


def test_identical_frames_do_not_turn():
    basis = np.eye(5, 2)
    np.testing.assert_array_equal(turn_log(basis, basis), np.zeros((5, 5)))
    near = np.linalg.qr(basis + 1e-3 * np.random.default_rng(0).normal(size=(5, 2)))[0]
    near *= np.sign(np.diag(near))  # QR may negate columns; keep them pointing as before
    assert np.abs(turn_log(basis, near)).max() < 1e-2  # a small change is a small turn


def test_unknown_view_names_the_choices():
    with pytest.raises(NetmorphError, match="'first2', 'pca', '3d'"):
        check_view("pca3")


@pytest.mark.parametrize("seed", range(6))
def test_a_flat_softmax_picture_never_forces_a_mirror(seed):
    # Probabilities lie on the line p₁ + p₂ = 1: mirroring across their flat direction is free,
    # so the logits' and the probabilities' square bases can always be turned into each other.
    stages = _stages((3, 3, 3), activation="relu", seed=seed)
    bases = fit_bases(stages, "pca")
    assert stages[-1].step.kind == "softmax" and _rank(stages[-1].values) <= 1
    assert np.linalg.det(bases[-1]) * np.linalg.det(bases[-2]) > 0
    assert BasisTurn.between(bases[-2], bases[-1]).turn is not None


# The readout view and the turn plan ----------------------------------------------------------


def _labelled_stages(seed=0, n=400):
    """A trained-looking chain: the classes are two blobs, f grows from one to the other."""
    module = init_network(Config(hidden=(3, 3, 3), activation="tanh"), seed=seed)
    rng = np.random.default_rng(seed)
    points = np.r_[rng.normal(size=(n // 2, 2)) - 1.5, rng.normal(size=(n // 2, 2)) + 1.5]
    return trace(module, points), (slice(0, n // 2), slice(n // 2, n))


def test_readout_frames_read_the_logit_difference_first():
    stages, classes = _labelled_stages()
    bases = fit_bases(stages, "readout", classes)
    score = logit_difference(stages)
    last_hidden = len(stages) - 3  # before the read-out affine and softmax
    np.testing.assert_array_equal(bases[0], np.eye(2))  # the input as it is
    for k, (stage, basis) in enumerate(zip(stages, bases)):
        np.testing.assert_allclose(basis.T @ basis, np.eye(2), atol=1e-12)
        if k == 0:
            continue
        x = project(stage.values, basis)[:, 0]
        assert np.corrcoef(x, score)[0, 1] > 0  # f grows to the right
        if k in (last_hidden, last_hidden + 1):  # f is affine here: x is exactly f, rescaled
            assert np.corrcoef(x, score)[0, 1] == pytest.approx(1.0, abs=1e-12)


def test_readout_falls_back_to_aligned_axes_for_more_classes():
    torch.manual_seed(0)
    module = nn.Sequential(nn.Linear(2, 4), nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 3))
    module.append(nn.Softmax(dim=-1))
    points = np.random.default_rng(0).normal(size=(90, 2))
    stages = [Stage(Step("input", "input", "input"), points)]
    h = torch.as_tensor(points)
    with torch.no_grad():
        for i, layer in enumerate(module.double()):
            h = layer(h)
            kind = {nn.Linear: "affine", nn.Tanh: "activation", nn.Softmax: "softmax"}
            stages.append(Stage(Step(kind[type(layer)], f"s{i}", f"s{i}"), h.numpy().copy()))
    classes = (slice(0, 30), slice(30, 60), slice(60, 90))
    assert logit_difference(stages) is None
    readout, pca = fit_bases(stages, "readout", classes), fit_bases(stages, "pca")
    for a, b in zip(readout[1:], pca[1:]):
        np.testing.assert_allclose(a, b)
    timeline = MorphTimeline(stages, Area(), view="readout", labels=np.repeat([0, 1, 2], 30))
    for move in range(1, timeline.n_moves + 1):
        for t in (0.0, 0.5, 1.0):
            assert np.isfinite(timeline.frame_at(move, t).points).all()


def test_a_turn_plan_without_a_binding_cap_leans_nothing():
    turns = np.radians([30.0, -20.0, 50.0, 10.0])
    planned, leans = plan_turns(turns, np.ones(4), np.radians(60))
    np.testing.assert_array_equal(leans, 0.0)
    np.testing.assert_allclose(planned, turns)


def test_a_turn_plan_spreads_big_turns_and_keeps_the_pinned_stages_unleaned():
    turns = np.radians([170.0, -5.0, 100.0, 3.0, 0.0])
    weights = np.array([1.0, 1.0, 1.0, 1e3, 1e3])  # stages 4 and 5 must not lean
    cap = np.radians(60)
    planned, leans = plan_turns(turns, weights, cap)
    assert np.abs(planned).max() <= cap + 1e-9
    np.testing.assert_allclose(planned, turns + np.diff(leans), atol=1e-12)
    assert leans[0] == 0.0
    # 170 − 5 + 100 + 3 = 268°: the plan turns the short way round, −92°, and lands unleaned.
    np.testing.assert_allclose(np.cos(leans[4:]), 1.0, atol=1e-12)
    assert np.degrees(planned[:4].sum()) == pytest.approx(268.0 - 360.0)
