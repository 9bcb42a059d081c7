"""``python -m scenes.gif``, the command's first name: it runs :mod:`scenes.kit.gif`."""

from __future__ import annotations

import sys

from scenes.kit.gif import main

if __name__ == "__main__":
    sys.exit(main())
