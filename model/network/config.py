"""The one configuration that names a trained network: architecture, data and training."""

from __future__ import annotations

import hashlib
import json
import math
import numbers
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TypeGuard

from model.data.csvfile import csv_digest
from model.data.registry import check_dataset_name, is_csv
from model.errors import NetmorphError
from model.network.activations import check_activation

# Limits that keep one training search (and the video of every layer) within a few minutes on
# 2 cores: an iteration of 16 candidates 64 wide and 8 deep costs ~0.3 s on a busy machine.
MAX_WIDTH = 64  # units per hidden layer; wider ones are unreadable on screen
MAX_DEPTH = 8  # hidden layers: 17 steps on screen, about a minute of video
MAX_SEED = 2**63 - 1  # torch.manual_seed's range, with room for every candidate seed after it
MAX_ITERATIONS = 100_000  # optimiser iterations per round
MAX_CANDIDATES = 256  # seeds trained at once
MAX_ROUNDS = 100  # batches of seeds tried


@dataclass(frozen=True)
class Config:
    """Everything that determines a trained network; equal configs give equal weights.

    ``activation`` may be one name for every activated layer or one name per activated layer;
    it is stored normalised to a tuple. The first hidden layer is the recipe's affine embedding
    (no activation), so there are ``len(hidden) - 1`` activations.
    """

    dataset: str = "circles"  # built-in dataset name (model.data DATASETS) or a path to *.csv
    hidden: tuple[int, ...] = (3, 3, 3)  # hidden widths; the recipe's is 2→3→3→3→2
    activation: tuple[str, ...] | str = "relu"  # σ of each activated hidden layer
    seed: int = 0  # first seed tried; a stuck seed moves on to the next ones
    lr: float = 0.05  # Adam learning rate (full batch)
    # Weight of the recipe's ‖θ‖₂ loss term. Off by default: at the recipe's 0.01 it holds most
    # seeds at 50 % under Adam; stopping soon after 100 % keeps the weights moderate instead.
    penalty: float = 0.0
    max_iterations: int = 1500  # give up on a batch of candidate seeds after this many iterations
    candidates: int = 16  # seeds trained at once as one batched tensor
    settle_iterations: int = 150  # iterations kept training after 100 % for confident outputs
    rounds: int = 4  # batches of candidate seeds tried before giving up
    target_accuracy: float = 1.0  # training accuracy a candidate must reach to be kept, 0..1
    # When no seed reaches the target: keep the most accurate candidate (True) rather than raise
    # NetmorphError (False). For "show it failing" videos, e.g. an identity (linear) network.
    best_effort: bool = False
    snapshot_every: int = 0  # record the weights every this many iterations (0: no snapshots)
    # SHA-256 of a CSV dataset's bytes, filled in from the file when empty; "" for built-ins.
    # It is part of the cache key, so editing the CSV retrains.
    data_digest: str = ""

    def __post_init__(self) -> None:
        hidden = check_hidden(self.hidden)
        n_act = len(hidden) - 1
        act = self.activation
        if isinstance(act, str):
            acts = (act,) * n_act
        elif isinstance(act, (tuple, list)):
            acts = tuple(act)
        else:
            raise NetmorphError(
                f'activation must be a name or a tuple of names, got {act!r}: e.g. "relu" '
                'or ("relu", "tanh")'
            )
        if len(acts) != n_act:
            raise NetmorphError(
                f"{len(acts)} activations given for {n_act} activated layers "
                f"(hidden={','.join(map(str, hidden))}): give one name or {n_act}"
            )
        for name in acts:
            check_activation(name)
        check_dataset_name(self.dataset)
        if not isinstance(self.data_digest, str):
            raise NetmorphError(f"data_digest must be text, got {self.data_digest!r}")
        if is_csv(self.dataset) and not self.data_digest:
            object.__setattr__(self, "data_digest", csv_digest(self.dataset))
        elif not is_csv(self.dataset) and self.data_digest:
            raise NetmorphError(
                f"data_digest is only for CSV datasets, not {self.dataset!r}: leave it empty"
            )
        seed = whole_number("seed", self.seed, 0, MAX_SEED)
        lr = real_number("lr", self.lr, low=0.0, low_open=True, example="0.05")
        penalty = real_number("penalty", self.penalty, low=0.0, example="0.01")
        max_iterations = whole_number("max_iterations", self.max_iterations, 1, MAX_ITERATIONS)
        candidates = whole_number("candidates", self.candidates, 1, MAX_CANDIDATES)
        settle_iterations = whole_number(
            "settle_iterations", self.settle_iterations, 0, MAX_ITERATIONS
        )
        rounds = whole_number("rounds", self.rounds, 1, MAX_ROUNDS)
        target = self.target_accuracy
        if not is_real(target) or not 0.0 < target <= 1.0:
            raise NetmorphError(f"target accuracy must be in (0, 1], got {target!r}: e.g. 0.95")
        if not isinstance(self.best_effort, bool):
            raise NetmorphError(f"best_effort must be True or False, got {self.best_effort!r}")
        if not is_whole(self.snapshot_every) or self.snapshot_every < 0:
            raise NetmorphError(
                f"snapshot_every must be 0 (none) or a number of iterations, got "
                f"{self.snapshot_every!r}"
            )
        for name, value in {
            "hidden": hidden,
            "activation": acts,
            "seed": seed,
            "lr": lr,
            "penalty": penalty,
            "max_iterations": max_iterations,
            "candidates": candidates,
            "settle_iterations": settle_iterations,
            "rounds": rounds,
            "target_accuracy": float(target),
            "snapshot_every": int(self.snapshot_every),
        }.items():
            object.__setattr__(self, name, value)

    @property
    def activations(self) -> tuple[str, ...]:
        """One activation name per activated hidden layer."""
        return tuple(self.activation)

    def to_json(self) -> str:
        """Canonical JSON of every field that affects the weights."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data = {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Config:
        """Rebuild a config from :meth:`to_json` output."""
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise NetmorphError(f"unknown config fields {sorted(unknown)}")
        data["hidden"] = tuple(data["hidden"])
        data["activation"] = tuple(data["activation"])
        return cls(**data)

    def key(self) -> str:
        """A short, stable name for the cache: readable prefix plus a hash of the config."""
        digest = hashlib.sha256(self.to_json().encode()).hexdigest()[:10]
        acts = "-".join(dict.fromkeys(self.activations)) or "linear"
        widths = "x".join(map(str, self.hidden))
        return f"{self.dataset_label}-{acts}-{widths}-s{self.seed}-{digest}"

    @property
    def dataset_label(self) -> str:
        """The dataset as a file-name-safe word: ``circles``, or ``csv_points`` for points.csv."""
        if not is_csv(self.dataset):
            return self.dataset
        return "csv_" + re.sub(r"[^A-Za-z0-9_]+", "_", Path(self.dataset).stem)[:40]


def is_whole(value: object) -> TypeGuard[int]:
    """An integer that is not a bool (``True`` is an int to Python, not a count to a user)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_real(value: object) -> TypeGuard[float]:
    """A finite real number that is not a bool."""
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def whole_number(name: str, value: object, low: int, high: int) -> int:
    """``value`` as an int if it is a whole number in [low, high], else a NetmorphError."""
    if not is_whole(value) or not low <= value <= high:
        top = "2**63 - 1" if high == MAX_SEED else f"{high:,}".replace(",", "_")
        raise NetmorphError(f"{name} must be a whole number from {low} to {top}, got {value!r}")
    return int(value)


def real_number(
    name: str, value: object, *, low: float, low_open: bool = False, example: str
) -> float:
    """``value`` as a float if it is a finite number above ``low``, else a NetmorphError."""
    if not is_real(value) or value < low or (low_open and value == low):
        bound = f"above {low:g}" if low_open else f"at least {low:g}"
        raise NetmorphError(f"{name} must be a number {bound}, got {value!r}: e.g. {example}")
    return float(value)


def check_hidden(hidden: object) -> tuple[int, ...]:
    """``hidden`` as a tuple of widths within the limits, else a NetmorphError naming the fix."""
    if is_whole(hidden):
        raise NetmorphError(
            f"hidden widths must be a tuple, got the number {hidden!r}: "
            f"write hidden = ({hidden},) for one layer, or e.g. (3, 3, 3)"
        )
    if not isinstance(hidden, (tuple, list)) or not all(is_whole(w) for w in hidden):
        raise NetmorphError(
            f"hidden widths must be whole numbers, got {hidden!r}: use e.g. hidden=(3, 3, 3)"
        )
    widths = tuple(int(w) for w in hidden)
    if not 1 <= len(widths) <= MAX_DEPTH or any(not 1 <= w <= MAX_WIDTH for w in widths):
        shown = f"{widths!r}" if len(widths) <= MAX_DEPTH else f"({len(widths)} layers)"
        raise NetmorphError(
            f"bad hidden widths {shown}: give 1 to {MAX_DEPTH} layers of 1 to {MAX_WIDTH} "
            "units (bigger networks take more than minutes to train and draw), e.g. 3,3,3"
        )
    return widths
