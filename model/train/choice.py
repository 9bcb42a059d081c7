"""The network a video draws, chosen in one place: your own, a CSV's searched size, or a default.

Every scene (``MorphScene`` and its 3-D and slide kin, ``ActivationComparison``,
``TrainingScene``) and ``netmorph train`` call :func:`choose_networks`, so every video of the same
data shows the same network:

- a user's own network (an ``nn.Sequential``, or a safetensors ``weights`` file) is drawn as it
  is, never trained (:mod:`model.network.own`);
- a CSV without ``hidden`` gets the first size of a fixed ladder that fits it
  (:func:`model.train.search.search_sizes`); networks shown side by side share it;
- anything else gets the dataset's default (:func:`model.network.defaults.default_config`) with
  the given fields.

A training-over-time video records snapshots of the same network (``snapshot_every``): recording
changes no weight, so it is the network the other videos show, trained once more with its
snapshots kept.

Examples::

    (chosen,) = choose_networks("my_points.csv", ["relu"], cache_dir)
    chosen.config.hidden   # (3, 16, 16): what the search chose
    relu, tanh = choose_networks("moons", ["relu", "tanh"], cache_dir, seed=4)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from model.data.registry import is_csv, load_dataset
from model.errors import NetmorphError
from model.network.config import Config
from model.network.defaults import default_config

if TYPE_CHECKING:  # pragma: no cover
    from torch import nn

    from model.train.results import TrainedNetwork
    from model.train.search import Choice

# torch (a user's own network, the CSV search's training) is imported only when needed: a
# network in the cache is drawn without it.


@dataclass(frozen=True)
class ChosenNetwork:
    """The network a video draws: its config and, when choosing it needed it, the network."""

    config: Config  # the network drawn: train (or load) it with this config
    # The network itself when choosing it needed it (a user's own, or the one the CSV search
    # kept); None: load or train ``config``.
    trained: TrainedNetwork | None = None
    checkpoint_file: Path | None = None  # where the cache keeps ``trained`` (None: it does not)
    search: Choice | None = None  # the CSV size search that chose the widths, or None
    own: bool = False  # a user's own network, drawn as it is (never trained here)


def choose_networks(
    dataset: str,
    activations: Sequence[str | tuple[str, ...]],
    cache_dir: Path | str | None,
    *,
    hidden: tuple[int, ...] | None = None,
    seed: int = 0,
    target_accuracy: float | None = None,
    best_effort: bool | None = None,
    snapshot_every: int = 0,
    module: nn.Sequential | None = None,
    weights: Path | str | None = None,
    owner: str = "the scene",
    progress: bool = True,
    **fields,
) -> tuple[ChosenNetwork, ...]:
    """The network to draw on ``dataset`` for each of ``activations`` (one per video panel).

    ``hidden``, ``seed``, ``target_accuracy``, ``best_effort`` and ``fields`` (any other
    :class:`Config` field, e.g. ``max_iterations``) are what the scene or command line sets;
    None leaves a field to the dataset's default (or to the search). ``snapshot_every`` > 0
    asks for the chosen network's snapshots: its config then records them, and its ``trained``
    is None (load or train it once more). ``module`` (a user's ``nn.Sequential``) or ``weights``
    (a safetensors file of its state_dict, its layers named by the one activation and
    ``hidden``) is a user's own network: drawn as it is. ``owner`` names who gives it in errors
    (a scene's class name).
    """
    if module is not None or weights is not None:
        if len(activations) != 1:
            raise NetmorphError(f"{owner}: a user's own network is drawn alone, in one panel")
        return (_own(dataset, activations[0], module, weights, hidden, owner),)
    given = {"hidden": hidden, "target_accuracy": target_accuracy, "best_effort": best_effort}
    chosen_fields = {name: value for name, value in given.items() if value is not None}
    if is_csv(dataset) and hidden is None:
        # A CSV's network is searched for (model.train.search, which trains); panels share its
        # widths. The search keeps the most accurate network when none fits (best_effort).
        from model.train.search import search_sizes

        searched = {k: v for k, v in chosen_fields.items() if k != "best_effort"}
        found = search_sizes(
            dataset, activations, cache_dir, progress=progress, seed=seed, **searched, **fields
        )
        chosen = tuple(
            ChosenNetwork(c.trained.config, c.trained, c.checkpoint_file, search=c) for c in found
        )
    else:
        chosen = tuple(
            ChosenNetwork(default_config(dataset, activation, seed=seed, **chosen_fields, **fields))
            for activation in activations
        )
    if snapshot_every:
        chosen = tuple(
            replace(c, config=replace(c.config, snapshot_every=snapshot_every), trained=None)
            for c in chosen
        )
    return chosen


def _own(
    dataset: str,
    activation: str | tuple[str, ...],
    module: nn.Sequential | None,
    weights: Path | str | None,
    hidden: tuple[int, ...] | None,
    owner: str,
) -> ChosenNetwork:
    """A user's own network, checked for drawing on ``dataset`` (torch is imported here)."""
    from model.network.own import check_user_network, load_weights
    from model.train.results import as_trained

    if module is not None and weights is not None:
        raise NetmorphError(
            f"{owner} sets weights and overrides trained_network(): use one of them"
        )
    n_classes = load_dataset(dataset).n_classes
    if module is not None:
        checked = check_user_network(module, n_classes, f"{owner}.trained_network()")
    else:
        assert weights is not None  # one of the two, checked by the caller
        checked = load_weights(weights, n_classes, activation=activation, hidden=hidden)
    trained = as_trained(checked, dataset)
    return ChosenNetwork(trained.config, trained, own=True)
