"""Text made from its kept outline is Manim's Text: the same outline, size and pixels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from manim import Camera, Text, config, tempconfig
from manim.mobject.svg import svg_mobject

from scenes.kit.glyphs import GLYPH_DIR, CachedText, glyph_path

WORDS = "layer 2 · Dense 3→3: W₂h + b₂"
FONT = "DejaVu Sans"


def _fresh(text: str, color: str = "#ff8800", size: float = 30) -> CachedText:
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()  # Manim's own in-process cache: not under test
    return CachedText(text, font=FONT, font_size=size, color=color)


def _manims(text: str, color: str = "#ff8800", size: float = 30) -> Text:
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()
    return Text(text, font=FONT, font_size=size, color=color)


def _photograph(mobject) -> np.ndarray:
    with tempconfig({"pixel_width": 640, "pixel_height": 360}):
        camera = Camera(background_color="#000000")
        camera.capture_mobjects([mobject])
        return np.asarray(camera.pixel_array)[..., :3].astype(int)


def _same_pixels(made, manims) -> None:
    """Within antialiasing: one filled path for all glyphs blends the few pixels where two
    glyphs' edges meet once, not twice (at most a few levels in 255, on under 1 % of the ink)."""
    a, b = _photograph(made), _photograph(manims)
    ink = (b > 0).any(-1).sum()
    assert ink > 0
    assert np.abs(a - b).max() <= 8
    assert (np.abs(a - b) > 2).any(-1).sum() <= 0.01 * ink


def _stored() -> list[Path]:
    return sorted((Path(config.media_dir) / GLYPH_DIR).glob("*.npz"))


def test_a_stored_text_has_manims_outline_size_and_pixels():
    manims = _manims(WORDS)
    first = _fresh(WORDS)
    assert len(_stored()) == 1
    second = _fresh(WORDS)  # from the file this time
    glyphs = np.concatenate([m.points for m in manims.family_members_with_points()])
    for made in (first, second):
        np.testing.assert_array_equal(made.points, glyphs)
        assert made.font_size == manims.font_size
        assert made.text == manims.text and made.original_text == WORDS
        np.testing.assert_allclose(made.get_center(), manims.get_center())
        assert made.width == manims.width and made.height == manims.height
        _same_pixels(made, manims)


def test_a_moved_and_scaled_stored_text_still_draws_as_manims():
    manims = _manims("0.5", size=21).scale(1.7).move_to([2.0, -1.0, 0]).set_opacity(0.5)
    made = _fresh("0.5", size=21).scale(1.7).move_to([2.0, -1.0, 0]).set_opacity(0.5)
    _same_pixels(made, manims)


def test_another_colour_is_another_entry_and_a_damaged_one_is_made_again():
    _fresh("scale", color="#ffffff")
    _fresh("scale", color="#000000")
    stored = _stored()
    assert len(stored) == 2
    for path in stored:
        path.write_bytes(b"not an npz")
    remade = _fresh("scale", color="#000000")
    manims = _manims("scale", "#000000").family_members_with_points()
    np.testing.assert_array_equal(remade.points, np.concatenate([m.points for m in manims]))
    with np.load(glyph_path("scale", FONT, 30, "#000000")) as again:  # written whole again
        np.testing.assert_array_equal(again["points"], remade.points)
