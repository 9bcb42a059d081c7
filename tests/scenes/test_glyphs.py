"""Parsed glyphs kept between renders are the glyphs Manim parses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from manim import Text, config
from manim.mobject.svg import svg_mobject

from scenes.kit.glyphs import GLYPH_DIR, CachedText


def _fresh(text: str, **kwargs) -> Text:
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()  # Manim's own in-process cache: not under test
    return CachedText(text, **kwargs)


def _same(a: Text, b: Text) -> None:
    assert len(a.submobjects) == len(b.submobjects)
    np.testing.assert_array_equal(a.points, b.points)
    for p, q in zip(a.family_members_with_points(), b.family_members_with_points()):
        np.testing.assert_array_equal(p.points, q.points)
        np.testing.assert_array_equal(p.get_fill_rgbas(), q.get_fill_rgbas())
        np.testing.assert_array_equal(p.get_stroke_rgbas(), q.get_stroke_rgbas())
        assert p.get_stroke_width() == q.get_stroke_width()


def test_a_stored_text_is_the_parsed_one():
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()
    parsed = Text("layer 2 · Dense 3→3: W₂h + b₂", font_size=30, color="#ff8800")
    first = _fresh("layer 2 · Dense 3→3: W₂h + b₂", font_size=30, color="#ff8800")
    stored = list((Path(config.media_dir) / GLYPH_DIR).glob("*.npz"))
    assert len(stored) == 1
    second = _fresh("layer 2 · Dense 3→3: W₂h + b₂", font_size=30, color="#ff8800")
    _same(parsed, first)
    _same(parsed, second)


def test_another_colour_is_another_entry_and_a_damaged_one_is_parsed_again():
    _fresh("scale", color="#ffffff")
    _fresh("scale", color="#000000")
    stored = sorted((Path(config.media_dir) / GLYPH_DIR).glob("*.npz"))
    assert len(stored) == 2
    for path in stored:
        path.write_bytes(b"not an npz")
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()
    _same(Text("scale", color="#000000"), _fresh("scale", color="#000000"))
