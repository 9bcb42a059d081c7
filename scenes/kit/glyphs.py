"""Pango text whose glyph outlines are kept between renders: :class:`CachedText`.

Most of a ``Text``'s cost is not Pango but parsing the SVG it writes into Bézier mobjects
(svgelements, then one ``VMobject`` per glyph): ~40 ms a line here, 2 s for a scene's titles,
legend, strip and axis names, much of a still's time. Manim keeps the result only for the life
of the process. :class:`CachedText` stores each parsed SVG's glyphs (points and style, no code)
in ``<media_dir>/glyphs/<sha256>.npz``, keyed by the SVG's own bytes and the style Manim applies
to it, so a changed font, text or colour is a new key. Files are written whole
(:func:`model.files.written_whole`), so renders side by side never read half a file; an
unreadable one is parsed again. The hooks into Manim's parse are in
:mod:`scenes.kit.manim_internals`.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import numpy as np
from manim import config

from model.files import written_whole
from scenes.kit.manim_internals import GlyphCachingText, glyph_arrays, glyph_from_arrays

GLYPH_DIR = "glyphs"  # under the media folder
FORMAT = "2"  # bump when what is stored changes


def glyph_path(source: bytes) -> Path:
    """Where the glyphs parsed from ``source`` are kept."""
    key = hashlib.sha256(source + FORMAT.encode()).hexdigest()
    return Path(config.media_dir) / GLYPH_DIR / f"{key}.npz"


class CachedText(GlyphCachingText):
    """Manim's ``Text``, with its parsed glyphs kept in ``<media_dir>/glyphs`` between renders."""

    role: str = ""  # what the words are where it matters ("name", "tick", "marker"): overlays.label

    def restore_glyphs(self, source: bytes) -> bool:
        try:
            with np.load(glyph_path(source), allow_pickle=False) as stored:
                arrays = {name: stored[name] for name in stored.files}
            ends = arrays["ends"]
            glyphs = [
                glyph_from_arrays(
                    points,
                    arrays["fill"][k : k + 1],
                    arrays["stroke"][k : k + 1],
                    arrays["background"][k : k + 1],
                    arrays["widths"][k],
                )
                for k, points in enumerate(np.split(arrays["points"], ends[:-1]))
            ]
        except (OSError, KeyError, ValueError, IndexError):
            return False
        self.add(*glyphs)
        return True

    def keep_glyphs(self, source: bytes) -> None:
        parts = [glyph_arrays(g) for g in self.submobjects]
        if not parts or any(p is None for p in parts):
            return  # nested or gradient glyphs: not worth a format of their own
        glyphs = [p for p in parts if p is not None]
        arrays: dict[str, Any] = {
            "points": np.concatenate([g["points"] for g in glyphs]).reshape(-1, 3),
            "ends": np.cumsum([len(g["points"]) for g in glyphs]),
            **{k: np.concatenate([g[k] for g in glyphs]) for k in ("fill", "stroke", "background")},
            "widths": np.stack([g["widths"] for g in glyphs]),
        }
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        path = glyph_path(source)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with written_whole(path) as f:
                f.write(buffer.getvalue())
        except OSError:
            pass  # a cache that cannot be written only costs the next render the parse
