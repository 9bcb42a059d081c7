"""Pacing by content: folds get more time than turns, a still step is short, every section lasts
its sentence (estimated or spoken by espeak-ng), and the scene's pacing attributes still rule."""

from __future__ import annotations

import numpy as np
import pytest

from model.narration.captions import narrate
from model.narration.pacing import (
    MIN_HOLD,
    MIN_MORPH,
    SPEECH_PAD,
    change,
    morph_time,
    pace,
    spoken_seconds,
    step_changes,
)
from model.network.defaults import default_config
from model.pipeline import prepare


def _circles(activation: str, cache):
    config = default_config("circles", activation)
    return prepare(config, cache, view="readout", affine_route="polar", progress=False)


@pytest.fixture(scope="module")
def relu(shared_cache):
    return _circles("relu", shared_cache)


@pytest.fixture(scope="module")
def linear(shared_cache):
    return _circles("identity", shared_cache)


def test_change_ignores_turns_scales_and_shifts_but_sees_a_fold():
    rng = np.random.default_rng(0)
    points = rng.normal(size=(500, 3))
    turn = np.linalg.qr(rng.normal(size=(3, 3)))[0]
    assert change(points, 2.5 * points @ turn + [1.0, -2.0, 0.5]) == pytest.approx(0, abs=1e-12)
    assert change(points[:, :2], points[:, :2]) == pytest.approx(0, abs=1e-12)
    folded = np.maximum(points, 0)
    assert change(points, folded) > 0.1
    stretched = points * [3.0, 1.0, 1.0]
    assert 0 < change(points, stretched) < change(points, folded)


def test_relu_folds_get_more_morph_time_than_the_turns(relu):
    paces = pace(relu, narrate(relu))
    folds = [paces[s.step.name].morph for s in relu.stages if s.step.kind == "activation"]
    turns = [
        paces[s.step.name].morph
        for s in relu.stages
        if s.step.kind == "affine" and s.width == relu.stages[relu.stages.index(s) - 1].width
    ]
    assert len(folds) == 2 and len(turns) == 2
    assert min(folds) > max(turns)


def test_a_step_that_barely_changes_the_picture_is_short(linear):
    changes = step_changes(linear)
    paces = pace(linear, narrate(linear))
    still = [name for name, amount in changes.items() if amount < 0.02]
    assert still  # a linear network's later layers keep the shape
    for name in still:
        expected = 0.0 if name.startswith("identity") else MIN_MORPH
        assert paces[name].morph == expected
    assert morph_time("activation", 0.5) > morph_time("affine", 0.5) > morph_time("affine", 0.0)


def test_every_section_lasts_its_sentence_and_ends_on_a_hold(relu):
    captions = narrate(relu)
    for lead_in in (0.0, 0.4):
        paces = pace(relu, captions, lead_in=lead_in)
        assert [c.section for c in captions] == list(paces)
        for c in captions:
            p = paces[c.section]
            assert lead_in + p.total >= spoken_seconds(c.text) + SPEECH_PAD - 1e-9
            assert p.hold >= MIN_HOLD


def test_every_section_lasts_its_spoken_sentence(relu, tmp_path):
    from model.narration.speech import duration, synthesize

    captions = narrate(relu)
    speech = {c.section: duration(synthesize(c.text, tmp_path)) for c in captions}
    paces = pace(relu, captions, speech=speech)
    for c in captions:
        assert paces[c.section].total >= speech[c.section] + SPEECH_PAD - 1e-9


def test_the_scenes_pacing_attributes_still_rule(relu):
    captions = narrate(relu)
    paces = pace(relu, captions, morph_seconds=0.5, hold_seconds=0.1)
    for c in captions:
        p = paces[c.section]
        if c.section != "input":
            assert p.morph == 0.5
        # A set hold is kept unless the sentence needs longer: never cut short.
        assert p.hold >= 0.1 and p.total >= spoken_seconds(c.text) + SPEECH_PAD - 1e-9
    long_hold = pace(relu, captions, hold_seconds=30.0)
    assert all(long_hold[c.section].hold == 30.0 for c in captions[1:-1])
