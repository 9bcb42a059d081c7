"""Training over time: the decision boundary in input space and the last hidden picture, from
the untrained network to the fitted one, with the step count and accuracy on screen.

Examples::

    manim -qh scenes/training.py ReluTraining
    manim -ql -a scenes/training.py

Another activation is a subclass: ``class GeluTraining(TrainingScene): activation = "gelu"``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from manim import UP, Animation, Scene, Text, VGroup, config, linear

from model.cli import user_errors
from model.defaults import default_config
from model.film import TrainingFilm, training_film
from model.view import Area
from scenes import style
from scenes.camera import FastCamera
from scenes.mobjects import DotCloud, Polylines

LEFT_AREA = Area(center=(-3.55, -0.6), width=6.3, height=5.6)  # input space
RIGHT_AREA = Area(center=(3.55, -0.6), width=6.3, height=5.6)  # the last hidden picture


class Panel(VGroup):
    """A grid and one dot cloud per class, positioned from one (n, 3) array."""

    def __init__(self, sizes: tuple[int, ...], grid_shape: tuple[int, int], positions) -> None:
        self.ends = np.cumsum(sizes)
        self.grid_shape = grid_shape
        classes, grid = self._split(positions)
        self.grid = Polylines(grid, style.GRID_COLOR, style.GRID_WIDTH, style.GRID_OPACITY)
        self.clouds = [
            DotCloud(points, style.DOT_RADIUS, color, style.CLASS_OPACITY)
            for points, color in zip(classes, style.CLASS_COLORS)
        ]
        super().__init__(self.grid, *self.clouds)

    def _split(self, positions: np.ndarray):
        parts = np.split(positions, self.ends[:-1])
        return parts[:-1], parts[-1].reshape(*self.grid_shape, 3)

    def show(self, positions: np.ndarray) -> Panel:
        classes, grid = self._split(positions)
        self.grid.move_to_positions(grid)
        for cloud, points in zip(self.clouds, classes):
            cloud.move_to_positions(points)
        return self


class ReplayTraining(Animation):
    """Move through every snapshot: the hidden picture morphs, boundary and counter follow."""

    def __init__(self, scene: TrainingScene, **kwargs) -> None:
        self.scene = scene
        super().__init__(VGroup(scene.hidden_panel, scene.boundary, scene.counter), **kwargs)

    def create_starting_mobject(self):
        return self.mobject  # every frame comes from the film, never from a copy

    def interpolate_mobject(self, alpha: float) -> None:
        film = self.scene.film
        position = self.rate_func(alpha) * (len(film.steps) - 1)
        step = min(int(position) + 1, len(film.steps) - 1)
        t = position - (step - 1)
        self.scene.hidden_panel.show(film.hidden.scene_at(step, t))
        self.scene.show_snapshot(step if t >= 0.5 else step - 1)


class TrainingScene(Scene):
    """Training replayed from its snapshots; subclasses choose the network."""

    activation: str | tuple[str, ...] = "relu"
    dataset: str = "circles"
    hidden: tuple[int, ...] | None = None  # None: the dataset's default
    seed: int = 0
    snapshot_every: int = 5  # optimiser steps between snapshots
    replay_seconds: float = 8.0  # how long the whole training takes on screen

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("camera_class", FastCamera)
        super().__init__(**kwargs)

    def setup(self) -> None:
        with user_errors():
            widths = {} if self.hidden is None else {"hidden": tuple(self.hidden)}
            self.film: TrainingFilm = training_film(
                default_config(
                    self.dataset,
                    self.activation,
                    seed=self.seed,
                    snapshot_every=self.snapshot_every,
                    **widths,
                ),
                Path(config.media_dir) / "checkpoints",
                RIGHT_AREA,
            )
        self.shown = -1

    def construct(self) -> None:
        film = self.film
        # 1. Input space on the left (fixed), the last hidden picture on the right.
        self.input_fit = film.input_fit(LEFT_AREA)
        input_panel = Panel(film.layout_sizes, film.grid_shape, self.input_fit(film.points))
        self.hidden_panel = Panel(film.layout_sizes, film.grid_shape, film.hidden.scene_at(0, 0.0))
        self.boundary = Polylines([], style.BOUNDARY_COLOR, style.BOUNDARY_WIDTH)
        self.counter = VGroup()
        titles = VGroup(
            self.get_text("input space", style.NOTE_FONT_SIZE + 4).move_to((-3.55, 2.75, 0)),
            self.get_text(film.hidden_label, style.NOTE_FONT_SIZE + 4).move_to((3.55, 2.75, 0)),
        )
        self.add(input_panel, self.hidden_panel, self.boundary, titles, self.counter)
        self.show_snapshot(0)
        self.wait(style.HOLD_INPUT)

        # 2. Training, snapshot by snapshot, to the fitted network.
        self.play(ReplayTraining(self, rate_func=linear), run_time=self.replay_seconds)
        self.wait(style.HOLD_END)

    def show_snapshot(self, k: int) -> None:
        """The boundary and counter of snapshot ``k``."""
        if k == self.shown:
            return
        self.shown = k
        film = self.film
        self.boundary.move_to_positions([self.input_fit(curve) for curve in film.boundaries[k]])
        text = f"step {film.steps[k]} · training accuracy {film.accuracies[k]:.0%}"
        self.counter.become(
            self.get_text(text, style.LABEL_FONT_SIZE - 4).to_edge(UP, buff=style.LABEL_TOP_BUFF)
        )

    def get_text(self, text: str, size: float) -> Text:
        return Text(text, font=style.FONT, font_size=size, color=style.LABEL_COLOR)


class ReluTraining(TrainingScene):
    activation = "relu"
