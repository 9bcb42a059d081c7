"""How the benchmarks measure: one command's wall time and peak memory, and one figure printed.

Shared by :mod:`benchmarks.run` and :mod:`benchmarks.bench_data`, so neither imports the other.
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def emit(name: str, value: object) -> None:
    """Print one figure."""
    print(f"{name}: {value}", flush=True)


def timed(
    cmd: list[str],
    *,
    timeout: float | None = None,
    memory: int | None = None,
    check: bool = True,
) -> tuple[float, float, str]:
    """Run ``cmd``; return (wall seconds, peak RSS of that process in MiB, its stderr).

    With ``timeout`` a slower run is killed and its time reported as ``inf``; with ``memory``
    its address space is capped at that many bytes. A failed run ends the benchmark when
    ``check``, else its time is reported as ``nan``.
    """

    def cap() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=err, preexec_fn=cap
        )
        killed = False
        while True:  # wait4, not wait: the rusage is this process's own
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if timeout is not None and time.perf_counter() - start > timeout:
                proc.kill()
                killed = True
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    rss = usage.ru_maxrss / 1024
    if killed:
        return float("inf"), rss, stderr
    if proc.returncode:
        if check:
            raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{stderr[-3000:]}")
        return float("nan"), rss, stderr
    return seconds, rss, stderr
