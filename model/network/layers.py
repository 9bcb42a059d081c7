"""The network: a chain of affine and activation steps built from a :class:`Config`.

The layout is the reference recipe's ``Chain(Dense(2=>3), Dense(3=>3, σ), Dense(3=>3, σ),
Dense(3=>2), softmax)`` generalised to any hidden widths: an affine embedding, then one affine +
activation pair per further hidden layer, then an affine read-out and softmax.
"""

from __future__ import annotations

import torch
from torch import nn

from model.data.registry import class_count
from model.network.activations import check_activation
from model.network.config import Config
from model.network.steps import Step, describe_steps  # noqa: F401 (their home before steps.py)

# Networks this small gain nothing from intra-op threads, and on a busy machine (a browser, a
# second render) the threads fight each other: one thread was 2–7× faster under load.
torch.set_num_threads(1)

IN_DIM = 2  # every dataset is 2-D
N_CLASSES = 2  # the built-in datasets' classes but spiral3's (data.class_count says)


def build_network(config: Config) -> nn.Sequential:
    """A freshly initialised network for ``config`` (torch's default init, current RNG)."""
    widths = (IN_DIM, *config.hidden, class_count(config.dataset))
    modules: list[nn.Module] = [nn.Linear(widths[0], widths[1])]
    for i, name in enumerate(config.activations, start=1):
        modules += [nn.Linear(widths[i], widths[i + 1]), check_activation(name).make()]
    modules += [nn.Linear(widths[-2], widths[-1]), nn.Softmax(dim=-1)]
    return nn.Sequential(*modules)


def init_network(config: Config, seed: int) -> nn.Sequential:
    """The network ``config`` describes, initialised deterministically from ``seed``."""
    generator_state = torch.random.get_rng_state()
    torch.manual_seed(seed)
    try:
        return build_network(config)
    finally:
        torch.random.set_rng_state(generator_state)
