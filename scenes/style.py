"""Colours, sizes and timings shared by every scene: one place to restyle the videos.

Colours are chosen to read on dark and light slides alike.
"""

from __future__ import annotations

CLASS_COLORS = ("#E5484D", "#3E83F8")  # class 0 (inner disk) red, class 1 (outer ring) blue
CLASS_OPACITY = 0.75  # dots overlap; slight transparency keeps the density readable
DOT_RADIUS = 0.028  # scene units (≈ 3.8 px at 1080p)
GRID_COLOR = "#8A8F98"  # neutral gray, visible on black and white
GRID_OPACITY = 0.55
GRID_WIDTH = 1.6  # Manim stroke width units
FONT = "Sans"  # Pango resolves it to the system sans-serif (DejaVu Sans on Debian)
AXIS_COLOR = "#C9CDD4"  # the stage's own coordinate axes, through its origin
AXIS_OPACITY = 0.5
AXIS_WIDTH = 2.2
BOUNDARY_COLOR = "#F2C230"  # the 0.5-probability curve: gold reads on both classes and slides
BOUNDARY_OPACITY = 0.95
BOUNDARY_WIDTH = 4.0
LABEL_PLATE_COLOR = "#101216"  # behind labels, so white text reads on light slides too (-t)
LABEL_PLATE_OPACITY = 0.7
LABEL_COLOR = "#F2F2F2"
LABEL_FONT_SIZE = 34
NOTE_COLOR = "#A0A4AB"
NOTE_FONT_SIZE = 20
LABEL_TOP_BUFF = 0.35  # scene units between the label and the top edge

HOLD_INPUT = 1.0  # seconds the input is shown before the first step
LABEL_SWAP = 0.4  # seconds to cross-fade a step's label
MORPH = 2.0  # seconds per step's morph
HOLD_STEP = 0.5  # seconds each stage is held
HOLD_END = 2.0  # seconds the softmax stage is held at the end

CAMERA_PHI = 65  # degrees from the vertical: the 3-D view looks down at the picture
CAMERA_THETA = -50  # degrees around the vertical at the start
CAMERA_ORBIT_RATE = 0.04  # radians per second: a slow orbit so depth reads
CAMERA_ZOOM = 1.3  # the 3-D picture fills the frame below the label
POSTER_FONT_SIZE = 17  # panel titles in StagesPoster
