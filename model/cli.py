"""How every netmorph entry point reports a user mistake: one line, exit status 2."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from model.errors import NetmorphError


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
