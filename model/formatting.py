"""Numbers as the screen and the command line show them: an accuracy is never rounded up.

Examples::

    format_percent(0.998)   # '99.8 %'
    format_percent(0.9996)  # '99.9 %', not '100 %'
    format_percent(1.0)     # '100 %'
"""

from __future__ import annotations

import math

# A ratio such as 499/500 is stored as 0.998 but multiplies out to 99.79999…: forgive that much
# before flooring, far below any real difference of one point in a million.
_SLACK = 1e-9


def format_percent(fraction: float, decimals: int = 1) -> str:
    """``fraction`` (0..1) as a percentage floored to ``decimals`` places: ``'99.8 %'``.

    Whole percentages drop the decimals (``'100 %'``, ``'50 %'``), so "100 %" appears only when
    every point is right; a value that is not finite is shown as ``'n/a'``.
    """
    if not math.isfinite(fraction):
        return "n/a"
    scale = 10**decimals
    floored = math.floor(fraction * 100 * scale + _SLACK) / scale
    if floored == int(floored):
        return f"{int(floored)} %"
    return f"{floored:.{decimals}f} %"
