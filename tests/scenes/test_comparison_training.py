"""ActivationComparison and ReluTraining: one common scale inside the safe margin, an ending where
the activations differ most, training time spent where learning happens, every class visible,
one title at a time."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from manim import Text, VGroup, tempconfig

from model.errors import NetmorphError
from model.film import readout_pictures
from model.formatting import format_percent
from model.geometry.trace import INPUT, Stage
from model.narration.training import replay_times
from model.network.layers import Step
from model.picture.footprint import class_footprints
from model.picture.panels import (
    FLOOR,
    SharedFraming,
    crowded,
    marks,
    panel_row,
    safe_area,
    shape_difference,
    stage_differences,
)
from model.picture.view import MANIM_FRAME, Area, MorphTimeline
from scenes.comparison import ActivationComparison, Panels
from scenes.kit import style
from scenes.training import ReluTraining
from tests.conftest import TINY, scene_media

ANGLES = np.linspace(0, 2 * np.pi, 400, endpoint=False)
RING = np.stack([np.cos(ANGLES), np.sin(ANGLES)], axis=1)  # (400, 2)


def _inside(points: np.ndarray, area: Area, slack: float = 1e-6) -> bool:
    (cx, cy), w, h = area.center, area.width, area.height
    return bool(
        (np.abs(points[:, 0] - cx) <= w / 2 + slack).all()
        and (np.abs(points[:, 1] - cy) <= h / 2 + slack).all()
    )


def _timeline(*scales: float, area: Area) -> MorphTimeline:
    """A timeline through copies of RING scaled by ``scales`` (one stage each), in ``area``."""
    stages = [Stage(INPUT, RING * scales[0])] + [
        Stage(Step("affine", f"s{k}", f"scale {s}", k), RING * s)
        for k, s in enumerate(scales[1:], start=1)
    ]
    return MorphTimeline(stages, area)


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
    big, small = _timeline(1, 4, area=areas[0]), _timeline(1, 1.6, area=areas[1])
    framing = SharedFraming([big, small])
    for t in (0.0, 0.3, 0.7, 1.0):
        panels = framing.pictures_at(1, t)
        scales = [
            np.ptp(p.frame.points[:, 0])
            / np.ptp(timeline.picture_at(1, timeline.retime(1, t))[0][:, 0])
            for p, timeline in zip(panels, (big, small))
        ]
        assert scales[0] == pytest.approx(scales[1], rel=1e-9)  # one unit, one length
        for panel, area in zip(panels, areas):
            assert panel.zoom == 1.0
            assert _inside(panel.frame.points, area)
            middle = (panel.frame.points.min(axis=0) + panel.frame.points.max(axis=0))[:2] / 2
            np.testing.assert_allclose(middle, area.center, atol=1e-9)
    # At the end the big ring fills its panel and the small one is 1.6/4 of its size.
    end = framing.pictures_at(1, 1.0)
    sizes = [np.ptp(p.frame.points[:, :2], axis=0) for p in end]
    assert max(sizes[0] / [areas[0].width, areas[0].height]) > 0.9
    np.testing.assert_allclose(sizes[1] / sizes[0], 1.6 / 4)


def test_a_panel_too_small_to_see_is_enlarged_just_enough_and_says_by_how_much():
    areas = panel_row(2)
    big, tiny = _timeline(1, 10, area=areas[0]), _timeline(1, 1, area=areas[1])
    framing = SharedFraming([big, tiny], radius=0.05)
    panels = framing.pictures_at(1, 1.0)
    assert panels[0].zoom == 1.0
    zoom = panels[1].zoom
    assert 1.0 < zoom < 10.0  # enlarged, but not to its own fit

    def share(z: float) -> float:
        center = np.array([*areas[1].center, 0.0])
        points = center + (panels[1].frame.points - center) * z / zoom
        return class_footprints([points], [0], 0.05, frame=MANIM_FRAME)[0]

    assert share(zoom) >= FLOOR > share(0.97 * zoom)  # just enough
    # Its true size stays on record: the box it would fill at the common scale.
    drawn, true = np.ptp(panels[1].frame.points[:, 0]), np.ptp(panels[1].true_box[:, 0])
    assert drawn / true == pytest.approx(zoom)
    assert np.ptp(panels[0].frame.points[:, 0]) / true == pytest.approx(10.0)
    # Mid-step the zoom eases between the stages' zooms.
    assert 1.0 < framing.pictures_at(1, 0.5)[1].zoom < zoom


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
    timelines = [
        MorphTimeline([*same, Stage(Step("activation", "b", "b", 2), RING)], area),
        MorphTimeline([*same, Stage(Step("activation", "b", "b", 2), warped)], area),
    ]
    differences = stage_differences(timelines, slice(None))
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


def test_readout_pictures_put_the_read_out_along_x_and_its_cut_upright():
    rng = np.random.default_rng(2)
    snapshots = [rng.normal(size=(300, 3)) for _ in range(3)]
    weights = [np.array([1.0, -2.0, 0.5]), np.array([0.2, 1.0, 1.0]), np.array([-1.0, 0, 3.0])]
    scores = [h @ w + 0.7 for h, w in zip(snapshots, weights)]
    pictures = readout_pictures(snapshots, scores, slice(0, 300))
    for picture, score in zip(pictures, scores):
        points, line = picture[:300], picture[300:]
        assert line[0, 0] == pytest.approx(line[1, 0])  # an upright line …
        # … exactly where the read-out decides: class 1 (score > 0) to its right.
        np.testing.assert_array_equal(points[:, 0] > line[0, 0], score > 0)
        assert line[0, 1] < points[:, 1].min() and line[1, 1] > points[:, 1].max()
    # Consecutive pictures do not mirror each other.
    for a, b in pairwise(pictures):
        a, b = a[:300] - a[:300].mean(0), b[:300] - b[:300].mean(0)
        assert np.linalg.det(a.T @ b) > 0


def test_format_of_accuracies_never_rounds_up():
    assert format_percent(0.998) == "99.8 %" and format_percent(0.99999) == "99.9 %"
    assert format_percent(1.0) == "100 %"


def test_a_class_sitting_on_one_spot_is_a_crowd_and_is_marked_not_enlarged():
    rng = np.random.default_rng(0)
    points = np.zeros((300, 3))
    points[:90, :2] = rng.normal(0, 1e-3, (90, 2))  # 90 of 100 on one spot, ten stragglers
    points[90:100, :2] = RING[::40] * rng.uniform(0.5, 1, (10, 1))
    points[100:, :2] = rng.uniform(-3, 3, (200, 2))
    labels = np.r_[np.zeros(100, int), np.ones(200, int)]
    (crowd,) = crowded(points, labels)
    assert (crowd.label, crowd.count, crowd.total, crowd.crowd) == (0, 90, 100, True)
    # Drawn with small dots it covers almost nothing: marked where it sits, as a crowd.
    (mark,) = marks(points, labels, radius=0.05, frame=MANIM_FRAME)
    assert mark.crowd and np.linalg.norm(mark.centre[:2]) < 0.01
    # A class squeezed onto a line is too small to see but no crowd: ringed round its box.
    spread = points.copy()
    spread[:100, 0] = np.linspace(-1.5, 1.5, 100)
    spread[:100, 1] = 0.0
    (mark,) = marks(spread, labels, radius=0.05, frame=MANIM_FRAME)
    assert not mark.crowd and mark.count == mark.total == 100


# -- scenes: dry renders ----------------------------------------------------------------------


def _texts(group) -> list[str]:
    return [m.original_text for m in group.get_family() if isinstance(m, Text)]


@pytest.fixture(scope="module")
def comparison(shared_cache):
    """ActivationComparison rendered dry, with what it showed at every step recorded."""

    class Recording(ActivationComparison):
        def setup(self):
            self.sections, self.openings, self.title_counts, self.drawn = [], [], [], []
            self.outside = set()  # visible text found outside the safe margin
            super().setup()

        def next_section(self, name="unnamed", *args, **kwargs):
            self.sections.append(name)
            self.opening = True
            super().next_section(name, *args, **kwargs)

        def _note(self):
            for part in (p for m in self.mobjects for p in m.get_family()):
                if isinstance(part, Text) and part.get_fill_opacity() > 0:
                    box = np.array([part.get_corner([s, t, 0]) for s in (-1, 1) for t in (-1, 1)])
                    if not _inside(box, safe_area()):
                        self.outside.add(part.original_text)
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
                self.drawn.append([[c.centers.copy() for c in p.clouds] for p in self.pictures])

    with tempconfig({**TINY, "media_dir": str(scene_media(shared_cache))}):
        scene = Recording()
        scene.render()
    return scene


def test_comparison_ends_where_the_activations_differ_most_then_on_the_decision(comparison):
    scene = comparison
    stages = scene.morphs[0].stages
    timelines = [m.timeline for m in scene.morphs]
    differences = stage_differences(timelines, slice(0, scene.morphs[0].layout.grid.stop))
    activations = [k for k, s in enumerate(stages) if s.step.kind == "activation"]
    assert scene.end_stage == max(activations, key=lambda k: differences[k])
    assert stages[scene.end_stage].step.kind == "activation"
    expected = [
        "input",
        *(scene.section_name(k) for k in range(1, scene.end_stage + 1)),
        "decision",
    ]
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
    for move in range(scene.end_stage + 1):
        panels = scene.framing.held_pictures(move)
        common = [p.frame.scale / p.zoom for p in panels]
        assert max(common) == pytest.approx(min(common), rel=1e-9)
        own = [timeline.keyframe_frame(move).scale for timeline in scene.framing.timelines]
        assert all(p.zoom >= 1.0 and p.frame.scale <= o * (1 + 1e-9) for p, o in zip(panels, own))
        for morph, panel in zip(scene.morphs, panels):
            data = panel.frame.points[morph.timeline.data_rows]
            assert _inside(data, morph.timeline.area) and _inside(data, safe)
    assert not scene.outside  # titles, names, legend, tags: at every hold and every play


def test_comparison_keeps_every_class_visible_in_every_panel(comparison):
    scene = comparison
    for move, drawn in enumerate(scene.drawn, start=1):
        for clouds in drawn:
            points = np.concatenate(clouds)
            labels = np.concatenate([np.full(len(c), k) for k, c in enumerate(clouds)])
            # Below the floor only a crowd (no zoom spreads it), and it is ringed on screen.
            found = marks(
                points, labels, style.DOT_RADIUS, frame=scene.morphs[0].timeline.frame_size
            )
            assert all(m.crowd for m in found), move
    # What the video holds longest: every class of every panel at every stage it reaches.
    for k in range(scene.end_stage + 1):
        for morph, panel in zip(scene.morphs, scene.framing.held_pictures(k)):
            timeline = morph.timeline
            found = marks(
                panel.frame.points, timeline.labels, style.DOT_RADIUS, frame=timeline.frame_size
            )
            assert all(m.crowd for m in found), (k, found)


@pytest.fixture(scope="module")
def training(shared_cache):
    with tempconfig({**TINY, "media_dir": str(scene_media(shared_cache))}):
        scene = ReluTraining()
        scene.render()
    return scene


def test_training_ends_on_the_fitted_network_and_names_its_hidden_layer(training):
    film = training.film
    assert film.iterations[0] == 0 and film.accuracies[-1] == 1.0 and film.accuracies[0] < 1.0
    assert training.shown == len(film.iterations) - 1
    assert film.hidden_label == "last hidden layer · ReLU"
    assert training.counter_text == f"iteration {film.iterations[-1]} · accuracy 100 %"
    # A snapshot one point short of 100 % never reads "100 %".
    k = next(k for k, a in enumerate(film.accuracies) if 0.999 <= a < 1.0)
    training.show_snapshot(k)
    assert training.counter_text == f"iteration {film.iterations[k]} · accuracy 99.9 %"
    training.show_snapshot(len(film.iterations) - 1)


def test_the_counter_heads_the_curve_panel_at_full_size(training):
    """'iteration 210' over 'accuracy 100 %': both lines at their font sizes (one line was
    shrunk to ~10 px at 720p to fit the narrow panel), inside the panel's header."""
    header = training.screen.headers[2]
    widest = max(range(len(training.film.iterations)), key=lambda k: training.get_counter(k).width)
    counter = training.get_counter(widest)
    words = [m for m in counter.get_family() if isinstance(m, Text)]
    film = training.film
    assert [w.original_text for w in words] == [
        f"iteration {film.iterations[widest]}",
        f"accuracy {format_percent(film.accuracies[widest])}",
    ]
    sizes = [w.font_size for w in words]
    assert sizes == pytest.approx([style.LEGEND_FONT_SIZE, style.SMALL_FONT_SIZE], rel=0.01)
    assert header.x0 <= counter.get_left()[0] and counter.get_right()[0] <= header.x1
    assert header.y0 <= counter.get_bottom()[1] and counter.get_top()[1] <= header.y1 + 1e-6


def test_training_text_stays_inside_the_safe_margin(training):
    for part in (p for m in training.mobjects for p in m.get_family()):
        if isinstance(part, Text) and part.get_fill_opacity() > 0:
            box = np.array([part.get_corner([s, t, 0]) for s in (-1, 1) for t in (-1, 1)])
            assert _inside(box, safe_area()), part.original_text


def test_training_spends_its_time_where_learning_happens(training):
    film = training.film
    first_fit = next(k for k, a in enumerate(film.accuracies) if a == 1.0)
    # Before: most of the replay. After (the settling steps): little more than their floor.
    assert 1 - film.times[first_fit] < 0.15
    assert film.times[first_fit] > 0.85
    alpha = film.times[first_fit]
    assert film.position_at(alpha) == (first_fit, 1.0)


def test_training_rings_every_class_the_hidden_panel_draws_too_small(training):
    film, scene = training.film, training
    input_classes, _, _ = film.layout.split(scene.input_timeline.keyframe_frame(0).points)
    order = sorted(range(len(input_classes)), key=lambda c: -len(input_classes[c]))
    frame = film.hidden.frame_size
    assert min(class_footprints(input_classes, order, style.DOT_RADIUS, frame=frame)) >= FLOOR
    small = 0
    for k in range(len(film.iterations)):
        classes, _, _ = film.hidden_layout.split(film.hidden.keyframe_frame(k).points)
        shares = class_footprints(classes, order, style.DOT_RADIUS, frame=frame)
        scene.show_snapshot(k)
        for c, (share, slot) in enumerate(zip(shares, scene.slots)):
            if share >= FLOOR:
                assert slot.shown is None, (k, c)
                continue
            small += 1
            assert slot.shown is not None, (k, c)  # ringed and named
            lo, hi = classes[c].min(axis=0), classes[c].max(axis=0)
            assert (slot.ring.get_center() >= lo - 1e-6).all()
            assert (slot.ring.get_center() <= hi + 1e-6).all()
    scene.show_snapshot(len(film.iterations) - 1)
    print(f"{small} class-snapshots below the floor, all ringed")
