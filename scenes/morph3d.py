"""The hidden space in true 3-D: the camera orbits each network's hidden layers.

ReLU folds the plane onto the walls of the positive octant, tanh bends it into the cube [−1, 1]³.

The camera starts face-on on the input, tilts as the first layer lifts the plane into 3-D, then
orbits 60–90° through every hidden layer and ends on the last one, seen from where the read-out's
separating plane is edge-on: the two classes on the two sides of the gold boundary.

Examples::

    manim -qh scenes/morph3d.py ReluMorph3D
    manim -ql -s scenes/morph3d.py ReluMorph3D     # the last hidden stage as a PNG
    manim -qh -a scenes/morph3d.py                 # every 3-D scene

A new 3-D video is a subclass: ``class Mine(MorphScene3D): activation = "sigmoid"``.
"""

from __future__ import annotations

from scenes.kit.morph_scene_3d import MorphScene3D

__all__ = ["MorphScene3D"]


class ReluMorph3D(MorphScene3D):
    activation = "relu"


class TanhMorph3D(MorphScene3D):
    activation = "tanh"


class GeluMorph3D(MorphScene3D):
    activation = "gelu"
