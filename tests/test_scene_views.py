"""The 3-D and PCA views in real (dry-run) scenes, and a hidden width of 8 in every view."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

from model.data import circles
from scenes.morph import MorphScene
from scenes.morph3d import ReluMorph3D
from tests.conftest import render_recording


def _distances(points: np.ndarray, k: int = 60) -> np.ndarray:
    idx = np.linspace(0, len(points) - 1, k).astype(int)
    sub = points[idx]
    return np.linalg.norm(sub[:, None] - sub[None], axis=-1)


def test_3d_view_draws_the_true_hidden_space(shared_cache):
    scene, _ = render_recording(ReluMorph3D, shared_cache)
    net = copy.deepcopy(scene.morph.net).double()
    plot = np.concatenate(circles().x_plot)
    saw_depth = False
    for step, clouds, _ in scene.recorded:
        drawn = np.concatenate(clouds)
        with torch.no_grad():
            truth = net[:step](torch.as_tensor(plot)).numpy()
        if truth.shape[1] > 3:
            continue
        # A true 3-D view is a rigid motion plus one scale: all distances scale alike.
        d_drawn, d_truth = _distances(drawn), _distances(truth)
        mask = d_truth > 1e-9 * d_truth.max()
        ratios = d_drawn[mask] / d_truth[mask]
        np.testing.assert_allclose(ratios, ratios.mean(), rtol=1e-6)
        saw_depth |= truth.shape[1] == 3 and np.ptp(drawn[:, 2]) > 0.1
    assert saw_depth  # 3-wide stages really leave the z = 0 plane


@pytest.mark.parametrize("view", ["first2", "pca", "3d"])
def test_hidden_width_8_in_every_view(view, shared_cache):
    base = MorphScene
    if view == "3d":
        from scenes.morph3d import MorphScene3D as base

    class Wide(base):
        activation = "tanh"
        hidden = (8, 8)

    Wide.view = view
    scene, frame = render_recording(Wide, shared_cache)
    # dense, dense, tanh, dense, softmax, then back to the input plane; the 3-D scene ends on
    # the first activation (tanh)
    assert len(scene.recorded) == (3 if view == "3d" else 6)
    for _, clouds, grid in scene.recorded:
        assert np.isfinite(grid).all()
        drawn = np.concatenate(clouds)  # the grid reaches beyond the frame, clipped to the area
        assert np.isfinite(drawn).all()
        assert (np.abs(drawn[:, :2]).max(axis=0) < [7.2, 4.0]).all()
    rgb = frame[:, :, :3].astype(int)
    assert ((rgb[:, :, 0] - rgb[:, :, 2]) > 15).any()  # the red class is on screen
