"""A scene file as ``manim`` reads it: the scene class a user names, imported the same way.

Used by the commands that work from a scene (``netmorph page``, ``netmorph handout``).
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
from pathlib import Path

from manim import Scene

from model.errors import NetmorphError


def load_scene(file: Path, name: str) -> type[Scene]:
    """The scene class ``name`` of the Python file ``file``, imported as ``manim`` imports it."""
    if file.suffix != ".py" or not file.is_file():
        raise NetmorphError(f"no scene file {file}: give the .py file you would hand to manim")
    module_name = ".".join(file.with_suffix("").parts).lstrip(".") or file.stem
    spec = importlib.util.spec_from_file_location(module_name, file)
    if spec is None or spec.loader is None:
        raise NetmorphError(f"{file} cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    sys.path.insert(0, str(file.parent.absolute()))  # as manim does: the file's own imports
    spec.loader.exec_module(module)
    found = getattr(module, name, None)
    if not (inspect.isclass(found) and issubclass(found, Scene)):
        scenes = sorted(
            n for n, obj in vars(module).items() if inspect.isclass(obj) and issubclass(obj, Scene)
        )
        raise NetmorphError(
            f"{file} has no scene {name}: choose one of {', '.join(scenes) or '(none)'}"
        )
    return found
