"""Fold lines lie where a hidden unit's pre-activation is 0, and stay there through the trace."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

from model.errors import NetmorphError
from model.geometry.folds import fold_lines
from model.picture.probability import BOUNDARY, FOLD
from model.pipeline import prepare


def _pre_activation(module, position, unit, points):
    with torch.no_grad():
        body = copy.deepcopy(module[:position]).double()
        return body(torch.as_tensor(points, dtype=torch.float64))[:, unit].numpy()


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "gelu"])
def test_fold_lines_lie_where_the_units_pre_activation_is_zero(trained, activation):
    module = trained(dataset="moons", activation=activation).module
    lines = fold_lines(module, np.array([-1.0, -1.0]), np.array([1.0, 1.0]))
    assert {(line.position, line.unit) for line in lines} >= {(2, 0), (4, 0)}
    for line in lines:
        z = _pre_activation(module, line.position, line.unit, line.curve)
        assert np.abs(z).max() < 1e-9
        assert len(line.curve) > 10  # a curve across the box, not a speck


def test_fold_lines_are_carried_through_every_stage(trained, shared_cache):
    from model.network.defaults import default_config

    config = default_config("moons", "relu")
    morph = prepare(config, shared_cache, folds=True, progress=False)
    lines = fold_lines(morph.checkpoint.net(), *morph.region_box)
    assert morph.layout.fold_lengths == tuple(len(line.curve) for line in lines)
    labels = morph.layout.labels()
    assert (labels[morph.layout.folds] == FOLD).all()
    assert (labels[morph.layout.boundary] == BOUNDARY).all()
    for k, stage in enumerate(morph.stages):
        curves = morph.layout.fold_curves(stage.values)
        for line, curve in zip(lines, curves):
            if k == line.position:  # the activation's input: the unit's z is 0 on its line
                assert np.abs(curve[:, line.unit]).max() < 1e-9
            if k == line.position + 1:  # after ReLU: the fold sits on the unit's zero plane
                assert np.abs(curve[:, line.unit]).max() < 1e-9
        if k == 0:
            np.testing.assert_array_equal(
                np.concatenate(curves), np.concatenate([line.curve for line in lines])
            )


def test_fold_lines_of_a_network_without_folds_are_refused_naming_show_folds(trained):
    module = trained(dataset="moons", activation="tanh").module
    with pytest.raises(NetmorphError, match="show_folds"):
        fold_lines(module, np.array([-1.0, -1.0]), np.array([1.0, 1.0]))
