"""Captions against independent numbers: the ReLU shares, the SVD, the read-out's accuracy, the
failure said, and every built-in video's captions within the band's budget."""

from __future__ import annotations

import re

import numpy as np
import pytest

from model.formatting import format_percent
from model.narration.captions import narrate
from model.narration.measures import affine_measures, bend_measures, readout_measures
from model.narration.wording import (
    LINE_CHARS,
    MAX_LINES,
    SAID_BUDGET,
    WORD_BUDGET,
    Clause,
    count_words,
    fit,
    number,
    said_words,
    share,
    spoken,
    wrap,
)
from model.network.defaults import default_config
from model.network.numpy_net import NumpyNet
from model.pipeline import prepare


@pytest.fixture(scope="session")
def morph_of(shared_cache):
    """A function: (dataset, activation, view, config keywords) -> Morph, made once a session."""
    made = {}

    def get(dataset="circles", activation="relu", view="readout", **fields):
        key = (dataset, activation, view, tuple(sorted(fields.items())))
        if key not in made:
            config = default_config(dataset, activation, **fields)
            made[key] = prepare(
                config, shared_cache, view=view, affine_route="polar", progress=False
            )
        return made[key]

    return get


def drawn(morph):
    """(n, 2) the drawn points and (n,) their classes, straight from the dataset."""
    x = np.concatenate(morph.dataset.x_plot)
    y = np.concatenate([np.full(len(p), k) for k, p in enumerate(morph.dataset.x_plot)])
    return x, y


def checkpoint_net(morph) -> NumpyNet:
    """The network as its checkpoint stores it (before any reordering for the picture)."""
    return NumpyNet.from_state_dict(morph.checkpoint.config, morph.checkpoint.weights)


def caption(morph, section, **kwargs):
    return next(c for c in narrate(morph, **kwargs) if c.section == section)


def percents(text: str) -> list[float]:
    """Every percentage in ``text``: '20 %' and the list form '0, 50, 46 %'."""
    found = []
    for run in re.findall(r"((?:\d+(?:\.\d+)?, )*\d+(?:\.\d+)?) %", text):
        found += [float(v) for v in run.split(", ")]
    return found


def test_relu_zero_shares_equal_a_numpy_computation_from_the_checkpoint(morph_of):
    morph = morph_of("circles", "relu")
    x, _ = drawn(morph)
    w = {k: v.astype(np.float64) for k, v in morph.checkpoint.weights.items()}
    z = (x @ w["0.weight"].T + w["0.bias"]) @ w["1.weight"].T + w["1.bias"]  # (n, 3) before ReLU
    shares = (z < 0).mean(axis=0)
    # The picture's network has its hidden units reordered: find the order from the weights.
    drawn_rows = morph.net[1].weight
    order = [
        next(j for j in range(3) if np.allclose(drawn_rows[i], w["1.weight"][j])) for i in range(3)
    ]
    said = percents(caption(morph, "relu2").text)
    assert said == [round(100 * shares[j]) for j in order]
    assert sorted(said) == sorted(round(100 * s) for s in shares)


def test_relu_shares_count_only_the_drawn_points(morph_of):
    morph = morph_of("circles", "relu")
    x, _ = drawn(morph)
    z = morph.stages[2].values[: len(x)]
    measured = bend_measures(z, "relu")
    assert measured.bent == pytest.approx(tuple((z < 0).mean(axis=0)))
    assert measured.all_bent == pytest.approx(float((z < 0).all(axis=1).mean()))


def test_turn_and_stretches_equal_an_svd(morph_of):
    morph = morph_of("circles", "relu")
    layer = morph.net[1]  # Dense 3→3, as drawn
    u, s, vt = np.linalg.svd(layer.weight)
    rotation = u @ vt
    assert np.linalg.det(rotation) > 0  # oriented: no mirror
    angle = np.degrees(np.arccos((np.trace(rotation) - 1) / 2))
    measured = affine_measures(layer.weight, layer.bias)
    assert measured.turn == pytest.approx(angle, abs=1e-6)
    assert measured.stretches == pytest.approx(tuple(s))
    assert measured.shift == pytest.approx(np.linalg.norm(layer.bias))
    text = caption(morph, "dense2_3to3").text
    assert f"×{number(s.min())}–{number(s.max())}" in text
    assert f"{round(angle)}°" in text


def test_a_mirror_is_said_and_its_turn_is_proper():
    weight = np.diag([2.0, 1.0, -0.5])  # det < 0
    measured = affine_measures(weight, np.zeros(3))
    assert measured.mirrors
    assert measured.turn == pytest.approx(0.0, abs=1e-9)
    assert measured.stretches == pytest.approx((2.0, 1.0, 0.5))


def test_separability_is_the_readouts_accuracy_on_the_drawn_points(morph_of):
    for activation, section in (("relu", "relu3"), ("identity", "identity3")):
        morph = morph_of("circles", activation)
        x, y = drawn(morph)
        accuracy = float((checkpoint_net(morph)(x).argmax(axis=1) == y).mean())
        text = caption(morph, section).text
        assert format_percent(accuracy) in text, (text, accuracy)
        assert ("separates" in text) == (accuracy == 1.0)


def test_the_margin_is_the_distance_to_the_tie_line():
    h = np.array([[0.0, 1.0], [3.0, 0.0], [4.0, 4.0]])
    labels = np.array([1, 0, 1])
    weight, bias = np.array([[1.0, 0.0], [0.0, 1.0]]), np.zeros(2)  # tie where h₁ = h₂
    measured = readout_measures(h, labels, weight, bias)
    assert measured.accuracy == pytest.approx(2 / 3)  # (4, 4) sits on the tie: class 0 wins
    assert measured.margin == pytest.approx(1 / np.sqrt(2))


def test_the_logits_margin_is_said(morph_of):
    morph = morph_of("circles", "relu")
    x, _ = drawn(morph)
    z = checkpoint_net(morph).logits()(x)
    margin = (np.abs(z[:, 1] - z[:, 0]) / np.sqrt(2)).min()
    assert f"nearest point is {number(margin)} from it" in caption(morph, "dense4_3to2").text


def test_softmax_says_how_sure_the_points_are(morph_of):
    morph = morph_of("circles", "relu")
    x, _ = drawn(morph)
    p = checkpoint_net(morph)(x).max(axis=1)
    assert f"{share((p > 0.9).mean())} of the points are over 90 % sure" in (
        caption(morph, "softmax").text
    )
    failing = morph_of("circles", "identity")
    p = checkpoint_net(failing)(drawn(failing)[0])[:, 1]
    between = ((p > 0.4) & (p < 0.6)).mean()
    assert f"{share(between)} of the points sit between 40 % and 60 %" in (
        caption(failing, "softmax").text
    )


def test_linear_fails_decision_names_the_failure_and_its_accuracy(morph_of):
    morph = morph_of("circles", "identity")
    text = caption(morph, "decision").text
    assert "No activation" in text and "stays a straight line" in text
    data = morph.dataset
    accuracy = (checkpoint_net(morph)(data.x_train).argmax(axis=1) == data.y_train).mean()
    assert f"{format_percent(accuracy)} of the 1,800 training points right" in text
    assert "identity changes nothing" in caption(morph, "identity2").text


def test_input_says_the_data_in_plain_words(morph_of):
    morph = morph_of("circles", "relu")
    text = caption(morph, "input").text
    assert "900 points in the inner disk, 4,500 in the outer ring" in text
    assert "recipe" not in text.lower()
    captions = narrate(morph)
    axes = [c.section for c in captions if "seen from one side" in c.text]
    assert axes == ["dense1_2to3"]  # once, at the first 3-wide stage


def test_sections_titles_and_step_numbers_follow_the_trace(morph_of):
    morph = morph_of("circles", "relu")
    captions = narrate(morph)
    n = len(morph.stages) - 1
    assert [c.section for c in captions] == [s.step.name for s in morph.stages] + ["decision"]
    assert [c.step_of for c in captions] == [(k, n) for k in range(n + 1)] + [(0, n)]
    assert captions[3].title == morph.stages[3].step.title
    assert captions[-1].title == "what the network decided"
    assert [c.section for c in narrate(morph, closing=False)][-1] == "softmax"
    own = narrate(morph, own=True)
    assert own[-1].title == "what your model decided" and "your model" in own[-1].text


# (dataset, activation, view) of every scene in scenes/morph.py, datasets.py and morph3d.py
SCENES = [
    *(("circles", a, "readout") for a in ("relu", "tanh", "gelu", "sigmoid", "leaky_relu")),
    ("circles", "silu", "readout"),
    ("circles", ("relu", "tanh"), "readout"),
    ("circles", "identity", "readout"),
    ("moons", "relu", "readout"),
    ("spiral", "tanh", "readout"),
    ("xor", "relu", "readout"),
    ("spiral3", "relu", "readout"),
    *(("circles", a, "3d") for a in ("relu", "tanh", "gelu")),
]


def check_band(captions) -> None:
    for c in captions:
        assert 1 <= len(c.lines) <= MAX_LINES, c
        assert all(len(line) <= LINE_CHARS for line in c.lines), c
        assert count_words(c.text) <= WORD_BUDGET, c
        assert said_words(c.text) <= SAID_BUDGET, c
        assert "recipe" not in c.text.lower() and "σ" not in c.text, c


@pytest.mark.parametrize("dataset, activation, view", SCENES)
def test_every_built_in_scene_fits_the_caption_band(morph_of, dataset, activation, view):
    check_band(narrate(morph_of(dataset, activation, view)))


def test_the_built_in_scene_list_is_complete():
    from scenes import datasets, morph, morph3d
    from scenes.kit.morph_scene import MorphScene

    found = set()
    for module in (morph, datasets, morph3d):
        for value in vars(module).values():
            ours = isinstance(value, type) and value.__module__ == module.__name__
            if ours and issubclass(value, MorphScene):
                view = "3d" if value.view == "3d" else "readout"
                found.add((value.dataset, value.activation, view))
    assert found == set(SCENES)


def test_users_moduleworks_of_other_widths_activations_and_classes_fit(morph_of, tmp_path_factory):
    quick = {"best_effort": True, "rounds": 1, "max_iterations": 150}
    for activation, hidden in (("elu", (3, 5, 4)), ("softplus", (4, 8)), ("relu", (3, 12, 12))):
        morph = morph_of("moons", activation, hidden=hidden, **quick)
        captions = narrate(morph, own=True)
        check_band(captions)
        assert "your model" in captions[-1].text or "Your model" in captions[-1].text
    # 5 classes from a CSV: five blobs.
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("csv") / "blobs.csv"
    centres = [(0, 0), (2, 0), (0, 2), (-2, 0), (0, -2)]
    rows = [
        f"{cx + dx:.4f},{cy + dy:.4f},{k}"
        for k, (cx, cy) in enumerate(centres)
        for dx, dy in rng.normal(0, 0.3, (60, 2))
    ]
    path.write_text("x,y,label\n" + "\n".join(rows) + "\n")
    morph = morph_of(str(path), "tanh", **quick)
    captions = narrate(morph)
    check_band(captions)
    assert "5 class scores" in next(c.text for c in captions if c.section.startswith("dense4"))


def test_fit_keeps_required_clauses_and_grows_them_while_they_fit():
    lines = fit(
        Clause(("a rich first clause that says a great deal more than needed here.", "short.")),
        Clause(("second.",)),
        Clause(("optional, said only when room is left over for it.",), required=False),
    )
    text = " ".join(lines)
    assert "second." in text and count_words(text) <= WORD_BUDGET
    assert text.startswith("a rich first clause")


def test_wrap_breaks_after_a_sentence_when_it_can():
    assert wrap("Stretches 3-D space ×1.1–3.0 and turns it 145°. The plane folds now.", 60) == [
        "Stretches 3-D space ×1.1–3.0 and turns it 145°.",
        "The plane folds now.",
    ]
    assert all(len(line) <= 20 for line in wrap("one two three four five six seven eight", 20))


def test_wrap_never_parts_a_number_from_its_percent_sign_nor_a_formula():
    texts = (
        "Steps 6–60: accuracy climbs 69.6 % → 100 % as the boundary takes the data's shape.",
        "Two class scores: the boundary is at z₁ − z₀ = 0. 49 % are on the wrong side.",
    )
    for text in texts:
        for width in range(20, 60):
            lines = wrap(text, width)
            assert " ".join(lines) == text
            for line in lines:
                assert not line.startswith(("%", "−", "=", "→")), (width, lines)
                assert not line.endswith(("−", "=", "→")), (width, lines)


def test_spoken_reads_symbols_as_words():
    assert spoken("h₁ ×2.6–3.6, 40°, −1…1, 20 %, z₀ = z₁") == (
        "h 1 2.6 to 3.6 times, 40 degrees, minus 1 to 1, 20 percent, z 0 equals z 1"
    )
    assert said_words("179°") == 6  # one hundred and seventy nine degrees
    assert share(0.004) == "<1 %" and share(0.996) == ">99 %" and share(0.5) == "50 %"
