"""A narrated render's cost per second of video against the silent one's (issue 23).

``NETMORPH_NARRATE=1`` paces every step by its spoken sentence (ReluMorph: ~70 s of video
against ~45 s silent), so the two are compared per second of the video each makes. A first
narrated render speaks every sentence into the media folder's speech cache (by its text); the
timed renders, alternated ``repeats`` times, find it there, as a user's second render does.
Target: narrated / silent per second of video ≤ 1.1.

Examples::

    python -m benchmarks.bench_narrated     # also part of python -m benchmarks.run (make bench)
"""

from __future__ import annotations

import statistics
import tempfile
from fractions import Fraction
from pathlib import Path

import av

NARRATED_LIMIT = 1.1  # narrated / silent, seconds of render per second of video
NARRATE = {"NETMORPH_NARRATE": "1"}


def video_seconds(video: Path) -> float:
    """How long ``video`` plays: its frames over its frame rate."""
    with av.open(str(video)) as opened:
        stream = opened.streams.video[0]
        return stream.frames / float(Fraction(stream.average_rate))


def bench_narrated(media: Path, repeats: int = 3) -> list:
    """Emit the silent and narrated -ql renders' costs per second of video and their ratio;
    return the target."""
    from benchmarks.measure import Target, emit, render

    render("-ql", media, "ReluMorph")  # trains (or finds) the network
    render("-ql", media, "ReluMorph", env=NARRATE)  # speaks every sentence once, into the cache
    silent, narrated = [], []
    for _ in range(repeats):
        seconds, _, video = render("-ql", media, "ReluMorph")
        silent.append(seconds / video_seconds(video))
        seconds, _, video = render("-ql", media, "ReluMorph", env=NARRATE)
        narrated.append(seconds / video_seconds(video))
        length = video_seconds(video)
    ratio = statistics.median(narrated) / statistics.median(silent)
    emit("narrated_video_s", f"{length:.1f}")
    emit("silent_ql_s_per_video_s", f"{statistics.median(silent):.3f}")
    emit("narrated_ql_s_per_video_s", f"{statistics.median(narrated):.3f}")
    emit("narrated_over_silent_per_video_s", f"{ratio:.2f}")
    return [Target("narrated / silent -ql, per second of video", ratio, NARRATED_LIMIT)]


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="netmorph-bench-narrated-") as tmp:
        for target in bench_narrated(Path(tmp)):
            print(target.row())
