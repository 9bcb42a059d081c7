"""``netmorph train``: reports on success, one line and exit 2 on a mistake."""

from __future__ import annotations

import pytest

from tests.conftest import NETMORPH, run


@pytest.mark.cli
def test_trains_then_hits_the_cache(tmp_path):
    cmd = [
        *NETMORPH,
        "train",
        "--activation",
        "tanh",
        "--quiet",
        "--cache-dir",
        str(tmp_path / "cache"),
    ]
    first = run(cmd, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "accuracy: 100 %" in first.stdout
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
        (["--dataset", "moon"], "unknown dataset 'moon'"),
        (["--dataset", "missing.csv"], "no such CSV file missing.csv"),
        (["--target-accuracy", "2"], "target accuracy must be in (0, 1]"),
        (["--max-steps", "0"], "--max-steps must be at least 1"),
        (["--dataset", "bad.csv"], "bad.csv line 3: y value 'oops' is not a number"),
        (["--seed", "x"], "invalid int value"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(tmp_path, args, fragment):
    (tmp_path / "bad.csv").write_text("x,y,label\n0,0,a\n1,oops,b\n")
    result = run([*NETMORPH, "train", "--quiet", *args], tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert fragment in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "media").exists()  # nothing written


@pytest.mark.cli
def test_identity_keeps_its_best_with_snapshots(tmp_path):
    cmd = [*NETMORPH, "train", "--activation", "identity", "--quiet"]
    cmd += ["--max-steps", "60", "--snapshot-every", "20", "--no-cache"]
    result = run(cmd, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "target: 100 % not reached (kept the best)" in result.stdout
    assert "snapshots: 4 (steps 0–60)" in result.stdout
