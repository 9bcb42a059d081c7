"""netmorph's speed and memory figures, measured in one run, each against its target.

Examples::

    python -m benchmarks.run            # every figure (~17 min on 2 idle cores)
    python -m benchmarks.run --recipe   # also the recipe's 50,000-iteration gradient descent

Prints ``name: value`` lines as it goes, then one table row per target: the figure, the target,
PASS or MISS. Ratios are what to read: these machines are noisy, so every ratio is measured in
this one run, nothing is asserted in the tests, and the benchmark never runs in CI.

Targets (issue 13):

1. busy machine: cold training of relu, tanh and gelu ≤ 2 s each while the benchmark keeps
   every core busy with CPU-bound processes it starts and stops; busy/idle ≤ 2.
2. cold start: a still of a cached ReluMorph imports no torch, and ``manim -ql -s`` of it takes
   ≤ 1.4× ``manim -ql -s`` of an empty scene in a manim-only file.
3. render vs floor ≤ 1.2 at -qh and ≤ 1.5 at -ql; the floor is Manim's start-up (that empty
   scene) plus re-encoding the render's own frames with the same codec and options.
4. naive/ours at -ql (a ``Dot`` per point, ``NumberPlane``, ``ApplyPointwiseFunction``): ≥ 30
   per frame with start-up subtracted from both, ≥ 10 for the whole render.
5. scale: per-frame cost at 4× and 16× the points grows no faster than linearly; CSV training
   time and peak memory at 10⁴, 10⁵ and 10⁶ rows, the 10⁶-row one ≤ 60 s and ≤ 1 GiB; and the
   10⁶-row scene renders at the default scene's rate: its -ql cost per frame ≤ 1.2× ReluMorph's.
6. the explorable page (issues 22, 23): ``netmorph page`` of a cached ReluMorph takes ≤ 0.5× its
   ``-ql`` render (alternated, medians), and the page is ≤ 8 MB (benchmarks/bench_page.py).
"""

from __future__ import annotations

import argparse
import configparser
import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av

from benchmarks.measure import MANIM, REPO, Target, emit, render, timed

EMPTY = "benchmarks/empty_scene.py"
STILL_PAIRS = 3  # cached still / empty still, alternated; the median ratio is kept
QL_REPEATS = 3  # -ql renders and empty scenes, alternated; the medians are kept


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


def n_frames(video: Path) -> int:
    with av.open(str(video)) as v:
        return v.streams.video[0].frames


@contextlib.contextmanager
def busy_cores():
    """Every core kept busy by a CPU-bound process of its own, for the life of the block."""
    loads = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(os.cpu_count() or 1)
    ]
    try:
        time.sleep(0.5)  # let them reach the scheduler's steady state
        yield
    finally:
        for proc in loads:
            proc.kill()
            proc.wait()


def bench_training(media: Path) -> list[Target]:
    """Cold training per activation, idle and beside a CPU-bound process per core."""
    from model.errors import NetmorphError
    from model.network.config import Config
    from model.pipeline import prepare
    from model.train.checkpoints import cache_dir_in, load_or_train
    from model.train.trainer import train

    # Warm torch up so the first activation is not charged for it.
    with contextlib.suppress(NetmorphError):  # 3 iterations cannot reach 100 %; it only warms up
        train(Config(activation="tanh", max_iterations=3, rounds=1), progress=False)
    activations = ("relu", "tanh", "gelu")
    idle = {a: train(Config(activation=a), progress=False).seconds for a in activations}
    with busy_cores():
        busy = {a: train(Config(activation=a), progress=False).seconds for a in activations}
    targets = []
    for a in activations:
        emit(f"train_idle_{a}_s", f"{idle[a]:.2f}")
        emit(f"train_busy_{a}_s", f"{busy[a]:.2f}")
        targets.append(Target(f"cold training {a}, all cores busy", busy[a], 2.0, unit=" s"))
    worst = max(busy[a] / idle[a] for a in activations)
    emit("train_busy_over_idle_worst", f"{worst:.2f}")
    targets.append(Target("training busy/idle (worst activation)", worst, 2.0))
    cache = cache_dir_in(media)
    load_or_train(Config(activation="relu"), cache, progress=False)  # cached for the renders
    start = time.perf_counter()
    morph = prepare(Config(activation="relu"), cache, progress=False)
    emit("warm_prepare_s", f"{time.perf_counter() - start:.3f}")
    emit("warm_trained_nothing", morph.checkpoint.cached)
    return targets


def bench_cold_start(media: Path) -> list[Target]:
    """``manim -ql -s`` of the cached ReluMorph against that of an empty manim-only scene."""
    render("-ql", media, "ReluMorph", "scenes/morph.py", "-s")  # caches the network, warms up
    _, _, imports = timed(
        [
            sys.executable,
            "-X",
            "importtime",
            *MANIM[1:],
            "-ql",
            "-s",
            "--media_dir",
            str(media),
            "scenes/morph.py",
            "ReluMorph",
        ]
    )
    torch_imported = bool(re.search(r"\|\s+torch$", imports, re.MULTILINE))
    emit("still_cached_imports_torch", torch_imported)
    ratios, ours, empty = [], [], []
    for _ in range(STILL_PAIRS):
        ours.append(render("-ql", media, "ReluMorph", "scenes/morph.py", "-s")[0])
        empty.append(render("-ql", media, "Startup", EMPTY, "-s")[0])
        ratios.append(ours[-1] / empty[-1])
    ratio = statistics.median(ratios)
    emit("still_cached_ql_s", f"{statistics.median(ours):.2f}")
    emit("still_empty_ql_s", f"{statistics.median(empty):.2f}")
    emit("still_cached_over_empty", f"{ratio:.2f}")
    return [
        Target("cached still imports torch (1 = yes)", float(torch_imported), 0.0),
        Target("cold start: cached -ql -s / empty -ql -s", ratio, 1.4),
    ]


def bench_render(media: Path) -> tuple[list[Target], dict[str, float]]:
    """Render vs floor at -qh and -ql, and peak RSS at -qh."""
    figures: dict[str, float] = {}
    targets = []
    for quality, name, limit, repeats in (("-qh", "qh", 1.2, 1), ("-ql", "ql", 1.5, QL_REPEATS)):
        # Alternated, medians kept: a -ql render is short enough for one busy second to move it.
        startups, renders = [], []
        for _ in range(repeats):
            startups.append(render(quality, media, "Startup", EMPTY)[0])
            renders.append(render(quality, media, "ReluMorph"))
        startup = statistics.median(startups)
        seconds = statistics.median(r[0] for r in renders)
        rss, video = max(r[1] for r in renders), renders[-1][2]
        encode, frames = encode_floor(video)
        floor = startup + encode
        for figure, value in (
            (f"render_{name}_s", seconds),
            (f"startup_{name}_s", startup),
            (f"encode_{name}_s", encode),
            (f"floor_{name}_s", floor),
            (f"render_over_floor_{name}", seconds / floor),
        ):
            emit(figure, f"{value:.2f}")
            figures[figure] = value
        emit(f"render_{name}_frames", frames)
        figures[f"render_{name}_frames"] = frames
        targets.append(Target(f"render/floor {quality}", seconds / floor, limit))
        if name == "qh":
            emit("peak_rss_qh_mib", f"{rss:.0f}")
            targets.append(Target("peak RSS at -qh", rss, 1024, unit=" MiB"))
    return targets, figures


def bench_naive(media: Path, figures: dict[str, float]) -> list[Target]:
    """The naive Manim way at -ql against ours, per frame (start-up subtracted) and whole."""
    seconds, _, video = render("-ql", media, "NaiveMorph", "benchmarks/bench_scenes.py")
    startup = figures["startup_ql_s"]
    naive_frame = (seconds - startup) / n_frames(video)
    ours_frame = (figures["render_ql_s"] - startup) / figures["render_ql_frames"]
    emit("naive_ql_s", f"{seconds:.2f}")
    emit("naive_ql_ms_per_frame", f"{naive_frame * 1000:.1f}")
    emit("ours_ql_ms_per_frame", f"{ours_frame * 1000:.1f}")
    whole = seconds / figures["render_ql_s"]
    return [
        Target("naive/ours per frame at -ql", naive_frame / ours_frame, 30, at_most=False),
        Target("naive/ours whole render at -ql", whole, 10, at_most=False),
    ]


def bench_scale(media: Path, figures: dict[str, float]) -> list[Target]:
    """-ql per-frame cost at 1×, 4× and 16× the points and grid, against the point count."""
    startup = figures["startup_ql_s"]
    base = (figures["render_ql_s"] - startup) / figures["render_ql_frames"]
    emit("scale_1x_ms_per_frame", f"{base * 1000:.1f}")
    targets = []
    for factor in (4, 16):
        scene = f"ReluMorphX{factor}"
        seconds, _, video = render("-ql", media, scene, "benchmarks/bench_scenes.py")
        per_frame = (seconds - startup) / n_frames(video)
        growth = per_frame / base / factor  # ≤ 1: no faster than linear
        emit(f"scale_{factor}x_ql_s", f"{seconds:.2f}")
        emit(f"scale_{factor}x_ms_per_frame", f"{per_frame * 1000:.1f}")
        emit(f"scale_{factor}x_growth_vs_linear", f"{growth:.2f}")
        targets.append(Target(f"per-frame growth at {factor}× points, vs linear", growth, 1.0))
    return targets


def bench_csv(media: Path, figures: dict[str, float]) -> list[Target]:
    """Training time and peak memory of a 10⁴, 10⁵ and 10⁶-row CSV (benchmarks/bench_data.py),
    and the million-row scene's -ql cost per frame against the default scene's.

    Per frame here is (video − still of the same cached scene) / frames: start-up, the CSV's
    parse and the scene's set-up are in both and cancel.
    """
    from benchmarks.bench_data import SIZES, bench_big_csv

    big = bench_big_csv(media)
    still = render("-ql", media, "ReluMorph", "scenes/morph.py", "-s")[0]
    default = (figures["render_ql_s"] - still) / figures["render_ql_frames"]
    with _environment(NETMORPH_DATASET=str(media / f"moons_{SIZES[-1]}.csv")):
        render("-ql", media, "ReluMorph", "scenes/morph.py", "-s")  # chooses and caches its net
        csv_still = render("-ql", media, "ReluMorph", "scenes/morph.py", "-s")[0]
        csv_video, _, video = render("-ql", media, "ReluMorph")
    per_frame = (csv_video - csv_still) / n_frames(video)
    emit("csv_1e6_ql_s", f"{csv_video:.2f}")
    emit("csv_1e6_ql_ms_per_frame", f"{per_frame * 1000:.1f}")
    emit("default_ql_ms_per_frame_after_setup", f"{default * 1000:.1f}")
    emit("csv_1e6_over_default_per_frame", f"{per_frame / default:.2f}")
    return [
        Target("1e6-row CSV training", big["csv_1e6_train_s"], 60, unit=" s"),
        Target("1e6-row CSV peak RSS", big["csv_1e6_peak_rss_mib"], 1024, unit=" MiB"),
        Target("1e6-row CSV scene / default scene, -ql per frame", per_frame / default, 1.2),
    ]


@contextlib.contextmanager
def _environment(**variables: str):
    """Set environment variables for the renders in the block (they inherit it)."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--recipe", action="store_true", help="also run the recipe's optimiser")
    args = parser.parse_args(argv)
    targets: list[Target] = []
    with tempfile.TemporaryDirectory(prefix="netmorph-bench-") as tmp:
        media = Path(tmp)
        targets += bench_training(media)
        targets += bench_cold_start(media)
        render_targets, figures = bench_render(media)
        targets += render_targets
        targets += bench_naive(media, figures)
        targets += bench_scale(media, figures)
        targets += bench_csv(media, figures)
        from benchmarks.bench_page import bench_page

        targets += bench_page(media)
        from benchmarks.bench_narrated import bench_narrated

        targets += bench_narrated(media)
    if args.recipe:
        from benchmarks.recipe_optimizer import run_recipe

        for activation in ("relu", "tanh", "gelu"):
            seconds, accuracy = run_recipe(activation)
            emit(f"recipe_gd_{activation}_s", f"{seconds:.1f}")
            emit(f"recipe_gd_{activation}_accuracy", f"{accuracy:.3f}")
    print("\n| figure | measured | target | result |\n|---|---|---|---|")
    for target in targets:
        print(target.row())
    missed = [t.name for t in targets if not t.passed]
    emit(
        "\nsummary",
        f"{len(targets) - len(missed)}/{len(targets)} targets met"
        + (f"; missed: {', '.join(missed)}" if missed else ""),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
