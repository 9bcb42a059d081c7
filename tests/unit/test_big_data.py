"""Data of any size: stable stratified samples, fast CSVs, every row scored, a fitting default."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from model.data.csvfile import PLOT_PER_CLASS, load_csv
from model.data.sample import capped_rows, proportional_rows
from model.network.defaults import default_config
from model.pipeline import prepare
from model.train.search import LADDER, search_sizes
from model.train.trainer import TRAIN_ROWS, reachable_accuracy


def _labels(counts):
    return np.repeat(np.arange(len(counts)), counts)


def test_capped_sample_is_stratified_and_stable():
    labels = np.random.default_rng(5).permutation(_labels([9000, 300, 2500]))
    rows = capped_rows(labels, 2000)
    np.testing.assert_array_equal(rows, capped_rows(labels.copy(), 2000))
    assert np.all(np.diff(rows) > 0)  # sorted: the file's order is kept
    np.testing.assert_array_equal(np.bincount(labels[rows]), [2000, 300, 2000])


def test_proportional_sample_keeps_each_class_share():
    labels = _labels([90_000, 10_000])
    counts = np.bincount(labels[proportional_rows(labels, 2000)])
    np.testing.assert_array_equal(counts, [1800, 200])
    np.testing.assert_array_equal(proportional_rows(labels[:500], 2000), np.arange(500))


def _noisy_csv(path, n, seed=0, quoted=False):
    """Two overlapping Gaussian blobs: no network reaches 100 %."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    x = rng.normal(0, 1, (n, 2)) + np.where(y[:, None] == 0, -1.0, 1.0)
    label = np.array(['"a"', '"b"'] if quoted else ["a", "b"])[y]
    path.write_text(
        "x,y,label\n" + "".join(f"{a!r},{b!r},{c}\n" for (a, b), c in zip(x.tolist(), label))
    )
    return path


def test_a_big_csv_draws_a_stated_sample_and_keeps_every_row(tmp_path):
    data = load_csv(_noisy_csv(tmp_path / "big.csv", 30_000))
    assert len(data.x_train) == 30_000
    assert [len(p) for p in data.x_plot] == [PLOT_PER_CLASS, PLOT_PER_CLASS]
    assert "showing 4,000 of 30,000 points" in data.description
    # The quoted file takes the line-by-line parser: the same data either way.
    quoted = load_csv(_noisy_csv(tmp_path / "quoted.csv", 30_000, quoted=True))
    np.testing.assert_array_equal(quoted.x_train, data.x_train)
    np.testing.assert_array_equal(quoted.y_train, data.y_train)
    for a, b in zip(quoted.x_plot, data.x_plot):
        np.testing.assert_array_equal(a, b)


def test_a_big_csv_trains_on_a_subset_and_scores_every_row(tmp_path):
    path = _noisy_csv(tmp_path / "big.csv", 30_000)
    config = default_config(str(path), "tanh", hidden=(3, 3, 3), best_effort=True, rounds=1)
    morph = prepare(config, None, progress=False)
    data = load_csv(path)
    with torch.no_grad():
        predicted = morph.checkpoint.net().to_torch()(torch.as_tensor(data.x_train)).argmax(-1)
    assert morph.accuracy == pytest.approx(float((predicted.numpy() == data.y_train).mean()))
    assert 0.85 < morph.accuracy < 1.0  # the blobs overlap
    traced = morph.stages[0].values[morph.layout.classes[0]]
    assert len(traced) == PLOT_PER_CLASS  # the sample is traced, not every row
    # Training saw a stratified subset (a built-in dataset's size): its accuracy counts
    # TRAIN_ROWS points.
    trained_on = morph.checkpoint.accuracy * TRAIN_ROWS
    assert math.isclose(trained_on, round(trained_on), abs_tol=1e-6)


def test_reachable_accuracy_counts_a_point_in_both_classes_even_at_minus_zero():
    x = np.array([[0.0, 0.0], [-0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    assert reachable_accuracy(x, np.array([0, 1, 1, 0])) == 0.75


def _playground_spiral(path, scale=1.0):
    """The TensorFlow Playground's spiral (dataset.ts classifySpiralData): 500 points, noise 0."""
    rows = []
    n = 250
    for delta, label in ((0.0, 1), (math.pi, -1)):
        for i in range(n):
            r, t = i / n * 5, 1.75 * i / n * 2 * math.pi + delta
            rows.append(f"{r * math.sin(t) * scale!r},{r * math.cos(t) * scale!r},{label}")
    path.write_text("x,y,label\n" + "\n".join(rows) + "\n")
    return path


def test_the_default_search_fits_the_playground_spiral_and_says_which_network(tmp_path):
    path = _playground_spiral(tmp_path / "spiral.csv")
    (choice,) = search_sizes(str(path), ["relu"], tmp_path / "cache", progress=False)
    # (0, 0) starts both arms: 499 of 500 is every point a function can get right.
    assert choice.trained.accuracy == pytest.approx(0.998)
    assert choice.trained.reached_target
    assert choice.hidden in LADDER
    assert f"network {','.join(map(str, choice.hidden))} chosen" in choice.summary()


def test_the_search_stops_when_a_bigger_network_gains_nothing(tmp_path):
    path = _noisy_csv(tmp_path / "blobs.csv", 2000)
    (choice,) = search_sizes(str(path), ["tanh"], None, progress=False, max_iterations=300)
    assert not choice.trained.reached_target
    assert 2 <= len(choice.tried) < len(LADDER)
    assert "the most accurate was kept" in choice.summary()
