"""Hostile files built by hand for the untrusted-input tests: safetensors headers that claim
anything, sparse files of any declared size, and a child's peak memory.

A sparse file costs no disk: ``truncate`` extends it with a hole, so a 1 KB file can declare a
40 GB tensor whose bytes "exist" (reading them would allocate that much memory).
"""

from __future__ import annotations

import json
import math
import os
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

# safetensors dtype -> bytes per value (the ones these tests write)
ITEMSIZE = {"F32": 4, "F64": 8, "F16": 2, "BF16": 2, "C64": 8, "I64": 8}
MiB = 1 << 20


def entry(dtype: str, shape: tuple[int, ...], start: int) -> tuple[dict, int]:
    """A header entry for a tensor at byte ``start``, and the byte after it."""
    stop = start + math.prod(shape) * ITEMSIZE[dtype]
    return {"dtype": dtype, "shape": list(shape), "data_offsets": [start, stop]}, stop


def write_raw(
    path: Path,
    header: dict | bytes,
    data: bytes = b"",
    *,
    declared_length: int | None = None,
    sparse_data_size: int | None = None,
) -> Path:
    """A safetensors-shaped file: length prefix, header, data; ``sparse_data_size`` extends the
    data with a hole to that size, ``declared_length`` lies about the header's length."""
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw) if declared_length is None else declared_length))
        f.write(raw)
        f.write(data)
        if sparse_data_size is not None:
            f.truncate(8 + len(raw) + sparse_data_size)
    return path


def write_tensors(path: Path, tensors: dict[str, tuple[str, np.ndarray]], **metadata) -> Path:
    """A well-formed file of ``{name: (dtype, little-endian array)}`` (any dtype, complex too)."""
    header: dict = {"__metadata__": metadata} if metadata else {}
    data, offset = b"", 0
    for name, (dtype, array) in tensors.items():
        header[name], offset = entry(dtype, array.shape, offset)
        data += array.tobytes()
    return write_raw(path, header, data)


def peak_run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 300):
    """Run ``args``; return (exit status, stdout, stderr, peak RSS in MiB, seconds).

    The peak is the command's own ``ru_maxrss``, from ``os.wait4`` in a small launcher
    process (this file run as a script): a child forked straight from the test process would
    count the test process's own memory, shared at the fork, as its peak.
    """
    started = time.monotonic()
    report = cwd / ".peak"
    launcher = [sys.executable, __file__, str(report), *args]
    result = subprocess.run(
        launcher,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    peak_kib = int(report.read_text())
    report.unlink()
    seconds = time.monotonic() - started
    return result.returncode, result.stdout, result.stderr, peak_kib / 1024, seconds


def _launch(report: str, args: list[str]) -> int:
    """Run ``args`` as this process's child; write its peak RSS (KiB) to ``report``."""
    child = subprocess.Popen(args)
    _, status, usage = os.wait4(child.pid, 0)
    Path(report).write_text(str(usage.ru_maxrss))
    return os.waitstatus_to_exitcode(status)


def child_env(repo: Path, **extra: str) -> dict[str, str]:
    """The environment of a command line run from the worktree, no NETMORPH_* leaking in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETMORPH_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(repo)
    return env | extra


if __name__ == "__main__":  # the launcher of peak_run: python crafted_files.py REPORT CMD...
    sys.exit(_launch(sys.argv[1], sys.argv[2:]))
