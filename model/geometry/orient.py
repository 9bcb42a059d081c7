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
last layer of that run keeps det < 0 and the polar path shows it as a mirror that flattens the
picture for an instant (see :mod:`model.geometry.affine`). :func:`reflecting_layers` lists such
layers.
"""

from __future__ import annotations

import copy
from typing import cast

import numpy as np
import torch
from torch import nn

from model.errors import NetmorphError


def _linears(net: nn.Sequential) -> list[nn.Linear]:
    indices = [i for i, module in enumerate(net) if isinstance(module, nn.Linear)]
    if indices:
        for module in list(net)[indices[0] : indices[-1]]:
            if isinstance(module, nn.Softmax):
                raise NetmorphError(
                    "orient_hidden_units needs elementwise activations between affine layers: "
                    "move the softmax after the last Linear"
                )
    return [cast(nn.Linear, net[i]) for i in indices]


def _det(layer: nn.Linear) -> float:
    return float(np.linalg.det(layer.weight.detach().double().numpy()))


def reflecting_layers(net: nn.Sequential) -> list[int]:
    """Positions in ``net`` of the square Linear layers whose weight has det < 0."""
    return [
        i
        for i, module in enumerate(net)
        if isinstance(module, nn.Linear)
        and module.in_features == module.out_features
        and _det(module) < 0
    ]


def _solve_swaps(layers: list[nn.Linear]) -> list[bool]:
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


def orient_hidden_units(net: nn.Sequential) -> nn.Sequential:
    """A copy of ``net`` that computes the same function, with det W > 0 for every square layer
    where a reordering of hidden units can achieve it.

    A hidden layer that needs a flip gets its last two units swapped. See the module docstring for
    the layers that cannot be fixed; they are left as they are.
    """
    net = copy.deepcopy(net)
    layers = _linears(net)
    with torch.no_grad():
        for j, swap in enumerate(_solve_swaps(layers)):
            if not swap:
                continue
            order = torch.arange(layers[j].out_features)
            order[-2:] = order[-2:].flip(0)
            layers[j].weight.copy_(layers[j].weight[order])
            if layers[j].bias is not None:
                layers[j].bias.copy_(layers[j].bias[order])
            layers[j + 1].weight.copy_(layers[j + 1].weight[:, order])
    return net
