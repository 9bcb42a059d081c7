"""``netmorph train``: reports on success, one line and exit 2 on a mistake."""

from __future__ import annotations

import pytest
from safetensors.torch import save_file
from torch import nn

from tests.conftest import NETMORPH, REPO, run


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
        (["--max-iterations", "0"], "--max-iterations must be at least 1"),
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
    cmd += ["--max-iterations", "60", "--snapshot-every", "20", "--no-cache"]
    result = run(cmd, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "target: 100 % not reached (kept the best)" in result.stdout
    assert "snapshots: 4 (iterations 0–60)" in result.stdout


@pytest.mark.cli
def test_train_cli_checks_and_reports_a_weights_file(tmp_path):
    good, bad = tmp_path / "good.safetensors", tmp_path / "bad.safetensors"
    save_file(nn.Sequential(nn.Linear(2, 6), nn.ReLU(), nn.Linear(6, 2)).state_dict(), str(good))
    bn = nn.Sequential(nn.Linear(2, 6), nn.BatchNorm1d(6), nn.Linear(6, 2))
    save_file(bn.state_dict(), str(bad))
    cmd = ["python", "-m", "model.train", "--dataset", "moons", "--weights"]
    ok = run([*cmd, str(good)], REPO)
    assert ok.returncode == 0, ok.stderr
    assert "your model: Linear 2→6, ReLU, Linear 6→2" in ok.stdout
    assert "accuracy:" in ok.stdout and "1200 points of moons" in ok.stdout
    refused = run([*cmd, str(bad)], REPO)
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1 and "batch norm" in refused.stderr
