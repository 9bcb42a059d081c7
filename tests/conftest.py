"""Shared fixtures: every test writes under a temporary folder, never into media/.

The tiers are folders: ``tests/unit`` (pure: no process started, no scene set up or rendered;
``test_layout.py`` checks), ``tests/scenes`` (tiny dry-run renders in this process) and
``tests/cli`` (the real command lines in subprocesses, every test marked ``cli``).
``make test-fast`` runs the first two without ``cli`` tests; ``make test`` runs everything.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from manim import tempconfig
from safetensors import safe_open
from safetensors.torch import save as safetensors_bytes
from torch import nn

REPO = Path(__file__).resolve().parents[1]
# The `netmorph` command as its console script runs it (scenes.kit.cli:main), installed or not.
NETMORPH = [sys.executable, "-m", "scenes.kit.cli"]


def pytest_collection_modifyitems(items) -> None:
    """Mark every test under tests/cli as ``cli``, so ``-m 'not cli'`` leaves the tier out."""
    cli = REPO / "tests" / "cli"
    for item in items:
        if cli in Path(item.path).parents:
            item.add_marker(pytest.mark.cli)


@pytest.fixture(autouse=True)
def _media_in_tmp(tmp_path, monkeypatch):
    """Send Manim's media_dir to a temp folder for every test."""
    from manim import tempconfig

    monkeypatch.chdir(tmp_path)
    with tempconfig({"media_dir": str(tmp_path / "media")}):
        yield


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    """One checkpoint cache for the session, so each network trains once."""
    return tmp_path_factory.mktemp("checkpoints")


@pytest.fixture(scope="session")
def trained(shared_cache):
    """A function: config keywords -> TrainedNetwork, cached across the session."""
    from model.network.config import Config
    from model.train.checkpoints import load_or_train

    def get(**kwargs):
        return load_or_train(Config(**kwargs), shared_cache, progress=False)[0]

    return get


@pytest.fixture
def saved(trained, tmp_path) -> Path:
    """A good checkpoint of ``Config(activation="tanh")`` in a fresh cache folder: its path."""
    from model.network.config import Config
    from model.train.checkpoints import checkpoint_path, save

    config = Config(activation="tanh")
    return save(trained(activation="tanh"), checkpoint_path(config, tmp_path / "cache"))


def users_module() -> nn.Sequential:
    """A network as a user writes it: Dropout, a LeakyReLU of its own slope, no Softmax."""
    torch.manual_seed(3)
    return nn.Sequential(
        nn.Linear(2, 2),
        nn.LeakyReLU(0.05),
        nn.Dropout(0.2),
        nn.Linear(2, 2),
        nn.Tanh(),
        nn.Linear(2, 2),
    )


def run(
    args: list[str], cwd: Path, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run a command with the venv's executables first on PATH, capturing text output.

    ``env`` adds variables to this process's environment.
    """
    env = dict(os.environ) | (env or {})
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


TINY = {
    "pixel_width": 160,
    "pixel_height": 90,
    "frame_rate": 5,
    "dry_run": True,
    "disable_caching": True,
}


def scene_media(shared_cache) -> Path:
    """The dry-run scenes' media folder, holding every network the session has trained."""
    from model.train.checkpoints import cache_dir_in

    media = shared_cache.parent / "scene-media"
    cache = cache_dir_in(media)
    cache.mkdir(parents=True, exist_ok=True)
    for f in shared_cache.glob("*.safetensors"):  # reuse networks trained by other tests
        target = cache / f.name
        if not target.exists():
            target.write_bytes(f.read_bytes())
    return media


def render_recording(scene_class, shared_cache):
    """Render ``scene_class`` dry (tiny frames); record the drawn dots after every step."""

    from scenes.kit.animations import PlayTimeline

    class Recording(scene_class):
        def setup(self):
            self.recorded = []
            self.boundaries = {}  # step -> the drawn boundary's vertices at its end
            self.names_drawn = {}  # step -> {name: (x, y) its centre} of the names shown at its end
            super().setup()

        def play(self, *animations, **kwargs):
            super().play(*animations, **kwargs)
            for anim in animations:
                if isinstance(anim, PlayTimeline):
                    picture = anim.mobject
                    self.boundaries[anim.move] = picture.boundary.vertices.copy()
                    self.names_drawn[anim.move] = {
                        text: tuple(name.get_center()[:2])
                        for text, name in picture.names.items()
                        if name.family_members_with_points()[0].get_fill_opacity() > 0
                    }
                    self.recorded.append(
                        (
                            anim.move,
                            [c.centers.copy() for c in picture.clouds],
                            picture.grid.vertices.copy(),
                        )
                    )

    with tempconfig({**TINY, "media_dir": str(scene_media(shared_cache))}):
        scene = Recording()
        scene.render()
        frame = scene.renderer.get_frame()
    return scene, frame


def rewrite_checkpoint(path: Path, edit) -> None:
    """Rewrite a checkpoint's tensors and metadata through ``edit(tensors, metadata)``."""
    with safe_open(str(path), framework="pt") as f:
        metadata = dict(f.metadata())
        tensors = {k: f.get_tensor(k) for k in f.keys()}  # noqa: SIM118 (not a dict)
    edit(tensors, metadata)
    path.write_bytes(safetensors_bytes(tensors, metadata=metadata))
