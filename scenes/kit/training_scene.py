"""Training replayed from its snapshots: the base of the training-over-time scenes.

Kept apart from :mod:`scenes.training` so ``manim -a scenes/training.py`` renders only the named
scenes, not this base.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from manim import DOWN, VGroup, config, linear

from model.errors import user_errors
from model.film import TrainingFilm, training_film
from model.formatting import format_percent
from model.narration.subtitles import place_cues, write_subtitles
from model.narration.training import training_pace, training_story
from model.picture.layout import Layout
from model.picture.panels import Mark, marks
from model.picture.screen import Box, PanelScreen
from model.picture.view import INPUT_MOVE, Area, MorphTimeline
from model.pipeline import load_checkpoint
from scenes.kit import style
from scenes.kit.animations import MorphPicture, area_clip
from scenes.kit.manim_internals import (
    InPlaceAnimation,
    frame_size,
    movie_file,
    skipping_animations,
    video_time,
)
from scenes.kit.mobjects import Polylines
from scenes.kit.morph_scene import NetmorphScene
from scenes.kit.overlays import ScaleBar, caption_block, label, title_block
from scenes.kit.panel_overlays import MarkSlot, TrainingCurve, legend_row


class ReplayTraining(InPlaceAnimation):
    """Move through the snapshots of one phase: the hidden picture morphs, the boundary, the
    counter and the curve's mark follow.

    Screen time is spent where something changes (:attr:`TrainingStory.times`): the replay runs
    from moment ``start`` to ``end`` (0..1) of the whole training.
    """

    def __init__(self, scene: TrainingScene, start: float, end: float, **kwargs) -> None:
        self.scene = scene
        self.span = (start, end)
        moving = VGroup(
            scene.hidden_panel, scene.boundary, scene.counter, scene.curve, *scene.slots
        )
        super().__init__(moving, **kwargs)

    def begin(self) -> None:
        # Every snapshot's counter and markers before the first frame: Pango text costs far more
        # than a frame. A skipped replay (-s) draws only its end, and makes only that.
        if not skipping_animations(self.scene):
            self.scene.prepare_snapshots()
        super().begin()

    def interpolate_mobject(self, alpha: float) -> None:
        film = self.scene.film
        start, end = self.span
        position = start + (end - start) * self.rate_func(alpha)
        self.scene.hidden_panel.display(film.hidden.frame_at(*film.position_at(position)))
        self.scene.show_snapshot(film.snapshot_at(position))


CURVE_WIDTH = 0.6  # the accuracy-and-loss panel, as a share of a picture panel's width
MARKER_SHARE = 0.6  # a marker's words wrap at this share of the hidden panel's width


class TrainingScene(NetmorphScene):
    """Training replayed from its snapshots; subclasses choose the network."""

    activation: str | tuple[str, ...] = "relu"
    view: str = "readout"  # the hidden panel: "readout" (each snapshot's own), "first2", "pca"
    snapshot_every: int = 2  # optimiser iterations between snapshots
    replay_seconds: float = 8.0  # how long the whole training takes on screen

    def setup(self) -> None:
        super().setup()
        self.screen = PanelScreen.row(
            config.frame_width,
            config.frame_height,
            3,
            weights=(1.0, 1.0, CURVE_WIDTH),
            scale_rows=2,
        )
        self.input_area, self.hidden_area = (Area.of(box) for box in self.screen.data[:2])
        with user_errors():
            # The network every video of this data shows, trained once more with snapshots.
            (chosen,) = self.choose_networks((self.activation,), snapshot_every=self.snapshot_every)
            self.film: TrainingFilm = training_film(
                chosen.config,
                self.cache_dir,
                self.hidden_area,
                view=self.view,
                frame_size=frame_size(),
            )
            checkpoint = load_checkpoint(chosen.config, self.cache_dir)[0]
            self.story = training_story(checkpoint, self.film.dataset)
        # The replay spends its time where the story says something changes.
        self.film = replace(self.film, times=self.story.times)
        self.paces = training_pace(self.story, self.replay_seconds)
        self.shown = -1

    def construct(self) -> None:
        film, theme, story = self.film, self.colors, self.story
        # 1. Input space on the left (fixed), the last hidden layer's picture on the right.
        self.input_timeline: MorphTimeline = film.input_timeline(self.input_area)
        input_panel, self.hidden_panel = self.make_panels(self.input_timeline)
        self.boundary = Polylines(
            [], theme.boundary, style.BOUNDARY_WIDTH, 1.0, clip=area_clip(self.input_area)
        )
        self.counter = VGroup()
        self.slots = self.make_slots()
        furniture = self.make_furniture()
        self.curve = self.make_curve()
        self.titles = VGroup()
        self.add(furniture, self.titles, self.counter, input_panel, self.boundary)
        self.add(self.hidden_panel, self.curve, *self.slots)
        self.counters: dict[int, VGroup] = {}  # snapshot -> its counter, made once
        self.snapshot_marks: dict[int, dict[int, Mark]] = {}  # snapshot -> its markers, by class
        self.hidden_panel.display(film.hidden.frame_at(INPUT_MOVE, 0.0))
        self.show_snapshot(0)

        # 2. Training as its phases, one section each: the replay of its snapshots, then a hold
        # on where it ends, its caption in the band below.
        self.told: list[tuple[str, float, float, str]] = []
        for i, phase in enumerate(story.phases):
            self.next_section(phase.section)
            start = video_time(self)
            self.show_phase(i)
            pace = self.paces[phase.section]
            if pace.morph > 0:
                span = (float(story.times[phase.first]), float(story.times[phase.last]))
                self.play(ReplayTraining(self, *span, rate_func=linear), run_time=pace.morph)
            self.wait(pace.hold)
            self.told.append((phase.section, start, video_time(self), phase.text))

    def make_panels(self, input_timeline: MorphTimeline) -> tuple[MorphPicture, MorphPicture]:
        """The input panel (drawing ``input_timeline``) and the hidden panel, whose picture is
        refitted as the weights grow: its scale bar says by how much."""
        film = self.film
        input_panel = self.get_picture(input_timeline, film.layout, 0)
        bar = ScaleBar.of_timeline(film.hidden, self.colors, self.screen.scale)
        return input_panel, self.get_picture(film.hidden, film.hidden_layout, 1, bar)

    def make_slots(self) -> list[MarkSlot]:
        """One marker slot per class, for the hidden panel's too-small classes (their words wrap
        at :data:`MARKER_SHARE` of the panel)."""
        width = MARKER_SHARE * self.screen.panels[1].width
        names, colors = self.film.dataset.class_names, self.colors.class_colors
        return [MarkSlot(n, c, self.colors, width) for n, c in zip(names, colors)]

    def make_furniture(self) -> VGroup:
        """What stays: the two pictures' titles and notes, and the legend (the curve panel's
        header is the counter)."""
        film = self.film
        return VGroup(
            self.get_panel_title("input space", "x₁, x₂: the data's own coordinates", 0),
            self.get_panel_title(film.hidden_label, self.hidden_note(), 1),
            legend_row(film.dataset.class_names, self.colors, self.screen.legend),
        )

    def make_curve(self) -> TrainingCurve:
        """The accuracy and loss over training, in the third panel."""
        story = self.story
        return TrainingCurve(
            story.iterations, story.accuracies, story.losses, self.colors, self.screen.panels[2]
        )

    def phase_words(self, i: int) -> tuple[str, str]:
        """Phase ``i``'s title and the note under it."""
        return f"training: {self.story.phases[i].title}", self.story.phase_note(i)

    def show_phase(self, i: int) -> None:
        """Phase ``i``'s title and caption, in place of the last."""
        title, note = self.phase_words(i)
        self.titles.become(
            VGroup(
                title_block(title, note, self.colors, self.screen.title),
                caption_block(self.story.phases[i].lines, self.colors, self.screen.caption),
            )
        )

    def render(self, preview: bool = False) -> bool:
        rendered = super().render(preview)
        self.write_subtitles()
        return rendered

    def write_subtitles(self) -> None:
        """``<video>.srt`` and ``<video>.vtt``: each phase's caption over its span."""
        if not getattr(self, "told", None) or self.still or config.dry_run:
            return
        movie = movie_file(self)  # None: an image sequence, no video to caption
        if movie is not None and movie.is_file():
            with user_errors():
                write_subtitles(place_cues(self.told), movie.with_suffix(""))

    def get_picture(
        self,
        timeline: MorphTimeline,
        layout: Layout,
        panel: int,
        scale_bar: ScaleBar | None = None,
    ) -> MorphPicture:
        """Panel ``panel`` drawing ``timeline``'s stages, clipped to its area, with its axes
        named.

        Readout pictures are projections, not coordinates: their axes go unnamed (the note
        under the panel's title says what they are).
        """
        stages = range(len(timeline.stages))
        names = {n.text for k in stages for n in timeline.keyframe_frame(k).names}
        if timeline is self.film.hidden and self.film.view == "readout":
            names = set()
        return MorphPicture(
            layout,
            timeline.keyframe_frame(0),
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
            return "→ read-out w₁ − w₀, ↑ spread"
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
            [self.input_timeline.place_input(c) for c in film.boundaries[k]]
        )
        # become(), never adding or removing: Manim draws a playing animation's mobjects as
        # they were listed at its start, so a removed one would linger and an added one hide.
        self.prepare_snapshot(k)
        self.counter.become(self.counters[k])
        self.counter_text = self.snapshot_caption(k)
        if hasattr(self, "curve"):
            self.curve.mark(k)
        found = self.snapshot_marks[k]
        taken = list(self.hidden_panel.placed.values())
        for c, slot in enumerate(self.slots):
            slot.display(found.get(c), self.screen.panels[1], taken)
            if found.get(c) is not None:
                taken.append(Box.bounding(slot.words.get_all_points()))

    def prepare_snapshots(self) -> None:
        """Make every snapshot's counter and marker words, so the replay only swaps them."""
        for k in range(len(self.film.iterations)):
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
        """Snapshot ``k``'s optimiser iteration and training accuracy, as the counter says them."""
        film = self.film
        return f"iteration {film.iterations[k]} · accuracy {format_percent(film.accuracies[k])}"

    def get_counter(self, k: int) -> VGroup:
        """Snapshot ``k``'s counter as the curve panel's two-line header ("iteration 60" over
        "accuracy 100 %"), for ``become`` in the replay.

        Two lines, not one: the panel is narrow, and one line would shrink to ~10 px at 720p.
        The curve's own labels say which line is accuracy and which is loss.
        """
        film = self.film
        return self.get_panel_title(
            f"iteration {film.iterations[k]}", f"accuracy {format_percent(film.accuracies[k])}", 2
        )

    def get_marks(self, k: int) -> dict[int, Mark]:
        """The classes snapshot ``k``'s hidden picture draws too small to see, by class.

        Each is ringed and named as it stands at this snapshot (the picture moves little
        between two snapshots).
        """
        hidden = self.film.hidden
        points = hidden.keyframe_frame(k).points
        found = marks(points, hidden.labels, style.DOT_RADIUS, frame=hidden.frame_size)
        return {m.label: m for m in found}

    def get_panel_title(self, title: str, note: str, panel: int) -> VGroup:
        """A panel's title with a one-line note, in its header."""
        header = self.screen.headers[panel]
        group = VGroup(label(title, self.colors, style.LEGEND_FONT_SIZE))
        if note:
            group.add(label(note, self.colors, style.SMALL_FONT_SIZE, color=self.colors.note))
        group.arrange(DOWN, buff=0.06)
        if group.width > header.width:
            group.scale_to_fit_width(header.width)
        return group.move_to(np.array([header.center[0], header.y1 - group.height / 2, 0]))
