"""The other built-in datasets, and a purely linear network failing on circles.

Examples::

    manim -qh scenes/datasets.py SpiralMorph
    manim -ql -a scenes/datasets.py

Your own points: ``class Mine(MorphScene): dataset = "points.csv"`` (columns x, y, label).
"""

from __future__ import annotations

from scenes.kit.morph_scene import MorphScene


class MoonsMorph(MorphScene):
    dataset = "moons"


class SpiralMorph(MorphScene):
    dataset = "spiral"
    activation = "tanh"


class XorMorph(MorphScene):
    dataset = "xor"


class LinearFails(MorphScene):
    """Identity activations: the network is one affine map and cannot separate the circles."""

    activation = "identity"


class Spiral3Morph(MorphScene):
    """Three classes: softmax lands on the probability triangle, each corner one arm."""

    dataset = "spiral3"
