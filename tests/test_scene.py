"""Scenes at tiny resolution (dry run): what is drawn is what the network computes."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from manim import tempconfig

from model.data import circles
from scenes.animations import FollowPath
from scenes.morph import GeluMorph, MorphScene, ReluMorph, TanhMorph

TINY = {
    "pixel_width": 160,
    "pixel_height": 90,
    "frame_rate": 5,
    "dry_run": True,
    "disable_caching": True,
}


def _render(scene_class, tmp_path, shared_cache):
    """Render ``scene_class`` dry, recording the drawn dots after every step."""

    class Recording(scene_class):
        def setup(self):
            self.recorded = []
            super().setup()

        def play(self, *animations, **kwargs):
            super().play(*animations, **kwargs)
            for anim in animations:
                if isinstance(anim, FollowPath):
                    picture = anim.mobject
                    self.recorded.append(
                        (
                            anim.step,
                            [c.points.copy() for c in picture.clouds],
                            picture.grid.points.copy(),
                        )
                    )

    media = shared_cache.parent / "scene-media"
    media.mkdir(exist_ok=True)
    (media / "checkpoints").mkdir(exist_ok=True)
    for f in shared_cache.glob("*.safetensors"):  # reuse networks trained by other tests
        target = media / "checkpoints" / f.name
        if not target.exists():
            target.write_bytes(f.read_bytes())
    with tempconfig({**TINY, "media_dir": str(media)}):
        scene = Recording()
        scene.render()
        frame = scene.renderer.get_frame()
    return scene, frame


@pytest.mark.parametrize("scene_class", [ReluMorph, TanhMorph, GeluMorph])
def test_drawn_points_are_the_network_outputs(scene_class, tmp_path, shared_cache):
    scene, frame = _render(scene_class, tmp_path, shared_cache)
    net = scene.morph.network.net.double()
    n_steps = len(net)
    assert [step for step, _, _ in scene.recorded] == list(range(1, n_steps + 1))
    plot = circles().x_plot
    for step, clouds, _grid in scene.recorded:
        with torch.no_grad():
            truth = [net[:step](torch.as_tensor(x)).numpy()[:, :2] for x in plot]
        drawn = np.concatenate([c[:, :2] for c in clouds])
        expected = np.concatenate(truth)
        # The view is a similarity: one positive scale and an offset, the same for all points.
        design = np.c_[expected.reshape(-1), np.tile(np.eye(2), (len(expected), 1))]
        coef, *_ = np.linalg.lstsq(design, drawn.reshape(-1), rcond=None)
        assert coef[0] > 0
        np.testing.assert_allclose(design @ coef, drawn.reshape(-1), atol=1e-9 * max(1, coef[0]))
        # Every dot is inside the frame.
        assert (np.abs(drawn[:, 0]) < 7.11).all() and (np.abs(drawn[:, 1]) < 4).all()
    net.float()
    # The last frame shows the softmax stage: both class colours are on screen.
    assert frame.shape == (90, 160, 4)
    rgb = frame[:, :, :3].astype(int)
    reds = rgb[:, :, 0] - rgb[:, :, 2] > 15
    blues = rgb[:, :, 2] - rgb[:, :, 0] > 15
    assert reds.any() and blues.any()


def test_user_mistake_in_a_subclass_exits_2(tmp_path, capsys):
    class Typo(MorphScene):
        activation = "rellu"

    with tempconfig({**TINY, "media_dir": str(tmp_path / "media")}):
        with pytest.raises(SystemExit) as info:
            Typo().render()
    assert info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unknown activation 'rellu'" in err[0]
