"""The one configuration that names a trained network: architecture, data and training."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, fields
from pathlib import Path

from model.activations import check_activation
from model.csvdata import csv_digest
from model.data import check_dataset_name, is_csv
from model.errors import NetmorphError

MAX_WIDTH = 64  # wider layers are unreadable on screen and slow to train on 2 cores


@dataclass(frozen=True)
class Config:
    """Everything that determines a trained network; equal configs give equal weights.

    ``activation`` may be one name for every activated layer or one name per activated layer;
    it is stored normalised to a tuple. The first hidden layer is the recipe's affine embedding
    (no activation), so there are ``len(hidden) - 1`` activations.
    """

    dataset: str = "circles"  # built-in dataset name (model.data.DATASETS) or a path to *.csv
    hidden: tuple[int, ...] = (3, 3, 3)  # hidden widths; the recipe's is 2→3→3→3→2
    activation: tuple[str, ...] | str = "relu"  # σ of each activated hidden layer
    seed: int = 0  # first seed tried; a stuck seed moves on to the next ones
    lr: float = 0.05  # Adam learning rate (full batch)
    # Weight of the recipe's ‖θ‖₂ loss term. Off by default: at the recipe's 0.01 it holds most
    # seeds at 50 % under Adam; stopping soon after 100 % keeps the weights moderate instead.
    penalty: float = 0.0
    max_steps: int = 1500  # give up on a batch of candidate seeds after this many steps
    candidates: int = 16  # seeds trained at once as one batched tensor
    settle_steps: int = 150  # steps kept training after 100 % for confident outputs
    rounds: int = 4  # batches of candidate seeds tried before giving up
    target_accuracy: float = 1.0  # training accuracy a candidate must reach to be kept, 0..1
    # When no seed reaches the target: keep the most accurate candidate (True) rather than raise
    # NetmorphError (False). For "show it failing" videos, e.g. an identity (linear) network.
    best_effort: bool = False
    snapshot_every: int = 0  # record the weights every this many steps (0: no snapshots)
    # SHA-256 of a CSV dataset's bytes, filled in from the file when empty; "" for built-ins.
    # It is part of the cache key, so editing the CSV retrains.
    data_digest: str = ""

    def __post_init__(self) -> None:
        hidden = self.hidden
        if isinstance(hidden, int) or not all(isinstance(w, int) for w in hidden):
            raise NetmorphError(
                f"hidden widths must be whole numbers, got {hidden!r}: use e.g. hidden=(3, 3, 3)"
            )
        hidden = tuple(int(w) for w in hidden)
        if len(hidden) < 1 or any(w < 1 or w > MAX_WIDTH for w in hidden):
            raise NetmorphError(
                f"bad hidden widths {hidden!r}: give one or more widths from 1 to {MAX_WIDTH}, "
                "e.g. 3,3,3"
            )
        n_act = len(hidden) - 1
        act = self.activation
        acts = (act,) * n_act if isinstance(act, str) else tuple(act)
        if len(acts) != n_act:
            raise NetmorphError(
                f"{len(acts)} activations given for {n_act} activated layers "
                f"(hidden={','.join(map(str, hidden))}): give one name or {n_act}"
            )
        for name in acts:
            check_activation(name)
        check_dataset_name(self.dataset)
        if is_csv(self.dataset) and not self.data_digest:
            object.__setattr__(self, "data_digest", csv_digest(self.dataset))
        elif not is_csv(self.dataset) and self.data_digest:
            raise NetmorphError(
                f"data_digest is only for CSV datasets, not {self.dataset!r}: leave it empty"
            )
        if not 0.0 < self.target_accuracy <= 1.0:
            raise NetmorphError(
                f"target accuracy must be in (0, 1], got {self.target_accuracy!r}: e.g. 0.95"
            )
        if self.snapshot_every < 0:
            raise NetmorphError(
                f"snapshot_every must be 0 (none) or a number of steps, got {self.snapshot_every}"
            )
        object.__setattr__(self, "hidden", hidden)
        object.__setattr__(self, "activation", acts)

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
