"""Colours, sizes and timings shared by every scene: one place to restyle the videos.

Colours come in themes: ``"dark"`` (the default, for screens and dark slides) and ``"light"``
(projectors and white slides). A transparent render (``manim -t``) is composited over whatever
slide it lands on, so it swaps in colours that read over white *and* black
(:meth:`Theme.for_transparent`). ``tests/test_style.py`` checks every colour pair against the
background it is used on at ≥ 3:1 contrast (WCAG's minimum for graphics and large text).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from model.errors import NetmorphError


@dataclass(frozen=True)
class Theme:
    """The colours of one look; every scene draws with exactly these."""

    name: str  # "dark" or "light"
    background: str  # frame background; the backdrops contrast is checked against
    text: str  # titles and labels
    note: str  # captions, axis names, the network strip's idle steps
    plate: str  # behind text where it may sit over the picture or another slide
    plate_opacity: float  # 0 draws no plate
    class_colors: tuple[str, ...]  # one per class (up to 8): class 0 red, class 1 blue, …
    class_opacity: float  # dots overlap; slight transparency keeps density readable
    grid: str  # the bending grid
    grid_opacity: float
    axis: str  # the stage's own coordinate axes, through its origin
    axis_opacity: float
    boundary: str  # the decision boundary (p = 0.5)
    highlight: str  # the network strip's current step
    region_opacity: float  # the input plane shaded by predicted class
    fold: str = "#2BB3A3"  # fold lines: where a hidden unit switches (show_folds)
    dot_edge: str | None = None  # a thin ring round every dot (None: none)

    def for_transparent(self) -> Theme:
        """This theme's variant for ``-t``: every colour reads over white and over black."""
        return replace(
            self,
            class_colors=TRANSPARENT_CLASS_COLORS,
            class_opacity=1.0,
            fold="#1E9688",
            grid="#8A8F98",
            grid_opacity=1.0,
            axis="#8A8F98",
            axis_opacity=1.0,
            boundary="#A86A00",
            highlight="#A86A00",
            note="#8A8F98",
            plate_opacity=0.85,
            # The decision shading reads at ≥ 3:1 over white and over black only when nearly
            # opaque; the dots then keep a ring of the plate's colour, so they read on it.
            region_opacity=TRANSPARENT_REGION_OPACITY,
            dot_edge=self.plate,
        )


# Class colours, red and blue first, then purple, green, orange, sky, yellow and grey: after the
# Okabe–Ito palette, each ≥ 3:1 on its background. Under simulated protan, deutan and tritan
# vision (Machado 2009) the first three stay ≥ 37 ΔE apart in every theme, the first four ≥ 9;
# all eight ≥ 15 on dark but only ≥ 3 on white (where 3:1 leaves few light colours).
DARK_CLASS_COLORS = (
    "#E5484D", "#3E83F8", "#CC79A7", "#009E73", "#E69F00", "#56B4E9", "#F0E442", "#BBBBBB"
)  # fmt: skip
LIGHT_CLASS_COLORS = (
    "#D1242F", "#1F5FD6", "#B4478F", "#007A5A", "#B35C00", "#0E7FB8", "#857400", "#4B5058"
)  # fmt: skip
TRANSPARENT_REGION_OPACITY = 0.95  # every -t class colour shades at ≥ 3:1 over white and black
# Colours that keep ≥ 3:1 over white and over black at full opacity.
TRANSPARENT_CLASS_COLORS = (
    "#E5484D", "#3E83F8", "#B0589A", "#0E8A66", "#B86E00", "#2F8FC4", "#8C8000", "#8A8F98"
)  # fmt: skip

THEMES: dict[str, Theme] = {
    "dark": Theme(
        name="dark",
        background="#101216",
        text="#F2F2F2",
        note="#A0A4AB",
        plate="#101216",
        plate_opacity=0.0,
        class_colors=DARK_CLASS_COLORS,
        class_opacity=0.85,
        grid="#8A8F98",
        grid_opacity=0.7,
        axis="#C9CDD4",
        axis_opacity=0.6,
        boundary="#F2C230",
        highlight="#F2C230",
        region_opacity=0.22,
    ),
    "light": Theme(
        name="light",
        background="#FFFFFF",
        text="#16181C",
        note="#4B5058",
        plate="#FFFFFF",
        plate_opacity=0.0,
        class_colors=LIGHT_CLASS_COLORS,
        class_opacity=1.0,
        grid="#8A8F98",
        grid_opacity=1.0,
        axis="#5F6570",
        axis_opacity=0.9,
        boundary="#A86A00",
        highlight="#A86A00",
        region_opacity=0.16,
        fold="#0F7F73",
    ),
}


def get_theme(name: object, *, transparent: bool = False) -> Theme:
    """The theme called ``name`` (its ``-t`` variant when ``transparent``), or a NetmorphError."""
    if not isinstance(name, str) or name not in THEMES:
        raise NetmorphError(f"unknown theme {name!r}: choose one of {', '.join(map(repr, THEMES))}")
    theme = THEMES[name]
    return theme.for_transparent() if transparent else theme


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4


def rgb(color: str) -> tuple[float, float, float]:
    """``"#RRGGBB"`` as three floats in 0..1."""
    h = color.lstrip("#")
    return tuple(int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def blend(color: str, opacity: float, background: str) -> tuple[float, float, float]:
    """What ``color`` at ``opacity`` looks like over ``background``."""
    return tuple(opacity * c + (1 - opacity) * b for c, b in zip(rgb(color), rgb(background)))  # type: ignore[return-value]


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours (1 to 21)."""
    la, lb = sorted(
        0.2126 * _linear(x) + 0.7152 * _linear(y) + 0.0722 * _linear(z) for x, y, z in (a, b)
    )
    return (lb + 0.05) / (la + 0.05)


# Sizes (scene units; the frame is 14.22 × 8) and fonts.
DOT_RADIUS = 0.05  # ≈ 6.8 px at 1080p: a class squeezed onto a line still shows as a mass
GRID_WIDTH = 1.6  # Manim stroke width units
AXIS_WIDTH = 2.2
BOUNDARY_WIDTH = 4.0
FOLD_WIDTH = 2.4  # under the boundary's width: many of them, and the boundary matters most
FONT = "Sans"  # Pango resolves it to the system sans-serif (DejaVu Sans on Debian)
# Font sizes, chosen for the back of a hall: a glyph's cap height at 720p is 0.91 px per point
# (tests/scenes/test_layout_audit.py measures them as rendered).
TITLE_FONT_SIZE = 34  # 31 px: titles ≥ 28 px
NOTE_FONT_SIZE = 23  # 21 px: the note under a title (a subtitle) ≥ 20 px
CAPTION_FONT_SIZE = 23  # the caption band ≥ 20 px
AXIS_FONT_SIZE = 23  # axis names ≥ 20 px
LEGEND_FONT_SIZE = 23  # the legend ≥ 20 px
STRIP_FONT_SIZE = 23  # the network strip ≥ 20 px
SMALL_FONT_SIZE = 21  # 19 px: tick values, marker words, the scale's number, zoom tags ≥ 18 px
POSTER_FONT_SIZE = 21  # panel titles in StagesPoster
SAFE_MARGIN = 0.05  # of the frame's width and height, on each side: nothing is drawn outside

# Timings (seconds).
HOLD_INPUT = 3.0  # the input, long enough to introduce the data
MARKER_FADE = 0.3  # a collapse marker fades in after its morph and out as the next step starts
TITLE_BEAT = 0.4  # the new title alone before its morph starts
MORPH = 2.0  # each step's morph
HOLD_STEP = 2.0  # each stage held after its morph, its title still up: long enough to point
HOLD_SAME = 1.2  # an identity step: said, not played
HOLD_END = 2.0  # the softmax stage
HOLD_DECISION = 3.0  # the closing picture: the input plane shaded by the network's decision

# Compatibility names for scenes not yet on themes (the dark theme's values).
_DARK = THEMES["dark"]
CLASS_COLORS = _DARK.class_colors[:2]  # the two-class scenes these names serve
CLASS_OPACITY = _DARK.class_opacity
GRID_COLOR, GRID_OPACITY = _DARK.grid, _DARK.grid_opacity
AXIS_COLOR, AXIS_OPACITY = _DARK.axis, _DARK.axis_opacity
BOUNDARY_COLOR, BOUNDARY_OPACITY = _DARK.boundary, 0.95
LABEL_COLOR, NOTE_COLOR = _DARK.text, _DARK.note
LABEL_PLATE_COLOR, LABEL_PLATE_OPACITY = "#101216", 0.7
LABEL_FONT_SIZE = TITLE_FONT_SIZE
LABEL_TOP_BUFF = 0.4
LABEL_SWAP = 0.6  # a step opens on its new title alone (the last markers fading) before it moves

CAMERA_PHI = 65  # degrees from the vertical: the 3-D view looks down at the picture
CAMERA_THETA = -50  # degrees around the vertical at the start
CAMERA_ORBIT_RATE = 0.04  # radians per second: a slow orbit so depth reads
CAMERA_ZOOM = 1.3  # the 3-D picture fills the frame below the label
