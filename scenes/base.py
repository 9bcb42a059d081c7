"""The one parametrised scene: a trained network morphing the plane, step by step.

Subclass it and set class attributes to make a video (see :mod:`scenes.morph`)::

    from scenes.morph import MorphScene

    class WideTanh(MorphScene):
        activation = "tanh"
        hidden = (3, 5, 3)

then ``manim -qh my_scenes.py WideTanh``.
"""

from __future__ import annotations

from pathlib import Path

from manim import (
    DOWN,
    UP,
    BackgroundRectangle,
    Mobject,
    Scene,
    Text,
    VGroup,
    config,
    smooth,
)

from model.cli import user_errors
from model.config import Config
from model.defaults import default_config
from model.pipeline import Morph, prepare
from model.trace import Stage
from model.view import Area, Ball
from scenes import style
from scenes.animations import CrossFade, FollowPath, MorphPicture
from scenes.camera import FastCamera


class FastScene(Scene):
    """A scene drawn with :class:`FastCamera`, whose class attributes choose the data and network.

    The shared base of every netmorph scene: ``dataset``, ``hidden`` and ``seed`` here; each
    scene adds how many networks it shows and what it does with them.
    """

    dataset: str = "circles"  # circles, moons, spiral, xor, or a path to an x,y,label CSV
    hidden: tuple[int, ...] | None = None  # hidden widths; None: the dataset's default
    # (the recipe's 2→3→3→3→2 for circles, moons and xor)
    seed: int = 0  # first training seed tried
    camera_type: type = FastCamera  # a camera with one-pass dot clouds

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("camera_class", self.camera_type)
        super().__init__(**kwargs)

    def config_for(self, activation: str | tuple[str, ...], **fields) -> Config:
        """The :class:`Config` of a network with ``activation`` on this scene's data."""
        widths = {} if self.hidden is None else {"hidden": tuple(self.hidden)}
        return default_config(self.dataset, activation, seed=self.seed, **widths, **fields)


class MorphScene(FastScene):
    """Class-coloured points and a bending grid carried through every step of a network.

    Class attributes choose the network and the view; equal attributes give the same weights and
    frames. A render trains the network (about a second) or loads it from
    ``<media_dir>/checkpoints``.
    """

    activation: str | tuple[str, ...] = "relu"  # one name, or one per activated hidden layer
    view: str = "readout"  # "readout" (the read-out's axis), "first2" (the recipe's), "pca", "3d"
    affine_path: str = "polar"  # "polar" (turn + stretch, never flat) or "linear" (the recipe's)
    density: int = 1  # multiplies the plotted points and grid lines
    show_boundary: bool = True  # carry the 0.5-probability curve through every stage
    morph_seconds: float = style.MORPH  # each step's morph
    hold_seconds: float = style.HOLD_STEP  # each stage held after its morph
    label_seconds: float = style.LABEL_SWAP  # each label's cross-fade

    def network_config(self) -> Config:
        """The :class:`Config` these class attributes describe."""
        return self.config_for(self.activation)

    def setup(self) -> None:
        # A user's mistake (bad activation, widths, view…) ends the render with one line, exit 2,
        # before any frame is written.
        with user_errors():
            self.morph: Morph = prepare(
                self.network_config(),
                Path(config.media_dir) / "checkpoints",
                area=Ball() if self.view == "3d" else Area(),
                view=self.view,
                affine_path=self.affine_path,
                density=self.density,
                boundary=self.show_boundary,
            )

    def construct(self) -> None:
        path, stages = self.morph.path, self.morph.stages

        # 1. The input: two classes, the straight grid and the plane's axes.
        self.next_section("input")
        picture = MorphPicture(self.morph.layout, *path.frame_at(0, 0.0))
        # Labels live in one group beneath the picture: Manim redraws every mobject above a
        # moving one on each frame, so beneath it their glyphs are drawn once per morph.
        self.labels = VGroup()
        self.add(self.labels, picture)
        label = self.get_label(stages[0])
        self.add_label(label)
        self.wait(style.HOLD_INPUT)

        # 2. Every affine, activation and softmax step, one section each.
        last = self.last_step()
        for step in range(1, last + 1):
            self.next_section(stages[step].step.name)
            new_label = self.get_label(stages[step])
            self.swap_label(label, new_label)
            label = new_label
            self.play(
                FollowPath(picture, path, step, rate_func=smooth), run_time=self.morph_seconds
            )
            self.wait(style.HOLD_END if step == last else self.hold_seconds)

    def last_step(self) -> int:
        """The step the video ends on, held: softmax."""
        return self.morph.path.n_steps

    def add_label(self, label: Mobject) -> None:
        """Put a label on screen (the 3-D scene also pins it to the frame)."""
        self.labels.add(label)

    def swap_label(self, old: VGroup, new: VGroup) -> None:
        """Cross-fade from one step's label to the next."""
        self.add_label(new)
        self.play(CrossFade(self.labels, old, new), run_time=self.label_seconds)
        self.labels.remove(old)

    def get_label(self, stage: Stage) -> VGroup:
        """The step's name at the top, with a note on what the picture shows, on a dark plate."""
        lines = [
            Text(
                stage.step.label,
                font=style.FONT,
                font_size=style.LABEL_FONT_SIZE,
                color=style.LABEL_COLOR,
            )
        ]
        note = self.get_note(stage)
        if note:
            lines.append(
                Text(note, font=style.FONT, font_size=style.NOTE_FONT_SIZE, color=style.NOTE_COLOR)
            )
        text = VGroup(*lines).arrange(DOWN, buff=0.12)
        plate = BackgroundRectangle(
            text,
            color=style.LABEL_PLATE_COLOR,
            fill_opacity=style.LABEL_PLATE_OPACITY,
            buff=0.12,
            corner_radius=0.08,
        )
        return VGroup(plate, text).to_edge(UP, buff=style.LABEL_TOP_BUFF)

    def get_note(self, stage: Stage) -> str:
        """A one-line caption: the data, which coordinates are drawn, or the final accuracy."""
        if stage.step.kind == "softmax":
            return f"class probabilities · training accuracy {self.morph.accuracy:.0%}"
        if stage.step.kind == "input":
            return self.morph.dataset.description
        shown = {
            "first2": "coordinates 1–2",
            "pca": "2 aligned principal axes",
            "readout": "2 read-out axes",
            "3d": "3 aligned principal axes" if stage.width > 3 else "",
        }[self.view]
        if shown and stage.width > (3 if self.view == "3d" else 2):
            return f"showing {shown} of {stage.width}"
        return ""
