"""Building the network from a config, and the user mistakes it rejects."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from model.errors import NetmorphError
from model.network.activations import ACTIVATIONS, LEAKY_SLOPE
from model.network.config import Config
from model.network.layers import build_network, describe_steps


def test_default_is_the_recipe_chain():
    module = build_network(Config())
    kinds = [type(m) for m in module]
    assert kinds == [nn.Linear, nn.Linear, nn.ReLU, nn.Linear, nn.ReLU, nn.Linear, nn.Softmax]
    shapes = [(m.in_features, m.out_features) for m in module if isinstance(m, nn.Linear)]
    assert shapes == [(2, 3), (3, 3), (3, 3), (3, 2)]


def test_steps_are_named_and_labelled():
    steps = describe_steps(build_network(Config(activation="gelu")))
    assert [s.name for s in steps] == [
        "dense1_2to3",
        "dense2_3to3",
        "gelu2",
        "dense3_3to3",
        "gelu3",
        "dense4_3to2",
        "softmax",
    ]
    assert steps[1].label == "Dense 3→3: W₂h + b₂"
    assert steps[2].label == "GELU: z·Φ(z)"
    assert steps[-1].label == "softmax: class probabilities"


# Every activation's formula, written out in numpy as its on-screen label states it.
FORMULAS = {
    "relu": lambda z: np.maximum(0.0, z),
    "tanh": np.tanh,
    "gelu": lambda z: z * 0.5 * (1.0 + np.vectorize(math.erf)(z / math.sqrt(2.0))),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "leaky_relu": lambda z: np.maximum(LEAKY_SLOPE * z, z),
    "silu": lambda z: z / (1.0 + np.exp(-z)),
    "elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0))),
    "softplus": lambda z: np.log1p(np.exp(z)),
    "identity": lambda z: z,
}


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_every_activation_builds_and_computes_its_formula(name):
    module = build_network(Config(activation=name, hidden=(4, 5)))
    assert sum(isinstance(m, nn.Linear) for m in module) == 3
    bends = [m for m in module if not isinstance(m, (nn.Linear, nn.Softmax))]
    assert len(bends) == 1  # after every hidden layer but the first, as in the recipe
    z = np.linspace(-6.0, 6.0, 241)
    for bend in bends:
        with torch.no_grad():
            computed = bend(torch.as_tensor(z)).numpy()
        np.testing.assert_allclose(computed, FORMULAS[name](z), rtol=1e-6, atol=1e-9)


def test_the_formulas_cover_every_activation():
    assert set(FORMULAS) == set(ACTIVATIONS)


def test_mixed_activations_per_layer():
    steps = describe_steps(build_network(Config(activation=("relu", "tanh"))))
    assert [s.name for s in steps if s.kind == "activation"] == ["relu2", "tanh3"]


def test_unknown_activation_lists_the_valid_ones():
    with pytest.raises(NetmorphError) as info:
        Config(activation="swish")
    message = str(info.value)
    assert "swish" in message
    for name in ACTIVATIONS:
        assert name in message


@pytest.mark.parametrize(
    ("hidden", "fragment"),
    [
        ((), "bad hidden widths"),
        ((3, 0), "bad hidden widths"),
        ((3, -1), "bad hidden widths"),
        ((3, 1000), "bad hidden widths"),
        ((3, 2.5), "whole numbers"),
        (3, r"write hidden = \(3,\)"),
        ((3,) * 9, "1 to 8 layers"),
    ],
)
def test_bad_widths_are_clear_errors(hidden, fragment):
    with pytest.raises(NetmorphError, match=fragment):
        Config(hidden=hidden)


def test_a_wrong_number_of_activations_names_both_counts():
    with pytest.raises(NetmorphError, match="3 activations given for 2 activated layers"):
        Config(activation=("relu", "tanh", "gelu"))


def test_config_json_round_trip_and_key():
    config = Config(activation=("relu", "tanh"), hidden=(3, 4, 3), seed=7)
    assert Config.from_json(config.to_json()) == config
    assert config.key().startswith("circles-relu-tanh-3x4x3-s7-")
    assert config.key() != Config(seed=8).key()
