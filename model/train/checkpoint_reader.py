"""A checkpoint file read into numpy and checked, without torch.

A render whose network is cached needs nothing else: :meth:`Checkpoint.net` is the network's
numpy forward pass (:mod:`model.network.numpy_net`). :mod:`model.train.checkpoints` writes
checkpoints, and builds a torch network from a :class:`Checkpoint` for the trainer.

A file is read header first, within fixed bounds, by :mod:`model.network.weights_file` (the same
checks as a user's own weights file): its header, names, shapes and dtypes are checked before any
tensor is read, so a file claiming a huge tensor costs no memory. It is accepted only when every
tensor is float32, of the shape its config describes and finite, every metadata field has its
type, and the network stays within float32's range on its data
(:func:`model.network.drawable.check_scale`); otherwise :class:`CheckpointError` says why.
Nothing is ever unpickled.

Examples::

    checkpoint = read_checkpoint("media/checkpoints/<key>.safetensors", config)
    stages = trace(checkpoint.net(), points)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from model.data.registry import load_dataset
from model.errors import NetmorphError
from model.network.config import Config, is_real, is_whole
from model.network.drawable import check_scale, drawn_points
from model.network.numpy_net import NumpyNet, as_numpy, layer_shapes
from model.network.weights_file import (
    WeightsFileError,
    check_dtypes,
    read_arrays,
    read_header,
)

if TYPE_CHECKING:  # pragma: no cover
    from model.train.results import TrainedNetwork

FORMAT = "netmorph-checkpoint/2"  # /2: "iterations", not "steps", in the metadata
SNAP_PREFIX = "snap/"  # tensor-name prefix of training snapshots
# A checkpoint's header grows ~700 bytes per training snapshot (3,6,6): one snapshot every
# iteration of a 1,650-iteration training is 1.1 MB, more than a user's file may have (1 MiB).
MAX_HEADER_BYTES = 4 << 20


class CheckpointError(NetmorphError):
    """A checkpoint file that cannot be used, with the reason."""


@dataclass(frozen=True, eq=False)
class Checkpoint:
    """A trained network as a checkpoint holds it: weights as numpy arrays, and how it trained."""

    config: Config  # rebuilds the network
    weights: dict[str, np.ndarray]  # state-dict name -> float32 array
    seed_used: int  # the candidate seed that was kept
    iterations: int  # optimiser iterations taken
    accuracy: float  # training accuracy when trained, 0..1
    stuck_seeds: list[int] = field(default_factory=list)  # lower seeds passed over
    # (iteration, accuracy, weights) of each training snapshot, in iteration order
    snapshots: list[tuple[int, float, dict[str, np.ndarray]]] = field(default_factory=list)
    seconds: float = 0.0  # training wall time (0 when read from the cache)
    cached: bool = True  # False for a network trained in this run
    # The network itself, when made from a torch one (:meth:`of`; a user's own has layers its
    # config does not describe); None: rebuilt from ``config`` and ``weights``.
    given: NumpyNet | None = None

    def net(self) -> NumpyNet:
        """The network's forward pass in numpy (float64)."""
        if self.given is not None:
            return self.given
        return NumpyNet.from_state_dict(self.config, self.weights)

    @classmethod
    def of(cls, trained: TrainedNetwork) -> Checkpoint:
        """What a checkpoint of a ``trained`` network holds (torch tensors → numpy); the
        network itself is kept, so a user's own (any layers) is drawn as it is."""

        def arrays(state: dict) -> dict[str, np.ndarray]:
            return {k: v.detach().cpu().numpy() for k, v in state.items()}

        return cls(
            config=trained.config,
            weights=arrays(trained.module.state_dict()),
            seed_used=trained.seed_used,
            iterations=trained.iterations,
            accuracy=trained.accuracy,
            stuck_seeds=list(trained.stuck_seeds),
            snapshots=[(s.iteration, s.accuracy, arrays(s.state_dict)) for s in trained.snapshots],
            seconds=trained.seconds,
            cached=trained.cached,
            given=as_numpy(trained.module),
        )


def read_checkpoint(path: Path | str, expected: Config | None = None) -> Checkpoint:
    """Read and check a checkpoint; with ``expected``, refuse one trained for another config.

    Raises :class:`CheckpointError` naming the problem for any file that is not a whole,
    finite netmorph checkpoint of the right shape.
    """
    path = Path(path)
    try:
        header = read_header(path, "checkpoint", max_header=MAX_HEADER_BYTES)
    except WeightsFileError as error:
        raise CheckpointError(str(error)) from None
    metadata = header.metadata
    if metadata.get("format") != FORMAT:
        raise CheckpointError(f"{path} is not a {FORMAT} file")
    try:
        config = Config.from_json(metadata["config"])
        training = _training_fields(json.loads(metadata["training"]))
        moments = _snapshot_list(json.loads(metadata.get("snapshots", "[]")))
    except (KeyError, ValueError, TypeError, RecursionError) as error:
        raise CheckpointError(f"{path} has unreadable metadata ({error})") from None
    if expected is not None and config != expected:
        raise CheckpointError(f"{path} was trained for another config")
    wanted = layer_shapes(config)
    iterations = [iteration for iteration, _ in moments]
    if iterations != sorted(set(iterations)) or bool(iterations) != bool(config.snapshot_every):
        raise CheckpointError(f"{path} has a snapshot list that its config does not describe")
    names = {k: k for k in wanted} | {
        snap_name(iteration, k): k for iteration in iterations for k in wanted
    }  # stored name -> weight name
    entries = header.entries
    if set(entries) != set(names) or any(
        entries[stored].shape != wanted[k] for stored, k in names.items()
    ):
        raise CheckpointError(f"{path} does not match the network its config describes")
    try:  # only now, every size known to be the config's, are the tensors read
        check_dtypes(header, ("F32",))
        tensors = read_arrays(header)
        weights = {k: tensors[k] for k in wanted}
        snapshots = [
            (iteration, accuracy, {k: tensors[snap_name(iteration, k)] for k in wanted})
            for iteration, accuracy in moments
        ]
        data = load_dataset(config.dataset)
        points = drawn_points(data)
        for drawn in [weights, *(w for _, _, w in snapshots)]:
            check_scale(NumpyNet.from_state_dict(config, drawn), points, str(path), data.name)
    except NetmorphError as error:
        raise CheckpointError(str(error)) from None
    return Checkpoint(
        config=config,
        weights=weights,
        seed_used=int(training.get("seed_used", config.seed)),
        iterations=int(training.get("iterations", 0)),
        accuracy=float(training.get("accuracy", float("nan"))),
        stuck_seeds=[int(s) for s in training.get("stuck_seeds", [])],
        snapshots=snapshots,
    )


def _fraction(value: object) -> bool:
    return is_real(value) and 0.0 <= value <= 1.0


def _training_fields(training: object) -> dict:
    """The ``training`` metadata with every field's type checked (missing fields are allowed)."""
    if not isinstance(training, dict):
        raise TypeError("training metadata is not an object")
    checks = {
        "seed_used": lambda v: is_whole(v) and v >= 0,
        "iterations": lambda v: is_whole(v) and v >= 0,
        "accuracy": _fraction,
        "seconds": lambda v: is_real(v) and v >= 0,
        "stuck_seeds": lambda v: isinstance(v, list) and all(is_whole(s) for s in v),
    }
    for name, ok in checks.items():
        if name in training and not ok(training[name]):
            raise TypeError(f"training field {name!r} is {training[name]!r}")
    return training


def _snapshot_list(listed: object) -> list[tuple[int, float]]:
    """The ``snapshots`` metadata as (iteration, accuracy) pairs, every field's type checked."""
    if not isinstance(listed, list):
        raise TypeError("snapshot list is not a list")
    moments = []
    for item in listed:
        if not (
            isinstance(item, dict)
            and is_whole(item.get("iteration"))
            and item["iteration"] >= 0
            and _fraction(item.get("accuracy"))
        ):
            raise TypeError(f"snapshot entry {item!r}")
        moments.append((int(item["iteration"]), float(item["accuracy"])))
    return moments


def snap_name(iteration: int, name: str) -> str:
    """The stored name of weight ``name`` in the snapshot at ``iteration``."""
    return f"{SNAP_PREFIX}{iteration:06d}/{name}"
