"""Subtitles: the SRT and WebVTT parse (a strict reader written here), cover every step in
order on the video's clock, end inside the video, and a long caption becomes several cues."""

from __future__ import annotations

import json
import re

import pytest

from model.narration.captions import Caption, narrate
from model.narration.pacing import pace
from model.narration.subtitles import (
    SUBTITLE_CHARS,
    chunks,
    cues_json,
    place_cues,
    srt,
    timestamp,
    webvtt,
    write_subtitles,
)
from model.network.defaults import default_config
from model.pipeline import prepare

SRT_TIME = r"(\d\d):(\d\d):(\d\d),(\d{3})"
VTT_TIME = r"(\d\d):(\d\d):(\d\d)\.(\d{3})"


def seconds(match: tuple[str, ...]) -> float:
    h, m, s, ms = map(int, match)
    return h * 3600 + m * 60 + s + ms / 1000


def read_srt(text: str) -> list[tuple[int, float, float, str]]:
    """A strict SRT reader: numbered blocks from 1, one timing line, 1–2 text lines."""
    assert text.endswith("\n") and "\r" not in text
    cues = []
    for block in text.strip("\n").split("\n\n"):
        lines = block.split("\n")
        assert len(lines) in (3, 4), block
        timing = re.fullmatch(f"{SRT_TIME} --> {SRT_TIME}", lines[1])
        assert timing, lines[1]
        parts = timing.groups()
        cues.append((int(lines[0]), seconds(parts[:4]), seconds(parts[4:]), "\n".join(lines[2:])))
    assert [c[0] for c in cues] == list(range(1, len(cues) + 1))
    return cues


def read_vtt(text: str) -> list[tuple[str, float, float, str]]:
    """A strict WebVTT reader: the header, then named cues with '.' before the milliseconds."""
    head, *blocks = text.strip("\n").split("\n\n")
    assert head == "WEBVTT"
    cues = []
    for block in blocks:
        ident, timing_line, *lines = block.split("\n")
        timing = re.fullmatch(f"{VTT_TIME} --> {VTT_TIME}", timing_line)
        assert timing and "-->" not in ident and 1 <= len(lines) <= 2, block
        parts = timing.groups()
        cues.append((ident, seconds(parts[:4]), seconds(parts[4:]), "\n".join(lines)))
    return cues


@pytest.fixture(scope="module")
def relu_video(shared_cache):
    """ReluMorph's captions laid end to end with their paced seconds: (sections, length)."""
    morph = prepare(
        default_config("circles", "relu"),
        shared_cache,
        view="readout",
        affine_route="polar",
        progress=False,
    )
    captions = narrate(morph)
    paces = pace(morph, captions)
    sections, clock = [], 0.0
    for c in captions:
        length = paces[c.section].total
        sections.append((c.section, clock, clock + length, c))
        clock += length
    return sections, clock


def test_srt_and_vtt_parse_cover_every_step_in_order_and_end_inside(relu_video):
    sections, length = relu_video
    cues = place_cues(sections)
    from_srt, from_vtt = read_srt(srt(cues)), read_vtt(webvtt(cues))
    assert len(from_srt) == len(from_vtt) == len(cues) >= len(sections)
    for (_, a, b, text), (_, c, d, text2) in zip(from_srt, from_vtt):
        assert (a, b, text) == (c, d, text2)  # the same cues, twice
        assert 0 <= a < b <= length + 1e-3
        assert all(len(line) <= SUBTITLE_CHARS for line in text.split("\n"))
    starts = [a for _, a, _, _ in from_srt]
    assert starts == sorted(starts)
    # Every section has a cue inside its span, in the video's order.
    names = [re.sub(r"-\d+$", "", ident) for ident, *_ in from_vtt]
    assert list(dict.fromkeys(names)) == [name for name, *_ in sections]
    for ident, a, b, _ in from_vtt:
        name = re.sub(r"-\d+$", "", ident)
        _, start, end, _ = next(s for s in sections if s[0] == name)
        assert start - 1e-3 <= a < b <= end + 1e-3
    # The cues' words are the captions' words.
    said = " ".join(text.replace("\n", " ") for *_, text in from_srt)
    assert said == " ".join(c.text for *_, c in sections)


def test_a_long_caption_becomes_several_two_line_cues():
    text = (
        "ReLU sets h₁ to 0 for 20 %, h₂ for 49 %, h₃ for 52 % of the points. "
        "The plane folds; 9 % land on the origin."
    )
    parts = chunks(text)
    assert len(parts) == 2 and all(len(p.split("\n")) <= 2 for p in parts)
    assert parts[1] == "The plane folds; 9 % land on the origin."
    cues = place_cues([("relu2", 10.0, 16.0, text)])
    assert [c.section for c in cues] == ["relu2", "relu2"]
    assert cues[0].start == 10.0 and cues[-1].end == 16.0 and cues[0].end == cues[1].start
    # Longer text gets the longer share of the span.
    assert cues[0].end - cues[0].start > cues[1].end - cues[1].start
    assert read_vtt(webvtt(cues))[1][0] == "relu2-2"


def test_a_sentence_longer_than_a_cue_is_split_inside():
    words = " ".join(f"word{i}" for i in range(30)) + "."
    parts = chunks(words)
    assert len(parts) > 1 and " ".join(p.replace("\n", " ") for p in parts) == words


def test_timestamps_and_json():
    assert timestamp(3725.0456) == "01:02:05,046"
    assert timestamp(0.5, ".") == "00:00:00.500"
    cues = place_cues([("input", 0.0, 2.0, Caption("input", "t", ("Hello.",), (0, 1)))])
    assert json.loads(cues_json(cues)) == {
        "cues": [{"section": "input", "start": 0.0, "end": 2.0, "text": "Hello."}]
    }
    with pytest.raises(ValueError, match="ends"):
        place_cues([("input", 2.0, 2.0, "Hello.")])


def test_subtitle_files_are_written_whole(tmp_path, relu_video):
    sections, _ = relu_video
    cues = place_cues(sections)
    paths = write_subtitles(cues, tmp_path / "ReluMorph")
    assert [p.name for p in paths] == ["ReluMorph.srt", "ReluMorph.vtt"]
    assert read_srt(paths[0].read_text(encoding="utf-8"))
    assert read_vtt(paths[1].read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ReluMorph.srt", "ReluMorph.vtt"]
