"""Training time and peak memory of a user's CSV at 10⁴, 10⁵ and 10⁶ rows.

Each size is a fresh ``netmorph train`` process (run as its alias ``python -m model.train``: CSV
parse, the default network search, accuracy on every row; no cache), so its peak RSS is the whole
run's. The data is two noisy half
moons from a fixed seed: nearly separable, so the search stops at the first size it tries or the
next. Targets: ≤ 60 s and ≤ 1 GiB at 10⁶ rows on a busy 2-core machine.

Examples::

    python -m benchmarks.bench_data      # also part of python -m benchmarks.run (make bench)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

SIZES = (10_000, 100_000, 1_000_000)


def write_moons_csv(path: Path, n: int, seed: int = 0) -> Path:
    """``n`` rows of two noisy half moons (labels 0 and 1), as x,y,label."""
    rng = np.random.default_rng(seed)
    t = rng.uniform(0.0, np.pi, n)
    label = rng.integers(0, 2, n)
    x = np.where(label == 0, np.cos(t), 1 - np.cos(t)) + rng.normal(0, 0.1, n)
    y = np.where(label == 0, np.sin(t), 0.5 - np.sin(t)) + rng.normal(0, 0.1, n)
    rows = np.column_stack([x, y, label])
    np.savetxt(
        path, rows, fmt=("%.5f", "%.5f", "%d"), delimiter=",", header="x,y,label", comments=""
    )
    return path


def bench_big_csv(folder: Path) -> dict[str, float]:
    """Train each size's CSV from scratch; emit and return seconds and peak MiB per size."""
    from benchmarks.run import emit, timed

    figures: dict[str, float] = {}
    for n in SIZES:
        path = write_moons_csv(folder / f"moons_{n}.csv", n)
        cmd = [sys.executable, "-m", "model.train", "--dataset", str(path), "--no-cache", "--quiet"]
        seconds, rss, _ = timed(cmd)
        name = f"csv_{n:.0e}".replace("+0", "").replace("+", "")
        emit(f"{name}_train_s", f"{seconds:.1f}")
        emit(f"{name}_peak_rss_mib", f"{rss:.0f}")
        figures[f"{name}_train_s"], figures[f"{name}_peak_rss_mib"] = seconds, rss
    return figures


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="netmorph-bench-data-") as tmp:
        bench_big_csv(Path(tmp))
