"""A CSV's default network: the first of a fixed ladder of sizes that fits the data.

A user's data has no known shape, so one default size fails some of it (the TensorFlow
Playground's spiral defeats 2→3→8→8→2). The search trains the ladder's networks in order,
smallest first, and keeps the first that reaches the target accuracy; when the data cannot be
fitted (overlapping classes), it stops as soon as a bigger network gains less than
:data:`MIN_GAIN` and keeps the most accurate so far. Each trained size is cached like any
network, so a second render (or the CLI after a render) trains nothing. The limits are the
ladder's last size: 3 hidden layers of 32 units after the embedding.

Examples::

    choice = choose_network("my_points.csv", "relu", cache_dir)
    print(choice.summary())   # network 3,16,16: 3,8,8 reached 91.2 %, 3,16,16 100 %
"""

from __future__ import annotations

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
    """The network the search kept, and what it tried on the way."""

    trained: TrainedNetwork  # the kept network
    checkpoint_file: Path | None  # where the cache keeps it
    tried: tuple[tuple[tuple[int, ...], float], ...]  # (hidden widths, accuracy) in order

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


def choose_network(
    dataset: str,
    activation: str | tuple[str, ...],
    cache_dir: Path | str | None,
    *,
    progress: bool = True,
    **overrides,
) -> Choice:
    """Train the ladder's networks for ``dataset`` in order; keep the first at the target.

    ``overrides`` are :class:`model.config.Config` fields (seed, target_accuracy…) for every
    size tried. The target is lowered to the data's :func:`model.train.reachable_accuracy`
    (the Playground's spiral has the point (0, 0) in both classes: 99.8 %).
    """
    data = load_dataset(dataset)
    # Points in two classes at once cap every network: aim at what can be reached.
    target = min(
        overrides.pop("target_accuracy", 1.0), reachable_accuracy(data.x_train, data.y_train)
    )
    overrides["target_accuracy"] = np.floor(target * 1e6) / 1e6
    tried: list[tuple[tuple[int, ...], float]] = []
    best: tuple[TrainedNetwork, Path | None] | None = None
    for hidden in LADDER:
        config = default_config(
            dataset,
            activation,
            **{**SIZE_SEARCH, **overrides, "hidden": hidden, "best_effort": True},
        )
        trained, checkpoint_file = load_or_train(config, cache_dir, progress=progress)
        tried.append((hidden, trained.accuracy))
        if trained.reached_target:
            return Choice(trained, checkpoint_file, tuple(tried))
        if best is not None and trained.accuracy < best[0].accuracy + MIN_GAIN:
            break  # the data, not the network, is the limit
        if best is None or trained.accuracy > best[0].accuracy:
            best = (trained, checkpoint_file)
    assert best is not None
    return Choice(best[0], best[1], tuple(tried))
