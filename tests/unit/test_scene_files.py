"""`manim -a FILE` renders exactly the named scenes of each file, never a base class."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from manim.utils.module_ops import get_module, get_scene_classes_from_module

from tests.conftest import REPO

EXPECTED = {
    "morph.py": {
        "ReluMorph",
        "TanhMorph",
        "GeluMorph",
        "SigmoidMorph",
        "LeakyReluMorph",
        "SiluMorph",
        "ReluTanhMorph",
    },
    "morph3d.py": {"ReluMorph3D", "TanhMorph3D", "GeluMorph3D"},
    "datasets.py": {"MoonsMorph", "SpiralMorph", "XorMorph", "LinearFails", "Spiral3Morph"},
    "comparison.py": {"ActivationComparison"},
    "training.py": {"ReluTraining"},
    "poster.py": {"StagesPoster"},
    "slides.py": {"ReluSlides", "TanhSlides", "GeluSlides"},
    "gallery.py": {
        "ReluShort",
        "TanhShort",
        "GeluShort",
        "ReluLastHidden",
        "Spiral3Triangle",
        "ReluFolds",
    },
}


@pytest.mark.parametrize("file", sorted(EXPECTED))
def test_render_all_finds_exactly_the_named_scenes(file, monkeypatch):
    monkeypatch.chdir(REPO)  # manim names the module after the path, as the CLI does
    # manim's loader edits sys.path and sys.modules: keep that from leaking into other tests.
    monkeypatch.setattr(sys, "path", list(sys.path))
    name = f"scenes.{file.removesuffix('.py')}"
    saved = sys.modules.get(name)
    try:
        module = get_module(Path("scenes") / file)
        names = {cls.__name__ for cls in get_scene_classes_from_module(module)}
    finally:
        if saved is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = saved
    assert names == EXPECTED[file]
