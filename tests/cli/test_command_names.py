"""One ``netmorph`` command for everything that is not a Manim render: each subcommand answers
``--help`` under its own name, a wrong name is one line and exit 2, ``netmorph train`` never
imports Manim, the old ``python -m model.train`` still runs, and the documented import of the
base scene still imports."""

from __future__ import annotations

import sys
import tomllib

import pytest

from scenes.kit.cli import COMMANDS
from tests.conftest import NETMORPH, REPO, run


@pytest.mark.parametrize("command", ["train", "gif", "deck", "page", "handout"])
def test_every_subcommand_answers_help_under_its_name(command, tmp_path):
    result = run([*NETMORPH, command, "--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: netmorph {command} ")


def test_the_top_level_help_lists_every_subcommand(tmp_path):
    result = run([*NETMORPH, "--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")]
    assert listed == list(COMMANDS) == ["train", "gif", "deck", "page", "handout"]


@pytest.mark.parametrize(("args", "named"), [([], "no command given"), (["render"], "'render'")])
def test_a_missing_or_unknown_subcommand_is_one_line_and_exit_2(args, named, tmp_path):
    result = run([*NETMORPH, *args], tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("netmorph: error: ") and named in line
    assert "train, gif, deck, page, handout" in line


def test_netmorph_train_does_not_import_manim(tmp_path):
    code = (
        "import sys\n"
        "from scenes.kit.cli import main\n"
        "try:\n    main(['train', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('manim' in sys.modules)"
    )
    result = run([sys.executable, "-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_the_console_script_runs_the_dispatcher():
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"netmorph": "scenes.kit.cli:main"}


def test_python_m_model_train_is_an_alias_of_netmorph_train(tmp_path):
    result = run([sys.executable, "-m", "model.train", "--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == run([*NETMORPH, "train", "--help"], tmp_path).stdout


def test_the_documented_import_of_the_base_scene():
    code = "from scenes.morph import MorphScene; print(MorphScene.__module__)"
    result = run([sys.executable, "-c", code], REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "scenes.kit.morph_scene"
