"""The one exception type for user mistakes."""

from __future__ import annotations


class NetmorphError(ValueError):
    """A user mistake (bad argument, bad file) with a message that names the fix.

    Command lines print it as one line and exit with status 2, without a traceback.
    """
