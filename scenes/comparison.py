"""ReLU, tanh and GELU networks on the same data, side by side, step by step in lockstep.

All panels are drawn to one scale at every moment (the largest picture fills its panel), so a
layer that shrinks the plane looks smaller than one that does not. The video stops at the
activation stage where the panels' pictures differ most (see :mod:`model.panels`) and ends on each
network's input plane shaded by its decision.

Examples::

    manim -qh scenes/comparison.py ActivationComparison
    manim -ql --save_sections scenes/comparison.py ActivationComparison   # one clip per step
"""

from __future__ import annotations

from pathlib import Path

from manim import DOWN, Animation, Text, VGroup, config, smooth

from model.activations import check_activation
from model.cli import user_errors
from model.panels import SharedFraming, most_different_stage, panel_row, safe_area
from model.pipeline import Morph, prepare
from model.trace import Stage
from scenes import style
from scenes.animations import CrossFade, MorphPicture
from scenes.base import FastScene
from scenes.replay import accuracy_text

TITLE_BAND = 1.25  # scene units of the safe area above the panels: step title, panel names
PANEL_TITLE_GAP = 0.3  # scene units between a panel's top and its name's centre


class FollowPanels(Animation):
    """Move every panel's picture through one step at once, all at the common scale."""

    def __init__(self, pictures: list[MorphPicture], framing: SharedFraming, step: int, **kwargs):
        self.pictures = pictures
        self.framing = framing
        self.step = step
        super().__init__(VGroup(*pictures), **kwargs)

    def create_starting_mobject(self):
        return self.mobject  # every frame comes from the paths, never from a copy

    def interpolate_mobject(self, alpha: float) -> None:
        frames = self.framing.frames_at(self.step, self.rate_func(alpha))
        for picture, frame in zip(self.pictures, frames):
            picture.show(*frame)


class ActivationComparison(FastScene):
    """One panel per activation; every panel moves through the same step at the same time."""

    activations: tuple[str, ...] = ("relu", "tanh", "gelu")  # one panel each
    affine_path: str = "polar"
    morph_seconds: float = style.MORPH  # each step's morph
    hold_seconds: float = style.HOLD_STEP  # each stage held after its morph
    end_hold_seconds: float = 3.0  # the stage where the panels differ most, held
    title_fade_seconds: float = style.LABEL_SWAP / 2  # a step's title fades out before the next

    def setup(self) -> None:
        areas = panel_row(len(self.activations), top=TITLE_BAND)
        with user_errors():
            self.morphs: list[Morph] = [
                prepare(
                    self.config_for(name),
                    Path(config.media_dir) / "checkpoints",
                    area=area,
                    affine_path=self.affine_path,
                )
                for name, area in zip(self.activations, areas)
            ]
        paths = [m.path for m in self.morphs]
        self.framing = SharedFraming(paths)
        # The classes and grid are the same points in every panel; boundaries are each network's.
        layout = self.morphs[0].layout
        rows = slice(layout.classes[0].start, layout.grid.stop)
        kinds = [stage.step.kind for stage in self.morphs[0].stages]
        self.end_stage = most_different_stage(paths, rows, kinds=kinds, among=("activation",))

    def construct(self) -> None:
        morphs, framing = self.morphs, self.framing
        starts = framing.frames_at(0, 0.0)
        pictures = [MorphPicture(m.layout, *frame) for m, frame in zip(morphs, starts)]
        # 1. One named panel per activation, all on the same input, all to one scale.
        for name, morph in zip(self.activations, morphs):
            self.add(self.get_panel_title(name, morph))
        self.titles = VGroup()  # beneath the panels, so Manim does not redraw it on every frame
        self.add(self.titles, *pictures)
        self.next_section("input")
        self.show_title(0)
        self.wait(style.HOLD_INPUT)

        # 2. The same step in every panel at once, up to the stage where they differ most.
        for step in range(1, self.end_stage + 1):
            self.hide_title()
            self.next_section(self.step_name(step))
            self.show_title(step)
            self.play(
                FollowPanels(pictures, framing, step, rate_func=smooth),
                run_time=self.morph_seconds,
            )
            self.wait(self.end_hold_seconds if step == self.end_stage else self.hold_seconds)

    # -- titles: one at a time, the old one gone before the new one appears -------------------

    def show_title(self, step: int) -> None:
        """Put stage ``step``'s title on screen at once (so its section opens with it)."""
        self.title = self.get_title(step)
        self.titles.add(self.title)

    def hide_title(self) -> None:
        """Fade the current title out completely."""
        self.play(CrossFade(self.titles, self.title, VGroup()), run_time=self.title_fade_seconds)
        self.titles.remove(self.title)

    def step_name(self, step: int) -> str:
        """A section name shared by all panels (activation steps differ only in σ)."""
        stage = self.morphs[0].stages[step]
        if stage.step.kind == "activation":
            return f"activation{stage.step.name.lstrip('abcdefghijklmnopqrstuvwxyz_')}"
        return stage.step.name

    def get_title(self, step: int) -> VGroup:
        """The step, worded for all panels, with a note on what the panels show."""
        stage = self.morphs[0].stages[step]
        lines = [self.get_text(self.step_text(stage), style.LABEL_FONT_SIZE - 6, style.LABEL_COLOR)]
        note = self.step_note(step)
        if note:
            lines.append(self.get_text(note, style.NOTE_FONT_SIZE - 2, style.NOTE_COLOR))
        top = safe_area().center[1] + safe_area().height / 2
        return VGroup(*lines).arrange(DOWN, buff=0.08).next_to((0, top, 0), DOWN, buff=0)

    def step_text(self, stage: Stage) -> str:
        if stage.step.kind == "activation":
            return "σ(z): each panel's own activation"
        if stage.step.kind == "softmax":
            accuracies = " · ".join(accuracy_text(m.accuracy) for m in self.morphs)
            return f"softmax · training accuracy {accuracies}"
        if stage.step.kind == "input":
            return f"input: {self.morphs[0].dataset.description}"
        return stage.step.label

    def step_note(self, step: int) -> str:
        if step == 0:
            return "one network per activation, every panel drawn to the same scale"
        if step == self.end_stage:
            return "where the activations' pictures differ most"
        return ""

    def get_panel_title(self, name: str, morph: Morph) -> Text:
        act = check_activation(name)
        text = act.formula if act.formula.startswith(act.label) else f"{act.label}: {act.formula}"
        area = morph.path.area
        top = area.center[1] + area.height / 2
        return self.get_text(text, style.NOTE_FONT_SIZE + 4, style.LABEL_COLOR).move_to(
            (area.center[0], top + PANEL_TITLE_GAP, 0)
        )

    def get_text(self, text: str, size: float, color: str) -> Text:
        return Text(text, font=style.FONT, font_size=size, color=color)
