"""Training reaches 100 % on the recipe's data, deterministically."""

from __future__ import annotations

import pytest
import torch

from model.data.registry import load_dataset
from model.errors import NetmorphError
from model.network.config import Config
from model.network.layers import init_network
from model.train.results import accuracy
from model.train.trainer import train

CIRCLES = load_dataset("circles")


@pytest.mark.parametrize("activation", ["relu", "tanh", "gelu"])
def test_reaches_full_accuracy(trained, activation):
    result = trained(activation=activation)
    assert result.accuracy == 1.0
    assert accuracy(result.module, CIRCLES) == 1.0  # measured independently of the trainer
    assert result.seed_used >= 0
    # Seeds passed over are lower than the kept one (none when seed 0 wins).
    assert set(result.stuck_seeds) <= set(range(result.seed_used))


def test_same_config_same_weights():
    a = train(Config(activation="tanh"), progress=False)
    b = train(Config(activation="tanh"), progress=False)
    assert a.seed_used == b.seed_used
    for (ka, va), (kb, vb) in zip(a.module.state_dict().items(), b.module.state_dict().items()):
        assert ka == kb
        assert torch.equal(va, vb)


def test_weights_stay_moderate(trained):
    # Legible stages need moderate weights: no parameter far beyond the data's scale.
    for activation in ("relu", "tanh", "gelu"):
        module = trained(activation=activation).module
        biggest = max(p.abs().max().item() for p in module.parameters())
        assert biggest < 20


def test_hopeless_budget_is_a_clear_error():
    with pytest.raises(NetmorphError, match="reached 100 % accuracy.*raise max_iterations"):
        train(Config(activation="relu", max_iterations=2, rounds=1, candidates=2), progress=False)


def test_snapshots_follow_the_kept_seed():
    config = Config(activation="tanh", snapshot_every=40)
    result = train(config, progress=False)
    plain = train(Config(activation="tanh"), progress=False)
    assert result.seed_used == plain.seed_used  # recording changes nothing about training
    iterations = [s.iteration for s in result.snapshots]
    assert iterations[0] == 0 and iterations[-1] == result.iterations
    assert iterations[:-1] == list(range(0, result.iterations, 40))
    assert result.snapshots[-1].accuracy == 1.0
    assert result.snapshots[0].accuracy < 1.0  # the initial weights are not yet right
    # The first snapshot is the seed's initial network; the last is the kept network.
    initial = init_network(config, result.seed_used).state_dict()
    for key, value in initial.items():
        assert torch.equal(result.snapshots[0].state_dict[key], value)
    for key, value in result.module.state_dict().items():
        assert torch.equal(result.snapshots[-1].state_dict[key], value)
    midway = result.module_at(result.snapshots[len(iterations) // 2])
    acc = accuracy(midway, CIRCLES)
    assert acc == pytest.approx(result.snapshots[len(iterations) // 2].accuracy, abs=2e-3)


def test_lower_target_stops_sooner():
    full = train(Config(activation="tanh", settle_iterations=0), progress=False)
    rough = train(
        Config(activation="tanh", settle_iterations=0, target_accuracy=0.8), progress=False
    )
    assert 0.8 <= rough.accuracy < 1.0 and rough.reached_target
    assert rough.iterations < full.iterations


def test_best_effort_keeps_the_most_accurate_candidate():
    config = Config(activation="relu", max_iterations=5, rounds=1, candidates=3, best_effort=True)
    result = train(config, progress=False)
    assert not result.reached_target and result.iterations == 5
    assert result.accuracy == pytest.approx(accuracy(result.module, CIRCLES), abs=2e-3)
    assert "best was kept" in result.summary()


@pytest.mark.parametrize(
    "bad", [{"target_accuracy": 0.0}, {"target_accuracy": 1.5}, {"snapshot_every": -1}]
)
def test_bad_training_options_are_clear_errors(bad):
    with pytest.raises(NetmorphError, match="target accuracy|snapshot_every"):
        Config(**bad)
