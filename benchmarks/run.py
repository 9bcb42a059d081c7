"""netmorph's speed and memory figures, measured in one run, printed as ``name: value`` lines.

Examples::

    python -m benchmarks.run            # everything but the recipe's slow optimiser (~6 min)
    python -m benchmarks.run --recipe   # also the recipe's 50,000-step gradient descent

Ratios are what to read: these machines are noisy, so nothing here asserts an absolute time, and
the benchmark never runs in CI. Targets: render/floor ≤ 1.3 at -qh and ≤ 1.5 at -ql; naive/ours
≥ 8 at -ql; cold training ≤ 2 s per activation; peak RSS at -qh ≤ 1 GiB; per-frame cost growing
no faster than the number of points.
"""

from __future__ import annotations

import argparse
import configparser
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av

REPO = Path(__file__).resolve().parents[1]
MANIM = [sys.executable, "-m", "manim", "--config_file", str(REPO / "manim.cfg")]


def emit(name: str, value: object) -> None:
    """Print one figure."""
    print(f"{name}: {value}", flush=True)


def timed(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd``; return (wall seconds, peak RSS of that process in MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        errors = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{errors[-3000:]}")
    return seconds, usage.ru_maxrss / 1024


def render(quality: str, media: Path, scene: str, file: str = "scenes/morph.py") -> tuple:
    """Render one scene without caching; return (seconds, peak MiB, output MP4 path)."""
    seconds, rss = timed(
        [*MANIM, quality, "--disable_caching", "--media_dir", str(media), file, scene]
    )
    videos = sorted(media.rglob(f"{scene}.mp4"), key=lambda p: p.stat().st_mtime)
    return seconds, rss, videos[-1] if videos else None


def encoder_options() -> dict[str, str]:
    """Manim's default libx264 options, with manim.cfg's [video_encoder.options] on top."""
    parser = configparser.ConfigParser()
    parser.read(REPO / "manim.cfg")
    options = {"crf": "23"}
    if parser.has_section("video_encoder.options"):
        options.update(parser["video_encoder.options"])
    return options


def encode_floor(video: Path) -> tuple[float, int]:
    """Seconds to encode ``video``'s own frames as Manim does (libx264, yuv420p, same options).

    Frames are decoded to RGBA (what Manim hands its encoder) and encoded at once; a decode-only
    pass is timed separately and subtracted.
    """

    def frames():
        with av.open(str(video)) as source:
            for frame in source.decode(video=0):
                yield frame.to_ndarray(format="rgba")

    start = time.perf_counter()
    n = sum(1 for _ in frames())
    decode = time.perf_counter() - start
    with av.open(str(video)) as source:
        stream = source.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        rate = Fraction(stream.average_rate)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with av.open(str(Path(tmp) / "floor.mp4"), mode="w") as out:
            enc = out.add_stream("libx264", rate=rate, options=encoder_options())
            enc.width, enc.height, enc.pix_fmt = width, height, "yuv420p"
            for rgba in frames():
                for packet in enc.encode(av.VideoFrame.from_ndarray(rgba, format="rgba")):
                    out.mux(packet)
            for packet in enc.encode():
                out.mux(packet)
        both = time.perf_counter() - start
    return max(both - decode, 0.0), n


def bench_render(media: Path) -> dict[str, float]:
    """Render vs floor at -qh and -ql, and peak RSS at -qh."""
    figures: dict[str, float] = {}
    for quality, name in (("-qh", "qh"), ("-ql", "ql")):
        startup, _ = timed(
            [
                *MANIM,
                quality,
                "--disable_caching",
                "--media_dir",
                str(media),
                "benchmarks/bench_scenes.py",
                "Startup",
            ]
        )
        seconds, rss, video = render(quality, media, "ReluMorph")
        encode, n_frames = encode_floor(video)
        floor = startup + encode
        emit(f"render_{name}_s", f"{seconds:.2f}")
        emit(f"render_{name}_frames", n_frames)
        emit(f"startup_{name}_s", f"{startup:.2f}")
        emit(f"encode_{name}_s", f"{encode:.2f}")
        emit(f"floor_{name}_s", f"{floor:.2f}")
        emit(f"render_over_floor_{name}", f"{seconds / floor:.2f}")
        figures[f"render_over_floor_{name}"] = seconds / floor
        figures[f"render_{name}_s"] = seconds
        figures[f"startup_{name}_s"] = startup
        if name == "qh":
            emit("peak_rss_qh_mib", f"{rss:.0f}")
            figures["peak_rss_qh_mib"] = rss
    return figures


def bench_naive(media: Path, ours_ql: float) -> float:
    """The naive Manim way at -ql against ours."""
    seconds, _, _ = render("-ql", media, "NaiveMorph", "benchmarks/bench_scenes.py")
    emit("naive_ql_s", f"{seconds:.2f}")
    emit("naive_over_ours_ql", f"{seconds / ours_ql:.1f}")
    return seconds / ours_ql


def bench_scale(media: Path, startup: float) -> float:
    """-ql render at 1×, 4× and 16× the points and grid; per-frame cost against point count."""
    base = None
    worst = 0.0
    for factor, scene in ((1, "ReluMorph"), (4, "ReluMorphX4"), (16, "ReluMorphX16")):
        file = "scenes/morph.py" if factor == 1 else "benchmarks/bench_scenes.py"
        seconds, _, video = render("-ql", media, scene, file)
        with av.open(str(video)) as v:
            frames = v.streams.video[0].frames
        per_frame = (seconds - startup) / frames * 1000
        emit(f"scale_{factor}x_ql_s", f"{seconds:.2f}")
        emit(f"scale_{factor}x_ms_per_frame", f"{per_frame:.1f}")
        if base is None:
            base = per_frame
        else:
            growth = per_frame / base / factor  # ≤ 1: no faster than linear
            emit(f"scale_{factor}x_growth_vs_linear", f"{growth:.2f}")
            worst = max(worst, growth)
    return worst


def bench_training(media: Path) -> float:
    """Cold training to 100 % per activation, and the warm (cache-hit) path."""
    from model.errors import NetmorphError
    from model.network.config import Config
    from model.pipeline import prepare
    from model.train.checkpoints import cache_dir_in, load_or_train
    from model.train.trainer import train

    # Warm torch up so the first activation is not charged for it.
    with contextlib.suppress(NetmorphError):  # 3 steps cannot reach 100 %; it only warms up
        train(Config(activation="tanh", max_steps=3, rounds=1), progress=False)
    worst = 0.0
    for activation in ("relu", "tanh", "gelu"):
        result = train(Config(activation=activation), progress=False)
        emit(f"train_cold_{activation}_s", f"{result.seconds:.2f}")
        emit(f"train_cold_{activation}_steps", result.steps)
        emit(f"train_cold_{activation}_accuracy", f"{result.accuracy:.3f}")
        worst = max(worst, result.seconds)
    cache = cache_dir_in(media)
    load_or_train(Config(activation="relu"), cache, progress=False)  # make sure it is cached
    start = time.perf_counter()
    morph = prepare(Config(activation="relu"), cache, progress=False)
    emit("warm_prepare_s", f"{time.perf_counter() - start:.3f}")
    emit("warm_trained_nothing", morph.network.cached)
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--recipe", action="store_true", help="also run the recipe's optimiser")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="netmorph-bench-") as tmp:
        media = Path(tmp)
        worst_train = bench_training(media)
        figures = bench_render(media)
        naive = bench_naive(media, figures["render_ql_s"])
        growth = bench_scale(media, figures["startup_ql_s"])
        from benchmarks.bench_data import bench_big_csv

        big = bench_big_csv(media)
    if args.recipe:
        from benchmarks.recipe_optimizer import run_recipe

        for activation in ("relu", "tanh", "gelu"):
            seconds, accuracy = run_recipe(activation)
            emit(f"recipe_gd_{activation}_s", f"{seconds:.1f}")
            emit(f"recipe_gd_{activation}_accuracy", f"{accuracy:.3f}")
    checks = {
        "render/floor qh ≤ 1.3": figures["render_over_floor_qh"] <= 1.3,
        "render/floor ql ≤ 1.5": figures["render_over_floor_ql"] <= 1.5,
        "naive/ours ≥ 8": naive >= 8,
        "cold train ≤ 2 s": worst_train <= 2.0,
        "peak RSS ≤ 1 GiB": figures["peak_rss_qh_mib"] <= 1024,
        "per-frame growth ≤ linear": growth <= 1.0,
        "1e6-row CSV ≤ 60 s": big["csv_1e6_train_s"] <= 60,
        "1e6-row CSV ≤ 1 GiB": big["csv_1e6_peak_rss_mib"] <= 1024,
    }
    met = [name for name, ok in checks.items() if ok]
    missed = [name for name, ok in checks.items() if not ok]
    emit(
        "summary",
        f"{len(met)}/{len(checks)} targets met"
        + (f"; missed: {', '.join(missed)}" if missed else ""),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
