"""2 to 8 classes: data, palettes, the fixed triangle/polygon, and the tie boundary."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from manim import Text

from model.data.csvfile import load_csv
from model.data.registry import class_count, load_dataset
from model.errors import NetmorphError
from model.geometry.ties import tie_boundary
from model.network.defaults import default_config
from model.picture import simplex
from model.picture.screen import Screen
from model.pipeline import prepare
from scenes.kit.overlays import legend
from scenes.kit.style import THEMES, blend, contrast, get_theme, rgb


def test_spiral3_is_a_three_class_dataset():
    data = load_dataset("spiral3")
    assert data.n_classes == class_count("spiral3") == 3
    np.testing.assert_array_equal(np.bincount(data.y_train), [600, 600, 600])


def test_csv_labels_may_be_any_strings_or_integers(tmp_path):
    words = tmp_path / "words.csv"
    words.write_text("x,y,label\n0,0,cat\n1,0,dog\n0,1,emu\n1,1,cat\n")
    data = load_csv(words)
    assert data.class_names == ("cat", "dog", "emu")
    np.testing.assert_array_equal(data.y_train, [0, 1, 2, 0])
    numbers = tmp_path / "numbers.csv"
    numbers.write_text("".join(f"{i},{i % 3},{label}\n" for i, label in enumerate([10, 9, 2, 9])))
    assert load_csv(numbers).class_names == ("2", "9", "10")  # numeric order, not text order
    assert "3 classes" in load_csv(numbers).description


def test_a_ninth_label_is_one_line_naming_the_limit(tmp_path):
    path = tmp_path / "nine.csv"
    path.write_text("".join(f"{i},{i},c{i}\n" for i in range(9)))
    with pytest.raises(NetmorphError, match="2 to 8 classes"):
        load_csv(path)


@pytest.mark.parametrize("k", [3, 4, 8])
def test_the_polygons_corners_are_the_one_hot_points_and_its_centre_is_uniform(k):
    np.testing.assert_allclose(simplex.picture(np.eye(k)), simplex.corners(k), atol=1e-12)
    np.testing.assert_allclose(simplex.picture(np.full((1, k), 1 / k)), [[0, 0]], atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(simplex.corners(k), axis=1), 1.0)
    lo, hi = simplex.box(k)
    assert (simplex.corners(k) > lo).all() and (simplex.corners(k) < hi).all()


def test_the_triangle_is_drawn_at_a_fixed_scale_whatever_the_data(shared_cache, tmp_path):
    spiral = prepare(default_config("spiral3", "tanh"), shared_cache, progress=False)
    blobs = tmp_path / "blobs.csv"
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 40.0], [-30.0, -20.0], [30.0, -20.0]])
    points = centres.repeat(50, axis=0) + rng.normal(0, 5, (150, 2))
    rows = [f"{x!r},{y!r},{k}" for (x, y), k in zip(points.tolist(), np.repeat([0, 1, 2], 50))]
    blobs.write_text("\n".join(rows) + "\n")
    config = default_config(str(blobs), "tanh", hidden=(3, 3, 3))
    other = prepare(config, shared_cache, progress=False)
    for morph in (spiral, other):
        last = len(morph.stages) - 1
        assert last in morph.timeline.fixed
        np.testing.assert_array_equal(morph.timeline.boxes[last], simplex.box(3))
        np.testing.assert_allclose(
            morph.timeline.keyframes[last], simplex.picture(morph.stages[last].values)
        )
    a, b = (m.timeline.keyframe_frame(len(m.stages) - 1) for m in (spiral, other))
    np.testing.assert_allclose(a.axes, b.axes)  # the same triangle on screen


def test_tie_boundary_vertices_have_equal_top_two_probabilities(shared_cache):
    from model.train.checkpoints import load_or_train

    module = load_or_train(default_config("spiral3", "tanh"), shared_cache, progress=False)[
        0
    ].module
    curves = tie_boundary(module, np.array([-1.0, -1.0]), np.array([1.0, 1.0]))
    assert len(curves) >= 3
    with torch.no_grad():
        p = module.double()(torch.as_tensor(np.concatenate(curves))).numpy()
    top = np.sort(p, axis=1)
    np.testing.assert_allclose(top[:, -1], top[:, -2], atol=1e-9)
    assert (top[:, -2] > top[:, -3] - 1e-9).all()


@pytest.mark.parametrize("name", list(THEMES))
def test_every_class_colour_reads_on_its_theme(name):
    for transparent in (False, True):
        theme = get_theme(name, transparent=transparent)
        assert len(theme.class_colors) >= 8
        assert len(set(theme.class_colors)) == len(theme.class_colors)
        backgrounds = ("#FFFFFF", "#000000") if transparent else (theme.background,)
        for color in theme.class_colors:
            for background in backgrounds:
                seen = blend(color, theme.class_opacity, background)
                assert contrast(seen, rgb(background)) >= 3.0, (name, color, background)


def test_the_legend_names_every_class_and_the_tie():
    names = ("cat", "dog", "emu", "fox")
    group = legend(names, THEMES["light"], Screen.for_morph(14.2, 8.0).legend)
    texts = {m.text for m in group.get_family() if isinstance(m, Text)}
    assert set(names) <= texts
    assert "(toptwotie)" in texts  # Manim keeps a Text's string without spaces


def test_the_fold_lines_note_never_breaks_inside_its_formula():
    """'(a unit's z = 0)' wraps in the legend column; 'z = 0)' stays on one line."""
    region = Screen.for_morph(14.2, 8.0).legend
    words = legend(("upper moon", "lower moon"), THEMES["dark"], region, folds=True)
    texts = [m.original_text for m in words.get_family() if isinstance(m, Text)]
    note = texts[texts.index("fold lines") + 1 :]
    assert "".join(note).replace(" ", "") == "(aunit'sz=0)"
    assert any("z = 0)" in line for line in note), note
