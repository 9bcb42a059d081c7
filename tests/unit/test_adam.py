"""The trainer's Adam is torch.optim.Adam's update, bit for bit."""

from __future__ import annotations

import torch

from model.train.adam import Adam


def _descend(make, iterations: int = 60) -> list[torch.Tensor]:
    gen = torch.Generator().manual_seed(0)
    params = [torch.randn(16, 3, 2, generator=gen), torch.randn(16, 3, generator=gen)]
    params = [p.requires_grad_() for p in params]
    optimiser = make(params)
    for _ in range(iterations):
        loss = sum(((p - 0.3) ** 2).sum() + p.sin().sum() for p in params)
        optimiser.zero_grad()
        loss.backward()
        if isinstance(optimiser, Adam):
            optimiser.update()
        else:
            optimiser.step()  # torch's name for one update
    return [p.detach() for p in params]


def test_matches_torch_adam_bit_for_bit() -> None:
    ours = _descend(lambda ps: Adam(ps, lr=0.05))
    theirs = _descend(lambda ps: torch.optim.Adam(ps, lr=0.05))
    assert all(torch.equal(a, b) for a, b in zip(ours, theirs))
    assert not torch.equal(ours[0], _descend(lambda ps: Adam(ps, lr=0.05), iterations=59)[0])
