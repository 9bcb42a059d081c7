"""The data's scale is not the user's problem: any magnitude trains like unit data, and the
stored network reads the data in its own units."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from model.data.registry import load_dataset
from model.errors import NetmorphError
from model.network.config import Config
from model.pipeline import prepare
from model.train.results import accuracy
from model.train.trainer import InputScaling, train

XOR = load_dataset("xor")


def _xor_csv(tmp_path, scale: float, offset: float, name: str):
    """Every third XOR point, as x·scale + offset."""
    x, y = XOR.x_train[::3] * scale + offset, XOR.y_train[::3]
    rows = [f"{float(a)!r},{float(b)!r},{label}" for (a, b), label in zip(x, y)]
    path = tmp_path / name
    path.write_text("x,y,label\n" + "\n".join(rows) + "\n")
    return path


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """XOR in units of 1/100: standardised like every scale below."""
    metres = _xor_csv(tmp_path_factory.mktemp("reference"), 100.0, 0.0, "metres.csv")
    return train(Config(dataset=str(metres)), progress=False)


@pytest.mark.parametrize(
    ("scale", "offset"), [(1e30, 0.0), (1e-20, 0.0), (1e3, 5e4)], ids=["1e30", "1e-20", "offset"]
)
def test_any_scale_trains_alike(tmp_path, reference, scale, offset):
    path = _xor_csv(tmp_path, scale, offset, "scaled.csv")
    scaled = train(Config(dataset=str(path)), progress=False)
    # Standardised, every scale is the same problem: the same search, the same result.
    assert (scaled.seed_used, scaled.accuracy) == (reference.seed_used, 1.0)
    assert abs(scaled.iterations - reference.iterations) <= 5
    # The stored network reads the data's own units: measured independently, in float64.
    assert accuracy(scaled.module, load_dataset(str(path))) == 1.0
    x = torch.as_tensor(load_dataset(str(path)).x_train)
    probs = scaled.module.double()(x)
    assert torch.isfinite(probs).all() and ((probs - 0.5).abs() > 0.05).float().mean() > 0.9


def test_scaling_is_folded_into_the_first_layer():
    x = np.random.default_rng(0).normal([3e4, -2.0], [5e3, 1e-3], size=(200, 2))
    scaling = InputScaling.for_data(x)
    assert not scaling.is_identity
    torch.manual_seed(0)
    first = torch.nn.Linear(2, 3)  # trained on standardised inputs
    state = {f"0.{k}": v for k, v in first.state_dict().items()}
    folded = scaling.fold(state, "0")
    raw = torch.as_tensor(x)
    standard = torch.as_tensor(scaling.apply(x))
    want = standard @ state["0.weight"].double().T + state["0.bias"].double()
    got = raw @ folded["0.weight"].double().T + folded["0.bias"].double()
    torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-4)


def test_unit_data_is_not_rescaled():
    # The built-in datasets train exactly as before: their pictures and checkpoints are kept.
    for name in ("circles", "moons", "spiral", "xor"):
        assert InputScaling.for_data(load_dataset(name).x_train).is_identity


def test_scaled_csv_draws_in_its_own_units(tmp_path, shared_cache):
    path = _xor_csv(tmp_path, 1e30, 0.0, "huge.csv")
    morph = prepare(Config(dataset=str(path)), shared_cache, progress=False)
    inputs = morph.stages[0].values
    assert 1e29 < np.abs(inputs).max() < 1e31  # the input stage is the data, unscaled
    assert morph.accuracy == 1.0
    assert all(np.isfinite(stage.values).all() for stage in morph.stages)


def test_coordinates_beyond_float32_range_are_a_one_line_error(tmp_path):
    path = tmp_path / "far.csv"
    path.write_text("x,y,label\n0,0,a\n1,2e31,b\n")
    with pytest.raises(NetmorphError, match=r"far.csv line 3: y value '2e31' is beyond"):
        load_dataset(str(path))
