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
"""

from __future__ import annotations

from functools import cache

import numpy as np
from manim import Camera, Mobject, Scene, ThreeDCamera, config
from manim.utils.family import extract_mobject_family_members

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


class OwnDrawingMixin:
    """Let mobjects with ``paint_cairo`` draw themselves in one pass."""

    # manim 0.22.0: Camera.display_vectorized(vmobject, ctx) draws one VMobject (it is called
    # for every VMobject of a frame, in order) and Camera.transform_points_pre_display(mobject,
    # points) is the camera's projection of a mobject's points into frame units.
    def display_vectorized(self, vmobject, ctx):
        paint = getattr(vmobject, "paint_cairo", None)
        if paint is None:
            return super().display_vectorized(vmobject, ctx)  # type: ignore[misc]
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


@cache
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
