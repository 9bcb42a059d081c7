"""Training reaches 100 % on the recipe's data, deterministically."""

from __future__ import annotations

import pytest
import torch

from model.config import Config
from model.errors import NetmorphError
from model.train import accuracy, train


@pytest.mark.parametrize("activation", ["relu", "tanh", "gelu"])
def test_reaches_full_accuracy(trained, activation):
    result = trained(activation=activation)
    assert result.accuracy == 1.0
    assert accuracy(result.net, "circles") == 1.0  # measured independently of the trainer
    assert result.seed_used >= 0
    assert set(result.stuck_seeds) < set(range(result.seed_used))


def test_same_config_same_weights():
    a = train(Config(activation="tanh"), progress=False)
    b = train(Config(activation="tanh"), progress=False)
    assert a.seed_used == b.seed_used
    for (ka, va), (kb, vb) in zip(a.net.state_dict().items(), b.net.state_dict().items()):
        assert ka == kb
        assert torch.equal(va, vb)


def test_weights_stay_moderate(trained):
    # Legible stages need moderate weights: no parameter far beyond the data's scale.
    for activation in ("relu", "tanh", "gelu"):
        net = trained(activation=activation).net
        biggest = max(p.abs().max().item() for p in net.parameters())
        assert biggest < 20


def test_hopeless_budget_is_a_clear_error():
    with pytest.raises(NetmorphError, match="reached 100 % accuracy.*try another --seed"):
        train(Config(activation="relu", max_steps=2, rounds=1, candidates=2), progress=False)
