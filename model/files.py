"""Files written whole or not at all: a locked temp file beside the target, then one rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO

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
            self.file.close()
            if not renamed:
                Path(self.tmp).unlink(missing_ok=True)


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
