"""The video explains itself, through the real CLI: captions and subtitles by default, an
offline voice with NETMORPH_NARRATE=1, every step as long as its sentence."""

from __future__ import annotations

import itertools
import json
import re
import wave

import av
import numpy as np
import pytest

from tests.conftest import REPO, run

TINY = ["-r", "160,90", "--fps", "5"]
CUE = re.compile(r"(\d\d):(\d\d):(\d\d)[,.](\d\d\d) --> (\d\d):(\d\d):(\d\d)[,.](\d\d\d)")


def _seconds(h, m, s, ms) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def _cues(text: str) -> list[tuple[float, float]]:
    return [(_seconds(*m.groups()[:4]), _seconds(*m.groups()[4:])) for m in CUE.finditer(text)]


def _render(tmp_path, *extra, env=None):
    args = ["manim", "--config_file", str(REPO / "manim.cfg"), *TINY, "--media_dir", str(tmp_path)]
    return run([*args, *extra, "scenes/morph.py", "ReluMorph"], REPO, env=env)


@pytest.mark.cli
def test_a_narrated_render_speaks_every_caption_inside_its_own_cue(tmp_path):
    result = _render(tmp_path, "--save_sections", env={"NETMORPH_NARRATE": "1"})
    assert result.returncode == 0, result.stderr[-2000:]
    movie = next(tmp_path.rglob("ReluMorph.mp4"))
    with av.open(str(movie)) as container:
        kinds = [s.type for s in container.streams]
        video = float(container.duration) / av.time_base
        sound = container.streams.audio[0]
        codec, rate, channels = sound.codec_context.name, sound.rate, sound.channels
        samples = np.concatenate([f.to_ndarray().ravel() for f in container.decode(sound)])
    assert kinds.count("audio") == 1 and kinds.count("video") == 1
    srt, vtt = movie.with_suffix(".srt").read_text(), movie.with_suffix(".vtt").read_text()
    assert vtt.startswith("WEBVTT") and _cues(srt) == _cues(vtt)
    cues = _cues(srt)
    assert cues and all(a < b for a, b in cues)
    assert all(b1 <= a2 + 1e-9 for (_, b1), (a2, _) in itertools.pairwise(cues))  # in order
    assert cues[-1][1] <= video + 0.05  # inside the video
    # Every section's clip keeps its cues, and every section is as long as its sentence.
    folder = next(tmp_path.rglob("sections"))
    index = json.loads((folder / "ReluMorph.json").read_text())
    speech = sorted((tmp_path / "speech").glob("*.wav"))
    assert len(speech) == len(index)  # one sentence per section, cached by its words
    spoken = []
    for path in speech:
        with wave.open(str(path)) as w:
            spoken.append(w.getnframes() / w.getframerate())
            recorded = (w.getframerate(), w.getnchannels())
    # The voice is encoded as it was recorded (not upsampled to 48 kHz stereo), and heard.
    assert (codec, rate, channels) == ("aac", *recorded)
    assert len(samples) / rate == pytest.approx(video, abs=0.3)
    assert np.sqrt(np.mean(samples.astype(float) ** 2)) > 0.01
    for section in index:
        clip = folder / section["video"]
        own = _cues(clip.with_suffix(".srt").read_text())
        assert own and own[0][0] == 0.0 and own[-1][1] <= float(section["duration"]) + 0.05
    assert sum(float(s["duration"]) for s in index) >= sum(spoken)


@pytest.mark.cli
def test_a_missing_voice_is_one_line_before_any_work(tmp_path):
    """No espeak-ng on the PATH (only the venv's commands): one line naming the fix, exit 2,
    before any training (no checkpoint is written)."""
    result = _render(tmp_path, env={"NETMORPH_NARRATE": "1", "PATH": "/nonexistent"})
    assert result.returncode == 2, result.stderr[-2000:]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "espeak-ng" in lines[0] and "make setup" in lines[0]
    assert not list(tmp_path.rglob("*.safetensors"))
