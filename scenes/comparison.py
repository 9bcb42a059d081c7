"""ReLU, tanh and GELU networks on the same data, side by side, step by step in lockstep.

All panels are drawn to one scale at every moment (the largest picture fills its panel; the
scale bar shows it), so a layer that shrinks the plane looks smaller than one that does not; a
picture too small to read at that scale is enlarged and tagged with how much. The video stops at
the activation stage where the panels' pictures differ most (see :mod:`model.picture.panels`), then
returns to each network's input plane, shaded by what it decided.

Examples::

    manim -qh scenes/comparison.py ActivationComparison
    manim -ql --save_sections scenes/comparison.py ActivationComparison   # one clip per step

Other activations are a subclass: ``class Mine(ActivationComparison): activations = ("relu",
"silu")``.
"""

from __future__ import annotations

import numpy as np
from manim import VGroup, config, logger, smooth

from model.errors import user_errors
from model.formatting import format_percent
from model.geometry.trace import Stage
from model.network.activations import check_activation
from model.picture.panels import PanelPicture, SharedFraming, marks, most_different_stage
from model.picture.screen import Box, PanelScreen
from model.picture.view import Area
from model.pipeline import Morph, prepare
from scenes.kit import style
from scenes.kit.animations import Fade, MorphPicture, area_clip
from scenes.kit.manim_internals import InPlaceAnimation, frame_size
from scenes.kit.mobjects import ClassRegions
from scenes.kit.morph_scene import NetmorphScene
from scenes.kit.overlays import ScaleBar, label, title_block
from scenes.kit.panel_overlays import MarkSlot, ZoomTag, legend_row


class Panels(InPlaceAnimation):
    """Move every panel at once through ``pictures(t)``: a :class:`PanelPicture` per panel."""

    def __init__(self, scene: ActivationComparison, pictures, **kwargs) -> None:
        self.scene = scene
        self.pictures = pictures
        super().__init__(scene.moving, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        self.scene.show_panels(self.pictures(self.rate_func(alpha)))


class ActivationComparison(NetmorphScene):
    """One panel per activation; every panel moves through the same step at the same time."""

    activations: tuple[str, ...] = ("relu", "tanh", "gelu")  # one panel each
    view: str = "readout"  # "readout" (the read-out direction + most other spread), "first2", "pca"
    affine_path: str = "polar"  # "polar" (turn + stretch, never flat) or "linear"
    morph_seconds: float | None = None  # each step's morph (None: the house pace)
    hold_seconds: float | None = None  # each stage held after its morph (None: ≥ 2 s)
    end_hold_seconds: float = 3.0  # the stage where the panels differ most, held

    def setup(self) -> None:
        super().setup()
        self.screen = PanelScreen.row(
            config.frame_width, config.frame_height, len(self.activations), caption=False
        )
        areas = [Area.of(box) for box in self.screen.data]
        with user_errors():
            # One network per panel, chosen together: on a CSV they share the searched widths.
            chosen = self.choose_networks(self.activations)
            for name, choice in zip(self.activations, chosen):
                if choice.search is not None:
                    logger.info("%s %s: %s", self.dataset, name, choice.search.summary())
            self.morphs: list[Morph] = [
                prepare(
                    choice.config,
                    self.cache_dir,
                    area=area,
                    view=self.view,
                    affine_route=self.affine_path,
                    trained=choice.trained,
                    frame_size=frame_size(),
                )
                for choice, area in zip(chosen, areas)
            ]
        timelines = [m.timeline for m in self.morphs]
        self.framing = SharedFraming(timelines, radius=style.DOT_RADIUS)
        # The classes and grid are the same points in every panel; boundaries are each network's.
        layout = self.morphs[0].layout
        rows = slice(layout.classes[0].start, layout.grid.stop)
        kinds = [stage.step.kind for stage in self.morphs[0].stages]
        self.end_stage = most_different_stage(timelines, rows, kinds=kinds, among=("activation",))

    def construct(self) -> None:
        morphs, theme = self.morphs, self.colors

        # 1. One named panel per activation, all on the same input, all to one scale.
        self.pictures, self.tags = [], []
        screen = self.screen
        for i, (morph, panel) in enumerate(zip(morphs, self.framing.held_pictures(0))):
            timeline = morph.timeline
            area = timeline.area
            assert isinstance(area, Area)  # side-by-side panels are 2-D
            stages = range(len(morph.stages))
            names = {n.text for k in stages for n in timeline.keyframe_frame(k).names}
            self.pictures.append(
                MorphPicture(
                    morph.layout,
                    panel.frame,
                    theme,
                    clip=area_clip(area),
                    names=tuple(sorted(names)),
                    room=screen.panels[i],
                )
            )
            header = screen.headers[i]
            self.tags.append(ZoomTag((header.center[0], header.y0 + 0.18), theme))
        self.regions = [
            ClassRegions(m.regions, theme.class_colors, self.region_corners(m), 0.0) for m in morphs
        ]
        self.scale_bar = ScaleBar(self.scale_range(), theme, screen.scale)
        furniture = VGroup(
            *(self.get_panel_title(n, i) for i, n in enumerate(self.activations)),
            legend_row(morphs[0].dataset.class_names, theme, screen.legend),
        )
        self.titles = VGroup()  # beneath the pictures: Manim redraws what lies above a moving one
        self.moving = VGroup(*self.pictures, *self.tags, self.scale_bar)
        self.add(*self.regions, furniture, self.titles, self.moving)
        self.show_panels(self.framing.held_pictures(0))
        self.next_section("input")
        self.begin_title(0)
        self.wait(style.HOLD_INPUT)

        # 2. The same step in every panel at once, up to the stage where they differ most.
        markers = VGroup()
        for move in range(1, self.end_stage + 1):
            self.next_section(self.section_name(move))
            self.begin_title(move)
            self.wait(style.TITLE_BEAT)  # the new title alone before its morph
            self.clear_markers(markers)
            self.play(
                Panels(self, lambda t, m=move: self.framing.pictures_at(m, t), rate_func=smooth),
                run_time=self.morph_seconds or style.MORPH,
            )
            markers = self.mark_collapsed(self.framing.held_pictures(move))
            if len(markers):
                self.add(markers)
                self.play(Fade(markers, markers, fade_in=True), run_time=style.MARKER_FADE)
            hold = style.HOLD_STEP if self.hold_seconds is None else self.hold_seconds
            self.wait(self.end_hold_seconds if move == self.end_stage else hold)

        # 3. The picture to end on: each input plane, shaded by its network's decision.
        self.next_section("decision")
        self.begin_title(None)
        self.wait(style.TITLE_BEAT)
        self.clear_markers(markers)
        self.play(
            Panels(self, lambda t: self.framing.return_at(self.end_stage, t), rate_func=smooth),
            run_time=self.morph_seconds or style.MORPH,
        )
        for regions in self.regions:
            regions.set_fill(opacity=theme.region_opacity)
        self.play(Fade(VGroup(*self.regions), *self.regions, fade_in=True), run_time=0.8)
        self.wait(style.HOLD_DECISION)

    # -- panels ---------------------------------------------------------------------------------

    def show_panels(self, panels: list[PanelPicture]) -> None:
        """Draw one :class:`PanelPicture` per panel, the zoom tags and the common scale."""
        for picture, tag, panel in zip(self.pictures, self.tags, panels):
            picture.display(panel.frame)
            tag.display(panel)
        common = [p.frame.scale / p.zoom for p in panels if p.frame.scale is not None]
        self.scale_bar.display(min(common) if common else None)

    def mark_collapsed(self, panels: list[PanelPicture]) -> VGroup:
        """Ring and name each class a panel draws too small to see."""
        markers = VGroup()
        names = self.morphs[0].dataset.class_names
        for i, (morph, panel) in enumerate(zip(self.morphs, panels)):
            taken = list(self.pictures[i].placed.values())
            timeline = morph.timeline
            found = marks(
                panel.frame.points, timeline.labels, style.DOT_RADIUS, frame=timeline.frame_size
            )
            for mark in found:
                color = self.colors.class_colors[mark.label]
                slot = MarkSlot(names[mark.label], color, self.colors, self.screen.panels[i].width)
                slot.display(mark, self.screen.panels[i], taken)
                taken.append(Box.bounding(slot.words.get_all_points()))
                markers.add(slot)
        if len(markers):
            self.add(markers)
        return markers

    def region_corners(self, morph: Morph) -> tuple:
        """Scene corners (lower left, upper right) of a panel's shaded input plane."""
        return tuple(morph.timeline.place_input(corner) for corner in morph.region_box)

    def scale_range(self) -> tuple[float, float]:
        """The smallest and largest scale any panel is drawn at (for the scale bar's numbers)."""
        ranges = np.array([m.timeline.scale_range() for m in self.morphs])  # (panels, 2)
        return float(ranges[:, 0].min()), float(ranges[:, 1].max())

    # -- titles: one at a time, the old one gone before the new one appears -------------------

    def begin_title(self, k: int | None) -> None:
        """Put stage ``k``'s title on screen at once, in place of the last (None: the
        closing one): each section opens, and each held stage ends, with its own title."""
        shown: VGroup | None = getattr(self, "title", None)
        if shown is not None:
            self.titles.remove(shown)
        title, note = self.title_text(k)
        self.title = title_block(title, note, self.colors, self.screen.title)
        self.titles.add(self.title)

    def clear_markers(self, markers: VGroup) -> None:
        """Fade the last held stage's markers out."""
        if len(markers):
            self.play(Fade(markers, markers, fade_in=False), run_time=style.MARKER_FADE)
            self.remove(markers)

    def title_text(self, k: int | None) -> tuple[str, str]:
        """Stage ``k``'s title and note, worded for all panels (None: the closing one)."""
        if k is None:
            accuracies = " · ".join(
                f"{check_activation(n).label} {format_percent(m.accuracy)}"
                for n, m in zip(self.activations, self.morphs)
            )
            return "what each network decided", f"shaded by predicted class · accuracy {accuracies}"
        stage = self.morphs[0].stages[k]
        note = "where the activations' pictures differ most" if k == self.end_stage else ""
        if k == 0:
            note = "one network per activation, every panel drawn to the same scale"
            return "input: the data", note
        return self.step_title(stage), note

    def step_title(self, stage: Stage) -> str:
        if stage.step.kind == "activation":
            return f"layer {stage.step.layer} · σ(z): each panel's own activation"
        return stage.step.title

    def section_name(self, move: int) -> str:
        """The section of ``move``, shared by all panels (activation steps differ only in σ)."""
        step = self.morphs[0].stages[move].step
        return f"activation{step.layer}" if step.kind == "activation" else step.name

    def get_panel_title(self, name: str, i: int) -> VGroup:
        """Panel ``i``'s activation and its formula, at the top of its header."""
        act = check_activation(name)
        text = act.formula if act.formula.startswith(act.label) else f"{act.label}: {act.formula}"
        words = label(text, self.colors, style.LEGEND_FONT_SIZE)
        header = self.screen.headers[i]
        if words.width > header.width:
            words.scale_to_fit_width(header.width)
        return words.move_to((header.center[0], header.y1 - words.height / 2, 0))
