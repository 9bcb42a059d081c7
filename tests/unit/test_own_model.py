"""A user's own trained network is drawn exactly, from a torch Sequential or a safetensors file.

(The scene hook: tests/scenes/test_scene_setup.py; ``python -m model.train --weights``:
tests/cli/test_train_cli.py.)
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from safetensors.torch import save_file
from torch import nn

from model.errors import NetmorphError
from model.network.own import check_user_network, load_weights
from model.pipeline import prepare
from model.train.results import as_trained
from tests.conftest import users_module


def test_a_users_sequential_is_drawn_exactly():
    module = users_module()
    own = as_trained(check_user_network(module, 2), "moons")
    morph = prepare(
        own.config, None, view="first2", affine_route="linear", trained=own, progress=False
    )
    points = np.concatenate(morph.dataset.x_plot)
    data = morph.layout.classes[0].start, morph.layout.classes[-1].stop
    # The user's own layers, in order, Dropout skipped (eval), then the added softmax.
    layers = [m for m in copy.deepcopy(module).double().eval() if not isinstance(m, nn.Dropout)]
    h = torch.as_tensor(points)
    expected = [points]
    with torch.no_grad():
        for layer in [*layers, nn.Softmax(dim=-1)]:
            h = layer(h)
            expected.append(h.numpy().copy())
    assert len(morph.stages) == len(expected)
    for k, (stage, want) in enumerate(zip(morph.stages, expected)):
        np.testing.assert_allclose(stage.values[slice(*data)], want, rtol=0, atol=1e-12)
        if k in morph.timeline.plan.special:
            continue  # the logits' number line and softmax's axis: tests/unit/test_view.py
        # Drawn positions are the layer's outputs, scaled and moved as a whole (a sliver's ↑
        # stretched, as its scale bar says).
        drawn = morph.timeline.keyframe_frame(k).points[slice(*data), :2]
        scale, offset = morph.timeline.fit(morph.timeline.boxes[k])
        stretch = morph.timeline.plan.stretch_matrix(k)
        np.testing.assert_allclose(drawn, want @ stretch * scale + offset, atol=1e-9)


def test_a_weights_file_gives_the_same_network(tmp_path):
    module = nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 4), nn.GELU(), nn.Linear(4, 2))
    path = tmp_path / "my_net.safetensors"
    save_file(module.state_dict(), str(path))
    loaded = load_weights(path, 2, activation=("relu", "gelu"), hidden=(5, 4))
    x = torch.randn(50, 2)
    with torch.no_grad():
        np.testing.assert_allclose(loaded(x), torch.softmax(module(x), -1), atol=1e-6)
    assert [type(m) for m in loaded] == [
        nn.Linear,
        nn.ReLU,
        nn.Linear,
        nn.GELU,
        nn.Linear,
        nn.Softmax,
    ]


def test_weights_with_dropout_after_the_activation_read_as_one_activation(tmp_path):
    module = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Dropout(), nn.Linear(4, 2))
    path = tmp_path / "drop.safetensors"
    save_file(module.state_dict(), str(path))
    loaded = load_weights(path, 2, activation="tanh")
    assert [type(m) for m in loaded] == [nn.Linear, nn.Tanh, nn.Linear, nn.Softmax]


@pytest.mark.parametrize(
    ("module", "named"),
    [
        (nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Linear(4, 2)), "BatchNorm1d"),
        (nn.Sequential(nn.Conv2d(1, 2, 3), nn.Linear(2, 2)), "Conv2d"),
        (nn.Sequential(nn.Linear(2, 4), nn.Softmax(-1), nn.Linear(4, 2)), "Softmax"),
        (nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)), "3 inputs"),
        (nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 3)), "3 outputs"),
        (nn.Linear(2, 2), "Sequential"),
    ],
)
def test_an_unsupported_network_is_one_line_naming_it(module, named):
    with pytest.raises(NetmorphError) as error:
        check_user_network(module, 2)
    message = str(error.value)
    assert named in message and "\n" not in message


@pytest.mark.parametrize(
    ("layer", "named"),
    [(nn.BatchNorm1d(4), "batch norm"), (nn.Conv1d(4, 4, 1), "convolution")],
)
def test_an_unsupported_weights_file_is_one_line_naming_it(tmp_path, layer, named):
    path = tmp_path / "bad.safetensors"
    module = nn.Sequential(nn.Linear(2, 4), layer, nn.Linear(4, 2))
    save_file(module.state_dict(), str(path))
    with pytest.raises(NetmorphError, match=named):
        load_weights(path, 2)


def test_a_pickle_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "net.pt"
    path.write_bytes(b"not read")
    with pytest.raises(NetmorphError, match="never loaded"):
        load_weights(path, 2)


def test_hidden_that_disagrees_with_the_file_names_the_files_widths(tmp_path):
    path = tmp_path / "net.safetensors"
    save_file(nn.Sequential(nn.Linear(2, 6), nn.ReLU(), nn.Linear(6, 2)).state_dict(), str(path))
    with pytest.raises(NetmorphError, match=r"hidden = \(6,\)"):
        load_weights(path, 2, hidden=(5,))
