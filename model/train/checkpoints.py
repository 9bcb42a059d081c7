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
``snap/<iteration, 6 digits>/<weight name>`` (e.g. ``snap/000040/0.weight``), with each snapshot's
iteration
and accuracy listed in the ``snapshots`` metadata; they are checked like the weights.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from model.data.registry import load_dataset
from model.errors import NetmorphError
from model.files import is_dead_write, temp_glob, unwritable_reason, written_whole
from model.network.config import Config
from model.train.checkpoint_reader import (  # noqa: F401 (FORMAT, SNAP_PREFIX: their home before)
    FORMAT,
    SNAP_PREFIX,
    Checkpoint,
    CheckpointError,
    read_checkpoint,
    snap_name,
)

if TYPE_CHECKING:  # pragma: no cover
    from model.train.results import TrainedNetwork

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
    reason = unwritable_reason(folder) if writable else None
    if reason is not None:
        raise CacheLocationError(f"cannot write checkpoints to {folder} ({reason}): {CACHE_FIX}")
    return folder


def save(trained: TrainedNetwork, path: Path | str) -> Path:
    """Write ``trained`` to ``path`` whole or not at all (temp file in the same folder + rename).

    The file is mode 0644; temp files of killed writes in the folder are removed first.
    """
    from safetensors.torch import save as safetensors_bytes  # imports torch

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(path.parent)
    tensors = {k: v.detach().contiguous() for k, v in trained.module.state_dict().items()}
    for snap in trained.snapshots:
        for name, value in snap.state_dict.items():
            tensors[snap_name(snap.iteration, name)] = value.detach().contiguous()
    metadata = {
        "format": FORMAT,
        "config": trained.config.to_json(),
        "training": json.dumps(
            {
                "seed_used": trained.seed_used,
                "iterations": trained.iterations,
                "accuracy": trained.accuracy,
                "seconds": trained.seconds,
                "stuck_seeds": trained.stuck_seeds,
            }
        ),
        "snapshots": json.dumps(
            [{"iteration": snap.iteration, "accuracy": snap.accuracy} for snap in trained.snapshots]
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
    """Load a checkpoint as a torch network; with ``expected``, refuse one trained for another
    config.

    Raises :class:`CheckpointError` naming the problem for any file that is not a whole,
    finite netmorph checkpoint of the right shape
    (:func:`model.train.checkpoint_reader.read_checkpoint`).
    """
    import torch

    from model.network.layers import build_network
    from model.train.results import Snapshot, TrainedNetwork

    checkpoint = read_checkpoint(path, expected)
    config = checkpoint.config

    def tensors(weights: dict) -> dict[str, torch.Tensor]:
        return {k: torch.tensor(v) for k, v in weights.items()}

    module = build_network(config)
    module.load_state_dict(tensors(checkpoint.weights))
    return TrainedNetwork(
        config=config,
        module=module.eval(),
        seed_used=checkpoint.seed_used,
        iterations=checkpoint.iterations,
        accuracy=checkpoint.accuracy,
        seconds=0.0,
        stuck_seeds=checkpoint.stuck_seeds,
        cached=True,
        snapshots=[
            Snapshot(iteration, accuracy, tensors(weights))
            for iteration, accuracy, weights in checkpoint.snapshots
        ],
    )


def load_cached(config: Config, cache_dir: Path | str | None) -> Checkpoint | None:
    """The usable cached checkpoint of ``config``, read without torch; None when there is none.

    A missing or unusable file is None here, quietly: :func:`load_or_train` then warns about
    it and retrains.
    """
    if cache_dir is None:
        return None
    try:
        return read_checkpoint(checkpoint_path(config, cache_dir), config)
    except CheckpointError:
        return None


def train(config: Config, *, progress: bool = True) -> TrainedNetwork:
    """:func:`model.train.trainer.train`, imported when first needed: it imports torch."""
    from model.train.trainer import train as train_network

    return train_network(config, progress=progress)


def load_or_train(
    config: Config, cache_dir: Path | str | None = DEFAULT_CACHE_DIR, *, progress: bool = True
) -> tuple[TrainedNetwork, Path | None]:
    """The cached network for ``config``, training and caching it when there is none usable.

    ``cache_dir=None`` trains without the cache (the file returned is then None). Data it cannot
    use (a CSV with nothing to draw) and a folder that cannot take the new checkpoint (a
    :class:`CacheLocationError`) are refused before training; a write that fails after training
    (disk full) is a warning and the network is still returned.
    """
    load_dataset(config.dataset)  # a CSV it cannot use (degenerate, unreadable): before training
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
    trained = train(config, progress=progress)
    try:
        save(trained, path)
    except OSError as error:
        log.warning(
            "warning: could not write checkpoint %s (%s); using the network without caching it",
            path,
            error.strerror or error,
        )
        return trained, None
    return trained, path
