"""Training replayed from its snapshots: the base of the training-over-time scenes.

Kept apart from :mod:`scenes.training` so ``manim -a scenes/training.py`` renders only the named
scenes, not this base.
"""

from __future__ import annotations

from manim import DOWN, Animation, VGroup, config, linear

from model.errors import user_errors
from model.film import TrainingFilm, training_film
from model.formatting import format_percent
from model.picture.layout import Layout
from model.picture.panels import Mark, marks
from model.picture.screen import Box, PanelScreen
from model.picture.view import Area, MorphTimeline
from scenes.kit import style
from scenes.kit.animations import MorphPicture, area_clip
from scenes.kit.mobjects import Polylines
from scenes.kit.morph_scene import NetmorphScene
from scenes.kit.overlays import ScaleBar, label, title_block
from scenes.kit.panel_overlays import MarkSlot, legend_row


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
        self.screen = PanelScreen.row(config.frame_width, config.frame_height, 2)
        self.input_area, self.hidden_area = (Area.of(box) for box in self.screen.data)
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
        input_panel = self.get_picture(self.input_path, film.layout, 0)
        # The hidden picture is refitted as the weights grow: its scale bar says by how much.
        bar = ScaleBar(film.hidden.scale_range(), theme, self.screen.scale)
        self.hidden_panel = self.get_picture(film.hidden, film.hidden_layout, 1, bar)
        self.boundary = Polylines(
            [], theme.boundary, style.BOUNDARY_WIDTH, 1.0, clip=area_clip(self.input_area)
        )
        self.counter = VGroup()
        names = film.dataset.class_names
        self.slots = [MarkSlot(n, c, theme) for n, c in zip(names, theme.class_colors)]
        furniture = VGroup(
            self.get_panel_title("input space", "x₁, x₂: the data's own coordinates", 0),
            self.get_panel_title(film.hidden_label, self.hidden_note(), 1),
            legend_row(film.dataset.class_names, theme, self.screen.legend),
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
        self, path: MorphTimeline, layout: Layout, panel: int, scale_bar: ScaleBar | None = None
    ) -> MorphPicture:
        """Panel ``panel`` drawing ``path``'s stages, clipped to its area, with its axes named.

        Readout pictures are projections, not coordinates: their axes go unnamed (the note
        under the panel's title says what they are).
        """
        names = {n.text for k in range(len(path.stages)) for n in path.keyframe_frame(k).names}
        if path is self.film.hidden and self.film.view == "readout":
            names = set()
        return MorphPicture(
            layout,
            path.keyframe_frame(0),
            self.colors,
            clip=area_clip(Area.of(self.screen.data[panel])),
            names=tuple(sorted(names)),
            room=self.screen.panels[panel],
            scale_bar=scale_bar,
        )

    def hidden_note(self) -> str:
        """What the hidden panel draws of its layer, and that it is refitted as it grows."""
        width, view = self.film.hidden_width, self.film.view
        if view == "readout":
            return f"{width} units: → read-out w₁ − w₀, ↑ other spread"
        if view == "first2":
            return f"coordinates 1–2 of {width} · zoom follows it"
        return f"{width} units on 2 principal axes · zoom follows it"

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
        taken = list(self.hidden_panel.placed.values())
        for c, slot in enumerate(self.slots):
            slot.display(found.get(c), self.screen.panels[1], taken)
            if found.get(c) is not None:
                taken.append(Box.bounding(slot.words.get_all_points()))

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
        return title_block(self.snapshot_caption(k), "", self.colors, self.screen.title)

    def get_marks(self, k: int) -> dict[int, Mark]:
        """The classes snapshot ``k``'s hidden picture draws too small to see, by class.

        Each is ringed and named as it stands at this snapshot (the picture moves little
        between two snapshots).
        """
        hidden = self.film.hidden
        found = marks(hidden.keyframe_frame(k).points, hidden.labels, style.DOT_RADIUS)
        return {m.label: m for m in found}

    def get_panel_title(self, title: str, note: str, panel: int) -> VGroup:
        """A panel's title with a one-line note, in its header."""
        header = self.screen.headers[panel]
        group = VGroup(
            label(title, self.colors, style.LEGEND_FONT_SIZE),
            label(note, self.colors, style.SMALL_FONT_SIZE, color=self.colors.note),
        ).arrange(DOWN, buff=0.06)
        if group.width > header.width:
            group.scale_to_fit_width(header.width)
        return group.move_to(header.center + (0.0,))
