"""A still (``manim -s``) draws only its last frame, and that frame is the video's last."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Camera, Scene, Square, tempconfig

from scenes.comparison import ActivationComparison
from scenes.gallery import Spiral3Triangle
from scenes.kit.manim_internals import FastCamera
from scenes.morph import ReluMorph
from scenes.morph3d import ReluMorph3D
from tests.conftest import TINY, scene_media


def _last_frame(scene_class, media, *, still: bool) -> np.ndarray:
    settings = {**TINY, "dry_run": not still, "save_last_frame": still, "write_to_movie": not still}
    with tempconfig({**settings, "media_dir": str(media)}):
        scene = scene_class()
        scene.render()
        assert scene.still is still
        return scene.renderer.get_frame().astype(int)


# Spiral3Triangle ends on its last step, its collapse rings still on screen (a gallery still).
@pytest.mark.parametrize(
    "scene_class", [ReluMorph, ReluMorph3D, ActivationComparison, Spiral3Triangle]
)
def test_a_still_is_the_videos_last_frame(scene_class, shared_cache):
    media = scene_media(shared_cache)
    video = _last_frame(scene_class, media, still=False)
    still = _last_frame(scene_class, media, still=True)
    difference = np.abs(video - still)
    # Compositing over a saved static image, a repeated glyph from its kept pixels
    # (manim_internals.RasterCache), and the decision shading's clip to the picture each round
    # once more than drawing it straight: ±1 each.
    assert difference.max() <= 4
    assert (difference > 0).mean() < 0.01


def test_a_fully_transparent_mobject_is_never_drawn(monkeypatch):
    drawn = []
    original = Camera.set_cairo_context_path
    monkeypatch.setattr(
        Camera,
        "set_cairo_context_path",
        lambda self, ctx, vmobject: drawn.append(vmobject) or original(self, ctx, vmobject),
    )

    class Two(Scene):
        def construct(self):
            self.add(Square().set_opacity(0), Square(color="#ff0000").shift([2, 0, 0]))

    with tempconfig({**TINY, "dry_run": True}):
        scene = Two(camera_class=FastCamera)
        scene.render()
        scene.renderer.update_frame(scene)
    hidden, shown = scene.mobjects
    assert shown in drawn and hidden not in drawn


def test_the_imported_modules_are_frozen_out_of_the_collector():
    """A full collection no longer walks Manim's, numpy's and cairo's objects (a cached still:
    1.55 → 1.35 × the empty scene's still)."""
    import gc

    import scenes.kit  # noqa: F401

    assert gc.get_freeze_count() > 100_000
