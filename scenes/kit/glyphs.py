"""Pango text whose outline is kept between renders: :class:`CachedText`.

Most of a ``Text``'s cost is not drawing it but making it: Pango lays the line out into an SVG,
which is parsed (svgelements) into one ``VMobject`` per glyph, ~15 ms a line here and most of a
still's time. Manim keeps the result only for the life of the process. :class:`CachedText`
stores each text's finished outline (points only, no code) in
``<media_dir>/glyphs/<sha256>.npz``, keyed by everything that shapes it (the words, font, size,
colour, and the versions of Manim and Pango), so a second render makes it from the file without
Pango, and draws it as one shape rather than a shape per glyph. Files are written whole
(:func:`model.files.written_whole`), so renders side by side never read half a file; an
unreadable one is made again. The contacts with Manim's ``Text`` are in
:mod:`scenes.kit.manim_internals`.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import manim
import manimpango
import numpy as np
from manim import config

from model.files import written_whole
from scenes.kit.manim_internals import TEXT_CANVAS, OutlineText, WideText, text_outline

GLYPH_DIR = "glyphs"  # under the media folder
FORMAT = "3"  # bump when what is stored changes


def glyph_path(text: str, font: str, font_size: float, color: str) -> Path:
    """Where the outline of ``text`` in that font, size and colour is kept."""
    shaped = repr((text, font, float(font_size), color, manim.__version__, manimpango.__version__))
    key = hashlib.sha256(f"{shaped}{TEXT_CANVAS}{FORMAT}".encode()).hexdigest()
    return Path(config.media_dir) / GLYPH_DIR / f"{key}.npz"


class CachedText(OutlineText):
    """Manim's ``Text``, made from its outline kept in ``<media_dir>/glyphs`` between renders."""

    role: str = ""  # what the words are where it matters ("name", "tick", "marker"): overlays.label

    def __init__(self, text: str, *, font: str, font_size: float, color: str) -> None:
        path = glyph_path(text, font, font_size, color)
        outline = _read(path)
        if outline is None:
            outline = text_outline(WideText(text, font=font, font_size=font_size, color=color))
            _write(path, outline)
        super().__init__(text, outline, font=font, font_size=font_size, color=color)


def _read(path: Path) -> tuple[np.ndarray, float] | None:
    try:
        with np.load(path, allow_pickle=False) as stored:
            return stored["points"], float(stored["initial_height"])
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):
        return None


def _write(path: Path, outline: tuple[np.ndarray, float]) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, points=outline[0], initial_height=np.array(outline[1]))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with written_whole(path) as f:
            f.write(buffer.getvalue())
    except OSError:
        pass  # a cache that cannot be written only costs the next render the layout
