"""Every colour pair of every theme reads at ≥ 3:1 contrast on the background it is used on."""

from __future__ import annotations

import pytest

from model.errors import NetmorphError
from scenes.kit.style import THEMES, blend, contrast, get_theme, rgb

MINIMUM = 3.0  # WCAG 2's minimum for graphics and large text


def _drawn(theme):
    """(what, colour, opacity) of everything drawn straight on the background."""
    return [
        *((f"class {k}", c, theme.class_opacity) for k, c in enumerate(theme.class_colors)),
        ("grid", theme.grid, theme.grid_opacity),
        ("axis", theme.axis, theme.axis_opacity),
        ("boundary", theme.boundary, 1.0),
        ("note", theme.note, 1.0),
        ("network strip highlight", theme.highlight, 1.0),  # its lit step, box and words
    ]


@pytest.mark.parametrize("name", sorted(THEMES))
def test_theme_colours_contrast_with_their_background(name):
    theme = get_theme(name)
    background = rgb(theme.background)
    for what, colour, opacity in [*_drawn(theme), ("text", theme.text, 1.0)]:
        ratio = contrast(blend(colour, opacity, theme.background), background)
        assert ratio >= MINIMUM, f"{name} {what}: {ratio:.2f}:1"


@pytest.mark.parametrize("name", sorted(THEMES))
@pytest.mark.parametrize("slide", ["#FFFFFF", "#000000"])
def test_transparent_renders_read_over_white_and_black(name, slide):
    theme = get_theme(name, transparent=True)
    for what, colour, opacity in _drawn(theme):
        ratio = contrast(blend(colour, opacity, slide), rgb(slide))
        assert ratio >= MINIMUM, f"{name} -t over {slide}, {what}: {ratio:.2f}:1"
    # Titles and the legend sit on a plate: text against the plate as it shows over the slide.
    plate = blend(theme.plate, theme.plate_opacity, slide)
    assert contrast(rgb(theme.text), plate) >= MINIMUM


def test_contrast_is_wcag():
    assert contrast(rgb("#FFFFFF"), rgb("#000000")) == pytest.approx(21.0)
    assert contrast(rgb("#777777"), rgb("#FFFFFF")) == pytest.approx(4.48, abs=0.01)


def test_unknown_theme_names_the_choices():
    with pytest.raises(NetmorphError, match="'dark', 'light'"):
        get_theme("sepia")


@pytest.mark.parametrize("name", sorted(THEMES))
@pytest.mark.parametrize("slide", ["#FFFFFF", "#000000"])
def test_transparent_decision_shading_reads_over_white_and_black(name, slide):
    """-t shades the decision plane strongly enough to see over any slide (its dots ringed)."""
    theme = get_theme(name, transparent=True)
    for colour in theme.class_colors:
        ratio = contrast(blend(colour, theme.region_opacity, slide), rgb(slide))
        assert ratio >= MINIMUM, f"{name} -t over {slide}, shading {colour}: {ratio:.2f}:1"
    assert theme.dot_edge is not None
