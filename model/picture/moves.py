"""The timeline's positions: moves, numbered from the input.

A morph is played as moves. :data:`INPUT_MOVE` holds the input still; move k, from 1 to the
timeline's ``n_moves``, morphs stage k − 1 into stage k (one move per step of the network; in a
training film, one hop of training from snapshot k − 1 to snapshot k); the return move,
``n_moves + 1`` (:func:`return_move`), carries the last stage back to the input plane. Every
move is played at times t ∈ [0, 1]; move k ends on stage k.
"""

from __future__ import annotations

INPUT_MOVE = 0  # the input, held still: it starts and ends on stage 0


def return_move(n_moves: int) -> int:
    """The move after the last stage that carries the points back to the input plane."""
    return n_moves + 1


def stage_before(move: int) -> int:
    """The stage ``move`` starts from (the input move's own, stage 0)."""
    return max(move - 1, INPUT_MOVE)
