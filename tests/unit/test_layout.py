"""The layout shows the flow: no import cycles, model/ without Manim, one job per module, and
scenes/ holding only files a user renders (their building blocks are in scenes/kit/)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from manim import Scene

from tests.conftest import REPO

PACKAGES = ("model", "scenes")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def import_graph() -> dict[str, set[str]]:
    """module -> the project modules it imports anywhere in its code (even inside functions or
    under TYPE_CHECKING: a cycle of those still ties the modules together)."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and not name.startswith(target + "."):
                    graph[name].add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycles():
    assert _cycle(import_graph()) is None


def test_a_planted_cycle_is_found():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_model_never_imports_manim_or_scenes():
    for name, path in _modules().items():
        if not name.startswith("model"):
            continue
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
        assert not imported & {"manim", "scenes", "manim_slides"}, name


def test_every_module_says_its_one_job_on_its_first_line():
    for name, path in _modules().items():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc, f"{name} has no docstring"
        first = doc.splitlines()[0]
        assert first.endswith(".") and len(first) <= 100, f"{name}: {first!r}"


def test_scene_files_hold_only_renderable_scenes():
    """scenes/ is the folder of files users hand to manim: commands live in scenes/kit/."""
    import importlib

    for path in sorted((REPO / "scenes").glob("*.py")):
        if path.name == "__init__.py":
            continue
        module = importlib.import_module(f"scenes.{path.stem}")
        scenes = [
            obj
            for obj in vars(module).values()
            if inspect.isclass(obj) and issubclass(obj, Scene) and obj.__module__ == module.__name__
        ]
        assert scenes, f"{path.name} defines no scene: it belongs in scenes/kit/"
