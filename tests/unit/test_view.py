"""Views: the recipe's first two coordinates, PCA and 3-D, with straight or polar affine routes,
fitted to the frame at every moment."""

from __future__ import annotations

import numpy as np
import pytest

from model.errors import NetmorphError
from model.geometry.orient import orient_hidden_units
from model.geometry.projections import project
from model.geometry.trace import Stage, trace
from model.network.config import Config
from model.network.layers import Step, init_network
from model.picture.camera import MARGIN
from model.picture.probability import BINS
from model.picture.view import INPUT_MOVE, Area, Ball, MorphTimeline

AREA = Area(center=(0.0, -0.3), width=12.4, height=6.4)


def _stages(rng):
    """Synthetic stages with very different scales, widths and a collapsed one."""
    base = rng.normal(size=(400, 2))
    values = [
        base,
        np.c_[base * 50, rng.normal(size=400)],  # big, 3-D
        np.c_[np.maximum(base, 0) * 0.01, np.zeros(400)],  # tiny, folded onto the axes
        np.c_[base[:, 0] * 4, np.zeros(400)],  # flat: all on a line
        rng.normal(size=(400, 2)) + [100, -40],  # far from the origin
    ]
    return [Stage(Step("affine", f"s{i}", f"s{i}"), v) for i, v in enumerate(values)]


def test_every_point_stays_in_the_area_at_every_moment():
    timeline = MorphTimeline(_stages(np.random.default_rng(0)), AREA)
    lo = np.array(AREA.center) - [AREA.width / 2, AREA.height / 2]
    hi = np.array(AREA.center) + [AREA.width / 2, AREA.height / 2]
    for move in range(1, timeline.n_moves + 1):
        for t in np.linspace(0, 1, 41):
            xy = timeline.frame_at(move, t).points[:, :2]
            assert np.isfinite(xy).all()
            assert (xy >= lo - 1e-9).all() and (xy <= hi + 1e-9).all()


def test_zoom_is_continuous_across_and_within_steps():
    timeline = MorphTimeline(_stages(np.random.default_rng(1)), AREA)
    for move in range(1, timeline.n_moves):
        np.testing.assert_allclose(
            timeline.frame_at(move, 1.0).points, timeline.frame_at(move + 1, 0.0).points
        )
    # Within a step, small steps in t move points by small amounts (no jumps).
    ts = np.linspace(0, 1, 801)
    for move in range(1, timeline.n_moves + 1):
        frames = np.stack([timeline.frame_at(move, t).points for t in ts])
        assert np.abs(np.diff(frames, axis=0)).max() < 0.2


def test_keyframes_are_similar_copies_of_the_first_two_coordinates():
    stages = _stages(np.random.default_rng(2))
    timeline = MorphTimeline(stages, AREA)
    for move, stage in enumerate(stages):
        drawn = (
            timeline.frame_at(move, 1.0).points[:, :2]
            if move
            else timeline.frame_at(INPUT_MOVE, 0.0).points[:, :2]
        )
        truth = stage.values[:, :2]
        # One positive scale and one offset for all points: solve, then check the residual.
        design = np.c_[truth.reshape(-1), np.tile(np.eye(2), (len(truth), 1))]
        coef, *_ = np.linalg.lstsq(design, drawn.reshape(-1), rcond=None)
        assert coef[0] > 0
        np.testing.assert_allclose(design @ coef, drawn.reshape(-1), atol=1e-9)


def test_picture_fills_the_area():
    # Nothing collapses to a speck: each keyframe spans the area in one direction, less only
    # the framing margin around the data.
    timeline = MorphTimeline(_stages(np.random.default_rng(3)), AREA)
    fill = 1 / (1 + 2 * MARGIN)
    for move in range(5):
        xy = timeline.frame_at(move, 1.0).points[:, :2]
        extent = xy.max(0) - xy.min(0)
        assert extent[0] == pytest.approx(AREA.width * fill) or extent[1] == pytest.approx(
            AREA.height * fill
        )


def test_everything_at_one_point_stays_finite():
    stages = _stages(np.random.default_rng(4))[:2]
    stages.append(Stage(Step("affine", "dead", "dead"), np.full((400, 2), 3.0)))
    timeline = MorphTimeline(stages, AREA)
    for t in np.linspace(0, 1, 11):
        assert np.isfinite(timeline.frame_at(2, t).points).all()
    np.testing.assert_allclose(
        timeline.frame_at(2, 1.0).points[:, :2], [AREA.center] * 400, atol=1e-5
    )


# Views × affine routes, on real networks ---------------------------------------------------------

BALL = Ball(center=(0.0, 0.0, 0.0), radius=2.5)
COMBOS = [(v, a) for v in ("first2", "pca", "readout", "3d") for a in ("linear", "polar")]


def _traced(hidden, activation="tanh", seed=0, n=120):
    module = orient_hidden_units(init_network(Config(hidden=hidden, activation=activation), seed))
    points = np.random.default_rng(seed).uniform(-1.5, 1.5, size=(n, 2))
    return module, trace(module, points)


def _timeline(hidden, view, affine_path, activation="tanh"):
    module, stages = _traced(hidden, activation)
    area = BALL if view == "3d" else AREA
    return MorphTimeline(stages, area, view=view, affine_route=affine_path, net=module), stages


def _similarity_residual(truth, drawn):
    """Fit drawn ≈ s·truth + offset (one s > 0, one offset); return s and the worst residual."""
    n, p = truth.shape
    design = np.c_[truth.reshape(-1), np.tile(np.eye(p), (n, 1))]
    coef, *_ = np.linalg.lstsq(design, drawn.reshape(-1), rcond=None)
    return coef[0], np.abs(design @ coef - drawn.reshape(-1)).max()


@pytest.mark.parametrize("hidden", [(3, 3, 3), (8, 8)])
@pytest.mark.parametrize(("view", "affine_path"), COMBOS)
def test_every_step_lands_exactly_on_the_stage_picture(hidden, view, affine_path):
    timeline, stages = _timeline(hidden, view, affine_path)
    p = timeline.dims
    for k, stage in enumerate(stages):
        picture = project(stage.values, timeline.bases[k])  # the stage seen in its frame
        if view == "first2":
            np.testing.assert_array_equal(picture, stage.values[:, :2])
        if view == "3d" and stage.width <= 3:
            np.testing.assert_array_equal(picture[:, : stage.width], stage.values)
        drawn = timeline.frame_at(k, 1.0).points if k else timeline.frame_at(INPUT_MOVE, 0.0).points
        if k in timeline.fixed:
            # Softmax on the fixed probability axis: x is p(class 1), to within one bin.
            scale, offset = timeline.fit(timeline.boxes[k])
            x = (drawn[:, 0] - offset[0]) / scale
            assert np.abs(x - stage.values[:, 1]).max() <= 1 / BINS + 1e-12
            continue
        if k in timeline.plan.special:
            # The two-class logits on their number line: x is z₁ − z₀ at the frame's scale, to
            # within one bin of the stacks; 0 is where the boundary's guide stands.
            frame = timeline.frame_at(k, 1.0)
            line = timeline.plan.line
            zero = frame.guides[0][0, 0]
            margin = stage.values[:, 1] - stage.values[:, 0]
            bin_width = (line.hi - line.lo) / BINS * frame.scale
            assert np.abs(drawn[:, 0] - (zero + frame.scale * margin)).max() <= bin_width + 1e-9
            continue
        if p == 2:  # a sliver's ↑ is drawn stretched, as its scale bar says
            picture = picture @ timeline.plan.stretch_matrix(k)
        scale, residual = _similarity_residual(picture, drawn[:, :p])
        assert scale > 0 and residual < 1e-9
        if p == 2:
            assert (drawn[:, 2] == 0).all()


@pytest.mark.parametrize("hidden", [(3, 3, 3), (8, 8)])
@pytest.mark.parametrize(("view", "affine_path"), COMBOS)
def test_every_combination_moves_continuously_and_stays_in_its_region(hidden, view, affine_path):
    timeline, _ = _timeline(hidden, view, affine_path)
    ts = np.linspace(0, 1, 161)
    for move in range(1, timeline.n_moves + 1):
        frames = np.stack([timeline.frame_at(move, t).points for t in ts])  # (161, n, 3)
        assert np.isfinite(frames).all()
        if view == "3d":
            radius = np.linalg.norm(frames - np.asarray(BALL.center), axis=2)
            assert radius.max() <= BALL.radius + 1e-9
        else:
            lo = np.array(AREA.center) - [AREA.width / 2, AREA.height / 2]
            hi = np.array(AREA.center) + [AREA.width / 2, AREA.height / 2]
            assert (frames[..., :2] >= lo - 1e-9).all() and (frames[..., :2] <= hi + 1e-9).all()
        jumps = np.abs(np.diff(frames, axis=0)).max(axis=(1, 2))
        assert jumps.max() < 0.5
        # No hidden jump: inside the fastest interval, ten sub-steps each move a fraction of it.
        i = int(jumps.argmax())
        sub = np.stack(
            [timeline.frame_at(move, t).points for t in np.linspace(ts[i], ts[i + 1], 11)]
        )
        assert np.abs(np.diff(sub, axis=0)).max() < 0.3 * jumps[i] + 1e-12
        if move < timeline.n_moves:  # across steps: the end of one is the start of the next
            np.testing.assert_array_equal(
                timeline.frame_at(move, 1.0).points, timeline.frame_at(move + 1, 0.0).points
            )


def test_3d_view_shows_three_wide_stages_in_real_3d():
    timeline, stages = _timeline((3, 3, 3), "3d", "polar")
    for k, stage in enumerate(stages):
        drawn = timeline.frame_at(k, 1.0).points if k else timeline.frame_at(INPUT_MOVE, 0.0).points
        if stage.width == 2:
            assert np.ptp(drawn[:, 2]) < 1e-12  # in the z = 0 plane (of the ball's centre)
        else:
            assert np.ptp(drawn[:, 2]) > 0.1  # a real third dimension
        box = np.stack([drawn.min(0), drawn.max(0)])
        np.testing.assert_allclose(box.mean(0), BALL.center, atol=1e-9)  # centred for orbiting
        assert np.linalg.norm(box[1] - box[0]) / 2 == pytest.approx(BALL.radius / (1 + 2 * MARGIN))


def test_default_is_the_recipe_first2_linear():
    _, stages = _traced((3, 3, 3))
    default = MorphTimeline(stages, AREA)
    # Every step that is not into the logits' number line or the fixed probability scale moves
    # along the recipe's straight line (1−u)·x + u·f(x) in the first two coordinates, drawn as
    # they are (no turn).
    moving = [move for move in range(1, default.n_moves + 1) if not default.plan.blended(move)]
    assert len(moving) == default.n_moves - 2  # all but the steps into the logits and softmax
    for move in moving:
        for u in (0.0, 0.25, 0.6, 1.0):
            plane, _ = default.picture_at(move, u)
            line = (1 - u) * stages[move - 1].values[:, :2] + u * stages[move].values[:, :2]
            np.testing.assert_allclose(plane, line, atol=1e-12)


def test_user_mistakes_name_the_fix():
    _, stages = _traced((3, 3, 3))
    with pytest.raises(NetmorphError, match="net="):
        MorphTimeline(stages, view="pca", affine_route="polar")
    other, _ = _traced((3, 3, 3), seed=1)
    with pytest.raises(NetmorphError, match="not computed by this network"):
        MorphTimeline(stages, affine_route="polar", net=other)
    with pytest.raises(NetmorphError, match="Ball"):
        MorphTimeline(stages, AREA, view="3d")
    with pytest.raises(NetmorphError, match="'linear', 'polar'"):
        MorphTimeline(stages, affine_route="spiral")
