"""The files a user hands to ``manim``; what they are built from lives in :mod:`scenes.kit`."""
