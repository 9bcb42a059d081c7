"""The explorable page's build time against the ``-ql`` render of the same scene (issue 23).

``netmorph page`` of a cached ReluMorph and ``manim -ql`` of it run one after the other,
alternated ``repeats`` times on one media folder (its network trained once, before); the medians'
ratio is the figure. Target: the page takes ≤ 0.5× the render. The page's size is printed too.

Examples::

    python -m benchmarks.bench_page     # also part of python -m benchmarks.run (make bench)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

PAGE_LIMIT = 0.5  # page build / -ql render
PAGE_BYTES_LIMIT = 8e6  # ReluMorph's page (issue 22)


def bench_page(media: Path, repeats: int = 3) -> list:
    """Emit the page build's and the -ql render's medians and their ratio; return the targets."""
    from benchmarks.run import Target, emit, render, timed

    page = media / "pages" / "ReluMorph.html"
    command = [
        *(sys.executable, "-m", "scenes.kit.cli", "page", "scenes/morph.py", "ReluMorph"),
        *("--media_dir", str(media), "-o", str(page)),
    ]
    timed(command)  # trains (or finds) the network: both sides then start from the cache
    builds, renders = [], []
    for _ in range(repeats):
        renders.append(render("-ql", media, "ReluMorph")[0])
        builds.append(timed(command)[0])
    build, video = statistics.median(builds), statistics.median(renders)
    size = page.stat().st_size
    emit("page_build_s", f"{build:.2f}")
    emit("page_render_ql_s", f"{video:.2f}")
    emit("page_over_ql", f"{build / video:.2f}")
    emit("page_mb", f"{size / 1e6:.1f}")
    return [
        Target("page build / -ql render (ReluMorph, cached)", build / video, PAGE_LIMIT),
        Target("page size (ReluMorph)", size / 1e6, PAGE_BYTES_LIMIT / 1e6, unit=" MB"),
    ]


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="netmorph-bench-page-") as tmp:
        for target in bench_page(Path(tmp)):
            print(target.row())
