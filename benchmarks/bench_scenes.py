"""Scenes used only by the benchmark: denser variants of ReluMorph, and the naive way.

Manim's start-up is :mod:`benchmarks.empty_scene`, which imports only manim.

The naive scene draws the same kind of video the way tutorials and existing neural-network morph
scenes do: one ``Dot`` per point, a ``NumberPlane`` for the grid, and one
``ApplyPointwiseFunction`` per step. Its network has 2-wide hidden layers so that every step is a
function of the drawn 2-D position (the recipe's 3-wide stages are not); the arithmetic per point
is the same, only the way of drawing differs.
"""

from __future__ import annotations

import numpy as np
import torch
from manim import (
    ApplyPointwiseFunction,
    Dot,
    FadeIn,
    FadeOut,
    NumberPlane,
    Scene,
    Text,
    VGroup,
    config,
)

from model.data.registry import load_dataset
from model.network.config import Config
from model.train.checkpoints import cache_dir_in, load_or_train
from scenes.kit import style
from scenes.morph import ReluMorph

# Best effort: a 2-wide network may not reach 100 %, and the drawing cost does not care.
NAIVE_CONFIG = Config(activation="tanh", hidden=(2, 2, 2), best_effort=True, rounds=1)


class ReluMorphX4(ReluMorph):
    density = 4


class ReluMorphX16(ReluMorph):
    density = 16


class NaiveMorph(Scene):
    """The naive way: thousands of ``Dot`` mobjects and a ``NumberPlane``."""

    def construct(self) -> None:
        data = load_dataset(NAIVE_CONFIG.dataset)
        trained, _ = load_or_train(NAIVE_CONFIG, cache_dir_in(config.media_dir))
        scale = 2.5  # data units -> scene units, fixed: the naive way does not refit
        plane = NumberPlane(
            x_range=(-1.5, 1.5, 0.1), y_range=(-1.5, 1.5, 0.1), x_length=7.5, y_length=7.5
        ).prepare_for_nonlinear_transform()
        dots = VGroup(
            *(
                Dot(np.r_[p * scale, 0], radius=style.DOT_RADIUS, color=color)
                for points, color in zip(data.x_plot, style.CLASS_COLORS)
                for p in points
            )
        )
        label = Text("input", font_size=style.LABEL_FONT_SIZE).to_edge(np.array([0, 1, 0]))
        self.add(plane, dots, label)
        self.wait(style.HOLD_INPUT)
        for i, layer in enumerate(trained.module):
            new_label = Text(f"step {i + 1}", font_size=style.LABEL_FONT_SIZE).move_to(label)
            self.play(FadeOut(label), FadeIn(new_label), run_time=style.LABEL_SWAP)
            label = new_label
            self.play(
                ApplyPointwiseFunction(_pointwise(layer, scale), VGroup(plane, dots)),
                run_time=style.MORPH,
            )
            self.wait(style.HOLD_STEP)
        # The softmax stage's hold, as ours ends: only the part the last step's hold did not cover.
        if style.HOLD_END > style.HOLD_STEP:
            self.wait(style.HOLD_END - style.HOLD_STEP)


def _pointwise(layer: torch.nn.Module, scale: float):
    """The step as a numpy function of one drawn point, as ApplyPointwiseFunction wants it."""
    if isinstance(layer, torch.nn.Linear):
        w = layer.weight.detach().double().numpy()
        b = layer.bias.detach().double().numpy()

        def layer_map(z):
            return w @ z + b
    elif isinstance(layer, torch.nn.Softmax):

        def layer_map(z):
            e = np.exp(z - z.max())
            return e / e.sum()
    else:

        def layer_map(z):
            return layer(torch.as_tensor(z)).numpy()

    def apply(point: np.ndarray) -> np.ndarray:
        return np.r_[layer_map(point[:2] / scale) * scale, 0.0]

    return apply
