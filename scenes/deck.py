"""``python -m scenes.deck``, the command's first name: it runs :mod:`scenes.kit.deck`."""

from __future__ import annotations

import sys

from scenes.kit.deck import main

if __name__ == "__main__":
    sys.exit(main())
