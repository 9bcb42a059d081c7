"""Train a netmorph network to 100 % training accuracy, fast and reliably.

Many candidate seeds train at once as one batched tensor (full batch, Adam); the first candidate
to reach 100 % training accuracy, after a few settling steps, is kept. A seed that gets stuck
(three ReLU units die easily) costs nothing extra, and the result says which seeds were passed
over. Equal configs give equal weights.

``Config.target_accuracy`` lowers the bar; ``Config.best_effort`` keeps the most accurate
candidate when none reaches it (a network that cannot, e.g. all-identity, for a "show it failing"
video). ``Config.snapshot_every`` records every candidate's weights as it trains and keeps the
chosen one's as :class:`Snapshot` s, for a training-over-time video.

Examples::

    python -m model.train --activation relu
    python -m model.train --activation tanh --hidden 3,3,3 --seed 4
    python -m model.train --activation relu,tanh --no-cache
    python -m model.train --dataset spiral --activation gelu --snapshot-every 20
    python -m model.train --dataset my_points.csv --hidden 3,8,8
    python -m model.train --dataset circles --activation identity   # keeps its best, ~55 %
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from model.activations import ACTIVATIONS
from model.cli import user_errors
from model.config import Config
from model.data import DATASETS, load_dataset
from model.errors import NetmorphError
from model.network import init_network


@dataclass(frozen=True)
class Snapshot:
    """The kept candidate's weights at one moment of training (for training-over-time videos)."""

    step: int  # optimiser steps taken when recorded (0: the initial weights)
    accuracy: float  # training accuracy of these weights, 0..1
    state_dict: dict[str, torch.Tensor]  # keyed like the network's state_dict, float32


@dataclass
class TrainedNetwork:
    """A trained network, the config that rebuilds it, and how training went."""

    config: Config  # what was asked for
    net: nn.Sequential  # the trained network (float32, eval mode)
    seed_used: int  # the candidate seed that was kept
    steps: int  # optimiser steps taken
    accuracy: float  # training accuracy of the kept network, 0..1
    seconds: float  # wall time of training
    stuck_seeds: list[int] = field(default_factory=list)  # lower seeds not at target when kept
    cached: bool = False  # True when loaded from the checkpoint cache
    # Every config.snapshot_every steps of the kept seed's own training, then its last step
    # (whose weights are ``net``); empty when snapshot_every is 0.
    snapshots: list[Snapshot] = field(default_factory=list)

    @property
    def reached_target(self) -> bool:
        """False for a best-effort network that missed ``config.target_accuracy``."""
        return self.accuracy >= self.config.target_accuracy

    def network_at(self, snapshot: Snapshot) -> nn.Sequential:
        """The network with ``snapshot``'s weights (eval mode), ready for :func:`model.trace`."""
        net = copy.deepcopy(self.net)
        net.load_state_dict(snapshot.state_dict)
        return net.eval()

    def summary(self) -> str:
        """One human line about the result."""
        origin = "loaded from cache" if self.cached else f"trained in {self.seconds:.2f} s"
        line = f"accuracy {self.accuracy:.1%} after {self.steps} steps ({origin})"
        line += f", seed {self.seed_used}"
        if not self.reached_target:
            line += f"; no seed reached {self.config.target_accuracy:.0%}, so the best was kept"
        elif self.stuck_seeds:
            line += (
                f"; seeds {_ranges(self.stuck_seeds)} were stuck, so seed {self.seed_used} was kept"
            )
        return line


def _ranges(seeds: list[int]) -> str:
    """'0–3, 5' for [0, 1, 2, 3, 5]."""
    parts: list[str] = []
    for s in sorted(seeds):
        if parts and s == parts[-1][1] + 1:
            parts[-1][1] = s
        else:
            parts.append([s, s])
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in parts)


class _Candidates:
    """``k`` networks with the same layout, stacked so one step trains them all."""

    def __init__(self, config: Config, seeds: list[int]) -> None:
        nets = [init_network(config, s) for s in seeds]
        self.template = nets[0]
        self.linears = [i for i, m in enumerate(self.template) if isinstance(m, nn.Linear)]
        # Per affine layer: weights (k, out, in) and biases (k, out).
        self.weights = [
            torch.stack([net[i].weight.detach() for net in nets]).requires_grad_()
            for i in self.linears
        ]
        self.biases = [
            torch.stack([net[i].bias.detach() for net in nets]).requires_grad_()
            for i in self.linears
        ]

    def parameters(self) -> list[torch.Tensor]:
        return self.weights + self.biases

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """(k, n, n_classes) pre-softmax outputs for inputs x of shape (n, 2)."""
        h = x.expand(self.weights[0].shape[0], *x.shape)
        layer = 0
        for module in self.template[:-1]:  # the softmax is folded into the loss
            if isinstance(module, nn.Linear):
                w, b = self.weights[layer], self.biases[layer]
                h = torch.baddbmm(b.unsqueeze(1), h, w.transpose(1, 2))
                layer += 1
            else:
                h = module(h)
        return h

    def norms(self) -> torch.Tensor:
        """(k,) the recipe's ‖θ‖₂ of each candidate: all its parameters together, not squared."""
        squares = sum(p.pow(2).flatten(1).sum(1) for p in self.parameters())
        return squares.sqrt()

    def export(self, k: int) -> nn.Sequential:
        """Candidate ``k`` as an ordinary network."""
        net = copy.deepcopy(self.template)
        net.load_state_dict(self.state_dict(k))
        return net.eval()

    def record(self) -> list[torch.Tensor]:
        """A copy of every candidate's parameters, stacked (cheap: the networks are tiny)."""
        return [p.detach().clone() for p in self.parameters()]

    def state_dict(self, k: int, recorded: list[torch.Tensor] | None = None) -> dict:
        """Candidate ``k``'s weights (now, or from :meth:`record`) keyed like the template's."""
        params = self.parameters() if recorded is None else recorded
        n = len(self.linears)
        out: dict[str, torch.Tensor] = {}
        for layer, i in enumerate(self.linears):
            out[f"{i}.weight"] = params[layer][k].detach().clone()
            out[f"{i}.bias"] = params[n + layer][k].detach().clone()
        return out


@dataclass
class _Round:
    """What one batch of candidate seeds came to."""

    seeds: list[int]  # the candidates' seeds
    kept: int | None  # index of the first candidate settled at the target, or None
    steps: int  # optimiser steps taken
    first_hit: np.ndarray  # (k,) each candidate's first step at the target (-1: never)
    accuracy: np.ndarray  # (k,) training accuracy at the last step
    nets: _Candidates  # the candidates' weights at the last step
    # (step, (k,) accuracy, stacked parameters) every snapshot_every steps and at the end.
    records: list[tuple[int, np.ndarray, list[torch.Tensor]]]

    def result(self, k: int, config: Config, **fields) -> TrainedNetwork:
        """Candidate ``k`` as a :class:`TrainedNetwork` (with its snapshots)."""
        snapshots = [
            Snapshot(step, float(acc[k]), self.nets.state_dict(k, params))
            for step, acc, params in self.records
        ]
        return TrainedNetwork(
            config=config,
            net=self.nets.export(k),
            seed_used=self.seeds[k],
            accuracy=float(self.accuracy[k]),
            snapshots=snapshots,
            **fields,
        )


def train(config: Config, *, progress: bool = True) -> TrainedNetwork:
    """Train ``config``'s network to ``config.target_accuracy`` (100 % by default).

    When no seed reaches it in ``config.rounds`` batches, raise NetmorphError, or with
    ``config.best_effort`` return the most accurate candidate (ties: the lowest seed).
    """
    data = load_dataset(config.dataset)
    x = torch.as_tensor(data.x_train, dtype=torch.float32)
    y = torch.as_tensor(data.y_train)
    start = time.perf_counter()
    total_steps = 0
    stuck: list[int] = []
    best: tuple[float, _Round, int] | None = None  # (accuracy, round, index)
    with _progress_bar(progress, config) as advance:
        for round_index in range(config.rounds):
            first = config.seed + round_index * config.candidates
            seeds = list(range(first, first + config.candidates))
            outcome = _train_round(config, seeds, x, y, advance)
            total_steps += outcome.steps
            if outcome.kept is not None:
                k = outcome.kept
                hits = outcome.first_hit
                stuck += [s for s, hit in zip(seeds[:k], hits[:k]) if hit < 0]
                return outcome.result(
                    k,
                    config,
                    steps=total_steps,
                    seconds=time.perf_counter() - start,
                    stuck_seeds=stuck,
                )
            k = int(np.argmax(outcome.accuracy))  # the first maximum: the lowest seed
            if best is None or outcome.accuracy[k] > best[0]:
                best = (float(outcome.accuracy[k]), outcome, k)
            stuck += seeds
    last = config.seed + config.rounds * config.candidates - 1
    if config.best_effort and best is not None:
        _, outcome, k = best
        return outcome.result(
            k,
            config,
            steps=total_steps,
            seconds=time.perf_counter() - start,
            stuck_seeds=[s for s in stuck if s < outcome.seeds[k]],
        )
    target = f"{config.target_accuracy * 100:g} %"
    raise NetmorphError(
        f"no seed from {config.seed} to {last} reached {target} accuracy in {config.max_steps} "
        "steps: try another --seed, more --max-steps or wider --hidden layers, or "
        "--best-effort to keep the most accurate"
    )


def _train_round(
    config: Config, seeds: list[int], x: torch.Tensor, y: torch.Tensor, advance
) -> _Round:
    """Train one batch of candidate seeds until one settles at the target, or max_steps."""
    cands = _Candidates(config, seeds)
    optimiser = torch.optim.Adam(cands.parameters(), lr=config.lr)
    k = len(seeds)
    first_hit = np.full(k, -1)
    y_all = y.repeat(k)
    # Compare counts, not float ratios: "at least this many points right".
    needed = int(np.ceil(config.target_accuracy * len(y) - 1e-9))
    every = config.snapshot_every
    records: list[tuple[int, np.ndarray, list[torch.Tensor]]] = []
    for step in range(config.max_steps + 1):
        logits = cands.logits(x)  # (k, n, classes)
        ce = F.cross_entropy(logits.flatten(0, 1), y_all, reduction="none").view(k, -1).mean(1)
        with torch.no_grad():
            correct = (logits.argmax(-1) == y).sum(1).numpy()  # (k,)
            finite = torch.isfinite(ce).numpy()
        accuracy = correct / len(y)
        if every and step % every == 0:
            records.append((step, accuracy, cands.record()))
        at_target = (correct >= needed) & finite
        first_hit[(first_hit < 0) & at_target] = step
        settled = (first_hit >= 0) & at_target & (step - first_hit >= config.settle_steps)
        if settled.any():
            # Earliest to reach the target wins; ties go to the lowest seed.
            order = np.lexsort((np.arange(k), np.where(settled, first_hit, np.iinfo(int).max)))
            advance(config.max_steps - step)
            if every and records[-1][0] != step:
                records.append((step, accuracy, cands.record()))
            return _Round(seeds, int(order[0]), step, first_hit, accuracy, cands, records)
        if step == config.max_steps:  # the last update is measured; no step beyond the budget
            break
        loss = (ce + config.penalty * cands.norms()).sum()
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        advance(1)
    if every and records[-1][0] != config.max_steps:
        records.append((config.max_steps, accuracy, cands.record()))
    return _Round(seeds, None, config.max_steps, first_hit, accuracy, cands, records)


class _progress_bar:
    """A rich progress bar over training steps (rich comes with manim), or nothing."""

    def __init__(self, enabled: bool, config: Config) -> None:
        self.enabled = enabled
        self.config = config

    def __enter__(self):
        if not self.enabled:
            return lambda n: None
        from rich.progress import Progress

        self._progress = Progress(transient=True)
        self._progress.start()
        acts = "/".join(self.config.activations) or "linear"
        task = self._progress.add_task(
            f"training {acts} {self.config.dataset}",
            total=self.config.max_steps * self.config.rounds,
        )
        return lambda n: self._progress.advance(task, n)

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self._progress.stop()


def accuracy(net: nn.Module, dataset_name: str) -> float:
    """Training accuracy of ``net`` on the named dataset, 0..1."""
    data = load_dataset(dataset_name)
    with torch.no_grad():
        probs = net(torch.as_tensor(data.x_train, dtype=torch.float32))
    return float((probs.argmax(-1).numpy() == data.y_train).mean())


def _parse_hidden(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(w) for w in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"bad widths {text!r}: give comma-separated whole numbers, e.g. 3,3,3"
        ) from None


class _OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the fix (exit 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def main(argv: list[str] | None = None) -> int:
    """The ``python -m model.train`` command line."""
    from model.defaults import default_config
    from model.store import DEFAULT_CACHE_DIR, load_or_train

    parser = _OneLineParser(
        prog="python -m model.train",
        description="Train (or load from the cache) a netmorph network and report on it.",
    )
    parser.add_argument(
        "--activation",
        default="relu",
        help=f"one of {', '.join(ACTIVATIONS)}, or one per activated layer, comma-separated",
    )
    parser.add_argument(
        "--dataset",
        default="circles",
        help=f"one of {', '.join(DATASETS)}, or a path to a CSV file of x,y,label rows",
    )
    parser.add_argument(
        "--hidden", type=_parse_hidden, help="e.g. 3,3,3 (default: the dataset's own)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-steps", type=int, help="default: the dataset's own")
    parser.add_argument(
        "--target-accuracy",
        type=float,
        help="training accuracy to stop at, 0..1 (default 1)",
    )
    parser.add_argument(
        "--best-effort",
        action="store_true",
        help="if no seed reaches the target, keep the most accurate instead of failing",
    )
    parser.add_argument(
        "--snapshot-every",
        type=int,
        help="store the weights every this many steps, for training-over-time videos",
    )
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    parser.add_argument("--no-cache", action="store_true", help="train afresh, write nothing")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    with user_errors():
        if args.max_steps is not None and args.max_steps < 1:
            raise NetmorphError(f"--max-steps must be at least 1, got {args.max_steps}")
        acts = args.activation.split(",")
        given = {
            "hidden": args.hidden,
            "max_steps": args.max_steps,
            "target_accuracy": args.target_accuracy,
            "snapshot_every": args.snapshot_every,
            "best_effort": args.best_effort or None,
        }
        config = default_config(
            args.dataset,
            acts[0] if len(acts) == 1 else tuple(acts),
            seed=args.seed,
            **{name: value for name, value in given.items() if value is not None},
        )
        if args.no_cache:
            result, path = train(config, progress=not args.quiet), None
        else:
            result, path = load_or_train(config, args.cache_dir, progress=not args.quiet)
        print(f"accuracy: {result.accuracy:.1%}")
        if not result.reached_target:
            print(f"target: {config.target_accuracy:.1%} not reached (kept the best)")
        if result.snapshots:
            print(f"snapshots: {len(result.snapshots)} (steps 0–{result.snapshots[-1].step})")
        print(f"steps: {result.steps}")
        print(f"time: {result.seconds:.2f} s" + (" (cache hit)" if result.cached else ""))
        print(f"seed: {result.seed_used}")
        if result.stuck_seeds:
            print(f"stuck seeds: {_ranges(result.stuck_seeds)} (kept seed {result.seed_used})")
        print(f"checkpoint: {path if path else '(not saved)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
