"""The checkpoint cache: round trip, and damaged files retrained rather than loaded."""

from __future__ import annotations

import logging
import os
import shutil

import pytest
import torch

from model import store
from model.config import Config
from model.store import CheckpointError, checkpoint_path, load, load_or_train, save

CONFIG = Config(activation="tanh")


@pytest.fixture
def saved(trained, tmp_path):
    """A good checkpoint for CONFIG in a fresh cache folder."""
    result = trained(activation="tanh")
    path = save(result, checkpoint_path(CONFIG, tmp_path / "cache"))
    return result, path


def _no_training(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("trained although a usable checkpoint exists")

    monkeypatch.setattr(store, "train", refuse)


def test_round_trip(saved, monkeypatch):
    result, path = saved
    _no_training(monkeypatch)
    loaded, loaded_path = load_or_train(CONFIG, path.parent)
    assert loaded_path == path and loaded.cached
    assert loaded.config == CONFIG
    assert loaded.seed_used == result.seed_used
    for key, value in result.net.state_dict().items():
        assert torch.equal(loaded.net.state_dict()[key], value)


def test_checkpoint_alone_rebuilds_its_network(saved):
    result, path = saved
    loaded = load(path)  # no expected config: it comes from the file
    assert loaded.config == CONFIG
    x = torch.rand(50, 2)
    torch.testing.assert_close(loaded.net(x), result.net(x))


def _damage_truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _damage_garbage(path):
    path.write_bytes(os.urandom(2000))


def _damage_pickle(path):
    # A torch.save pickle at the checkpoint's path must never be unpickled.
    torch.save({"weight": torch.zeros(3)}, path)


def _damage_empty(path):
    path.write_bytes(b"")


def _damage_nonfinite(path):
    result = load(path)
    with torch.no_grad():
        result.net[0].weight[0, 0] = float("inf")
    save(result, path)


def _damage_mismatch(path):
    other = load(path)
    other.config = Config(activation="tanh", seed=99)
    save(other, path)


@pytest.mark.parametrize(
    "damage",
    [
        _damage_truncate,
        _damage_garbage,
        _damage_pickle,
        _damage_empty,
        _damage_nonfinite,
        _damage_mismatch,
    ],
)
def test_damaged_checkpoint_is_retrained_with_a_warning(saved, damage, caplog):
    _, path = saved
    damage(path)
    with pytest.raises(CheckpointError):
        load(path, CONFIG)
    with caplog.at_level(logging.WARNING, logger="netmorph"):
        result, same_path = load_or_train(CONFIG, path.parent, progress=False)
    assert same_path == path
    assert not result.cached and result.accuracy == 1.0
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "retraining" in warnings[0] and "\n" not in warnings[0]
    assert load(path, CONFIG).config == CONFIG  # the file is whole again


def test_shape_mismatch_is_refused(saved, tmp_path):
    _, path = saved
    wide = Config(activation="tanh", hidden=(3, 5, 3))
    target = checkpoint_path(wide, tmp_path)
    shutil.copy(path, target)
    with pytest.raises(CheckpointError, match="another config"):
        load(target, wide)


def test_failed_write_leaves_nothing_behind(saved, monkeypatch, tmp_path):
    result, _ = saved
    target = tmp_path / "fresh" / "net.safetensors"

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        save(result, target)
    assert list(target.parent.iterdir()) == []
