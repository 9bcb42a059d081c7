"""How the benchmarks measure: one command's wall time and peak memory, and one figure printed.

Shared by :mod:`benchmarks.run`, :mod:`benchmarks.bench_data` and :mod:`benchmarks.bench_page`,
so none imports another: a figure and its target (:class:`Target`), and a render (:func:`render`).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MANIM = [sys.executable, "-m", "manim", "--config_file", str(REPO / "manim.cfg")]


def emit(name: str, value: object) -> None:
    """Print one figure."""
    print(f"{name}: {value}", flush=True)


# As a user's shell runs them: Python keeps each module's bytecode. A shell with
# PYTHONDONTWRITEBYTECODE set (some sandboxes and CI images) recompiles every netmorph module
# at each start-up, ~50 ms billed to a still that a user never pays.
BENCH_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(
    cmd: list[str],
    *,
    timeout: float | None = None,
    memory: int | None = None,
    check: bool = True,
    env: dict[str, str] | None = None,
) -> tuple[float, float, str]:
    """Run ``cmd``; return (wall seconds, peak RSS of that process in MiB, its stderr).

    With ``timeout`` a slower run is killed and its time reported as ``inf``; with ``memory``
    its address space is capped at that many bytes. A failed run ends the benchmark when
    ``check``, else its time is reported as ``nan``. ``env`` adds to the environment.
    """

    def cap() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            env={**BENCH_ENV, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=err,
            preexec_fn=cap,
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


@dataclass(frozen=True)
class Target:
    """One row of the result table."""

    name: str  # what is measured
    value: float  # the measured figure
    limit: float  # the target
    at_most: bool = True  # True: value ≤ limit passes; False: value ≥ limit
    unit: str = ""  # printed after value and limit

    @property
    def passed(self) -> bool:
        return self.value <= self.limit if self.at_most else self.value >= self.limit

    def row(self) -> str:
        sign = "≤" if self.at_most else "≥"
        verdict = "PASS" if self.passed else "MISS"
        measured, limit = f"{self.value:.2f}{self.unit}", f"{sign} {self.limit:g}{self.unit}"
        return f"| {self.name} | {measured} | {limit} | {verdict} |"


def render(
    quality: str,
    media: Path,
    scene: str,
    file: str = "scenes/morph.py",
    *extra: str,
    env: dict[str, str] | None = None,
):
    """Render one scene (``env`` added to the environment); return (seconds, peak MiB, output
    MP4 path or None)."""
    cmd = [*MANIM, quality, *extra, "--media_dir", str(media), file, scene]
    seconds, rss, _ = timed(cmd, env=env)
    videos = sorted(media.rglob(f"{scene}.mp4"), key=lambda p: p.stat().st_mtime)
    return seconds, rss, videos[-1] if videos else None
