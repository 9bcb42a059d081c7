"""A weights file is read header first: every claim is checked before a tensor is read, for a
user's file (load_weights) and a cached checkpoint (read_checkpoint) alike, and the values then
read must be finite, real and keep every layer within float32 on the data."""

from __future__ import annotations

import itertools
import json
import logging
import os

import numpy as np
import pytest
import torch
from safetensors.torch import save_file
from torch import nn

from model.errors import NetmorphError
from model.network.config import Config
from model.network.own import load_weights
from model.network.weights_file import MAX_HEADER_BYTES, read_arrays, read_header
from model.train import checkpoint_reader, checkpoints
from model.train.checkpoints import CheckpointError, checkpoint_path, load_or_train, save
from model.train.results import as_trained
from tests.conftest import rewrite_checkpoint
from tests.crafted_files import entry, write_raw, write_tensors


def _mlp(*widths: int) -> nn.Sequential:
    torch.manual_seed(0)
    layers: list[nn.Module] = []
    for a, b in itertools.pairwise(widths):
        layers += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


@pytest.fixture
def no_tensor_read(monkeypatch):
    """Fail the test if any tensor's bytes are read."""

    def trap(*args, **kwargs):
        raise AssertionError("a tensor was read")

    monkeypatch.setattr("model.network.own.read_arrays", trap)


def _linear_entries(keys_shapes):
    header, offset = {}, 0
    for key, shape in keys_shapes:
        header[key], offset = entry("F32", shape, offset)
    return header, offset


def _crafted(tmp_path, name, keys_shapes, **kwargs):
    header, size = _linear_entries(keys_shapes)
    if "sparse_data_size" not in kwargs:
        kwargs["data"] = bytes(size)
    return write_raw(tmp_path / name, header, **kwargs)


# 1. Claims refused from the header alone (no tensor read, so no memory spent on them).

HEADER_CASES = {
    "a 40 GB tensor": (
        lambda p: write_raw(
            p / "huge.safetensors",
            {"0.weight": entry("F32", (100_000, 100_000), 0)[0]},
            sparse_data_size=40_000_000_000,
        ),
        "declares shape [100000, 100000] (10,000,000,000 values)",
    ),
    "keys 0 then 99999999": (
        lambda p: _crafted(
            p,
            "gap.safetensors",
            [("0.weight", (8, 2)), ("0.bias", (8,)), ("99999999.weight", (2, 8))],
        ),
        "Linear module 0 is followed by module 99999999",
    ),
    "a gap of two Dropouts": (
        lambda p: _crafted(p, "gap4.safetensors", [("0.weight", (8, 2)), ("4.weight", (2, 8))]),
        "the next Linear is module 1, 2 or 3",
    ),
    "a header of 2 MiB": (
        lambda p: write_raw(p / "big.safetensors", {"pad": "x" * (2 * MAX_HEADER_BYTES)}),
        "byte header, more than the 1,048,576 bytes",
    ),
    "a header longer than the file": (
        lambda p: write_raw(p / "short.safetensors", {}, declared_length=10**15),
        "not a safetensors file (truncated or garbage)",
    ),
    "a header nested too deep": (
        lambda p: write_raw(p / "deep.safetensors", b"[" * 100_000 + b"]" * 100_000),
        "nesting too deep",
    ),
    "a name twice": (
        lambda p: write_raw(
            p / "twice.safetensors",
            b'{"0.weight": {"dtype": "F32", "shape": [0, 2], "data_offsets": [0, 0]}, '
            b'"0.weight": {"dtype": "F32", "shape": [0, 2], "data_offsets": [0, 0]}}',
        ),
        "a name appears twice",
    ),
    "overlapping tensors": (
        lambda p: write_raw(
            p / "overlap.safetensors",
            {
                "0.weight": entry("F32", (2, 2), 0)[0],
                "2.weight": entry("F32", (2, 2), 8)[0],
            },
            bytes(24),
        ),
        "tensors overlap or leave gaps",
    ),
    "data past the last tensor": (
        lambda p: write_raw(
            p / "padded.safetensors", {"0.weight": entry("F32", (2, 2), 0)[0]}, bytes(10**6)
        ),
        "truncated or padded",
    ),
    "too many tensors": (
        lambda p: _crafted(
            p, "many.safetensors", [(f"{i}.weight", (2, 2)) for i in range(0, 99, 2)]
        ),
        "50 tensors, more than 16 Linear layers hold",
    ),
    "a zero-width layer": (
        lambda p: _crafted(
            p, "zero.safetensors", [("0.weight", (0, 2)), ("0.bias", (0,)), ("2.weight", (2, 0))]
        ),
        "a layer without units",
    ),
    "layers that do not chain": (
        lambda p: _crafted(p, "chain.safetensors", [("0.weight", (8, 2)), ("2.weight", (2, 5))]),
        "Linear 1 gives 8 outputs but Linear 2 reads 5",
    ),
    "a leading zero in a key": (
        lambda p: _crafted(p, "zeros.safetensors", [("00.weight", (2, 2))]),
        "key '00.weight' is a module netmorph cannot draw",
    ),
    "complex weights": (
        lambda p: write_tensors(
            p / "complex.safetensors",
            {
                "0.weight": ("C64", np.ones((2, 2), "<c8")),
                "2.weight": ("C64", np.ones((2, 2), "<c8")),
            },
        ),
        "holds complex64 weights, not float32, float64, float16 or bfloat16",
    ),
    "integer weights": (
        lambda p: write_tensors(
            p / "int.safetensors", {"0.weight": ("I64", np.ones((2, 2), "<i8"))}
        ),
        "holds int64 weights",
    ),
}


@pytest.mark.parametrize("case", HEADER_CASES.values(), ids=HEADER_CASES.keys())
def test_a_users_file_is_refused_from_its_header(tmp_path, no_tensor_read, case):
    make, fragment = case
    path = make(tmp_path)
    with pytest.raises(NetmorphError) as error:
        load_weights(path, 2)
    message = str(error.value)
    assert fragment in message and "\n" not in message


@pytest.mark.parametrize("kind", ["a FIFO", "a folder"])
def test_only_a_regular_file_is_read(tmp_path, kind):
    path = tmp_path / "net.safetensors"
    os.mkfifo(path) if kind == "a FIFO" else path.mkdir()
    with pytest.raises(NetmorphError, match="not a regular file"):  # at once: no writer needed
        load_weights(path, 2)


# 2. Values: real floats of any width read as float32, never non-finite, never absurd.


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float64])
def test_real_float_weights_of_any_width_read_as_torch_converts_them(tmp_path, dtype):
    module = _mlp(2, 5, 2).to(dtype)
    path = tmp_path / "net.safetensors"
    save_file(module.state_dict(), str(path))
    loaded = load_weights(path, 2, activation="relu")
    for name, tensor in module.state_dict().items():
        assert torch.equal(loaded.state_dict()[name], tensor.float())


@pytest.mark.parametrize(
    ("value", "fragment"),
    [(float("nan"), "non-finite"), (float("inf"), "non-finite"), (1e300, "beyond float32")],
)
def test_non_finite_or_float64_only_values_are_refused(tmp_path, value, fragment):
    state = _mlp(2, 5, 2).double().state_dict()
    state["0.weight"][1, 1] = value
    path = tmp_path / "net.safetensors"
    save_file(state, str(path))
    with pytest.raises(NetmorphError, match=fragment):
        load_weights(path, 2)


def test_absurd_but_finite_weights_are_refused_when_measured_on_the_data(tmp_path):
    module = _mlp(2, 8, 8, 2)
    with torch.no_grad():
        module[2].weight.mul_(1e19)  # finite float32: the second layer reaches ~3e18
        module[4].weight.mul_(1e21)  # and the logits ~1e39: beyond float32
    path = tmp_path / "net.safetensors"
    save_file(module.state_dict(), str(path))
    checked = load_weights(path, 2)  # every value is a finite float32
    with pytest.raises(NetmorphError) as error:
        as_trained(checked, "moons")
    message = str(error.value)
    assert "step dense3_8to2" in message and "moons data" in message and "float32" in message
    # An independent computation: float32 torch overflows exactly there.
    from model.data.registry import load_dataset

    x = torch.as_tensor(load_dataset("moons").x_train, dtype=torch.float32)
    with torch.no_grad():
        hidden = module[:4](x)
        assert torch.isfinite(hidden).all() and not torch.isfinite(module(x)).all()


def test_a_large_but_drawable_network_is_accepted(tmp_path):
    module = _mlp(2, 256, 256, 2)
    path = tmp_path / "wide.safetensors"
    save_file(module.state_dict(), str(path))
    assert as_trained(load_weights(path, 2), "moons").accuracy >= 0.0


# 3. Checkpoints: the same reader, and a damaged one is retrained with one warning.

CONFIG = Config(activation="tanh")


@pytest.fixture
def saved(trained, tmp_path):
    return save(trained(activation="tanh"), checkpoint_path(CONFIG, tmp_path / "cache"))


def _stray_tensor(path, size):
    """The checkpoint with one more tensor, ``size`` values, its bytes a hole (sparse)."""
    header = read_header(path, "checkpoint", max_header=checkpoint_reader.MAX_HEADER_BYTES)
    arrays = read_arrays(header)
    raw_header, offset = {"__metadata__": header.metadata}, 0
    data = b""
    for name, array in arrays.items():
        raw_header[name], offset = entry("F32", array.shape, offset)
        data += array.astype("<f4").tobytes()
    raw_header["stray"], end = entry("F32", (size,), offset)
    write_raw(path, raw_header, data, sparse_data_size=end)


@pytest.mark.parametrize(
    ("size", "fragment"),
    [(10**10, "declares shape [10000000000]"), (1000, "does not match the network")],
)
def test_a_checkpoint_with_a_stray_tensor_is_refused_before_reading(saved, size, fragment):
    _stray_tensor(saved, size)
    with pytest.raises(CheckpointError, match=fragment.replace("[", r"\[")):
        checkpoint_reader.read_checkpoint(saved, CONFIG)


def _times(factor):
    def edit(tensors, metadata):
        for name in tensors:
            if name.endswith("weight"):
                tensors[name] = tensors[name] * factor

    return edit


def test_a_checkpoint_overflowing_float32_is_retrained_with_one_warning(saved, caplog):
    rewrite_checkpoint(saved, _times(1e20))  # finite: the second Dense reaches ~1e40
    with pytest.raises(CheckpointError, match="beyond float32's range"):
        checkpoint_reader.read_checkpoint(saved, CONFIG)
    with caplog.at_level(logging.WARNING, logger="netmorph"):
        result, path = load_or_train(CONFIG, saved.parent, progress=False)
    (warning,) = [r.getMessage() for r in caplog.records]
    assert "float32" in warning and "retraining" in warning and "\n" not in warning
    assert path == saved and not result.cached and result.accuracy == 1.0
    assert checkpoint_reader.read_checkpoint(saved, CONFIG).accuracy == 1.0  # whole again


def test_a_checkpoints_header_is_bounded_too(saved):
    metadata_pad = "x" * (checkpoint_reader.MAX_HEADER_BYTES + 1)
    rewrite_checkpoint(saved, lambda tensors, metadata: metadata.update(pad=metadata_pad))
    with pytest.raises(CheckpointError, match="byte header, more than the 4,194,304"):
        checkpoint_reader.read_checkpoint(saved, CONFIG)


def test_a_snapshot_checkpoint_of_every_iteration_is_read(trained, tmp_path, monkeypatch):
    """A legitimately long header (a snapshot every iteration) is within the checkpoint's bound."""
    result = trained(activation="tanh", snapshot_every=1)
    path = save(result, tmp_path / "snap.safetensors")
    length = int.from_bytes(path.read_bytes()[:8], "little")
    read = checkpoint_reader.read_checkpoint(path, result.config)
    assert len(read.snapshots) == len(result.snapshots) and length < (4 << 20)
    assert json.loads(read.config.to_json()) == json.loads(result.config.to_json())


def test_the_cache_and_a_users_file_share_one_reader(monkeypatch, saved, tmp_path):
    calls = []
    original = checkpoint_reader.read_header

    def spy(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(checkpoint_reader, "read_header", spy)
    monkeypatch.setattr("model.network.own.read_header", spy)
    checkpoints.load(saved, CONFIG)
    own = tmp_path / "own.safetensors"
    save_file(_mlp(2, 3, 2).state_dict(), str(own))
    load_weights(own, 2)
    assert calls == [saved, own]
