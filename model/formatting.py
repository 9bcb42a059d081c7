"""Numbers as the screen and the command line show them: never rounded up."""

from __future__ import annotations

import math


def format_percent(value: float, digits: int = 1) -> str:
    """``value`` (0..1) as a percentage rounded *down*: 0.998 is "99.8 %", never "100 %".

    Only an exact 1 reads "100 %", so a network that misses a single point never looks perfect.
    """
    scale = 10**digits
    floored = math.floor(value * 100 * scale + 1e-9) / scale
    text = f"{floored:.{digits}f}".rstrip("0").rstrip(".")
    return f"{text} %"
