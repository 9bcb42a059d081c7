"""Training over time: input-space boundary and last hidden picture, from untrained to fitted.

The iteration count and training accuracy are on screen throughout.

Examples::

    manim -qh scenes/training.py ReluTraining
    manim -ql -a scenes/training.py

Another activation is a subclass: ``class GeluTraining(TrainingScene): activation = "gelu"``.
"""

from __future__ import annotations

from scenes.kit.training_scene import TrainingScene

__all__ = ["TrainingScene"]


class ReluTraining(TrainingScene):
    activation = "relu"
