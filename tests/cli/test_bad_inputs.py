"""Every bad scene attribute, environment override and train-CLI argument fails before any work.

The whole table runs in-process through a real subclass (fast; training is replaced by a trap,
so "no training started" is checked exactly); one case of every kind also runs through the real
``manim`` and ``netmorph train`` command lines, as a user meets them: exit 2, one line on
stderr naming the attribute and the fix, no traceback, nothing written under the media folder
(a training always leaves its checkpoint there). CLI runs start together, one per core.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from manim import tempconfig

from model.train import checkpoints as store
from tests.conftest import NETMORPH, REPO

TINY = ["-r", "160,90", "--fps", "5", "-s"]

# (case id, base class, class body, environment, fragment of the one error line)
SCENE_CASES = [
    ("view typo", "MorphScene", "view = 'pcaa'", {}, "view = 'pcaa': unknown view 'pcaa'"),
    ("hidden int", "MorphScene", "hidden = 3", {}, "write hidden = (3,)"),
    ("hidden too deep", "MorphScene", "hidden = (3,) * 30", {}, "1 to 8 layers"),
    ("hidden too wide", "MorphScene", "hidden = (3, 100)", {}, "of 1 to 64 units"),
    ("hidden strings", "MorphScene", "hidden = ('3', '3')", {}, "whole numbers"),
    ("activation None", "MorphScene", "activation = None", {}, "activation = None: must be"),
    ("activation typo", "MorphScene", "activation = 'tahn'", {}, "unknown activation 'tahn'"),
    (
        "activation count",
        "MorphScene",
        "activation = ('relu', 'tanh', 'gelu')",
        {},
        "3 activations given for 2",
    ),
    ("dataset None", "MorphScene", "dataset = None", {}, "unknown dataset None"),
    ("dataset missing csv", "MorphScene", "dataset = 'gone.csv'", {}, "no such CSV file"),
    ("seed string", "MorphScene", "seed = 'x'", {}, "seed = 'x': must be a whole number"),
    ("seed float", "MorphScene", "seed = 1.5", {}, "seed = 1.5: must be a whole number"),
    ("seed 2**64", "MorphScene", "seed = 2**64", {}, "from 0 to 2**63 - 1"),
    ("seed negative", "MorphScene", "seed = -1", {}, "seed = -1"),
    ("density negative", "MorphScene", "density = -3", {}, "density = -3: must be"),
    ("density zero", "MorphScene", "density = 0", {}, "from 1 to 16"),
    ("density float", "MorphScene", "density = 2.5", {}, "density = 2.5"),
    ("density huge", "MorphScene", "density = 1000", {}, "from 1 to 16"),
    ("bool as string", "MorphScene", "show_boundary = 'no'", {}, "must be True or False"),
    ("morph zero", "MorphScene", "morph_seconds = 0", {}, "must be a number above 0"),
    ("morph negative", "MorphScene", "morph_seconds = -1", {}, "morph_seconds = -1"),
    ("hold negative", "MorphScene", "hold_seconds = -1", {}, "from 0 to 60"),
    ("label zero", "MorphScene", "label_seconds = 0", {}, "label_seconds = 0"),
    ("path typo", "MorphScene", "affine_path = 'curvy'", {}, "curvy"),
    ("target above 1", "MorphScene", "target_accuracy = 1.5", {}, "target_accuracy = 1.5"),
    ("best_effort string", "MorphScene", "best_effort = 'yes'", {}, "True or False"),
    ("cache string", "MorphScene", "cache = 'off'", {}, "cache = 'off'"),
    ("panels one string", "ActivationComparison", "activations = 'relu'", {}, "('relu',)"),
    ("panels empty", "ActivationComparison", "activations = ()", {}, "1 to 4 names"),
    ("replay zero", "TrainingScene", "replay_seconds = 0", {}, "replay_seconds = 0"),
    ("snapshots zero", "TrainingScene", "snapshot_every = 0", {}, "snapshot_every = 0"),
    ("env widths", "MorphScene", "pass", {"NETMORPH_HIDDEN": "3,x"}, "NETMORPH_HIDDEN='3,x'"),
    ("env bool", "MorphScene", "pass", {"NETMORPH_SHOW_BOUNDARY": "maybe"}, "1/true/yes/on"),
    ("env seed", "MorphScene", "pass", {"NETMORPH_SEED": "1.5"}, "NETMORPH_SEED='1.5'"),
    ("env pacing", "MorphScene", "pass", {"NETMORPH_MORPH_SECONDS": "0"}, "above 0"),
    ("env typo", "MorphScene", "pass", {"NETMORPH_HIDEN": "3,3"}, "did you mean NETMORPH_HIDDEN"),
    ("env view", "MorphScene", "pass", {"NETMORPH_VIEW": "4d"}, "unknown view '4d'"),
]

# One case of every kind, also run through the real manim CLI.
CLI_CASES = {
    "view typo",
    "hidden int",
    "hidden too deep",
    "activation None",
    "activation count",
    "dataset missing csv",
    "seed 2**64",
    "density zero",
    "bool as string",
    "morph zero",
    "hold negative",
    "panels one string",
    "env widths",
    "env typo",
}

BASES = {
    "MorphScene": "from scenes.morph import MorphScene",
    "ActivationComparison": "from scenes.comparison import ActivationComparison",
    "TrainingScene": "from scenes.training import TrainingScene",
}


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETMORPH_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env | extra


def _run_all(jobs: list[tuple[list[str], Path, dict[str, str]]]) -> list:
    """Run every (args, cwd, env) at once, as many as there are cores."""

    def one(job):
        args, cwd, env = job
        return subprocess.run(
            args,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(one, jobs))


@pytest.fixture(scope="module")
def scene_runs(tmp_path_factory):
    """Each case's subclass file rendered by the real manim CLI: {case id: (result, media)}."""
    root = tmp_path_factory.mktemp("bad-scenes")
    jobs, media = [], {}
    for k, (case, base, body, env, _) in enumerate(SCENE_CASES):
        if case not in CLI_CASES:
            continue
        folder = root / f"case{k}"
        folder.mkdir()
        (folder / "mine.py").write_text(
            textwrap.dedent(f"""
            {BASES[base]}

            class Mine({base}):
                {body}
            """)
        )
        media[case] = folder / "media"
        args = ["manim", *TINY, "--media_dir", str(media[case]), "mine.py", "Mine"]
        jobs.append((args, folder, _env(env)))
    # The unsupported renderer, on a scene that is otherwise fine.
    folder = root / "opengl"
    folder.mkdir()
    (folder / "mine.py").write_text(
        "from scenes.morph import ReluMorph\n\nclass Mine(ReluMorph):\n    pass\n"
    )
    media["opengl renderer"] = folder / "media"
    args = ["manim", "--renderer=opengl", *TINY, "--media_dir", str(media["opengl renderer"])]
    jobs.append(([*args, "mine.py", "Mine"], folder, _env({})))
    results = _run_all(jobs)
    return dict(zip(media, zip(results, media.values())))


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _assert_one_line_error(result, fragment: str) -> str:
    assert result.returncode == 2, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert lines[0].startswith("netmorph: error: ")
    assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("base", "body", "env", "fragment"),
    [c[1:] for c in SCENE_CASES],
    ids=[c[0] for c in SCENE_CASES],
)
def test_bad_scene_attribute_stops_before_training(
    base, body, env, fragment, tmp_path, monkeypatch, capsys
):
    def trap(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(store, "train", trap)
    for name in [n for n in os.environ if n.startswith("NETMORPH_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    namespace: dict = {}
    exec(f"{BASES[base]}\nclass Mine({base}):\n    {body}\n", namespace)
    media = tmp_path / "media"
    with tempconfig({"pixel_width": 160, "pixel_height": 90, "media_dir": str(media)}):
        with pytest.raises(SystemExit) as info:
            namespace["Mine"]().render()
    assert info.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], lines
    assert _files(media) == []


@pytest.mark.cli
@pytest.mark.parametrize(
    ("case", "fragment"),
    [(c[0], c[4]) for c in SCENE_CASES if c[0] in CLI_CASES] + [("opengl renderer", "cairo")],
    ids=[c[0] for c in SCENE_CASES if c[0] in CLI_CASES] + ["opengl renderer"],
)
def test_bad_scene_input_fails_before_any_work(scene_runs, case, fragment):
    result, media = scene_runs[case]
    _assert_one_line_error(result, fragment)
    assert _files(media) == []  # no frame, no clip, no checkpoint: nothing was trained


# The train CLI's own cases (tests/test_train_cli.py has the older ones).
TRAIN_CASES = [
    (["--seed", "18446744073709551616"], "seed must be a whole number from 0 to 2**63 - 1"),
    (["--hidden", "3,3,3,3,3,3,3,3,3"], "1 to 8 layers"),
    (["--target-accuracy", "nan"], "target accuracy must be in (0, 1]"),
    (["--max-iterations", "1000000000"], "max_iterations must be a whole number from 1 to 100_000"),
    (["--dataset", "huge.csv"], "huge.csv line 2: x value '1e300' is beyond ±1e+30"),
    (["--cache-dir", "a-file"], "cache folder a-file is a file, not a folder"),
    (["--cache-dir", "a-file/inside"], "which is a file"),
]


@pytest.fixture(scope="module")
def train_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-train")
    jobs = []
    for k, (args, _) in enumerate(TRAIN_CASES):
        folder = root / f"case{k}"
        folder.mkdir()
        (folder / "huge.csv").write_text("x,y,label\n1e300,0,a\n0,1,b\n")
        (folder / "a-file").write_text("not a folder\n")
        cmd = [*NETMORPH, "train", "--quiet", *args]
        jobs.append((cmd, folder, _env({"PYTHONPATH": str(REPO)})))
    return dict(
        zip((" ".join(a) for a, _ in TRAIN_CASES), zip(_run_all(jobs), [j[1] for j in jobs]))
    )


@pytest.mark.cli
@pytest.mark.parametrize(
    ("args", "fragment"), TRAIN_CASES, ids=[" ".join(a) for a, _ in TRAIN_CASES]
)
def test_bad_train_argument_fails_before_training(train_runs, args, fragment):
    result, folder = train_runs[" ".join(args)]
    _assert_one_line_error(result, fragment)
    assert not (folder / "media").exists()  # the default cache was never made
    assert (folder / "a-file").read_text() == "not a folder\n"
