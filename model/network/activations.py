"""The activation functions a hidden layer can use, with their on-screen names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from model.errors import NetmorphError

if TYPE_CHECKING:  # pragma: no cover
    from torch import nn


@dataclass(frozen=True)
class Activation:
    """One activation: how to build it in torch and how to label it on screen."""

    name: str  # the name users type, e.g. "leaky_relu"
    label: str  # short on-screen name, e.g. "leaky ReLU"
    formula: str  # on-screen formula in z, plain Unicode (no LaTeX)
    make: Callable[[], nn.Module]  # builds the torch module


def _torch(module: str, *args: float) -> Callable[[], nn.Module]:
    """A maker of ``torch.nn.<module>(*args)`` that imports torch only when called: a render
    whose network is cached draws it without torch (:mod:`model.numpy_net`)."""

    def make() -> nn.Module:
        from torch import nn

        return getattr(nn, module)(*args)

    return make


# Leaky ReLU uses slope 0.1, not torch's 0.01: at 0.01 the leak is invisible on screen.
LEAKY_SLOPE = 0.1

ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("relu", "ReLU", "max(0, z)", _torch("ReLU")),
        Activation("tanh", "tanh", "tanh(z)", _torch("Tanh")),
        Activation("gelu", "GELU", "z·Φ(z)", _torch("GELU")),
        Activation("sigmoid", "sigmoid", "1 / (1 + e⁻ᶻ)", _torch("Sigmoid")),
        Activation(
            "leaky_relu",
            "leaky ReLU",
            f"max({LEAKY_SLOPE}z, z)",
            _torch("LeakyReLU", LEAKY_SLOPE),
        ),
        Activation("silu", "SiLU", "z·sigmoid(z)", _torch("SiLU")),
        Activation("elu", "ELU", "z if z > 0, else eᶻ − 1", _torch("ELU")),
        Activation("softplus", "softplus", "ln(1 + eᶻ)", _torch("Softplus")),
        # No bend at all: the whole network is one affine map, so it can only draw a straight
        # boundary (a "show it failing" video; see Config.best_effort).
        Activation("identity", "identity", "z, nothing moves", _torch("Identity")),
    )
}


def check_activation(name: object) -> Activation:
    """The activation called ``name``, or a NetmorphError listing the valid names."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise NetmorphError(f"unknown activation {name!r}: choose one of {', '.join(ACTIVATIONS)}")
    return ACTIVATIONS[name]
