"""The page's samples: frames read once, moments refined to a tolerance, positions packed small
and unpacked exactly (to the quantum)."""

from __future__ import annotations

import itertools
import zlib
from dataclasses import replace

import numpy as np
import pytest

from model.picture.frame import Frame, Name
from model.picture.labels import GAP, place_names
from model.picture.samples import (
    FAR,
    QUANTUM,
    FrameSample,
    pack_bytes,
    pack_positions,
    read_frame,
    refine,
    sample_moves,
    unpack_positions,
)
from model.picture.screen import Box


def _sample(points: np.ndarray) -> FrameSample:
    return FrameSample(points, np.zeros((0, 2, 2)), 0.0, (), (), 0.0, None)


def test_positions_round_trip_to_half_a_quantum():
    rng = np.random.default_rng(0)
    positions = np.cumsum(rng.normal(0, 0.05, (40, 500, 2)), axis=0) + rng.uniform(-7, 7, (500, 2))
    back = unpack_positions(pack_positions(positions), 40, 500)
    assert back.shape == positions.shape
    assert np.abs(back - positions).max() <= QUANTUM / 2 + 1e-12


def test_a_jump_wider_than_16_bits_of_difference_survives_the_wrap():
    # From one frame edge to beyond the other: a difference of ~61,000 quanta, stored modulo 2¹⁶.
    positions = np.array([[[-29.9, 0.0]], [[29.9, 0.0]], [[-29.9, 0.0]]])
    back = unpack_positions(pack_positions(positions), 3, 1)
    assert np.abs(back - positions).max() <= QUANTUM / 2


def test_positions_off_every_frame_are_stored_at_far():
    positions = np.array([[[1e6, -1e6], [0.5, 0.25]]])
    back = unpack_positions(pack_positions(positions), 1, 2)
    assert back[0, 0].tolist() == [FAR * QUANTUM, -FAR * QUANTUM]
    assert back[0, 1].tolist() == [0.5, 0.25]


def test_a_smooth_morph_packs_to_a_fraction_of_its_raw_size():
    t = np.linspace(0, 1, 100)[:, None, None]
    start = np.random.default_rng(1).uniform(-4, 4, (2000, 2))
    positions = start * (1 + t) + t  # (100, 2000, 2), every row sliding steadily
    raw = positions.size * 2  # int16
    assert len(pack_positions(positions)) < raw / 3  # the high bytes are nearly all alike


def test_pack_bytes_is_plain_deflate_of_the_values():
    values = np.arange(12, dtype=np.uint8).reshape(3, 4)
    assert zlib.decompress(pack_bytes(values)) == values.tobytes()


def test_read_frame_keeps_the_documented_fields_in_two_dimensions():
    frame = Frame(
        points=np.array([[1.0, 2.0, 0.0], [3.0, 4.0, 0.0]]),
        axes=np.array([[[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]]]),
        axes_opacity=0.5,
        names=(Name("x₁", np.array([1.0, 0.0, 0.0]), 0.75),),
        guides=(np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 0.0]]),),
        guide_opacity=1.0,
        scale=2.0,
        opacity=0.25,
        stretch=12.0,
    )
    sample = read_frame(frame)
    assert sample.points.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert sample.axes.shape == (1, 2, 2)
    assert sample.names == ()  # a name is kept only where a placement put it
    assert sample.guides[0].tolist() == [[0.0, 0.0], [1.0, 1.0]]
    assert (sample.axes_opacity, sample.guide_opacity, sample.scale) == (0.5, 1.0, 2.0)
    assert (sample.opacity, sample.stretch) == (0.25, 12.0)


def test_read_frame_keeps_each_name_at_the_centre_of_its_placed_box():
    name = Name("x₁", np.array([1.0, 0.0, 0.0]), 0.75, away=(1.0, 0.0))
    frame = replace(Frame.bare(np.zeros((1, 3))), names=(name,))
    room = Box(-5.0, -3.0, 5.0, 3.0)
    placed = place_names(frame, {"x₁": (0.4, 0.2)}, room)
    box, opacity = placed["x₁"]
    assert opacity == 0.75
    sample = read_frame(frame, placed)
    assert sample.names == (("x₁", *box.center, 0.75),)
    # Just beyond the anchor, in its wanted direction (right): the gap, then half its width.
    assert box.center[0] == pytest.approx(1.0 + GAP + 0.2) and box.center[1] == pytest.approx(0.0)


def test_a_straight_slide_needs_no_more_than_the_first_intervals():
    found = refine(lambda t: _sample(np.array([[t, 2 * t]])), 0.0, 1.0, 1e-6, first=4)
    assert [m for m, _ in found] == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_a_turn_is_refined_until_every_in_between_frame_is_within_tolerance():
    def turn(t: float) -> FrameSample:  # 10 points on a circle of radius 3 turning a half turn
        angle = np.pi * t + np.linspace(0, 2 * np.pi, 10, endpoint=False)
        return _sample(3 * np.stack([np.cos(angle), np.sin(angle)], axis=1))

    tolerance = 0.003
    found = refine(turn, 0.0, 1.0, tolerance, first=4)
    moments = np.array([m for m, _ in found])
    assert moments[0] == 0.0 and moments[-1] == 1.0 and np.all(np.diff(moments) > 0)
    assert 16 < len(moments) < 200  # refined, and not to the finest everywhere
    # What a page draws between two kept samples, against the true frame at that moment.
    for (a, sa), (b, sb) in itertools.pairwise(found):
        for f in (0.25, 0.5, 0.75):
            drawn = (1 - f) * sa.points + f * sb.points
            assert np.abs(drawn - turn(a + f * (b - a)).points).max() <= tolerance * 1.01


def test_a_jump_is_refined_only_down_to_the_finest_interval():
    found = refine(lambda t: _sample(np.array([[0.0 if t < 0.3 else 5.0, 0.0]])), 0, 1, 1e-3)
    gaps = np.diff([m for m, _ in found])
    assert gaps.min() == pytest.approx(1 / 256)
    assert len(found) < 40


class _Path:
    """A stand-in timeline: step k moves a point from x = k − 1 to x = k along y = t²."""

    def frame_at(self, step: int, t: float) -> Frame:
        return Frame.bare(np.array([[step - 1 + t, t * t, 0.0]]))


def test_sample_steps_keys_each_step_by_page_position_and_shares_their_common_moment():
    found = sample_moves(_Path(), [1, 2], [(0.0, 1.0), (1.0, 2.0)], 1e-3, lambda a: a)
    keys = [k for k, _ in found]
    assert keys[0] == 0.0 and keys[-1] == 2.0 and keys.count(1.0) == 1
    for key, sample in found:
        step, t = (1, key) if key <= 1 else (2, key - 1)
        assert sample.points.tolist() == [[step - 1 + t, t * t]]


def test_sample_steps_plays_each_step_through_the_rate_function():
    found = sample_moves(_Path(), [1], [(0.0, 2.0)], 1.0, lambda a: a * a, first=2)
    assert [(k, s.points[0, 0]) for k, s in found] == [(0.0, 0.0), (1.0, 0.25), (2.0, 1.0)]


def test_sample_steps_reads_only_the_frames_it_keeps():
    read: list[float] = []

    def reading(frame: Frame) -> FrameSample:
        read.append(float(frame.points[0, 1]))
        return read_frame(frame)

    found = sample_moves(_Path(), [1], [(0.0, 1.0)], 1e-3, lambda a: a, read=reading)
    assert sorted(read) == sorted(s.points[0, 1] for _, s in found)  # once each, none discarded
    assert len(read) == len(found)


def test_a_cross_fade_s_swap_is_chased_only_to_the_finest_interval():
    # The return to the input plane: one picture fades out, the other in; the points jump once.
    def fade(t: float) -> Frame:
        points = np.array([[0.0, 0.0, 0.0]]) if t < 0.5 else np.array([[3.0, 0.0, 0.0]])
        return replace(Frame.bare(points), opacity=abs(1 - 2 * t))

    found = refine(fade, 0.0, 1.0, 1e-3)
    moments = np.array([m for m, _ in found])
    before = moments[moments < 0.5].max()
    assert 0.5 in moments and 0.5 - before == pytest.approx(1 / 256)
    assert found[-1][1].opacity == 1.0 and len(found) < 20
