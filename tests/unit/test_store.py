"""The checkpoint cache: round trip, and damaged files retrained rather than loaded."""

from __future__ import annotations

import json
import logging
import os
import shutil

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save as safetensors_bytes

from model.network.config import Config
from model.train import checkpoints as store
from model.train.checkpoints import CheckpointError, checkpoint_path, load, load_or_train, save
from tests.conftest import rewrite_checkpoint

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
    for key, value in result.module.state_dict().items():
        assert torch.equal(loaded.module.state_dict()[key], value)


def test_checkpoint_alone_rebuilds_its_network(saved):
    result, path = saved
    loaded = load(path)  # no expected config: it comes from the file
    assert loaded.config == CONFIG
    x = torch.rand(50, 2)
    torch.testing.assert_close(loaded.module(x), result.module(x))


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
        result.module[0].weight[0, 0] = float("inf")
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


def test_checkpoint_of_another_config_is_refused(saved, tmp_path):
    _, path = saved
    wide = Config(activation="tanh", hidden=(3, 5, 3))
    target = checkpoint_path(wide, tmp_path)
    shutil.copy(path, target)
    with pytest.raises(CheckpointError, match="another config"):
        load(target, wide)


def test_shape_mismatch_is_refused(saved, tmp_path):
    # The metadata says 3-5-3 (so the config check passes) but the weights are 3-3-3's.
    _, path = saved
    wide = Config(activation="tanh", hidden=(3, 5, 3))
    with safe_open(str(path), framework="pt") as f:
        metadata = dict(f.metadata())
        tensors = {k: f.get_tensor(k) for k in f.keys()}  # noqa: SIM118 (not a dict)
    metadata["config"] = wide.to_json()
    target = checkpoint_path(wide, tmp_path)
    target.write_bytes(safetensors_bytes(tensors, metadata=metadata))
    with pytest.raises(CheckpointError, match="does not match the network its config describes"):
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


SNAPPED = Config(activation="tanh", snapshot_every=50)


@pytest.fixture
def snapped(trained, tmp_path):
    """A checkpoint with training snapshots, in a fresh cache folder."""
    result = trained(activation="tanh", snapshot_every=50)
    return result, save(result, checkpoint_path(SNAPPED, tmp_path / "snapcache"))


def test_snapshots_round_trip(snapped, monkeypatch):
    result, path = snapped
    assert len(result.snapshots) >= 3
    _no_training(monkeypatch)
    loaded, _ = load_or_train(SNAPPED, path.parent)
    assert loaded.cached
    assert [(s.iteration, s.accuracy) for s in loaded.snapshots] == [
        (s.iteration, s.accuracy) for s in result.snapshots
    ]
    for ours, theirs in zip(loaded.snapshots, result.snapshots):
        assert ours.state_dict.keys() == theirs.state_dict.keys()
        for key, value in theirs.state_dict.items():
            assert torch.equal(ours.state_dict[key], value)
    with safe_open(str(path), framework="pt") as f:
        assert "snap/000050/0.weight" in f.keys()  # noqa: SIM118 (not a dict)


def _drop_a_snapshot_tensor(tensors, metadata):
    del tensors["snap/000050/0.bias"]


def _extra_snapshot_tensor(tensors, metadata):
    tensors["snap/999999/0.bias"] = tensors["0.bias"].clone()


def _unlisted_snapshot(tensors, metadata):
    listed = json.loads(metadata["snapshots"])
    metadata["snapshots"] = json.dumps(listed[:-1])


def _garbage_snapshot_list(tensors, metadata):
    metadata["snapshots"] = "[{'iteration': 1}"


def _wrong_shape_snapshot(tensors, metadata):
    tensors["snap/000050/0.weight"] = torch.zeros(4, 2)


def _non_finite_snapshot(tensors, metadata):
    tensors["snap/000050/0.weight"][0, 0] = float("nan")


@pytest.mark.parametrize(
    "damage",
    [
        _drop_a_snapshot_tensor,
        _extra_snapshot_tensor,
        _unlisted_snapshot,
        _garbage_snapshot_list,
        _wrong_shape_snapshot,
        _non_finite_snapshot,
    ],
)
def test_damaged_snapshots_are_refused(snapped, damage):
    _, path = snapped
    rewrite_checkpoint(path, damage)
    with pytest.raises(CheckpointError):
        load(path, SNAPPED)


def test_damaged_snapshots_are_retrained(snapped, caplog):
    _, path = snapped
    rewrite_checkpoint(path, _drop_a_snapshot_tensor)
    with caplog.at_level(logging.WARNING, logger="netmorph"):
        result, _ = load_or_train(SNAPPED, path.parent, progress=False)
    assert not result.cached and result.snapshots
    assert len(caplog.records) == 1 and "retraining" in caplog.records[0].getMessage()
    assert load(path, SNAPPED).snapshots  # whole again
