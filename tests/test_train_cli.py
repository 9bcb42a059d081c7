"""``python -m model.train``: reports on success, one line and exit 2 on a mistake."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import run


@pytest.mark.cli
def test_trains_then_hits_the_cache(tmp_path):
    cmd = [
        sys.executable,
        "-m",
        "model.train",
        "--activation",
        "tanh",
        "--quiet",
        "--cache-dir",
        str(tmp_path / "cache"),
    ]
    first = run(cmd, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "accuracy: 100.0%" in first.stdout
    checkpoint = next(line for line in first.stdout.splitlines() if line.startswith("checkpoint"))
    path = checkpoint.split(": ", 1)[1]
    assert path.endswith(".safetensors") and (tmp_path / "cache").exists()
    second = run(cmd, tmp_path)
    assert second.returncode == 0
    assert "(cache hit)" in second.stdout


@pytest.mark.cli
@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--activation", "swish"], "unknown activation 'swish'"),
        (["--hidden", "3,x"], "bad widths '3,x'"),
        (["--hidden", "0,3"], "bad hidden widths"),
        (["--activation", "relu,tanh,gelu"], "3 activations given for 2"),
        (["--dataset", "moons"], "invalid choice"),
        (["--max-steps", "0"], "--max-steps must be at least 1"),
        (["--seed", "x"], "invalid int value"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(tmp_path, args, fragment):
    result = run([sys.executable, "-m", "model.train", "--quiet", *args], tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert fragment in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "media").exists()  # nothing written
