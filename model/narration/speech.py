"""Offline speech: a caption's words to a WAV file, cached by what is said and how.

The engine is ``espeak-ng`` (Debian's package; ``make setup`` installs it): no model, no
download, ~500× faster than real time. A more natural optional voice is Festival with the CMU
ARCTIC "slt" HTS voice (``apt-get install festival festvox-us-slt-hts``: Debian main, a BSD-style
licence, everything on disk), ~13× faster than real time.

A file is cached under ``cache_dir`` by a hash of (engine and its version, voice, rate, the
words said), written whole or not at all, so a second render speaks without running the engine.
:func:`check_engine` raises the usual one-line :class:`NetmorphError` when the engine is missing,
before any work.

Examples::

    check_engine()                                    # before training or frames
    wav = synthesize("ReLU sets h₁ to 0 for 20 % of the points.", Path("media/voice"))
    duration(wav)                                     # seconds, from the WAV header
    synthesize(text, cache, voice=FESTIVAL)           # the optional voice
"""

from __future__ import annotations

import functools
import glob
import hashlib
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

from model.errors import NetmorphError
from model.files import written_whole
from model.narration.wording import spoken

TIMEOUT = 60.0  # seconds one sentence may take to synthesise before it is an engine fault


@dataclass(frozen=True)
class Voice:
    """Who speaks: the engine, its voice and the speed in words a minute."""

    engine: str = "espeak-ng"  # "espeak-ng" or "festival"
    name: str = "en-us"  # the engine's voice: espeak-ng's "en-us", festival's voice name
    rate: int = 175  # espeak-ng's words a minute (-s; its default): ~145 said, pauses included


ESPEAK = Voice()
FESTIVAL = Voice("festival", "cmu_us_slt_arctic_hts", 175)
FESTIVAL_RATE = 170  # words a minute Festival's slt voice speaks at its own pace (measured)
# What each engine's package is called, for the one-line fix.
_PACKAGES = {"espeak-ng": "espeak-ng", "festival": "festival festvox-us-slt-hts"}
_BINARIES = {"espeak-ng": "espeak-ng", "festival": "text2wave"}


def check_engine(voice: Voice = ESPEAK) -> str:
    """The engine's version line; NetmorphError naming the fix if ``voice`` cannot be spoken."""
    if voice.engine not in _BINARIES:
        raise NetmorphError(
            f"unknown speech engine {voice.engine!r}: choose one of {', '.join(_BINARIES)}"
        )
    fix = (
        f"run `make setup` (or `sudo apt-get install {_PACKAGES[voice.engine]}`)"
        if voice.engine == "espeak-ng"
        else f"run `sudo apt-get install {_PACKAGES[voice.engine]}`"
    )
    if shutil.which(_BINARIES[voice.engine]) is None:
        raise NetmorphError(f"the narration needs {voice.engine}, which is not installed: {fix}")
    if voice.engine == "festival" and not glob.glob(f"/usr/share/festival/voices/*/{voice.name}"):
        raise NetmorphError(f"festival has no voice {voice.name!r}: {fix}")
    return _version(voice.engine)


@functools.cache
def _version(engine: str) -> str:
    """The engine's version line (part of every cache key: another version, other audio)."""
    command = ["espeak-ng", "--version"] if engine == "espeak-ng" else ["festival", "--version"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except OSError as error:
        raise NetmorphError(f"{engine} does not run ({error}): reinstall it") from None
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else engine


def cache_key(text: str, voice: Voice = ESPEAK) -> str:
    """The hash a sentence's audio is cached by: engine version, voice, rate and the words."""
    said = spoken(text)
    digest = hashlib.sha256()
    for part in (_version(voice.engine), voice.engine, voice.name, str(voice.rate), said):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()[:24]


def synthesize(text: str, cache_dir: Path | str, voice: Voice = ESPEAK) -> Path:
    """A WAV file of ``text`` spoken (as :func:`~model.narration.wording.spoken` reads it),
    from the cache or made now; raises NetmorphError if the engine is missing or fails."""
    check_engine(voice)
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"{voice.engine}-{cache_key(text, voice)}.wav"
    if path.is_file() and _readable(path):
        return path
    whole = written_whole(path)
    with whole:  # the engine writes the locked temp file; renamed only if it is a good WAV
        _run(spoken(text), whole.tmp, voice)
        if not _readable(Path(whole.tmp)):
            raise NetmorphError(f"{voice.engine} wrote no audio for {text!r}: reinstall it")
    return path


def _run(said: str, target: str, voice: Voice) -> None:
    """Run the engine on ``said`` (from stdin: no text is read as an option), into ``target``."""
    if voice.engine == "espeak-ng":
        command = ["espeak-ng", "-v", voice.name, "-s", str(voice.rate), "-w", target]
    else:
        stretch = FESTIVAL_RATE / voice.rate
        command = [
            "text2wave",
            "-eval",
            f"(voice_{voice.name})",
            "-eval",
            f"(Parameter.set 'Duration_Stretch {stretch:.3f})",
            "-o",
            target,
        ]
    try:
        done = subprocess.run(
            command, input=said, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise NetmorphError(f"{voice.engine} failed ({error}): reinstall it") from None
    if done.returncode != 0:
        reason = (done.stderr or "").strip().splitlines()[-1:] or [f"status {done.returncode}"]
        raise NetmorphError(f"{voice.engine} failed: {reason[0]}")


def _readable(path: Path) -> bool:
    """Whether ``path`` is a WAV file with at least one frame."""
    try:
        with wave.open(str(path), "rb") as audio:
            return audio.getnframes() > 0
    except (OSError, EOFError, wave.Error):
        return False


def duration(path: Path | str) -> float:
    """Seconds of audio in the WAV file at ``path``, from its header."""
    with wave.open(str(path), "rb") as audio:
        return audio.getnframes() / audio.getframerate()
