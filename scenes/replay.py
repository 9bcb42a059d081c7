"""Training replayed from its snapshots: the base of the training-over-time scenes.

Kept apart from :mod:`scenes.training` so ``manim -a scenes/training.py`` renders only the named
scenes, not this base.
"""

from __future__ import annotations

from manim import UP, Animation, Text, VGroup, linear

from model.cli import user_errors
from model.film import TrainingFilm, training_film
from model.formatting import format_percent
from model.view import Area, Frame
from scenes import style
from scenes.animations import MorphPicture
from scenes.base import FastScene
from scenes.mobjects import Polylines

LEFT_AREA = Area(center=(-3.55, -0.6), width=6.3, height=5.6)  # input space
RIGHT_AREA = Area(center=(3.55, -0.6), width=6.3, height=5.6)  # the last hidden picture


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
        self.scene.hidden_panel.show(Frame.bare(film.hidden.scene_at(step, t)))
        self.scene.show_snapshot(step if t >= 0.5 else step - 1)


class TrainingScene(FastScene):
    """Training replayed from its snapshots; subclasses choose the network."""

    activation: str | tuple[str, ...] = "relu"
    snapshot_every: int = 5  # optimiser steps between snapshots
    replay_seconds: float = 8.0  # how long the whole training takes on screen

    def setup(self) -> None:
        super().setup()
        with user_errors():
            self.film: TrainingFilm = training_film(
                self.config_for(self.activation, snapshot_every=self.snapshot_every),
                self.cache_dir,
                RIGHT_AREA,
            )
        self.shown = -1

    def construct(self) -> None:
        film = self.film
        # 1. Input space on the left (fixed), the last hidden picture on the right.
        self.input_fit = film.input_fit(LEFT_AREA)
        input_panel = MorphPicture(
            film.layout, Frame.bare(self.input_fit(film.points)), self.colors
        )
        self.hidden_panel = MorphPicture(
            film.layout, Frame.bare(film.hidden.scene_at(0, 0.0)), self.colors
        )
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
        text = f"step {film.steps[k]} · training accuracy {format_percent(film.accuracies[k])}"
        self.counter.become(
            self.get_text(text, style.LABEL_FONT_SIZE - 4).to_edge(UP, buff=style.LABEL_TOP_BUFF)
        )

    def get_text(self, text: str, size: float) -> Text:
        return Text(text, font=style.FONT, font_size=size, color=style.LABEL_COLOR)
