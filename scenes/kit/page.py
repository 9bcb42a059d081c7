"""An explorable page: a scene's frames, sampled, in one HTML file that opens offline.

``netmorph page SCENE_FILE SCENE`` loads the scene as ``manim`` does (imports the file, takes
the class), runs its ``setup`` (which trains the network or loads it from
``<media_dir>/checkpoints``, and refuses a bad attribute with one line), samples the frames its
video draws (:mod:`model.picture.samples`), each with its names where the video places them
(:func:`model.picture.labels.place_names`), and writes them, deflated, into a copy of
``page.html`` (plain canvas drawing, no library, nothing fetched). Everything around the picture
is built with the video's own overlays (:mod:`scenes.kit.overlays`: title and caption bands,
legend, network strip, scale bar, markers) in the scene's screen regions and measured into
items the page draws in the same scene units (:func:`drawing`), so the page and the video share
one layout. A student scrubs every step, clicks a step of the network strip, follows one point
through the network, and links to a moment (``#t=0.62``, ``#step=relu2``).

Examples::

    netmorph page scenes/morph.py ReluMorph               # media/pages/ReluMorph.html
    netmorph page scenes/training.py ReluTraining -o relu-training.html
    netmorph page my_scenes.py WideTanh --media_dir /tmp/media
"""

from __future__ import annotations

import base64
import itertools
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from manim import (
    DL,
    UR,
    Circle,
    Line,
    Mobject,
    RoundedRectangle,
    Scene,
    Text,
    VGroup,
    tempconfig,
)

from model.errors import NetmorphError, OneLineParser, user_errors
from model.files import written_whole
from model.narration.captions import DECISION
from model.picture.frame import Frame
from model.picture.labels import place_names
from model.picture.layout import Layout
from model.picture.played import smooth
from model.picture.samples import (
    FrameSample,
    pack_bytes,
    pack_positions,
    read_frame,
    sample_moves,
)
from model.picture.screen import Box
from model.picture.view import INPUT_MOVE
from scenes.kit import style
from scenes.kit.animations import MorphPicture, area_clip
from scenes.kit.mobjects import Polylines
from scenes.kit.morph_scene import REGIONS_FADE, MorphScene
from scenes.kit.overlays import (
    NetworkStrip,
    ScaleBar,
    caption_block,
    legend,
    title_block,
)
from scenes.kit.scene_files import load_scene
from scenes.kit.style import Theme

if TYPE_CHECKING:  # pragma: no cover
    from scenes.kit.training_scene import TrainingScene

# 0.4 px at 1080p: the page's in-between frames are this close to the video's.
TOLERANCE = 0.003  # scene units
TEMPLATE = "page.html"  # beside this module: the page's HTML, CSS and JavaScript
BLOB_MARK = "/*NETMORPH_DATA*/"  # where the template takes the page's data


@dataclass(frozen=True)
class PageText:
    """One section's words: its name, its title and note (the title band), its caption lines
    (the caption band) and the move it shows."""

    section: str  # "input", a step's name ("relu2"), or "decision"
    title: str
    note: str  # the line under the title, as the video's title band shows it
    lines: tuple[str, ...]  # the caption band's lines (model.narration.captions.narrate)
    move: int  # the timeline's move (model.picture.moves); its return_move for the decision


def page_texts(scene: MorphScene) -> tuple[PageText, ...]:
    """Every section's title, note and caption lines, in the video's order: the one place the
    page's words come from.

    Titles and caption lines are the narration's (:func:`model.narration.captions.narrate`, as
    the scene tells it, :meth:`MorphScene.tell`): the caption band shows each section's
    :meth:`MorphScene.caption_lines` (none when the scene sets ``captions = False``, as its
    video). The note under a title is the scene's own (:meth:`MorphScene.get_note`).
    """
    if not hasattr(scene, "narration"):
        scene.tell()
    morph = scene.morph
    names = [stage.step.name for stage in morph.stages]
    texts = []
    for caption in scene.narration.values():
        if caption.section == DECISION:
            note = scene.closing_note()
            move = morph.timeline.return_move
        else:
            move = names.index(caption.section)  # the move that ends on the section's stage
            if move > scene.last_move():
                continue  # a video that stops early (last_move) has no section for it
            note = scene.get_note(morph.stages[move])
        lines = scene.caption_lines(caption.section)
        texts.append(PageText(caption.section, caption.title, note, lines, move))
    return tuple(texts)


def kind_of(scene_class: type) -> str | None:
    """``"training"``, ``"morph"`` (2-D) or None (a scene a page cannot draw).

    The training and 3-D bases are looked up only if the scene's file imported them: the
    training film imports torch, which a page of a cached morph never needs (a second of start).
    """

    def imported(module: str, name: str) -> bool:
        found = getattr(sys.modules.get(module), name, None)
        return isinstance(found, type) and issubclass(scene_class, found)

    if imported("scenes.kit.training_scene", "TrainingScene"):
        return "training"
    if imported("scenes.kit.morph_scene_3d", "MorphScene3D"):
        return None
    return "morph" if issubclass(scene_class, MorphScene) else None


@contextmanager
def set_up(scene_class: type[Scene], media_dir: Path) -> Iterator[Scene]:
    """An instance of ``scene_class`` after its ``setup`` (network trained or loaded), inside
    the Manim config it was made in (nothing is rendered)."""
    if kind_of(scene_class) is None:
        raise NetmorphError(
            f"{scene_class.__name__} is not a 2-D morph or training scene: a page draws "
            "MorphScene and TrainingScene subclasses (for 3-D, render the video)"
        )
    settings = {"media_dir": str(media_dir), "dry_run": True, "disable_caching": True}
    with tempconfig(settings):
        scene = scene_class()
        if isinstance(scene, MorphScene) and scene.view == "3d":
            raise NetmorphError(
                f"{scene_class.__name__} has view = '3d': a page draws 2-D pictures; "
                "choose view = 'readout', 'first2' or 'pca'"
            )
        scene.setup()
        yield scene


def theme_data(theme: Theme) -> dict[str, Any]:
    """The theme's colours and the sizes the video draws its picture with, for the page."""
    return {
        "theme": asdict(theme),
        "sizes": {
            "dot": style.DOT_RADIUS,
            "grid": style.GRID_WIDTH,
            "axis": style.AXIS_WIDTH,
            "boundary": style.BOUNDARY_WIDTH,
            "fold": style.FOLD_WIDTH,
            "small": style.SMALL_FONT_SIZE,
        },
    }


class Blobs:
    """The page's binary parts (deflated), each named, base64 in the HTML."""

    def __init__(self) -> None:
        self.parts: dict[str, bytes] = {}

    def add(self, payload: bytes) -> str:
        name = f"b{len(self.parts)}"
        self.parts[name] = payload
        return name


def _round(values: Any, digits: int = 4) -> Any:
    """``values`` (any nesting of numbers) rounded, as JSON lists."""
    return np.round(np.asarray(values, dtype=np.float64), digits).tolist()


# ---- what the video's overlays draw, as the page draws it ---------------------------------


def _hex(color: Any) -> str:
    """A Manim colour as ``#RRGGBB``."""
    return str(color.to_hex() if hasattr(color, "to_hex") else color)[:7].upper()


def text_of(group: Mobject) -> Text:
    """The one Pango text of a :func:`scenes.kit.overlays.label` (or the text itself)."""
    found = [m for m in group.get_family() if isinstance(m, Text)]
    if len(found) != 1:
        raise ValueError(f"expected one text in {group!r}, found {len(found)}")
    return found[0]


def texts_of(group: Mobject) -> list[Text]:
    """Every Pango text in ``group``, in its order (a panel title and its note)."""
    return [m for m in group.get_family() if isinstance(m, Text)]


def text_item(text: Text, *, opacity: float | None = None) -> dict[str, Any]:
    """A text as the page draws it: its ink box centred where Manim's is, at its font size."""
    glyphs = text.family_members_with_points() or [text]
    x, y = text.get_center()[:2]
    return {
        "k": "text",
        "s": text.original_text,
        "x": round(float(x), 4),
        "y": round(float(y), 4),
        "w": round(float(text.width), 4),
        "size": round(float(text.font_size), 3),
        "c": _hex(glyphs[0].get_fill_color()),
        "o": round(float(glyphs[0].get_fill_opacity() if opacity is None else opacity), 3),
    }


def _stroke(m: Mobject) -> list[Any] | None:
    width, opacity = float(m.get_stroke_width()), float(m.get_stroke_opacity())
    if width <= 0 or opacity <= 0:
        return None
    return [_hex(m.get_stroke_color()), round(width, 3), round(opacity, 3)]


def _fill(m: Mobject) -> list[Any] | None:
    opacity = float(m.get_fill_opacity())
    return None if opacity <= 0 else [_hex(m.get_fill_color()), round(opacity, 3)]


def drawing(mobject: Mobject) -> list[dict[str, Any]]:
    """What ``mobject`` (an overlay the video draws: a title block, the legend, a marker…)
    draws, as items the page draws on its canvas in scene units: texts (``text``), rounded
    boxes and plates (``rect``), dots and rings (``dot``), straight lines (``line``)."""
    items: list[dict[str, Any]] = []

    def walk(m: Mobject) -> None:
        if isinstance(m, Text):
            items.append(text_item(m))
        elif isinstance(m, RoundedRectangle):  # the strip's boxes and pills, text plates
            (x0, y0), (x1, y1) = m.get_corner(DL)[:2], m.get_corner(UR)[:2]
            corner = m.corner_radius  # one radius, or one per corner (all alike here)
            corner = corner[0] if isinstance(corner, list) else corner
            radius = min(float(corner), float(m.height) / 2, float(m.width) / 2)
            box = _round([x0, y0, x1, y1])
            items.append(
                {"k": "rect", "box": box, "r": round(radius, 4), "fill": _fill(m)}
                | {"stroke": _stroke(m)}
            )
        elif isinstance(m, Circle):  # a legend's dot (filled) or a marker's ring (stroked)
            x, y = m.get_center()[:2]
            items.append(
                {"k": "dot", "x": round(float(x), 4), "y": round(float(y), 4)}
                | {"r": round(float(m.width) / 2, 4), "fill": _fill(m), "stroke": _stroke(m)}
            )
        elif isinstance(m, Line):
            items.append(
                {"k": "line", "pts": _round([m.get_start()[:2], m.get_end()[:2]])}
                | {"stroke": _stroke(m)}
            )
        elif isinstance(m, Polylines) and len(m.points):
            items.append({"k": "line", "pts": _round(m.vertices[:, :2]), "stroke": _stroke(m)})
        else:
            for sub in m.submobjects:
                walk(sub)

    walk(mobject)
    # What draws nothing (a hidden ring, a faded text) is left out.
    return [
        item
        for item in items
        if item.get("o", 1) > 0 and (item["k"] == "text" or item.get("fill") or item.get("stroke"))
    ]


def strip_data(strip: NetworkStrip, theme: Theme) -> dict[str, Any]:
    """The network strip as the video draws it: its heading and brackets, and each entry's box
    and words (entry k is the stage after step k; the page lights one, as ``highlight``)."""
    heading, _, brackets = strip.submobjects
    return {
        "items": drawing(heading) + drawing(brackets),
        "entries": [
            {"box": drawing(box)[0], "text": text_item(text_of(words))}
            for box, words in zip(strip.boxes, strip.texts)
        ],
        "lit": {"color": theme.highlight, "width": 3.0},
    }


def scale_bar_data(bar: ScaleBar) -> dict[str, Any]:
    """The scale bar as :class:`~scenes.kit.overlays.ScaleBar` draws it for any frame: its
    heading, where the bar starts, the round lengths it may show and the stretch notes."""
    return {
        "heading": text_item(text_of(bar.heading), opacity=1.0),
        "anchor": _round(bar.anchor[:2]),
        "longest": round(float(bar.longest), 4),
        "stroke": [_hex(bar.bar.get_stroke_color()), float(bar.bar.get_stroke_width()), 1.0],
        "values": [
            [value, text_item(text_of(words), opacity=1.0)] for value, words in bar.words.items()
        ],
        "notes": [
            [factor, text_item(text_of(note), opacity=1.0)] for factor, note in bar.notes.items()
        ],
    }


# ---- the pictures: sampled frames, names where the video places them ----------------------


class NamePlacer:
    """Where a :class:`MorphPicture` puts its names at any frame: the video's own placement
    (:func:`model.picture.labels.place_names`, with the picture's label sizes, its room and a
    crowd sample of its data rows, as ``MorphPicture`` asks it)."""

    def __init__(self, picture: MorphPicture) -> None:
        self.sizes = picture.name_sizes
        # How each name is drawn: {text: {"size": its font size, "c": its colour}}.
        self.looks = {
            t: {key: item[key] for key in ("size", "c")}
            for t, item in ((t, text_item(text_of(m))) for t, m in picture.names.items())
        }
        self.room = picture.room
        self.crowd = picture.crowd_rows

    def placed(self, frame: Frame) -> dict[str, tuple[Box, float]]:
        """Each shown name's box and opacity at ``frame``."""
        return place_names(frame, self.sizes, self.room, frame.points[self.crowd])

    def read(self, frame: Frame) -> FrameSample:
        """``frame`` as the page keeps it, its names placed (:func:`read_frame`)."""
        return read_frame(frame, self.placed(frame))


def picture_data(
    samples: list[tuple[float, FrameSample]],
    layout: Layout,
    picture: MorphPicture,
    placer: NamePlacer,
    blobs: Blobs,
    *,
    scale_bar: ScaleBar | None = None,
) -> dict[str, Any]:
    """One drawn picture: its rows' layout, its sampled frames (keys, positions, extras)."""
    positions = np.stack([s.points for _, s in samples])  # (samples, rows, 2)
    sizes = [s.stop - s.start for s in layout.classes]
    frames = [
        [
            _round(s.axes),
            round(s.axes_opacity, 4),
            [[text, *_round([x, y]), round(o, 4)] for text, x, y, o in s.names if o > 0],
            [_round(g) for g in s.guides],
            round(s.guide_opacity, 4),
            None if s.scale is None else round(s.scale, 6),
            round(s.opacity, 4),
            round(s.stretch, 4),
        ]
        for _, s in samples
    ]
    return {
        "clip": _round(picture.grid.clip),
        "classes": [[s.start, s.stop] for s in layout.classes],
        "order": sorted(range(len(sizes)), key=lambda k: -sizes[k]),  # largest first
        "grid": [layout.grid.start, *layout.grid_shape],
        "curves": [layout.boundary.start, list(layout.boundary_lengths)],
        "folds": [layout.folds.start, list(layout.fold_lengths)],
        "rows": int(positions.shape[1]),
        "samples": int(positions.shape[0]),
        "blob": blobs.add(pack_positions(positions)),
        "keys": [round(k, 6) for k, _ in samples],
        "frames": frames,
        "names": placer.looks,
        "scaleBar": None if scale_bar is None else scale_bar_data(scale_bar),
    }


# ---- a morph scene ------------------------------------------------------------------------


def morph_sections(scene: MorphScene) -> tuple[list[dict[str, Any]], float]:
    """The page's sections (input, every step, the decision) on the scrub bar, and its length,
    each with what its title and caption bands draw and its pace in the video.

    Every step takes one unit of the bar; the decision takes more, so its shading fades in
    after the points are back in the input plane, as in the video. The input takes none. A
    section plays its units in its morph's seconds, after its title's lead-in, and holds its
    end (:attr:`MorphScene.paces`).
    """
    stages = scene.morph.stages
    sections, position = [], 0.0
    for text in page_texts(scene):
        closing = text.section == DECISION
        step = stages[min(text.move, len(stages) - 1)].step
        pace = scene.paces[text.section]
        # The decision: the return, then its shading fades in (the hold's first seconds).
        fade = min(REGIONS_FADE, pace.hold) if closing else 0.0
        moves = text.move != INPUT_MOVE
        width = 1.0 + fade / max(pace.morph, 1e-9) if closing else (1.0 if moves else 0.0)
        words = VGroup(
            title_block(text.title, text.note, scene.colors, scene.screen.title),
            caption_block(text.lines, scene.colors, scene.screen.caption),
        )
        sections.append(
            {
                "name": text.section,
                "move": text.move,
                "kind": "decision" if closing else step.kind,
                "short": "decision"
                if closing
                else (step.short if moves else f"input · {stages[0].width}"),
                "title": text.title,
                "note": text.note,
                "lines": list(text.lines),
                "words": drawing(words),
                "start": round(position, 6),
                "end": round(position + width, 6),
                "lead": 0.0 if not moves or closing else scene.label_seconds,
                "seconds": round(pace.morph + fade, 3),
                "hold": round(pace.hold - fade, 3),
            }
        )
        position += width
    return sections, round(position, 6)


def collapse_markers(
    scene: MorphScene, picture: MorphPicture, sections: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The rings and plated words the video holds at a move's end (``mark_collapsed``), where
    it puts them: beside the ring, clear of the names placed at that frame."""
    flat = scene.flat
    # mark_collapsed reads the names the picture placed; the picture is the video's own.
    scene.picture = picture
    out = []
    for section in sections:
        if section["kind"] in ("input", "decision"):
            continue
        picture.display(flat.frame_at(section["move"], 1.0))
        items = [
            item for marker in scene.mark_collapsed(section["move"]) for item in drawing(marker)
        ]
        if items:
            out.append({"from": section["end"], "to": section["end"], "items": items})
    return out


def morph_page(scene: MorphScene, blobs: Blobs) -> dict[str, Any]:
    """The page data of a 2-D morph scene: every step, the decision, strip and captions."""
    # A 2-D scene plays its flat timeline (set_up admits no other).
    morph, flat, theme, screen = scene.morph, scene.flat, scene.colors, scene.screen
    sections, length = morph_sections(scene)
    moving = [s for s in sections if s["end"] > s["start"]]
    # Each move plays through the first unit of its section (the decision then fades in).
    spans = [(s["start"], s["start"] + 1.0) for s in moving]
    picture = scene.make_picture()  # as the video builds it: every name, the scale bar
    placer = NamePlacer(picture)
    samples = sample_moves(
        flat,
        [s["move"] for s in moving],
        spans,
        TOLERANCE,
        lambda a: float(smooth(a)),
        read=placer.read,
    )
    drawn = picture_data(samples, morph.layout, picture, placer, blobs, scale_bar=picture.scale_bar)
    page: dict[str, Any] = {
        "kind": "morph",
        "sections": sections,
        "length": length,
        "pictures": [drawn],
        "furniture": drawing(
            legend(morph.dataset.class_names, theme, screen.legend, folds=scene.show_folds)
        ),
        "strip": None,
        "classNames": list(morph.dataset.class_names),
        "markers": collapse_markers(scene, picture, sections),
    }
    if scene.show_network and screen.strip is not None:
        strip = NetworkStrip(
            [s.step for s in morph.stages], morph.stages[0].width, theme, screen.strip
        )
        page["strip"] = strip_data(strip, theme)
    if scene.has_closing():
        corners = scene.region_corners()
        regions = np.asarray(morph.regions)  # (r, r) predicted class, row 0 at the top
        page["regions"] = {
            "blob": blobs.add(pack_bytes(regions)),
            "width": int(regions.shape[1]),
            "height": int(regions.shape[0]),
            "corners": _round([*corners[0][:2], *corners[1][:2]]),
            "clip": _round(area_clip(scene.picture_area())),
            "from": spans[-1][1],  # the points are back: the shading fades in
            "to": length,
            "opacity": theme.region_opacity,
        }
    return page


# ---- a training scene ---------------------------------------------------------------------


def training_page(scene: TrainingScene, blobs: Blobs) -> dict[str, Any]:
    """The page data of a training scene: its panels at every snapshot, its phases as sections
    (their titles, captions and pace), on the replay's clock (0..1, the story's times)."""
    film = scene.film
    input_timeline = film.input_timeline(scene.input_area)
    panels = scene.make_panels(input_timeline)  # as the video builds them
    placers = [NamePlacer(p) for p in panels]
    held = placers[0].read(input_timeline.keyframe_frame(0))
    times = [float(t) for t in film.times]  # when each snapshot is reached, 0..1
    moves = list(range(1, len(times)))
    spans = [(times[k - 1], times[k]) for k in moves]
    hidden = (
        sample_moves(
            film.hidden, moves, spans, TOLERANCE, lambda a: a, first=1, read=placers[1].read
        )
        if moves
        else [(0.0, placers[1].read(film.hidden.keyframe_frame(0)))]
    )
    pictures = [
        picture_data([(0.0, held)], film.layout, panels[0], placers[0], blobs),
        picture_data(
            hidden, film.hidden_layout, panels[1], placers[1], blobs, scale_bar=panels[1].scale_bar
        ),
    ]
    # Each snapshot's input-space boundary, where the input panel draws it.
    curves = [
        [input_timeline.place_input(c)[:, :2] for c in snapshot] for snapshot in film.boundaries
    ]
    flat = [c for snapshot in curves for c in snapshot]
    points = np.concatenate(flat) if flat else np.zeros((0, 2))
    # The snapshot shown at a moment is the nearest one (TrainingFilm.snapshot_at).
    middles = [0.0, *((a + b) / 2 for a, b in itertools.pairwise(times)), 1.0]
    slots = scene.make_slots()
    curve = scene.make_curve()
    snapshots, markers = [], []
    for k, at in enumerate(times):
        curve.mark(k)
        snapshots.append(
            {
                "iteration": film.iterations[k],
                "caption": scene.snapshot_caption(k),
                "at": at,
                "counter": [text_item(t) for t in texts_of(scene.get_counter(k))],
                "mark": _round([p.get_center()[:2] for p in curve.dots]),
            }
        )
        markers += snapshot_markers(scene, slots, k, placers[1], (middles[k], middles[k + 1]))
    return {
        "kind": "training",
        "length": 1.0,
        "sections": training_sections(scene),
        "pictures": pictures,
        "snapshots": snapshots,
        "curve": {
            "items": drawing(VGroup(*(m for m in curve if m not in (curve.cursor, curve.dots)))),
            "cursor": {"box": _box_list(curve.box), "stroke": _stroke(curve.cursor)},
            "dots": drawing(curve.dots),
        },
        "boundaries": {
            "blob": blobs.add(pack_positions(points[None])),
            "rows": len(points),
            "lengths": [[len(c) for c in snapshot] for snapshot in curves],
        },
        "furniture": drawing(scene.make_furniture()),
        "strip": None,
        "classNames": list(film.dataset.class_names),
        "markers": markers,
    }


def training_sections(scene: TrainingScene) -> list[dict[str, Any]]:
    """The training's phases as the page's sections: each phase's span of the replay, the
    words of its title and caption bands (``TrainingScene.show_phase``) and its pace."""
    story, theme, screen = scene.story, scene.colors, scene.screen
    times = scene.film.times
    sections = []
    for i, phase in enumerate(story.phases):
        title, note = scene.phase_words(i)
        words = VGroup(
            title_block(title, note, theme, screen.title),
            caption_block(phase.lines, theme, screen.caption),
        )
        pace = scene.paces[phase.section]
        sections.append(
            {
                "name": phase.section,
                "title": title,
                "note": note,
                "lines": list(phase.lines),
                "words": drawing(words),
                "start": round(float(times[phase.first]), 6),
                "end": round(float(times[phase.last]), 6),
                "lead": 0.0,
                "seconds": round(pace.morph, 3),
                "hold": round(pace.hold, 3),
            }
        )
    return sections


def snapshot_markers(
    scene: TrainingScene,
    slots: list[Any],
    k: int,
    placer: NamePlacer,
    shown: tuple[float, float],
) -> list[dict[str, Any]]:
    """Snapshot ``k``'s markers as ``TrainingScene.show_snapshot`` places them: each beside its
    ring, clear of the hidden panel's names and of the markers placed before it, shown while
    the snapshot is (the span ``shown`` of the replay)."""
    found = scene.get_marks(k)
    placed = placer.placed(scene.film.hidden.keyframe_frame(k))
    taken = [box for box, _ in placed.values()]
    items = []
    for c, slot in enumerate(slots):
        slot.display(found.get(c), scene.screen.panels[1], taken)
        if found.get(c) is None or slot.shown is None:
            continue
        taken.append(Box.bounding(slot.words.get_all_points()))
        items += drawing(slot.ring)
        if max(m.get_fill_opacity() for m in slot.words.family_members_with_points()) > 0:
            # The slot's words became a copy of its plated text (``become``: plain shapes); the
            # page draws that text where the slot moved it.
            items += drawing(slot.texts[slot.shown].copy().move_to(slot.words.get_center()))
    return [{"from": shown[0], "to": shown[1], "items": items}] if items else []


def page_data(scene: Scene) -> tuple[dict[str, Any], Blobs]:
    """Everything the page draws of a set-up ``scene``, and its binary parts."""
    blobs = Blobs()
    colors: Theme = scene.colors  # type: ignore[attr-defined]
    if kind_of(type(scene)) == "training":
        page = training_page(scene, blobs)  # type: ignore[arg-type]
    else:
        assert isinstance(scene, MorphScene)  # set_up admits no other scene
        page = morph_page(scene, blobs)
    page |= theme_data(colors)
    page["scene"] = type(scene).__name__
    page["frame"] = list(config_frame())
    screen = scene.screen  # type: ignore[attr-defined]
    page["screen"] = {f.name: _box_list(getattr(screen, f.name)) for f in fields(screen)}
    return page, blobs


def _box_list(value: Any) -> Any:
    """A screen region (or a tuple of them, or None) as [x0, y0, x1, y1] lists."""
    if value is None:
        return None
    if isinstance(value, Box):
        return _round([value.x0, value.y0, value.x1, value.y1])
    return [_box_list(v) for v in value]


def config_frame() -> tuple[float, float]:
    """The scene's frame in scene units (Manim's frame_width, frame_height)."""
    from manim import config

    return float(config.frame_width), float(config.frame_height)


def page_html(page: dict[str, Any], blobs: Blobs) -> str:
    """The one HTML file: the template with the page's data and its base64 parts inlined."""
    template = resources.files("scenes.kit").joinpath(TEMPLATE).read_text(encoding="utf-8")
    # "</" inside a script would end it: JSON allows the escaped slash.
    # Never NaN or infinity: JSON has none, and the page would not open.
    text = json.dumps(page, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    data = text.replace("</", "<\\/")
    parts = "".join(
        f'<script type="application/octet-stream" id="{name}">'
        f"{base64.b64encode(payload).decode('ascii')}</script>\n"
        for name, payload in blobs.parts.items()
    )
    head, tail = template.split(BLOB_MARK)
    return head + data + tail.replace("<!--NETMORPH_BLOBS-->", parts)


def write_page(file: Path, name: str, out: Path | None, media_dir: Path) -> Path:
    """Build the page of scene ``name`` in ``file`` and write it to ``out`` whole.

    ``out`` defaults to ``<media_dir>/pages/<name>.html``.
    """
    if out is not None and out.suffix.lower() != ".html":
        raise NetmorphError(f"{out} is not an .html file: name the page, e.g. -o {name}.html")
    scene_class = load_scene(file, name)
    with set_up(scene_class, media_dir) as scene:
        page, blobs = page_data(scene)
    target = out if out is not None else media_dir / "pages" / f"{name}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    with written_whole(target) as f:
        f.write(page_html(page, blobs).encode("utf-8"))
    return target


def main(argv: list[str] | None = None, prog: str = "netmorph page") -> int:
    """``netmorph page SCENE_FILE SCENE [-o OUT.html] [--media_dir DIR]``."""
    parser = OneLineParser(
        prog=prog,
        description="Write a scene's frames as one HTML page a student can scrub, offline.",
    )
    parser.add_argument("file", type=Path, metavar="SCENE_FILE", help="e.g. scenes/morph.py")
    parser.add_argument("scene", metavar="SCENE", help="e.g. ReluMorph")
    parser.add_argument(
        "-o", "--output", type=Path, help="the page to write (default: MEDIA_DIR/pages/SCENE.html)"
    )
    parser.add_argument(
        "--media_dir",
        type=Path,
        default=Path("media"),
        help="where networks are cached (MEDIA_DIR/checkpoints), as manim's (default: media)",
    )
    with user_errors(prog):
        args = parser.parse_args(argv)
        start = time.perf_counter()
        path = write_page(args.file, args.scene, args.output, args.media_dir)
        seconds = time.perf_counter() - start
        print(f"{path}: {path.stat().st_size / 1e6:.1f} MB in {seconds:.1f} s, opens offline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
