"""The layout shows the flow: imports go one way down the documented layers with no cycle,
model/ never imports Manim, every module opens with a one-line summary, scenes/ holds only files
a user renders (their building blocks are in scenes/kit/), and tests/unit starts no process and
sets up no scene."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from manim import Scene

from tests.conftest import REPO

PACKAGES = ("model", "scenes", "benchmarks")

# The documented flow (README "Layout"; GUIDE "The shape of the system"), lowest first: a module
# may import modules of its own layer and of the layers before it, never of a layer after it.
# A module belongs to the layer of the longest prefix below that names it; "model" names only
# the package's own __init__, so a new module of model/ must be given its place here.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("model", "model.errors", "model.formatting", "model.files"),  # what every layer may use
    ("model.data",),
    ("model.network",),
    ("model.train",),
    ("model.geometry",),
    ("model.picture",),
    ("model.pipeline", "model.film", "model.narration"),  # set-ups and words the scenes use
    ("scenes.kit",),  # what the scene files are built from
    ("scenes",),  # the files a user renders
    ("benchmarks",),
)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def project_imports() -> dict[str, list[tuple[int, str]]]:
    """module -> (line, project module) of every import anywhere in its code (even inside
    functions or under TYPE_CHECKING: those still tie the modules together)."""
    modules = _modules()
    found: dict[str, list[tuple[int, str]]] = {name: [] for name in modules}
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
                    found[name].append((node.lineno, target))
    return {name: sorted(set(imports)) for name, imports in found.items()}


def import_graph() -> dict[str, set[str]]:
    """module -> the project modules it imports (see :func:`project_imports`)."""
    return {name: {target for _, target in imports} for name, imports in project_imports().items()}


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


def layer_of(module: str) -> int | None:
    """Index in :data:`LAYERS` of the longest prefix naming ``module``; None if none does."""
    matches = [
        (len(prefix), index)
        for index, prefixes in enumerate(LAYERS)
        for prefix in prefixes
        if module == prefix or (module.startswith(prefix + ".") and prefix != "model")
    ]
    return max(matches)[1] if matches else None


def upward_imports(imports: dict[str, list[tuple[int, str]]], files: dict[str, Path]) -> list[str]:
    """One line per import of a later layer than the importer's: file, line, what and which
    layers."""
    found = []
    for name, targets in sorted(imports.items()):
        for line, target in targets:
            here, there = layer_of(name), layer_of(target)
            if here is not None and there is not None and there > here:
                where = files[name].relative_to(REPO) if name in files else name
                found.append(
                    f"{where}:{line} imports {target}: {LAYERS[there][0]} comes after "
                    f"{LAYERS[here][0]} in the layer order"
                )
    return found


def test_no_import_cycles():
    assert _cycle(import_graph()) is None


def test_a_planted_cycle_is_found():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_every_module_has_a_place_in_the_layers():
    assert [name for name in _modules() if layer_of(name) is None] == []


def test_imports_go_down_the_layers_never_up():
    assert upward_imports(project_imports(), _modules()) == []


def test_an_import_up_the_layers_is_named_with_its_file_and_line():
    files = {"model.network.own": REPO / "model" / "network" / "own.py"}
    planted = {
        "model.network.own": [(7, "model.train.results"), (8, "model.errors")],
        "model.picture.view": [(3, "model.geometry.trace")],
        "scenes.kit.style": [(5, "scenes.morph")],
    }
    assert upward_imports(planted, files) == [
        "model/network/own.py:7 imports model.train.results: model.train comes after "
        "model.network in the layer order",
        "scenes.kit.style:5 imports scenes.morph: scenes comes after scenes.kit in the layer order",
    ]


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


def test_every_module_docstring_opens_with_a_one_line_summary():
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


# What only tests/cli (a process) or tests/scenes (a scene in this process) may use.
PROCESS = {"subprocess", "multiprocessing", "concurrent.futures"}  # modules that start processes
CONFTEST_RUNNERS = {"run", "render_recording", "scene_media"}
SCENE_METHODS = {"render", "setup", "construct"}


def tier_breaches(source: str) -> list[str]:
    """What in a test file's ``source`` starts a process or sets up a scene, by line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, f"imports {a.name}") for a in node.names if a.name in PROCESS]
        elif isinstance(node, ast.ImportFrom) and node.module in PROCESS:
            found.append((node.lineno, f"imports from {node.module}"))
        elif isinstance(node, ast.ImportFrom) and node.module == "tests.conftest":
            names = [a.name for a in node.names if a.name in CONFTEST_RUNNERS]
            found += [(node.lineno, f"imports tests.conftest.{name}") for name in names]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in SCENE_METHODS:
                found.append((node.lineno, f"calls .{node.func.attr}()"))
            elif node.func.attr in {"system", "popen"} and ast.unparse(node.func.value) == "os":
                found.append((node.lineno, f"calls os.{node.func.attr}()"))
    return [f"line {line}: {what}" for line, what in sorted(found)]


def test_the_unit_tier_starts_no_process_and_sets_up_no_scene():
    breaches = {
        path.name: found
        for path in sorted((REPO / "tests" / "unit").glob("*.py"))
        if (found := tier_breaches(path.read_text(encoding="utf-8")))
    }
    assert breaches == {}, "move these tests to tests/cli (a process) or tests/scenes (a scene)"


def test_a_process_or_a_scene_in_a_unit_test_is_found():
    planted = (
        "import subprocess\n"
        "from tests.conftest import REPO, run\n"
        "def test_x():\n"
        "    scene = ReluMorph()\n"
        "    scene.render()\n"
        "    os.system('true')\n"
    )
    assert tier_breaches(planted) == [
        "line 1: imports subprocess",
        "line 2: imports tests.conftest.run",
        "line 5: calls .render()",
        "line 6: calls os.system()",
    ]
