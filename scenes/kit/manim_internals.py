"""Every place netmorph reaches into Manim's (or manim-slides') internals, in one module.

Each contact is a method Manim does not document as an extension point, or a fact about how its
Cairo camera draws, and each says the version it was checked against. An upgrade that changes
one breaks ``tests/scenes/test_manim_contract.py`` (which paints known points and reads the
pixels back), not a video. Pins: manim 0.22.0 (Cairo renderer), manim-slides 5.7.0.

What the hooks do: a mobject with ``paint_points()`` and ``paint_cairo(ctx, points)`` paints
itself in one pass (dot clouds stamp one pre-rendered dot per point; polylines stroke line by
line); every other mobject is drawn as Manim draws it. ``points`` are ``paint_points()`` after
the camera's own projection (identity in 2-D, the perspective projection in a 3-D camera), in
frame units; ``ctx`` maps frame units to pixels.

Two things are never drawn, because nothing of them would show. A VMobject whose fill and both
strokes are fully transparent (an axis name faded out, a title not yet in): Manim would build
its whole Cairo path and paint it at alpha 0, every frame. And, in a still (``manim -s``), every
frame before the last: Manim skips the animations but still draws two frames per ``play``,
which :meth:`OwnDrawingMixin.hold_drawing` turns off until the scene's teardown, while
:func:`play_to_end` jumps each animation to its end without Manim's per-play bookkeeping.

The contacts, and the tests that pin them (an upgrade audit starts here):

- drawing: :class:`OwnDrawingMixin` (``FastCamera``, ``FastThreeDCamera``), :class:`RasterCache`,
  :class:`SpatialRedrawMixin`, :data:`LINE_WIDTH_UNIT`, :func:`cairo_rgba`,
  :func:`straight_alpha_frames`, :func:`screen_points` (the audit's 3-D projection) —
  ``tests/scenes/test_manim_contract.py``, ``tests/scenes/test_layout_audit.py``;
- plays: :class:`InPlaceAnimation` (every animation of ours: no starting copy),
  :func:`play_to_end`, :func:`hold_drawing`, :func:`is_still`, :func:`skipping_animations` —
  ``test_manim_contract.py``, ``tests/scenes/test_still.py``;
- mobjects: :func:`set_drawing_order` (the 3-D picture's classes reordered),
  :class:`WideText`, :func:`text_outline` and :class:`OutlineText` (the glyph cache's text,
  made once with Pango and kept as one outline) — ``test_manim_contract.py``,
  ``tests/scenes/test_glyphs.py``; the one-pass mobjects of ``scenes/kit/mobjects.py`` keep
  Manim's Bézier data (points, rgbas, widths) so its own methods work on them —
  ``test_manim_contract.py``;
- the scene's clock and the file writer: :func:`video_time`, :func:`movie_file`,
  :func:`section_clips` (subtitles), :func:`output_plan`, :func:`partial_movie_folder`,
  :func:`write_outputs_whole`, :func:`stop_on_full_disk`, :func:`encode_sound_as_recorded`
  (scenes/kit/environment.py) — ``tests/scenes/test_output_places.py``,
  ``tests/cli/test_cli_render.py``, ``test_manim_contract.py``;
- settings: :func:`raw_setting`, :func:`default_setting` (Manim's private config dict and its
  library defaults, for scenes/kit/environment.py), :func:`frame_size` (the frame the model
  measures on), ``WideText._text2svg``'s canvas — ``tests/scenes/test_environment.py``,
  ``tests/scenes/test_scene_setup.py``;
- manim-slides: :func:`slide_base` — ``test_manim_contract.py``, ``tests/cli/test_deck.py``.

Listed here, used where they are: ``scenes/kit/audit.py`` overrides ``Scene.update_to_time``
(called at every frame of a play) to measure each frame, and reads ``Text.original_text`` (as
does the page, ``scenes/kit/page.py``) — ``test_layout_audit.py``,
``tests/scenes/test_page_data.py``; ``scenes/kit/deck.py`` relies on ``manim-slides convert``'s
HTML template loading reveal.js from its ``cdn_url`` option — ``tests/cli/test_deck.py``.
"""

from __future__ import annotations

import configparser
import hashlib
import math
from collections import OrderedDict
from collections.abc import Callable, Sequence
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import cast

import av
import cairo
import numpy as np
from manim import Animation, Camera, Mobject, Scene, Text, ThreeDCamera, VMobject, config
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene import scene_file_writer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.utils.family import extract_mobject_family_members
from PIL import Image

from model.files import disk_full_error, whole_path
from scenes.kit.orbit import Pose

# manim 0.22.0: the Cairo camera strokes ``stroke_width`` × 0.01 frame units
# (Camera.cairo_line_width_multiple), so our own strokes use the same unit.
LINE_WIDTH_UNIT = 0.01


def cairo_rgba(rgba: np.ndarray) -> tuple[float, float, float, float]:
    """The source colour cairo needs for an (r, g, b, a) colour on Manim's pixel array.

    manim 0.22.0: the camera's pixel array is RGBA in memory while cairo writes BGRA, so Manim
    swaps red and blue in ``Camera.set_cairo_context_color``; we swap as it does.
    """
    r, g, b, a = (float(c) for c in rgba)
    return b, g, r, a


def _invisible(vmobject: VMobject) -> bool:
    """True when neither the fill nor either stroke of ``vmobject`` can put a pixel down."""
    if vmobject.get_fill_rgbas()[:, 3].any():
        return False
    for background in (False, True):
        if (
            vmobject.get_stroke_width(background) > 0
            and vmobject.get_stroke_rgbas(background)[:, 3].any()
        ):
            return False
    return True


RASTER_BYTES = 48 * 2**20  # pixels kept at most: a 1080p scene's text is ~10 MiB of glyphs
RASTER_MAX_AREA = 256 * 256  # pixels: only small shapes (glyphs, strip boxes) are kept
RASTER_SEEN = 16384  # shapes remembered as drawn once, before the memory starts afresh


class RasterCache:
    """Pixels of small shapes Manim draws again unchanged: a glyph of a title, the legend or the
    network strip is drawn into every static background (one per ``play``) and every frame
    it sits over something moving, and building its cairo path in Python costs ~50× a blit.

    A shape is kept the second time it is drawn with the same projected points, colours,
    stroke widths, joint and cap (a fading or moving text never is), drawn once by Manim into a
    surface of its own, whole pixels from the frame's grid, and from then on composited from
    there: the same rasterisation, so the pixels match Manim's to a rounding (±2 of 255).
    """

    def __init__(self) -> None:
        self.kept: OrderedDict[bytes, tuple[cairo.ImageSurface, int, int]] = OrderedDict()
        self.seen: set[bytes] = set()
        self.bytes = 0  # of the kept surfaces

    def key(self, vmobject: VMobject, points: np.ndarray, ctx) -> bytes | None:
        """A digest of all the shape's pixels depend on, or None for one not worth keeping."""
        # manim 0.22.0: Camera.display_vectorized draws the background stroke, the fill and
        # the stroke from these rgbas and widths, with LINE_JOIN_MAP[joint_type] and
        # CAP_STYLE_MAP[cap_style]; a gradient (more than one rgba) also reads the sheen.
        rgbas = (
            vmobject.get_fill_rgbas(),
            vmobject.get_stroke_rgbas(),
            vmobject.get_stroke_rgbas(True),
        )
        if len(points) == 0 or any(len(r) != 1 for r in rgbas):
            return None
        m = ctx.get_matrix()
        widths = (vmobject.get_stroke_width(), vmobject.get_stroke_width(True))
        frame = (m.xx, m.yx, m.xy, m.yy, m.x0, m.y0)
        style = repr((type(vmobject), widths, vmobject.joint_type, vmobject.cap_style, frame))
        parts = [np.ascontiguousarray(points, dtype=np.float64).tobytes()]
        parts += [np.asarray(r, dtype=np.float64).tobytes() for r in rgbas]
        return hashlib.blake2b(b"".join(parts) + style.encode(), digest_size=16).digest()

    def draw(self, vmobject: VMobject, ctx, key: bytes, points: np.ndarray, paint) -> bool:
        """Composite the kept pixels of ``key`` (keeping them first when seen before); False
        when the shape is to be drawn as Manim draws it."""
        kept = self.kept.get(key)
        if kept is None:
            if key not in self.seen:
                self.seen.add(key)
                if len(self.seen) > RASTER_SEEN:
                    self.seen.clear()
                return False
            kept = self._rasterise(vmobject, ctx, points, paint)
            if kept is None:
                return False
            self.kept[key] = kept
            self.bytes += kept[0].get_stride() * kept[0].get_height()
            while self.bytes > RASTER_BYTES:
                surface = self.kept.popitem(last=False)[1][0]
                self.bytes -= surface.get_stride() * surface.get_height()
        else:
            self.kept.move_to_end(key)
        surface, x, y = kept
        ctx.save()
        ctx.identity_matrix()
        ctx.set_source_surface(surface, x, y)
        ctx.paint()
        ctx.restore()
        return True

    @staticmethod
    def _rasterise(vmobject: VMobject, ctx, points: np.ndarray, paint):
        m = ctx.get_matrix()
        xs = points[:, 0] * m.xx + points[:, 1] * m.xy + m.x0
        ys = points[:, 0] * m.yx + points[:, 1] * m.yy + m.y0
        widest = max(vmobject.get_stroke_width(), vmobject.get_stroke_width(True))
        grow = widest * LINE_WIDTH_UNIT * abs(m.xx) / 2 + 2  # half the stroke, anti-aliasing
        x0, y0 = math.floor(xs.min() - grow), math.floor(ys.min() - grow)
        width, height = math.ceil(xs.max() + grow) - x0, math.ceil(ys.max() + grow) - y0
        if width * height > RASTER_MAX_AREA or width <= 0 or height <= 0:
            return None
        surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)
        own = cairo.Context(surface)
        own.set_matrix(cairo.Matrix(m.xx, m.yx, m.xy, m.yy, m.x0 - x0, m.y0 - y0))
        paint(vmobject, own)
        return surface, x0, y0


class OwnDrawingMixin:
    """Let mobjects with ``paint_cairo`` draw themselves in one pass; skip what cannot show."""

    holding = False  # True: capture nothing (a still's skipped frames)

    @property
    def rasters(self) -> RasterCache:
        """This camera's :class:`RasterCache` (made on first use)."""
        cache = self.__dict__.get("_rasters")
        if cache is None:
            cache = self.__dict__["_rasters"] = RasterCache()
        return cache

    def hold_drawing(self, hold: bool) -> None:
        """Stop (True) or resume (False) drawing captured frames."""
        self.holding = hold

    # manim 0.22.0: Camera.capture_mobjects(mobjects, **kwargs) draws a frame's mobjects into
    # the pixel array; CairoRenderer calls it for every frame it updates, skipped or not.
    def capture_mobjects(self, mobjects, **kwargs):
        if self.holding:
            return None
        return super().capture_mobjects(mobjects, **kwargs)  # type: ignore[misc]

    # manim 0.22.0: Camera.display_vectorized(vmobject, ctx) draws one VMobject (it is called
    # for every VMobject of a frame, in order) and Camera.transform_points_pre_display(mobject,
    # points) is the camera's projection of a mobject's points into frame units.
    def display_vectorized(self, vmobject, ctx):
        paint = getattr(vmobject, "paint_cairo", None)
        if paint is None:
            if _invisible(vmobject):
                return self
            manims = super().display_vectorized  # type: ignore[misc]
            points = self.transform_points_pre_display(vmobject, vmobject.points)  # type: ignore[attr-defined]
            key = self.rasters.key(vmobject, points, ctx)
            if key is not None and self.rasters.draw(vmobject, ctx, key, points, manims):
                return self
            return manims(vmobject, ctx)
        points = self.transform_points_pre_display(vmobject, vmobject.paint_points())  # type: ignore[attr-defined]
        if len(points):
            paint(ctx, points)
        return self


class FastCamera(OwnDrawingMixin, Camera):
    """Manim's 2-D Cairo camera with one-pass drawing for dot clouds and polylines."""


class FastThreeDCamera(OwnDrawingMixin, ThreeDCamera):
    """Manim's 3-D Cairo camera with one-pass dot clouds, a screen shift, and flat by default.

    Only mobjects registered with :meth:`add_space_mobjects` (and Manim's fixed-orientation
    ones) are projected from 3-D; everything else (titles, notes, legends, any overlay a base
    scene adds) stays flat on the screen as in a 2-D scene. ``screen_shift`` moves the projected
    picture on the screen, e.g. below the title.
    """

    def __init__(self, **kwargs) -> None:
        self.space_mobjects: set[Mobject] = set()
        self.screen_shift = np.zeros(2)
        super().__init__(**kwargs)

    def add_space_mobjects(self, *mobjects: Mobject) -> None:
        """Draw ``mobjects`` (and their families) in 3-D, seen through the camera."""
        self.space_mobjects.update(extract_mobject_family_members(list(mobjects)))

    def set_pose(self, pose: Pose) -> None:
        """Put the camera at ``pose`` (angles, zoom and screen shift)."""
        self.set_phi(pose.phi)
        self.set_theta(pose.theta)
        self.set_gamma(pose.gamma)
        self.set_zoom(pose.zoom)
        self.screen_shift = np.asarray(pose.shift, dtype=float)
        # manim 0.22.0: the setters above only store the angles; the rotation matrix that
        # project_points uses is rebuilt here.
        self.reset_rotation_matrix()

    def get_pose(self) -> Pose:
        """The camera's current pose."""
        shift = (float(self.screen_shift[0]), float(self.screen_shift[1]))
        return Pose(self.get_phi(), self.get_theta(), self.get_gamma(), self.get_zoom(), shift)

    # manim 0.22.0: ThreeDCamera.project_points(points) is the perspective projection of every
    # 3-D mobject's points; shifting its result moves the whole 3-D picture on the screen.
    def project_points(self, points: np.ndarray) -> np.ndarray:
        points = super().project_points(points)
        points[:, :2] += self.screen_shift
        return points

    # manim 0.22.0: ThreeDCamera.transform_points_pre_display projects every mobject, and
    # ThreeDCamera.fixed_orientation_mobjects are those add_fixed_orientation_mobjects keeps
    # facing the camera; Camera's own method is the 2-D identity.
    def transform_points_pre_display(self, mobject: Mobject, points: np.ndarray) -> np.ndarray:
        if mobject in self.space_mobjects or mobject in self.fixed_orientation_mobjects:
            return super().transform_points_pre_display(mobject, points)
        return Camera.transform_points_pre_display(self, mobject, points)


REDRAW_MARGIN = 0.1  # scene units added round every box: anti-aliasing, dot radii, slack


def drawn_box(mobject: Mobject) -> np.ndarray | None:
    """(2, 2) lower-left and upper-right corners, in scene units, of everything ``mobject``
    itself (not its submobjects) can put on a 2-D frame; None when it has no points.

    Generous: its points, grown by half its widest stroke, the dot radius of a dot cloud and
    :data:`REDRAW_MARGIN`, and cut to its clip rectangle when it has one.
    """
    points = getattr(mobject, "paint_points", lambda: mobject.points)()
    if not len(points):
        return None
    grow = REDRAW_MARGIN + float(getattr(mobject, "radius", 0.0) or 0.0)
    if isinstance(mobject, VMobject):
        widest = max(mobject.get_stroke_width(), mobject.get_stroke_width(True))
        grow += widest * LINE_WIDTH_UNIT / 2
    box = np.stack([points[:, :2].min(axis=0) - grow, points[:, :2].max(axis=0) + grow])
    clip = getattr(mobject, "clip", None)
    if clip is not None:
        box = np.stack([np.maximum(box[0], clip[:2]), np.minimum(box[1], clip[2:])])
    return box


def _meets(box: np.ndarray, boxes: list[np.ndarray]) -> bool:
    return any((box[0] <= b[1]).all() and (b[0] <= box[1]).all() for b in boxes)


class SpatialRedrawMixin:
    """Redraw on each frame only what moves and what is drawn over it, on a 2-D camera.

    manim 0.22.0: Scene.get_moving_mobjects(*animations) returns, of the scene's mobject
    families in drawing order, every one from the first that moves (animated, with updaters or
    in the foreground) onwards, since anything drawn after a moving mobject may cover it. The
    renderer draws the others once per ``play`` as a static background and those on top every
    frame. A title fading in the top band then redraws the whole picture below it (the picture
    is drawn later, so that a morph never redraws the titles). Here a mobject after the first
    moving one stays in the background when its :func:`drawn_box` meets no box of one redrawn
    before it: drawn over nothing that changes, drawing it first or last gives the same pixels.
    """

    def get_moving_mobjects(self, *animations: Animation) -> list[Mobject]:
        listed = super().get_moving_mobjects(*animations)  # type: ignore[misc]
        camera = self.renderer.camera  # type: ignore[attr-defined]
        if not listed or isinstance(camera, ThreeDCamera):
            return listed  # in 3-D a mobject's points are not where it is drawn
        animated = {m for a in animations for m in a.mobject.get_family()}
        foreground = set(self.foreground_mobjects)  # type: ignore[attr-defined]
        moving = [m in animated or m in foreground or bool(m.updaters) for m in listed]
        if all(moves or not len(m.points) for m, moves in zip(listed, moving)):
            return listed  # a morph: everything after its first moving mobject moves
        redrawn: list[Mobject] = []
        boxes: list[np.ndarray] = []
        for mobject, moves in zip(listed, moving):
            box = drawn_box(mobject)
            covers = box is not None and _meets(box, boxes)
            # Only leaves and what moves: a group kept here would bring its whole family.
            if (moves or box is None or covers) and (moves or not mobject.submobjects):
                redrawn.append(mobject)
            if box is not None and (moves or covers):
                boxes.append(box)
        return redrawn


def straight_alpha_frames(scene: Scene) -> None:
    """Make a transparent render's frames straight (not premultiplied) RGBA, as files expect.

    manim 0.22.0: Camera draws with cairo into a FORMAT_ARGB32 surface over its pixel_array,
    and cairo keeps that premultiplied by alpha; CairoRenderer.get_frame hands the array as it
    is to the file writer (videos and -s PNGs alike), which stores it as straight RGBA. With
    ``-t`` every semi-transparent pixel then comes out darker by its own alpha: the decision
    shading (22 % opaque) was nearly black over a white slide and invisible over a black one.
    """
    if not config.transparent:
        return
    renderer = cast(CairoRenderer, scene.renderer)
    premultiplied = renderer.get_frame

    def get_frame() -> np.ndarray:
        frame = premultiplied()
        alpha = frame[..., 3:4].astype(np.float32)
        seen = alpha > 0
        colour = frame[..., :3].astype(np.float32) * 255.0 / np.where(seen, alpha, 1.0)
        frame[..., :3] = np.clip(np.rint(colour), 0, 255).astype(frame.dtype)
        return frame

    renderer.get_frame = get_frame  # type: ignore[method-assign]
    # manim 0.22.0: save_static_frame_data keeps get_frame()'s pixels as the background every
    # later frame is drawn over (Camera.set_frame_to_background): straight ones there would be
    # made straight twice, and a half-transparent legend or grid came out twice as bright.
    save_static = renderer.save_static_frame_data

    def save_static_frame_data(scene: Scene, static_mobjects) -> np.ndarray | None:
        if save_static(scene, static_mobjects) is None:
            return None
        renderer.static_image = np.array(renderer.camera.pixel_array)  # as drawn
        return renderer.static_image

    renderer.save_static_frame_data = save_static_frame_data  # type: ignore[method-assign]


def hold_drawing(scene: Scene, hold: bool) -> None:
    """Stop (True) or resume (False) the scene's camera drawing frames, if it is ours."""
    camera = scene.renderer.camera
    if isinstance(camera, OwnDrawingMixin):
        camera.hold_drawing(hold)


def is_still(scene: Scene) -> bool:
    """True when the render keeps only the last frame (``manim -s``)."""
    # manim 0.22.0: SceneFileWriter.output_spec (absent before the writer is set up) says what
    # is written; its is_still is True for -s.
    output = getattr(scene.renderer.file_writer, "output_spec", None)
    return bool(getattr(output, "is_still", False))


def play_to_end(scene: Scene, animations: Sequence[Animation], kwargs: dict) -> None:
    """Jump every animation of one ``play`` to its end, drawing nothing (a still's plays).

    Skips Manim's bookkeeping for the frames a still never shows (moving/static families, two
    captures per play); the scene ends where the video would.
    """
    # manim 0.22.0: Scene.play compiles its arguments with compile_animations, adds their
    # mobjects with add_mobjects_from_animations, and each animation runs _setup_scene, begin,
    # finish and clean_up_from_scene; renderer.num_plays counts plays (partial movie names).
    compiled = scene.compile_animations(*animations, **kwargs)
    scene.add_mobjects_from_animations(compiled)
    for animation in compiled:
        animation._setup_scene(scene)
        animation.begin()
        animation.finish()
        animation.clean_up_from_scene(scene)
    scene.renderer.num_plays += 1


TEXT_CANVAS = (3840, 2160)  # pixels Pango lays a line out on: no title wraps


class WideText(Text):
    """Manim's ``Text``, laid out on a canvas no line wraps on, whatever the render's size."""

    # manim 0.22.0: Text._text2svg lays the text out on a Pango canvas of the render's pixel
    # size (config["pixel_width"] × config["pixel_height"]), so a line longer than a small
    # render's width (-r 160,90, the tests' size) wraps into two: the same scene then lays out
    # differently at each resolution. The canvas is made as large as a 4K frame's for the call.
    def _text2svg(self, color) -> str:
        settings = config._d
        saved = settings["pixel_width"], settings["pixel_height"]
        settings["pixel_width"] = max(saved[0], TEXT_CANVAS[0])
        settings["pixel_height"] = max(saved[1], TEXT_CANVAS[1])
        try:
            return super()._text2svg(color)
        finally:
            settings["pixel_width"], settings["pixel_height"] = saved


def text_outline(text: Text) -> tuple[np.ndarray, float]:
    """(n, 3) every glyph's outline points of ``text``, end to end, and the height Text's
    ``font_size`` is measured against."""
    # manim 0.22.0: a Text is a VGroup of one VMobject per glyph (its subpaths closed, so the
    # outlines end to end keep their subpaths), and Text.font_size reads initial_height.
    points = [m.points for m in text.family_members_with_points()]
    return np.concatenate(points) if points else np.zeros((0, 3)), float(text.initial_height)


class OutlineText(Text):
    """A ``Text`` drawn from a stored outline (:func:`text_outline`), one VMobject for all its
    glyphs: Pango and the SVG parse are skipped, and a line of text is one shape to draw."""

    # manim 0.22.0: Text.__init__ runs Pango, parses its SVG into a VMobject per glyph and
    # sets the attributes Text's own methods read afterwards: original_text, text (no spaces),
    # font, _font_size and initial_height (the font_size property), line_spacing. This sets
    # those and skips the rest; colour and opacity are the VMobject's, as a Text's glyphs'.
    def __init__(
        self,
        text: str,
        outline: tuple[np.ndarray, float],
        *,
        font: str,
        font_size: float,
        color: str,
    ) -> None:
        VMobject.__init__(self, fill_color=color, fill_opacity=1.0, stroke_width=0)
        points, initial_height = outline
        self.points = np.array(points, dtype=np.float64)
        self.original_text = text
        self.text = "".join(text.split())
        self.font = font
        self._font_size = float(font_size)
        self.line_spacing = self._font_size * 1.3
        self.initial_height = initial_height


def slide_base() -> type:
    """manim-slides' ``Slide``, with ``__init__`` and ``render`` redone for manim 0.22's config.

    manim-slides 5.7.0 breaks on manim 0.22 in two places: ``Slide.__init__`` sets
    ``config["write_to_movie"]`` (removed: movies are always written) and ``Slide.render`` sets
    ``config["max_files_cached"] = inf`` (0.22 wants -1 for unlimited) and reads
    ``config["flush_cache"]`` (removed). Everything else is manim-slides' own. Imported on first
    use, so only slide decks need manim-slides installed.
    """
    from manim_slides import Slide  # type: ignore[attr-defined]

    class CompatSlide(Slide):
        def __init__(self, *args, **kwargs) -> None:
            super(Slide, self).__init__(*args, **kwargs)  # Slide's parent: no write_to_movie

        def render(self, *args, **kwargs) -> None:
            # Keep every partial movie: manim-slides builds its slides from them.
            max_files_cached = config["max_files_cached"]
            config["max_files_cached"] = -1
            try:
                Scene.render(self, *args, **kwargs)
            finally:
                config["max_files_cached"] = max_files_cached
            # manim-slides 5.7.0: the private Slide._save_slides writes the deck's JSON and
            # movies; its keyword arguments are those Slide.render passes in that version.
            self._save_slides(
                use_cache=not (config["disable_caching"] or self.disable_caching),
                flush_cache=self.flush_cache,
                skip_reversing=self.skip_reversing,
            )

    return CompatSlide


# manim 0.22.0's SceneFileWriter writes the movie and each --save_sections clip in place
# (``combine_files(input_files, output_file, ...)``, PyAV) and the still in place
# (``save_image(pixels)``, Pillow): a write that fails half way, on a full disk, would leave a
# broken file under the final name. These entry points are the ones its Cairo renderer calls
# (cairo_renderer.py); a full disk surfaces in one of them, from the encoder threads (as a
# RuntimeError caused by the OSError) or from the combine.
WRITER_ENTRY_POINTS = (
    "is_already_cached",
    "add_partial_movie_file",
    "begin_animation",
    "end_animation",
    "write_frame",
    "finish",
    "save_image",
)


def write_outputs_whole(file_writer: SceneFileWriter) -> None:
    """Make ``file_writer`` write the movie, section clips and still through a temp file beside
    each, renamed over it when complete (:func:`model.files.whole_path`)."""
    combine = file_writer.combine_files

    def combine_files(input_files: list[str], output_file: Path, *args, **kwargs) -> None:
        output_file = Path(output_file)
        output_file.parent.mkdir(parents=True, exist_ok=True)
        with whole_path(output_file) as tmp:
            combine(input_files, tmp, *args, **kwargs)

    def save_image(pixels: np.ndarray) -> None:
        # SceneFileWriter.save_image, with the PNG written whole.
        if not file_writer.output_spec.enabled:
            return
        path = file_writer.image_file_path
        path.parent.mkdir(parents=True, exist_ok=True)
        with whole_path(path) as tmp:
            Image.fromarray(pixels).save(tmp, format="PNG")
        file_writer.print_file_ready_message(path)

    file_writer.combine_files = combine_files  # type: ignore[method-assign]
    file_writer.save_image = save_image  # type: ignore[method-assign]


# manim 0.22.0 gives an MP4 its sound by converting the scene's mixed WAV to AAC with PyAV
# (``convert_audio(wav, aac, "aac")``, a module function combine_to_movie calls by name), at the
# encoder's defaults: 48 kHz stereo and ffmpeg's slow "twoloop" coder. A voice recorded at
# 22 kHz mono gains nothing from that and costs 3.3 s per 70 s of video (0.25 s kept as
# recorded, with the "fast" coder: the narrated render's overhead, issue 23).
_MANIM_CONVERT_AUDIO = scene_file_writer.convert_audio
FAST_AAC = {"aac_coder": "fast"}


def convert_audio_as_recorded(input_path: Path, output_path, codec_name: str) -> None:
    """Manim's ``convert_audio``, but AAC keeps the recording's rate and channels and uses
    ffmpeg's fast coder; every other codec is converted as Manim does."""
    with av.open(str(input_path)) as source:
        channels = source.streams.audio[0].channels
    if codec_name != "aac" or channels > 2:
        _MANIM_CONVERT_AUDIO(input_path, output_path, codec_name)
        return
    with av.open(str(input_path)) as source, av.open(output_path, "w") as target:
        recorded = source.streams.audio[0]
        encoded = target.add_stream("aac", rate=recorded.rate, options=FAST_AAC)
        # By count: a WAV without a channel mask names its layout "1 channels".
        encoded.layout = "mono" if channels == 1 else "stereo"
        for frame in source.decode(recorded):
            for packet in encoded.encode(frame):
                target.mux(packet)
        for packet in encoded.encode():
            target.mux(packet)


def encode_sound_as_recorded() -> None:
    """Make Manim's file writer encode a video's sound with :func:`convert_audio_as_recorded`."""
    scene_file_writer.convert_audio = convert_audio_as_recorded


def stop_on_full_disk(file_writer: SceneFileWriter, stop: Callable[[OSError], None]) -> None:
    """Call ``stop(error)`` (which must raise) when a write of ``file_writer`` finds the disk full.

    Before that, the other encoder threads are drained quietly (they fail alike, and Manim would
    log each with a traceback); each removes its own partial segment.
    """
    for name in WRITER_ENTRY_POINTS:
        method = getattr(file_writer, name)

        def guarded(*args, _method=method, **kwargs):
            try:
                return _method(*args, **kwargs)
            except Exception as error:
                full = disk_full_error(error)
                if full is None:
                    raise
                with suppress(BaseException):
                    file_writer.abort_encode_jobs(reraise_encoder_failures=True)
                stop(full)
                raise  # stop raises; this is for a stop that returned

        setattr(file_writer, name, guarded)


# ---- animations, scene state, the file writer's plan, settings -------------------------------


class InPlaceAnimation(Animation):
    """An animation whose every frame comes from its own data (a timeline, saved opacities, a
    camera plan), never from a copy of where its mobject started.

    manim 0.22.0: Animation.begin() calls create_starting_mobject(), which deep-copies the
    animated mobject (for a morph picture: every dot and grid vertex, for a title: every glyph)
    only for interpolations that read that copy. Ours never do, so the copy is skipped: the
    starting mobject is the mobject itself. The base of every animation of netmorph's
    (``PlayTimeline``, ``Fade``, ``CrossFade``, the comparison's ``Panels``, the training's
    ``ReplayTraining``, the 3-D ``FollowCamera``).
    """

    def create_starting_mobject(self) -> Mobject:
        return self.mobject  # type: ignore[return-value]  # Cairo: always a Mobject


def set_drawing_order(mobject: Mobject, submobjects: Sequence[Mobject]) -> None:
    """Draw ``mobject``'s own submobjects in the order ``submobjects`` gives (the same members).

    manim 0.22.0: a mobject's family is drawn in the order of its ``submobjects`` list; Manim
    offers no method that reorders it in place (``add``/``remove`` would move a member to the
    end), so the list is replaced by one with the same members.
    """
    if sorted(map(id, submobjects)) != sorted(map(id, mobject.submobjects)):
        raise ValueError("a new drawing order must keep the same submobjects")
    mobject.submobjects = list(submobjects)


def skipping_animations(scene: Scene) -> bool:
    """True while the scene's renderer skips animations (a still, ``-n``, a skipped section)."""
    # manim 0.22.0: CairoRenderer.skip_animations, set per play by update_skipping_status.
    return bool(scene.renderer.skip_animations)


def video_time(scene: Scene) -> float:
    """Seconds of video rendered so far: the scene's own clock (subtitles are placed on it)."""
    # manim 0.22.0: CairoRenderer.time, advanced by every play and wait.
    return float(scene.renderer.time)


def movie_file(scene: Scene) -> Path | None:
    """The video file this render writes; None when it writes none (an image sequence)."""
    # manim 0.22.0: SceneFileWriter.movie_file_path, absent when no movie is planned.
    try:
        return Path(scene.renderer.file_writer.movie_file_path)
    except AttributeError:
        return None


def section_clips(scene: Scene) -> dict[str, Path]:
    """Each section's clip (``--save_sections``), by section name: the sections that have one."""
    # manim 0.22.0: SceneFileWriter.sections (each with .name and .video, the clip's file name
    # or None) and SceneFileWriter.sections_output_dir, where the clips are written.
    writer = scene.renderer.file_writer
    return {s.name: Path(writer.sections_output_dir) / s.video for s in writer.sections if s.video}


def output_plan(file_writer: SceneFileWriter):
    """Where Manim will write this render: its output plan (see environment.output_folders)."""
    # manim 0.22.0: SceneFileWriter.output_plan, with primary_artifact, fallback_image,
    # section_index (files or None) and segment_cache_dir, image_sequence_dir (folders or None).
    return file_writer.output_plan


def partial_movie_folder(file_writer: SceneFileWriter) -> Path | None:
    """The folder of this render's partial movies; None for a still (it has none)."""
    # manim 0.22.0: SceneFileWriter.partial_movie_directory, set only when a movie is written.
    try:
        return Path(file_writer.partial_movie_directory)
    except AttributeError:
        return None


def raw_setting(key: str):
    """The config's own value of ``key``, as set (folder templates such as
    ``{media_dir}/texts`` unexpanded)."""
    # manim 0.22.0: ManimConfig keeps its values in the private dict _d; its properties expand
    # folder templates, so an "is it Manim's default?" comparison reads _d.
    return config._d[key]


def default_setting(key: str):
    """Manim's own default of ``key`` (its library-wide manim.cfg alone), as :func:`raw_setting`
    reads it."""
    return _manim_defaults()._d[key]


@cache
def _manim_defaults():
    # manim 0.22.0: the private manim._config.utils holds config_file_paths() (its [0] is the
    # library's manim.cfg) and ManimConfig, whose digest_parser builds a config from a parser.
    from manim._config.utils import ManimConfig, config_file_paths

    parser = configparser.ConfigParser()
    parser.read(config_file_paths()[0])
    return ManimConfig().digest_parser(parser)


def screen_points(camera: Camera, mobject: Mobject, points: np.ndarray) -> np.ndarray:
    """(n, 2) where ``points`` of ``mobject`` land on the screen: projected when the camera
    draws the mobject in 3-D (:class:`FastThreeDCamera`'s space mobjects, Manim's fixed-
    orientation ones), as they are otherwise."""
    points = np.asarray(points, dtype=float)
    if isinstance(camera, ThreeDCamera) and (
        mobject in getattr(camera, "space_mobjects", set())
        # manim 0.22.0: ThreeDCamera.fixed_orientation_mobjects (see FastThreeDCamera).
        or mobject in camera.fixed_orientation_mobjects
    ):
        return camera.project_points(points)[:, :2]
    return points[:, :2]


def frame_size() -> tuple[float, float]:
    """The render's frame in scene units (Manim's ``frame_width``, ``frame_height``): what the
    model measures against (how much of the frame a class covers, model.picture.footprint)."""
    return float(config.frame_width), float(config.frame_height)
