"""The checkpoint cache between processes: another user's read-only cache is refused before
training or read as it is, and a write killed with kill -9 is cleaned up by the next one."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from model.network.config import Config
from model.train.checkpoints import TEMP_GLOB, load, remove_stale_temp_files, save
from tests.conftest import REPO

CONFIG = Config(activation="tanh")


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
