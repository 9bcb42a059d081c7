"""A screen that never collides: every built-in scene through the layout audit, in both themes and
with -t; held titles and markers; the logits drawn as a readable number line."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from manim import tempconfig

from model.picture.probability import BINS
from scenes.kit.audit import audit
from tests.conftest import TINY, scene_media
from tests.unit.test_scene_files import EXPECTED

# Every built-in scene but the decks (the same MorphScene as morph.py's, on manim-slides).
SCENES = sorted(
    (f"scenes.{file.removesuffix('.py')}", name)
    for file, names in EXPECTED.items()
    if file != "slides.py"
    for name in names
)
# The quick tier: one scene of each kind.
QUICK = [
    ("scenes.morph", "ReluMorph"),
    ("scenes.datasets", "LinearFails"),
    ("scenes.datasets", "Spiral3Morph"),
    ("scenes.morph3d", "ReluMorph3D"),
    ("scenes.comparison", "ActivationComparison"),
    ("scenes.training", "ReluTraining"),
    ("scenes.poster", "StagesPoster"),
]
LOOKS = {"dark": {}, "light": {"theme": "light"}, "-t": {"transparent": True}}


def _scene(module: str, name: str, theme: str | None = None) -> type:
    cls = getattr(importlib.import_module(module), name)
    if theme is None:
        return cls
    return type(name, (cls,), {"theme": theme})


def _audit(module: str, name: str, look: str, shared_cache):
    options = LOOKS[look]
    settings = {"transparent": True} if options.get("transparent") else {}
    scene = _scene(module, name, options.get("theme"))
    return audit(scene, media_dir=scene_media(shared_cache), settings=settings)


@pytest.mark.parametrize(("module", "name"), QUICK)
def test_nothing_collides_and_everything_reads_from_the_back(module, name, shared_cache):
    report = _audit(module, name, "dark", shared_cache)
    assert report.samples >= (1 if name == "StagesPoster" else 20)  # a poster is one picture
    assert not report.problems, report.summary()


@pytest.mark.slow
@pytest.mark.parametrize("look", sorted(LOOKS))
@pytest.mark.parametrize(("module", "name"), SCENES)
def test_every_built_in_scene_passes_the_audit_in_every_look(module, name, look, shared_cache):
    report = _audit(module, name, look, shared_cache)
    assert not report.problems, report.summary()


def test_the_audit_finds_a_label_on_the_legend(shared_cache):
    """The audit is not blind: a name moved onto the legend is reported."""
    from scenes.morph import ReluMorph

    class Misplaced(ReluMorph):
        def construct(self):
            super().construct()
            name = next(iter(self.picture.names.values()))
            name.move_to([*self.screen.legend.center, 0]).set_opacity(1)

    report = audit(Misplaced, media_dir=scene_media(shared_cache))
    assert any("legend" in p for p in report.problems), report.summary()


class Timed:
    """A MorphScene mixin that notes, at every moment Manim shows, the titles and markers."""

    def setup(self):
        self.seen = []  # (scene time, titles shown, markers shown)
        super().setup()

    def update_to_time(self, t):
        super().update_to_time(t)
        self._note()

    def wait(self, *args, **kwargs):
        self._note()
        super().wait(*args, **kwargs)
        self._note()

    def _note(self):
        titles = [
            m.original_text
            for block in self.titles
            for m in block.get_family()
            if hasattr(m, "original_text") and m.get_fill_opacity() > 0.5
        ]
        shown = [m for m in self.markers if max(p.get_stroke_opacity() for p in m.get_family())]
        self.seen.append((self.renderer.time, titles, len(shown)))


@pytest.fixture(scope="module")
def timed(shared_cache):
    from scenes.morph import SigmoidMorph

    class TimedSigmoid(Timed, SigmoidMorph):  # its tanh-like layers squeeze a class: markers
        pass

    with tempconfig({**TINY, "media_dir": str(scene_media(shared_cache))}):
        scene = TimedSigmoid()
        scene.render()
    return scene


def test_a_title_is_on_screen_at_every_moment(timed):
    assert all(titles for _, titles, _ in timed.seen)


def test_markers_stay_at_least_two_seconds(timed):
    spans, start = [], None
    for time, _, shown in timed.seen:
        if shown and start is None:
            start = time
        elif not shown and start is not None:
            spans.append(time - start)
            start = None
    assert spans, "SigmoidMorph squeezes a class: it is marked"
    assert min(spans) >= 2.0 - 1e-6, spans


def test_each_step_is_held_two_seconds_by_default(timed):
    assert timed.hold_seconds is None  # paced by content: every hold ≥ 2 s
    assert all(pace.hold >= 2.0 for pace in timed.paces.values())


@pytest.mark.parametrize("activation", ["relu", "tanh", "identity"])
def test_the_logits_are_a_number_line_of_z1_minus_z0_with_readable_height(activation, shared_cache):
    """Drawn x is the network's z₁ − z₀ at the frame's scale, the boundary at 0; the stacks
    reach a readable share of the picture's height, the same way up in every video."""
    from model.network.defaults import default_config
    from model.picture.screen import Screen
    from model.picture.view import Area
    from model.pipeline import prepare

    screen = Screen.for_morph(14.222222222222221, 8.0)
    morph = prepare(
        default_config("circles", activation),
        shared_cache,
        area=Area.of(screen.data),
        view="readout",
        affine_route="polar",
        progress=False,
    )
    timeline, k = morph.timeline, len(morph.stages) - 2  # the logits
    frame = timeline.frame_at(k, 1.0)
    data = timeline.data_rows
    z = morph.stages[k].values[data]
    margin, x = z[:, 1] - z[:, 0], frame.points[data, 0]
    (guide,) = frame.guides  # the boundary, p = 0.5, is the vertical line at z₁ − z₀ = 0 ...
    zero = guide[0, 0]
    np.testing.assert_allclose(guide[:, 0], zero, atol=1e-12)
    assert np.ptp(guide[:, 1]) >= 0.9 * screen.data.height  # ... across the picture
    # x is z₁ − z₀ at the frame's scale, to within one bin of its stack.
    line = timeline.plan.line
    bin_width = (line.hi - line.lo) / BINS * frame.scale
    assert np.abs(x - (zero + frame.scale * margin)).max() <= bin_width + 1e-9
    heights = frame.points[data, 1]
    assert np.ptp(heights) >= 0.25 * screen.data.height  # not a 6 px line
    labels = timeline.labels[data]
    # Class 0 above the line, class 1 below, in every video.
    assert np.median(heights[labels == 0]) > np.median(heights[labels == 1])


def test_a_sliver_stage_is_stretched_and_says_so(shared_cache):
    """LinearFails' hidden stages are thin bands: each is drawn stretched across its thin side
    by a whole factor (the drawn points are exactly the stated view), and the scale bar says
    so."""
    from scenes.datasets import LinearFails
    from tests.conftest import render_recording

    scene, _ = render_recording(LinearFails, shared_cache)
    plan = scene.morph.timeline.plan
    assert max(plan.stretches) > 1 and all(float(s).is_integer() for s in plan.stretches)
    for k, factor in enumerate(plan.stretches):
        if factor > 1:
            picture = plan.keyframes[k][plan.data_rows]
            drawn = picture @ plan.stretch_matrix(k)
            before, after = (
                np.linalg.svd(p - p.mean(axis=0), compute_uv=False) for p in (picture, drawn)
            )
            assert after[1] / after[0] >= 2 * before[1] / before[0]  # at least twice as thick
            np.testing.assert_allclose(drawn[:, 0], picture[:, 0])  # → is never stretched
    notes = {text.submobjects[0].original_text for text in scene.scale_bar.notes.values()}
    assert notes and all(" drawn ×" in note for note in notes)
