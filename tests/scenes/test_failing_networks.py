"""Failing networks are first-class: the search gives up quickly saying why, a scene can keep the
best network, and no accuracy is ever rounded up on screen or on the command line."""

from __future__ import annotations

import pytest
from manim import Text, tempconfig

from model.errors import NetmorphError
from model.formatting import format_percent
from model.network.config import Config
from model.train import trainer as train_module
from model.train.trainer import train
from scenes.poster import StagesPoster
from tests.conftest import TINY


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [(1.0, "100 %"), (0.998, "99.8 %"), (0.9996, "99.9 %"), (1799 / 1800, "99.9 %"), (0.5, "50 %")],
)
def test_accuracy_is_floored_never_rounded_up(fraction, shown):
    assert format_percent(fraction) == shown


def test_linear_network_gives_up_in_two_short_rounds_with_the_reason():
    config = Config(activation="identity", candidates=4)  # 4 rounds of 1500 iterations allowed
    with pytest.raises(NetmorphError) as info:
        train(config, progress=False)
    message = str(info.value)
    assert "identity activations" in message and "one straight boundary" in message
    assert "best_effort = True" in message
    assert "from 0 to 7 " in message  # two rounds of 4 seeds, not four
    kept = train(Config(activation="identity", candidates=4, best_effort=True), progress=False)
    assert kept.iterations < 2 * 500  # each round stopped once progress stalled, not at 1500
    assert not kept.reached_target


def test_too_narrow_network_is_named_as_the_reason():
    config = Config(activation="tanh", hidden=(2, 2), max_iterations=300, candidates=8)
    with pytest.raises(NetmorphError, match=r"too small for the data \(narrowest layer: 2 units\)"):
        train(config, progress=False)


class _LinearPoster(StagesPoster):
    activation = "identity"
    best_effort = True  # the scene attribute (also the identity default)
    target_accuracy = 0.99


def test_best_effort_scene_shows_its_true_accuracy(tmp_path):
    with tempconfig({**TINY, "media_dir": str(tmp_path)}):
        scene = _LinearPoster()
        assert scene.network_config().target_accuracy == 0.99
        scene.render()
    accuracy = scene.morph.accuracy
    assert 0.5 < accuracy < 0.99
    titles = [
        m.text for m in scene.mobjects[-1].family_members_with_points() if isinstance(m, Text)
    ]
    titles = [m.original_text for m in scene.get_mobject_family_members() if isinstance(m, Text)]
    (caption,) = [t for t in titles if "accuracy" in t]
    assert format_percent(accuracy) in caption and "100 %" not in caption


def test_points_in_both_classes_are_named_before_training(tmp_path, monkeypatch):
    path = tmp_path / "clash.csv"
    path.write_text("x,y,label\n0,0,a\n0,0,b\n1,1,a\n2,2,b\n")
    monkeypatch.setattr(train_module, "_train_round", None)  # any training iteration would fail
    with pytest.raises(NetmorphError, match=r"1 point appears in both classes.*at most 75 %"):
        train(Config(dataset=str(path)), progress=False)
