"""The explorable page's data: the frames the video draws, every section's words, the training
film's snapshots. Decoded in Python exactly as the page's JavaScript decodes them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from model.errors import NetmorphError
from model.picture.played import smooth
from model.picture.samples import QUANTUM, unpack_positions
from scenes.kit.page import TOLERANCE, page_data, page_texts, set_up, write_page
from scenes.morph import ReluMorph
from scenes.training import ReluTraining
from tests.conftest import render_recording, scene_media


@pytest.fixture(scope="module")
def relu_page(shared_cache):
    """ReluMorph's page data, its decoded positions, and the set-up scene it came from."""
    with set_up(ReluMorph, scene_media(shared_cache)) as scene:
        page, blobs = page_data(scene)
    picture = page["pictures"][0]
    positions = unpack_positions(blobs.parts[picture["blob"]], picture["samples"], picture["rows"])
    return page, positions, scene


def test_every_section_has_the_title_and_note_its_video_shows(relu_page):
    page, _, scene = relu_page
    stages = scene.morph.stages
    names = [s["name"] for s in page["sections"]]
    assert names == [stage.step.name for stage in stages] + ["decision"]
    for section, stage in zip(page["sections"], stages):
        assert section["title"] == stage.step.title
    assert page["sections"][0]["lines"] == ["two concentric circles: 900 + 4,500 points"]
    decision = page["sections"][-1]
    assert decision["title"] == "what the network decided"
    assert decision["lines"][0].endswith("training accuracy 100 %")
    assert [t.section for t in page_texts(scene)] == names


def test_the_page_holds_the_video_s_own_dots_at_every_step_end(relu_page, shared_cache):
    page, positions, _ = relu_page
    video, _ = render_recording(ReluMorph, shared_cache)  # the dots Manim drew, step by step
    keys = np.array(page["pictures"][0]["keys"])
    classes = page["pictures"][0]["classes"]
    starts = {s["step"]: s["start"] for s in page["sections"]}
    assert len(video.recorded) == len(starts) - 1  # every step and the decision's return
    for step, clouds, _grid in video.recorded:
        (at,) = np.flatnonzero(np.isclose(keys, starts[step] + 1.0))  # where the step ends
        for (a, b), drawn in zip(classes, clouds):
            assert np.abs(positions[at, a:b] - drawn[:, :2]).max() <= QUANTUM / 2 + 1e-9


def test_between_samples_the_page_is_within_tolerance_of_the_video(relu_page):
    page, positions, scene = relu_page
    picture, path = page["pictures"][0], scene.morph.path
    keys = np.array(picture["keys"])
    rows = slice(0, picture["classes"][-1][1])  # the class points
    rng = np.random.default_rng(0)
    for section in page["sections"][1:]:
        for alpha in rng.uniform(0, 1, 12):
            at = section["start"] + alpha
            i = int(np.searchsorted(keys, at, side="right")) - 1
            f = (at - keys[i]) / (keys[i + 1] - keys[i])
            drawn = (1 - f) * positions[i, rows] + f * positions[i + 1, rows]
            truth = path.frame_at(section["step"], float(smooth(alpha))).points[rows, :2]
            assert np.abs(drawn - truth).max() <= TOLERANCE + QUANTUM


def test_the_decision_shades_the_plane_after_the_points_are_back(relu_page):
    page, _, scene = relu_page
    regions, decision = page["regions"], page["sections"][-1]
    assert decision["start"] + 1.0 == pytest.approx(regions["from"])
    assert regions["to"] == page["length"] == decision["end"]
    assert (regions["height"], regions["width"]) == scene.morph.regions.shape


def test_a_training_page_has_every_snapshot_with_its_counter(shared_cache):
    with set_up(ReluTraining, scene_media(shared_cache)) as scene:
        page, blobs = page_data(scene)
    film = scene.film
    snapshots = page["snapshots"]
    assert [s["at"] for s in snapshots] == pytest.approx(list(film.times))
    assert [s["caption"] for s in snapshots] == [
        scene.snapshot_caption(k) for k in range(len(film.steps))
    ]
    hidden = page["pictures"][1]
    assert hidden["keys"][0] == 0.0 and hidden["keys"][-1] == pytest.approx(1.0)
    positions = unpack_positions(blobs.parts[hidden["blob"]], hidden["samples"], hidden["rows"])
    keys = np.array(hidden["keys"])
    for k in (0, len(snapshots) // 2, len(snapshots) - 1):  # each snapshot's own picture
        (at,) = np.flatnonzero(np.isclose(keys, film.times[k]))
        truth = film.hidden.keyframe_frame(k).points[:, :2]
        assert np.abs(positions[at] - np.clip(truth, -31.25, 31.25)).max() <= QUANTUM
    lengths = page["boundaries"]["lengths"]
    assert [len(s) for s in lengths] == [len(b) for b in film.boundaries]


@pytest.mark.parametrize(
    ("file", "out", "message"),
    [
        ("scenes/nope.py", None, "no scene file scenes/nope.py"),
        ("notes.txt", None, "no scene file notes.txt"),
        ("scenes/morph.py", "relu.png", "relu.png is not an .html file"),
    ],
)
def test_a_wrong_file_is_refused_before_anything_is_loaded(tmp_path, file, out, message):
    (tmp_path / "notes.txt").write_text("not python")
    target = None if out is None else tmp_path / out
    with pytest.raises(NetmorphError, match=message):
        write_page(Path(file), "ReluMorph", target, tmp_path / "media")
    assert not (tmp_path / "media").exists() and not (tmp_path / "relu.png").exists()
