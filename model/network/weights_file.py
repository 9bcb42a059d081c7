"""A safetensors file read header first, within fixed bounds: checkpoints and users' files alike.

A safetensors file is 8 bytes (the header's length, little-endian), a JSON header naming every
tensor's dtype, shape and byte range, then the tensors' bytes. A file from someone else may claim
anything there, so nothing it says is acted on before it is checked:

1. :func:`read_header`: a regular file (a pipe or a folder is refused, never waited on) whose
   header is at most ``max_header`` bytes of JSON, whose byte ranges tile the data exactly, and
   whose tensors are at most :data:`MAX_TENSOR_VALUES` values each and :data:`MAX_DATA_BYTES`
   in all;
2. the reader then checks the names and shapes against the network it expects: a checkpoint's
   config (:mod:`model.train.checkpoint_reader`) or the ``nn.Sequential`` keys of a user's file
   (:func:`linear_layers`, consecutive module indices, widths that chain), and the dtypes
   (:func:`check_dtypes`: real floats; complex is refused, never cast);
3. :func:`read_arrays` reads each tensor's own bytes and only them, as float32, refusing NaN,
   infinities and values beyond float32's range;
4. the network they make must stay within float32 on its data
   (:func:`model.network.drawable.check_scale`).

So memory is bounded by what a drawable network needs, whatever the header claims: a 1 KB file
declaring a terabyte tensor, or layer keys jumping from ``0.weight`` to ``99999999.weight``, is
one line before any tensor is read. Nothing is ever unpickled. No torch here.

Examples::

    header = read_header("my_net.safetensors", "weights file")
    layers = linear_layers(header, "weights my_net.safetensors")
    arrays = read_arrays(header)   # {"0.weight": (8, 2) float32, ...}
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.errors import NetmorphError
from model.files import open_regular
from model.network.drawable import FLOAT32_MAX, MAX_OWN_LAYERS, MAX_OWN_WIDTH

MAX_HEADER_BYTES = 1 << 20  # a user's file: 32 tensors need ~3 KB of header
MAX_TENSOR_VALUES = MAX_OWN_WIDTH * MAX_OWN_WIDTH  # the widest Linear weight netmorph draws
MAX_DATA_BYTES = 64 << 20  # every tensor together: a checkpoint with hundreds of snapshots
MAX_DIMS = 8  # a tensor of more dimensions is no layer netmorph knows
# safetensors dtype -> (bytes per value, numpy name for messages); only the first four are read.
DTYPES: dict[str, tuple[int, str]] = {
    "F32": (4, "float32"),
    "F64": (8, "float64"),
    "F16": (2, "float16"),
    "BF16": (2, "bfloat16"),
    "F8_E4M3": (1, "float8_e4m3"),
    "F8_E4M3FNUZ": (1, "float8_e4m3fnuz"),
    "F8_E5M2": (1, "float8_e5m2"),
    "F8_E5M2FNUZ": (1, "float8_e5m2fnuz"),
    "C64": (8, "complex64"),
    "I64": (8, "int64"),
    "I32": (4, "int32"),
    "I16": (2, "int16"),
    "I8": (1, "int8"),
    "U64": (8, "uint64"),
    "U32": (4, "uint32"),
    "U16": (2, "uint16"),
    "U8": (1, "uint8"),
    "BOOL": (1, "bool"),
}
REAL_FLOATS = ("F32", "F64", "F16", "BF16")  # what netmorph reads (as float32)
_INDEXED_KEY = re.compile(r"(0|[1-9]\d*)\.(weight|bias)")  # "0.weight", "12.bias"
# Parameter and buffer names that say which unsupported module a state_dict holds.
_KNOWN_MODULES = {
    "running_mean": "a batch norm",
    "running_var": "a batch norm",
    "num_batches_tracked": "a batch norm",
    "in_proj_weight": "an attention layer",
    "weight_ih_l0": "a recurrent layer",
}
# Between two Linear layers of an nn.Sequential: an activation and at most one Dropout.
MAX_INDEX_STEP = 3
SUPPORTED = (
    "supported: Linear, ReLU, Tanh, GELU, Sigmoid, LeakyReLU, SiLU, ELU, Softplus, Identity, "
    "Dropout (ignored) and a final Softmax"
)


class WeightsFileError(NetmorphError):
    """A weights file that cannot be read as a network netmorph draws, with the reason."""


@dataclass(frozen=True)
class TensorEntry:
    """What a header says of one tensor."""

    dtype: str  # safetensors name: "F32", "BF16"…
    shape: tuple[int, ...]
    start: int  # byte range in the data that follows the header
    stop: int

    @property
    def type_name(self) -> str:
        """The dtype as numpy and torch name it: float32, complex64…"""
        return DTYPES[self.dtype][1]


@dataclass(frozen=True)
class Header:
    """A checked header: every tensor's entry, the metadata, and where the data starts."""

    path: Path
    entries: dict[str, TensorEntry]
    metadata: dict[str, str]
    data_start: int  # byte offset of the data in the file: 8 + the header's length


def read_header(path: Path | str, what: str, *, max_header: int = MAX_HEADER_BYTES) -> Header:
    """The checked header of the safetensors file at ``path`` (``what`` names it in errors).

    Reads at most ``8 + max_header`` bytes. Raises :class:`WeightsFileError` for a file that is
    not regular, a header too long, not JSON or not safetensors' own layout, byte ranges that do
    not tile the file's data exactly, or a tensor too big for any network netmorph draws. The
    dtypes are checked by :func:`check_dtypes`, once the names say what the file holds.
    """
    path = Path(path)
    try:
        with open_regular(path, what) as f:
            size = os.fstat(f.fileno()).st_size
            prefix = f.read(8)
            length = int.from_bytes(prefix, "little") if len(prefix) == 8 else -1
            if not 2 <= length <= size - 8:
                raise WeightsFileError(f"{path} is not a safetensors file (truncated or garbage)")
            if length > max_header:
                raise WeightsFileError(
                    f"{path} has a {length:,}-byte header, more than the {max_header:,} bytes "
                    "any network netmorph draws needs: it is not a netmorph-sized weights file"
                )
            raw = f.read(length)
    except WeightsFileError:
        raise
    except NetmorphError as error:
        raise WeightsFileError(str(error)) from None
    except OSError as error:
        raise WeightsFileError(f"cannot read {what} {path}: {error.strerror}") from None
    header = _parse_json(raw, path)
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
    ):
        raise WeightsFileError(f"{path} has metadata that is not text: not a safetensors file")
    entries = {name: _entry(name, value, path) for name, value in header.items()}
    _check_tiling(entries, size - 8 - length, path)
    return Header(path, entries, metadata, 8 + length)


def _parse_json(raw: bytes, path: Path) -> dict:
    def unique(pairs: list[tuple[str, object]]) -> dict:
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise ValueError("a name appears twice")
        return dict(pairs)

    try:
        header = json.loads(raw.decode("utf-8"), object_pairs_hook=unique)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        reason = "nesting too deep" if isinstance(error, RecursionError) else error
        raise WeightsFileError(f"{path} is not a safetensors file (header: {reason})") from None
    if not isinstance(header, dict):
        raise WeightsFileError(f"{path} is not a safetensors file (header is not an object)")
    return header


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _entry(name: str, value: object, path: Path) -> TensorEntry:
    """One header entry, checked alone: known layout and dtype, a bounded size."""
    if not (
        isinstance(value, dict)
        and set(value) == {"dtype", "shape", "data_offsets"}
        and isinstance(value["dtype"], str)
        and isinstance(value["shape"], list)
        and all(_is_count(n) for n in value["shape"])
        and isinstance(value["data_offsets"], list)
        and len(value["data_offsets"]) == 2
        and all(_is_count(n) for n in value["data_offsets"])
    ):
        raise WeightsFileError(f"{path}: tensor {name!r} has no valid dtype, shape and offsets")
    dtype, shape = value["dtype"], tuple(value["shape"])
    start, stop = value["data_offsets"]
    if dtype not in DTYPES:
        raise WeightsFileError(f"{path}: tensor {name!r} has an unknown dtype {dtype!r}")
    entry = TensorEntry(dtype, shape, start, stop)
    values = math.prod(shape)
    if len(shape) > MAX_DIMS or values > MAX_TENSOR_VALUES:
        raise WeightsFileError(
            f"{path}: tensor {name!r} declares shape {list(shape)} ({values:,} values), more "
            f"than any layer netmorph draws holds ({MAX_OWN_WIDTH}×{MAX_OWN_WIDTH}): refused "
            "before reading it"
        )
    if stop - start != values * DTYPES[dtype][0]:
        raise WeightsFileError(
            f"{path}: tensor {name!r}'s byte range does not fit its shape: not a safetensors file"
        )
    return entry


def _check_tiling(entries: dict[str, TensorEntry], data_bytes: int, path: Path) -> None:
    """The byte ranges cover the data exactly, in order, without gaps or overlaps (as
    safetensors itself requires), and the data is within :data:`MAX_DATA_BYTES`."""
    if data_bytes > MAX_DATA_BYTES:
        raise WeightsFileError(
            f"{path} holds {data_bytes:,} bytes of tensors, more than the {MAX_DATA_BYTES:,} any "
            "network netmorph draws needs"
        )
    end = 0
    for entry in sorted(entries.values(), key=lambda e: (e.start, e.stop)):
        if entry.start != end:
            raise WeightsFileError(f"{path}: tensors overlap or leave gaps: not a safetensors file")
        end = entry.stop
    if end != data_bytes:
        raise WeightsFileError(
            f"{path}: its tensors take {end:,} bytes but it holds {data_bytes:,}: truncated or "
            "padded, not a whole safetensors file"
        )


def check_dtypes(header: Header, dtypes: Collection[str] = REAL_FLOATS) -> None:
    """Refuse a tensor whose dtype is not one of ``dtypes`` (real floats by default): complex
    or integer weights are never converted (a complex one cast to real is another network)."""
    for name, entry in header.entries.items():
        if entry.dtype not in dtypes:
            names = [DTYPES[d][1] for d in dtypes]
            wanted = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
            raise WeightsFileError(
                f"{header.path} holds {entry.type_name} weights, not {wanted} (tensor {name!r}): "
                "netmorph reads real floating-point weights only, never converting others"
            )


def read_arrays(header: Header, names: Collection[str] | None = None) -> dict[str, np.ndarray]:
    """Each tensor named (all by default) as a float32 array, read from its own bytes only.

    Raises :class:`WeightsFileError` for a tensor holding NaN or infinity, or values beyond
    float32's range (a float64 1e300).
    """
    names = list(header.entries) if names is None else list(names)
    arrays: dict[str, np.ndarray] = {}
    try:
        with open_regular(header.path, "weights file") as f:
            for name in names:
                entry = header.entries[name]
                f.seek(header.data_start + entry.start)
                raw = f.read(entry.stop - entry.start)
                if len(raw) != entry.stop - entry.start:
                    raise WeightsFileError(f"{header.path} was cut short while being read")
                arrays[name] = _as_float32(raw, entry, name, header.path)
    except WeightsFileError:
        raise
    except (NetmorphError, OSError) as error:
        raise WeightsFileError(f"cannot read {header.path}: {error}") from None
    return arrays


def _as_float32(raw: bytes, entry: TensorEntry, name: str, path: Path) -> np.ndarray:
    """(shape) float32 values of a real-float tensor's little-endian bytes."""
    if entry.dtype == "BF16":  # the top half of a float32
        values = (np.frombuffer(raw, "<u2").astype("<u4") << 16).view("<f4")
    else:
        values = np.frombuffer(raw, {"F16": "<f2", "F32": "<f4", "F64": "<f8"}[entry.dtype])
    if not np.isfinite(values).all():
        raise WeightsFileError(f"{path} holds non-finite weights (NaN or inf in {name!r})")
    if entry.dtype == "F64" and np.abs(values).max(initial=0.0) > FLOAT32_MAX:
        raise WeightsFileError(
            f"{path} holds values beyond float32's range (±{FLOAT32_MAX:.1e}) in {name!r}"
        )
    return values.astype(np.float32).reshape(entry.shape)


@dataclass(frozen=True)
class LinearShape:
    """One ``nn.Linear`` of a user's state_dict, as its header describes it."""

    index: int  # its position in the nn.Sequential
    out_features: int
    in_features: int
    bias: bool


def linear_layers(header: Header, where: str) -> list[LinearShape]:
    """The Linear layers a user's state_dict holds, in order, from its header alone.

    Keys are ``nn.Sequential`` names (``"0.weight"``, ``"0.bias"``, ``"2.weight"``…). Raises
    :class:`WeightsFileError` naming the first key of another module, a weight that is not 2-D,
    a bias that does not fit, or module indices that are not consecutive Linear layers with at
    most an activation and one Dropout between them, starting at 0.
    """
    if not header.entries:
        raise WeightsFileError(f"{where}: the file holds no tensors")
    if len(header.entries) > 2 * MAX_OWN_LAYERS:
        raise WeightsFileError(
            f"{where}: {len(header.entries)} tensors, more than {MAX_OWN_LAYERS} Linear layers "
            f"hold: netmorph draws up to {MAX_OWN_LAYERS}"
        )
    found: dict[int, dict[str, TensorEntry]] = {}
    for key, entry in header.entries.items():
        match = _INDEXED_KEY.fullmatch(key)
        if match is None:
            last = key.rsplit(".", 1)[-1]
            what = _KNOWN_MODULES.get(last, "a module netmorph cannot draw")
            raise WeightsFileError(
                f"{where}: key {key!r} is {what}, not a Linear layer of an "
                f"nn.Sequential (keys like '0.weight', '0.bias'); {SUPPORTED}"
            )
        found.setdefault(int(match[1]), {})[match[2]] = entry
    layers = []
    for index, params in sorted(found.items()):
        weight, bias = params.get("weight"), params.get("bias")
        if weight is None:
            raise WeightsFileError(f"{where}: module {index} has a bias but no weight")
        if len(weight.shape) != 2:
            what = "a convolution" if len(weight.shape) > 2 else "a norm layer"
            raise WeightsFileError(
                f"{where}: module {index}'s weight has shape {weight.shape}, {what}, "
                f"not a Linear layer; {SUPPORTED}"
            )
        if bias is not None and bias.shape != (weight.shape[0],):
            raise WeightsFileError(
                f"{where}: module {index} has weight {weight.shape} and bias "
                f"{bias.shape}: not a Linear layer; {SUPPORTED}"
            )
        layers.append(LinearShape(index, weight.shape[0], weight.shape[1], bias is not None))
    _check_indices([layer.index for layer in layers], where)
    check_dtypes(header)
    return layers


def _check_indices(indices: list[int], where: str) -> None:
    if indices[0] != 0:
        raise WeightsFileError(
            f"{where}: the first Linear is module {indices[0]}: netmorph reads a "
            "Sequential that starts with nn.Linear(2, width) as module 0"
        )
    for a, b in itertools.pairwise(indices):
        if b - a > MAX_INDEX_STEP:
            raise WeightsFileError(
                f"{where}: Linear module {a} is followed by module {b}: between two Linear "
                "layers netmorph reads one activation and at most one Dropout, so the next "
                f"Linear is module {a + 1}, {a + 2} or {a + 3}"
            )
