"""Dry-run renders of every other scene: datasets, mixed activations, poster; and the boundary
carried through the stages. (Comparison and training: tests/test_comparison_training.py.)"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from manim import tempconfig

from model.geometry.boundary import class_probability
from scenes.datasets import LinearFails, MoonsMorph, SpiralMorph, XorMorph
from scenes.morph import ReluMorph, ReluTanhMorph
from scenes.poster import StagesPoster
from tests.conftest import TINY, render_recording


def _has_both_classes(frame: np.ndarray) -> bool:
    rgb = frame[:, :, :3].astype(int)
    return bool(
        ((rgb[:, :, 0] - rgb[:, :, 2]) > 15).any() and ((rgb[:, :, 2] - rgb[:, :, 0]) > 15).any()
    )


@pytest.mark.parametrize(
    "scene_class", [MoonsMorph, SpiralMorph, XorMorph, ReluTanhMorph, LinearFails]
)
def test_dataset_and_activation_scenes(scene_class, shared_cache):
    scene, frame = render_recording(scene_class, shared_cache)
    timeline, stages = scene.morph.timeline, scene.morph.stages
    # Every step that moves anything is played (an identity step is said, not played), then
    # the return to the shaded input plane.
    played = [
        k
        for k in range(1, timeline.n_moves + 1)
        if stages[k].step.kind != "activation" or not stages[k].step.name.startswith("identity")
    ]
    assert [move for move, _, _ in scene.recorded] == [*played, timeline.return_move]
    if scene_class is LinearFails:
        assert len(played) == timeline.n_moves - 2  # its two identity steps
    assert _has_both_classes(frame)
    if scene_class is LinearFails:
        assert scene.morph.accuracy < 0.9  # a linear network cannot separate the circles
    else:
        assert scene.morph.accuracy == 1.0


def test_boundary_is_carried_to_a_line_in_the_logits(shared_cache):
    scene, _ = render_recording(ReluMorph, shared_cache)
    layout, stages = scene.morph.layout, scene.morph.stages
    inputs = stages[0].values[layout.boundary]
    assert len(inputs) > 20
    np.testing.assert_allclose(class_probability(scene.morph.net, inputs), 0.5, atol=1e-6)
    logits = stages[-2].values[layout.boundary]
    np.testing.assert_allclose(logits[:, 0], logits[:, 1], atol=1e-6)  # z₀ = z₁: one line
    # What is drawn at the end of the logit step is that line: the drawn boundary vertices are
    # collinear, on the guide line drawn across the picture.
    logit_step = len(stages) - 2
    drawn = scene.boundaries[logit_step][:, :2]
    centred = drawn - drawn.mean(axis=0)
    spread = np.linalg.svd(centred, compute_uv=False)
    assert spread[1] < 1e-6 * max(spread[0], 1.0)
    (guide,) = scene.morph.timeline.keyframe_frame(logit_step).guides
    direction = (guide[1] - guide[0])[:2] / np.linalg.norm(guide[1] - guide[0])
    normal = np.array([-direction[1], direction[0]])
    assert np.abs((drawn - guide[0][:2]) @ normal).max() < 1e-6


def test_poster_draws_every_stage(shared_cache):
    with tempconfig({**TINY, "media_dir": str(shared_cache.parent / "scene-media")}):
        scene = StagesPoster()
        scene.render()
        frame = scene.renderer.get_frame()
    panels = [m for m in scene.mobjects if hasattr(m, "submobjects") and len(m.submobjects) == 2]
    assert len(panels) == len(scene.morph.stages) + 1  # every stage, then the decision
    # Every panel and title stays inside the frame's 5 % safe margin.
    for panel in panels:
        for part in panel.get_family():
            clip = getattr(part, "clip", None)  # strokes clipped to their panel
            xy = np.reshape(clip, (2, 2)) if clip is not None else part.points[:, :2]
            if len(xy):
                assert np.abs(xy[:, 0]).max() <= 7.112 * 0.9 + 1e-6
                assert np.abs(xy[:, 1]).max() <= 4.0 * 0.9 + 1e-6
    assert _has_both_classes(frame)
    module = scene.morph.net.to_torch()
    with torch.no_grad():
        softmax = module(torch.as_tensor(scene.morph.stages[0].values)).numpy()
    np.testing.assert_allclose(scene.morph.stages[-1].values, softmax, atol=1e-12)
