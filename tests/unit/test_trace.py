"""The trace equals the torch forward pass at every stage (torch is the oracle)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from scipy.special import erf

from model.data.builtin import circles
from model.data.dataset import grid_lines
from model.errors import NetmorphError
from model.geometry.trace import trace
from model.network.config import Config
from model.network.layers import init_network

NUMPY_ACTIVATIONS = {
    "relu": lambda z: np.maximum(z, 0),
    "tanh": np.tanh,
    "gelu": lambda z: 0.5 * z * (1 + erf(z / np.sqrt(2))),
}


def _points():
    data = circles()
    grid = grid_lines(*data.grid_box()).reshape(-1, 2)
    return np.concatenate([*data.x_plot, grid])


@pytest.mark.parametrize("activation", ["relu", "tanh", "gelu"])
def test_every_stage_equals_torch_prefix(trained, activation):
    module = trained(activation=activation).module
    points = _points()
    stages = trace(module, points)
    assert len(stages) == len(module) + 1
    x = torch.as_tensor(points, dtype=torch.float64)
    net64 = copy.deepcopy(module).double()
    with torch.no_grad():
        for k, stage in enumerate(stages):
            expected = net64[:k](x).numpy() if k else points
            np.testing.assert_allclose(stage.values, expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("activation", ["relu", "tanh", "gelu"])
def test_every_stage_equals_numpy(trained, activation):
    """An independent computation: Wx + b, σ(z) and softmax written out in numpy."""
    module = trained(activation=activation).module
    params = [
        (m.weight.double().detach().numpy(), m.bias.double().detach().numpy())
        for m in module
        if isinstance(m, torch.nn.Linear)
    ]
    sigma = NUMPY_ACTIVATIONS[activation]
    h = _points()
    expected = [h]
    for i, (w, b) in enumerate(params):
        h = h @ w.T + b
        expected.append(h)
        if 0 < i < len(params) - 1:
            h = sigma(h)
            expected.append(h)
    e = np.exp(h - h.max(axis=1, keepdims=True))
    expected.append(e / e.sum(axis=1, keepdims=True))
    stages = trace(module, _points())
    assert [s.step.kind for s in stages] == [
        "input",
        "affine",
        "affine",
        "activation",
        "affine",
        "activation",
        "affine",
        "softmax",
    ]
    for stage, values in zip(stages, expected):
        np.testing.assert_allclose(stage.values, values, rtol=1e-10, atol=1e-12)


def test_non_finite_stage_is_a_clear_error(trained):
    module = copy.deepcopy(trained(activation="tanh").module)
    with torch.no_grad():
        module[1].weight[0, 0] = float("nan")
    with pytest.raises(NetmorphError, match="non-finite"):
        trace(module, _points())


EXTRA_ACTIVATIONS = {
    "elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0))),
    # torch's softplus returns z itself above its threshold 20 (a 2e-9 difference there).
    "softplus": lambda z: np.where(z > 20, z, np.log1p(np.exp(-np.abs(z))) + np.maximum(z, 0)),
    "identity": lambda z: z,
}


@pytest.mark.parametrize("activation", list(EXTRA_ACTIVATIONS))
def test_extra_activations_trace_like_torch_and_numpy(activation):
    # Weights scaled up so pre-activations reach well past the bends (and softplus's tails).
    module = init_network(Config(activation=activation, hidden=(3, 4, 3)), seed=3)
    with torch.no_grad():
        for p in module.parameters():
            p.mul_(4)
    points = _points()
    stages = trace(module, points)
    x = torch.as_tensor(points, dtype=torch.float64)
    net64 = copy.deepcopy(module).double()
    sigma = EXTRA_ACTIVATIONS[activation]
    with torch.no_grad():
        for k, stage in enumerate(stages[1:], start=1):
            np.testing.assert_allclose(stage.values, net64[:k](x).numpy(), rtol=0, atol=1e-12)
            if stage.step.kind == "activation":
                np.testing.assert_allclose(
                    stage.values, sigma(stages[k - 1].values), rtol=1e-12, atol=1e-12
                )
    assert [s.step.name for s in stages if s.step.kind == "activation"] == [
        f"{activation}2",
        f"{activation}3",
    ]
