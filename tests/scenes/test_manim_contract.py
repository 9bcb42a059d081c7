"""The hooks into Manim's internals (scenes/kit/manim_internals.py) still do what they did on
manim 0.22.0: known points land on the right pixels in the right colours, and the one-pass
mobjects keep Manim's Bézier contract, so Manim's own methods treat them as what they are."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    Camera,
    FadeOut,
    Rectangle,
    RoundedRectangle,
    Scene,
    Square,
    Text,
    ThreeDCamera,
    Transform,
    VGroup,
    config,
    tempconfig,
)
from manim.utils.family import extract_mobject_family_members

from scenes.kit import mobjects
from scenes.kit.manim_internals import (
    LINE_WIDTH_UNIT,
    FastCamera,
    FastThreeDCamera,
    InPlaceAnimation,
    SpatialRedrawMixin,
    default_setting,
    movie_file,
    output_plan,
    partial_movie_folder,
    raw_setting,
    screen_points,
    section_clips,
    set_drawing_order,
    skipping_animations,
    straight_alpha_frames,
    video_time,
)
from scenes.kit.mobjects import DotCloud, Polylines, straight_runs_dropped

SIZE = {"pixel_width": 320, "pixel_height": 180}
RED, BLUE, GREEN = "#FF0000", "#0000FF", "#00FF00"


def _pixel(x: float, y: float) -> tuple[int, int]:
    """(row, column) of the pixel at scene point (x, y), for the frame in ``config``."""
    column = (x / config.frame_width + 0.5) * config.pixel_width
    row = (0.5 - y / config.frame_height) * config.pixel_height
    return int(row), int(column)


def _photograph(camera_class: type, *mobjects) -> np.ndarray:
    """(h, w, 3) RGB pixels of ``mobjects`` drawn by a fresh camera on black."""
    camera = camera_class(background_color="#000000")
    camera.capture_mobjects(list(mobjects))
    return np.asarray(camera.pixel_array)[..., :3].astype(int)


def test_dots_land_on_their_pixels_in_their_colours():
    with tempconfig(SIZE):
        red = DotCloud(np.array([[-3.0, 1.5, 0.0], [2.0, 2.0, 0.0]]), 0.15, RED)
        blue = DotCloud(np.array([[4.0, -2.0, 0.0]]), 0.15, BLUE)
        pixels = _photograph(FastCamera, red, blue)
        for (x, y), colour in [((-3.0, 1.5), (255, 0, 0)), ((2.0, 2.0), (255, 0, 0))]:
            assert tuple(pixels[_pixel(x, y)]) == colour  # red stays red: no BGR swap
        assert tuple(pixels[_pixel(4.0, -2.0)]) == (0, 0, 255)
        # Nothing else is inked: the dots are 0.15 units (~3.4 px) round, not 4 px away.
        assert tuple(pixels[_pixel(0.0, 0.0)]) == (0, 0, 0)
        assert tuple(pixels[_pixel(-3.0 + 0.4, 1.5)]) == (0, 0, 0)
        inked = (pixels.sum(axis=-1) > 0).sum()
        assert 3 * 20 <= inked <= 3 * 60  # three dots of about π·3.4² ≈ 36 pixels each


def test_polylines_are_stroked_where_manim_itself_strokes_them():
    with tempconfig(SIZE):
        lines = np.array([[[-5.0, 0.0, 0.0], [5.0, 0.0, 0.0]], [[0.0, -3.0, 0.0], [0.0, 3.0, 0.0]]])
        ours = _photograph(FastCamera, Polylines(lines, GREEN, 20.0))
        manims = _photograph(Camera, Polylines(lines, GREEN, 20.0))  # Manim's own Bézier drawing
        assert tuple(ours[_pixel(2.5, 0.0)]) == (0, 255, 0)
        assert tuple(ours[_pixel(0.0, -2.0)]) == (0, 255, 0)
        assert tuple(ours[_pixel(2.5, 1.0)]) == (0, 0, 0)
        # The same pixels inked, to within the anti-aliased rims (round caps on ours).
        ink, manim_ink = ours[..., 1] > 127, manims[..., 1] > 127
        assert (ink != manim_ink).sum() <= 0.05 * ink.sum()
        # Two lines 0.2 units (4.5 px) wide, 10 and 6 units long: 225 + 135 px long.
        assert 4 * 360 <= ink.sum() <= 5.5 * 360


def _every_vertex(monkeypatch) -> None:
    """Stroke every vertex (nothing left out), as before straight runs were dropped."""
    monkeypatch.setattr(mobjects, "STRAIGHT_PX", -1.0)


def test_straight_runs_are_stroked_as_their_chords_and_bends_and_folds_are_kept(monkeypatch):
    t = np.linspace(0.0, 1.0, 150)
    straight = np.stack([-6 + 12 * t, 2 - 3 * t, 0 * t], axis=1)  # an affine step's grid line
    folded = np.stack([np.abs(6 * t - 3) - 1.5, 0 * t + 0.5, 0 * t], axis=1)  # back on itself
    bent = np.stack([-6 + 12 * t, -2 + 0.4 * np.sin(6 * t), 0 * t], axis=1)  # a tanh-like curve
    lines = [straight, folded, bent]
    xy = np.concatenate(lines)[:, :2]
    keep, lengths = straight_runs_dropped(xy, [150, 150, 150], tolerance=0.001)
    assert lengths[0] <= 12 and keep[0] and keep[149]  # 150 vertices → the run ends
    turn = 150 + 75  # the fold's turning point stays, so the line still goes there and back
    assert keep[turn - 1 : turn + 2].any() and lengths[1] <= 12 + 16  # its run kept whole
    assert lengths[2] >= 100  # a curve keeps its vertices where they bend by > tolerance
    assert sum(lengths) == keep.sum()
    with tempconfig(SIZE):
        ours = _photograph(FastCamera, Polylines(lines, GREEN, 4.0))
        _every_vertex(monkeypatch)
        every = _photograph(FastCamera, Polylines(lines, GREEN, 4.0))
    # The same stroke: cairo's stroker shades a rim pixel a few levels differently where a
    # straight line has a join, so only the rims' anti-aliasing may differ, and slightly.
    assert np.abs(ours - every).max() <= 16
    ink, every_ink = ours[..., 1] > 127, every[..., 1] > 127
    assert (ink != every_ink).sum() <= 0.01 * every_ink.sum()


def test_a_fade_redraws_what_it_can_change_and_the_pixels_are_manims():
    """What the spatial rule leaves in the static background gives the frame Manim would draw."""

    class Spatial(SpatialRedrawMixin, Scene):
        pass

    with tempconfig({**SIZE, "dry_run": True}):
        scene = Spatial(camera_class=FastCamera)
        under = Square(2.0, color=BLUE, fill_opacity=1).move_to(LEFT * 3)
        fading = Square(1.0, color=RED, fill_opacity=1).move_to(LEFT * 3)
        over = DotCloud(np.array([[-3.2, 0.3, 0.0], [-2.8, -0.2, 0.0]]), 0.3, GREEN)
        apart = Polylines(np.array([[[2.0, -1.0, 0.0], [4.0, 1.0, 0.0]]]), GREEN, 8.0)
        far_group = VGroup(Square(0.5, color=GREEN, fill_opacity=1).move_to(RIGHT * 5))
        scene.add(under, fading, over, apart, far_group)
        fade = FadeOut(fading)
        moving = scene.get_moving_mobjects(fade)
        assert fading in moving and over in moving  # the dots are drawn over the fading square
        assert not {under, apart, far_group, *far_group} & set(moving)  # nothing to cover
        fade._setup_scene(scene)
        fade.begin()
        fade.interpolate(0.5)
        redrawn = extract_mobject_family_members(moving)
        family = scene.get_mobject_family_members()
        camera = FastCamera(background_color="#000000")
        camera.capture_mobjects([m for m in family if m not in redrawn])  # the background
        camera.capture_mobjects(redrawn)  # each frame, on top
        manims = FastCamera(background_color="#000000")
        manims.capture_mobjects(family)  # everything in drawing order
        assert np.array_equal(camera.pixel_array, manims.pixel_array)
        assert (np.asarray(camera.pixel_array)[..., 0] > 0).any()  # the half-faded red shows


def test_shapes_drawn_again_come_from_kept_pixels_that_match_manims():
    """The raster cache composites a repeated glyph or box as Manim would have drawn it."""
    with tempconfig(SIZE):
        under = Rectangle(width=12, height=6, fill_color=BLUE, fill_opacity=0.5, stroke_width=0)
        words = VGroup(
            Text("Dense 3→3", font_size=40, color=RED),
            Text("ReLU", font_size=24, color=GREEN).shift(DOWN * 1.5),
            RoundedRectangle(width=2, height=0.6, corner_radius=0.1, stroke_width=3).shift(
                DOWN * 2.5
            ),
        )
        manims = _photograph(Camera, under, words)
        camera = FastCamera(background_color="#000000")
        for _ in range(3):  # drawn, seen again and kept, then composited from the cache
            camera.reset()
            camera.capture_mobjects([under, words])
        assert len(camera.rasters.kept) >= len(words.family_members_with_points())
        ours = np.asarray(camera.pixel_array)[..., :3].astype(int)
        assert np.abs(ours - manims).max() <= 2
        assert (manims[..., 0] > 128).sum() > 100  # the red title is there to compare


def test_the_kept_pixels_stay_within_their_memory_budget(monkeypatch):
    from scenes.kit import manim_internals

    monkeypatch.setattr(manim_internals, "RASTER_BYTES", 10_000)
    with tempconfig(SIZE):
        boxes = [Square(0.8, color=GREEN, fill_opacity=1).shift(RIGHT * (k - 5)) for k in range(10)]
        camera = FastCamera(background_color="#000000")
        for _ in range(3):
            camera.capture_mobjects(boxes)
        cache = camera.rasters
        sizes = [s.get_stride() * s.get_height() for s, _, _ in cache.kept.values()]
        assert 0 < len(cache.kept) < len(boxes)  # the oldest were let go
        assert cache.bytes == sum(sizes) <= 10_000


def test_one_pass_mobjects_keep_manims_bezier_contract():
    centres = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 0.0], [-1.0, 1.0, 0.0]])
    cloud = DotCloud(centres, 0.1, RED)
    assert len(cloud.points) % cloud.n_points_per_cubic_curve == 0
    np.testing.assert_array_equal(cloud.centers, centres)
    np.testing.assert_allclose(cloud.get_center(), [0.0, 1.0, 0.0])  # the dots' bounding box
    np.testing.assert_array_equal(cloud.copy().shift([1.0, 0.0, 0.0]).centers, centres + [1, 0, 0])
    # Transform between equal shapes ends exactly on the target, and ``become`` copies it.
    target = DotCloud(centres * 2, 0.1, BLUE)
    anim = Transform(cloud.copy(), target)
    anim.begin()
    anim.interpolate(1.0)
    np.testing.assert_allclose(anim.mobject.centers, centres * 2)
    np.testing.assert_array_equal(DotCloud(centres, 0.1, RED).become(target).centers, centres * 2)
    # Polylines: one subpath per line, whose anchors are the line's vertices.
    curve = [np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0]]), np.array([[3.0, 3, 0]])]
    lines = Polylines(curve, GREEN, 2.0)
    np.testing.assert_array_equal(lines.vertices, np.concatenate(curve))
    subpaths = lines.get_subpaths()
    assert len(subpaths) == 2
    np.testing.assert_allclose(
        lines.get_anchors()[:4], [[0, 0, 0], [1, 0, 0], [1, 0, 0], [1, 1, 0]]
    )
    np.testing.assert_allclose(lines.point_from_proportion(0.25), [0.5, 0.0, 0.0], atol=1e-9)
    grid = np.random.default_rng(0).normal(size=(5, 7, 3))
    np.testing.assert_allclose(Polylines(grid, GREEN, 1.0).vertices, grid.reshape(-1, 3))
    assert isinstance(VGroup(cloud, lines), VGroup)  # still VMobjects, as VGroup requires


def test_the_3d_camera_projects_only_its_space_mobjects():
    with tempconfig(SIZE):
        camera = FastThreeDCamera(background_color="#000000")
        flat = DotCloud(np.array([[2.0, 1.0, 0.0]]), 0.15, RED)
        space = DotCloud(np.array([[2.0, 1.0, 0.0]]), 0.15, BLUE)
        camera.add_space_mobjects(space)
        camera.set_phi(70 * np.pi / 180)
        camera.set_theta(-30 * np.pi / 180)
        camera.reset_rotation_matrix()
        camera.capture_mobjects([flat, space])
        pixels = np.asarray(camera.pixel_array)[..., :3].astype(int)
        assert tuple(pixels[_pixel(2.0, 1.0)]) == (255, 0, 0)  # the flat dot: where it was
        seen = camera.project_points(space.centers.copy())[0]
        assert np.linalg.norm(seen[:2] - [2.0, 1.0]) > 0.5  # the space dot: turned away
        assert tuple(pixels[_pixel(*seen[:2])]) == (0, 0, 255)


def test_the_internals_we_override_still_have_their_0_22_signatures():
    params = list(inspect.signature(Camera.display_vectorized).parameters)
    assert params == ["self", "vmobject", "ctx"]
    assert list(inspect.signature(Camera.transform_points_pre_display).parameters) == [
        "self",
        "mobject",
        "points",
    ]
    assert Camera(background_color="#000000").cairo_line_width_multiple == LINE_WIDTH_UNIT
    assert hasattr(ThreeDCamera, "reset_rotation_matrix")
    assert "fixed_orientation_mobjects" in vars(ThreeDCamera(background_color="#000000"))


def test_the_slides_shim_calls_manim_slides_save_with_the_arguments_it_takes():
    slides = pytest.importorskip("manim_slides")
    from scenes.kit.manim_internals import slide_base

    save = inspect.signature(slides.Slide._save_slides).parameters
    assert {"use_cache", "flush_cache", "skip_reversing"} <= set(save)
    assert issubclass(slide_base(), slides.Slide)


def test_no_mobject_of_ours_overrides_a_manim_method_by_accident():
    # Manim may call any Mobject method (Mobject.show is its debug viewer); ours add methods
    # of their own and override only the constructor.
    from manim import Mobject

    from scenes.kit import (
        animations,
        manim_internals,
        mobjects,
        morph_scene_3d,
        overlays,
        panel_overlays,
    )

    modules = (animations, manim_internals, mobjects, overlays, panel_overlays, morph_scene_3d)
    for module in modules:
        for cls in vars(module).values():
            if not (inspect.isclass(cls) and issubclass(cls, Mobject)):
                continue
            if cls.__module__ != module.__name__:
                continue
            own = {
                n for n in vars(cls) if callable(vars(cls)[n]) or isinstance(vars(cls)[n], property)
            }
            clashes = {n for n in own if hasattr(Mobject, n)} - {"__init__"}
            assert not clashes, f"{cls.__name__} overrides Mobject.{clashes}"


def _frames_of(construct, *, transparent: bool = False) -> list[np.ndarray]:
    """Every frame a small scene writes."""
    frames: list[np.ndarray] = []

    class Probe(Scene):
        def construct(self) -> None:
            construct(self)

    settings = {**SIZE, "frame_rate": 10, "transparent": transparent}
    if transparent:
        settings["movie_file_extension"] = ".mov"
    with tempconfig(settings):
        scene = Probe(camera_class=FastCamera)
        straight_alpha_frames(scene)
        write = scene.renderer.file_writer.write_frame

        def kept(pixels, **kwargs):
            frames.append(np.array(pixels))
            return write(pixels, **kwargs)

        scene.renderer.file_writer.write_frame = kept
        scene.render()
    return frames


def test_a_transparent_render_keeps_a_static_half_opaque_shape_its_colour_in_every_frame():
    def construct(scene: Scene) -> None:
        grey = Square(side_length=2, fill_color="#606060", fill_opacity=0.5, stroke_width=0)
        dot = Square(side_length=0.5, fill_color=GREEN, fill_opacity=1.0).shift(RIGHT * 3)
        scene.add(grey.shift(LEFT * 3), dot)
        scene.play(dot.animate.shift(DOWN), run_time=0.3)  # the grey square is background
        scene.wait(0.3)

    frames = _frames_of(construct, transparent=True)
    assert len(frames) >= 3
    with tempconfig(SIZE):
        grey = _pixel(-3.0, 0.0)
    for frame in frames:  # straight RGBA once: #60 at alpha 128, not made straight twice
        assert np.abs(frame[grey].astype(int) - (0x60, 0x60, 0x60, 128)).max() <= 1


def _frames(path) -> int:
    import av

    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


def test_the_scene_and_writer_state_we_read_is_where_manim_keeps_it(tmp_path):
    class Two(Scene):
        def construct(self):
            self.next_section("first")
            self.play(InPlaceAnimation(Square(), run_time=0.4))
            self.next_section("second")
            self.wait(0.6)

    settings = {**SIZE, "frame_rate": 5, "disable_caching": True, "save_sections": True}
    with tempconfig({**settings, "media_dir": str(tmp_path)}):
        scene = Two()
        scene.render()
        writer = scene.renderer.file_writer
        movie = movie_file(scene)
        assert movie is not None and movie.is_file()
        assert output_plan(writer).primary_artifact == movie
        assert partial_movie_folder(writer) is not None
        assert not skipping_animations(scene)
        # The scene's clock is the video's: as many seconds as the movie has frames.
        assert video_time(scene) == pytest.approx(_frames(movie) / 5)
        clips = section_clips(scene)
        assert list(clips) == ["first", "second"] and all(c.is_file() for c in clips.values())
        assert sum(_frames(c) for c in clips.values()) == _frames(movie)


def test_an_animation_of_ours_starts_from_its_own_mobject_not_a_copy():
    square = Square()
    animation = InPlaceAnimation(square)
    animation.begin()
    assert animation.starting_mobject is square


def test_a_new_drawing_order_keeps_the_members_and_draws_them_in_that_order():
    a, b, c = Square(), Square(), Square()
    group = VGroup(a, b, c)
    set_drawing_order(group, [c, a, b])
    assert group.submobjects == [c, a, b]
    with pytest.raises(ValueError):
        set_drawing_order(group, [a, b])


def test_settings_read_raw_and_manims_own_defaults():
    with tempconfig({"disable_caching": True}):
        assert raw_setting("disable_caching") is True
    assert default_setting("disable_caching") is False  # Manim's library manim.cfg
    assert "{" in default_setting("partial_movie_dir")  # a folder template, unexpanded


def test_screen_points_project_only_what_the_3d_camera_draws_in_space():
    with tempconfig(SIZE):
        camera = FastThreeDCamera(background_color="#000000")
        flat, space = DotCloud(np.zeros((1, 3)), 0.1, RED), DotCloud(np.zeros((1, 3)), 0.1, RED)
        camera.add_space_mobjects(space)
        camera.set_phi(70 * np.pi / 180)
        camera.reset_rotation_matrix()
        point = np.array([[2.0, 1.0, 0.5]])
        np.testing.assert_array_equal(screen_points(camera, flat, point), point[:, :2])
        seen = camera.project_points(point.copy())[:, :2]
        np.testing.assert_allclose(screen_points(camera, space, point), seen)
        plain = FastCamera(background_color="#000000")
        np.testing.assert_array_equal(screen_points(plain, space, point), point[:, :2])
