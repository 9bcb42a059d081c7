"""Scenes at tiny resolution (dry run): what is drawn is what the network computes."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from manim import tempconfig

from model.data.builtin import circles
from model.geometry.projections import project
from model.picture.probability import BINS
from scenes.morph import GeluMorph, MorphScene, ReluMorph, TanhMorph
from tests.conftest import TINY, render_recording


@pytest.mark.parametrize("scene_class", [ReluMorph, TanhMorph, GeluMorph])
def test_drawn_points_are_the_network_outputs(scene_class, tmp_path, shared_cache):
    scene, frame = render_recording(scene_class, shared_cache)
    timeline = scene.morph.timeline
    module = scene.morph.net.to_torch()  # the network the scene traced
    n_moves = len(module)
    # Every step of the network is played, then the return to the input plane.
    assert [move for move, _, _ in scene.recorded] == [*range(1, n_moves + 1), timeline.return_move]
    plot = circles().x_plot
    timeline = scene.morph.timeline
    assert timeline.view == "readout"  # the scenes' default
    for move, clouds, _grid in scene.recorded:
        drawn = np.concatenate([c[:, :2] for c in clouds])
        # Every dot is inside the frame's safe margin.
        assert (np.abs(drawn[:, 0]) < 7.11 * 0.9).all() and (np.abs(drawn[:, 1]) < 4 * 0.9).all()
        k = 0 if move == timeline.return_move else move
        with torch.no_grad():
            truth = np.concatenate([module[:k](torch.as_tensor(x)).numpy() for x in plot])
        if k in timeline.fixed:
            # Softmax on the fixed 0..1 axis: x is p(outer ring) to within one histogram bin.
            scale, offset = timeline.fit(timeline.boxes[k])
            x = (drawn[:, 0] - offset[0]) / scale
            assert np.abs(x - truth[:, 1]).max() <= 1 / BINS + 1e-9
            continue
        if k in timeline.plan.special:
            # The logits on their number line: x is z₁ − z₀ to within one bin, 0 at the
            # boundary's guide line.
            held = timeline.frame_at(k, 1.0)
            zero, line = held.guides[0][0, 0], timeline.plan.line
            margin = truth[:, 1] - truth[:, 0]
            bin_width = (line.hi - line.lo) / BINS * held.scale
            assert np.abs(drawn[:, 0] - (zero + held.scale * margin)).max() <= bin_width + 1e-9
            continue
        # The stage seen in the view's frame (a sliver's ↑ stretched, as its scale bar says).
        expected = project(truth, timeline.bases[k]) @ timeline.plan.stretch_matrix(k)
        # The view is a similarity: one positive scale and an offset, the same for all points.
        design = np.c_[expected.reshape(-1), np.tile(np.eye(2), (len(expected), 1))]
        coef, *_ = np.linalg.lstsq(design, drawn.reshape(-1), rcond=None)
        assert coef[0] > 0
        np.testing.assert_allclose(design @ coef, drawn.reshape(-1), atol=1e-9 * max(1, coef[0]))
    # The last frame is the input plane shaded by class: both class colours are on screen.
    assert frame.shape == (90, 160, 4)
    rgb = frame[:, :, :3].astype(int)
    reds = rgb[:, :, 0] - rgb[:, :, 2] > 15
    blues = rgb[:, :, 2] - rgb[:, :, 0] > 15
    assert reds.any() and blues.any()


def test_user_mistake_in_a_subclass_exits_2(tmp_path, capsys):
    class Typo(MorphScene):
        activation = "rellu"

    with tempconfig({**TINY, "media_dir": str(tmp_path / "media")}):
        with pytest.raises(SystemExit) as info:
            Typo().render()
    assert info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unknown activation 'rellu'" in err[0]
