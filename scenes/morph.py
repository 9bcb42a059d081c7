"""One video per activation: the recipe's network morphing two concentric circles.

Examples::

    manim -qh scenes/morph.py ReluMorph                 # 1080p60 MP4
    manim -qm --format gif scenes/morph.py TanhMorph    # 30 fps GIF
    manim -qh -a scenes/morph.py                        # every activation
    manim -ql -s scenes/morph.py GeluMorph              # last frame (softmax) as PNG
    manim -qh --save_sections scenes/morph.py ReluMorph # one clip per step

A new video is a subclass: ``class Mine(MorphScene): activation = "tanh"; hidden = (3, 5, 3)``.
"""

from __future__ import annotations

from scenes.kit.morph_scene import MorphScene

__all__ = ["MorphScene"]


class ReluMorph(MorphScene):
    activation = "relu"


class TanhMorph(MorphScene):
    activation = "tanh"


class GeluMorph(MorphScene):
    activation = "gelu"


class SigmoidMorph(MorphScene):
    activation = "sigmoid"


class LeakyReluMorph(MorphScene):
    activation = "leaky_relu"


class SiluMorph(MorphScene):
    activation = "silu"


class ReluTanhMorph(MorphScene):
    """The recipe post's thumbnail: ReLU in the first activated layer, tanh in the second."""

    activation = ("relu", "tanh")
