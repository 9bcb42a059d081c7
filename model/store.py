"""The checkpoint cache: safetensors weights with the config in the metadata, written atomically.

A checkpoint alone rebuilds its network (its metadata carries the config). A missing, truncated,
garbage or mismatched file is never loaded: it is retrained, with a one-line warning. Nothing is
ever unpickled.

Training snapshots (``Config.snapshot_every``) are stored beside the weights as tensors named
``snap/<step, 6 digits>/<weight name>`` (e.g. ``snap/000040/0.weight``), with each snapshot's step
and accuracy listed in the ``snapshots`` metadata; they are checked like the weights.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import save as safetensors_bytes

from model.config import Config
from model.errors import NetmorphError
from model.network import build_network
from model.train import Snapshot, TrainedNetwork, train

FORMAT = "netmorph-checkpoint/1"
SNAP_PREFIX = "snap/"  # tensor-name prefix of training snapshots
DEFAULT_CACHE_DIR = Path("media") / "checkpoints"

log = logging.getLogger("netmorph")


class CheckpointError(NetmorphError):
    """A checkpoint file that cannot be used, with the reason."""


def checkpoint_path(config: Config, cache_dir: Path | str) -> Path:
    """Where the cache keeps the network for ``config``."""
    return Path(cache_dir) / f"{config.key()}.safetensors"


def save(result: TrainedNetwork, path: Path | str) -> Path:
    """Write ``result`` to ``path`` whole or not at all (temp file in the same folder + rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().contiguous() for k, v in result.net.state_dict().items()}
    for snap in result.snapshots:
        for name, value in snap.state_dict.items():
            tensors[_snap_name(snap.step, name)] = value.detach().contiguous()
    metadata = {
        "format": FORMAT,
        "config": result.config.to_json(),
        "training": json.dumps(
            {
                "seed_used": result.seed_used,
                "steps": result.steps,
                "accuracy": result.accuracy,
                "seconds": result.seconds,
                "stuck_seeds": result.stuck_seeds,
            }
        ),
        "snapshots": json.dumps(
            [{"step": snap.step, "accuracy": snap.accuracy} for snap in result.snapshots]
        ),
    }
    payload = safetensors_bytes(tensors, metadata=metadata)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load(path: Path | str, expected: Config | None = None) -> TrainedNetwork:
    """Load a checkpoint; with ``expected``, refuse one trained for another config.

    Raises :class:`CheckpointError` naming the problem for any file that is not a whole,
    finite netmorph checkpoint of the right shape.
    """
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"no checkpoint at {path}")
    try:
        with safe_open(str(path), framework="pt") as f:
            metadata = f.metadata() or {}
            tensors = {k: f.get_tensor(k) for k in f.keys()}  # noqa: SIM118 (not a dict)
    except Exception as error:  # safetensors raises several types for damaged files
        raise CheckpointError(f"{path} is not a readable safetensors file ({error})") from None
    if metadata.get("format") != FORMAT:
        raise CheckpointError(f"{path} is not a {FORMAT} file")
    try:
        config = Config.from_json(metadata["config"])
        training = json.loads(metadata["training"])
        listed = json.loads(metadata.get("snapshots", "[]"))
        moments = [(int(s["step"]), float(s["accuracy"])) for s in listed]
    except (KeyError, ValueError, TypeError) as error:
        raise CheckpointError(f"{path} has unreadable metadata ({error})") from None
    if expected is not None and config != expected:
        raise CheckpointError(f"{path} was trained for another config")
    net = build_network(config)
    wanted = net.state_dict()
    steps = [step for step, _ in moments]
    if steps != sorted(set(steps)) or bool(steps) != bool(config.snapshot_every):
        raise CheckpointError(f"{path} has a snapshot list that its config does not describe")
    names = {k: k for k in wanted} | {
        _snap_name(step, k): k for step in steps for k in wanted
    }  # stored name -> weight name
    if set(tensors) != set(names) or any(
        tensors[stored].shape != wanted[k].shape for stored, k in names.items()
    ):
        raise CheckpointError(f"{path} does not match the network its config describes")
    if not all(torch.isfinite(t).all() for t in tensors.values()):
        raise CheckpointError(f"{path} holds non-finite weights")
    net.load_state_dict({k: tensors[k] for k in wanted})
    snapshots = [
        Snapshot(step, accuracy, {k: tensors[_snap_name(step, k)] for k in wanted})
        for step, accuracy in moments
    ]
    return TrainedNetwork(
        config=config,
        net=net.eval(),
        seed_used=int(training.get("seed_used", config.seed)),
        steps=int(training.get("steps", 0)),
        accuracy=float(training.get("accuracy", float("nan"))),
        seconds=0.0,
        stuck_seeds=list(training.get("stuck_seeds", [])),
        cached=True,
        snapshots=snapshots,
    )


def _snap_name(step: int, name: str) -> str:
    """The stored name of weight ``name`` in the snapshot at ``step``."""
    return f"{SNAP_PREFIX}{step:06d}/{name}"


def load_or_train(
    config: Config, cache_dir: Path | str = DEFAULT_CACHE_DIR, *, progress: bool = True
) -> tuple[TrainedNetwork, Path]:
    """The cached network for ``config``, training and caching it when there is none usable."""
    path = checkpoint_path(config, cache_dir)
    if path.exists():
        try:
            return load(path, config), path
        except CheckpointError as error:
            log.warning("warning: %s; retraining it", error)
    result = train(config, progress=progress)
    save(result, path)
    return result, path
