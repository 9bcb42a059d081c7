"""The one choice of a video's network (model.train.choice): defaults, snapshots, your own."""

from __future__ import annotations

from dataclasses import replace

import pytest

from model.errors import NetmorphError
from model.network.config import Config
from model.network.defaults import HIDDEN
from model.train.choice import choose_networks
from tests.conftest import users_module


def test_built_in_data_gets_its_default_network_per_activation_without_training(tmp_path):
    relu, tanh = choose_networks("spiral", ["relu", "tanh"], tmp_path / "cache", seed=4)
    assert relu.config == Config(dataset="spiral", hidden=HIDDEN["spiral"], seed=4)
    assert tanh.config == replace(relu.config, activation=("tanh", "tanh"))
    assert relu.trained is None and relu.search is None and not relu.own
    assert not (tmp_path / "cache").exists()  # nothing trained, nothing read


def test_given_fields_override_the_defaults_and_none_leaves_them():
    (chosen,) = choose_networks(
        "circles", ["gelu"], None, hidden=(3, 5, 3), target_accuracy=None, max_iterations=900
    )
    assert chosen.config == Config(hidden=(3, 5, 3), activation="gelu", max_iterations=900)


def test_snapshots_are_recorded_on_the_same_network():
    (plain,) = choose_networks("moons", ["tanh"], None)
    (recorded,) = choose_networks("moons", ["tanh"], None, snapshot_every=5)
    assert recorded.config == replace(plain.config, snapshot_every=5)
    assert recorded.trained is None  # trained (or loaded) with its snapshots by the caller


def test_your_own_network_is_drawn_as_it_is():
    (chosen,) = choose_networks("moons", ["relu"], None, module=users_module(), owner="Mine")
    assert chosen.own and chosen.trained is not None and chosen.search is None
    assert chosen.config == chosen.trained.config  # names only the data it is drawn on


def test_your_own_network_comes_from_one_place_and_in_one_panel(tmp_path):
    weights = tmp_path / "mine.safetensors"
    with pytest.raises(NetmorphError, match="Mine sets weights and overrides trained_network()"):
        choose_networks(
            "moons", ["relu"], None, module=users_module(), weights=weights, owner="Mine"
        )
    with pytest.raises(NetmorphError, match="drawn alone, in one panel"):
        choose_networks("moons", ["relu", "tanh"], None, module=users_module(), owner="Mine")
