"""ActivationComparison and ReluTraining: one common scale inside the safe margin, an ending where
the activations differ most, training time spent where learning happens, every class visible,
one title at a time."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Text, VGroup, tempconfig

from model.errors import NetmorphError
from model.film import replay_times
from model.footprint import class_footprints
from model.formatting import format_percent
from model.network import Step
from model.panels import (
    SharedFraming,
    collapsed,
    panel_row,
    safe_area,
    shape_difference,
    stage_differences,
)
from model.trace import INPUT, Stage
from model.view import Area, MorphPath
from scenes import style
from scenes.comparison import ActivationComparison, Panels
from scenes.training import ReluTraining
from tests.conftest import TINY

FLOOR = 0.003  # each class covers at least 0.3 % of the frame at the end of every step
RING = np.stack([np.cos(np.linspace(0, 6, 40)), np.sin(np.linspace(0, 6, 40))], axis=1)


def _inside(points: np.ndarray, area: Area, slack: float = 1e-6) -> bool:
    (cx, cy), w, h = area.center, area.width, area.height
    return bool(
        (np.abs(points[:, 0] - cx) <= w / 2 + slack).all()
        and (np.abs(points[:, 1] - cy) <= h / 2 + slack).all()
    )


def _path(*scales: float, area: Area) -> MorphPath:
    """A path through copies of RING scaled by ``scales`` (one stage each), fitted to ``area``."""
    stages = [Stage(INPUT, RING * scales[0])] + [
        Stage(Step("affine", f"s{k}", f"scale {s}", k), RING * s)
        for k, s in enumerate(scales[1:], start=1)
    ]
    return MorphPath(stages, area)


# -- pure: panels, one scale, differences, replay timing --------------------------------------


def test_panel_row_is_equal_panels_inside_the_safe_margin():
    safe = safe_area()
    assert safe.width == pytest.approx(0.9 * 128 / 9) and safe.height == pytest.approx(7.2)
    areas = panel_row(3, top=1.2, bottom=0.5)
    assert len({(a.width, a.height) for a in areas}) == 1
    for a in areas:
        corners = np.array([[-1, -1], [1, 1]]) * [a.width / 2, a.height / 2] + a.center
        assert _inside(corners, safe)
    lefts = [a.center[0] - a.width / 2 for a in areas]
    rights = [a.center[0] + a.width / 2 for a in areas]
    assert all(r < left for r, left in zip(rights, lefts[1:]))  # side by side, never overlapping
    with pytest.raises(NetmorphError, match="do not fit"):
        panel_row(3, top=8.0)


def test_shared_framing_draws_every_panel_at_one_scale_centred_in_its_panel():
    areas = panel_row(2)
    big, small = _path(1, 4, area=areas[0]), _path(1, 1.6, area=areas[1])
    framing = SharedFraming([big, small], readable=0.0)
    for t in (0.0, 0.3, 0.7, 1.0):
        panels = framing.frames_at(1, t)
        scales = [
            np.ptp(p.frame.points[:, 0]) / np.ptp(path.picture_at(1, path.retime(1, t))[0][:, 0])
            for p, path in zip(panels, (big, small))
        ]
        assert scales[0] == pytest.approx(scales[1], rel=1e-9)  # one unit, one length
        for panel, area in zip(panels, areas):
            assert panel.zoom == 1.0
            assert _inside(panel.frame.points, area)
            middle = (panel.frame.points.min(axis=0) + panel.frame.points.max(axis=0))[:2] / 2
            np.testing.assert_allclose(middle, area.center, atol=1e-9)
    # At the end the big ring fills its panel and the small one is 1.6/4 of its size.
    end = framing.frames_at(1, 1.0)
    sizes = [np.ptp(p.frame.points[:, 1]) for p in end]
    assert sizes[0] > 0.85 * areas[0].height
    assert sizes[1] / sizes[0] == pytest.approx(1.6 / 4)


def test_a_picture_too_small_to_read_is_enlarged_and_says_by_how_much():
    areas = panel_row(2)
    big, tiny = _path(1, 10, area=areas[0]), _path(1, 1, area=areas[1])
    panels = SharedFraming([big, tiny], readable=0.5).frames_at(1, 1.0)
    assert panels[0].zoom == 1.0
    # Drawn at half its own fit instead of a tenth: enlarged 5×, and its true size is kept.
    assert panels[1].zoom == pytest.approx(5.0)
    drawn = np.ptp(panels[1].frame.points[:, 0])
    true = np.ptp(panels[1].true_box[:, 0])
    assert drawn / true == pytest.approx(5.0)
    assert np.ptp(panels[0].frame.points[:, 0]) / true == pytest.approx(10.0)


def test_shape_difference_ignores_pose_and_size_but_not_shape():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(200, 2))
    turn = np.array([[np.cos(0.7), -np.sin(0.7)], [np.sin(0.7), np.cos(0.7)]])
    mirrored = a * [-1, 1]
    assert shape_difference(a, 3.5 * a @ turn.T + [4, -2]) == pytest.approx(0, abs=1e-12)
    assert shape_difference(a, mirrored) == pytest.approx(0, abs=1e-12)
    stretched = a * [1, 0.1]
    assert 0.1 < shape_difference(a, stretched) <= 1
    assert shape_difference(a, np.zeros_like(a)) == 1.0  # a collapsed picture has no shape
    assert shape_difference(np.zeros_like(a), np.zeros_like(a)) == 0.0


def test_stage_differences_find_the_stage_where_the_panels_differ():
    area = Area()
    warped = RING * [1.0, 0.2]
    same = [Stage(INPUT, RING), Stage(Step("affine", "a", "a", 1), 2 * RING)]
    paths = [
        MorphPath([*same, Stage(Step("activation", "b", "b", 2), RING)], area),
        MorphPath([*same, Stage(Step("activation", "b", "b", 2), warped)], area),
    ]
    differences = stage_differences(paths, slice(None))
    assert differences[0] == pytest.approx(0) and differences[1] == pytest.approx(0, abs=1e-12)
    assert differences[2] > 0.3


def test_replay_time_goes_where_accuracy_or_loss_change():
    accuracies = [0.5, 0.5, 0.7, 0.9, 1.0] + [1.0] * 20
    losses = [0.69, 0.6, 0.4, 0.2, 0.05] + [0.05] * 20
    times = replay_times(accuracies, losses, floor=0.1)
    assert times[0] == 0 and times[-1] == pytest.approx(1)
    assert (np.diff(times) > 0).all()  # every move is seen
    # The 20 moves where nothing changes share only the floor: 0.1 × 20/24 of the replay.
    assert 1 - times[4] == pytest.approx(0.1 * 20 / 24)
    # A move that changes the fit more gets more time.
    assert times[3] - times[2] > times[1] - times[0]


def test_format_of_accuracies_never_rounds_up():
    assert format_percent(0.998) == "99.8 %" and format_percent(0.99999) == "99.9 %"
    assert format_percent(1.0) == "100 %"


def test_collapsed_finds_a_class_drawn_as_one_point():
    points = np.zeros((30, 3))
    points[10:, :2] = np.random.default_rng(0).uniform(-2, 2, (20, 2))
    labels = np.r_[np.zeros(10, int), np.ones(20, int)]
    ((k, centre, count),) = collapsed(points, labels)
    assert (k, count) == (0, 10) and np.allclose(centre, 0)


# -- scenes: dry renders ----------------------------------------------------------------------


def _media(shared_cache):
    media = shared_cache.parent / "scene-media"
    (media / "checkpoints").mkdir(parents=True, exist_ok=True)
    for f in shared_cache.glob("*.safetensors"):  # reuse networks trained by other tests
        target = media / "checkpoints" / f.name
        if not target.exists():
            target.write_bytes(f.read_bytes())
    return media


def _texts(group) -> list[str]:
    return [m.text for m in group.get_family() if isinstance(m, Text)]


@pytest.fixture(scope="module")
def comparison(shared_cache):
    """ActivationComparison rendered dry, with what it showed at every step recorded."""

    class Recording(ActivationComparison):
        def setup(self):
            self.sections, self.openings, self.title_counts, self.drawn = [], [], [], []
            super().setup()

        def next_section(self, name="unnamed", *args, **kwargs):
            self.sections.append(name)
            self.opening = True
            super().next_section(name, *args, **kwargs)

        def _note(self):
            titles = self.titles.submobjects if hasattr(self, "titles") else []
            self.title_counts.append(len(titles))
            if getattr(self, "opening", False):
                self.openings.append(_texts(VGroup(*titles)))
                self.opening = False

        def wait(self, *args, **kwargs):
            self._note()
            super().wait(*args, **kwargs)

        def play(self, *animations, **kwargs):
            self._note()
            super().play(*animations, **kwargs)
            if any(isinstance(a, Panels) for a in animations):
                self.drawn.append([[c.points.copy() for c in p.clouds] for p in self.pictures])

    with tempconfig({**TINY, "media_dir": str(_media(shared_cache))}):
        scene = Recording()
        scene.render()
    return scene


def test_comparison_ends_where_the_activations_differ_most_then_on_the_decision(comparison):
    scene = comparison
    stages = scene.morphs[0].stages
    paths = [m.path for m in scene.morphs]
    differences = stage_differences(paths, slice(0, scene.morphs[0].layout.grid.stop))
    activations = [k for k, s in enumerate(stages) if s.step.kind == "activation"]
    assert scene.end_stage == max(activations, key=lambda k: differences[k])
    assert stages[scene.end_stage].step.kind == "activation"
    expected = ["input", *(scene.step_name(k) for k in range(1, scene.end_stage + 1)), "decision"]
    assert scene.sections == expected
    assert len(scene.drawn) == scene.end_stage + 1  # every step, then the return to the input


def test_comparison_shows_one_title_at_a_time_and_each_section_opens_with_its_own(comparison):
    scene = comparison
    assert max(scene.title_counts) == 1
    assert len(scene.openings) == len(scene.sections)
    for k, texts in enumerate(scene.openings[:-1]):
        title, _ = scene.title_text(k)
        assert title in texts, (scene.sections[k], texts)
    assert "what each network decided" in scene.openings[-1]


def test_comparison_panels_share_one_scale_and_stay_inside_the_safe_margin(comparison):
    scene = comparison
    safe = safe_area()
    for step in range(scene.end_stage + 1):
        panels = scene.framing.stage_frames(step)
        common = [p.frame.scale / p.zoom for p in panels]
        assert max(common) == pytest.approx(min(common), rel=1e-9)
        assert all(1.0 <= p.zoom <= 1 / scene.framing.readable + 1e-9 for p in panels)
        for morph, panel in zip(scene.morphs, panels):
            data = panel.frame.points[morph.path.data_rows]
            assert _inside(data, morph.path.area) and _inside(data, safe)
    for mobject in scene.mobjects:
        for part in mobject.get_family():
            if isinstance(part, Text):
                corners = np.array([part.get_corner(np.array([s, t, 0])) for s in (-1, 1) for t in (-1, 1)])
                assert _inside(corners, safe), part.text


def test_comparison_keeps_every_class_visible_in_every_panel(comparison):
    scene = comparison
    layout = scene.morphs[0].layout
    sizes = [s.stop - s.start for s in layout.classes]
    order = sorted(range(len(sizes)), key=lambda k: -sizes[k])  # as MorphPicture draws them
    for step, drawn in enumerate(scene.drawn, start=1):
        for morph, clouds in zip(scene.morphs, drawn):
            labels = np.concatenate([np.full(len(c), k) for k, c in enumerate(clouds)])
            marked = {k for k, _, _ in collapsed(np.concatenate(clouds), labels)}
            shares = class_footprints(clouds, order, style.DOT_RADIUS)
            for k, share in enumerate(shares):
                assert share >= FLOOR or k in marked, f"step {step}, class {k}: {share:.3%}"


@pytest.fixture(scope="module")
def training(shared_cache):
    with tempconfig({**TINY, "media_dir": str(_media(shared_cache))}):
        scene = ReluTraining()
        scene.render()
    return scene


def test_training_ends_on_the_fitted_network_and_names_its_hidden_layer(training):
    film = training.film
    assert film.steps[0] == 0 and film.accuracies[-1] == 1.0 and film.accuracies[0] < 1.0
    assert training.shown == len(film.steps) - 1
    assert film.hidden_label == "hidden layer 3 of 3: ReLU(W₃h + b₃)"
    assert "100 %" in _texts(training.counter)


def test_training_spends_its_time_where_learning_happens(training):
    film = training.film
    first_fit = next(k for k, a in enumerate(film.accuracies) if a == 1.0)
    # Before: most of the replay. After (the settling steps): little more than their floor.
    assert 1 - film.times[first_fit] < 0.15
    assert film.times[first_fit] > 0.85
    alpha = film.times[first_fit]
    assert film.position_at(alpha) == (first_fit, 1.0)


def test_training_keeps_every_class_visible_in_both_panels(training):
    film = training.film
    sizes = [s.stop - s.start for s in film.layout.classes]
    order = sorted(range(len(sizes)), key=lambda k: -sizes[k])
    input_classes, _, _ = film.layout.split(training.input_path.keyframe_frame(0).points)
    assert min(class_footprints(input_classes, order, style.DOT_RADIUS)) >= FLOOR
    for k in range(len(film.steps)):
        points = film.hidden.keyframe_frame(k).points
        classes, _, _ = film.layout.split(points)
        marked = {c for c, _, _ in film.hidden.collapsed(k)}
        shares = class_footprints(classes, order, style.DOT_RADIUS)
        for c, share in enumerate(shares):
            assert share >= FLOOR or c in marked, f"snapshot {k}, class {c}: {share:.3%}"
