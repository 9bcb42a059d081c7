"""The recipe's view: first two coordinates, fitted to the frame at every moment."""

from __future__ import annotations

import numpy as np
import pytest

from model.network import Step
from model.trace import Stage
from model.view import Area, MorphPath

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
    path = MorphPath(_stages(np.random.default_rng(0)), AREA)
    lo = np.array(AREA.center) - [AREA.width / 2, AREA.height / 2]
    hi = np.array(AREA.center) + [AREA.width / 2, AREA.height / 2]
    for step in range(1, path.n_steps + 1):
        for t in np.linspace(0, 1, 41):
            xy = path.scene_at(step, t)[:, :2]
            assert np.isfinite(xy).all()
            assert (xy >= lo - 1e-9).all() and (xy <= hi + 1e-9).all()


def test_zoom_is_continuous_across_and_within_steps():
    path = MorphPath(_stages(np.random.default_rng(1)), AREA)
    for step in range(1, path.n_steps):
        np.testing.assert_allclose(path.scene_at(step, 1.0), path.scene_at(step + 1, 0.0))
    # Within a step, small steps in t move points by small amounts (no jumps).
    ts = np.linspace(0, 1, 801)
    for step in range(1, path.n_steps + 1):
        frames = np.stack([path.scene_at(step, t) for t in ts])
        assert np.abs(np.diff(frames, axis=0)).max() < 0.2


def test_keyframes_are_similar_copies_of_the_first_two_coordinates():
    stages = _stages(np.random.default_rng(2))
    path = MorphPath(stages, AREA)
    for step, stage in enumerate(stages):
        drawn = path.scene_at(step, 1.0)[:, :2] if step else path.scene_at(0, 0.0)[:, :2]
        truth = stage.values[:, :2]
        # One positive scale and one offset for all points: solve, then check the residual.
        design = np.c_[truth.reshape(-1), np.tile(np.eye(2), (len(truth), 1))]
        coef, *_ = np.linalg.lstsq(design, drawn.reshape(-1), rcond=None)
        assert coef[0] > 0
        np.testing.assert_allclose(design @ coef, drawn.reshape(-1), atol=1e-9)


def test_picture_fills_the_area():
    # Nothing collapses to a speck: each keyframe touches the area's edges in one direction.
    path = MorphPath(_stages(np.random.default_rng(3)), AREA)
    for step in range(5):
        xy = path.scene_at(step, 1.0)[:, :2]
        extent = xy.max(0) - xy.min(0)
        assert extent[0] == pytest.approx(AREA.width) or extent[1] == pytest.approx(AREA.height)


def test_everything_at_one_point_stays_finite():
    stages = _stages(np.random.default_rng(4))[:2]
    stages.append(Stage(Step("affine", "dead", "dead"), np.full((400, 2), 3.0)))
    path = MorphPath(stages, AREA)
    for t in np.linspace(0, 1, 11):
        assert np.isfinite(path.scene_at(2, t)).all()
    np.testing.assert_allclose(path.scene_at(2, 1.0)[:, :2], [AREA.center] * 400, atol=1e-5)
