"""The hidden space in true 3-D: ReLU folds the plane onto the positive octant, tanh twists it.

Examples::

    manim -qh scenes/morph3d.py ReluMorph3D
    manim -ql -s scenes/morph3d.py ReluMorph3D     # the folded picture as a PNG
    manim -qh -a scenes/morph3d.py                 # every 3-D scene

A new 3-D video is a subclass: ``class Mine(MorphScene3D): activation = "gelu"``.
"""

from __future__ import annotations

from scenes.base3d import MorphScene3D

__all__ = ["MorphScene3D"]


class ReluMorph3D(MorphScene3D):
    activation = "relu"


class TanhMorph3D(MorphScene3D):
    activation = "tanh"


class GeluMorph3D(MorphScene3D):
    activation = "gelu"
