"""ReLU, tanh and GELU networks on the same data, side by side, step by step in lockstep.

Examples::

    manim -qh scenes/comparison.py ActivationComparison
    manim -ql -s scenes/comparison.py ActivationComparison   # the softmax stage of all three
"""

from __future__ import annotations

from manim import UP, Text, VGroup, config, smooth

from model.activations import check_activation
from model.cli import user_errors
from model.formatting import format_percent
from model.pipeline import Morph, prepare
from model.view import Area
from scenes import style
from scenes.animations import CrossFade, FollowPath, MorphPicture
from scenes.base import FastScene

PANEL_GAP = 0.3  # scene units between panels


class ActivationComparison(FastScene):
    """One panel per activation; every panel moves through the same step at the same time."""

    activations: tuple[str, ...] = ("relu", "tanh", "gelu")  # one panel each
    affine_path: str = "polar"

    def setup(self) -> None:
        super().setup()
        n = len(self.activations)
        width = (config.frame_width - PANEL_GAP * (n + 1)) / n
        left = -config.frame_width / 2 + PANEL_GAP + width / 2  # first panel's centre
        with user_errors():
            self.morphs: list[Morph] = [
                prepare(
                    self.config_for(name),
                    self.cache_dir,
                    area=Area(
                        center=(left + i * (width + PANEL_GAP), -0.55), width=width, height=5.6
                    ),
                    affine_path=self.affine_path,
                )
                for i, name in enumerate(self.activations)
            ]

    def construct(self) -> None:
        morphs = self.morphs
        pictures = [MorphPicture(m.layout, m.path.frame_at(0, 0.0), self.colors) for m in morphs]
        # 1. One titled panel per activation, all on the same input.
        for name, morph in zip(self.activations, morphs):
            title = Text(
                check_activation(name).label,
                font=style.FONT,
                font_size=style.NOTE_FONT_SIZE + 6,
                color=style.LABEL_COLOR,
            ).move_to((morph.path.area.center[0], 2.75, 0))
            self.add(title)
        labels = VGroup()  # beneath the panels, so Manim does not redraw it on every frame
        self.add(labels, *pictures)
        self.next_section("input")
        label = self.get_label(0)
        labels.add(label)
        self.wait(style.HOLD_INPUT)

        # 2. The same step in every panel at once.
        for step in range(1, morphs[0].path.n_steps + 1):
            self.next_section(self.step_name(step))
            new_label = self.get_label(step)
            labels.add(new_label)
            self.play(CrossFade(labels, label, new_label), run_time=style.LABEL_SWAP)
            labels.remove(label)
            label = new_label
            self.play(
                *(
                    FollowPath(picture, morph.path, step, rate_func=smooth)
                    for picture, morph in zip(pictures, morphs)
                ),
                run_time=style.MORPH,
            )
            self.wait(style.HOLD_END if step == morphs[0].path.n_steps else style.HOLD_STEP)

    def step_name(self, step: int) -> str:
        """A section name shared by all panels (activation steps differ only in σ)."""
        stage = self.morphs[0].stages[step]
        if stage.step.kind == "activation":
            return f"activation{stage.step.name.lstrip('abcdefghijklmnopqrstuvwxyz_')}"
        return stage.step.name

    def get_label(self, step: int) -> VGroup:
        """The step, worded for all panels: an activation step is σ, each panel's own."""
        stage = self.morphs[0].stages[step]
        if stage.step.kind == "activation":
            text = "σ(z): each panel's activation"
        elif stage.step.kind == "softmax":
            accuracies = " · ".join(format_percent(m.accuracy) for m in self.morphs)
            text = f"softmax · training accuracy {accuracies}"
        else:
            text = stage.step.label
        return VGroup(
            Text(
                text, font=style.FONT, font_size=style.LABEL_FONT_SIZE - 4, color=style.LABEL_COLOR
            )
        ).to_edge(UP, buff=style.LABEL_TOP_BUFF)
