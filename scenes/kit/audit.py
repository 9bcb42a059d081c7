"""The layout audit: every label in its own place, readable, at every moment of a scene.

:func:`audit` renders a scene dry (tiny frames, nothing written) and, at every frame of every
``play`` and at every ``wait``, measures from the mobjects themselves:

- every visible text's box on the screen, and which region of the scene's layout it sits in
  (``title``, ``caption``, ``legend``, ``strip``, ``scale``… or a picture, where the axis names,
  tick values and marker words are free labels);
- that nothing is outside the frame's 5 % safe margin, that no two free labels overlap, that no
  free label (or collapse ring) meets an overlay region, that the texts of one overlay do not
  overlap one another and stay inside their region;
- that no data point (dots, and strokes where their clip lets them show) enters an overlay;
- every glyph's cap height at 720p: titles ≥ 28 px; strip, legend, axis names, captions and
  subtitles ≥ 20 px; everything else ≥ 18 px.

Any scene can be put through it, your own subclasses included::

    from scenes.kit.audit import audit
    from scenes.morph import ReluMorph
    report = audit(ReluMorph)
    print(report.summary())       # closest approach of two labels, smallest glyph, problems
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np
from manim import Circle, Dot, Mobject, Text, tempconfig

from model.picture.screen import Box, safe_box
from scenes.kit.manim_internals import screen_points
from scenes.kit.mobjects import ClassRegions, DotCloud, Polylines
from scenes.kit.overlays import ScaleBar

CAP_PX_PER_POINT = 0.911  # a glyph's cap height at 720p per point of font size (DejaVu Sans)
TITLE_PX = 28.0
READABLE_PX = 20.0  # strip, legend, axis names, captions, subtitles
SMALL_PX = 18.0  # everything else
TOLERANCE = 0.005  # scene units two boxes may share (anti-aliasing, rounding)
READABLE_REGIONS = ("strip", "legend", "caption")
SETTINGS = {
    "pixel_width": 160,
    "pixel_height": 90,
    "frame_rate": 5,
    "dry_run": True,
    "disable_caching": True,
}


@dataclass
class Report:
    """What the audit found in one scene."""

    scene: str
    samples: int = 0  # moments measured
    closest: float = np.inf  # the least gap between two free labels, scene units
    smallest: float = np.inf  # the smallest glyph cap height, px at 720p
    smallest_text: str = ""
    problems: list[str] = field(default_factory=list)  # one line each, first 50 kept

    def problem(self, text: str) -> None:
        if len(self.problems) < 50 and text not in self.problems:
            self.problems.append(text)

    def summary(self) -> str:
        """One line: the figures, then the first problems."""
        head = (
            f"{self.scene}: {self.samples} moments, closest labels {self.closest:.2f} units "
            f"({self.closest * 90:.0f} px at 720p), smallest glyph {self.smallest:.1f} px "
            f"({self.smallest_text!r}), {len(self.problems)} problems"
        )
        return "\n".join([head, *self.problems[:10]])


@dataclass(frozen=True)
class Item:
    """One thing on screen: its text (or kind), its box, and the region it sits in."""

    text: str
    box: Box
    region: str
    cap_px: float = 0.0  # glyph cap height at 720p (texts only)
    role: str = ""  # what the words are ("name", "tick", "marker"; see overlays.label)


def audit(
    scene_class: type,
    *,
    media_dir: Path | str | None = None,
    frames_per_sample: int = 1,
    settings: dict | None = None,
) -> Report:
    """Render ``scene_class`` dry and audit its layout (see the module docstring).

    ``media_dir`` holds the checkpoints it may reuse (a temporary folder by default);
    ``frames_per_sample`` measures every n-th frame of each ``play``.
    """

    class Audited(scene_class):
        def setup(self) -> None:
            super().setup()
            self.report = Report(scene_class.__name__)
            self._frame = 0

        def update_to_time(self, t: float) -> None:
            super().update_to_time(t)
            self._frame += 1
            if self._frame % frames_per_sample == 0:
                measure(self, self.report)

        def wait(self, *args, **kwargs) -> None:
            measure(self, self.report)
            super().wait(*args, **kwargs)

    Audited.__name__ = scene_class.__name__
    with TemporaryDirectory() as scratch:
        media = str(media_dir) if media_dir is not None else scratch
        with tempconfig({**SETTINGS, **(settings or {}), "media_dir": media}):
            scene = Audited()
            scene.render()
            measure(scene, scene.report)  # the last frame
    return scene.report


def regions_of(scene) -> tuple[dict[str, Box], list[Box]]:
    """The scene's overlay regions by name, and its picture regions (where labels are free)."""
    screen = scene.screen
    overlays = screen.overlays()
    pictures = list(getattr(screen, "panels", ())) or [screen.picture]
    return overlays, pictures


def measure(scene, report: Report) -> None:
    """Audit what ``scene`` shows now into ``report``."""
    from manim import config

    report.samples += 1
    overlays, pictures = regions_of(scene)
    safe = safe_box(config.frame_width, config.frame_height)
    camera = scene.renderer.camera
    texts, rings, data = _visible(scene.mobjects, camera)

    items = []
    for text, box, cap, role in texts:
        items.append(Item(text, box, _region_of(box, overlays, pictures), cap, role))
    free = [i for i in items if i.region == "picture"]
    titles = [i.cap_px for i in items if i.region == "title"]
    if titles and max(titles) + 1e-6 < TITLE_PX:
        report.problem(f"the title is {max(titles):.1f} px < {TITLE_PX:.0f}")
    for item in items:
        if not item.box.within(safe, TOLERANCE):
            report.problem(f"{item.text!r} leaves the safe area: {_fmt(item.box)}")
        if item.region == "none":
            report.problem(f"{item.text!r} is in no region: {_fmt(item.box)}")
        elif item.region != "picture" and not item.box.within(overlays[item.region], TOLERANCE):
            report.problem(f"{item.text!r} spills out of the {item.region} region")
        _check_size(item, report)
    for a, b in combinations(items, 2):
        if a.region != b.region:
            continue
        if a.box.grown(-TOLERANCE).meets(b.box.grown(-TOLERANCE)):
            report.problem(f"{a.text!r} overlaps {b.text!r} ({a.region})")
        if a.region == "picture":
            report.closest = min(report.closest, a.box.gap_to(b.box))
    for item in [*free, *rings]:
        for name, region in overlays.items():
            if item.box.grown(-TOLERANCE).meets(region):
                report.problem(f"{item.text!r} meets the {name} region: {_fmt(item.box)}")
    for ring in rings:
        for item in free:
            if ring.box.grown(-TOLERANCE).meets(item.box.grown(-TOLERANCE)) and not _inside_ring(
                item.box, ring.box
            ):
                report.problem(f"a collapse ring crosses {item.text!r}")
    for what, points in data:
        for name, region in overlays.items():
            if region.grown(-TOLERANCE).contains(points).any():
                report.problem(f"{what} points enter the {name} region")


def _check_size(item: Item, report: Report) -> None:
    # A title's note is a subtitle; in a picture, an axis (or curve) name.
    readable = item.region in ("title", *READABLE_REGIONS)
    readable |= item.region == "picture" and item.role == "name"
    floor = READABLE_PX if readable else SMALL_PX
    if item.cap_px + 1e-6 < floor:
        report.problem(f"{item.text!r} ({item.region}) is {item.cap_px:.1f} px < {floor:.0f}")
    if item.cap_px < report.smallest:
        report.smallest, report.smallest_text = item.cap_px, item.text


def _visible(mobjects: list[Mobject], camera) -> tuple[list, list[Item], list]:
    """Visible texts (text, screen box, cap px), collapse rings and data point sets."""
    texts: list[tuple[str, Box, float, str]] = []
    rings: list[Item] = []
    data: list[tuple[str, np.ndarray]] = []
    seen: set[int] = set()
    overlay_lines = {
        id(m)
        for top in mobjects
        for m in top.get_family()
        if isinstance(m, ScaleBar)
        for m in m.get_family()
    }
    for top in mobjects:
        for mob in top.get_family():
            if id(mob) in seen:
                continue
            seen.add(id(mob))
            if isinstance(mob, Text):
                if _opacity(mob) > 0.05 and len(mob.get_all_points()):
                    points = screen_points(camera, mob, mob.get_all_points())
                    cap = mob.font_size * CAP_PX_PER_POINT
                    role = getattr(mob, "role", "")
                    texts.append((mob.original_text, Box.bounding(points), cap, role))
                continue
            if (
                isinstance(mob, Circle)
                and not isinstance(mob, Dot)
                and mob.get_stroke_opacity() > 0.05
            ):
                points = screen_points(camera, mob, mob.points)
                rings.append(Item("collapse ring", Box.bounding(points), "picture"))
            elif isinstance(mob, DotCloud) and mob.get_fill_opacity() > 0.05 and len(mob.points):
                data.append(("class", screen_points(camera, mob, mob.centers)))
            elif id(mob) in overlay_lines:
                continue
            elif isinstance(mob, Polylines) and mob.get_stroke_opacity() > 0.05:
                vertices = screen_points(camera, mob, mob.vertices) if len(mob.points) else None
                if vertices is not None and len(vertices):
                    data.append(("line", _clipped(vertices, mob.clip)))
            elif isinstance(mob, ClassRegions) and mob.get_fill_opacity() > 0.05:
                corners = _clipped(mob.points[:, :2], mob.clip)
                if len(corners):
                    data.append(("shading", _fill(corners)))
    return texts, rings, data


def _clipped(points: np.ndarray, clip) -> np.ndarray:
    """The points a clip rectangle lets show."""
    if clip is None:
        return points
    x0, y0, x1, y1 = clip
    keep = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
    return points[keep]


def _fill(corners: np.ndarray) -> np.ndarray:
    """A lattice of points covering the box of ``corners``: a shaded area's points."""
    box = Box.bounding(corners)
    xs, ys = np.linspace(box.x0, box.x1, 25), np.linspace(box.y0, box.y1, 25)
    return np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)


def _opacity(text: Text) -> float:
    return max((float(m.get_fill_opacity()) for m in text.get_family()), default=0.0)


def _region_of(box: Box, overlays: dict[str, Box], pictures: list[Box]) -> str:
    centre = np.array([box.center])
    for name, region in overlays.items():
        if region.contains(centre)[0]:
            return name
    if any(picture.contains(centre)[0] for picture in pictures):
        return "picture"
    return "none"


def _inside_ring(box: Box, ring: Box) -> bool:
    return box.within(ring)


def _fmt(box: Box) -> str:
    return f"[{box.x0:.2f}, {box.x1:.2f}] × [{box.y0:.2f}, {box.y1:.2f}]"
