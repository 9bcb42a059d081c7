"""The one parametrised scene: a trained network morphing the plane, step by step.

Subclass it and set class attributes to make a video (see :mod:`scenes.morph`)::

    from scenes.morph import MorphScene

    class WideTanh(MorphScene):
        activation = "tanh"
        hidden = (3, 5, 3)

then ``manim -qh my_scenes.py WideTanh``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from manim import DEFAULT_WAIT_TIME, Circle, Scene, VGroup, config, logger, smooth

from model.errors import user_errors
from model.formatting import format_percent
from model.geometry.trace import Stage
from model.narration.captions import Caption, narrate
from model.narration.pacing import pace, reading_seconds
from model.narration.speech import check_engine, duration, synthesize
from model.narration.subtitles import place_cues, write_subtitles
from model.network.config import Config
from model.picture.labels import LabelSpec, place_labels
from model.picture.screen import Screen
from model.picture.view import INPUT_MOVE, Area, Ball, Frame, LandedTimeline, MorphTimeline
from model.pipeline import Morph, prepare
from model.train.checkpoints import cache_dir_in, check_cache_dir
from model.train.choice import ChosenNetwork, choose_networks
from scenes.kit import environment, style
from scenes.kit.animations import Fade, MorphPicture, PlayTimeline, area_clip
from scenes.kit.manim_internals import (
    FastCamera,
    SpatialRedrawMixin,
    frame_size,
    hold_drawing,
    is_still,
    movie_file,
    play_to_end,
    section_clips,
    straight_alpha_frames,
    video_time,
)
from scenes.kit.mobjects import ClassRegions
from scenes.kit.options import check_scene_options
from scenes.kit.overlays import (
    NetworkStrip,
    ScaleBar,
    caption_block,
    legend,
    marker_words,
    title_block,
)
from scenes.kit.style import Theme, get_theme

if TYPE_CHECKING:  # pragma: no cover
    from torch import nn

SPEECH_DIR = "speech"  # under the media folder: each caption's voice, cached by its words
REGIONS_FADE = 0.8  # seconds the decision's shading takes to fade in
MARKER_WIDTH = 0.45  # a marker's words wrap at this share of the picture's width

# torch (the trainer, a user's own network, the CSV search) is imported only when needed: a
# render whose network is in the cache draws it in numpy (model.network.numpy_net).


# What the note under a wide stage's title says the picture shows, per view.
VIEW_NOTES = {
    "first2": "showing coordinates 1–2 of {width}",
    "pca": "2 aligned principal axes of {width} (turns are not shown)",
    "readout": "→ what the next layers read · ↑ the most other spread ({width} dims)",
    "3d": "3 aligned principal axes of {width}",
}


class NetmorphScene(SpatialRedrawMixin, Scene):
    """A scene drawn with :class:`FastCamera`, whose class attributes choose the data and network.

    The shared base of every netmorph scene: ``dataset``, ``hidden``, ``seed`` and ``theme``
    here; each scene adds how many networks it shows and what it does with them.
    """

    dataset: str = "circles"  # circles, moons, spiral, xor, or a path to an x,y,label CSV
    hidden: tuple[int, ...] | None = None  # hidden widths; None: the dataset's default
    # (the recipe's 2→3→3→3→2 for circles, moons and xor)
    seed: int = 0  # first training seed tried
    theme: str = "dark"  # "dark" (screens, dark slides) or "light" (projectors, white slides)
    target_accuracy: float | None = None  # training accuracy to reach, 0..1; None: 1 (all)
    # Keep the most accurate network when none reaches the target (a "show it failing" video)
    # rather than stop with an error; None: the dataset's default (True for identity networks).
    best_effort: bool | None = None
    cache: bool = True  # keep trained networks in <media_dir>/checkpoints
    camera_type: type = FastCamera  # a camera with one-pass dot clouds

    def __init__(self, *args, **kwargs) -> None:
        # Every attribute (and its NETMORPH_* override, scenes/kit/options.py) is checked before
        # Manim makes the camera, which needs the theme's background.
        with user_errors():
            environment.check_renderer(args)
            check_scene_options(self)
            self.colors: Theme = get_theme(self.theme, transparent=bool(config.transparent))
        # The camera reads the background when it is made, in Scene.__init__.
        environment.apply_render_settings(self.colors.background)
        kwargs.setdefault("camera_class", self.camera_type)
        super().__init__(**kwargs)
        environment.forget_partial_movies_at_exit(self.renderer.file_writer)
        straight_alpha_frames(self)
        if self.still:  # only the last frame is kept: draw no other (manim_internals)
            hold_drawing(self, True)

    @property
    def still(self) -> bool:
        """True when the render keeps only the last frame (``manim -s``)."""
        return is_still(self)

    def tear_down(self) -> None:
        super().tear_down()
        hold_drawing(self, False)  # the last frame is drawn after teardown

    def render(self, preview: bool = False) -> bool:
        try:
            return super().render(preview)
        except SystemExit:  # a user mistake (user_errors): nothing was drawn, leave nothing
            environment.release_unused_partial_movies(self.renderer.file_writer)
            raise

    def setup(self) -> None:
        # Before any subclass trains: a cache folder that cannot be one.
        with user_errors():
            if self.cache_dir is not None:
                check_cache_dir(self.cache_dir, writable=False)

    def play(self, *animations, **kwargs) -> None:
        if not self.still:
            return super().play(*animations, **kwargs)
        # A still keeps the last frame only: every animation jumps to its end.
        play_to_end(self, animations, kwargs)
        return None

    def wait(self, duration: float = DEFAULT_WAIT_TIME, *args, **kwargs) -> None:
        # A pacing attribute of 0 (hold_seconds = 0) means no hold; Manim refuses a 0 s wait.
        if duration > 0:
            super().wait(duration, *args, **kwargs)

    @property
    def cache_dir(self) -> Path | None:
        """Where trained networks are kept: ``<media_dir>/checkpoints``; None without a cache."""
        return cache_dir_in(config.media_dir) if self.cache else None

    def choose_networks(
        self, activations: Sequence[str | tuple[str, ...]], **given
    ) -> tuple[ChosenNetwork, ...]:
        """The network this scene draws for each of ``activations``, chosen from its attributes
        by :func:`model.train.choice.choose_networks`, the one place every video and
        ``netmorph train`` choose theirs (``given``: its other arguments, e.g. a user's own
        ``module``, ``snapshot_every``)."""
        return choose_networks(
            self.dataset,
            activations,
            self.cache_dir,
            hidden=self.hidden,
            seed=self.seed,
            target_accuracy=self.target_accuracy,
            best_effort=self.best_effort,
            owner=type(self).__name__,
            **given,
        )


class MorphScene(NetmorphScene):
    """Class-coloured points and a bending grid carried through every step of a network.

    Class attributes choose the network and the view; equal attributes give the same weights and
    frames. A render trains the network (about a second) or loads it from
    ``<media_dir>/checkpoints``.
    """

    activation: str | tuple[str, ...] = "relu"  # one name, or one per activated hidden layer
    view: str = "readout"  # "readout" (the read-out direction + most other spread), "first2"
    # (the recipe's first two coordinates), "pca" (aligned principal axes) or "3d"
    affine_path: str = "polar"  # "polar" (turn + stretch, never flat) or "linear" (the recipe's)
    density: int = 1  # multiplies the plotted points and grid lines
    show_boundary: bool = True  # carry the 0.5-probability curve through every stage
    show_network: bool = True  # the network strip in the left margin, current step lit
    show_folds: bool = False  # carry each ReLU-family unit's fold line (z = 0) through
    # Your own trained network's state_dict (a .safetensors file; ``activation`` and ``hidden``
    # say its layers, see model.network.own); None: train ours. Or override :meth:`trained_network`.
    weights: str | None = None
    is_own = False  # set by setup: the network drawn is the user's own
    choice: ChosenNetwork | None = None  # set by setup: the network drawn, and how it was chosen
    # Pacing: None times each step by what it does (folds and squashes longer than turns, a
    # step that barely changes short, every stage held ≥ 2 s and as long as its caption takes
    # to say); a number sets every step alike.
    morph_seconds: float | None = None  # each step's morph
    hold_seconds: float | None = None  # each stage held after its morph, its title still up
    label_seconds: float = style.LABEL_SWAP  # each new title alone before its step moves
    captions: bool = True  # each step's caption in the band below, and .srt/.vtt subtitles
    narrate: bool = False  # speak the captions (espeak-ng, offline) in the video's sound

    def network_config(self) -> Config:
        """The :class:`Config` of the network this video draws (:meth:`choose_network`)."""
        return self.choose_network().config

    def trained_network(self) -> nn.Sequential | None:
        """Override to draw a network you trained yourself, without retraining it.

        Return a ``torch.nn.Sequential`` of ``Linear`` layers and activation modules (ReLU,
        Tanh, GELU, Sigmoid, LeakyReLU, SiLU, ELU, Softplus, Identity; Dropout is ignored, a
        final Softmax optional) reading 2-D points, with one output per class of ``dataset``.
        None (the default): netmorph trains its own network (or reads :attr:`weights`).
        """
        return None

    def choose_network(self) -> ChosenNetwork:
        """The network this video draws: your own (:meth:`trained_network` or :attr:`weights`),
        or the one chosen for its data and attributes (:meth:`choose_networks`)."""
        (chosen,) = self.choose_networks(
            (self.activation,), module=self.trained_network(), weights=self.weights
        )
        return chosen

    @property
    def model_name(self) -> str:
        """How captions name the network: "your model" for a user's own."""
        return "your model" if self.is_own else "the network"

    def setup(self) -> None:
        super().setup()
        # A user's mistake (bad activation, widths, view…) ends the render with one line, exit 2,
        # before any frame is written.
        self.screen = Screen.for_morph(
            config.frame_width, config.frame_height, strip=self.show_network, captions=self.captions
        )
        with user_errors():
            if self.narrate:
                check_engine()  # before any training: a missing voice is said at once
            self.choice = self.choose_network()
            self.is_own = self.choice.own
            if self.choice.search is not None:
                logger.info("%s: %s", self.dataset, self.choice.search.summary())
            self.morph: Morph = prepare(
                self.choice.config,
                self.cache_dir,
                area=Ball() if self.view == "3d" else self.picture_area(),
                view=self.view,
                affine_route=self.affine_path,
                density=self.density,
                boundary=self.show_boundary,
                trained=self.choice.trained,
                folds=self.show_folds,
                frame_size=frame_size(),
            )
        # The frames the picture plays, and the 2-D view of the same trace (its scale, names,
        # notes and markers); the 3-D scenes play their own timeline and keep a flat one.
        self.timeline: MorphTimeline | LandedTimeline = self.morph.timeline
        self.flat: MorphTimeline = self.morph.timeline
        self.told: list[tuple[str, float, float, Caption]] = []  # (section, start, end, caption)

    def tell(self) -> None:
        """What the video says and how long each part takes: the captions (from the trace,
        :func:`model.narration.captions.narrate`), their speech when narrated, and the pacing
        (:func:`model.narration.pacing.pace`)."""
        with user_errors():
            self.narration = {
                c.section: c
                for c in narrate(self.morph, own=self.is_own, closing=self.has_closing())
            }
            self.voice: dict[str, Path] = {}
            if self.narrate:
                folder = Path(config.media_dir) / SPEECH_DIR
                self.voice = {
                    name: synthesize(c.text, folder) for name, c in self.narration.items()
                }
            # How long each caption's words take: said (measured), or read (a silent video).
            spoken = {name: duration(path) for name, path in self.voice.items()} or {
                name: reading_seconds(c.text) for name, c in self.narration.items()
            }
            self.paces = pace(
                self.morph,
                list(self.narration.values()),
                speech=spoken,
                morph_seconds=self.morph_seconds,
                hold_seconds=self.hold_seconds,
                lead_in=self.label_seconds,
                said=self.captions or self.narrate,
                turns={
                    s.step.name: self.flat.plan.move_turn(k)
                    for k, s in enumerate(self.morph.stages)
                },
            )

    def picture_area(self) -> Area:
        """The frame's area for the data: the picture region less the ring for its labels."""
        return Area.of(self.screen.data)

    def construct(self) -> None:
        self.tell()
        morph, stages = self.morph, self.morph.stages
        timeline = self.timeline
        theme, screen = self.colors, self.screen

        # 1. Everything that stays: the legend, the network strip, the scale bar, each in its
        # region. A still keeps its last frame only, so only the names and scale shown there
        # are built.
        self.picture = self.make_picture(self.end_frame() if self.still else None)
        self.scale_bar = self.picture.scale_bar
        self.furniture = VGroup(
            legend(morph.dataset.class_names, theme, screen.legend, folds=self.show_folds)
        )
        self.strip = None
        if self.show_network and screen.strip is not None:
            self.strip = NetworkStrip(
                [s.step for s in stages], stages[0].width, theme, screen.strip
            )
            self.furniture.add(self.strip)
        self.regions = ClassRegions(
            morph.regions,
            theme.class_colors,
            self.region_corners(),
            0.0,
            clip=area_clip(self.picture_area()),
        )
        # Titles and furniture sit beneath the picture: Manim redraws every mobject above a
        # moving one on each frame, so beneath it their glyphs are drawn once per morph.
        self.titles = VGroup()
        self.markers = VGroup()
        self.add(self.regions, self.furniture, self.titles, self.picture, self.markers)

        # 2. The input: two classes, the straight grid and the plane's axes.
        self.next_section("input")
        self.begin_move(INPUT_MOVE)
        self.wait(self.paces["input"].hold)
        self.end_section("input")

        # 3. Every affine, activation and softmax step, one move and one section each, each
        # ending on its held picture with its title still up (a pause, a slide's last frame,
        # shows it).
        for move in range(1, self.last_move() + 1):
            name = stages[move].step.name
            self.next_section(name)
            self.begin_move(move)
            if name.startswith("identity"):
                self.picture.display(timeline.frame_at(move, 1.0))  # said, not played
            else:
                self.play(
                    PlayTimeline(self.picture, timeline, move, rate_func=smooth),
                    run_time=self.move_seconds(move),
                )
            self.wait(max(self.paces[name].hold - self.show_markers(move), 0.0))
            self.end_section(name)

        # 4. The picture a lecturer ends on: the input plane, shaded by the network's decision.
        if self.has_closing():
            self.next_section("decision")
            self.begin_title(self.closing_title(), self.closing_note(), "decision")
            if self.strip is not None:
                self.strip.highlight(-1)
            self.clear_markers()
            self.play(
                PlayTimeline(self.picture, timeline, timeline.return_move, rate_func=smooth),
                run_time=self.paces["decision"].morph,
            )
            self.regions.set_fill(opacity=self.colors.region_opacity)
            self.play(Fade(self.regions, self.regions, fade_in=True), run_time=REGIONS_FADE)
            self.wait(max(self.paces["decision"].hold - REGIONS_FADE, 0.0))
            self.end_section("decision")

    def make_picture(self, end: Frame | None = None) -> MorphPicture:
        """The morph's picture as the video builds it: axes, grid, classes, boundary and every
        axis name its stages show, the picture region as the names' room, and (2-D) the scale
        bar with its stretch notes. ``end``: a still's last frame, whose names and scale alone
        are built."""
        flat, theme, screen = self.flat, self.colors, self.screen
        if end is None:
            stages = range(len(self.morph.stages))
            names = {n.text for k in stages for n in flat.keyframe_frame(k).names}
        else:
            names = {n.text for n in end.names if n.opacity > 0}
        only = None if end is None else end.scale
        bar = ScaleBar.of_timeline(flat, theme, screen.scale, only=only) if flat.dims == 2 else None
        return MorphPicture(
            self.morph.layout,
            self.timeline.frame_at(INPUT_MOVE, 0.0),
            theme,
            clip=area_clip(self.picture_area()),
            names=tuple(sorted(names)),
            room=screen.picture,
            scale_bar=bar,
        )

    def move_seconds(self, move: int) -> float:
        """How long ``move``'s morph plays (the pace of the step it plays, :meth:`tell`)."""
        return self.paces[self.morph.stages[move].step.name].morph

    def end_frame(self) -> Frame:
        """The picture the video ends on."""
        timeline = self.timeline
        if self.has_closing():
            return timeline.frame_at(timeline.return_move, 1.0)
        return timeline.frame_at(self.last_move(), 1.0)

    def last_move(self) -> int:
        """The last move through the network the video plays: softmax's."""
        return self.timeline.n_moves

    def has_closing(self) -> bool:
        """Whether the video ends on the shaded input plane (2-D pictures that reach softmax)."""
        return self.flat.dims == 2 and self.last_move() == self.timeline.n_moves

    def region_corners(self) -> tuple:
        """Scene corners (lower left, upper right) of the shaded input plane."""
        lo, hi = self.morph.region_box
        return tuple(self.flat.place_input(corner) for corner in (lo, hi))

    def begin_move(self, move: int) -> None:
        """Open ``move``: the title and caption of the step it plays replace the last ones at
        once (the section opens with them), the strip lights it, and the last move's markers
        fade out while the new title stands alone."""
        stage = self.morph.stages[move]
        self.begin_title(stage.step.title, self.get_note(stage), stage.step.name)
        if self.strip is not None:
            self.strip.highlight(move)
        if move != INPUT_MOVE:
            self.wait(self.label_seconds - self.clear_markers())

    def begin_title(self, title: str, note: str, section: str = "") -> None:
        """Put a title (and the section's caption) on screen at once, in place of the last; a
        narrated video starts saying the caption."""
        self.section_start = video_time(self)
        if section in self.voice and not (self.still or config.dry_run):
            self.add_sound(str(self.voice[section]))
        shown: VGroup | None = getattr(self, "title", None)
        if shown is not None:
            self.titles.remove(shown)
        if self.still and title != self.last_title():
            # A still keeps the last frame only: a title gone before it is never built (Pango
            # text is most of a still's time).
            self.title = VGroup()
        else:
            self.title = VGroup(
                title_block(title, note, self.colors, self.screen.title),
                caption_block(self.caption_lines(section), self.colors, self.screen.caption),
            )
        self.add_title(self.title)

    def caption_lines(self, section: str) -> tuple[str, ...]:
        """The caption band's lines for ``section``: what the step did, what to notice."""
        caption = self.narration.get(section)
        return caption.lines if caption is not None and self.captions else ()

    def end_section(self, section: str) -> None:
        """Note the section's span for its subtitles (the video's own clock)."""
        caption = self.narration.get(section)
        if caption is not None and (self.captions or self.narrate):
            self.told.append((section, self.section_start, video_time(self), caption))

    def render(self, preview: bool = False) -> bool:
        rendered = super().render(preview)
        self.write_subtitles()
        return rendered

    def write_subtitles(self) -> None:
        """``<video>.srt`` and ``<video>.vtt`` beside the video, and beside each section clip
        (``--save_sections``) its own cues, on the clip's clock."""
        if not self.told or self.still or config.dry_run:
            return
        movie = movie_file(self)  # None: an image sequence, no video to caption
        if movie is None or not movie.is_file():
            return
        with user_errors():
            write_subtitles(place_cues(self.told), movie.with_suffix(""))
            if config.save_sections:
                clips = section_clips(self)
                for name, start, end, caption in self.told:
                    if name in clips:
                        cues = place_cues([(name, 0.0, end - start, caption)])
                        write_subtitles(cues, clips[name].with_suffix(""))

    def closing_title(self) -> str:
        """The shaded input plane's title."""
        return f"what {self.model_name} decided"

    def closing_note(self) -> str:
        """The line under the closing title: what the shading is, and the accuracy."""
        return "each region shaded by the class it predicts · " + self.accuracy_caption()

    def last_title(self) -> str:
        """The title on screen at the end of the video."""
        return (
            self.closing_title()
            if self.has_closing()
            else self.morph.stages[self.last_move()].step.title
        )

    def add_title(self, block: VGroup) -> None:
        """Put a title block on screen (the 3-D scene also pins it to the frame)."""
        self.titles.add(block)

    def show_markers(self, k: int) -> float:
        """Ring and name each class that stage ``k`` squeezes to (nearly) one point, fading
        them in; returns the seconds that took."""
        markers = self.mark_collapsed(k)
        if not len(markers):
            return 0.0
        self.markers.add(*markers)
        self.play(Fade(self.markers, *markers, fade_in=True), run_time=style.MARKER_FADE)
        return style.MARKER_FADE

    def clear_markers(self) -> float:
        """Fade out the markers on screen; returns the seconds that took."""
        if not len(self.markers):
            return 0.0
        shown = list(self.markers)
        self.play(Fade(self.markers, *shown, fade_in=False), run_time=style.MARKER_FADE)
        self.markers.remove(*shown)
        return style.MARKER_FADE

    def mark_collapsed(self, k: int) -> list[VGroup]:
        """A ring and plated words for each class that stage ``k`` squeezes to (nearly) one
        point (the timeline's rings, which the axis names already keep clear of); the words
        placed in free space beside the ring."""
        # A still shows only the last frame: markers removed before it are never built.
        gone_before_end = k < self.last_move() or self.has_closing()
        flat = self.flat
        if flat.dims != 2 or (self.still and gone_before_end):
            return []
        names = self.morph.dataset.class_names
        rings, words, specs = [], [], []
        for ring in flat.rings(k):
            circle = Circle(radius=ring.radius, color=self.colors.class_colors[ring.label])
            circle.set_stroke(width=3).move_to(ring.centre)
            said = f"all {ring.count:,} {names[ring.label]} points here"
            text = marker_words(said, self.colors, MARKER_WIDTH * self.screen.picture.width)
            rings.append(circle)
            words.append(text)
            up = ring.centre[1] <= self.screen.picture.center[1]
            side = 1.0 if up else -1.0
            specs.append(
                LabelSpec(
                    (float(text.width), float(text.height)),
                    (float(ring.centre[0]), float(ring.centre[1] + side * ring.radius)),
                    (0.0, side),
                )
            )
        obstacles = [*self.picture.placed.values(), *(ring.box for ring in flat.rings(k))]
        boxes = place_labels(specs, self.screen.picture, obstacles)
        markers = []
        for circle, text, box in zip(rings, words, boxes):
            if box is not None:
                text.move_to(np.array([*box.center, 0.0]))
                markers.append(VGroup(circle, text))
            else:
                markers.append(VGroup(circle))
        return markers

    def accuracy_caption(self) -> str:
        """``training accuracy 100 %``, or for a user's own network its accuracy on the data."""
        accuracy = format_percent(self.morph.accuracy)
        if self.is_own:
            return f"your model's accuracy on this data {accuracy}"
        return f"training accuracy {accuracy}"

    def get_note(self, stage: Stage) -> str:
        """The line under a step's title: "step k of N" and what the picture shows, where that
        needs saying (the caption band below says what the step does)."""
        k = self.morph.stages.index(stage)
        shown = self.picture_note(stage)
        if k == 0:
            return shown
        counted = f"step {k} of {len(self.morph.stages) - 1}"
        return f"{counted} · {shown}" if shown else counted

    def picture_note(self, stage: Stage) -> str:
        """What the picture of ``stage`` shows, where it is not the stage's own coordinates:
        the data, a projection (said once, at the first stage it draws), a number line, a
        fixed probability scale."""
        kind = stage.step.kind
        names = self.morph.dataset.class_names
        if kind == "softmax" and self.flat.fixed and stage.width > 2:
            shape = "triangle" if stage.width == 3 else f"{stage.width}-sided polygon"
            return f"probabilities on a fixed {shape}: each corner one class for sure"
        if kind == "softmax" and self.flat.fixed:
            return f"p({names[-1]}) on a fixed 0–1 scale, {names[0]} above"
        if kind == "softmax":
            return f"class probabilities · {self.accuracy_caption()}"
        if kind == "input":
            described = self.morph.dataset.description
            if self.choice is not None and self.choice.search is not None:
                widths = ",".join(map(str, self.choice.search.hidden))
                return f"{described} · network {widths} chosen to fit it"
            return f"{described} · drawn through your model" if self.is_own else described
        if stage.step.name.startswith("identity"):
            return "the identity leaves every point where it is"
        k = self.morph.stages.index(stage)
        if k in self.flat.plan.special and stage.width == 2:
            return "the logits on a number line: z₁ − z₀, the boundary at 0"
        if k == self.flat.plan.logits:
            return "the logits on softmax's own plane: each class towards its corner"
        if self.flat.guide_lines(k):
            return "logits: the boundary is the straight line z₀ = z₁"
        flat = 3 if self.view == "3d" else 2
        wide = [j for j, s in enumerate(self.morph.stages) if s.width > flat]
        if wide and k == wide[0]:
            return VIEW_NOTES.get(self.view, "{width} dims, projected").format(width=stage.width)
        return ""
