"""A cached network is drawn in numpy, without torch; torch is the oracle it is compared with.

(That a cached render never imports torch is checked in a fresh process:
tests/cli/test_import_costs.py.)
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from torch import nn

from model.data.registry import load_dataset
from model.geometry.boundary import decision_boundary
from model.network.activations import ACTIVATIONS
from model.network.config import Config
from model.network.layers import build_network
from model.network.numpy_net import ELEMENTWISE, NumpyNet, as_numpy, layer_shapes
from model.network.own import check_user_network
from model.network.steps import describe_steps
from model.pipeline import prepare
from model.train.checkpoint_reader import read_checkpoint
from model.train.checkpoints import checkpoint_path, load
from model.train.results import accuracy, as_trained


def test_every_activation_has_a_numpy_twin_equal_to_torch():
    assert set(ELEMENTWISE) == set(ACTIVATIONS)
    z = np.r_[np.linspace(-30, 30, 601), -1e3, 1e3, 0.0]
    for name, act in ACTIVATIONS.items():
        with torch.no_grad():
            expected = act.make()(torch.as_tensor(z)).numpy()
        np.testing.assert_allclose(ELEMENTWISE[name](z), expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    "config",
    [
        Config(),
        Config(hidden=(3, 8, 8), activation="gelu"),
        Config(hidden=(2,), activation="tanh"),
        Config(dataset="spiral3", hidden=(8, 8), activation="relu"),
    ],
)
def test_layer_shapes_are_the_torch_networks(config):
    expected = {k: tuple(v.shape) for k, v in build_network(config).state_dict().items()}
    assert layer_shapes(config) == expected


@pytest.mark.parametrize("activation", ["relu", "tanh", "gelu"])
def test_a_checkpoint_read_without_torch_computes_what_torch_computes(
    trained, shared_cache, activation
):
    config = Config(activation=activation)
    trained(activation=activation)  # cached in shared_cache
    path = checkpoint_path(config, shared_cache)
    net = read_checkpoint(path, config).net()
    module = copy.deepcopy(load(path, config).module).double()
    x = np.random.default_rng(0).uniform(-1.5, 1.5, size=(500, 2))
    with torch.no_grad():
        for k in range(len(module) + 1):
            expected = module[:k](torch.as_tensor(x)).numpy() if k else x
            np.testing.assert_allclose(net[:k](x), expected, rtol=0, atol=1e-12)
    assert isinstance(as_numpy(module), NumpyNet)


@pytest.mark.parametrize("affine_path", ["polar", "linear"])
def test_a_cached_morph_equals_torchs_trace_boundary_map_and_accuracy(
    trained, shared_cache, affine_path
):
    config = Config(activation="relu")
    module = copy.deepcopy(trained(activation="relu").module).double()
    morph = prepare(config, shared_cache, affine_route=affine_path, progress=False)
    assert morph.checkpoint.cached
    points = morph.stages[0].values
    with torch.no_grad():
        # The traced network (reordered for the polar route) computes torch's function.
        probabilities = module(torch.as_tensor(points)).numpy()
        np.testing.assert_allclose(morph.stages[-1].values, probabilities, atol=1e-12)
        # Every boundary vertex is where torch's network is undecided.
        curves = decision_boundary(module, *morph.region_box)
        boundary = np.concatenate(curves)
        p = module(torch.as_tensor(boundary)).numpy()
        np.testing.assert_allclose(p[:, 1], 0.5, atol=1e-9)
        # The shaded plane is torch's decision at each cell centre.
        lo, hi = morph.region_box
        r = morph.regions.shape[0]
        xs = lo[0] + (np.arange(r) + 0.5) / r * (hi[0] - lo[0])
        ys = hi[1] - (np.arange(r) + 0.5) / r * (hi[1] - lo[1])
        cells = np.stack(np.meshgrid(xs, ys, indexing="xy"), axis=-1).reshape(-1, 2)
        decided = module(torch.as_tensor(cells)).argmax(-1).numpy().reshape(r, r)
    assert (morph.regions == decided).mean() > 0.999  # ties on the boundary itself aside
    assert morph.accuracy == accuracy(module, load_dataset(config.dataset))
    assert len(load_dataset(config.dataset).x_train)


def _own_network() -> nn.Sequential:
    """A user's own 3-class network with every option the numpy twin must carry."""
    torch.manual_seed(0)
    module = nn.Sequential(
        nn.Linear(2, 6),
        nn.ELU(),
        nn.Linear(6, 5),
        nn.Softplus(threshold=1.5),
        nn.Linear(5, 5),
        nn.LeakyReLU(0.3),
        nn.Linear(5, 4, bias=False),
        nn.Identity(),
        nn.Linear(4, 4),
        nn.GELU(approximate="tanh"),
        nn.Linear(4, 3),
    )
    with torch.no_grad():  # untrained, one class wins everywhere; steeper, two share the plane
        for layer in module:
            if isinstance(layer, nn.Linear):
                layer.weight.mul_(3.0)
    return module


def test_a_users_own_network_is_computed_in_numpy_as_torch_computes_it():
    module = check_user_network(_own_network(), 3).double()
    net = as_numpy(module)
    x = np.random.default_rng(1).uniform(-3, 3, size=(400, 2))
    with torch.no_grad():
        for k in range(1, len(module) + 1):
            expected = module[:k](torch.as_tensor(x)).numpy()
            np.testing.assert_allclose(net[:k](x), expected, rtol=0, atol=1e-12)
    back = net.to_torch()
    with torch.no_grad():
        np.testing.assert_allclose(back(torch.as_tensor(x)).numpy(), module(torch.as_tensor(x)))


def test_a_users_own_leaky_slope_is_named_on_screen():
    labels = [step.label for step in describe_steps(as_numpy(_own_network()))]
    assert "leaky ReLU: max(0.3z, z)" in labels


def test_a_module_without_an_exact_numpy_twin_is_refused():
    with pytest.raises(TypeError, match="no numpy twin"):
        as_numpy(nn.Sequential(nn.Linear(2, 2), nn.ELU(alpha=2.0)))


def test_a_users_own_three_class_network_is_drawn_as_torch_computes_it():
    own = _own_network()
    # Softplus jumps at a low threshold (1.5: from 1.70 to 1.5), and bisection puts tie vertices
    # right on the jump, where float rounding picks a side: the smooth default here.
    own[3] = nn.Softplus()
    module = check_user_network(own, 3)
    morph = prepare(
        Config(dataset="spiral3"),
        None,
        trained=as_trained(module, "spiral3"),
        folds=True,
        progress=False,
    )
    points = morph.stages[0].values
    with torch.no_grad():
        probabilities = copy.deepcopy(module).double()(torch.as_tensor(points)).numpy()
    np.testing.assert_allclose(morph.stages[-1].values, probabilities, atol=1e-12)
    assert morph.accuracy == accuracy(module, load_dataset("spiral3"))
    # Every tie vertex: the top two of torch's logits are equal there.
    ties = morph.stages[0].values[morph.layout.boundary]
    assert len(ties) > 0
    with torch.no_grad():
        z = copy.deepcopy(module).double()[:-1](torch.as_tensor(ties)).numpy()
    top = np.sort(z, axis=1)[:, -2:]
    np.testing.assert_allclose(top[:, 1] - top[:, 0], 0.0, atol=1e-8)
