"""Short versions of the main videos for the README gallery and quick slides (``make gallery``).

Examples::

    manim -r 480,270 --fps 30 scenes/gallery.py ReluShort
    netmorph gif media/videos/gallery/270p30/ReluShort.mp4 docs/ReluMorph.gif
"""

from __future__ import annotations

from scenes.datasets import MoonsMorph, Spiral3Morph
from scenes.morph import GeluMorph, ReluMorph, TanhMorph


class _Short:
    """Brisker pacing: the whole network, input and closing picture in about 20 seconds."""

    morph_seconds: float | None = 1.1
    hold_seconds: float | None = 0.2
    label_seconds = 0.25
    captions = False  # a 480-pixel GIF: the caption band's words would not read


class ReluShort(_Short, ReluMorph):
    pass


class TanhShort(_Short, TanhMorph):
    pass


class GeluShort(_Short, GeluMorph):
    pass


class ReluLastHidden(ReluMorph):
    """A still (``-s``) of the last hidden stage, mid-video: the readout view separating the
    classes, the network strip lit at the layer shown."""

    def last_move(self) -> int:
        kinds = [stage.step.kind for stage in self.morph.stages]
        return max(k for k, kind in enumerate(kinds) if kind == "affine") - 1


class Spiral3Triangle(Spiral3Morph):
    """A still (``-s``) of three classes' softmax on the fixed probability triangle."""

    def has_closing(self) -> bool:
        return False  # end on softmax, not on the shaded input plane


class ReluFolds(MoonsMorph):
    """A still (``-s``) of the decision plane with every ReLU unit's fold line."""

    show_folds = True
