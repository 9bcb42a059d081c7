"""Screen time by content: seconds of morph and of hold for each section of the video.

Time goes where something happens. How much a step changes the picture is measured on the
trace (:func:`change`: how far the drawn points' shape moves, once turning, uniform scaling and
shifting are set aside, as the aligned views do), and the morph gets more time the more it
changes, activations (folds, squashes) most of all. A step whose picture barely changes is
short. Every section lasts at least as long as its sentence is spoken (the speech's measured
duration, or an estimate at :data:`WORDS_PER_MINUTE`) and ends on a hold of at least
:data:`MIN_HOLD`; a scene's pacing attributes, when the user sets them, still decide.

Examples::

    paces = pace(morph, narrate(morph))                       # by content, estimated speech
    paces = pace(morph, captions, speech={"relu2": 5.2, ...})  # measured speech
    paces["relu2"].morph, paces["relu2"].hold
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.narration.wording import count_words, spoken

if TYPE_CHECKING:  # pragma: no cover
    from model.narration.captions import Caption
    from model.pipeline import Morph

WORDS_PER_MINUTE = 150  # speaking speed assumed without a measured duration
READING_PER_MINUTE = 220  # words a viewer reads a minute (a silent video's captions), watching too
MIN_HOLD = 2.0  # every step ends on a hold this long
SPEECH_PAD = 0.4  # seconds of quiet after a sentence before the next section
MAX_TURN_RATE = 90.0  # degrees a second: no picture turns faster than a quarter turn a second
SMOOTH_PEAK = 2.53  # Manim's smooth peaks at this many times its mean rate
STILL = 0.02  # a change below this: the picture barely moves, its morph is the shortest
MIN_MORPH = 1.0  # seconds: the shortest morph (a step that barely changes the picture)
# (base, per unit of change) seconds of morph for each kind of step: an activation's fold or
# squash gets more time than an affine step's stretch and shift.
MORPH_TIME = {"affine": (1.0, 2.0), "activation": (2.2, 3.0), "softmax": (1.6, 1.6)}
INPUT_HOLD = 3.0  # the input: long enough to introduce the data
DECISION_MORPH, DECISION_HOLD = 2.0, 3.0  # back to the input plane, then the shaded decision
SAMPLE = 4000  # at most this many drawn points measure a step's change


@dataclass(frozen=True)
class Pace:
    """One section's seconds: its morph, then the hold on its result."""

    morph: float  # seconds the step plays (0: nothing is played, e.g. the input, an identity)
    hold: float  # seconds the result is held

    @property
    def total(self) -> float:
        """The section's seconds, morph and hold."""
        return self.morph + self.hold


def change(before: np.ndarray, after: np.ndarray) -> float:
    """How much a step changes the shape of a point set, 0 (the same up to a turn, a uniform
    scale and a shift) to 1: the Procrustes disparity of (n, d₁) ``before`` and (n, d₂)
    ``after`` (both padded to the wider), 1 − (Σ singular values of XᵀY)² for centred X, Y
    of unit size."""
    width = max(before.shape[1], after.shape[1])
    x, y = (np.pad(a, ((0, 0), (0, width - a.shape[1]))) for a in (before, after))
    x, y = x - x.mean(axis=0), y - y.mean(axis=0)
    nx, ny = np.linalg.norm(x), np.linalg.norm(y)
    if nx == 0 or ny == 0:
        return 0.0 if nx == ny else 1.0
    overlap = np.linalg.svd((x / nx).T @ (y / ny), compute_uv=False).sum()
    return float(np.clip(1.0 - overlap**2, 0.0, 1.0))


def spoken_seconds(text: str) -> float:
    """Seconds ``text`` takes to say at :data:`WORDS_PER_MINUTE` (as the voice reads it)."""
    return count_words(spoken(text)) * 60.0 / WORDS_PER_MINUTE


def reading_seconds(text: str) -> float:
    """Seconds a viewer takes to read ``text`` (a silent video's caption) while watching."""
    return count_words(text) * 60.0 / READING_PER_MINUTE


def step_changes(morph: Morph) -> dict[str, float]:
    """:func:`change` of every step of the trace, on (at most :data:`SAMPLE`) drawn points."""
    rows = np.concatenate([np.arange(s.start, s.stop) for s in morph.layout.classes])
    rows = rows[:: max(1, len(rows) // SAMPLE)]
    stages = morph.stages
    return {
        stages[k].step.name: change(stages[k - 1].values[rows], stages[k].values[rows])
        for k in range(1, len(stages))
    }


def pace(
    morph: Morph,
    captions: Sequence[Caption],
    *,
    speech: Mapping[str, float] | None = None,
    morph_seconds: float | None = None,
    hold_seconds: float | None = None,
    lead_in: float = 0.0,
    said: bool = True,
    turns: Mapping[str, float] | None = None,
) -> dict[str, Pace]:
    """Seconds of morph and hold for every section of ``captions``, by section name.

    ``speech``: each section's spoken seconds (measured, :func:`model.narration.speech.duration`);
    a section without one is estimated from its words. ``morph_seconds``/``hold_seconds``: the
    scene's pacing attributes when the user set them (None: by content); a set morph time is
    kept, a set hold too unless the sentence needs longer (a sentence is never cut).
    ``lead_in``: seconds of each section before its morph (the title's entrance) that the voice
    already speaks over. ``said``: whether the captions are shown or spoken at all (a video
    without them is paced by what moves alone). ``turns``: degrees each step's picture turns;
    a step takes long enough that it never turns faster than :data:`MAX_TURN_RATE` at the
    peak of Manim's ``smooth`` (its rate peaks at :data:`SMOOTH_PEAK` × its mean).
    """
    changes = step_changes(morph)
    kinds = {s.step.name: s.step.kind for s in morph.stages}
    paces: dict[str, Pace] = {}
    for caption in captions:
        name = caption.section
        seconds = (speech or {}).get(name)
        if seconds is None:
            seconds = spoken_seconds(caption.text)
        if name == "input":
            played = 0.0
        elif name == "decision":
            played = DECISION_MORPH if morph_seconds is None else morph_seconds
        elif kinds.get(name) == "activation" and name.startswith("identity"):
            played = 0.0  # said, not played: nothing moves
        elif morph_seconds is not None:
            played = morph_seconds
        else:
            played = morph_time(kinds.get(name, "affine"), changes.get(name, 1.0))
            turned = (turns or {}).get(name, 0.0)
            played = max(played, round(turned * SMOOTH_PEAK / MAX_TURN_RATE, 3))
        floor = {"input": INPUT_HOLD, "decision": DECISION_HOLD}.get(name, MIN_HOLD)
        if hold_seconds is not None and name not in ("input", "decision"):
            floor = hold_seconds
        # The input and the closing picture open without a title's beat before them.
        lead = 0.0 if name in ("input", "decision") else lead_in
        needed = seconds + SPEECH_PAD - lead - played if said else 0.0
        paces[name] = Pace(played, milliseconds_up(max(floor, needed)))
    return paces


def milliseconds_up(seconds: float) -> float:
    """``seconds`` rounded up to whole milliseconds (a hold never ends before its sentence)."""
    return math.ceil(seconds * 1000 - 1e-6) / 1000


def morph_time(kind: str, amount: float) -> float:
    """Seconds of morph for a step of ``kind`` that changes the picture by ``amount`` (0..1)."""
    if amount < STILL:
        return MIN_MORPH
    base, per = MORPH_TIME.get(kind, MORPH_TIME["affine"])
    return round(base + per * min(1.0, float(np.sqrt(amount))), 3)
