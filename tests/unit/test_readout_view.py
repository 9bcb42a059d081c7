"""The default "readout" view on every built-in scene: it shows the separation, never spins,
never flattens midway, and every affine step moves."""

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
SAMPLES = 201  # animation times per step
MOVES = 0.05  # RMS displacement, as a fraction of the area's height, that reads as movement
SWINGS = 15.0  # degrees a drawn stage axis turns that reads as movement


class Built:
    """One scene's network, traced and viewed as the scene does, plus the recipe's first2."""

    def __init__(self, scene_class: type[MorphScene], cache) -> None:
        config = scene_class.__new__(scene_class).network_config()  # the scene's own config
        assert scene_class.view == "readout" and scene_class.affine_path == "polar"
        self.morph = prepare(config, cache, area=Area(), view="readout", affine_path="polar")
        layout = self.morph.layout
        self.first2 = MorphTimeline(
            self.morph.stages,
            Area(),
            view="first2",
            affine_path="polar",
            net=self.morph.net,
            labels=layout.labels(),
        )
        self.rows = np.concatenate([np.arange(c.start, c.stop) for c in layout.classes])
        self.labels = np.repeat([0, 1], [c.stop - c.start for c in layout.classes])
        self._films: dict[int, np.ndarray] = {}

    @property
    def path(self) -> MorphTimeline:
        return self.morph.path

    def film(self, step: int) -> np.ndarray:
        if step not in self._films:
            self._films[step] = film(self.path, step, self.rows, SAMPLES)
        return self._films[step]


_BUILT: dict[type, Built] = {}


@pytest.fixture(params=SCENES, ids=lambda c: c.__name__)
def built(request, shared_cache) -> Built:
    if request.param not in _BUILT:
        _BUILT[request.param] = Built(request.param, shared_cache)
    return _BUILT[request.param]


def test_the_last_hidden_stage_is_separable_to_the_networks_accuracy(built):
    stages, path = built.morph.stages, built.path
    last_hidden = [k for k, s in enumerate(stages) if s.step.kind == "affine"][-1] - 1
    predicted = stages[-1].values[built.rows].argmax(axis=1)
    accuracy = float((predicted == built.labels).mean())  # on the drawn points
    picture = path.keyframes[last_hidden][built.rows]
    assert separability(picture, built.labels) >= accuracy
    # Its first axis is the read-out's w₁ − w₀: the drawn x grows exactly with z₁ − z₀ ...
    score = logit_difference(stages)[built.rows]
    x = path.keyframes[last_hidden][built.rows, 0]
    slope, offset = np.polyfit(score, x, 1)
    assert slope > 0
    assert np.abs(x - (slope * score + offset)).max() < 1e-9 * np.ptp(x)
    # ... and the logits' number line is z₁ − z₀ itself, to within one bin of its stacks.
    line = path.plan.line
    x = path.keyframes[last_hidden + 1][built.rows, 0]
    assert np.abs(x - score).max() <= (line.hi - line.lo) / BINS + 1e-9


def test_readout_separates_at_least_as_well_as_first2_at_every_stage(built):
    for k, stage in enumerate(built.morph.stages):
        if stage.width <= 2:
            continue  # both views show the whole stage
        ours = separability(built.path.keyframes[k][built.rows], built.labels)
        recipe = separability(built.first2.keyframes[k][built.rows], built.labels)
        assert ours >= recipe - 0.005, (stage.step.name, ours, recipe)


def test_no_step_turns_faster_than_a_quarter_turn_per_second(built):
    for step in range(1, built.path.n_steps + 1):
        rate = turn_rates(built.film(step), MORPH_SECONDS).max()
        assert rate <= QUARTER_TURN_PER_SECOND, (built.morph.stages[step].step.name, rate)


def test_no_step_flattens_midway(built):
    for step in range(1, built.path.n_steps + 1):
        assert not flattens(built.film(step)), built.morph.stages[step].step.name


def test_every_affine_step_visibly_moves(built):
    for step, stage in enumerate(built.morph.stages):
        if stage.step.kind != "affine":
            continue
        moved = displacement(built.film(step), built.path.area.height)
        swung = axis_swing(built.path, step)
        assert moved >= MOVES or swung >= SWINGS, (stage.step.name, moved, swung)
