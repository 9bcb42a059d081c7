"""Slide decks end to end: one tiny render, then offline HTML (in Chromium), PPTX and PDF."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pptx
import pytest
from PIL import Image, ImageColor
from pptx.enum.shapes import PP_MEDIA_TYPE

from model.errors import NetmorphError
from scenes.kit.deck import write_deck
from tests.conftest import NETMORPH, REPO, run

SCENE = "TanhSlides"  # tanh trains fastest
STEPS = 9  # the input, one slide per step, then the decision
SLIDES = [str(Path(sys.executable).parent / "manim-slides"), "-S"]  # -S: no version check

# Headless Chromium with no way out: every proxy request goes to a closed port on loopback and
# every host name fails to resolve, so the page gets nothing it does not carry itself.
OFFLINE_CHROMIUM = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--virtual-time-budget=5000",  # let reveal.js start and the first video draw
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """A folder where ``manim-slides render`` wrote the tiny deck (``slides/``)."""
    folder = tmp_path_factory.mktemp("deck")
    result = run(
        [
            *SLIDES,
            "render",
            "--config_file",
            str(REPO / "manim.cfg"),
            *("-r", "160,90", "--fps", "5"),
            str(REPO / "scenes" / "slides.py"),
            SCENE,
        ],
        folder,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return folder


@pytest.fixture(scope="module")
def deck(rendered) -> Path:
    """The documented offline deck command's output."""
    result = run([*NETMORPH, "deck", SCENE, "out/deck.html"], rendered)
    assert result.returncode == 0, result.stderr[-2000:]
    return rendered / "out" / "deck.html"


def chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    browser = shutil.which("chromium")
    if browser is None:
        pytest.fail("no chromium on PATH: `make setup` installs Debian's chromium")
    return subprocess.run(
        [browser, *OFFLINE_CHROMIUM, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.mark.cli
def test_render_writes_one_slide_per_step(rendered):
    index = json.loads((rendered / "slides" / f"{SCENE}.json").read_text())
    assert len(index["slides"]) == STEPS


@pytest.mark.cli
def test_offline_deck_is_one_file_with_every_slide_inlined(deck):
    assert sorted(p.name for p in deck.parent.iterdir()) == ["deck.html"]  # no assets folder
    html = deck.read_text()
    assert html.count("<section") == STEPS
    assert html.count('data-background-video="data:video/mp4;base64,') == STEPS
    # Every stylesheet and script is carried inside the page, none fetched (the template's
    # commented-out examples aside).
    live = re.sub(r"<!--.*?-->", "", html, flags=re.DOTALL)
    links = re.findall(r'<(?:link|script)\b[^>]*?(?:href|src)="([^"]*)"', live)
    assert len(links) >= 4  # reveal.css, its theme, reveal.js, its notes plugin
    assert all(link.startswith("data:") for link in links), [link[:60] for link in links]


@pytest.mark.cli
def test_offline_deck_shows_slide_one_in_chromium_with_no_network(deck, tmp_path):
    shot = tmp_path / "slide1.png"
    taken = chromium(deck, tmp_path / "profile", "--window-size=640,360", f"--screenshot={shot}")
    assert shot.is_file(), taken.stderr[-2000:]
    dom = chromium(deck, tmp_path / "profile", "--dump-dom").stdout
    # reveal.js started, and slide 1's background (its video) is the one on screen.
    assert re.search(r'class="reveal [^"]*\bready\b', dom), dom[:2000]
    backgrounds = re.findall(r'<div class="slide-background ([^"]*)"', dom)
    assert len(backgrounds) == STEPS
    assert backgrounds[0].split()[0] == "present"
    assert "<video" in dom
    # The screenshot is the slide, not a blank page: mostly the scene's background colour, with
    # the picture drawn on it.
    background = ImageColor.getrgb(
        json.loads((deck.parents[1] / "slides" / f"{SCENE}.json").read_text())["background_color"]
    )
    pixels = np.asarray(Image.open(shot).convert("RGB"), dtype=int)
    distance = np.abs(pixels - np.array(background)).max(axis=2)
    assert (distance < 12).mean() > 0.3  # a blank page is 0
    assert (distance > 60).mean() > 0.05  # the classes, the grid, the title


@pytest.mark.cli
def test_pptx_has_one_slide_per_step_each_with_its_video(rendered):
    result = run([*SLIDES, "convert", "--to", "pptx", SCENE, "deck.pptx"], rendered)
    assert result.returncode == 0, result.stderr[-2000:]
    slides = pptx.Presentation(str(rendered / "deck.pptx")).slides
    assert len(slides) == STEPS
    for slide in slides:
        (movie,) = slide.shapes
        assert movie.media_type == PP_MEDIA_TYPE.MOVIE


@pytest.mark.cli
def test_pdf_has_one_page_per_step(rendered):
    result = run([*SLIDES, "convert", "--to", "pdf", SCENE, "deck.pdf"], rendered)
    assert result.returncode == 0, result.stderr[-2000:]
    pdf = (rendered / "deck.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == STEPS


@pytest.mark.cli
def test_deck_of_an_unrendered_scene_names_the_render_command(tmp_path):
    result = run([*NETMORPH, "deck", "ReluSlides", "deck.html"], tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "manim -qh scenes/slides.py ReluSlides" in line
    assert not (tmp_path / "deck.html").exists()


def test_deck_without_reveal_js_names_make_setup(tmp_path):
    (tmp_path / "slides").mkdir()
    (tmp_path / "slides" / "ReluSlides.json").write_text("{}")
    with pytest.raises(NetmorphError, match="make setup"):
        write_deck(["ReluSlides"], tmp_path / "deck.html", tmp_path / "slides", tmp_path / "npm")
    assert not (tmp_path / "deck.html").exists()
