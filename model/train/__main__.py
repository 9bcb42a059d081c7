"""``python -m model.train``: the same command as ``netmorph train`` (model.train.command)."""

from __future__ import annotations

import sys

from model.train.command import main

if __name__ == "__main__":  # runpy runs this file once, as __main__; nothing imports it
    sys.exit(main())
