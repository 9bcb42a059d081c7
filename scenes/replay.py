"""Training replayed from its snapshots: the base of the training-over-time scenes.

Kept apart from :mod:`scenes.training` so ``manim -a scenes/training.py`` renders only the named
scenes, not this base.
"""

from __future__ import annotations

import math
from pathlib import Path

from manim import DOWN, Animation, Text, VGroup, config, linear

from model.cli import user_errors
from model.film import TrainingFilm, training_film
from model.panels import panel_row, safe_area
from scenes import style
from scenes.animations import MorphPicture
from scenes.base import FastScene
from scenes.mobjects import Polylines

TITLE_BAND = 1.25  # scene units of the safe area above the panels: counter, panel titles
PANEL_TITLE_GAP = 0.35  # scene units between a panel's top and its title's centre
VIEW_WORDS = {  # what a 2-D view of a wider layer draws, said under the panel's title
    "first2": "coordinates 1–2 drawn",
    "pca": "2 aligned principal axes drawn",
}


def accuracy_text(accuracy: float) -> str:
    """``accuracy`` (0..1) as a percentage that is never rounded up: 0.998 → "99.8%"."""
    tenths = math.floor(round(accuracy * 1000, 6))  # round() first: 0.29 * 1000 = 289.999…
    return "100%" if tenths >= 1000 else f"{tenths / 10:.1f}%"


class ReplayTraining(Animation):
    """Move through every snapshot: the hidden picture morphs, boundary and counter follow.

    Screen time is spent where accuracy or loss change (:meth:`TrainingFilm.position_at`).
    """

    def __init__(self, scene: TrainingScene, **kwargs) -> None:
        self.scene = scene
        super().__init__(VGroup(scene.hidden_panel, scene.boundary, scene.counter), **kwargs)

    def create_starting_mobject(self):
        return self.mobject  # every frame comes from the film, never from a copy

    def interpolate_mobject(self, alpha: float) -> None:
        film = self.scene.film
        position = self.rate_func(alpha)
        self.scene.hidden_panel.show(film.hidden.scene_at(*film.position_at(position)), None)
        self.scene.show_snapshot(film.snapshot_at(position))


class TrainingScene(FastScene):
    """Training replayed from its snapshots; subclasses choose the network."""

    activation: str | tuple[str, ...] = "relu"
    snapshot_every: int = 2  # optimiser steps between snapshots
    replay_seconds: float = 8.0  # how long the whole training takes on screen

    def setup(self) -> None:
        self.input_area, self.hidden_area = panel_row(2, top=TITLE_BAND)
        with user_errors():
            self.film: TrainingFilm = training_film(
                self.config_for(self.activation, snapshot_every=self.snapshot_every),
                Path(config.media_dir) / "checkpoints",
                self.hidden_area,
            )
        self.shown = -1

    def construct(self) -> None:
        film = self.film
        # 1. Input space on the left (fixed), the last hidden layer's picture on the right.
        self.input_fit = film.input_fit(self.input_area)
        input_panel = MorphPicture(film.layout, self.input_fit(film.points), None)
        self.hidden_panel = MorphPicture(film.layout, film.hidden.scene_at(0, 0.0), None)
        self.boundary = Polylines([], style.BOUNDARY_COLOR, style.BOUNDARY_WIDTH)
        self.counter = VGroup()
        titles = VGroup(
            self.get_panel_title("input space", "the decision boundary in gold", self.input_area),
            self.get_panel_title(film.hidden_label, self.hidden_note(), self.hidden_area),
        )
        self.add(input_panel, self.hidden_panel, self.boundary, titles, self.counter)
        self.show_snapshot(0)
        self.wait(style.HOLD_INPUT)

        # 2. Training, snapshot by snapshot, to the fitted network.
        self.play(ReplayTraining(self, rate_func=linear), run_time=self.replay_seconds)
        self.wait(style.HOLD_END)

    def hidden_note(self) -> str:
        """What the hidden panel draws of its layer."""
        width, view = self.film.hidden_width, self.film.hidden.view
        if width <= 2:
            return f"{width} units"
        return f"{width} units · {VIEW_WORDS.get(view, view + ' view')}"

    def show_snapshot(self, k: int) -> None:
        """The boundary and counter of snapshot ``k``."""
        if k == self.shown:
            return
        self.shown = k
        film = self.film
        self.boundary.move_to_positions([self.input_fit(curve) for curve in film.boundaries[k]])
        text = f"step {film.steps[k]} · training accuracy {accuracy_text(film.accuracies[k])}"
        top = safe_area().center[1] + safe_area().height / 2
        counter = self.get_text(text, style.LABEL_FONT_SIZE - 6, style.LABEL_COLOR)
        self.counter.become(counter.next_to((0, top, 0), DOWN, buff=0))

    def get_panel_title(self, title: str, note: str, area) -> VGroup:
        """A panel's title with a one-line note, centred above the panel."""
        group = VGroup(
            self.get_text(title, style.NOTE_FONT_SIZE + 2, style.LABEL_COLOR),
            self.get_text(note, style.NOTE_FONT_SIZE - 4, style.NOTE_COLOR),
        ).arrange(DOWN, buff=0.06)
        top = area.center[1] + area.height / 2
        return group.move_to((area.center[0], top + PANEL_TITLE_GAP, 0))

    def get_text(self, text: str, size: float, color: str) -> Text:
        return Text(text, font=style.FONT, font_size=size, color=color)
