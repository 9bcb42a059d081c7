"""`netmorph handout`: one still and its caption per step, in Markdown and one HTML file."""

from __future__ import annotations

import re

import pytest
from PIL import Image

from model.narration.captions import narrate
from tests.conftest import NETMORPH, REPO, run


@pytest.mark.cli
def test_a_handout_has_every_steps_still_and_the_captions_the_video_says(tmp_path):
    out = tmp_path / "notes"
    result = run(
        [*NETMORPH, "handout", "scenes/morph.py", "ReluMorph", "-q", "l"]
        + ["--media_dir", str(tmp_path / "media"), "-o", str(out)],
        REPO,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    text = (out / "handout.md").read_text(encoding="utf-8")
    stills = re.findall(r"!\[[^]]*\]\(([^)]+)\)", text)
    assert len(stills) == 9  # input, seven steps, the decision
    for name in stills:
        with Image.open(out / name) as image:
            assert image.size == (854, 480)
    # The captions are the narration's, as the video's band and subtitles say them.
    from model.network.defaults import default_config
    from model.pipeline import prepare

    morph = prepare(
        default_config("circles", "relu"),
        tmp_path / "media" / "checkpoints",
        view="readout",
        affine_route="polar",
        progress=False,
    )
    for caption in narrate(morph):
        assert " ".join(caption.lines) in text
    page = (out / "handout.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 9 and "http" not in page


@pytest.mark.cli
def test_a_handout_of_a_missing_scene_is_one_line(tmp_path):
    result = run([*NETMORPH, "handout", "scenes/morph.py", "NoSuchMorph"], REPO)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "ReluMorph" in lines[0]
