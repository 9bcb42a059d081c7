"""Offline speech: a WAV as long as its words take to say, cached (the engine runs once), written
whole, and a missing engine said in one line naming the fix.

These run espeak-ng (``make setup`` installs it): ~30 ms a sentence, no render."""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import pytest

from model.errors import NetmorphError
from model.narration import speech
from model.narration.speech import ESPEAK, FESTIVAL, Voice, check_engine, duration, synthesize
from model.narration.wording import said_words

SENTENCE = "ReLU sets h₁ to 0 for 20 %, h₂ for 49 %, h₃ for 52 % of the points. The plane folds."


def test_synthesize_writes_a_wav_as_long_as_its_words_take_to_say(tmp_path):
    path = synthesize(SENTENCE, tmp_path)
    with wave.open(str(path), "rb") as audio:
        assert audio.getnchannels() == 1 and audio.getnframes() > 0
        seconds = audio.getnframes() / audio.getframerate()
    assert duration(path) == pytest.approx(seconds)
    expected = said_words(SENTENCE) * 60 / 150  # ~150 words a minute
    assert 0.6 * expected < duration(path) < 1.5 * expected, (duration(path), expected)


def test_a_second_call_reads_the_cache_without_running_the_engine(tmp_path, monkeypatch):
    first = synthesize(SENTENCE, tmp_path)
    calls = []
    real_run = speech.subprocess.run

    def counting_run(command, *args, **kwargs):
        calls.append(command[0])
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(speech.subprocess, "run", counting_run)
    assert synthesize(SENTENCE, tmp_path) == first
    assert calls == []
    other = synthesize(SENTENCE, tmp_path, voice=Voice(rate=140))  # another rate: new audio
    assert other != first and calls == ["espeak-ng"]
    assert duration(other) > duration(first)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first.name, other.name])


def test_a_failing_engine_leaves_no_file(tmp_path, monkeypatch):
    real_run = speech.subprocess.run

    def failing_run(command, *args, **kwargs):
        if "-w" not in command:  # asking the version
            return real_run(command, *args, **kwargs)
        Path(command[command.index("-w") + 1]).write_bytes(b"RIFF not a wav")
        return speech.subprocess.CompletedProcess(command, 1, "", "synthesis failed")

    monkeypatch.setattr(speech.subprocess, "run", failing_run)
    with pytest.raises(NetmorphError, match="espeak-ng failed: synthesis failed"):
        synthesize("A sentence never cached.", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_engine_is_one_line_naming_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(speech.shutil, "which", lambda name: None)
    for call in (lambda: check_engine(), lambda: synthesize("Hello.", tmp_path)):
        with pytest.raises(NetmorphError) as caught:
            call()
        message = str(caught.value)
        assert "\n" not in message
        assert "make setup" in message and "apt-get install espeak-ng" in message
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(NetmorphError, match="unknown speech engine"):
        check_engine(Voice(engine="say"))


def test_the_cache_key_is_what_is_said_and_how():
    key = speech.cache_key(SENTENCE)
    assert key == speech.cache_key(SENTENCE, ESPEAK)
    assert key != speech.cache_key(SENTENCE + " Again.")
    assert key != speech.cache_key(SENTENCE, Voice(name="en-gb"))


@pytest.mark.skipif(
    shutil.which("text2wave") is None, reason="the optional festival voice is not installed"
)
def test_the_optional_festival_voice_speaks_too(tmp_path):
    path = synthesize(SENTENCE, tmp_path, voice=FESTIVAL)
    assert path.name.startswith("festival-")
    expected = said_words(SENTENCE) * 60 / 150
    assert 0.6 * expected < duration(path) < 1.5 * expected
