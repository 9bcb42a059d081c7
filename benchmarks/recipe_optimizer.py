"""The reference recipe's own optimiser, for the README's comparison (slow: minutes).

Plain full-batch gradient descent, lr 0.1, cross-entropy + 0.01·‖θ‖₂, 50,000 iterations, from
torch's default initialisation.
"""

from __future__ import annotations

import time
from typing import cast

import torch
import torch.nn.functional as F

from model.data.registry import load_dataset
from model.network.config import Config
from model.network.layers import init_network


def run_recipe(activation: str, seed: int = 0, iterations: int = 50_000) -> tuple[float, float]:
    """Train the recipe's way; return (seconds, final training accuracy)."""
    data = load_dataset("circles")
    x = torch.as_tensor(data.x_train, dtype=torch.float32)
    y = torch.as_tensor(data.y_train)
    module = init_network(Config(activation=activation), seed)
    body = module[:-1]  # logits; the softmax is inside cross_entropy
    optimiser = torch.optim.SGD(module.parameters(), lr=0.1)
    start = time.perf_counter()
    for _ in range(iterations):
        norm = torch.sqrt(cast(torch.Tensor, sum(p.pow(2).sum() for p in module.parameters())))
        loss = F.cross_entropy(body(x), y) + 0.01 * norm
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        accuracy = (body(x).argmax(1) == y).float().mean().item()
    return seconds, accuracy
