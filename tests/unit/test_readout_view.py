"""The default "readout" view on every built-in scene: it shows the separation, never spins,
never flattens midway, and every affine move moves."""

from __future__ import annotations

import numpy as np
import pytest

from model.geometry.metrics import displacement, flattens, separability, turn_rates
from model.geometry.projections import logit_difference
from model.picture.played import axis_swing, film
from model.picture.probability import BINS
from model.picture.view import Area, MorphTimeline
from model.pipeline import prepare
from scenes.datasets import LinearFails, MoonsMorph, SpiralMorph, XorMorph
from scenes.kit.morph_scene import MorphScene
from scenes.morph import GeluMorph, ReluMorph, ReluTanhMorph, TanhMorph

# The networks other tests train too (SigmoidMorph, LeakyReluMorph and SiluMorph would each
# train one more; they pass the same checks).
SCENES = [
    *(ReluMorph, TanhMorph, GeluMorph, ReluTanhMorph),
    *(MoonsMorph, SpiralMorph, XorMorph, LinearFails),
]
MORPH_SECONDS = 2.0  # the scenes' morph_seconds, played with Manim's smooth
QUARTER_TURN_PER_SECOND = 90.0  # degrees per second
# Animation times per step: one every 20 ms of a 2 s morph. Against 201 (every 10 ms), every
# scene here measured its fastest turn within 0.5°/s (of ~76; the limit is 90) and its flattest
# in-between picture's aspect, over its flatter end's, within 0.03 (flattening is below 0.5),
# at half the cost.
SAMPLES = 101
MOVES = 0.05  # RMS displacement, as a fraction of the area's height, that reads as movement
SWINGS = 15.0  # degrees a drawn stage axis turns that reads as movement
# separability() sorts the points along 1,440 directions: ~0.5 s a picture for the circles'
# 5,400 points, ~0.06 s for their every 4th. Every k-th point of each class, at most this many
# in all, moved no stage's readout-over-first2 margin by more than 0.001 in any scene here
# (against all points; the test allows 0.005).
SEPARABILITY_POINTS = 1500


class Built:
    """One scene's network, traced and viewed as the scene does, plus the recipe's first2."""

    def __init__(self, scene_class: type[MorphScene], cache) -> None:
        config = scene_class.__new__(scene_class).network_config()  # the scene's own config
        assert scene_class.view == "readout" and scene_class.affine_path == "polar"
        self.morph = prepare(config, cache, area=Area(), view="readout", affine_route="polar")
        layout = self.morph.layout
        self.first2 = MorphTimeline(
            self.morph.stages,
            Area(),
            view="first2",
            affine_route="polar",
            net=self.morph.net,
            labels=layout.labels(),
        )
        self.rows = np.concatenate([np.arange(c.start, c.stop) for c in layout.classes])
        self.labels = np.repeat([0, 1], [c.stop - c.start for c in layout.classes])
        every = -(-len(self.rows) // SEPARABILITY_POINTS)  # ceil
        sampled = [np.arange(c.start, c.stop)[::every] for c in layout.classes]
        self.sample = np.concatenate(sampled)  # the rows separability is measured on
        self.sample_labels = np.repeat([0, 1], [len(s) for s in sampled])
        self._films: dict[int, np.ndarray] = {}

    @property
    def timeline(self) -> MorphTimeline:
        return self.morph.timeline

    def film(self, move: int) -> np.ndarray:
        if move not in self._films:
            self._films[move] = film(self.timeline, move, self.rows, SAMPLES)
        return self._films[move]


_BUILT: dict[type, Built] = {}


@pytest.fixture(params=SCENES, ids=lambda c: c.__name__)
def built(request, shared_cache) -> Built:
    if request.param not in _BUILT:
        _BUILT[request.param] = Built(request.param, shared_cache)
    return _BUILT[request.param]


def test_the_last_hidden_stage_is_separable_to_the_networks_accuracy(built):
    stages, timeline = built.morph.stages, built.timeline
    last_hidden = [k for k, s in enumerate(stages) if s.step.kind == "affine"][-1] - 1
    predicted = stages[-1].values[built.rows].argmax(axis=1)
    accuracy = float((predicted == built.labels).mean())  # on the drawn points
    picture = timeline.keyframes[last_hidden][built.rows]
    assert separability(picture, built.labels) >= accuracy
    # Its first axis is the read-out's w₁ − w₀: the drawn x grows exactly with z₁ − z₀ ...
    score = logit_difference(stages)[built.rows]
    x = timeline.keyframes[last_hidden][built.rows, 0]
    slope, offset = np.polyfit(score, x, 1)
    assert slope > 0
    assert np.abs(x - (slope * score + offset)).max() < 1e-9 * np.ptp(x)
    # ... and the logits' number line is z₁ − z₀ itself, to within one bin of its stacks.
    line = timeline.plan.line
    x = timeline.keyframes[last_hidden + 1][built.rows, 0]
    assert np.abs(x - score).max() <= (line.hi - line.lo) / BINS + 1e-9


def test_readout_separates_at_least_as_well_as_first2_at_every_stage(built):
    for k, stage in enumerate(built.morph.stages):
        if stage.width <= 2:
            continue  # both views show the whole stage
        ours = separability(built.timeline.keyframes[k][built.sample], built.sample_labels)
        recipe = separability(built.first2.keyframes[k][built.sample], built.sample_labels)
        assert ours >= recipe - 0.005, (stage.step.name, ours, recipe)


def test_no_step_turns_faster_than_a_quarter_turn_per_second(built):
    for move in range(1, built.timeline.n_moves + 1):
        rate = turn_rates(built.film(move), MORPH_SECONDS).max()
        assert rate <= QUARTER_TURN_PER_SECOND, (built.morph.stages[move].step.name, rate)


def test_no_step_flattens_midway(built):
    for move in range(1, built.timeline.n_moves + 1):
        assert not flattens(built.film(move)), built.morph.stages[move].step.name


def test_every_affine_step_visibly_moves(built):
    for move, stage in enumerate(built.morph.stages):
        if stage.step.kind != "affine":
            continue
        moved = displacement(built.film(move), built.timeline.area.height)
        swung = axis_swing(built.timeline, move)
        assert moved >= MOVES or swung >= SWINGS, (stage.step.name, moved, swung)
