"""Manim's own start-up: one frame of nothing, in a file that imports only manim.

The floor the renders are measured against starts here, so nothing of netmorph (nor torch) may be
imported by this file.
"""

from __future__ import annotations

from manim import Scene, config


class Startup(Scene):
    """One frame of nothing: Manim's own start-up, one frame and teardown."""

    def construct(self) -> None:
        self.wait(1 / config.frame_rate)
