"""Where everything goes on the frame: named regions, so no two kinds of thing share a place.

A :class:`Screen` splits the frame (scene units, Manim's 14.2 × 8 at 16:9) into regions, all
inside the 5 % safe margin:

- ``title``: the band at the top for the step's title and its one-line note;
- ``caption``: the band at the bottom for the step's caption (what it did, what to notice);
- ``strip``: the left column for the network strip (None when it is hidden);
- ``legend`` and ``scale``: the right column, the legend above, the scale bar below;
- ``picture``: what is left in the middle. The data is fitted into ``data``, the picture less a
  ring of :data:`NAME_ROOM` where axis names, ticks and markers can go; labels may use the whole
  ``picture`` region but never another region.

The sizes are chosen for the fonts :mod:`scenes.kit.style` sets (titles 31 px, everything in a
column or band ≥ 20 px high at 720p): the regions are the layout, and the scenes draw into them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SAFE_MARGIN = 0.05  # of the frame's width and height, on each side: nothing is drawn outside
TITLE_BAND = 1.0  # scene units: the title (34 pt) and its note (23 pt)
CAPTION_BAND = 0.82  # two caption lines (23 pt)
STRIP_COLUMN = 2.55  # the network strip: boxes 2.1 wide and the layer numbers
LEGEND_COLUMN = 2.45  # the legend's swatches and names (long names wrap)
SCALE_HEIGHT = 1.0  # the scale bar, its heading and a stretch note, at the legend column's foot
GAP = 0.15  # between neighbouring regions
ROW_GAP = 0.6  # between a panel screen's legend row and its scale, side by side in one band
NAME_ROOM = 0.42  # the ring round the data, inside the picture, for axis names and ticks


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in scene units, [x0, x1] × [y0, y1]."""

    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def around(cls, center: tuple[float, float], width: float, height: float) -> Box:
        """The box of ``width`` × ``height`` centred at ``center``."""
        cx, cy = center
        return cls(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)

    @classmethod
    def bounding(cls, points: np.ndarray) -> Box:
        """The smallest box holding (n, ≥2) ``points``."""
        lo, hi = np.min(points[:, :2], axis=0), np.max(points[:, :2], axis=0)
        return cls(float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def grown(self, by: float) -> Box:
        """This box grown by ``by`` on every side (shrunk when negative)."""
        return Box(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)

    def meets(self, other: Box) -> bool:
        """Whether the two boxes overlap (touching edges do not)."""
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def within(self, other: Box, slack: float = 1e-9) -> bool:
        """Whether this box lies inside ``other``."""
        return (
            self.x0 >= other.x0 - slack
            and self.x1 <= other.x1 + slack
            and self.y0 >= other.y0 - slack
            and self.y1 <= other.y1 + slack
        )

    def gap_to(self, other: Box) -> float:
        """The distance between the two boxes (0 when they meet)."""
        dx = max(other.x0 - self.x1, self.x0 - other.x1, 0.0)
        dy = max(other.y0 - self.y1, self.y0 - other.y1, 0.0)
        return float(np.hypot(dx, dy))

    def contains(self, points: np.ndarray) -> np.ndarray:
        """(n,) whether each of (n, ≥2) ``points`` lies strictly inside."""
        x, y = points[:, 0], points[:, 1]
        return (x > self.x0) & (x < self.x1) & (y > self.y0) & (y < self.y1)


def safe_box(width: float, height: float, margin: float = SAFE_MARGIN) -> Box:
    """The frame of ``width`` × ``height`` scene units without its margins."""
    return Box.around((0.0, 0.0), width * (1 - 2 * margin), height * (1 - 2 * margin))


@dataclass(frozen=True)
class Screen:
    """The frame's regions (see the module docstring), in scene units."""

    frame: Box  # the whole frame
    safe: Box  # the frame less its margins: nothing outside it
    title: Box  # the title band at the top
    caption: Box  # the caption band at the bottom
    strip: Box | None  # the network strip's column, left (None: no strip)
    legend: Box  # the legend, top of the right column
    scale: Box  # the scale bar, foot of the right column
    picture: Box  # the middle: the data and the labels that name it
    data: Box  # ``picture`` less the ring for labels: where the data is fitted

    @classmethod
    def for_morph(
        cls, width: float, height: float, *, strip: bool = True, captions: bool = True
    ) -> Screen:
        """A frame of ``width`` × ``height`` scene units with one picture, the strip (left, when
        ``strip``), the legend and scale (right), title (top) and caption (bottom; without
        ``captions`` an empty band at the safe margin, and the picture takes its room)."""
        safe = safe_box(width, height)
        title = Box(safe.x0, safe.y1 - TITLE_BAND, safe.x1, safe.y1)
        caption = Box(safe.x0, safe.y0, safe.x1, safe.y0 + (CAPTION_BAND if captions else 0.0))
        top, bottom = title.y0 - GAP, caption.y1 + GAP
        column = Box(safe.x0, bottom, safe.x0 + STRIP_COLUMN, top) if strip else None
        right = safe.x1 - LEGEND_COLUMN
        legend = Box(right, bottom + SCALE_HEIGHT + GAP, safe.x1, top)
        scale = Box(right, bottom, safe.x1, bottom + SCALE_HEIGHT)
        left = (column.x1 if column is not None else safe.x0) + GAP
        picture = Box(left, bottom, right - GAP, top)
        return cls(
            frame=Box.around((0.0, 0.0), width, height),
            safe=safe,
            title=title,
            caption=caption,
            strip=column,
            legend=legend,
            scale=scale,
            picture=picture,
            data=picture.grown(-NAME_ROOM),
        )

    def overlays(self) -> dict[str, Box]:
        """Every region that is not the picture, by name: what data and labels keep out of."""
        named = {"title": self.title, "caption": self.caption, "legend": self.legend}
        named["scale"] = self.scale
        if self.strip is not None:
            named["strip"] = self.strip
        return named


HEADER_LINE = 0.36  # one line of a panel's header (23 pt)
LEGEND_ROW = 0.42  # a legend laid out in one row (23 pt)
PANEL_GAP = 0.3  # between neighbouring panels


@dataclass(frozen=True)
class PanelScreen:
    """A frame of side-by-side panels: title band, a header over each panel, the panels, a
    legend row (the scale bar at its right end) and the caption band (scene units)."""

    frame: Box
    safe: Box
    title: Box
    caption: Box
    legend: Box  # the legend row, left part of the band above the captions
    scale: Box  # the scale bar, right end of that band
    headers: tuple[Box, ...]  # each panel's title (and note, zoom tag) above it
    panels: tuple[Box, ...]  # each panel's picture region: data and the labels naming it
    data: tuple[Box, ...]  # each panel less the ring for labels: where its data is fitted

    @classmethod
    def row(
        cls,
        width: float,
        height: float,
        n: int,
        *,
        header_lines: int = 2,
        caption: bool = True,
        scale_width: float = 2.8,
        weights: tuple[float, ...] | None = None,
        scale_rows: int = 1,
    ) -> PanelScreen:
        """``n`` panels side by side (see the class docstring), equal or as wide as
        ``weights`` say (one number per panel); the scale region ``scale_rows`` rows high (a
        second row says a stretched view)."""
        safe = safe_box(width, height)
        title = Box(safe.x0, safe.y1 - TITLE_BAND, safe.x1, safe.y1)
        caption_box = Box(safe.x0, safe.y0, safe.x1, safe.y0 + (CAPTION_BAND if caption else 0))
        band_y0 = caption_box.y1 + (GAP if caption else 0.0)
        # As far from the scale as the legend's items are from each other: at GAP the row read
        # on as one phrase, "decision boundary (p = 0.5) scale ── 5".
        legend = Box(safe.x0, band_y0, safe.x1 - scale_width - ROW_GAP, band_y0 + LEGEND_ROW)
        scale = Box(safe.x1 - scale_width, band_y0, safe.x1, band_y0 + scale_rows * LEGEND_ROW)
        header_height = header_lines * HEADER_LINE
        top = title.y0 - GAP
        bottom = scale.y1 + GAP
        shares = np.asarray(weights if weights is not None else [1.0] * n, dtype=float)
        widths = (safe.width - PANEL_GAP * (n - 1)) * shares / shares.sum()
        headers, panels = [], []
        x0 = safe.x0
        for width in widths:
            headers.append(Box(x0, top - header_height, x0 + width, top))
            panels.append(Box(x0, bottom, x0 + width, top - header_height - GAP))
            x0 += width + PANEL_GAP
        return cls(
            frame=Box.around((0.0, 0.0), width, height),
            safe=safe,
            title=title,
            caption=caption_box,
            legend=legend,
            scale=scale,
            headers=tuple(headers),
            panels=tuple(panels),
            data=tuple(p.grown(-NAME_ROOM) for p in panels),
        )

    @classmethod
    def grid(cls, width: float, height: float, n: int) -> PanelScreen:
        """``n`` panels of small multiples in the most even grid whose panels hold the largest
        square pictures, a last shorter row centred: a one-line title band above, the legend
        row (and a scale region at its end) below, each panel's one-line header above it."""
        safe = safe_box(width, height)
        title = Box(safe.x0, safe.y1 - TITLE_BAND / 2, safe.x1, safe.y1)
        legend = Box(safe.x0, safe.y0, safe.x1 - 2.6 - GAP, safe.y0 + LEGEND_ROW)
        scale = Box(safe.x1 - 2.6, safe.y0, safe.x1, safe.y0 + LEGEND_ROW)
        region = Box(safe.x0, legend.y1 + GAP, safe.x1, title.y0 - GAP)
        columns, rows = grid_shape(n, region.width, region.height)
        cell_w = (region.width - PANEL_GAP * (columns - 1)) / columns
        cell_h = (region.height - PANEL_GAP * (rows - 1)) / rows
        headers, panels = [], []
        for k in range(n):
            row, col = divmod(k, columns)
            in_row = min(columns, n - row * columns)
            x0 = (
                region.x0
                + (columns - in_row) * (cell_w + PANEL_GAP) / 2
                + col * (cell_w + PANEL_GAP)
            )
            y1 = region.y1 - row * (cell_h + PANEL_GAP)
            headers.append(Box(x0, y1 - HEADER_LINE, x0 + cell_w, y1))
            panels.append(Box(x0, y1 - cell_h, x0 + cell_w, y1 - HEADER_LINE - 0.05))
        return cls(
            frame=Box.around((0.0, 0.0), width, height),
            safe=safe,
            title=title,
            caption=Box(safe.x0, safe.y0, safe.x1, safe.y0),
            legend=legend,
            scale=scale,
            headers=tuple(headers),
            panels=tuple(panels),
            data=tuple(panels),
        )

    def overlays(self) -> dict[str, Box]:
        """Every region that is not a panel, by name."""
        named = {"title": self.title, "caption": self.caption, "legend": self.legend}
        named["scale"] = self.scale
        named |= {f"header{i}": box for i, box in enumerate(self.headers)}
        return named


def grid_shape(n: int, width: float, height: float, gap: float = PANEL_GAP) -> tuple[int, int]:
    """(columns, rows) of ``n`` panels in a ``width`` × ``height`` region: the shape whose
    panels hold the largest square picture below a one-line header."""
    best = (0.0, 1, n)
    for columns in range(1, n + 1):
        rows = -(-n // columns)
        side = min(
            (width - gap * (columns - 1)) / columns,
            (height - gap * (rows - 1)) / rows - HEADER_LINE,
        )
        if side > best[0] + 1e-9:
            best = (side, columns, rows)
    return best[1], best[2]
