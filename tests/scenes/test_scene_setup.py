"""A scene's set-up, without a frame: where its network comes from (the cache, or your model)
and what its captions say about it."""

from __future__ import annotations

import pytest
import torch
from manim import tempconfig

from model.data.registry import load_dataset
from model.train.checkpoints import cache_dir_in
from tests.conftest import TINY, users_module


def test_scene_without_cache_trains_and_writes_nothing(tmp_path, monkeypatch):
    from scenes.morph import TanhMorph

    monkeypatch.setenv("NETMORPH_CACHE", "0")  # the scene attribute cache = False, from outside
    media = tmp_path / "media"
    with tempconfig({**TINY, "media_dir": str(media)}):
        scene = TanhMorph()
        scene.setup()
    assert scene.cache is False and scene.morph.checkpoint_file is None
    assert scene.morph.accuracy == 1.0
    assert not cache_dir_in(media).exists()


def test_a_scene_hook_draws_your_model_with_its_accuracy_on_the_data():
    from scenes.morph import MorphScene

    module = users_module()

    class Mine(MorphScene):
        dataset = "moons"
        cache = False

        def trained_network(self):
            return module

    scene = Mine()
    scene.setup()
    data = load_dataset("moons")
    with torch.no_grad():
        predicted = module(torch.as_tensor(data.x_train, dtype=torch.float32)).argmax(-1).numpy()
    assert scene.morph.accuracy == pytest.approx((predicted == data.y_train).mean())
    assert scene.model_name == "your model"
    assert "your model" in scene.get_note(scene.morph.stages[0])
    assert "your model" in scene.accuracy_caption()


def test_a_scene_measures_its_specks_on_the_frame_it_renders(tmp_path):
    from scenes.morph import ReluMorph

    portrait = {"pixel_width": 120, "pixel_height": 160, "frame_width": 6.0, "frame_height": 8.0}
    with tempconfig({**TINY, **portrait, "media_dir": str(tmp_path / "media")}):
        scene = ReluMorph()
        scene.setup()
    # Where a class too small to see is measured (model.picture.footprint): Manim's frame of
    # this render, not a 16:9 one.
    assert scene.flat.frame_size == (6.0, 8.0)
    assert scene.morph.timeline.composer.frame_size == (6.0, 8.0)
