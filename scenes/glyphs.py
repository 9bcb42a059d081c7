"""Pango text whose glyph outlines are kept between renders: :class:`CachedText`.

Most of a ``Text``'s cost is not Pango but parsing the SVG it writes into Bézier mobjects
(svgelements, then one ``VMobject`` per glyph): ~40 ms a line here, 2 s for a scene's titles,
legend, strip and axis names, much of a still's time. Manim keeps the result only for the life
of the process. :class:`CachedText` stores each parsed SVG's glyphs (points and style, no code)
in ``<media_dir>/glyphs/<sha256>.npz``, keyed by the SVG's own bytes and the style Manim applies
to it, so a changed font, text or colour is a new key. Files are written whole (temp file +
rename), so renders side by side never read half a file; an unreadable one is parsed again.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import manim
import numpy as np
from manim import Text, VMobject, config

GLYPH_DIR = "glyphs"  # under the media folder
FORMAT = "1"  # bump when what is stored changes


class CachedText(Text):
    """Manim's ``Text``, with its parsed glyphs kept in ``<media_dir>/glyphs`` between renders."""

    def generate_mobject(self) -> CachedText:
        path = self._glyph_path()
        if path is not None and _load(self, path):
            return self
        super().generate_mobject()
        if path is not None:
            _save(self, path)
        return self

    def _glyph_path(self) -> Path | None:
        try:
            svg = self.get_file_path().read_bytes()
        except (OSError, ValueError):
            return None
        key = hashlib.sha256(svg)
        for part in (self.svg_default, self.path_string_config, manim.__version__, FORMAT):
            key.update(repr(part).encode())
        return Path(config.media_dir) / GLYPH_DIR / f"{key.hexdigest()}.npz"


def _load(text: Text, path: Path) -> bool:
    """Add the glyphs stored at ``path`` to ``text``; False when there is no usable file."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        ends = arrays["ends"]
        points = np.split(arrays["points"], ends[:-1])
        glyphs = []
        for k, glyph_points in enumerate(points):
            glyph = VMobject()
            glyph.points = glyph_points
            glyph.fill_rgbas = arrays["fill"][k : k + 1].copy()
            glyph.stroke_rgbas = arrays["stroke"][k : k + 1].copy()
            glyph.background_stroke_rgbas = arrays["background"][k : k + 1].copy()
            glyph.stroke_width, glyph.background_stroke_width = arrays["widths"][k]
            glyphs.append(glyph)
    except (OSError, KeyError, ValueError, IndexError):
        return False
    text.add(*glyphs)
    text.id_to_vgroup_dict = {}
    return True


def _save(text: Text, path: Path) -> None:
    """Store ``text``'s glyphs at ``path`` whole, when they are flat and one colour each."""
    glyphs = text.submobjects
    rgbas = [
        (g.get_fill_rgbas(), g.get_stroke_rgbas(), g.get_stroke_rgbas(background=True))
        for g in glyphs
    ]
    if (
        not glyphs
        or any(g.submobjects for g in glyphs)
        or any(len(r) != 1 for triple in rgbas for r in triple)
    ):
        return  # nested or gradient glyphs: not worth a format of their own
    lengths = [len(g.points) for g in glyphs]
    arrays = {
        "points": np.concatenate([g.points for g in glyphs]).reshape(-1, 3),
        "ends": np.cumsum(lengths),
        "fill": np.concatenate([r[0] for r in rgbas]),
        "stroke": np.concatenate([r[1] for r in rgbas]),
        "background": np.concatenate([r[2] for r in rgbas]),
        "widths": np.array(
            [(g.get_stroke_width(), g.get_stroke_width(background=True)) for g in glyphs]
        ),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".npz", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, **arrays)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a cache that cannot be written only costs the next render the parse
