"""Training over time: the decision boundary in input space and the last hidden picture, from
the untrained network to the fitted one, with the step count and accuracy on screen.

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
