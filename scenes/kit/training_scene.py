"""Training replayed from its snapshots: the base of the training-over-time scenes.

Kept apart from :mod:`scenes.training` so ``manim -a scenes/training.py`` renders only the named
scenes, not this base.
"""

from __future__ import annotations

from dataclasses import replace

from manim import DOWN, LEFT, Animation, VGroup, linear

from model.errors import user_errors
from model.film import TrainingFilm, training_film
from model.formatting import format_percent
from model.picture.layout import Layout
from model.picture.panels import Mark, marks, panel_row
from model.picture.view import Area, MorphTimeline
from scenes.kit import style
from scenes.kit.animations import MorphPicture, area_clip
from scenes.kit.mobjects import Polylines
from scenes.kit.morph_scene import VIEW_NOTES, NetmorphScene
from scenes.kit.overlays import ScaleBar, ScreenLayout, label, title_block
from scenes.kit.panel_overlays import MarkSlot, legend_row

TITLE_BAND = 1.4  # scene units of the safe area above the panels: counter, panel titles
BOTTOM_BAND = 0.5  # below the panels: the legend and the hidden panel's scale bar
PANEL_TITLE_GAP = 0.05  # scene units between a panel's top and its title
NAME_ROOM = 0.38  # scene units round each picture for its axes' names (x₁, h₂…)
BARE_ROOM = 0.12  # round a picture whose axes are not named


class ReplayTraining(Animation):
    """Move through every snapshot: the hidden picture morphs, boundary and counter follow.

    Screen time is spent where accuracy or loss change (:meth:`TrainingFilm.position_at`).
    """

    def __init__(self, scene: TrainingScene, **kwargs) -> None:
        self.scene = scene
        moving = VGroup(scene.hidden_panel, scene.boundary, scene.counter, *scene.slots)
        super().__init__(moving, **kwargs)

    def begin(self) -> None:
        # Every snapshot's counter and markers before the first frame: Pango text costs far more
        # than a frame. A skipped replay (-s) draws only its end, and makes only that.
        if not self.scene.renderer.skip_animations:
            self.scene.prepare_snapshots()
        super().begin()

    def create_starting_mobject(self):
        return self.mobject  # every frame comes from the film, never from a copy

    def interpolate_mobject(self, alpha: float) -> None:
        film = self.scene.film
        position = self.rate_func(alpha)
        self.scene.hidden_panel.display(film.hidden.frame_at(*film.position_at(position)))
        self.scene.show_snapshot(film.snapshot_at(position))


class TrainingScene(NetmorphScene):
    """Training replayed from its snapshots; subclasses choose the network."""

    activation: str | tuple[str, ...] = "relu"
    view: str = "readout"  # the hidden panel: "readout" (each snapshot's own), "first2", "pca"
    snapshot_every: int = 2  # optimiser steps between snapshots
    replay_seconds: float = 8.0  # how long the whole training takes on screen

    def setup(self) -> None:
        super().setup()
        self.screen_layout = ScreenLayout.of_frame(False)
        # The axes' names sit beyond their ends, outside the picture: room for them all round
        # (the readout pictures' axes have no names, so that panel needs little).
        self.pads = (NAME_ROOM, NAME_ROOM if self.view != "readout" else BARE_ROOM)
        self.input_area, self.hidden_area = (
            panel_row(2, top=TITLE_BAND, bottom=BOTTOM_BAND, gap=0, pad=pad)[i]
            for i, pad in enumerate(self.pads)
        )
        with user_errors():
            self.film: TrainingFilm = training_film(
                self.config_for(self.activation, snapshot_every=self.snapshot_every),
                self.cache_dir,
                self.hidden_area,
                view=self.view,
            )
        self.shown = -1

    def construct(self) -> None:
        film, theme = self.film, self.colors
        # 1. Input space on the left (fixed), the last hidden layer's picture on the right.
        self.input_path: MorphTimeline = film.input_path(self.input_area)
        input_panel = self.get_picture(self.input_path, film.layout, self.input_area)
        # The hidden picture is refitted as the weights grow: its scale bar says by how much.
        bar = ScaleBar(film.hidden.scale_range(), theme, self.bar_layout())
        self.hidden_panel = self.get_picture(film.hidden, film.hidden_layout, self.hidden_area, bar)
        self.boundary = Polylines(
            [], theme.boundary, style.BOUNDARY_WIDTH, 1.0, clip=area_clip(self.input_area)
        )
        self.counter = VGroup()
        names = film.dataset.class_names
        self.slots = [MarkSlot(n, c, theme) for n, c in zip(names, theme.class_colors)]
        furniture = VGroup(
            self.get_panel_title(
                "input space", "x₁, x₂: the data's own coordinates", self.input_area, self.pads[0]
            ),
            self.get_panel_title(
                film.hidden_label, self.hidden_note(), self.hidden_area, self.pads[1]
            ),
            legend_row(film.dataset.class_names, theme)
            .align_to((self.screen_layout.left, 0, 0), LEFT)
            .align_to((0, self.screen_layout.bottom, 0), DOWN),
        )
        self.add(furniture, self.counter, input_panel, self.boundary, self.hidden_panel)
        self.add(*self.slots)
        self.counters: dict[int, VGroup] = {}  # snapshot -> its counter, made once
        self.snapshot_marks: dict[int, dict[int, Mark]] = {}  # snapshot -> its markers, by class
        self.hidden_panel.display(film.hidden.frame_at(0, 0.0))
        self.show_snapshot(0)
        self.wait(style.HOLD_INPUT)

        # 2. Training, snapshot by snapshot, to the fitted network.
        self.play(ReplayTraining(self, rate_func=linear), run_time=self.replay_seconds)
        self.wait(style.HOLD_END)

    def get_picture(
        self, path: MorphTimeline, layout: Layout, area: Area, scale_bar: ScaleBar | None = None
    ) -> MorphPicture:
        """A panel drawing ``path``'s stages, clipped to ``area``, with its axes named.

        Readout pictures are projections, not coordinates: their axes go unnamed (the note
        under the panel's title says what they are).
        """
        names = {n for k in range(len(path.stages)) for n, _, _ in path.keyframe_frame(k).names}
        if path is self.film.hidden and self.film.view == "readout":
            names = set()
        return MorphPicture(
            layout,
            path.keyframe_frame(0),
            self.colors,
            clip=area_clip(area),
            names=tuple(sorted(names)),
            center=area.center,
            scale_bar=scale_bar,
        )

    def bar_layout(self) -> ScreenLayout:
        """Where the hidden panel's scale bar goes: in the bottom band, under that panel."""
        left = self.hidden_area.center[0] + self.hidden_area.width / 2 - 2.6
        return replace(self.screen_layout, legend_left=left, bottom=self.screen_layout.bottom - 0.2)

    def hidden_note(self) -> str:
        """What the hidden panel draws of its layer, and that it is refitted as it grows."""
        width, view = self.film.hidden_width, self.film.view
        if view == "readout":
            return f"{width} units · → its read-out w₁ − w₀ · ↑ the most other spread"
        drawn = VIEW_NOTES.get(view, "{width} dims, projected").format(width=width)
        return f"{drawn} · zoom follows the picture" if width > 2 else "zoom follows the picture"

    def show_snapshot(self, k: int) -> None:
        """The boundary and counter of snapshot ``k``."""
        if k == self.shown:
            return
        self.shown = k
        film = self.film
        self.boundary.move_to_positions(
            [self.input_path.place_input(c) for c in film.boundaries[k]]
        )
        # become(), never adding or removing: Manim draws a playing animation's mobjects as
        # they were listed at its start, so a removed one would linger and an added one hide.
        self.prepare_snapshot(k)
        self.counter.become(self.counters[k])
        self.counter_text = self.snapshot_caption(k)
        found = self.snapshot_marks[k]
        for c, slot in enumerate(self.slots):
            slot.display(found.get(c))

    def prepare_snapshots(self) -> None:
        """Make every snapshot's counter and marker words, so the replay only swaps them."""
        for k in range(len(self.film.steps)):
            self.prepare_snapshot(k)

    def prepare_snapshot(self, k: int) -> None:
        """Make snapshot ``k``'s counter and marker words (once)."""
        if k in self.counters:
            return
        self.counters[k] = self.get_counter(k)
        self.snapshot_marks[k] = found = self.get_marks(k)
        for c, slot in enumerate(self.slots):
            slot.prepare(found.get(c))

    def snapshot_caption(self, k: int) -> str:
        """Snapshot ``k``'s optimiser step and training accuracy, as the counter says them."""
        film = self.film
        return f"step {film.steps[k]} · training accuracy {format_percent(film.accuracies[k])}"

    def get_counter(self, k: int) -> VGroup:
        """Snapshot ``k``'s counter, for ``become`` during the replay."""
        return title_block(self.snapshot_caption(k), "", self.colors, self.screen_layout)

    def get_marks(self, k: int) -> dict[int, Mark]:
        """The classes snapshot ``k``'s hidden picture draws too small to see, by class.

        Each is ringed and named as it stands at this snapshot (the picture moves little
        between two snapshots).
        """
        hidden = self.film.hidden
        found = marks(hidden.keyframe_frame(k).points, hidden.labels, style.DOT_RADIUS)
        return {m.label: m for m in found}

    def get_panel_title(self, title: str, note: str, area: Area, pad: float) -> VGroup:
        """A panel's title with a one-line note, just above the panel (its area and ``pad``)."""
        group = VGroup(
            label(title, self.colors, style.NOTE_FONT_SIZE + 3),
            label(note, self.colors, style.LEGEND_FONT_SIZE - 2, color=self.colors.note),
        ).arrange(DOWN, buff=0.06)
        top = area.center[1] + area.height / 2
        bottom = top + pad + PANEL_TITLE_GAP
        return group.move_to((area.center[0], bottom + group.height / 2, 0))
