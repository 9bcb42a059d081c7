"""A CSV's default network: the first of a fixed ladder of sizes that fits the data.

A user's data has no known shape, so one default size fails some of it (the TensorFlow
Playground's spiral defeats 2→3→8→8→2). The search trains the ladder's networks in order,
smallest first, and keeps the first that reaches the target accuracy; when the data cannot be
fitted (overlapping classes), it stops as soon as a bigger network gains less than
:data:`MIN_GAIN` and keeps the most accurate so far. Each trained size is cached like any
network, so a second render (or the CLI after a render) trains nothing. The limits are the
ladder's last size: 3 hidden layers of 32 units after the embedding.

Several activations drawn side by side (``ActivationComparison``) share the first size that fits
them all. :func:`model.train.choice.choose_networks`, the one place a video's network is chosen,
runs the search for a CSV without ``hidden``.

Examples::

    (choice,) = search_sizes("my_points.csv", ["relu"], cache_dir)
    print(choice.summary())   # network 3,16,16: 3,8,8 reached 91.2 %, 3,16,16 100 %
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.data.registry import load_dataset
from model.formatting import format_percent
from model.network.defaults import default_config
from model.train.checkpoints import load_or_train
from model.train.results import TrainedNetwork
from model.train.trainer import reachable_accuracy

# Hidden widths tried, smallest first: wider, then deeper, then both.
LADDER: tuple[tuple[int, ...], ...] = (
    (3, 8, 8),
    (3, 16, 16),
    (3, 16, 16, 16),
    (3, 32, 32, 32),
)
# Each size gets a smaller search than a fixed network's (4 rounds of 16 seeds): the next size
# up is the better use of the time.
SIZE_SEARCH = {"candidates": 8, "rounds": 2}
MIN_GAIN = 0.005  # a bigger network must gain half a point of accuracy to be worth trying on


@dataclass(frozen=True)
class Choice:
    """The network the search kept for one activation, and what it tried on the way."""

    trained: TrainedNetwork  # the kept network
    checkpoint_file: Path | None  # where the cache keeps it
    tried: tuple[tuple[tuple[int, ...], float], ...]  # (hidden widths, its accuracy) in order

    @property
    def hidden(self) -> tuple[int, ...]:
        return self.trained.config.hidden

    def summary(self) -> str:
        """One line: the widths chosen and every size's accuracy."""
        sizes = ", ".join(f"{_widths(h)} {format_percent(a)}" for h, a in self.tried)
        line = f"network {_widths(self.hidden)} chosen (tried {sizes})"
        if not self.trained.reached_target:
            target = format_percent(self.trained.config.target_accuracy)
            line += f"; none reached {target}, so the most accurate was kept"
        return line


def _widths(hidden: tuple[int, ...]) -> str:
    return ",".join(map(str, hidden))


def search_sizes(
    dataset: str,
    activations: Sequence[str | tuple[str, ...]],
    cache_dir: Path | str | None,
    *,
    progress: bool = True,
    **overrides,
) -> tuple[Choice, ...]:
    """Train the ladder's networks for ``dataset`` in order, one per activation at each size;
    keep the first size at which every activation reaches the target.

    Networks shown side by side must have the same widths, so several activations share one
    size: the first that fits them all (for one activation, the first that fits it). When none
    does, the search stops once a bigger size gains the least accurate of them less than
    :data:`MIN_GAIN`, and keeps the size where that one was most accurate. ``overrides`` are
    :class:`model.network.config.Config` fields (seed, target_accuracy…) for every network
    tried. The target is lowered to the data's :func:`model.train.trainer.reachable_accuracy`
    (the Playground's spiral has the point (0, 0) in both classes: 99.8 %). One
    :class:`Choice` per activation, in order.
    """
    data = load_dataset(dataset)
    # Points in two classes at once cap every network: aim at what can be reached.
    target = min(
        overrides.pop("target_accuracy", 1.0), reachable_accuracy(data.x_train, data.y_train)
    )
    overrides["target_accuracy"] = np.floor(target * 1e6) / 1e6
    tried: list[tuple[tuple[int, ...], tuple[float, ...]]] = []
    best: list[tuple[TrainedNetwork, Path | None]] | None = None

    def chosen(kept: list[tuple[TrainedNetwork, Path | None]]) -> tuple[Choice, ...]:
        return tuple(
            Choice(trained, checkpoint_file, tuple((h, a[i]) for h, a in tried))
            for i, (trained, checkpoint_file) in enumerate(kept)
        )

    for hidden in LADDER:
        found = [
            load_or_train(
                default_config(
                    dataset,
                    activation,
                    **{**SIZE_SEARCH, **overrides, "hidden": hidden, "best_effort": True},
                ),
                cache_dir,
                progress=progress,
            )
            for activation in activations
        ]
        tried.append((hidden, tuple(trained.accuracy for trained, _ in found)))
        if all(trained.reached_target for trained, _ in found):
            return chosen(found)
        worst = min(trained.accuracy for trained, _ in found)
        best_worst = None if best is None else min(trained.accuracy for trained, _ in best)
        if best_worst is not None and worst < best_worst + MIN_GAIN:
            break  # the data, not the network, is the limit
        if best_worst is None or worst > best_worst:
            best = found
    assert best is not None
    return chosen(best)
