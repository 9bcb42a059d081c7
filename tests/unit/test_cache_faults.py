"""The checkpoint cache survives every fault: a bad location is found before training, files are
readable by every user, a dead write's temp file is cleaned up, and crafted checkpoints are never
loaded. (Other users and killed writers, in real processes: tests/cli/test_cache_processes.py.)"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os

import pytest
import torch

from model.network.config import Config
from model.train import checkpoints as store
from model.train.checkpoints import (
    CacheLocationError,
    CheckpointError,
    load,
    load_or_train,
    remove_stale_temp_files,
    save,
)
from tests.conftest import rewrite_checkpoint

CONFIG = Config(activation="tanh")


@pytest.fixture
def no_training(monkeypatch):
    def trap(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(store, "train", trap)


# 1. Where the cache is: found before training, with the fix.


@pytest.mark.parametrize("inside", [False, True], ids=["the file", "a folder in it"])
def test_cache_folder_that_is_a_file_is_refused_before_training(tmp_path, no_training, inside):
    blocker = tmp_path / "checkpoints"
    blocker.write_text("not a folder")
    where = blocker / "sub" if inside else blocker
    with pytest.raises(CacheLocationError, match="is a file") as info:
        load_or_train(CONFIG, where)
    assert "cache = False" in str(info.value) and "--no-cache" in str(info.value)
    assert blocker.read_text() == "not a folder"


def test_failed_write_after_training_keeps_the_network(trained, tmp_path, monkeypatch, caplog):
    result = trained(activation="tanh")
    monkeypatch.setattr(store, "train", lambda config, progress: result)

    def disk_full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store, "save", disk_full)
    with caplog.at_level(logging.WARNING, logger="netmorph"):
        got, path = load_or_train(CONFIG, tmp_path / "cache", progress=False)
    assert got is result and path is None
    (warning,) = [r.getMessage() for r in caplog.records]
    assert "No space left on device" in warning and "\n" not in warning


# 2. Files: shared, and whole.


def test_checkpoint_is_readable_by_everyone_whatever_the_umask(trained, tmp_path):
    old = os.umask(0o077)
    try:
        path = save(trained(activation="tanh"), tmp_path / "net.safetensors")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


def test_temp_file_locked_by_a_live_write_survives_cleanup(tmp_path):
    temp = tmp_path / ".net.safetensors.abc123.tmp"
    temp.write_bytes(b"half a checkpoint")
    with open(temp, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert remove_stale_temp_files(tmp_path) == []
        assert temp.exists()
    assert remove_stale_temp_files(tmp_path) == [temp]  # its writer is gone
    assert not temp.exists()


# 3. Crafted checkpoints: loaded only when every dtype, shape, value and field is right.


def _all_tensors(convert):
    def edit(tensors, metadata):
        for key in tensors:
            tensors[key] = convert(tensors[key])

    return edit


def _huge_float64(tensors, metadata):
    tensors["0.weight"] = tensors["0.weight"].double()
    tensors["0.weight"][0, 0] = 1e300  # finite in float64, inf in float32


def _metadata_field(section, name, value):
    """An edit setting field ``name`` of the JSON metadata entry ``section`` to ``value``."""

    def edit(tensors, metadata):
        fields = json.loads(metadata[section])
        fields[name] = value
        metadata[section] = json.dumps(fields)

    return edit


def _training_field(name, value):
    return _metadata_field("training", name, value)


def _config_field(name, value):
    return _metadata_field("config", name, value)


def _training_not_an_object(tensors, metadata):
    metadata["training"] = json.dumps([1, 2, 3])


CRAFTED = {
    "float64 weights": (_all_tensors(torch.Tensor.double), "float64 weights, not float32"),
    "float64 1e300": (_huge_float64, "float64 weights, not float32"),
    "float16 weights": (_all_tensors(torch.Tensor.half), "float16 weights"),
    "integer weights": (_all_tensors(lambda t: t.round().to(torch.int32)), "int32 weights"),
    "seed_used a string": (_training_field("seed_used", "3"), "seed_used"),
    "iterations negative": (_training_field("iterations", -1), "iterations"),
    "accuracy a string": (_training_field("accuracy", "1.0"), "accuracy"),
    "accuracy above 1": (_training_field("accuracy", 2.0), "accuracy"),
    "stuck_seeds floats": (_training_field("stuck_seeds", [1.5]), "stuck_seeds"),
    "stuck_seeds a string": (_training_field("stuck_seeds", "0-3"), "stuck_seeds"),
    "training a list": (_training_not_an_object, "not an object"),
    "config seed a string": (_config_field("seed", "0"), "seed must be a whole number"),
    "config lr a string": (_config_field("lr", "fast"), "lr must be a number"),
    "config best_effort 0": (_config_field("best_effort", 0), "best_effort must be True"),
}


@pytest.mark.parametrize("craft", CRAFTED.values(), ids=CRAFTED.keys())
def test_crafted_checkpoint_is_refused(saved, craft):
    edit, reason = craft
    rewrite_checkpoint(saved, edit)
    with pytest.raises(CheckpointError, match=reason.replace("(", r"\(")):
        load(saved)


def test_float64_1e300_checkpoint_is_retrained_with_one_warning(saved, caplog):
    rewrite_checkpoint(saved, _huge_float64)
    with caplog.at_level(logging.WARNING, logger="netmorph"):
        result, path = load_or_train(CONFIG, saved.parent, progress=False)
    assert path == saved and not result.cached and result.accuracy == 1.0
    (warning,) = [r.getMessage() for r in caplog.records]
    assert "float64 weights" in warning and "retraining" in warning
    assert load(saved, CONFIG).module[0].weight.dtype == torch.float32  # whole again
