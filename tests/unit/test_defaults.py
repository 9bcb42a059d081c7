"""Each built-in dataset's default network reaches 100 %; identity keeps its best instead."""

from __future__ import annotations

import pytest

from model.data.registry import DATASETS, load_dataset
from model.network.config import Config
from model.network.defaults import HIDDEN, default_config
from model.train.checkpoints import load_or_train
from model.train.results import accuracy
from model.train.trainer import train


@pytest.mark.parametrize("activation", ["relu", "tanh", "gelu"])
@pytest.mark.parametrize("dataset", DATASETS)
def test_default_network_reaches_full_accuracy(shared_cache, dataset, activation):
    config = default_config(dataset, activation)
    assert config.hidden == HIDDEN[dataset]
    result, _ = load_or_train(config, shared_cache, progress=False)
    assert result.accuracy == 1.0
    data = load_dataset(dataset)
    independent = accuracy(result.module, data)  # not the trainer's own measure
    assert independent == 1.0
    assert result.seed_used < config.candidates  # the first round of seeds is enough
    assert result.module[-2].out_features == data.n_classes  # one logit per class


def test_circles_default_is_the_recipe():
    config = default_config("circles", "tanh")
    assert config == Config(activation="tanh")  # Config's own defaults are the recipe's
    assert (config.dataset, config.hidden, config.activations) == (
        "circles",
        (3, 3, 3),
        ("tanh",) * 2,
    )


def test_identity_network_keeps_its_best_rather_than_failing():
    assert default_config("circles", "identity").best_effort
    assert default_config("circles", "identity").rounds == 1
    config = default_config("circles", "identity", max_iterations=150, candidates=4)  # fast
    result = train(config, progress=False)
    # One affine map draws one straight boundary: it cannot separate a disk from a ring.
    assert 0.5 <= result.accuracy < 0.75
    assert not result.reached_target
    assert result.iterations == config.max_iterations
    assert accuracy(result.module, load_dataset("circles")) == pytest.approx(
        result.accuracy, abs=2e-3
    )


def test_overrides_win():
    config = default_config("spiral", "relu", hidden=(4, 4), max_iterations=10)
    assert config.hidden == (4, 4) and config.max_iterations == 10
