"""Lecture craft, checked on a dry-run render: one title at a time, each section opening with its
own title, the legend and axis names on screen, the network strip lit at the step played."""

from __future__ import annotations

import pytest
from manim import tempconfig

from scenes.kit.animations import PlayTimeline
from scenes.morph import ReluMorph
from tests.conftest import TINY, scene_media


def _titles_text(block) -> str:
    return " ".join(p.original_text for p in block.get_family() if hasattr(p, "original_text"))


def _opacity(block) -> float:
    """How visible a block's text is: the largest fill opacity of its glyphs."""
    return max(
        (p.get_fill_opacity() for p in block.get_family() if hasattr(p, "original_text")),
        default=0.0,
    )


class Watched(ReluMorph):
    """ReluMorph that notes, at every section start and around every animation, what is shown."""

    def setup(self):
        self.log = []  # (event, section, titles on screen, strip's lit entry, names shown)
        self.section = None
        self.section_starts = []  # (section, scene time at its start)
        self.name_lefts = []  # the left edge of every axis name shown, at every note
        super().setup()

    def next_section(self, name="unnamed", *args, **kwargs):
        self.section = name
        self.log.append(("section", name, None, None, None))
        self.section_starts.append((name, self.renderer.time))
        super().next_section(name, *args, **kwargs)

    def _note(self, event):
        titles = [_titles_text(block) for block in self.titles]
        visible = [t for t, block in zip(titles, self.titles) if _opacity(block) > 0]
        names = {n for n, text in self.picture.names.items() if _opacity(text) > 0.5}
        self.name_lefts += [
            text.get_left()[0] for text in self.picture.names.values() if _opacity(text) > 0
        ]
        lit = self.strip.current if self.strip is not None else None
        self.log.append((event, self.section, visible, lit, names))

    def play(self, *animations, **kwargs):
        self._note(("play", tuple(type(a).__name__ for a in animations)))
        self.playing = [a for a in animations if isinstance(a, PlayTimeline)]
        super().play(*animations, **kwargs)
        self._note(("played", tuple(type(a).__name__ for a in animations)))

    def wait(self, *args, **kwargs):
        self._note(("wait",))
        super().wait(*args, **kwargs)


@pytest.fixture(scope="module")
def watched(shared_cache):
    with tempconfig({**TINY, "media_dir": str(scene_media(shared_cache))}):
        scene = Watched()
        scene.render()
    return scene


def test_never_two_titles_and_each_section_opens_with_its_own(watched):
    stages = watched.morph.stages
    expected = {s.step.name: s.step.title for s in stages} | {
        "decision": "what the network decided"
    }
    opened = set()
    for i, (event, section, visible, _, _) in enumerate(watched.log):
        if event == "section":
            # The first frame of the section: its own title, alone.
            _, _, first, _, _ = watched.log[i + 1]
            assert len(first) == 1 and first[0].startswith(expected[section]), (section, first)
            opened.add(section)
            continue
        assert len(visible) <= 1, (section, visible)
    assert opened == set(expected)


def test_the_input_is_held_long_enough_to_introduce_the_data(watched):
    starts = [(name, t) for name, t in watched.section_starts]
    (_, begin), (_, end) = starts[0], starts[1]
    assert starts[0][0] == "input" and end - begin >= 2.5


def test_the_strip_lights_the_step_being_played(watched):
    for event, section, _, lit, _ in watched.log:
        if event[0] == "play" and "PlayTimeline" in event[1] and section != "decision":
            step = [s.step.name for s in watched.morph.stages].index(section)
            assert lit == step


def test_axis_names_and_legend_are_on_screen_at_every_stage(watched):
    legend_text = _titles_text(watched.furniture[0])
    for name in (*watched.morph.dataset.class_names, "decision boundary", "(p = 0.5)"):
        assert name in legend_text
    held = {}  # section -> the axis names shown once its morph has played
    for event, section, _, _, names in watched.log:
        if event[0] == "played" and "PlayTimeline" in event[1]:
            held[section] = names
    assert {"x₁", "x₂"} <= watched.log[2][4]  # the input, before anything moves
    assert {"h₁", "h₂"} <= held["dense2_3to3"]
    assert {"z₁ − z₀", "0"} <= held["dense4_3to2"]  # the logits' number line
    assert {"0", "0.5", "1", "p(outer ring)"} <= held["softmax"]
    assert {"x₁", "x₂"} <= held["decision"]


def test_no_axis_name_reaches_into_the_network_strip(watched):
    strip_right = watched.strip.get_right()[0]
    assert watched.name_lefts
    assert min(watched.name_lefts) >= strip_right, (min(watched.name_lefts), strip_right)
