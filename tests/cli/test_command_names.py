"""The names users have always typed keep working after the move to scenes/kit/ and
model/train/: each command answers ``--help``, and the documented import still imports."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import REPO, run


@pytest.mark.parametrize(
    ("module", "prog"),
    [
        ("model.train", "python -m model.train"),
        ("scenes.gif", "python -m scenes.kit.gif"),
        ("scenes.deck", "python -m scenes.kit.deck"),
        ("scenes.kit.gif", "python -m scenes.kit.gif"),
        ("scenes.kit.deck", "python -m scenes.kit.deck"),
    ],
)
def test_every_command_name_answers_help(module, prog, tmp_path):
    result = run([sys.executable, "-m", module, "--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: {prog}")


def test_the_documented_import_of_the_base_scene():
    code = "from scenes.morph import MorphScene; print(MorphScene.__module__)"
    result = run([sys.executable, "-c", code], REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "scenes.kit.morph_scene"
