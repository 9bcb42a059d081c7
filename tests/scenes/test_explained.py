"""The video explains itself, in a dry render: the caption band says the narration's words for
the section on screen, and every section lasts at least as long as its sentence."""

from __future__ import annotations

import itertools

import pytest
from manim import tempconfig

from model.narration.pacing import reading_seconds
from model.narration.speech import duration
from scenes.morph import ReluMorph
from tests.conftest import TINY, scene_media


def _shown(scene) -> list[str]:
    """The caption band's words on screen now."""
    return [
        m.original_text
        for block in scene.titles
        for m in block[1].get_family()
        if hasattr(m, "original_text") and m.get_fill_opacity() > 0.5
    ]


class Told(ReluMorph):
    """ReluMorph noting, at every section's end, the caption band's words."""

    def setup(self):
        self.band = {}
        super().setup()

    def end_section(self, section):
        self.band[section] = _shown(self)
        super().end_section(section)


@pytest.fixture(scope="module", params=[False, True], ids=["silent", "narrated"])
def told(request, shared_cache):
    with tempconfig({**TINY, "media_dir": str(scene_media(shared_cache))}):
        scene = type("Told", (Told,), {"narrate": request.param})()
        scene.render()
    return scene


def test_the_band_shows_each_sections_caption(told):
    assert set(told.band) == set(told.narration)
    for section, caption in told.narration.items():
        assert told.band[section] == list(caption.lines)


def test_every_section_lasts_as_long_as_its_sentence(told):
    for section, start, end, caption in told.told:
        needed = duration(told.voice[section]) if told.narrate else reading_seconds(caption.text)
        assert end - start >= needed - 0.2, section  # one frame at 5 fps
    spans = [(start, end) for _, start, end, _ in told.told]
    assert all(b <= c for (_, b), (c, _) in itertools.pairwise(spans))


def test_activation_steps_get_more_time_than_rotations(told):
    paces = told.paces
    assert paces["relu2"].morph > paces["dense2_3to3"].morph
    assert all(p.hold >= 2.0 for p in paces.values())
