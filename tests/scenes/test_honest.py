"""Honest pictures: a fixed probability scale, every class visible, the logit boundary drawn."""

from __future__ import annotations

import numpy as np
import pytest
from manim import tempconfig

from model.picture.footprint import class_footprints
from model.picture.probability import BINS, BOX, histogram_picture
from scenes.datasets import LinearFails, MoonsMorph, SpiralMorph, XorMorph
from scenes.kit import style
from scenes.morph import (
    GeluMorph,
    LeakyReluMorph,
    ReluMorph,
    ReluTanhMorph,
    SigmoidMorph,
    SiluMorph,
    TanhMorph,
)
from tests.conftest import TINY, scene_media

FLOOR = 0.003  # each class covers at least 0.3 % of the frame at the end of every step
BUILT_IN = [
    ReluMorph,
    TanhMorph,
    GeluMorph,
    SigmoidMorph,
    LeakyReluMorph,
    SiluMorph,
    ReluTanhMorph,
    MoonsMorph,
    SpiralMorph,
    XorMorph,
    LinearFails,
]


def _prepared(scene_class, shared_cache):
    """The scene's traced network and timeline, as its render would draw them (no frames)."""
    with tempconfig({**TINY, "media_dir": str(scene_media(shared_cache))}):
        scene = scene_class()
        scene.setup()
    return scene


def test_histogram_x_is_p_to_within_a_bin_and_its_box_is_fixed():
    rng = np.random.default_rng(0)
    for p in (rng.uniform(0, 1, 500), 0.5 + rng.uniform(-0.03, 0.03, 500), np.ones(500)):
        labels = rng.integers(0, 2, 500)
        picture = histogram_picture(p, labels)
        assert np.abs(picture[:, 0] - p).max() <= 1 / BINS
        # Class 0 above the axis, class 1 below, all inside the fixed box.
        assert (picture[labels == 0, 1] > 0).all() and (picture[labels == 1, 1] < 0).all()
        assert (picture >= BOX[0]).all() and (picture <= BOX[1]).all()


def test_the_probability_scale_does_not_adapt_to_the_data(shared_cache):
    relu, linear = (_prepared(c, shared_cache).morph.timeline for c in (ReluMorph, LinearFails))
    k = relu.n_moves
    assert k in relu.fixed and linear.n_moves in linear.fixed
    # The same 0..1 axis in the same place, whatever the network's probabilities.
    scale, offset = relu.fit(relu.boxes[k])
    other_scale, other_offset = linear.fit(linear.boxes[linear.n_moves])
    assert other_scale == pytest.approx(scale)
    np.testing.assert_allclose(other_offset, offset)
    for timeline, lo, hi in ((relu, 0.0, 1.0), (linear, 0.4, 0.6)):
        points = timeline.keyframe_frame(timeline.n_moves).points[timeline.data_rows]
        p = (points[:, 0] - offset[0]) / scale
        assert p.min() >= lo - 1 / BINS and p.max() <= hi + 1 / BINS
    # ReLU is confident: its classes reach both ends; LinearFails hovers in the middle.
    ends = (relu.keyframe_frame(k).points[relu.data_rows, 0] - offset[0]) / scale
    assert ends.min() < 0.05 and ends.max() > 0.95


@pytest.mark.parametrize("scene_class", BUILT_IN, ids=lambda c: c.__name__)
def test_every_class_is_visible_at_the_end_of_every_step(scene_class, shared_cache):
    scene = _prepared(scene_class, shared_cache)
    timeline, layout = scene.morph.timeline, scene.morph.layout
    sizes = [s.stop - s.start for s in layout.classes]
    order = sorted(range(len(sizes)), key=lambda k: -sizes[k])  # as MorphPicture draws them
    for k in range(timeline.n_moves + 1):
        classes, _, _ = layout.split(timeline.keyframe_frame(k).points)
        shares = class_footprints(classes, order, style.DOT_RADIUS, frame=timeline.frame_size)
        marked = {
            c: (centre, reach) for c, centre, reach, _ in timeline.collapsed(k, style.DOT_RADIUS)
        }
        for c, share in enumerate(shares):
            assert share >= FLOOR or c in marked, f"stage {k}, class {c}: {share:.4%}"
            if c in marked:  # the ring drawn round it holds every one of its points
                centre, reach = marked[c]
                assert np.linalg.norm(classes[c] - centre, axis=1).max() <= reach + 0.15 + 1e-9


def test_the_logits_draw_their_straight_boundary_across_the_picture(shared_cache):
    timeline = _prepared(ReluMorph, shared_cache).morph.timeline
    k = timeline.n_moves - 1  # the logits, before softmax: a number line of z₁ − z₀
    assert k in timeline.plan.special and not timeline.guide_lines(k)
    frame = timeline.keyframe_frame(k)
    (line,) = frame.guides
    length = float(np.linalg.norm(line[1] - line[0]))
    assert length > 0.9 * timeline.area.height
    # It is the line z₁ − z₀ = 0, upright: the network's boundary vertices lie on it.
    boundary = frame.points[timeline.labels == -2][:, :2]
    assert np.ptp(line[:, 0]) < 1e-12
    np.testing.assert_allclose(boundary[:, 0], line[0, 0], atol=1e-9)
