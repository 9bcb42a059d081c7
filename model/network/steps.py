"""The steps of a network's chain, as the video names and labels them (no torch needed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from model.network.numpy_net import Affine, NumpyNet, Softmax, as_numpy

if TYPE_CHECKING:  # pragma: no cover
    from torch import nn

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


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


def describe_steps(net: NumpyNet | nn.Sequential) -> list[Step]:
    """Name and label every layer of ``net`` (a torch ``nn.Sequential`` or a NumpyNet), in order."""
    steps: list[Step] = []
    n_affine = 0
    for layer in as_numpy(net):
        if isinstance(layer, Affine):
            n_affine += 1
            i = str(n_affine).translate(_SUBSCRIPTS)
            arg = "x" if n_affine == 1 else "h"
            d_in, d_out = layer.in_features, layer.out_features
            steps.append(
                Step(
                    "affine",
                    f"dense{n_affine}_{d_in}to{d_out}",
                    f"Dense {d_in}→{d_out}: W{i}{arg} + b{i}",
                    n_affine,
                )
            )
        elif isinstance(layer, Softmax):
            steps.append(Step("softmax", "softmax", "softmax: class probabilities", n_affine))
        else:
            act = layer.describe()
            # "tanh: tanh(z)" says the name twice; show the formula alone then.
            label = (
                act.formula if act.formula.startswith(act.label) else f"{act.label}: {act.formula}"
            )
            steps.append(Step("activation", f"{act.name}{n_affine}", label, n_affine))
    return steps
