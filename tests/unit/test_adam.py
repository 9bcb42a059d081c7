"""The trainer's Adam is torch.optim.Adam's update, bit for bit."""

from __future__ import annotations

from pathlib import Path

import torch

from model.network.config import Config
from model.train.adam import Adam
from model.train.trainer import train


def _descend(make, steps: int = 60) -> list[torch.Tensor]:
    gen = torch.Generator().manual_seed(0)
    params = [torch.randn(16, 3, 2, generator=gen), torch.randn(16, 3, generator=gen)]
    params = [p.requires_grad_() for p in params]
    optimiser = make(params)
    for _ in range(steps):
        loss = sum(((p - 0.3) ** 2).sum() + p.sin().sum() for p in params)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return [p.detach() for p in params]


def test_matches_torch_adam_bit_for_bit() -> None:
    ours = _descend(lambda ps: Adam(ps, lr=0.05))
    theirs = _descend(lambda ps: torch.optim.Adam(ps, lr=0.05))
    assert all(torch.equal(a, b) for a, b in zip(ours, theirs))
    assert not torch.equal(ours[0], _descend(lambda ps: Adam(ps, lr=0.05), steps=59)[0])


def test_training_imports_no_compiler() -> None:
    """A cold training never pays for torch._dynamo (1.8 s), which torch.optim imports."""
    import subprocess
    import sys

    code = (
        "import sys; from model.network.config import Config; "
        "from model.train.trainer import train; "
        "train(Config(max_steps=3, rounds=1, best_effort=True), progress=False); "
        "print('torch._dynamo' in sys.modules)"
    )
    repo = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_recipe_training_still_reaches_full_accuracy() -> None:
    assert train(Config(activation="relu"), progress=False).accuracy == 1.0
