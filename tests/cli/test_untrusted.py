"""Issue 21's cases through the real command lines: every one is one line and exit 2 before any
work (or a warning and a clean retrain for the cache), within bounded memory, whatever a file
claims. Each child's peak memory is its own ``ru_maxrss`` (os.wait4).

Crafted files are sparse where they claim size (a 40 GB tensor costs no disk). Two cases need a
mount of their own (a read-only media folder, a full disk): they run in a private mount
namespace (``unshare -m``) and are skipped where that is not allowed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import save_file
from torch import nn

from model.network.config import Config
from model.train.checkpoints import checkpoint_path, save
from tests.conftest import REPO
from tests.crafted_files import MiB, child_env, entry, peak_run, write_raw, write_tensors

OURS = re.compile(r"(warning: |[\w. -]+: error: )")  # "netmorph: error:", "netmorph gif: error:"
MEMORY_BOUND_MIB = 512  # the bound: ~0.5 GiB for any file, whatever its header claims
TINY = ["-r", "160,90", "--fps", "5", "--progress_bar", "none"]
TRAIN = [sys.executable, "-m", "model.train", "--quiet"]


def _mounts_allowed() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, check=False)
    return probe.returncode == 0


MOUNTS = _mounts_allowed()


@dataclass
class Case:
    """One command of the issue, its files made by ``make(folder)``; ``status`` and
    ``fragment`` are what the first line of our own output must say."""

    make: object  # folder -> command arguments
    status: int
    fragment: str
    env: dict[str, str] = field(default_factory=dict)
    mount: bool = False  # needs its own mount namespace


def _weights_cmd(name: str) -> list[str]:
    return [*TRAIN, "--dataset", "moons", "--weights", name]


def _huge_tensor(folder: Path) -> list[str]:
    header = {"0.weight": entry("F32", (100_000, 100_000), 0)[0]}
    write_raw(folder / "huge.safetensors", header, sparse_data_size=40_000_000_000)
    return _weights_cmd("huge.safetensors")


def _zeros_file(folder: Path, name: str, shapes: list[tuple[str, tuple[int, ...]]]) -> list[str]:
    """A float32 weights file of zeros with these tensors, written as its raw bytes."""
    header, end = {}, 0
    for key, shape in shapes:
        header[key], end = entry("F32", shape, end)
    write_raw(folder / name, header, bytes(end))
    return _weights_cmd(name)


def _index_gap(folder: Path) -> list[str]:
    shapes = [("0.weight", (8, 2)), ("0.bias", (8,)), ("99999999.weight", (2, 8))]
    return _zeros_file(folder, "gap.safetensors", shapes)


def _complex(folder: Path) -> list[str]:
    tensors = {k: ("C64", np.ones((2, 2), "<c8")) for k in ("0.weight", "2.weight")}
    write_tensors(folder / "complex.safetensors", tensors)
    return _weights_cmd("complex.safetensors")


def _zero_width(folder: Path) -> list[str]:
    shapes = [("0.weight", (0, 2)), ("0.bias", (0,)), ("2.weight", (2, 0))]
    return _zeros_file(folder, "zero.safetensors", shapes)


def _absurd(folder: Path) -> list[str]:
    torch.manual_seed(0)
    module = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 2))
    with torch.no_grad():
        module[2].weight.mul_(1e19)
        module[4].weight.mul_(1e21)
    save_file(module.state_dict(), str(folder / "absurd.safetensors"))
    return _weights_cmd("absurd.safetensors")


def _fifo_weights(folder: Path) -> list[str]:
    os.mkfifo(folder / "pipe.safetensors")
    return _weights_cmd("pipe.safetensors")


TANH = Config(activation="tanh")


def _cached(folder: Path, edit) -> list[str]:
    """A good tanh checkpoint in ``folder/cache``, then damaged by ``edit(path)``."""
    from model.train.checkpoints import load_or_train

    result, _ = load_or_train(TANH, SHARED_CACHE, progress=False)
    path = save(result, checkpoint_path(TANH, folder / "cache"))
    edit(path)
    return [*TRAIN, "--activation", "tanh", "--cache-dir", "cache"]


def _stray_tensor(path: Path) -> None:
    from model.network.weights_file import read_arrays, read_header

    header = read_header(path, "checkpoint", max_header=4 * MiB)
    raw, data, end = {"__metadata__": header.metadata}, b"", 0
    for name, array in read_arrays(header).items():
        raw[name], end = entry("F32", array.shape, end)
        data += array.astype("<f4").tobytes()
    raw["stray"], stop = entry("F32", (10_000_000_000,), end)
    write_raw(path, raw, data, sparse_data_size=stop)


def _times_1e20(path: Path) -> None:
    from tests.conftest import rewrite_checkpoint

    def edit(tensors, metadata):
        for name in tensors:
            if name.endswith("weight"):
                tensors[name] = tensors[name] * 1e20

    rewrite_checkpoint(path, edit)


def _header_of_4_mib(path: Path) -> None:
    """A header at the checkpoint bound: ~51,000 one-value tensors."""
    from model.network.weights_file import read_header

    metadata = read_header(path, "checkpoint", max_header=4 * MiB).metadata
    header, end = {"__metadata__": metadata}, 0
    for i in range(51_000):
        header[f"t{i}"], end = entry("F32", (1,), end)
    write_raw(path, header, bytes(end))


def _scene(folder: Path, body: str, base: str = "MorphScene", extra: list[str] = ()) -> list[str]:
    imports = {
        "MorphScene": "from scenes.morph import MorphScene",
        "MorphScene3D": "from scenes.kit.morph_scene_3d import MorphScene3D",
        "ReluMorph3D": "from scenes.morph3d import ReluMorph3D",
        "ReluMorph": "from scenes.morph import ReluMorph",
    }
    lines = "\n    ".join(body.split("; "))
    (folder / "mine.py").write_text(f"{imports[base]}\n\nclass Mine({base}):\n    {lines}\n")
    return ["manim", *TINY, *extra, "--media_dir", "media", "mine.py", "Mine"]


def _scene_with_weights(folder: Path) -> list[str]:
    _index_gap(folder)
    return _scene(folder, "dataset = 'moons'; weights = 'gap.safetensors'")


def _csv(folder: Path, name: str, rows) -> None:
    (folder / name).write_text("x,y,label\n" + "".join(f"{x},{y},{c}\n" for x, y, c in rows))


def _fifo_csv(folder: Path) -> list[str]:
    os.mkfifo(folder / "pipe.csv")
    return [*TRAIN, "--dataset", "pipe.csv", "--hidden", "3,3,3", "--cache-dir", "cache"]


def _same_points(folder: Path) -> list[str]:
    _csv(folder, "same.csv", [(1, 1, "a"), (1, 1, "b")] * 50)
    return [*TRAIN, "--dataset", "same.csv", "--hidden", "3,3,3", "--cache-dir", "cache"]


def _long_labels(folder: Path) -> list[str]:
    rng = np.random.default_rng(0)
    rows = [(x, y, "x" * 300 if y > 0 else "short") for x, y in rng.uniform(-1, 1, (200, 2))]
    _csv(folder, "long.csv", rows)
    return [*TRAIN, "--dataset", "long.csv", "--hidden", "3,3,3", "--cache-dir", "cache"]


def _read_only_media(folder: Path) -> list[str]:
    """The issue's case: a media folder that holds the checkpoint already, mounted read-only."""
    (folder / "media").mkdir()
    shutil.copytree(SHARED_CACHE, folder / "media" / "checkpoints")
    cmd = _scene(folder, "pass", base="ReluMorph", extra=["-s"])
    mount = "mount --bind media media && mount -o remount,bind,ro media"
    return ["unshare", "-m", "sh", "-c", f'{mount} && exec "$@"', "sh", *cmd]


def _full_disk(folder: Path) -> list[str]:
    """A 160 KB disk: the render's text cache and partial movies fill it. What is left on it is
    listed (the mount ends with the command)."""
    (folder / "media").mkdir()
    cmd = _scene(folder, "pass", base="ReluMorph")
    mount = "mount -t tmpfs -o size=160k tmpfs media"
    run = '"$@"; status=$?; find media -type f; exit $status'
    return ["unshare", "-m", "sh", "-c", f"{mount} && {{ {run}; }}", "sh", *cmd]


def _gif_into_folder(folder: Path) -> list[str]:
    (folder / "clips").mkdir()
    (folder / "clip.mp4").write_bytes(b"never read")
    return [sys.executable, "-m", "scenes.kit.gif", "clip.mp4", "clips"]


def _gif_as_png(folder: Path) -> list[str]:
    (folder / "clip.mp4").write_bytes(b"never read")
    return [sys.executable, "-m", "scenes.kit.gif", "clip.mp4", "out.png"]


CASES: dict[str, Case] = {
    # 1. Weights files: refused from the header, memory bounded.
    "weights: a 40 GB tensor": Case(_huge_tensor, 2, "declares shape [100000, 100000]"),
    "weights: keys 0 then 99999999": Case(_index_gap, 2, "followed by module 99999999"),
    "weights: complex": Case(_complex, 2, "holds complex64 weights"),
    "weights: a zero-width layer": Case(_zero_width, 2, "a layer without units"),
    "weights: 1e21 weights overflow": Case(_absurd, 2, "beyond float32's range"),
    "weights: a FIFO": Case(_fifo_weights, 2, "is a named pipe (FIFO), not a regular file"),
    "scene: keys 0 then 99999999": Case(_scene_with_weights, 2, "followed by module 99999999"),
    "cache: a stray 40 GB tensor": Case(
        lambda f: _cached(f, _stray_tensor), 0, "declares shape [10000000000]"
    ),
    "cache: 1e20 weights overflow": Case(
        lambda f: _cached(f, _times_1e20), 0, "beyond float32's range"
    ),
    "cache: a 4 MiB header of 51,000 tensors": Case(
        lambda f: _cached(f, _header_of_4_mib), 0, "does not match the network"
    ),
    # 2. Conflicts, before training.
    "scene: show_folds with tanh": Case(
        lambda f: _scene(f, "activation = 'tanh'; show_folds = True"), 2, "fold lines are where"
    ),
    "scene: one width": Case(
        lambda f: _scene(f, "hidden = (3,)"), 2, "one width is the affine embedding alone"
    ),
    "scene: view 3d in 2-D": Case(lambda f: _scene(f, "view = '3d'"), 2, "needs a 3-D scene"),
    "3-D: fill = 'big'": Case(lambda f: _scene(f, "fill = 'big'", "MorphScene3D"), 2, "fill ="),
    "3-D: fill = -1": Case(lambda f: _scene(f, "fill = -1", "MorphScene3D"), 2, "above 0"),
    "3-D: NETMORPH_FILL=0.5 works": Case(
        lambda f: _scene(f, "pass", "ReluMorph3D", ["-s"]), 0, "", {"NETMORPH_FILL": "0.5"}
    ),
    # 3. Odd data and places.
    "csv: a FIFO": Case(_fifo_csv, 2, "is a named pipe (FIFO), not a regular file"),
    "csv: every point the same": Case(_same_points, 2, "every row is the point (1, 1)"),
    "csv: a 300-character label": Case(_long_labels, 0, "shortened for the legend"),
    "media: read-only, holding the checkpoint": Case(
        _read_only_media, 2, "cannot write the render into", mount=True
    ),
    "media: the disk fills while encoding": Case(_full_disk, 2, "is full", mount=True),
    "gif: into a folder": Case(_gif_into_folder, 2, "clips is a folder"),
    "gif: into out.png": Case(_gif_as_png, 2, "must end in .gif"),
}

SHARED_CACHE: Path = Path()  # set by the fixture: one trained tanh network for every case


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory, shared_cache):
    """Every case run once, two at a time: {case: (status, our first line, output, MiB, s)}."""
    global SHARED_CACHE
    SHARED_CACHE = shared_cache
    from model.train.checkpoints import load_or_train

    load_or_train(TANH, shared_cache, progress=False)
    root = tmp_path_factory.mktemp("untrusted")
    jobs = {}
    for k, (name, case) in enumerate(CASES.items()):
        if case.mount and not MOUNTS:
            continue
        folder = root / f"case{k}"
        folder.mkdir()
        jobs[name] = (case.make(folder), folder, child_env(REPO, **case.env))

    def one(job):
        args, folder, env = job
        return (*peak_run(args, folder, env, timeout=300), folder)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(jobs, pool.map(one, jobs.values())))
    if os.environ.get("UNTRUSTED_TABLE"):  # the note: each case, its status, line, peak
        Path(os.environ["UNTRUSTED_TABLE"]).write_text(_table(results))
    return results


def _table(results) -> str:
    rows = ["| case | exit | first line of ours | peak RSS | time |", "|---|---|---|---|---|"]
    for name, (status, _, stderr, peak, seconds, _) in results.items():
        first = (ours(stderr) or ["(none)"])[0]
        rows.append(f"| {name} | {status} | {first} | {peak:.0f} MiB | {seconds:.1f} s |")
    return "\n".join(rows) + "\n"


def ours(stderr: str) -> list[str]:
    """netmorph's own lines (errors and warnings), without Manim's log and progress lines."""
    return [line for line in stderr.splitlines() if OURS.match(line)]


@pytest.mark.cli
@pytest.mark.parametrize("name", CASES)
def test_each_case_is_one_line_within_bounded_memory(outcomes, name):
    case = CASES[name]
    if name not in outcomes:
        pytest.skip("needs a private mount namespace (unshare -m): not allowed here")
    status, stdout, stderr, peak, _, folder = outcomes[name]
    assert status == case.status, stderr[-3000:]
    assert "Traceback" not in stderr + stdout
    assert peak < MEMORY_BOUND_MIB, f"{peak:.0f} MiB"
    lines = ours(stderr)
    if case.fragment:
        assert len(lines) == 1 and case.fragment in lines[0], stderr[-3000:]
    else:
        assert lines == []
    if name.startswith(("csv: a FIFO", "csv: every", "scene:", "3-D: fill")):
        assert not (folder / "cache").exists() and not (folder / "media" / "checkpoints").exists()
    if name.startswith("cache:"):
        assert "(cache hit)" not in stdout and "accuracy: 100 %" in stdout  # retrained whole
    if name == "media: the disk fills while encoding":
        left = [Path(line) for line in stdout.splitlines() if line.startswith("media/")]
        assert left and not [p for p in left if p.suffix == ".mp4" or p.name.startswith(".")]
