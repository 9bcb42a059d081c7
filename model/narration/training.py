"""Training told as a story: per-snapshot loss and accuracy, phases, captions and screen time.

Everything is computed in numpy from the snapshots a checkpoint keeps
(``Config.snapshot_every``): each snapshot's training loss and accuracy, how much of the input
plane changes class between snapshots (the boundary moving) and how much the last hidden
picture changes shape. From those:

- **phases**, the sections of a training video: the random start; the first big moves (up to the
  last hop that flips at least :data:`BIG_FLIP` of the plane); the climb to the final accuracy;
  fine-tuning (accuracy stays, the loss falls). A phase with no snapshot is left out.
- **captions** per phase and **events** for the hops worth a word ("accuracy 68.6 % → 50 %: every
  point called outer ring").
- **screen time**: each hop gets a share of the replay by what it changes (accuracy, loss,
  the boundary, the hidden picture), plus a small equal floor, so a stretch of iterations where
  nothing changes passes quickly and a flip of the boundary is seen; :func:`training_pace` gives
  each phase at least its sentence.

Examples::

    story = training_story(checkpoint, load_dataset("circles"))
    for phase in story.phases:
        first, last = story.iterations[phase.first], story.iterations[phase.last]
        print(phase.section, first, last, phase.text)
    paces = training_pace(story, replay_seconds=8.0)
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.errors import NetmorphError
from model.formatting import format_percent
from model.geometry.boundary import class_map
from model.narration.pacing import (
    INPUT_HOLD,
    MIN_HOLD,
    SPEECH_PAD,
    Pace,
    change,
    milliseconds_up,
    spoken_seconds,
)
from model.narration.wording import Clause, fit, number
from model.network.numpy_net import NumpyNet

if TYPE_CHECKING:  # pragma: no cover
    from model.data.dataset import Dataset
    from model.train.checkpoint_reader import Checkpoint

BIG_FLIP = 0.25  # a hop that changes the class of this share of the plane flips the boundary
BIG_JUMP = 0.1  # a hop that changes the accuracy by this much is an event
FLOOR = 0.1  # share of the replay split equally between all hops, whatever they change
REGION_RESOLUTION = 41  # cells per side of the input plane whose class is compared
SAMPLE = 2000  # at most this many training points measure the hidden picture's change
ONE_CLASS = 0.99  # a snapshot calling this share of the points one class calls them all it
_TITLES = {
    "random_start": "random start",
    "first_moves": "the first big moves",
    "climb": "learning the shape",
    "fine_tuning": "fine-tuning",
}


@dataclass(frozen=True)
class Phase:
    """A stretch of training shown as one section: snapshots ``first`` to ``last``."""

    section: str  # the Manim section: "random_start", "first_moves", "climb", "fine_tuning"
    title: str  # e.g. "the first big moves"
    first: int  # index of its first snapshot (the one before its first hop)
    last: int  # index of its last snapshot
    lines: tuple[str, ...]  # its caption, 1–2 lines

    @property
    def text(self) -> str:
        """The caption as one sentence (voice, subtitles)."""
        return " ".join(self.lines)


@dataclass(frozen=True)
class TrainingStory:
    """Training from its snapshots, measured and told."""

    iterations: tuple[int, ...]  # optimiser iterations taken at each snapshot
    accuracies: tuple[float, ...]  # training accuracy of each snapshot, 0..1 (numpy, float64)
    losses: tuple[float, ...]  # training cross-entropy of each snapshot
    flips: tuple[float, ...]  # per hop (snapshot k−1 → k): share of the plane changing class
    reshapes: tuple[float, ...]  # per hop: change of the last hidden picture's shape, 0..1
    times: np.ndarray  # (n,) when each snapshot is reached in the replay, 0 (first) .. 1 (last)
    phases: tuple[Phase, ...]
    events: tuple[tuple[int, str], ...]  # (snapshot k, what hop k−1 → k changed)

    def phase_note(self, i: int) -> str:
        """Phase ``i``'s line under its title: 'phase 2 of 4 · iterations 0–6' ('iteration 0'
        for a phase of one snapshot)."""
        phase = self.phases[i]
        first, last = self.iterations[phase.first], self.iterations[phase.last]
        span = f"iteration {first}" if first == last else f"iterations {first}–{last}"
        return f"phase {i + 1} of {len(self.phases)} · {span}"


@dataclass(frozen=True)
class _Run:
    """What the captions read of each snapshot (see :class:`TrainingStory`)."""

    iterations: tuple[int, ...]
    accuracies: tuple[float, ...]
    losses: tuple[float, ...]
    flips: tuple[float, ...]
    called: tuple[str | None, ...]  # the class (almost) every point is called, if one is


def snapshot_networks(checkpoint: Checkpoint) -> list[NumpyNet]:
    """Each snapshot's network (numpy), in step order."""
    return [NumpyNet.from_state_dict(checkpoint.config, w) for _, _, w in checkpoint.snapshots]


def loss_and_accuracy(net: NumpyNet, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Mean cross-entropy and accuracy of ``net`` (ending in softmax) on ``x`` (n, 2), ``y``."""
    p = net(x)  # (n, classes)
    chosen = p[np.arange(len(y)), y]
    loss = float(-np.log(np.maximum(chosen, 1e-300)).mean())
    return loss, float((p.argmax(axis=1) == y).mean())


def training_story(checkpoint: Checkpoint, data: Dataset) -> TrainingStory:
    """Measure and tell the training of ``checkpoint`` (which must hold snapshots) on ``data``."""
    if not checkpoint.snapshots:
        raise ValueError("a training story needs snapshots: train with snapshot_every ≥ 1")
    nets = snapshot_networks(checkpoint)
    x, y = data.x_train, data.y_train
    measured = [loss_and_accuracy(net, x, y) for net in nets]
    losses = tuple(loss for loss, _ in measured)
    accuracies = tuple(acc for _, acc in measured)
    lo, hi = data.grid_box()
    regions = [class_map(net, lo, hi, REGION_RESOLUTION) for net in nets]
    flips = tuple(float((a != b).mean()) for a, b in itertools.pairwise(regions))
    rows = np.arange(0, len(x), max(1, len(x) // SAMPLE))
    hidden = [_last_hidden(net, x[rows]) for net in nets]
    reshapes = tuple(change(a, b) for a, b in itertools.pairwise(hidden))
    iterations = tuple(iteration for iteration, _, _ in checkpoint.snapshots)
    called = tuple(_called_all(net(x).argmax(axis=1), data) for net in nets)
    run = _Run(iterations, accuracies, losses, flips, called)
    return TrainingStory(
        iterations=iterations,
        accuracies=accuracies,
        losses=losses,
        flips=flips,
        reshapes=reshapes,
        times=replay_times(accuracies, losses, flips, reshapes),
        phases=_phases(run),
        events=_events(run),
    )


def _last_hidden(net: NumpyNet, x: np.ndarray) -> np.ndarray:
    """(n, width) the last hidden layer's values: the input of the read-out."""
    layers = net.logits().layers
    return NumpyNet(layers[:-1])(x) if len(layers) > 1 else np.asarray(x, dtype=np.float64)


def replay_times(
    accuracies: Sequence[float],
    losses: Sequence[float],
    flips: Sequence[float] = (),
    reshapes: Sequence[float] = (),
    floor: float = FLOOR,
) -> np.ndarray:
    """(n,) when each snapshot is reached, 0 .. 1: each hop's share of the replay is ``floor``
    split equally plus the rest by the mean of its shares of the total change in accuracy, loss,
    the plane's classes and the hidden picture's shape (a measure that never changes, or is not
    given, drops out). The one clock of a training replay: the story's (every measure) and a
    film's own before it has a story (accuracy and loss, :func:`model.film.training_film`).
    """
    n = len(accuracies)
    if n != len(losses) or n == 0:
        raise NetmorphError("a replay needs one accuracy and one loss per snapshot")
    if n == 1:
        return np.zeros(1)
    shares = []
    for series in (
        np.abs(np.diff(np.asarray(accuracies, dtype=np.float64))),
        np.abs(np.diff(np.asarray(losses, dtype=np.float64))),
        np.asarray(flips, dtype=np.float64),
        np.asarray(reshapes, dtype=np.float64),
    ):
        if series.sum() > 0:
            shares.append(series / series.sum())
    weight = np.mean(shares, axis=0) if shares else np.full(n - 1, 1.0 / (n - 1))
    durations = floor / (n - 1) + (1 - floor) * weight
    return np.concatenate([[0.0], np.cumsum(durations) / durations.sum()])


def _called_all(predicted: np.ndarray, data: Dataset) -> str | None:
    """The class name if (almost) every point is called that class."""
    counts = np.bincount(predicted, minlength=data.n_classes)
    top = int(counts.argmax())
    return data.class_names[top] if counts[top] >= ONE_CLASS * len(predicted) else None


def _events(run: _Run) -> tuple[tuple[int, str], ...]:
    """The hops worth a word: the boundary flipping, one class for all, a jump in accuracy."""
    iterations, accuracies, flips = run.iterations, run.accuracies, run.flips
    events = []
    for k in range(1, len(iterations)):
        jump = abs(accuracies[k] - accuracies[k - 1])
        everything = run.called[k]
        if flips[k - 1] < BIG_FLIP and jump < BIG_JUMP:
            continue
        said = f"accuracy {format_percent(accuracies[k - 1])} → {format_percent(accuracies[k])}"
        if everything is not None:
            said += f": every point called {everything}"
        elif flips[k - 1] >= BIG_FLIP:
            said += ": the boundary flips sides"
        events.append((k, f"Iterations {iterations[k - 1]} → {iterations[k]}: {said}."))
    return tuple(events)


def _phases(run: _Run) -> tuple[Phase, ...]:
    iterations, accuracies, flips = run.iterations, run.accuracies, run.flips
    n = len(iterations)
    best = max(accuracies)
    # The climb ends where the best accuracy is first reached.
    reached = next(k for k in range(n) if accuracies[k] >= best)
    big = [k for k in range(1, reached + 1) if flips[k - 1] >= BIG_FLIP]
    swings = big[-1] if big else 0
    bounds = [("random_start", 0, 0), ("first_moves", 0, swings), ("climb", swings, reached)]
    bounds.append(("fine_tuning", reached, n - 1))
    phases = []
    for section, first, last in bounds:
        if section != "random_start" and last <= first:
            continue
        lines = _phase_caption(section, first, last, run)
        phases.append(Phase(section, _TITLES[section], first, last, lines))
    return tuple(phases)


def _phase_caption(section: str, first: int, last: int, run: _Run) -> tuple[str, ...]:
    iterations, accuracies, losses, flips = run.iterations, run.accuracies, run.losses, run.flips
    a, b = format_percent(accuracies[first]), format_percent(accuracies[last])
    span = f"Iterations {iterations[first]}–{iterations[last]}"
    if section == "random_start":
        everything = run.called[0]
        wrong = 1 - accuracies[0]
        detail = (
            f"every point is called {everything}."
            if everything
            else "most points are on the wrong side."
            if wrong > 0.5
            else "the boundary is a guess."
        )
        return fit(Clause((f"Random weights: {a} right; {detail}", f"Random weights: {a} right.")))
    if section == "first_moves":
        times = sum(1 for f in flips[first:last] if f >= BIG_FLIP)
        flipped = "once" if times == 1 else "twice" if times == 2 else f"{times} times"
        lows = [k for k in range(first + 1, last + 1) if run.called[k]]
        said = [f"{span}: accuracy {a} → {b}; the boundary flips sides {flipped}."]
        if lows:
            k = lows[0]
            everything = run.called[k]
            said.insert(
                0,
                f"{span}: the boundary flips sides {flipped}; at iteration {iterations[k]} every "
                f"point is called {everything}.",
            )
        return fit(Clause(tuple(said)))
    if section == "climb":
        return fit(
            Clause(
                (
                    f"{span}: accuracy climbs {a} → {b} as the boundary takes the data's shape.",
                    f"{span}: accuracy climbs {a} → {b}.",
                )
            ),
            Clause(
                (f"The loss falls {number(losses[first])} → {number(losses[last])}.",),
                required=False,
            ),
        )
    return fit(
        Clause(
            (
                f"{span}: accuracy stays {b}; the loss falls {number(losses[first])} → "
                f"{number(losses[last])}, so the network grows surer.",
                f"{span}: accuracy stays {b}; the loss falls {number(losses[first])} → "
                f"{number(losses[last])}.",
            )
        )
    )


def training_pace(
    story: TrainingStory,
    replay_seconds: float,
    *,
    speech: Mapping[str, float] | None = None,
    hold_seconds: float = MIN_HOLD,
) -> dict[str, Pace]:
    """Seconds per phase: its share of the ``replay_seconds`` (by :attr:`TrainingStory.times`)
    as the morph, then a hold of at least ``hold_seconds`` and long enough for its sentence
    (``speech``: measured seconds by section; else estimated). The random start is held only."""
    paces = {}
    for phase in story.phases:
        said = (speech or {}).get(phase.section)
        if said is None:
            said = spoken_seconds(phase.text)
        played = 0.0
        floor = INPUT_HOLD if phase.section == "random_start" else hold_seconds
        if phase.last > phase.first:
            played = float(story.times[phase.last] - story.times[phase.first]) * replay_seconds
        paces[phase.section] = Pace(played, milliseconds_up(max(floor, said + SPEECH_PAD - played)))
    return paces
