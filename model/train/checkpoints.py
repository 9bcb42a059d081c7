"""The checkpoint cache: safetensors weights with the config in the metadata, written atomically.

A checkpoint alone rebuilds its network (its metadata carries the config). A missing, truncated,
garbage or mismatched file is never loaded: it is retrained, with a one-line warning. A file is
loaded only when every tensor is float32, of the shape its config describes and finite, and every
metadata field has its type. Nothing is ever unpickled.

Faults of the cache itself. A cache folder that is a file, or cannot be created or written, is
reported (one line, the fix) before any training; a checkpoint that cannot be written after
training is a warning, not a lost network. Files are written whole (temp file + rename), readable
by everyone (0644, so a media folder shared between users or CI jobs is shared), and a temp file
left by a killed write is removed by the next write into the folder (live writes hold a lock on
theirs, so concurrent trainings never remove each other's).

Training snapshots (``Config.snapshot_every``) are stored beside the weights as tensors named
``snap/<step, 6 digits>/<weight name>`` (e.g. ``snap/000040/0.weight``), with each snapshot's step
and accuracy listed in the ``snapshots`` metadata; they are checked like the weights.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import save as safetensors_bytes

from model.errors import NetmorphError
from model.files import is_dead_write, temp_glob, written_whole
from model.network.config import Config, is_real, is_whole
from model.network.layers import build_network
from model.train.results import Snapshot, TrainedNetwork
from model.train.trainer import train

FORMAT = "netmorph-checkpoint/1"
SNAP_PREFIX = "snap/"  # tensor-name prefix of training snapshots
CACHE_FOLDER = "checkpoints"  # the cache's folder inside a media folder


def cache_dir_in(media_dir: Path | str) -> Path:
    """The checkpoint cache of a media folder: ``<media_dir>/checkpoints``."""
    return Path(media_dir) / CACHE_FOLDER


DEFAULT_CACHE_DIR = cache_dir_in("media")  # the command line's, from the project folder
STALE_SECONDS = 3600  # without file locks, a temp file this old is a killed write's
TEMP_GLOB = temp_glob("*.safetensors")  # what :func:`save` leaves if it is killed
# How every entry point turns the cache off or moves it, for the one-line errors below.
CACHE_FIX = (
    "use another folder (manim --media_dir, train --cache-dir) or train without caching "
    "(scene attribute cache = False or NETMORPH_CACHE=0, train --no-cache)"
)

log = logging.getLogger("netmorph")


class CheckpointError(NetmorphError):
    """A checkpoint file that cannot be used, with the reason."""


def checkpoint_path(config: Config, cache_dir: Path | str) -> Path:
    """Where the cache keeps the network for ``config``."""
    return Path(cache_dir) / f"{config.key()}.safetensors"


class CacheLocationError(NetmorphError):
    """A cache folder that cannot hold checkpoints (a file, unwritable, uncreatable)."""


def check_cache_dir(cache_dir: Path | str, *, writable: bool = True) -> Path:
    """``cache_dir`` as a Path once it is a folder checkpoints can go in, or can be made.

    Creates nothing. With ``writable``, an existing folder is proved writable by creating and
    removing a temp file (``os.access`` is wrong for root and for network file systems); a
    missing one needs a writable nearest existing parent. Raises :class:`CacheLocationError`
    naming the folder, the reason and the fix.
    """
    folder = Path(cache_dir)
    if folder.exists() and not folder.is_dir():
        raise CacheLocationError(f"cache folder {folder} is a file, not a folder: {CACHE_FIX}")
    if not folder.exists():
        parent = next((p for p in folder.absolute().parents if p.exists()), None)
        if parent is not None and not parent.is_dir():
            raise CacheLocationError(
                f"cache folder {folder} is inside {parent}, which is a file: {CACHE_FIX}"
            )
        if writable and parent is not None and not os.access(parent, os.W_OK | os.X_OK):
            raise CacheLocationError(
                f"cannot create cache folder {folder} (no write permission in {parent}): "
                f"{CACHE_FIX}"
            )
        return folder
    if writable:
        try:
            fd, probe = tempfile.mkstemp(prefix=".write-test.", dir=folder)
            os.close(fd)
            os.unlink(probe)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise CacheLocationError(
                f"cannot write checkpoints to {folder} ({reason}): {CACHE_FIX}"
            ) from None
    return folder


def save(result: TrainedNetwork, path: Path | str) -> Path:
    """Write ``result`` to ``path`` whole or not at all (temp file in the same folder + rename).

    The file is mode 0644; temp files of killed writes in the folder are removed first.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(path.parent)
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
    with written_whole(path) as f:
        f.write(payload)
    return path


def remove_stale_temp_files(folder: Path | str) -> list[Path]:
    """Remove the temp files of checkpoint writes that were killed; return what was removed.

    A live write holds an exclusive lock on its temp file, and the kernel drops the locks of a
    killed process, so any temp file that can be locked is a dead write's. Never raises.
    """
    removed: list[Path] = []
    for candidate in Path(folder).glob(TEMP_GLOB):
        try:
            dead = is_dead_write(candidate)
            if dead is None:  # no file locks: only an old temp file is surely a dead write's
                dead = time.time() - candidate.stat().st_mtime > STALE_SECONDS
            if dead:
                candidate.unlink()
                removed.append(candidate)
        except OSError:
            continue  # gone already, or not ours to remove
    if removed:
        log.info("removed %d temp file(s) of interrupted checkpoint writes", len(removed))
    return removed


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
        training = _training_fields(json.loads(metadata["training"]))
        moments = _snapshot_list(json.loads(metadata.get("snapshots", "[]")))
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
    wrong = sorted({str(t.dtype) for t in tensors.values() if t.dtype != torch.float32})
    if wrong:
        raise CheckpointError(f"{path} holds {', '.join(wrong)} weights, not float32")
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
        stuck_seeds=[int(s) for s in training.get("stuck_seeds", [])],
        cached=True,
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
        "steps": lambda v: is_whole(v) and v >= 0,
        "accuracy": _fraction,
        "seconds": lambda v: is_real(v) and v >= 0,
        "stuck_seeds": lambda v: isinstance(v, list) and all(is_whole(s) for s in v),
    }
    for name, ok in checks.items():
        if name in training and not ok(training[name]):
            raise TypeError(f"training field {name!r} is {training[name]!r}")
    return training


def _snapshot_list(listed: object) -> list[tuple[int, float]]:
    """The ``snapshots`` metadata as (step, accuracy) pairs, every field's type checked."""
    if not isinstance(listed, list):
        raise TypeError("snapshot list is not a list")
    moments = []
    for item in listed:
        if not (
            isinstance(item, dict)
            and is_whole(item.get("step"))
            and item["step"] >= 0
            and _fraction(item.get("accuracy"))
        ):
            raise TypeError(f"snapshot entry {item!r}")
        moments.append((int(item["step"]), float(item["accuracy"])))
    return moments


def _snap_name(step: int, name: str) -> str:
    """The stored name of weight ``name`` in the snapshot at ``step``."""
    return f"{SNAP_PREFIX}{step:06d}/{name}"


def load_or_train(
    config: Config, cache_dir: Path | str | None = DEFAULT_CACHE_DIR, *, progress: bool = True
) -> tuple[TrainedNetwork, Path | None]:
    """The cached network for ``config``, training and caching it when there is none usable.

    ``cache_dir=None`` trains without the cache (the path returned is then None). A folder that
    cannot take the new checkpoint is a :class:`CacheLocationError` before training; a write
    that fails after training (disk full) is a warning and the network is still returned.
    """
    if cache_dir is None:
        return train(config, progress=progress), None
    check_cache_dir(cache_dir, writable=False)
    path = checkpoint_path(config, cache_dir)
    if path.exists():
        try:
            return load(path, config), path
        except CheckpointError as error:
            log.warning("warning: %s; retraining it", error)
    check_cache_dir(cache_dir)
    result = train(config, progress=progress)
    try:
        save(result, path)
    except OSError as error:
        log.warning(
            "warning: could not write checkpoint %s (%s); using the network without caching it",
            path,
            error.strerror or error,
        )
        return result, None
    return result, path
