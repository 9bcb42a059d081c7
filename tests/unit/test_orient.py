"""Reordering hidden units keeps the network's function and makes square layers keep orientation."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from torch import nn

from model.errors import NetmorphError
from model.geometry.orient import orient_hidden_units, reflecting_layers
from model.network.config import Config
from model.network.layers import init_network
from model.network.numpy_net import Affine, as_numpy


def _square_dets(module):
    return [
        float(np.linalg.det(m.weight))
        for m in as_numpy(module)
        if isinstance(m, Affine) and m.in_features == m.out_features
    ]


def _same_function(oriented, module, x):
    """The oriented NumpyNet computes what the torch network computes (torch is the oracle)."""
    with torch.no_grad():
        expected = copy.deepcopy(module).double()(x.double()).numpy()
    np.testing.assert_allclose(oriented(x.numpy()), expected, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("hidden", [(3, 3, 3), (8, 8), (3, 5, 5, 3)])
@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("seed", range(4))
def test_same_function_and_every_square_layer_keeps_orientation(hidden, activation, seed):
    module = init_network(Config(hidden=hidden, activation=activation), seed=seed)
    oriented = orient_hidden_units(module)
    x = torch.randn(200, 2, generator=torch.Generator().manual_seed(seed))
    _same_function(oriented, module, x)
    assert all(d > 0 for d in _square_dets(oriented))
    assert reflecting_layers(oriented) == []


def test_the_input_network_is_left_untouched():
    module = init_network(Config(), seed=1)  # seed 1: the recipe module has a reflecting layer
    before = [p.detach().clone() for p in module.parameters()]
    assert reflecting_layers(module)
    orient_hidden_units(module)
    for p, q in zip(before, module.parameters()):
        assert torch.equal(p, q)


def test_a_chain_pinned_at_both_ends_keeps_at_most_one_reflection():
    # 2→2→2→2: every layer is square, the input and output cannot be permuted: three parity
    # constraints on two swaps, so one layer may have to keep det < 0.
    for seed in range(8):
        module = init_network(Config(hidden=(2, 2), activation="tanh"), seed=seed)
        oriented = orient_hidden_units(module)
        x = torch.randn(50, 2)
        _same_function(oriented, module, x)
        product = np.prod(_square_dets(module))
        # Swaps flip dets in pairs, so the sign of the product of dets is invariant.
        assert len(reflecting_layers(oriented)) == (1 if product < 0 else 0)


def test_softmax_between_layers_is_refused():
    module = nn.Sequential(nn.Linear(2, 3), nn.Softmax(dim=-1), nn.Linear(3, 3), nn.Linear(3, 2))
    with pytest.raises(NetmorphError, match="softmax"):
        orient_hidden_units(module)
