"""The screen's regions: inside the safe margin, apart, and the legend row clear of the scale."""

from __future__ import annotations

import itertools

import pytest

from model.picture.screen import GAP, PanelScreen, Screen, safe_box

WIDTH, HEIGHT = 14.222222222222221, 8.0


def _apart(a, b, gap: float) -> bool:
    return a.x1 + gap <= b.x0 or b.x1 + gap <= a.x0 or a.y1 + gap <= b.y0 or b.y1 + gap <= a.y0


@pytest.mark.parametrize("strip", [True, False])
def test_a_morph_screens_regions_sit_in_the_safe_area_and_never_touch(strip):
    screen = Screen.for_morph(WIDTH, HEIGHT, strip=strip)
    safe = safe_box(WIDTH, HEIGHT)
    regions = {**screen.overlays(), "picture": screen.picture}
    assert ("strip" in regions) == strip
    for box in regions.values():
        assert box.within(safe)
    for (a, first), (b, second) in itertools.combinations(regions.items(), 2):
        assert _apart(first, second, GAP - 1e-9), (a, b)


@pytest.mark.parametrize("n", [2, 3])
def test_a_panel_rows_legend_ends_well_before_its_scale(n):
    screen = PanelScreen.row(WIDTH, HEIGHT, n, caption=False)
    # Further apart than the legend's own items (0.45): the two never read as one phrase.
    assert screen.scale.x0 - screen.legend.x1 >= 0.5
    assert screen.legend.y0 == screen.scale.y0


def test_without_captions_the_picture_takes_the_caption_bands_room():
    with_band = Screen.for_morph(14.2, 8.0)
    without = Screen.for_morph(14.2, 8.0, captions=False)
    assert without.caption.height == 0 and without.caption.y0 == with_band.safe.y0
    assert without.picture.y0 == pytest.approx(with_band.picture.y0 - with_band.caption.height)
    assert without.picture.y1 == with_band.picture.y1
    assert without.legend.y1 == with_band.legend.y1
    assert without.scale.y0 == pytest.approx(without.safe.y0 + GAP)  # the column's foot, lower
