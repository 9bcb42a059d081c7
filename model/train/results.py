"""What training returns: the trained network, its snapshots, and how training went.

A user's own network, which is not trained here, stands in as one (:func:`as_trained`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import torch
from torch import nn

from model.data.dataset import Dataset
from model.data.registry import load_dataset
from model.formatting import format_percent
from model.network.config import Config
from model.network.drawable import check_scale, drawn_points
from model.network.numpy_net import as_numpy


@dataclass(frozen=True)
class Snapshot:
    """The kept candidate's weights at one moment of training (for training-over-time videos)."""

    iteration: int  # optimiser iterations taken when recorded (0: the initial weights)
    accuracy: float  # training accuracy of these weights, 0..1
    state_dict: dict[str, torch.Tensor]  # keyed like the network's state_dict, float32


@dataclass
class TrainedNetwork:
    """A trained network, the config that rebuilds it, and how training went."""

    config: Config  # what was asked for
    module: nn.Sequential  # the trained network (float32, eval mode)
    seed_used: int  # the candidate seed that was kept
    iterations: int  # optimiser iterations taken
    accuracy: float  # training accuracy of the kept network, 0..1
    seconds: float  # wall time of training
    stuck_seeds: list[int] = field(default_factory=list)  # lower seeds not at target when kept
    cached: bool = False  # True when loaded from the checkpoint cache
    # Every config.snapshot_every iterations of the kept seed's own training, then its last one
    # (whose weights are ``module``'s); empty when snapshot_every is 0.
    snapshots: list[Snapshot] = field(default_factory=list)

    @property
    def reached_target(self) -> bool:
        """False for a best-effort network that missed ``config.target_accuracy``."""
        return self.accuracy >= self.config.target_accuracy

    def module_at(self, snapshot: Snapshot) -> nn.Sequential:
        """The network with ``snapshot``'s weights (eval mode), ready for tracing."""
        module = copy.deepcopy(self.module)
        module.load_state_dict(snapshot.state_dict)
        return module.eval()

    def summary(self) -> str:
        """One human line about the result."""
        origin = "loaded from cache" if self.cached else f"trained in {self.seconds:.2f} s"
        accuracy = format_percent(self.accuracy)
        line = f"accuracy {accuracy} after {self.iterations} iterations ({origin})"
        line += f", seed {self.seed_used}"
        if not self.reached_target:
            target = format_percent(self.config.target_accuracy)
            line += f"; no seed reached {target}, so the best was kept"
        elif self.stuck_seeds:
            stuck = seed_ranges(self.stuck_seeds)
            line += f"; seeds {stuck} were stuck, so seed {self.seed_used} was kept"
        return line


def seed_ranges(seeds: list[int]) -> str:
    """Seeds as ranges: '0–3, 5' for [0, 1, 2, 3, 5]."""
    parts: list[list[int]] = []
    for s in sorted(seeds):
        if parts and s == parts[-1][1] + 1:
            parts[-1][1] = s
        else:
            parts.append([s, s])
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in parts)


def accuracy(module: nn.Sequential, data: Dataset) -> float:
    """Training accuracy of ``module`` on ``data``, 0..1 (in float64, as the trace is).

    Raises NetmorphError when a layer's output leaves float32's range on the data (a user's own
    network with absurd weights): no accuracy, and no picture, means anything then.
    """
    check_scale(as_numpy(module), drawn_points(data), "the network", data.name)
    with torch.no_grad():
        probs = copy.deepcopy(module).double()(torch.as_tensor(data.x_train, dtype=torch.float64))
    return float((probs.argmax(-1).numpy() == data.y_train).mean())


def as_trained(module: nn.Sequential, dataset: str) -> TrainedNetwork:
    """A checked user network (:func:`model.network.own.check_user_network`) as a
    :class:`TrainedNetwork` on ``dataset`` (no training).

    Its ``config`` names only the data it is drawn on (the network fields are unused), and its
    accuracy is measured on that data.
    """
    return TrainedNetwork(
        config=Config(dataset=dataset, best_effort=True),
        module=module,
        seed_used=0,
        iterations=0,
        accuracy=accuracy(module, load_dataset(dataset)),
        seconds=0.0,
    )
