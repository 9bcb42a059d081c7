"""The network: a chain of affine and activation steps built from a :class:`Config`.

The layout is the reference recipe's ``Chain(Dense(2=>3), Dense(3=>3, σ), Dense(3=>3, σ),
Dense(3=>2), softmax)`` generalised to any hidden widths: an affine embedding, then one affine +
activation pair per further hidden layer, then an affine read-out and softmax.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch
from torch import nn

from model.data.registry import class_count
from model.network.activations import ACTIVATIONS, check_activation
from model.network.config import Config

# Networks this small gain nothing from intra-op threads, and on a busy machine (a browser, a
# second render) the threads fight each other: one thread was 2–7× faster under load.
torch.set_num_threads(1)

IN_DIM = 2  # every dataset is 2-D
N_CLASSES = 2  # the built-in datasets' classes but spiral3's (data.class_count says)

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


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


@dataclass(frozen=True)
class Step:
    """One step of the chain, as the video names it."""

    kind: str  # "input", "affine", "activation" or "softmax"
    name: str  # section name, e.g. "dense2_3to3", "relu2", "softmax"
    label: str  # on-screen label, e.g. "Dense 3→3: W₂h + b₂"
    layer: int = 0  # the network layer it belongs to, from 1 (the affine embedding); 0: input

    @property
    def title(self) -> str:
        """The on-screen title: the step and the layer it belongs to."""
        return self.label if self.layer == 0 else f"layer {self.layer} · {self.label}"

    @property
    def short(self) -> str:
        """The step's name in the network strip: "Dense 2→3", "ReLU", "softmax"."""
        return self.label.split(":")[0]


def _activation_of(module: nn.Module):
    for act in ACTIVATIONS.values():
        probe = act.make()
        if type(probe) is type(module) and getattr(probe, "negative_slope", None) == getattr(
            module, "negative_slope", None
        ):
            return act
    if isinstance(module, nn.LeakyReLU):  # a user's own slope (model.network.own)
        leaky = ACTIVATIONS["leaky_relu"]
        return replace(leaky, formula=f"max({module.negative_slope:g}z, z)")
    raise TypeError(f"no netmorph activation matches {module!r}")


def describe_steps(net: nn.Sequential) -> list[Step]:
    """Name and label every module of ``net``, in order."""
    steps: list[Step] = []
    n_affine = 0
    for module in net:
        if isinstance(module, nn.Linear):
            n_affine += 1
            i = str(n_affine).translate(_SUBSCRIPTS)
            arg = "x" if n_affine == 1 else "h"
            d_in, d_out = module.in_features, module.out_features
            steps.append(
                Step(
                    "affine",
                    f"dense{n_affine}_{d_in}to{d_out}",
                    f"Dense {d_in}→{d_out}: W{i}{arg} + b{i}",
                    n_affine,
                )
            )
        elif isinstance(module, nn.Softmax):
            steps.append(Step("softmax", "softmax", "softmax: class probabilities", n_affine))
        else:
            act = _activation_of(module)
            # "tanh: tanh(z)" says the name twice; show the formula alone then.
            label = (
                act.formula if act.formula.startswith(act.label) else f"{act.label}: {act.formula}"
            )
            steps.append(Step("activation", f"{act.name}{n_affine}", label, n_affine))
    return steps
