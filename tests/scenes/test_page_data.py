"""The explorable page's data: the frames the video draws, every section's words, the training
film's snapshots. Decoded in Python exactly as the page's JavaScript decodes them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from model.errors import NetmorphError
from model.narration.captions import narrate
from model.picture.played import smooth
from model.picture.samples import QUANTUM, unpack_positions
from scenes.kit import style
from scenes.kit.morph_scene import REGIONS_FADE
from scenes.kit.page import TOLERANCE, page_data, page_texts, set_up, write_page
from scenes.morph import ReluMorph
from scenes.training import ReluTraining
from tests.conftest import render_recording, scene_media

OPACITY = 6  # a page frame's field: the whole picture's opacity (page.py picture_data)


@pytest.fixture(scope="module")
def relu_page(shared_cache):
    """ReluMorph's page data, its decoded positions, and the set-up scene it came from."""
    with set_up(ReluMorph, scene_media(shared_cache)) as scene:
        page, blobs = page_data(scene)
    picture = page["pictures"][0]
    positions = unpack_positions(blobs.parts[picture["blob"]], picture["samples"], picture["rows"])
    return page, positions, scene


def test_every_section_has_the_title_note_and_caption_its_video_shows(relu_page):
    page, _, scene = relu_page
    stages = scene.morph.stages
    names = [s["name"] for s in page["sections"]]
    assert names == [stage.step.name for stage in stages] + ["decision"]
    captions = narrate(scene.morph)  # the words of the video's caption band
    assert [c.section for c in captions] == names
    for section, caption in zip(page["sections"], captions):
        assert section["title"] == caption.title
        assert section["lines"] == list(caption.lines) and 1 <= len(caption.lines) <= 2
    for section, stage in zip(page["sections"], stages):
        assert section["title"] == stage.step.title
        assert section["note"] == scene.get_note(stage)
    assert page["sections"][0]["note"] == "two concentric circles: 900 + 4,500 points"
    decision = page["sections"][-1]
    assert decision["title"] == "what the network decided"
    assert decision["note"].endswith("training accuracy 100 %")
    assert [t.section for t in page_texts(scene)] == names


def test_each_section_s_words_are_drawn_in_the_title_and_caption_bands(relu_page):
    page, _, scene = relu_page
    screen = scene.screen
    for section in page["sections"]:
        texts = [item for item in section["words"] if item["k"] == "text"]
        said = [section["title"], section["note"], *section["lines"]]
        assert [t["s"] for t in texts] == said
        title, note, *lines = texts
        # The title and its note at their sizes, the block shrunk together where a note is
        # too wide for the band (overlays.title_block), as the video draws them.
        assert title["size"] <= style.TITLE_FONT_SIZE
        assert title["size"] / note["size"] == pytest.approx(
            style.TITLE_FONT_SIZE / style.NOTE_FONT_SIZE, rel=1e-3
        )
        for item, band in [(title, screen.title), (note, screen.title)] + [
            (line, screen.caption) for line in lines
        ]:
            slack = 1e-3  # the page's numbers are rounded to 1e-4
            assert band.x0 - slack <= item["x"] - item["w"] / 2
            assert item["x"] + item["w"] / 2 <= band.x1 + slack
            assert band.y0 < item["y"] < band.y1


def test_the_page_holds_the_video_s_own_dots_at_every_step_end(relu_page, shared_cache):
    page, positions, _ = relu_page
    video, _ = render_recording(ReluMorph, shared_cache)  # the dots Manim drew, step by step
    keys = np.array(page["pictures"][0]["keys"])
    classes = page["pictures"][0]["classes"]
    starts = {s["move"]: s["start"] for s in page["sections"]}
    assert len(video.recorded) == len(starts) - 1  # every step and the decision's return
    for move, clouds, _grid in video.recorded:
        (at,) = np.flatnonzero(np.isclose(keys, starts[move] + 1.0))  # where the step ends
        for (a, b), drawn in zip(classes, clouds):
            assert np.abs(positions[at, a:b] - drawn[:, :2]).max() <= QUANTUM / 2 + 1e-9


def test_each_name_is_kept_where_the_video_s_picture_draws_it(relu_page, shared_cache):
    # The video's own MorphPicture at every step's end, names placed and shown (not the page's
    # code): each name the page keeps there is centred where the video centred it.
    page, _, _ = relu_page
    video, _ = render_recording(ReluMorph, shared_cache)
    picture = page["pictures"][0]
    keys = np.array(picture["keys"])
    starts = {s["move"]: s["start"] for s in page["sections"]}
    checked = 0
    for move, drawn in video.names_drawn.items():
        (at,) = np.flatnonzero(np.isclose(keys, starts[move] + 1.0))
        kept = {text: (x, y) for text, x, y, _ in picture["frames"][at][2]}
        assert kept.keys() == drawn.keys()
        for text, (x, y) in drawn.items():
            assert np.hypot(x - kept[text][0], y - kept[text][1]) <= 2e-4, (move, text)
            checked += 1
    assert checked >= 12  # x₁ x₂, h₁ h₂ h₃ (four stages), the ticks and the number lines' names


def test_between_samples_the_page_is_within_tolerance_of_the_video(relu_page):
    page, positions, scene = relu_page
    picture, timeline = page["pictures"][0], scene.morph.timeline
    keys, frames = np.array(picture["keys"]), picture["frames"]
    rows = slice(0, picture["classes"][-1][1])  # the class points
    rng = np.random.default_rng(0)
    for section in page["sections"][1:]:
        for alpha in rng.uniform(0, 1, 12):
            at = section["start"] + alpha
            i = int(np.searchsorted(keys, at, side="right")) - 1
            f = (at - keys[i]) / (keys[i + 1] - keys[i])
            if min(frames[i][OPACITY], frames[i + 1][OPACITY]) < 1:
                f = round(f)  # a cross-fade: the page shows the nearer sample, nothing moves
            drawn = (1 - f) * positions[i, rows] + f * positions[i + 1, rows]
            truth = timeline.frame_at(section["move"], float(smooth(alpha)))
            if truth.opacity > 1 / 255:  # drawn (a picture faded out is not seen)
                assert np.abs(drawn - truth.points[rows, :2]).max() <= TOLERANCE + QUANTUM


def test_each_section_plays_at_its_video_s_pace(relu_page):
    page, _, scene = relu_page
    for section in page["sections"]:
        pace = scene.paces[section["name"]]
        if section["name"] == "decision":
            # The return, then the shading's fade (the video's first seconds of the hold).
            assert section["seconds"] == pytest.approx(pace.morph + REGIONS_FADE, abs=1e-3)
            assert section["hold"] == pytest.approx(pace.hold - REGIONS_FADE, abs=1e-3)
            assert section["lead"] == 0.0
        else:
            assert section["seconds"] == pytest.approx(pace.morph, abs=1e-3)
            assert section["hold"] == pytest.approx(pace.hold, abs=1e-3)
            assert section["lead"] == (scene.label_seconds if section["move"] else 0.0)


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
        scene.snapshot_caption(k) for k in range(len(film.iterations))
    ]
    phases = scene.story.phases  # the video's sections, each with its title and caption
    assert [s["name"] for s in page["sections"]] == [p.section for p in phases]
    for section, phase in zip(page["sections"], phases):
        assert section["title"] == f"training: {phase.title}"
        assert section["lines"] == list(phase.lines)
        assert section["start"] == pytest.approx(film.times[phase.first], abs=1e-6)
        assert section["end"] == pytest.approx(film.times[phase.last], abs=1e-6)
        assert section["seconds"] == pytest.approx(scene.paces[phase.section].morph, abs=1e-3)
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
