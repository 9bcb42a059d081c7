"""``python -m model.train``: train (or load from the cache) a network and report on it."""

from __future__ import annotations

import sys

from model.train.trainer import main

sys.exit(main())
