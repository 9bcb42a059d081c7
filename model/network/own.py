"""Your own trained model: a torch ``nn.Sequential``, or a safetensors file of its state_dict.

netmorph draws a network it did not train exactly as one of its own, once the network is
checked to be a chain it can draw: ``Linear`` layers and elementwise activations, 2-D input,
one output per class of the data. The checked network is a float32 copy in eval mode with
Dropout removed (it does nothing in eval) and a final ``Softmax`` added when it has none.

In a scene file, override one method::

    class MyModel(MorphScene):
        dataset = "moons"

        def trained_network(self):
            net = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
            net.load_state_dict(torch.load("my_net.pt", weights_only=True))
            return net

or name a safetensors file of the state_dict (keys as ``nn.Sequential`` names them,
``"0.weight"``, ``"0.bias"``, ``"2.weight"``…) and the activation between its Linear layers::

    class MyFile(MorphScene):
        dataset = "moons"
        weights = "my_net.safetensors"  # safetensors.torch.save_file(net.state_dict(), ...)
        activation = "relu"
        hidden = (8,)  # optional: checked against the file's widths

From the command line, ``netmorph train --dataset moons --weights my_net.safetensors``
checks the file and prints its layers and accuracy. Pickles (``torch.save`` files) are never
loaded: unpickling can run any code.
"""

from __future__ import annotations

import copy
import itertools
import math
import re
from pathlib import Path

import torch
from torch import nn

from model.errors import NetmorphError
from model.network.activations import check_activation

IN_DIM = 2  # every dataset is 2-D
MAX_OWN_WIDTH = 256  # wider layers trace and draw slowly, and no picture can show them
MAX_OWN_LAYERS = 16  # Linear layers: each is a step of the video
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
SUPPORTED = (
    "supported: Linear, ReLU, Tanh, GELU, Sigmoid, LeakyReLU, SiLU, ELU, Softplus, Identity, "
    "Dropout (ignored) and a final Softmax"
)
_INDEXED_KEY = re.compile(r"(\d+)\.(weight|bias)")
# Parameter and buffer names that say which unsupported module a state_dict holds.
_KNOWN_MODULES = {
    "running_mean": "a batch norm",
    "running_var": "a batch norm",
    "num_batches_tracked": "a batch norm",
    "in_proj_weight": "an attention layer",
    "weight_ih_l0": "a recurrent layer",
}


def check_weights_path(path: object) -> str:
    """``path`` if it names a .safetensors file (existence is checked when it is read)."""
    if not isinstance(path, (str, Path)) or not str(path).lower().endswith(".safetensors"):
        raise NetmorphError(
            f"weights must be a path ending in .safetensors, got {path!r}: save the state_dict "
            "with safetensors.torch.save_file(net.state_dict(), 'my_net.safetensors')"
        )
    return str(path)


def _module_name(module: nn.Module) -> str:
    return type(module).__name__


def _flatten(net: nn.Sequential) -> list[nn.Module]:
    """The modules of ``net`` in order, nested Sequentials opened."""
    out: list[nn.Module] = []
    for module in net:
        out += _flatten(module) if isinstance(module, nn.Sequential) else [module]
    return out


def check_user_network(
    net: object, n_classes: int, source: str = "trained_network()"
) -> nn.Sequential:
    """A drawable copy of a user's network: float32, eval mode, no Dropout, ending in Softmax.

    Raises NetmorphError naming the first module netmorph cannot draw and what it can, a first
    layer that does not read 2-D points, or an output width that is not ``n_classes``.
    """
    if not isinstance(net, nn.Sequential):
        raise NetmorphError(
            f"{source} must return a torch.nn.Sequential, got {type(net).__name__}; {SUPPORTED}"
        )
    modules = [m for m in _flatten(net) if not isinstance(m, nn.modules.dropout._DropoutNd)]
    for i, module in enumerate(modules):
        if isinstance(module, (nn.Linear, SUPPORTED_ACTIVATIONS)):
            continue
        if isinstance(module, nn.Softmax) and i == len(modules) - 1:
            if module.dim not in (-1, 1, None):
                raise NetmorphError(
                    f"{source}: the final Softmax has dim={module.dim}: use nn.Softmax(dim=-1)"
                )
            continue
        where = "before the last layer" if isinstance(module, nn.Softmax) else ""
        raise NetmorphError(
            f"{source}: module {i} is {_module_name(module)}{' ' + where if where else ''}, "
            f"which netmorph cannot draw; {SUPPORTED}"
        )
    linears = [m for m in modules if isinstance(m, nn.Linear)]
    if not linears:
        raise NetmorphError(f"{source} has no Linear layer; {SUPPORTED}")
    if not isinstance(modules[0], nn.Linear):
        raise NetmorphError(
            f"{source}: the first module is {_module_name(modules[0])}: start with "
            f"nn.Linear({IN_DIM}, width), which reads the 2-D points"
        )
    if linears[0].in_features != IN_DIM:
        raise NetmorphError(
            f"{source}: the first Linear reads {linears[0].in_features} inputs, but the data is "
            f"{IN_DIM}-D (x, y): netmorph draws networks of 2-D points only"
        )
    body = modules[:-1] if isinstance(modules[-1], nn.Softmax) else modules
    if not isinstance(body[-1], nn.Linear):
        raise NetmorphError(
            f"{source}: the last layer is {_module_name(body[-1])}: end with a Linear giving "
            f"one output (logit) per class ({n_classes}); a final Softmax is optional"
        )
    if linears[-1].out_features != n_classes:
        raise NetmorphError(
            f"{source}: the last Linear gives {linears[-1].out_features} outputs, but the data "
            f"has {n_classes} classes: give one output per class"
        )
    _check_sizes(linears, source)
    for module in body:
        _check_activation_parameters(module, source)
    drawn = nn.Sequential(*(copy.deepcopy(m) for m in body), nn.Softmax(dim=-1)).float().eval()
    for name, tensor in drawn.state_dict().items():
        if not torch.isfinite(tensor).all():
            raise NetmorphError(f"{source}: parameter {name} is not finite (NaN or inf)")
    return drawn


def _check_sizes(linears: list[nn.Linear], source: str) -> None:
    if len(linears) > MAX_OWN_LAYERS:
        raise NetmorphError(
            f"{source} has {len(linears)} Linear layers: netmorph draws up to {MAX_OWN_LAYERS}"
        )
    for i, (a, b) in enumerate(itertools.pairwise(linears), start=1):
        if a.out_features != b.in_features:
            raise NetmorphError(
                f"{source}: Linear {i} gives {a.out_features} outputs but Linear {i + 1} reads "
                f"{b.in_features}"
            )
    widest = max(m.out_features for m in linears)
    if widest > MAX_OWN_WIDTH:
        raise NetmorphError(
            f"{source}: a layer {widest} wide: netmorph draws layers up to {MAX_OWN_WIDTH} wide"
        )


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
    where = str(path)
    if path.suffix.lower() != ".safetensors":
        raise NetmorphError(
            f"weights {where}: give a .safetensors file of the state_dict, saved with "
            "safetensors.torch.save_file(net.state_dict(), 'my_net.safetensors'); pickles "
            "(torch.save) are never loaded"
        )
    tensors = _read_tensors(path)
    layers = _linear_layers(tensors, where)
    indices = sorted(layers)
    gaps = [b - a - 1 for a, b in itertools.pairwise(indices)]
    n_acts = sum(1 for g in gaps if g > 0)
    names = _activation_names(activation, n_acts, where)
    modules: list[nn.Module] = []
    act = iter(names)
    for index, gap in zip(indices, [*gaps, 0]):
        weight = layers[index]["weight"]
        linear = nn.Linear(weight.shape[1], weight.shape[0], bias="bias" in layers[index])
        modules.append(linear)
        if gap:
            modules.append(check_activation(next(act)).make())
            modules += [nn.Dropout() for _ in range(gap - 1)]
    net = nn.Sequential(*modules)
    if indices[0] != 0:
        raise NetmorphError(
            f"weights {where}: the first Linear is module {indices[0]}: netmorph reads a "
            "Sequential that starts with nn.Linear(2, width) as module 0"
        )
    widths = tuple(layers[i]["weight"].shape[0] for i in indices[:-1])
    if hidden is not None and tuple(hidden) != widths:
        raise NetmorphError(
            f"weights {where}: hidden = {tuple(hidden)} but the file's hidden widths are "
            f"{widths}: set hidden = {widths} (or None to read them from the file)"
        )
    try:
        net.load_state_dict({k: v.float() for k, v in tensors.items()}, strict=True)
    except RuntimeError as error:
        first = str(error).strip().splitlines()[-1].strip()
        raise NetmorphError(f"weights {where}: the layers do not fit together ({first})") from None
    return check_user_network(net, n_classes, f"weights {where}")


def _read_tensors(path: Path) -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    if not path.is_file():
        raise NetmorphError(f"no such weights file {path}: check the path")
    try:
        return load_file(str(path))
    except Exception as error:  # safetensors raises several types for damaged files
        raise NetmorphError(f"{path} is not a readable safetensors file ({error})") from None


def _linear_layers(tensors: dict[str, torch.Tensor], where: str) -> dict[int, dict]:
    """{module index: {"weight": (out, in), "bias": (out,)}} from state_dict keys."""
    if not tensors:
        raise NetmorphError(f"weights {where}: the file holds no tensors")
    layers: dict[int, dict] = {}
    for key, tensor in tensors.items():
        match = _INDEXED_KEY.fullmatch(key)
        if match is None:
            last = key.rsplit(".", 1)[-1]
            what = _KNOWN_MODULES.get(last, "a module netmorph cannot draw")
            raise NetmorphError(
                f"weights {where}: key {key!r} is {what}, not a Linear layer of an "
                f"nn.Sequential (keys like '0.weight', '0.bias'); {SUPPORTED}"
            )
        index, kind = int(match[1]), match[2]
        layers.setdefault(index, {})[kind] = tensor
    for index, params in sorted(layers.items()):
        weight = params.get("weight")
        if weight is None:
            raise NetmorphError(f"weights {where}: module {index} has a bias but no weight")
        if weight.dim() != 2:
            shape = tuple(weight.shape)
            what = "a convolution" if weight.dim() > 2 else "a norm layer"
            raise NetmorphError(
                f"weights {where}: module {index}'s weight has shape {shape}, {what}, "
                f"not a Linear layer; {SUPPORTED}"
            )
        bias = params.get("bias")
        if bias is not None and tuple(bias.shape) != (weight.shape[0],):
            raise NetmorphError(
                f"weights {where}: module {index} has weight {tuple(weight.shape)} and bias "
                f"{tuple(bias.shape)}: not a Linear layer; {SUPPORTED}"
            )
    return layers


def _activation_names(activation: str | tuple[str, ...], count: int, where: str) -> list[str]:
    names = [activation] * count if isinstance(activation, str) else list(activation)
    if len(names) != count:
        raise NetmorphError(
            f"weights {where}: {len(names)} activations given for the file's {count} gaps "
            "between Linear layers: give one name, or one per gap"
        )
    for name in names:
        check_activation(name)
    return names


def describe_layers(net: nn.Sequential) -> str:
    """One line naming every module: ``Linear 2→8, ReLU, Linear 8→2, Softmax``."""
    parts = []
    for module in net:
        if isinstance(module, nn.Linear):
            parts.append(f"Linear {module.in_features}→{module.out_features}")
        elif isinstance(module, nn.LeakyReLU):
            parts.append(f"LeakyReLU({module.negative_slope:g})")
        else:
            parts.append(_module_name(module))
    return ", ".join(parts)


def parameter_count(net: nn.Module) -> int:
    """How many numbers the network learned."""
    return sum(math.prod(p.shape) for p in net.parameters())
