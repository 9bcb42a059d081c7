"""Training told as a story: numpy loss and accuracy per snapshot against torch's, phases that
cover training in order, captions whose numbers are the snapshots', and time where things
change."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from model.data.registry import load_dataset
from model.formatting import format_percent
from model.narration.pacing import SPEECH_PAD, spoken_seconds
from model.narration.training import replay_times, training_pace, training_story
from model.narration.wording import LINE_CHARS, MAX_LINES, WORD_BUDGET, count_words
from model.network.defaults import default_config
from model.pipeline import load_checkpoint


@pytest.fixture(scope="module")
def relu_story(shared_cache):
    checkpoint, _ = load_checkpoint(
        default_config("circles", "relu", snapshot_every=2), shared_cache, progress=False
    )
    data = load_dataset("circles")
    return checkpoint, data, training_story(checkpoint, data)


def test_loss_and_accuracy_per_snapshot_match_torch(relu_story):
    import torch

    from model.film import training_loss
    from model.network.layers import build_network

    checkpoint, data, story = relu_story
    assert story.iterations == tuple(i for i, _, _ in checkpoint.snapshots)
    for (iteration, stored, weights), loss, accuracy in zip(
        checkpoint.snapshots, story.losses, story.accuracies
    ):
        module = build_network(checkpoint.config)
        module.load_state_dict({k: torch.as_tensor(v) for k, v in weights.items()})
        assert loss == pytest.approx(training_loss(module.eval(), data), rel=1e-5, abs=1e-6)
        # Training counted in float32: a point on the boundary may fall either way.
        assert abs(accuracy - stored) <= 2 / len(data.y_train), iteration


def test_phases_cover_training_in_order(relu_story):
    _, _, story = relu_story
    phases = story.phases
    assert phases[0].section == "random_start" and phases[0].first == phases[0].last == 0
    assert phases[-1].last == len(story.iterations) - 1
    for before, after in itertools.pairwise(phases):
        assert after.first == before.last and after.last > after.first
    assert len({p.section for p in phases}) == len(phases)
    # Fine-tuning starts where the best accuracy is first reached and keeps it.
    tuning = next(p for p in phases if p.section == "fine_tuning")
    best = max(story.accuracies)
    assert story.accuracies[tuning.first] == best
    assert all(a < best for a in story.accuracies[: tuning.first])


def test_captions_fit_and_quote_the_snapshots_numbers(relu_story):
    _, _, story = relu_story
    for phase in story.phases:
        assert len(phase.lines) <= MAX_LINES and count_words(phase.text) <= WORD_BUDGET
        assert all(len(line) <= LINE_CHARS for line in phase.lines)
        if phase.section != "random_start":
            span = f"Iterations {story.iterations[phase.first]}–{story.iterations[phase.last]}"
            assert phase.text.startswith(span)
    start = story.phases[0].text
    assert format_percent(story.accuracies[0]) in start
    for k, said in story.events:
        before, after = format_percent(story.accuracies[k - 1]), format_percent(story.accuracies[k])
        assert f"accuracy {before} → {after}" in said
        assert f"Iterations {story.iterations[k - 1]} → {story.iterations[k]}" in said
        if "flips sides" in said:
            assert story.flips[k - 1] >= 0.25


def test_every_point_called_one_class_is_checked_on_the_points(relu_story):
    checkpoint, data, story = relu_story
    from model.network.numpy_net import NumpyNet

    for k, said in story.events:
        found = re.search(r"every point called (.+)\.$", said)
        if found:
            net = NumpyNet.from_state_dict(checkpoint.config, checkpoint.snapshots[k][2])
            predicted = net(data.x_train).argmax(axis=1)
            name = data.class_names[int(np.bincount(predicted).argmax())]
            assert found.group(1) == name and (predicted == predicted[0]).mean() >= 0.99


def test_time_goes_where_training_changes_things(relu_story):
    _, _, story = relu_story
    times = story.times
    assert times[0] == 0 and times[-1] == pytest.approx(1) and np.all(np.diff(times) > 0)
    hops = np.diff(times)
    flip = int(np.argmax(story.flips))
    tuning = next(p for p in story.phases if p.section == "fine_tuning")
    assert hops[flip] > 5 * hops[tuning.first :].max()
    # Equal hops when nothing is measured to change.
    flat = replay_times([0.5] * 4, [1.0] * 4, [0.0] * 3, [0.0] * 3)
    assert np.diff(flat) == pytest.approx([1 / 3] * 3)


def test_each_phase_lasts_its_sentence(relu_story):
    _, _, story = relu_story
    paces = training_pace(story, replay_seconds=8.0)
    assert list(paces) == [p.section for p in story.phases]
    assert sum(p.morph for p in paces.values()) == pytest.approx(8.0, abs=0.01)
    for phase in story.phases:
        assert paces[phase.section].total >= spoken_seconds(phase.text) + SPEECH_PAD - 1e-9


def test_each_phase_note_counts_the_phases_and_names_its_iterations(relu_story):
    _, _, story = relu_story
    for i, phase in enumerate(story.phases):
        note = story.phase_note(i)
        assert note.startswith(f"phase {i + 1} of {len(story.phases)} · ")
        first, last = story.iterations[phase.first], story.iterations[phase.last]
        span = f"iteration {first}" if first == last else f"iterations {first}–{last}"
        assert note.endswith(span)
    assert "0–0" not in story.phase_note(0)  # the random start is one snapshot
