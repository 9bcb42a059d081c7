"""Files written whole or not at all, files read only when regular, folders proved writable.

Written whole: a locked temp file beside the target, then one rename (:func:`written_whole`, or
:func:`whole_path` for writers that take a file name). Read: :func:`open_regular` refuses a
named pipe, a folder or a device at once. Writable: :func:`unwritable_reason` probes a folder
before any work, and :func:`disk_full_error` tells a full disk from other failures.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from model.errors import NetmorphError

try:  # POSIX: a lock held by a live writer tells its temp file from a killed writer's
    import fcntl
except ImportError:  # pragma: no cover - Windows: only old temp files can be told apart
    fcntl = None  # type: ignore[assignment]

FILE_MODE = 0o644  # readable by other users, web servers and CI jobs sharing the folder


def temp_glob(name_pattern: str) -> str:
    """The glob of :func:`written_whole`'s temp files for targets named like ``name_pattern``."""
    return f".{name_pattern}.*.tmp"


def written_whole(path: Path | str, mode: int = FILE_MODE) -> WholeFile:
    """Write ``path`` through a temp file in its folder, renamed over it only when complete::

        with written_whole(path) as f:
            f.write(payload)

    The temp file (``.<name>.XXXX.tmp``) is made here, so a folder that cannot be written
    raises ``OSError`` before any work; it holds an exclusive lock until the rename, so a cleaner
    can tell a live write from a killed one (:func:`is_dead_write`). On any error it is removed
    and ``path`` keeps its old content. The file ends with ``mode`` whatever the umask.
    """
    path = Path(path)
    fd, tmp = _locked_temp_file(path)
    return WholeFile(path, fd, tmp, mode)


class WholeFile:
    """An open temp file that becomes ``path`` when its ``with`` block ends without error."""

    def __init__(self, path: Path, fd: int, tmp: str, mode: int) -> None:
        self.path, self.tmp = path, tmp
        self.file: BinaryIO = os.fdopen(fd, "wb")
        os.chmod(tmp, mode)  # mkstemp makes 0600: unreadable to others

    def __enter__(self) -> BinaryIO:
        return self.file

    def __exit__(self, kind, error, traceback) -> None:
        renamed = False
        try:
            if kind is None:
                self.file.flush()
                os.fsync(self.file.fileno())
                os.replace(self.tmp, self.path)  # still locked: no cleaner can take it meanwhile
                renamed = True
        finally:
            if renamed:
                self.file.close()
            else:  # closing flushes what is buffered: on a full disk that fails again
                with suppress(OSError):
                    self.file.close()
                Path(self.tmp).unlink(missing_ok=True)


@contextmanager
def whole_path(path: Path | str) -> Iterator[Path]:
    """A temp path beside ``path`` for a writer that takes a file name (an encoder, an image
    library), renamed over ``path`` only when the ``with`` block ends without error::

        with whole_path(movie) as tmp:
            encode_to(tmp)

    The temp name keeps ``path``'s suffix (writers choose the format from it) and starts with a
    dot: ``.<stem>.<random><suffix>``. On any error (a full disk) it is removed and ``path``
    keeps its old content.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.{secrets.token_hex(4)}{path.suffix}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


# What a full disk (or a full quota) raises.
DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def disk_full_error(error: BaseException | None) -> OSError | None:
    """The error behind ``error`` (itself, or what caused it) that says the disk is full."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in DISK_FULL:
            return error
        error = error.__cause__ or error.__context__
    return None


def _locked_temp_file(path: Path) -> tuple[int, str]:
    """A new temp file beside ``path``, open and locked (so cleaners see a live write)."""
    while True:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        if fcntl is None:
            return fd, tmp
        fcntl.flock(fd, fcntl.LOCK_EX)
        # A cleaner may have taken the file between mkstemp and flock: then it is unlinked.
        if os.fstat(fd).st_nlink > 0:
            return fd, tmp
        os.close(fd)


def is_dead_write(candidate: Path) -> bool | None:
    """Whether a temp file of :func:`written_whole` belongs to a killed write.

    A live write holds an exclusive lock on its temp file, and the kernel drops the locks of a
    killed process, so a temp file that can be locked is a dead write's. None where there are
    no file locks (the caller decides by age).
    """
    if fcntl is None:
        return None
    fd = os.open(candidate, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # a write in progress
    finally:
        os.close(fd)
    return True


# What a path that is not a regular file is, for the one-line refusals.
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def open_regular(path: Path | str, what: str) -> BinaryIO:
    """``path`` open for reading, once it is a regular file; else a one-line NetmorphError.

    Opened without blocking and checked on the open descriptor, so a named pipe is refused at
    once instead of waiting forever for a writer (and a path swapped after a check cannot slip
    through). ``what`` names the file in errors: ``no such CSV file x.csv: check the path``.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise NetmorphError(f"no such {what} {path}: check the path") from None
    except OSError as error:
        raise NetmorphError(f"cannot read {what} {path}: {error.strerror}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = next((name for test, name in _KINDS if test(mode)), "not a file")
        raise NetmorphError(f"{what} {path} is {kind}, not a regular file: give the path of a file")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def unwritable_reason(folder: Path | str) -> str | None:
    """Why files cannot be created in ``folder`` (or in the folders that would be made for it),
    or None when they can. Creates nothing that stays.

    An existing folder is proved writable by creating and removing a temp file (``os.access``
    is wrong for root and for network file systems); a missing one needs its nearest existing
    parent to be a writable folder.
    """
    folder = Path(folder)
    existing = next((p for p in (folder, *folder.absolute().parents) if p.exists()), None)
    if existing is None:  # pragma: no cover - the root always exists
        return None
    if not existing.is_dir():
        return "is a file, not a folder" if existing == folder else f"{existing} is a file"
    try:
        fd, probe = tempfile.mkstemp(prefix=".write-test.", dir=existing)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return reason if existing == folder else f"{reason} in {existing}"
    os.close(fd)
    os.unlink(probe)
    return None
