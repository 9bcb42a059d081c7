"""Orienting a network: reorder hidden units so every square affine layer keeps orientation.

Activations act elementwise, so permuting the units of hidden layer j (the rows of W_j and b_j,
and the columns of W_{j+1}) leaves the network's function unchanged. Swapping two units flips the
sign of det W_j (when square) and of det W_{j+1} (when square). Choosing a swap or not for each
hidden layer is then a chain of parity constraints, one per square layer:

    swap[j−1] xor swap[j] = (det W_j < 0)

where the input and output can never be permuted and a 1-wide layer has nothing to swap. Between
two non-square layers the chain has one more free choice than constraints and is always solved
(the recipe's 2→3→3→3→2: W₂ and W₃ are both fixed). A run of square layers pinned at both ends
(e.g. 2→2→2 touching the input and output, or a 1-wide layer) may be one swap short; then the
last layer of that run keeps det < 0 and the polar route shows it as a mirror that flattens the
picture for an instant (see :mod:`model.geometry.affine`). :func:`reflecting_layers` lists such
layers.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, cast

import numpy as np

from model.errors import NetmorphError
from model.network.numpy_net import Affine, NumpyNet, Softmax, as_numpy

if TYPE_CHECKING:  # pragma: no cover
    from torch import nn


def _linears(net: NumpyNet) -> list[int]:
    """Positions of the affine layers, checked to have only elementwise layers between them."""
    indices = [i for i, layer in enumerate(net) if isinstance(layer, Affine)]
    if indices:
        for layer in list(net)[indices[0] : indices[-1]]:
            if isinstance(layer, Softmax):
                raise NetmorphError(
                    "orient_hidden_units needs elementwise activations between affine layers: "
                    "move the softmax after the last Linear"
                )
    return indices


def _det(layer: Affine) -> float:
    return float(np.linalg.det(layer.weight))


def reflecting_layers(net: NumpyNet | nn.Sequential) -> list[int]:
    """Positions in ``net`` of the square affine layers whose weight has det < 0."""
    return [
        i
        for i, layer in enumerate(as_numpy(net))
        if isinstance(layer, Affine) and layer.in_features == layer.out_features and _det(layer) < 0
    ]


def _solve_swaps(layers: list[Affine]) -> list[bool]:
    """One swap decision per hidden layer (the output of every layer but the last)."""
    n = len(layers)
    # pinned[j]: hidden layer j cannot be permuted; j = −1 is the input, n − 1 the output.
    pinned = {-1: True, n - 1: True} | {j: layers[j].out_features < 2 for j in range(n - 1)}
    swap = dict.fromkeys(range(-1, n), False)
    j = 0
    while j < n:
        if layers[j].in_features != layers[j].out_features:
            j += 1
            continue
        # A run of square layers j..end; its variables are the hidden layers j−1..end.
        end = j
        while end + 1 < n and layers[end + 1].in_features == layers[end + 1].out_features:
            end += 1
        variables = list(range(j - 1, end + 1))
        flips = [_det(layers[k]) < 0 for k in range(j, end + 1)]  # constraint between v_i, v_i+1
        first = next((i for i, v in enumerate(variables) if pinned[v]), 0)
        # From the first pinned variable (or the left end) outwards: left, then right; a pinned
        # variable met on the way right keeps its value, and the constraint before it breaks.
        for i in range(first - 1, -1, -1):
            swap[variables[i]] = swap[variables[i + 1]] ^ flips[i]
        for i in range(first, len(variables) - 1):
            if not pinned[variables[i + 1]]:
                swap[variables[i + 1]] = swap[variables[i]] ^ flips[i]
        j = end + 1
    return [swap[j] for j in range(n - 1)]


def orient_hidden_units(net: NumpyNet | nn.Sequential) -> NumpyNet:
    """``net`` (torch or numpy) as a NumpyNet that computes the same function, with det W > 0
    for every square layer where a reordering of hidden units can achieve it.

    A hidden layer that needs a flip gets its last two units swapped. See the module docstring for
    the layers that cannot be fixed; they are left as they are. ``net`` itself is not changed.
    """
    layers = list(as_numpy(net))
    positions = _linears(NumpyNet(tuple(layers)))
    affine = [cast(Affine, layers[i]) for i in positions]  # _linears found them
    for j, swap in enumerate(_solve_swaps(affine)):
        if not swap:
            continue
        order = np.arange(affine[j].out_features)
        order[-2:] = order[-2:][::-1]
        affine[j] = replace(affine[j], weight=affine[j].weight[order], bias=affine[j].bias[order])
        affine[j + 1] = replace(affine[j + 1], weight=affine[j + 1].weight[:, order])
    for i, layer in zip(positions, affine):
        layers[i] = layer
    return NumpyNet(tuple(layers))
