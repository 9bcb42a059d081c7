"""A trained network's forward pass in numpy (float64): what a render draws, without torch.

Importing torch costs about as much as importing Manim, and a render that finds its network in
the checkpoint cache never needs it: the trace, the decision boundary, the class map and the
hidden-unit reordering all run on a :class:`NumpyNet` made from the checkpoint's tensors. Torch
stays the trainer and, in the tests, the oracle these functions are compared with.

A :class:`NumpyNet` is a sequence of layers, one per module of the ``nn.Sequential`` it stands
for (an :class:`Affine` per ``nn.Linear``, an :class:`Elementwise` per activation, a
:class:`Softmax` last), so positions and state-dict names are the same. It holds every network
netmorph draws: :func:`model.network.layers.build_network`'s (any number of classes), and a user's
own (:mod:`model.network.own`: every supported activation, LeakyReLU with its own slope, GELU's
tanh approximation, Softplus with its own threshold, Linear without bias). :func:`as_numpy`
raises ``TypeError`` for a module it cannot compute exactly.

Examples::

    net = NumpyNet.from_state_dict(config, tensors)   # tensors: {"0.weight": (3, 2) array, ...}
    probabilities = net(points)                        # (n, n_classes) float64
    net = as_numpy(torch_net)                          # the same network, from torch
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, overload

import numpy as np

from model.data.registry import class_count
from model.network.activations import LEAKY_SLOPE, Activation, check_activation

if TYPE_CHECKING:  # pragma: no cover
    from torch import nn

    from model.network.config import Config

IN_DIM = 2  # every dataset is 2-D (as model.network.layers builds it)
SOFTPLUS_THRESHOLD = 20.0  # torch's Softplus returns z itself above this (its default)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))  # never overflows; exact in the tails, as torch's is
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _gelu(z: np.ndarray) -> np.ndarray:
    from scipy.special import erf  # exact GELU, as torch's default (approximate="none")

    return 0.5 * z * (1.0 + erf(z / math.sqrt(2.0)))


def _gelu_tanh(z: np.ndarray) -> np.ndarray:
    """torch's ``GELU(approximate="tanh")``."""
    return 0.5 * z * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (z + 0.044715 * z**3)))


def _softplus(z: np.ndarray, threshold: float = SOFTPLUS_THRESHOLD) -> np.ndarray:
    return np.where(z > threshold, z, np.log1p(np.exp(np.minimum(z, threshold))))


# Each activation of model.activations, elementwise on float64 arrays (tests compare every one
# with its torch module).
ELEMENTWISE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "gelu": _gelu,
    "sigmoid": _sigmoid,
    "leaky_relu": lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
    "silu": lambda z: z * _sigmoid(z),
    "elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0))),
    "softplus": _softplus,
    "identity": lambda z: z.copy(),  # a stage of its own, not an alias of the last
}


@dataclass(frozen=True, eq=False)
class Affine:
    """``h ↦ W h + b``: torch's ``nn.Linear``."""

    weight: np.ndarray  # (out_features, in_features) float64
    bias: np.ndarray  # (out_features,) float64

    @property
    def in_features(self) -> int:
        """Width of the layer's input."""
        return self.weight.shape[1]

    @property
    def out_features(self) -> int:
        """Width of the layer's output."""
        return self.weight.shape[0]

    def __call__(self, h: np.ndarray) -> np.ndarray:
        return h @ self.weight.T + self.bias


@dataclass(frozen=True)
class Elementwise:
    """One activation applied to every coordinate, with the options a torch module may set."""

    activation: str  # a name of model.network.activations.ACTIVATIONS
    slope: float = LEAKY_SLOPE  # leaky_relu's negative slope (a user's own may differ)
    threshold: float = SOFTPLUS_THRESHOLD  # softplus returns z above this, as torch's does
    approximate: str = "none"  # gelu: "none" (exact, erf) or "tanh", as torch's GELU

    def __call__(self, h: np.ndarray) -> np.ndarray:
        if self.activation == "leaky_relu":
            return np.where(h > 0, h, self.slope * h)
        if self.activation == "softplus":
            return _softplus(h, self.threshold)
        if self.activation == "gelu" and self.approximate == "tanh":
            return _gelu_tanh(h)
        return ELEMENTWISE[self.activation](h)

    def describe(self) -> Activation:
        """The activation as the video names it (a user's own leaky slope in its formula)."""
        act = check_activation(self.activation)
        if self.activation == "leaky_relu" and self.slope != LEAKY_SLOPE:
            return replace(act, formula=f"max({self.slope:g}z, z)")
        return act

    def to_torch(self) -> nn.Module:
        """The same activation as a torch module."""
        from torch import nn

        if self.activation == "leaky_relu":
            return nn.LeakyReLU(self.slope)
        if self.activation == "softplus":
            return nn.Softplus(threshold=self.threshold)
        if self.activation == "gelu":
            return nn.GELU(approximate=self.approximate)
        return check_activation(self.activation).make()


@dataclass(frozen=True)
class Softmax:
    """Class probabilities from logits, along the last axis."""

    def __call__(self, h: np.ndarray) -> np.ndarray:
        e = np.exp(h - h.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)


Layer = Affine | Elementwise | Softmax


@dataclass(frozen=True, eq=False)
class NumpyNet:
    """A chain of layers, indexed and iterated like the ``nn.Sequential`` it stands for."""

    layers: tuple[Layer, ...]

    def __iter__(self) -> Iterator[Layer]:
        return iter(self.layers)

    def __len__(self) -> int:
        return len(self.layers)

    @overload
    def __getitem__(self, index: int) -> Layer: ...

    @overload
    def __getitem__(self, index: slice) -> NumpyNet: ...

    def __getitem__(self, index: int | slice) -> Layer | NumpyNet:
        if isinstance(index, slice):
            return NumpyNet(self.layers[index])
        return self.layers[index]

    def __call__(self, points: np.ndarray) -> np.ndarray:
        """The network's output for (n, 2) points, in float64."""
        h = np.asarray(points, dtype=np.float64)
        for layer in self.layers:
            h = layer(h)
        return h

    def logits(self) -> NumpyNet:
        """The network without its final softmax."""
        return self[:-1] if self.layers and isinstance(self.layers[-1], Softmax) else self

    @classmethod
    def from_state_dict(cls, config: Config, tensors: Mapping[str, np.ndarray]) -> NumpyNet:
        """The network ``config`` describes, with the weights of a torch state dict.

        ``tensors`` maps state-dict names (``"0.weight"``, ``"0.bias"``, …) to arrays, as a
        checkpoint stores them; see :func:`layer_shapes`.
        """
        layers: list[Layer] = []
        for position, kind in enumerate(_layout(config)):
            if kind == "affine":
                weight = np.asarray(tensors[f"{position}.weight"], dtype=np.float64)
                bias = np.asarray(tensors[f"{position}.bias"], dtype=np.float64)
                layers.append(Affine(weight, bias))
            elif kind == "softmax":
                layers.append(Softmax())
            else:
                layers.append(Elementwise(kind))
        return cls(tuple(layers))

    def to_torch(self) -> nn.Sequential:
        """The same network as a float64 torch module (for tests: torch is the oracle)."""
        import torch
        from torch import nn

        modules: list[nn.Module] = []
        for layer in self.layers:
            if isinstance(layer, Affine):
                linear = nn.Linear(layer.in_features, layer.out_features).double()
                with torch.no_grad():
                    linear.weight.copy_(torch.as_tensor(layer.weight))
                    linear.bias.copy_(torch.as_tensor(layer.bias))
                modules.append(linear)
            elif isinstance(layer, Softmax):
                modules.append(nn.Softmax(dim=-1))
            else:
                modules.append(layer.to_torch())
        return nn.Sequential(*modules).double().eval()


def _layout(config: Config) -> list[str]:
    """Each position's kind: "affine", "softmax" or an activation name (build_network's order)."""
    kinds = ["affine"]
    for name in config.activations:
        kinds += ["affine", check_activation(name).name]
    return [*kinds, "affine", "softmax"]


def layer_shapes(config: Config) -> dict[str, tuple[int, ...]]:
    """Every state-dict tensor of ``config``'s network and its shape, without building it."""
    widths = (IN_DIM, *config.hidden, class_count(config.dataset))
    shapes: dict[str, tuple[int, ...]] = {}
    affine = 0
    for position, kind in enumerate(_layout(config)):
        if kind == "affine":
            d_in, d_out = widths[affine], widths[affine + 1]
            shapes[f"{position}.weight"] = (d_out, d_in)
            shapes[f"{position}.bias"] = (d_out,)
            affine += 1
    return shapes


def as_numpy(net: NumpyNet | nn.Sequential) -> NumpyNet:
    """``net`` as a :class:`NumpyNet`: itself, or a float64 copy of a torch ``nn.Sequential``.

    Raises ``TypeError`` for a module with no exact numpy twin (see the module docstring).
    """
    if isinstance(net, NumpyNet):
        return net
    from torch import nn  # loaded already: net is a torch module

    layers: list[Layer] = []
    for module in net:
        if isinstance(module, nn.Linear):
            weight = module.weight.detach().double().cpu().numpy().copy()
            bias = (
                module.bias.detach().double().cpu().numpy().copy()
                if module.bias is not None
                else np.zeros(module.out_features)
            )
            layers.append(Affine(weight, bias))
        elif isinstance(module, nn.Softmax):
            layers.append(Softmax())
        else:
            layers.append(_elementwise(module))
    return NumpyNet(tuple(layers))


def _elementwise(module: nn.Module) -> Elementwise:
    """The :class:`Elementwise` twin of a torch activation module, options included."""
    from torch import nn

    if isinstance(module, nn.LeakyReLU):
        return Elementwise("leaky_relu", slope=float(module.negative_slope))
    if isinstance(module, nn.Softplus) and module.beta == 1.0:
        return Elementwise("softplus", threshold=float(module.threshold))
    if isinstance(module, nn.GELU):
        return Elementwise("gelu", approximate=module.approximate)
    if isinstance(module, nn.ELU) and module.alpha == 1.0:
        return Elementwise("elu")
    exact = {
        nn.ReLU: "relu",
        nn.Tanh: "tanh",
        nn.Sigmoid: "sigmoid",
        nn.SiLU: "silu",
        nn.Identity: "identity",
    }
    name = exact.get(type(module))
    if name is None:
        raise TypeError(f"no numpy twin for {module!r}")
    return Elementwise(name)
