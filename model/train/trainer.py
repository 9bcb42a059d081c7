"""Train a netmorph network to 100 % training accuracy, fast and reliably.

Many candidate seeds train at once as one batched tensor (full batch, Adam); the first candidate
to reach 100 % training accuracy, after a few settling iterations, is kept. A seed that gets stuck
(three ReLU units die easily) costs nothing extra, and the result says which seeds were passed
over. Equal configs give equal weights.

``Config.target_accuracy`` lowers the bar; ``Config.best_effort`` keeps the most accurate
candidate when none reaches it (a network that cannot, e.g. all-identity, for a "show it failing"
video). ``Config.snapshot_every`` records every candidate's weights as it trains and keeps the
chosen one's as :class:`Snapshot` s, for a training-over-time video.

Giving up. A round of seeds stops early once no candidate has closed a tenth of its gap to the
target in ``STALL_ITERATIONS`` iterations, and after the second round the search goes on only
while a round closes half the gap left by the rounds before it: a network that cannot reach its
target (too narrow for the data, or linear) fails in two rounds, saying why.

Scale. Inputs far from unit size (a CSV in metres or in units of 10³⁰) are standardised for
training, and the standardisation is then folded into the first affine layer
(W' = W·diag(1/σ), b' = b − W'μ): the stored network reads the data in its own units, so the
trace and every drawing are unchanged.

The command line is :mod:`model.train.command` (``netmorph train``).
"""

from __future__ import annotations

import copy
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from model.data.registry import load_dataset
from model.data.sample import proportional_rows
from model.errors import NetmorphError
from model.formatting import format_percent
from model.network.config import Config
from model.network.layers import init_network
from model.train.adam import Adam
from model.train.results import Snapshot, TrainedNetwork

# A round has stalled when, over the last STALL_ITERATIONS iterations, no candidate closed at
# least STALL_GAIN of its remaining gap to the target (and at least one more point): successful
# seeds reach 100 % in 75–225 iterations, while a network too small for its data creeps up a point
# at a time.
STALL_ITERATIONS = 300
STALL_GAIN = 0.1
# Data inside this box, with every coordinate spread at least UNIT_SPREAD, trains as it is (every
# built-in dataset: their networks and pictures stay exactly the recipe's); other data is
# standardised for training.
UNIT_BOX = 10.0
UNIT_SPREAD = 0.1
TRAIN_ROWS = 2000  # rows trained on, at most (every built-in dataset has at most 1,800)
MIN_SPREAD = 1e-30  # the first layer's folded weights grow as 1/spread: keep them in float32


@dataclass(frozen=True)
class InputScaling:
    """How inputs are standardised for training: ``(x - mean) / scale`` per coordinate."""

    mean: np.ndarray  # (2,) float64
    scale: np.ndarray  # (2,) float64, all > 0

    @classmethod
    def for_data(cls, x: np.ndarray) -> InputScaling:
        """The identity for data of about unit size, else the data's own mean and spread.

        A coordinate that does not vary keeps scale 1: it carries nothing to learn from.
        """
        x = np.asarray(x, dtype=np.float64)  # (n, 2)
        spread = x.std(axis=0)
        if np.abs(x).max() <= UNIT_BOX and (spread >= UNIT_SPREAD).all():
            return cls(np.zeros(x.shape[1]), np.ones(x.shape[1]))
        if ((spread > 0) & (spread < MIN_SPREAD)).any():
            raise NetmorphError(
                f"the data's coordinates vary by only {spread.min():.3g}: float32 weights cannot "
                f"read a spread below {MIN_SPREAD:g}; rescale the data"
            )
        return cls(x.mean(axis=0), np.where(spread > 0, spread, 1.0))

    @property
    def is_identity(self) -> bool:
        return bool((self.mean == 0).all() and (self.scale == 1).all())

    def apply(self, x: np.ndarray) -> np.ndarray:
        """(n, 2) inputs as the training sees them."""
        return (np.asarray(x, dtype=np.float64) - self.mean) / self.scale

    def fold(self, state: dict[str, torch.Tensor], first: str) -> dict[str, torch.Tensor]:
        """``state`` with the scaling folded into affine layer ``first`` (its name prefix).

        W' = W·diag(1/scale), b' = b − W'·mean, computed in float64 and stored as float32, so
        W'x + b' = W·(x − mean)/scale + b for inputs x in the data's own units.
        """
        if self.is_identity:
            return state
        weight = state[f"{first}.weight"].double() / torch.from_numpy(self.scale)
        bias = state[f"{first}.bias"].double() - weight @ torch.from_numpy(self.mean)
        folded = dict(state)
        folded[f"{first}.weight"] = weight.float()
        folded[f"{first}.bias"] = bias.float()
        if not all(torch.isfinite(folded[k]).all() for k in (f"{first}.weight", f"{first}.bias")):
            raise NetmorphError(
                "the data's scale does not fit in float32 weights: rescale the coordinates "
                "to lie within about ±1e30"
            )
        return folded


class _Candidates:
    """``k`` networks with the same layout, stacked so one iteration trains them all.

    They train on standardised inputs (``scaling``); every exported weight has the scaling
    folded back in, so it reads inputs in the data's own units.
    """

    def __init__(
        self, config: Config, seeds: list[int], scaling: InputScaling | None = None
    ) -> None:
        self.scaling = scaling or InputScaling(np.zeros(2), np.ones(2))
        modules = [init_network(config, s) for s in seeds]
        self.template = modules[0]
        self.linears = [i for i, m in enumerate(self.template) if isinstance(m, nn.Linear)]
        # Per affine layer: weights (k, out, in) and biases (k, out).
        self.weights = [
            torch.stack([cast(nn.Linear, m[i]).weight.detach() for m in modules]).requires_grad_()
            for i in self.linears
        ]
        self.biases = [
            torch.stack([cast(nn.Linear, m[i]).bias.detach() for m in modules]).requires_grad_()
            for i in self.linears
        ]

    def parameters(self) -> list[torch.Tensor]:
        return self.weights + self.biases

    def logits(self, x_t: torch.Tensor) -> torch.Tensor:
        """(k, n_classes, n) pre-softmax outputs for inputs ``x_t`` of shape (2, n).

        Points run along the last axis: each layer is then a (out, in) @ (in, n) product per
        candidate, which CPU BLAS does 3× faster, forwards and backwards, than the (n, in) @
        (in, out) products of the usual layout when the layers are only a few units wide.
        """
        h = x_t.expand(self.weights[0].shape[0], *x_t.shape)
        layer = 0
        for module in cast(nn.Sequential, self.template[:-1]):  # softmax: folded into the loss
            if isinstance(module, nn.Linear):
                w, b = self.weights[layer], self.biases[layer]
                h = torch.baddbmm(b.unsqueeze(2), w, h)
                layer += 1
            else:
                h = module(h)  # every activation is elementwise
        return h

    def norms(self) -> torch.Tensor:
        """(k,) the recipe's ‖θ‖₂ of each candidate: all its parameters together, not squared."""
        # sum() adds in order, as before: the weights must not change by a rounding.
        squares = cast(torch.Tensor, sum(p.pow(2).flatten(1).sum(1) for p in self.parameters()))
        return squares.sqrt()

    def export(self, k: int) -> nn.Sequential:
        """Candidate ``k`` as an ordinary network."""
        module = copy.deepcopy(self.template)
        module.load_state_dict(self.state_dict(k))
        return module.eval()

    def record(self) -> list[torch.Tensor]:
        """A copy of every candidate's parameters, stacked (cheap: the networks are tiny)."""
        return [p.detach().clone() for p in self.parameters()]

    def state_dict(self, k: int, recorded: list[torch.Tensor] | None = None) -> dict:
        """Candidate ``k``'s weights (now, or from :meth:`record`) keyed like the template's,
        in the data's own units."""
        params = self.parameters() if recorded is None else recorded
        n = len(self.linears)
        out: dict[str, torch.Tensor] = {}
        for layer, i in enumerate(self.linears):
            out[f"{i}.weight"] = params[layer][k].detach().clone()
            out[f"{i}.bias"] = params[n + layer][k].detach().clone()
        return self.scaling.fold(out, str(self.linears[0]))


@dataclass
class _Round:
    """What one batch of candidate seeds came to."""

    seeds: list[int]  # the candidates' seeds
    kept: int | None  # index of the first candidate settled at the target, or None
    iterations: int  # optimiser iterations taken
    # Why a round without a kept candidate ended: "stalled" (no new best for STALL_ITERATIONS),
    # "budget" (max_iterations reached while still improving); "" when one was kept.
    ending: str
    diverged: bool  # some candidate's loss became non-finite
    first_hit: np.ndarray  # (k,) each candidate's first iteration at the target (-1: never)
    accuracy: np.ndarray  # (k,) training accuracy at the last iteration
    candidates: _Candidates  # the candidates' weights at the last iteration
    # (iteration, (k,) accuracy, stacked parameters) every snapshot_every iterations and at the end.
    records: list[tuple[int, np.ndarray, list[torch.Tensor]]]

    def trained(self, k: int, config: Config, **fields) -> TrainedNetwork:
        """Candidate ``k`` as a :class:`TrainedNetwork` (with its snapshots)."""
        snapshots = [
            Snapshot(iteration, float(acc[k]), self.candidates.state_dict(k, params))
            for iteration, acc, params in self.records
        ]
        return TrainedNetwork(
            config=config,
            module=self.candidates.export(k),
            seed_used=self.seeds[k],
            accuracy=float(self.accuracy[k]),
            snapshots=snapshots,
            **fields,
        )


def train(config: Config, *, progress: bool = True) -> TrainedNetwork:
    """Train ``config``'s network to ``config.target_accuracy`` (100 % by default).

    When no seed reaches it in ``config.rounds`` batches (or the search stalls, see the module
    docstring), raise NetmorphError saying why, or with ``config.best_effort`` return the most
    accurate candidate (ties: the lowest seed).
    """
    data = load_dataset(config.dataset)
    _check_reachable(data.x_train, data.y_train, config)
    scaling = InputScaling.for_data(data.x_train)
    # A big CSV trains on a stratified subset: a full-batch iteration then costs what a built-in
    # dataset's does, and the pipeline reports the accuracy on every row.
    rows = proportional_rows(data.y_train, TRAIN_ROWS)
    x = torch.as_tensor(scaling.apply(data.x_train[rows]).T.copy(), dtype=torch.float32)  # (2, n)
    y = torch.as_tensor(data.y_train[rows])
    start = time.perf_counter()
    total_iterations = 0
    stuck: list[int] = []
    best: tuple[float, _Round, int] | None = None  # (accuracy, round, index)
    outcome: _Round | None = None
    gave_up = False  # stopped before config.rounds: more seeds would not have helped
    with _one_thread(), _progress_bar(progress, config) as advance:
        for round_index in range(config.rounds):
            first = config.seed + round_index * config.candidates
            seeds = list(range(first, first + config.candidates))
            outcome = _train_round(config, seeds, x, y, advance, scaling)
            total_iterations += outcome.iterations
            if outcome.kept is not None:
                k = outcome.kept
                hits = outcome.first_hit
                stuck += [s for s, hit in zip(seeds[:k], hits[:k]) if hit < 0]
                return outcome.trained(
                    k,
                    config,
                    iterations=total_iterations,
                    seconds=time.perf_counter() - start,
                    stuck_seeds=stuck,
                )
            k = int(np.argmax(outcome.accuracy))  # the first maximum: the lowest seed
            previous = best[0] if best is not None else None
            if best is None or outcome.accuracy[k] > best[0]:
                best = (float(outcome.accuracy[k]), outcome, k)
            stuck += seeds
            # Fresh seeds help seeds that were unlucky (dead units), not a network too small
            # for its data: after the second round, go on only while a round closes half the
            # gap to the target left by the rounds before it.
            if previous is not None and best[0] - previous < 0.5 * (
                config.target_accuracy - previous
            ):
                gave_up = round_index + 1 < config.rounds
                break
            advance.skip(config.max_iterations - outcome.iterations)
    assert best is not None and outcome is not None
    if config.best_effort:
        _, kept_round, k = best
        return kept_round.trained(
            k,
            config,
            iterations=total_iterations,
            seconds=time.perf_counter() - start,
            stuck_seeds=[s for s in stuck if s < kept_round.seeds[k]],
        )
    last = max(stuck)
    raise NetmorphError(
        f"no seed from {config.seed} to {last} reached "
        f"{format_percent(config.target_accuracy)} accuracy (best {format_percent(best[0])}): "
        f"{_why(config, outcome, gave_up)}, or keep the most accurate with best_effort = True "
        "(--best-effort)"
    )


def reachable_accuracy(x: np.ndarray, y: np.ndarray) -> float:
    """The best accuracy any function can reach on points ``x`` (n, 2) labelled ``y`` (n,):
    below 1 when the same point appears in more than one class (each keeps its commonest)."""
    # + 0.0 makes -0.0 equal 0.0: np.unique compares rows by their bytes.
    _, where, counts = np.unique(
        np.asarray(x) + 0.0, axis=0, return_inverse=True, return_counts=True
    )
    if counts.max() == 1:
        return 1.0
    votes = np.zeros((len(counts), int(y.max()) + 1), dtype=int)
    np.add.at(votes, (where.reshape(-1), y), 1)
    return float(votes.max(axis=1).sum() / len(y))


def _check_reachable(x: np.ndarray, y: np.ndarray, config: Config) -> None:
    """Refuse a target no network can reach: points that appear in both classes."""
    if config.best_effort:
        return
    best = reachable_accuracy(x, y)
    if best < config.target_accuracy - 1e-12:
        _, where = np.unique(np.asarray(x) + 0.0, axis=0, return_inverse=True)
        where = where.reshape(-1)
        labels_at = np.zeros((where.max() + 1, int(y.max()) + 1), dtype=bool)
        labels_at[where, y] = True
        both = int((labels_at.sum(axis=1) > 1).sum())
        points = "1 point appears" if both == 1 else f"{both} points appear"
        raise NetmorphError(
            f"{points} in both classes, so no network can reach "
            f"{format_percent(config.target_accuracy)} (at most {format_percent(best)}): fix the "
            f"data, set target_accuracy to at most {np.floor(best * 1000) / 1000:g}, or "
            "best_effort = True (--best-effort)"
        )


def _why(config: Config, outcome: _Round, gave_up: bool) -> str:
    """Why the search failed, and the fix for that reason."""
    if outcome.diverged:
        return f"training diverged (the loss became infinite): lower lr (now {config.lr:g})"
    if all(name == "identity" for name in config.activations):
        return (
            "with identity activations the network is one affine map and draws one straight "
            "boundary: use an activation that bends (relu, tanh, gelu…)"
        )
    narrowest = min(config.hidden)
    small = (
        "so this network is likely too small for the data "
        f"(narrowest layer: {narrowest} unit{'s' if narrowest > 1 else ''}): try wider or more "
        "hidden layers, another activation, or a lower target_accuracy"
    )
    if outcome.ending == "stalled":
        return (
            f"every seed stopped improving ({STALL_ITERATIONS} iterations without closing a tenth "
            f"of the gap), {small}"
        )
    if gave_up:
        return f"fresh seeds did no better, {small}"
    rounds = f"{config.rounds} round{'s' if config.rounds > 1 else ''}"
    return (
        f"still improving after {rounds} of {config.max_iterations} iterations: "
        "raise max_iterations (--max-iterations), or try wider hidden layers"
    )


@contextmanager
def _one_thread():
    """Train on one torch thread: this tiny network gains nothing from more, and on a busy
    machine they cost several times the run (12 s vs 77 s for tanh beside other renders;
    the weights are bit-identical either way)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _cross_entropy(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """(k, n) cross-entropy of (k, classes, n) logits against (n,) labels.

    With two classes it is softplus(±(z₁ − z₀)), the same loss to float32 rounding, in a quarter
    of F.cross_entropy's time forwards and backwards: the largest cost of an iteration on CPU.
    """
    k = logits.shape[0]
    if logits.shape[1] != 2:
        return F.cross_entropy(logits, y.expand(k, -1), reduction="none")
    margin = logits[:, 1] - logits[:, 0]  # (k, n)
    return F.softplus(torch.where(y == 1, -margin, margin))


def _predicted(logits: torch.Tensor) -> torch.Tensor:
    """(k, n) argmax over the classes of (k, classes, n) logits, the first on a tie.

    A scan over the few classes: torch's argmax along a short middle axis costs as much as the
    rest of a training iteration.
    """
    best, chosen = logits[:, 0], torch.zeros_like(logits[:, 0], dtype=torch.long)
    for c in range(1, logits.shape[1]):
        better = logits[:, c] > best
        best = torch.where(better, logits[:, c], best)
        chosen = torch.where(better, c, chosen)
    return chosen


def _train_round(
    config: Config,
    seeds: list[int],
    x: torch.Tensor,  # (2, n)
    y: torch.Tensor,  # (n,)
    advance,
    scaling: InputScaling | None = None,
) -> _Round:
    """Train one batch of candidate seeds until one settles at the target, progress stalls,
    or max_iterations."""
    cands = _Candidates(config, seeds, scaling)
    optimiser = Adam(cands.parameters(), lr=config.lr)  # torch.optim.Adam's update
    k = len(seeds)
    first_hit = np.full(k, -1)
    # Compare counts, not float ratios: "at least this many points right".
    needed = int(np.ceil(config.target_accuracy * len(y) - 1e-9))
    every = config.snapshot_every
    records: list[tuple[int, np.ndarray, list[torch.Tensor]]] = []
    best_correct = np.zeros(k, dtype=int)  # (k,) each candidate's best count of right points
    # best_correct of the recent iterations
    window: deque[np.ndarray] = deque(maxlen=STALL_ITERATIONS + 1)
    diverged = False
    ending = "budget"
    for iteration in range(config.max_iterations + 1):
        logits = cands.logits(x)  # (k, classes, n)
        ce = _cross_entropy(logits, y).mean(1)
        with torch.no_grad():
            correct = (_predicted(logits) == y).sum(1).numpy()  # (k,)
            finite = torch.isfinite(ce).numpy()
        diverged |= not finite.all()
        accuracy = correct / len(y)
        if every and iteration % every == 0:
            records.append((iteration, accuracy, cands.record()))
        at_target = (correct >= needed) & finite
        first_hit[(first_hit < 0) & at_target] = iteration
        settled = (first_hit >= 0) & at_target & (iteration - first_hit >= config.settle_iterations)
        if settled.any():
            # Earliest to reach the target wins; ties go to the lowest seed.
            order = np.lexsort((np.arange(k), np.where(settled, first_hit, np.iinfo(int).max)))
            advance(config.max_iterations - iteration)
            if every and records[-1][0] != iteration:
                records.append((iteration, accuracy, cands.record()))
            return _Round(
                seeds, int(order[0]), iteration, "", diverged, first_hit, accuracy, cands, records
            )
        best_correct = np.where(finite, np.maximum(best_correct, correct), best_correct)
        window.append(best_correct)
        if iteration == config.max_iterations:  # the last update is measured, none beyond it
            break
        if len(window) == window.maxlen and not at_target.any():
            then = window[0]
            wanted = np.maximum(1, np.ceil(STALL_GAIN * (needed - then)))
            if not (best_correct - then >= wanted).any():
                ending = "stalled"
                break
        loss = (ce + config.penalty * cands.norms()).sum()
        optimiser.zero_grad()
        loss.backward()
        optimiser.update()
        advance(1)
    if every and records[-1][0] != iteration:
        records.append((iteration, accuracy, cands.record()))
    return _Round(seeds, None, iteration, ending, diverged, first_hit, accuracy, cands, records)


class _Advance:
    """Moves the progress bar on by ``n`` iterations; ``skip`` for those a round did not need."""

    def __init__(self, move) -> None:
        self.move = move

    def __call__(self, n: int) -> None:
        self.move(n)

    def skip(self, n: int) -> None:
        if n > 0:
            self.move(n)


class _progress_bar:
    """A rich progress bar over training iterations (rich comes with manim), or nothing."""

    def __init__(self, enabled: bool, config: Config) -> None:
        self.enabled = enabled
        self.config = config

    def __enter__(self) -> _Advance:
        if not self.enabled:
            return _Advance(lambda n: None)
        from rich.progress import Progress

        self._progress = Progress(transient=True)
        self._progress.start()
        acts = "/".join(self.config.activations) or "linear"
        task = self._progress.add_task(
            f"training {acts} {self.config.dataset}",
            total=self.config.max_iterations * self.config.rounds,
        )
        return _Advance(lambda n: self._progress.advance(task, n))

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self._progress.stop()
