"""The checkpoint cache survives every fault: a bad location is found before training, files are
shared between users, killed writes are cleaned up, and crafted checkpoints are never loaded."""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
import torch
from manim import tempconfig

from model.network.config import Config
from model.train import checkpoints as store
from model.train.checkpoints import (
    TEMP_GLOB,
    CacheLocationError,
    CheckpointError,
    cache_dir_in,
    checkpoint_path,
    load,
    load_or_train,
    remove_stale_temp_files,
    save,
)
from tests.conftest import REPO, TINY, rewrite_checkpoint

CONFIG = Config(activation="tanh")


@pytest.fixture
def saved(trained, tmp_path):
    """A good checkpoint for CONFIG in a fresh cache folder."""
    return save(trained(activation="tanh"), checkpoint_path(CONFIG, tmp_path / "cache"))


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


def _as_another_user() -> list[str]:
    """A command prefix that drops root (CI runs as root, and root writes anywhere)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot test a read-only folder")
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def test_read_only_cache_as_another_user(saved):
    """Unwritable: one line before training. Read-only but holding the checkpoint: loaded."""
    prefix = _as_another_user()
    # The other user needs a way in: a world-readable folder outside pytest's private tree.
    root = Path(tempfile.mkdtemp(prefix="netmorph-ro-"))
    try:
        root.chmod(0o755)
        empty, shared = root / "empty", root / "shared"
        empty.mkdir()
        shared.mkdir()
        shutil.copy(saved, shared / saved.name)  # keeps save()'s 0644
        for folder in (empty, shared):
            folder.chmod(0o555)
        train = [*prefix, sys.executable, "-m", "model.train", "--quiet", "--activation", "tanh"]
        env = dict(os.environ, PYTHONPATH=str(REPO), HOME=str(root))

        def run(cache_dir):
            return subprocess.run(
                [*train, "--cache-dir", str(cache_dir)],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )

        probe = subprocess.run(
            [*prefix, sys.executable, "-c", "import model.train.checkpoints"], env=env, check=False
        )
        if probe.returncode != 0:
            pytest.skip("the other user cannot run this Python")
        refused = run(empty)
        assert refused.returncode == 2, refused.stderr
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in refused.stderr
        assert f"cannot write checkpoints to {empty} (Permission denied)" in lines[0]
        missing = run(empty / "new")
        assert missing.returncode == 2
        assert "cannot create cache folder" in missing.stderr
        shared_hit = run(shared)
        assert shared_hit.returncode == 0, shared_hit.stderr
        assert "(cache hit)" in shared_hit.stdout  # another user's 0644 checkpoint is readable
        assert list(empty.iterdir()) == []
    finally:
        for folder in (root / "empty", root / "shared"):
            if folder.exists():
                folder.chmod(0o755)
        shutil.rmtree(root)


def test_scene_without_cache_trains_and_writes_nothing(tmp_path, monkeypatch):
    from scenes.morph import TanhMorph

    monkeypatch.setenv("NETMORPH_CACHE", "0")  # the scene attribute cache = False, from outside
    media = tmp_path / "media"
    with tempconfig({**TINY, "media_dir": str(media)}):
        scene = TanhMorph()
        scene.setup()
    assert scene.cache is False and scene.morph.checkpoint is None
    assert scene.morph.accuracy == 1.0
    assert not cache_dir_in(media).exists()


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


KILLED_WRITER = textwrap.dedent("""
    import os, sys, time
    from model.train import checkpoints as store
    result = store.load(sys.argv[1])
    def hang(src, dst):  # the write is done, the rename never comes: kill -9 lands here
        print("writing", flush=True)
        time.sleep(600)
    os.replace = hang
    store.save(result, sys.argv[2])
""")


def test_killed_write_leaves_a_temp_file_the_next_write_removes(saved):
    folder = saved.parent
    target = folder / "other.safetensors"
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(saved), str(target)],
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "writing"
        (temp,) = folder.glob(TEMP_GLOB)
        assert remove_stale_temp_files(folder) == []  # a live write's temp file is kept
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    assert temp.exists() and not target.exists()  # what kill -9 leaves behind
    save(load(saved), target)  # the next write into the folder
    assert list(folder.glob(TEMP_GLOB)) == []
    assert load(target).config == CONFIG


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
    "steps negative": (_training_field("steps", -1), "steps"),
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
    assert load(saved, CONFIG).net[0].weight.dtype == torch.float32  # whole again
