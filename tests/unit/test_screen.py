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
