"""A hidden width of 8 in every view, in real (dry-run) scenes (3-D ones: test_scene_3d)."""

from __future__ import annotations

import numpy as np
import pytest

from scenes.morph import MorphScene
from tests.conftest import render_recording


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
    # dense, dense, tanh, dense, softmax, then back to the input plane (the 3-D scene lands on
    # the flat read-out after the last hidden stage, tanh)
    assert len(scene.recorded) == 6
    for _, clouds, grid in scene.recorded:
        assert np.isfinite(grid).all()
        drawn = np.concatenate(clouds)  # the grid reaches beyond the frame, clipped to the area
        assert np.isfinite(drawn).all()
        assert (np.abs(drawn[:, :2]).max(axis=0) < [7.2, 4.0]).all()
    rgb = frame[:, :, :3].astype(int)
    assert ((rgb[:, :, 0] - rgb[:, :, 2]) > 15).any()  # the red class is on screen
