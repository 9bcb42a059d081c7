"""Your own trained model: a torch ``nn.Sequential``, or a safetensors file of its state_dict.

netmorph draws a network it did not train exactly as one of its own, once the network is
checked to be a chain it can draw: ``Linear`` layers and elementwise activations, 2-D input,
one output per class of the data. The checked network is a float32 copy in eval mode with
Dropout removed (it does nothing in eval) and a final ``Softmax`` added when it has none.

In a scene file, override one method::

    class MyModel(MorphScene):
        dataset = "moons"

        def trained_network(self):
            module = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
            module.load_state_dict(torch.load("my_net.pt", weights_only=True))
            return module

or name a safetensors file of the state_dict (keys as ``nn.Sequential`` names them,
``"0.weight"``, ``"0.bias"``, ``"2.weight"``…) and the activation between its Linear layers::

    class MyFile(MorphScene):
        dataset = "moons"
        weights = "my_net.safetensors"  # safetensors.torch.save_file(module.state_dict(), ...)
        activation = "relu"
        hidden = (8,)  # optional: checked against the file's widths

From the command line, ``netmorph train --dataset moons --weights my_net.safetensors``
checks the file and prints its layers and accuracy. Pickles (``torch.save`` files) are never
loaded: unpickling can run any code. A file is read header first, within fixed bounds
(:mod:`model.network.weights_file`: peak memory stays small whatever it claims), and a network
whose layers leave float32's range on the data is refused when its accuracy is measured
(:func:`model.network.drawable.check_scale`).
"""

from __future__ import annotations

import copy
import itertools
import math
from pathlib import Path

import torch
from torch import nn

from model.errors import NetmorphError
from model.network.activations import check_activation
from model.network.drawable import IN_DIM, check_chain
from model.network.weights_file import SUPPORTED, linear_layers, read_arrays, read_header

# Activation modules drawn as they are (LeakyReLU with any slope).
SUPPORTED_ACTIVATIONS: tuple[type[nn.Module], ...] = (
    nn.ReLU,
    nn.Tanh,
    nn.GELU,
    nn.Sigmoid,
    nn.LeakyReLU,
    nn.SiLU,
    nn.ELU,
    nn.Softplus,
    nn.Identity,
)


def check_weights_path(path: object) -> str:
    """``path`` if it names a .safetensors file (existence is checked when it is read)."""
    if not isinstance(path, (str, Path)) or not str(path).lower().endswith(".safetensors"):
        raise NetmorphError(
            f"weights must be a path ending in .safetensors, got {path!r}: save the state_dict "
            "with safetensors.torch.save_file(module.state_dict(), 'my_net.safetensors')"
        )
    return str(path)


def _module_name(module: nn.Module) -> str:
    return type(module).__name__


def _flatten(module: nn.Sequential) -> list[nn.Module]:
    """The layers of ``module`` in order, nested Sequentials opened."""
    out: list[nn.Module] = []
    for layer in module:
        out += _flatten(layer) if isinstance(layer, nn.Sequential) else [layer]
    return out


def check_user_network(
    module: object, n_classes: int, source: str = "trained_network()"
) -> nn.Sequential:
    """A drawable copy of a user's network: float32, eval mode, no Dropout, ending in Softmax.

    Raises NetmorphError naming the first module netmorph cannot draw and what it can, a first
    layer that does not read 2-D points, or an output width that is not ``n_classes``.
    """
    if not isinstance(module, nn.Sequential):
        raise NetmorphError(
            f"{source} must return a torch.nn.Sequential, got {type(module).__name__}; {SUPPORTED}"
        )
    modules = [m for m in _flatten(module) if not isinstance(m, nn.modules.dropout._DropoutNd)]
    for i, layer in enumerate(modules):
        if isinstance(layer, (nn.Linear, SUPPORTED_ACTIVATIONS)):
            continue
        if isinstance(layer, nn.Softmax) and i == len(modules) - 1:
            if layer.dim not in (-1, 1, None):
                raise NetmorphError(
                    f"{source}: the final Softmax has dim={layer.dim}: use nn.Softmax(dim=-1)"
                )
            continue
        where = "before the last layer" if isinstance(layer, nn.Softmax) else ""
        raise NetmorphError(
            f"{source}: module {i} is {_module_name(layer)}{' ' + where if where else ''}, "
            f"which netmorph cannot draw; {SUPPORTED}"
        )
    if not any(isinstance(m, nn.Linear) for m in modules):
        raise NetmorphError(f"{source} has no Linear layer; {SUPPORTED}")
    if not isinstance(modules[0], nn.Linear):
        raise NetmorphError(
            f"{source}: the first module is {_module_name(modules[0])}: start with "
            f"nn.Linear({IN_DIM}, width), which reads the 2-D points"
        )
    body = modules[:-1] if isinstance(modules[-1], nn.Softmax) else modules
    if not isinstance(body[-1], nn.Linear):
        raise NetmorphError(
            f"{source}: the last layer is {_module_name(body[-1])}: end with a Linear giving "
            f"one output (logit) per class ({n_classes}); a final Softmax is optional"
        )
    shapes = [(m.out_features, m.in_features) for m in modules if isinstance(m, nn.Linear)]
    check_chain(shapes, n_classes, source)
    for layer in body:
        _check_activation_parameters(layer, source)
    drawn = nn.Sequential(*(copy.deepcopy(m) for m in body), nn.Softmax(dim=-1)).float().eval()
    for name, tensor in drawn.state_dict().items():
        if not torch.isfinite(tensor).all():
            raise NetmorphError(f"{source}: parameter {name} is not finite (NaN or inf)")
    return drawn


def _check_activation_parameters(module: nn.Module, source: str) -> None:
    """Activation options whose formula the video would state wrongly."""
    if isinstance(module, nn.ELU) and module.alpha != 1.0:
        raise NetmorphError(f"{source}: ELU(alpha={module.alpha:g}): netmorph draws alpha=1 only")
    if isinstance(module, nn.Softplus) and module.beta != 1.0:
        raise NetmorphError(f"{source}: Softplus(beta={module.beta:g}): netmorph draws beta=1 only")


def load_weights(
    path: Path | str,
    n_classes: int,
    *,
    activation: str | tuple[str, ...] = "relu",
    hidden: tuple[int, ...] | None = None,
) -> nn.Sequential:
    """The network whose state_dict is the safetensors file at ``path``, checked for drawing.

    The file's keys say where the ``Linear`` layers sit in the ``nn.Sequential``
    (``"0.weight"``, ``"2.weight"``…) and their shapes give the widths. Between two Linear layers
    with a gap in the numbering sits one activation (``activation``: one name for all, or one per
    gap), followed by Dropout for any further index of the gap. ``hidden``, when given, must
    equal the file's hidden widths.
    """
    path = Path(path)
    where = f"weights {path}"
    if path.suffix.lower() != ".safetensors":
        raise NetmorphError(
            f"{where}: give a .safetensors file of the state_dict, saved with "
            "safetensors.torch.save_file(module.state_dict(), 'my_net.safetensors'); pickles "
            "(torch.save) are never loaded"
        )
    # Everything the header says is checked before a single tensor is read (weights_file).
    header = read_header(path, "weights file")
    layers = linear_layers(header, where)
    check_chain([(layer.out_features, layer.in_features) for layer in layers], n_classes, where)
    gaps = [b.index - a.index - 1 for a, b in itertools.pairwise(layers)]
    names = _activation_names(activation, sum(1 for g in gaps if g > 0), where)
    widths = tuple(layer.out_features for layer in layers[:-1])
    if hidden is not None and tuple(hidden) != widths:
        raise NetmorphError(
            f"{where}: hidden = {tuple(hidden)} but the file's hidden widths are "
            f"{widths}: set hidden = {widths} (or None to read them from the file)"
        )
    modules: list[nn.Module] = []
    act = iter(names)
    for layer, gap in zip(layers, [*gaps, 0]):
        modules.append(nn.Linear(layer.in_features, layer.out_features, bias=layer.bias))
        if gap:
            modules.append(check_activation(next(act)).make())
            modules += [nn.Dropout() for _ in range(gap - 1)]
    module = nn.Sequential(*modules)
    state = {k: torch.from_numpy(v) for k, v in read_arrays(header).items()}
    module.load_state_dict(state, strict=True)  # the header's names and shapes are its own
    return check_user_network(module, n_classes, where)


def _activation_names(activation: str | tuple[str, ...], count: int, where: str) -> list[str]:
    names = [activation] * count if isinstance(activation, str) else list(activation)
    if len(names) != count:
        raise NetmorphError(
            f"{where}: {len(names)} activations given for the file's {count} gaps "
            "between Linear layers: give one name, or one per gap"
        )
    for name in names:
        check_activation(name)
    return names


def describe_layers(module: nn.Sequential) -> str:
    """One line naming every layer: ``Linear 2→8, ReLU, Linear 8→2, Softmax``."""
    parts = []
    for layer in module:
        if isinstance(layer, nn.Linear):
            parts.append(f"Linear {layer.in_features}→{layer.out_features}")
        elif isinstance(layer, nn.LeakyReLU):
            parts.append(f"LeakyReLU({layer.negative_slope:g})")
        else:
            parts.append(_module_name(layer))
    return ", ".join(parts)


def parameter_count(module: nn.Module) -> int:
    """How many numbers the network learned."""
    return sum(math.prod(p.shape) for p in module.parameters())
