"""An explorable page: a scene's frames, sampled, in one HTML file that opens offline.

``netmorph page SCENE_FILE SCENE`` loads the scene as ``manim`` does (imports the file, takes
the class), runs its ``setup`` (which trains the network or loads it from
``<media_dir>/checkpoints``, and refuses a bad attribute with one line), samples the frames its
video draws (:mod:`model.picture.samples`) and writes them, deflated, into a copy of
``page.html`` (plain canvas drawing, no library, nothing fetched). A student scrubs every step,
clicks a step of the network strip, follows one point through the network, and links to a
moment (``#t=0.62``, ``#step=relu2``).

Examples::

    netmorph page scenes/morph.py ReluMorph               # media/pages/ReluMorph.html
    netmorph page scenes/training.py ReluTraining -o relu-training.html
    netmorph page my_scenes.py WideTanh --media_dir /tmp/media
"""

from __future__ import annotations

import base64
import importlib.util
import inspect
import itertools
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from manim import Scene, tempconfig

from model.errors import NetmorphError, OneLineParser, user_errors
from model.files import written_whole
from model.picture.layout import Layout
from model.picture.played import smooth
from model.picture.samples import (
    NAME_PLACEMENT,
    FrameSample,
    pack_bytes,
    pack_positions,
    read_frame,
    sample_steps,
)
from model.picture.view import Area, MorphTimeline
from scenes.kit import style
from scenes.kit.animations import NAME_GAP, area_clip
from scenes.kit.morph_scene import MAX_CORNER_REACH, MorphScene
from scenes.kit.overlays import BAR_LONGEST, ScreenLayout, nice_values
from scenes.kit.style import Theme

if TYPE_CHECKING:  # pragma: no cover
    from scenes.kit.training_scene import TrainingScene

# 0.4 px at 1080p: the page's in-between frames are this close to the video's.
TOLERANCE = 0.003  # scene units
FADE_SECONDS = 0.8  # the decision's shading fades in after the points are back (as the video)
TEMPLATE = "page.html"  # beside this module: the page's HTML, CSS and JavaScript
BLOB_MARK = "/*NETMORPH_DATA*/"  # where the template takes the page's data


@dataclass(frozen=True)
class PageText:
    """One section's words: its name, title and caption lines, and the step it shows."""

    section: str  # "input", a step's name ("relu2"), or "decision"
    title: str
    lines: tuple[str, ...]
    step: int  # the morph's step (MorphTimeline numbering); back_step for the decision


def page_texts(scene: MorphScene) -> tuple[PageText, ...]:
    """Every section's title and caption lines, in the video's order.

    This is the one place that switches to the narration when it lands
    (``model.narration.captions.narrate(scene.morph)``, whose Captions carry the same
    section, title, lines and step): until then the titles and notes the video shows.
    """
    morph = scene.morph
    texts = []
    for k in range(scene.last_step() + 1):
        stage = morph.stages[k]
        note = scene.get_note(stage)
        texts.append(PageText(stage.step.name, stage.step.title, (note,) if note else (), k))
    if scene.has_closing():
        note = "each region shaded by the class it predicts · " + scene.accuracy_caption()
        texts.append(PageText("decision", scene.closing_title(), (note,), morph.path.back_step))
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


def load_scene(file: Path, name: str) -> type[Scene]:
    """The scene class ``name`` of the Python file ``file``, imported as ``manim`` imports it."""
    if file.suffix != ".py" or not file.is_file():
        raise NetmorphError(f"no scene file {file}: give the .py file you would hand to manim")
    module_name = ".".join(file.with_suffix("").parts).lstrip(".") or file.stem
    spec = importlib.util.spec_from_file_location(module_name, file)
    if spec is None or spec.loader is None:
        raise NetmorphError(f"{file} cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    sys.path.insert(0, str(file.parent.absolute()))  # as manim does: the file's own imports
    spec.loader.exec_module(module)
    found = getattr(module, name, None)
    if not (inspect.isclass(found) and issubclass(found, Scene)):
        scenes = sorted(
            n
            for n, obj in vars(module).items()
            if inspect.isclass(obj) and issubclass(obj, Scene) and kind_of(obj)
        )
        raise NetmorphError(
            f"{file} has no scene {name}: choose one of {', '.join(scenes) or '(none)'}"
        )
    return found


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
    """The theme's colours and the sizes the video draws with, for the page."""
    return {
        "theme": asdict(theme),
        "sizes": {
            "dot": style.DOT_RADIUS,
            "grid": style.GRID_WIDTH,
            "axis": style.AXIS_WIDTH,
            "boundary": style.BOUNDARY_WIDTH,
            "fold": style.FOLD_WIDTH,
            "nameGap": NAME_GAP,
            "font": {
                "title": style.TITLE_FONT_SIZE,
                "note": style.NOTE_FONT_SIZE,
                "axis": style.AXIS_FONT_SIZE,
                "legend": style.LEGEND_FONT_SIZE,
                "strip": style.STRIP_FONT_SIZE,
            },
        },
        "namePlacement": NAME_PLACEMENT,
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


def picture_data(
    samples: list[tuple[float, FrameSample]],
    layout: Layout,
    area: Area,
    blobs: Blobs,
    *,
    names: tuple[str, ...] | None = None,
    scale_bar: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One drawn picture: its rows' layout, its sampled frames (keys, positions, extras).

    ``names`` limits the axis names drawn (None: every name the frames carry).
    """
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
        ]
        for _, s in samples
    ]
    return {
        "clip": _round(area_clip(area)),
        "center": _round(area.center),
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
        "names": None if names is None else list(names),
        "scaleBar": scale_bar,
    }


def scale_bar_data(path: MorphTimeline, layout: ScreenLayout) -> dict[str, Any]:
    """Where the scale bar sits and the round lengths it may show (overlays.ScaleBar)."""
    values = nice_values(*path.scale_range())
    return {
        "anchor": _round([layout.legend_left + 0.1, layout.bottom + 0.35]),
        "values": [[v, f"{v:g}"] for v in values],
        "longest": BAR_LONGEST,
    }


def ring(centre: np.ndarray, reach: float, words: str, color: str) -> dict[str, Any]:
    """A collapse ring and its words, as the video draws them (overlays.collapse_marker)."""
    return {
        "x": round(float(centre[0]), 4),
        "y": round(float(centre[1]), 4),
        "r": round(max(0.3, reach + 0.15), 4),
        "text": words,
        "color": color,
    }


def morph_sections(scene: MorphScene) -> tuple[list[dict[str, Any]], float]:
    """The page's sections (input, every step, the decision) on the scrub bar, and its length.

    Every step that moves takes one unit; the decision takes more, so its shading fades in
    after the points are back in the input plane, as in the video. The input takes none.
    """
    stages = scene.morph.stages
    fade = 1.0 + FADE_SECONDS / scene.morph_seconds  # the decision: the move, then the fade
    sections, position = [], 0.0
    for text in page_texts(scene):
        closing = text.section == "decision"
        step = stages[min(text.step, len(stages) - 1)].step
        width = fade if closing else (1.0 if text.step else 0.0)
        sections.append(
            {
                "name": text.section,
                "step": text.step,
                "kind": "decision" if closing else step.kind,
                "layer": 0 if closing else step.layer,
                # the network strip's words (overlays.NetworkStrip)
                "short": "decision"
                if closing
                else (step.short if text.step else f"input · {stages[0].width}"),
                "title": text.title,
                "lines": list(text.lines),
                "start": round(position, 6),
                "end": round(position + width, 6),
            }
        )
        position += width
    return sections, round(position, 6)


def morph_page(scene: MorphScene, blobs: Blobs) -> dict[str, Any]:
    """The page data of a 2-D morph scene: every step, the decision, strip and captions."""
    morph, path = scene.morph, scene.morph.path
    assert isinstance(path.area, Area)  # set_up admits 2-D pictures only
    sections, length = morph_sections(scene)
    moving = [s for s in sections if s["end"] > s["start"]]
    # Each step moves through the first unit of its section (the decision then fades in).
    spans = [(s["start"], s["start"] + 1.0) for s in moving]
    samples = sample_steps(
        path, [s["step"] for s in moving], spans, TOLERANCE, lambda a: float(smooth(a))
    )
    picture = picture_data(
        samples,
        morph.layout,
        path.area,
        blobs,
        scale_bar=scale_bar_data(path, scene.screen_layout),
    )
    page: dict[str, Any] = {
        "kind": "morph",
        "sections": sections,
        "length": length,
        "pictures": [picture],
        "strip": scene.show_network,
        "legend": {
            "names": list(morph.dataset.class_names),
            "boundary": "(p = 0.5)" if morph.dataset.n_classes == 2 else "(top two tie)",
            "folds": scene.show_folds,
        },
        "markers": _collapse_markers(scene, sections),
        "play": {"morph": scene.morph_seconds, "hold": scene.hold_seconds},
    }
    if scene.has_closing():
        corners = scene.region_corners()
        regions = np.asarray(morph.regions)  # (r, r) predicted class, row 0 at the top
        page["regions"] = {
            "blob": blobs.add(pack_bytes(regions)),
            "width": int(regions.shape[1]),
            "height": int(regions.shape[0]),
            "corners": _round([*corners[0][:2], *corners[1][:2]]),
            "from": spans[-1][1],  # the points are back: the shading fades in
            "to": length,
            "opacity": scene.colors.region_opacity,
        }
    return page


def _collapse_markers(scene: MorphScene, sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rings round classes a stage squeezes to a speck, where the video holds that stage."""
    path, names = scene.morph.path, scene.morph.dataset.class_names
    colors = scene.colors.class_colors
    out = []
    for section in sections:
        step = section["step"]
        if section["kind"] in ("input", "decision"):
            continue
        rings = [
            ring(centre, reach, f"all {count:,} {names[k]} points here", colors[k])
            for k, centre, reach, count in path.collapsed(step, style.DOT_RADIUS)
            # On the probability polygon the corner names such a class already (MorphScene).
            if not (step in path.fixed and reach > MAX_CORNER_REACH)
        ]
        if rings:
            out.append({"from": section["end"], "to": section["end"], "picture": 0, "rings": rings})
    return out


def training_page(scene: TrainingScene, blobs: Blobs) -> dict[str, Any]:
    """The page data of a training scene: both panels at every snapshot, on the replay's clock."""
    film, theme = scene.film, scene.colors
    input_path = film.input_path(scene.input_area)
    held = read_frame(input_path.keyframe_frame(0))
    times = [float(t) for t in film.times]  # when each snapshot is reached, 0..1
    moves = list(range(1, len(times)))
    spans = [(times[k - 1], times[k]) for k in moves]
    hidden = (
        sample_steps(film.hidden, moves, spans, TOLERANCE, lambda a: a, first=1)
        if moves
        else [(0.0, read_frame(film.hidden.keyframe_frame(0)))]
    )
    pictures = [
        picture_data([(0.0, held)], film.layout, scene.input_area, blobs),
        picture_data(
            hidden,
            film.hidden_layout,
            scene.hidden_area,
            blobs,
            # Readout pictures are projections, not coordinates: their axes go unnamed.
            names=() if film.view == "readout" else None,
            scale_bar=scale_bar_data(film.hidden, scene.bar_layout()),
        ),
    ]
    # Each snapshot's input-space boundary, where the input panel draws it.
    curves = [[input_path.place_input(c)[:, :2] for c in snapshot] for snapshot in film.boundaries]
    flat = [c for snapshot in curves for c in snapshot]
    points = np.concatenate(flat) if flat else np.zeros((0, 2))
    # The snapshot shown at a moment is the nearest one (TrainingFilm.snapshot_at).
    middles = [0.0, *((a + b) / 2 for a, b in itertools.pairwise(times)), 1.0]
    snapshots = []
    markers = []
    for k, at in enumerate(times):
        snapshots.append({"step": film.steps[k], "caption": scene.snapshot_caption(k), "at": at})
        rings = [
            ring(m.centre, m.reach, _mark_words(m, film.dataset.class_names), theme.class_colors[c])
            for c, m in sorted(scene.get_marks(k).items())
        ]
        if rings:
            markers.append({"from": middles[k], "to": middles[k + 1], "picture": 1, "rings": rings})
    panels = [
        _panel_title("input space", "x₁, x₂: the data's own coordinates", scene, 0),
        _panel_title(film.hidden_label, scene.hidden_note(), scene, 1),
    ]
    return {
        "kind": "training",
        "length": 1.0,
        "pictures": pictures,
        "snapshots": snapshots,
        "boundaries": {
            "blob": blobs.add(pack_positions(points[None])),
            "rows": len(points),
            "lengths": [[len(c) for c in snapshot] for snapshot in curves],
        },
        "panels": panels,
        "legend": {"names": list(film.dataset.class_names), "boundary": "(p = 0.5)"},
        "markers": markers,
        "play": {"replay": scene.replay_seconds},
    }


def _mark_words(mark: Any, names: tuple[str, ...]) -> str:
    """What a training marker says (panel_overlays.MarkSlot)."""
    amount = f"{mark.count:,} of {mark.total:,}"
    if mark.count == mark.total:
        amount = f"all {mark.total:,}"
    return f"{amount} {names[mark.label]} points here"


def _panel_title(title: str, note: str, scene: TrainingScene, panel: int) -> dict[str, Any]:
    """A panel's title and note, their bottom just above the panel (TrainingScene)."""
    from scenes.kit.training_scene import PANEL_TITLE_GAP

    area = (scene.input_area, scene.hidden_area)[panel]
    top = area.center[1] + area.height / 2
    return {
        "title": title,
        "note": note,
        "x": round(area.center[0], 4),
        "bottom": round(top + scene.pads[panel] + PANEL_TITLE_GAP, 4),
    }


def page_data(scene: Scene) -> tuple[dict[str, Any], Blobs]:
    """Everything the page draws of a set-up ``scene``, and its binary parts."""
    blobs = Blobs()
    colors: Theme = scene.colors  # type: ignore[attr-defined]
    layout: ScreenLayout = scene.screen_layout  # type: ignore[attr-defined]
    if kind_of(type(scene)) == "training":
        page = training_page(scene, blobs)  # type: ignore[arg-type]
    else:
        assert isinstance(scene, MorphScene)  # set_up admits no other scene
        page = morph_page(scene, blobs)
    page |= theme_data(colors)
    page["scene"] = type(scene).__name__
    page["frame"] = [config_frame()[0], config_frame()[1]]
    page["screen"] = asdict(layout)
    return page, blobs


def config_frame() -> tuple[float, float]:
    """The scene's frame in scene units (Manim's frame_width, frame_height)."""
    from manim import config

    return float(config.frame_width), float(config.frame_height)


def page_html(page: dict[str, Any], blobs: Blobs) -> str:
    """The one HTML file: the template with the page's data and its base64 parts inlined."""
    template = resources.files("scenes.kit").joinpath(TEMPLATE).read_text(encoding="utf-8")
    # "</" inside a script would end it: JSON allows the escaped slash.
    data = json.dumps(page, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
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
