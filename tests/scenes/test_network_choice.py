"""One choice of network per dataset: a CSV's morph, its activation comparison and its training
video all draw the network the size search chose for it, and ``netmorph train`` chooses alike."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from manim import tempconfig

from model.train.checkpoint_reader import read_checkpoint
from model.train.checkpoints import checkpoint_path
from model.train.search import SIZE_SEARCH, search_sizes
from tests.conftest import TINY


def _blobs_csv(path, n=240, seed=3):
    """Two well-separated blobs: every size of the ladder fits them."""
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], n // 2)
    x = rng.normal(0, 0.4, (n, 2)) + np.where(y[:, None] == 0, -1.5, 1.5)
    path.write_text(
        "x,y,label\n" + "".join(f"{a!r},{b!r},{c}\n" for (a, b), c in zip(x.tolist(), y))
    )
    return str(path)


@pytest.fixture(scope="module")
def csv_scenes(tmp_path_factory):
    """The morph, comparison and training scenes of one CSV, set up (trained), and the search's
    own choice for the same data, made independently of the scenes."""
    from scenes.comparison import ActivationComparison
    from scenes.morph import MorphScene
    from scenes.training import TrainingScene

    folder = tmp_path_factory.mktemp("choice")
    csv = _blobs_csv(folder / "blobs.csv")
    media = folder / "media"

    class Morph(MorphScene):
        dataset = csv

    class Comparison(ActivationComparison):
        dataset = csv
        activations = ("relu", "tanh")

    class Training(TrainingScene):
        dataset = csv

    scenes = {}
    with tempconfig({**TINY, "media_dir": str(media)}):
        for name, cls in (("morph", Morph), ("comparison", Comparison), ("training", Training)):
            scene = cls()
            scene.setup()
            scenes[name] = scene
    # The oracle: the search itself, run afresh without the cache (equal configs give equal
    # weights), for the morph's activation alone and for the comparison's two together.
    alone = search_sizes(csv, ["relu"], None, progress=False)[0]
    together = search_sizes(csv, ["relu", "tanh"], None, progress=False)
    return scenes, alone, together, media / "checkpoints"


def test_the_morph_draws_the_searched_network(csv_scenes):
    scenes, relu, _, _ = csv_scenes
    checkpoint = scenes["morph"].morph.checkpoint
    assert checkpoint.config == relu.trained.config  # the searched size and search settings
    assert checkpoint.config.candidates == SIZE_SEARCH["candidates"]  # not the plain default
    for name, value in relu.trained.module.state_dict().items():
        np.testing.assert_array_equal(checkpoint.weights[name], value.numpy())


def test_the_comparison_draws_each_activations_searched_network(csv_scenes):
    scenes, _, together, _ = csv_scenes
    morphs = scenes["comparison"].morphs
    assert [m.checkpoint.config for m in morphs] == [c.trained.config for c in together]
    for morph, choice in zip(morphs, together):
        for name, value in choice.trained.module.state_dict().items():
            np.testing.assert_array_equal(morph.checkpoint.weights[name], value.numpy())
    # Both fit at the first size, so the relu panel is the morph's own network.
    for name, value in scenes["morph"].morph.checkpoint.weights.items():
        np.testing.assert_array_equal(morphs[0].checkpoint.weights[name], value)


def test_the_training_video_replays_the_searched_network(csv_scenes):
    scenes, relu, _, cache = csv_scenes
    training = scenes["training"]
    config = replace(relu.trained.config, snapshot_every=training.snapshot_every)
    replayed = read_checkpoint(checkpoint_path(config, cache), config)
    assert training.film.hidden_width == relu.trained.config.hidden[-1]
    # Recording snapshots changes no weight: it ends on the morph's network.
    for name, value in scenes["morph"].morph.checkpoint.weights.items():
        np.testing.assert_array_equal(replayed.weights[name], value)
    assert replayed.snapshots and replayed.snapshots[-1][0] == replayed.iterations
