"""User mistakes: the one exception type, and how entry points report one (one line, exit 2)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager


class NetmorphError(ValueError):
    """A user mistake (bad argument, bad file) with a message that names the fix.

    Command lines print it as one line and exit with status 2, without a traceback.
    """


@contextmanager
def user_errors(prog: str = "netmorph") -> Iterator[None]:
    """Turn a :class:`NetmorphError` into one line on stderr and ``SystemExit(2)``.

    ``SystemExit`` is not an ``Exception``, so it also passes through Manim's render loop, which
    would otherwise print a full traceback for a user's mistake.
    """
    try:
        yield
    except NetmorphError as error:
        print(f"{prog}: error: {error}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None


class OneLineParser(argparse.ArgumentParser):
    """argparse whose usage errors raise :class:`NetmorphError` (parse inside user_errors)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise NetmorphError(f"{message} (see --help)")
