"""The decision boundary: on p = 0.5 at the input, on the line z₀ = z₁ before the softmax."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

from model.data.builtin import circles
from model.data.dataset import grid_lines
from model.geometry.boundary import (
    class_map,
    class_probability,
    decision_boundary,
    logit_difference,
    predicted_class,
)
from model.geometry.trace import trace


@pytest.fixture(params=["relu", "tanh", "gelu"])
def module(request, trained):
    return trained(activation=request.param).module


def _curves(module):
    return decision_boundary(module, *circles().grid_box())


def test_boundary_points_have_probability_one_half(module):
    curves = _curves(module)
    assert curves and all(c.ndim == 2 and c.shape[1] == 2 for c in curves)
    points = np.concatenate(curves)
    np.testing.assert_allclose(class_probability(module, points), 0.5, rtol=0, atol=1e-12)
    # The same through torch's own softmax, in float64.
    with torch.no_grad():
        probs = copy.deepcopy(module).double()(torch.as_tensor(points)).numpy()
    np.testing.assert_allclose(probs, 0.5, rtol=0, atol=1e-12)


def test_boundary_lands_on_the_logit_line_before_softmax(module):
    points = np.concatenate(_curves(module))
    stages = trace(module, points)
    assert stages[-1].step.kind == "softmax"
    logits = stages[-2].values  # (n, 2): the pre-softmax stage the video draws
    assert logits.shape == (len(points), 2)
    np.testing.assert_allclose(logits[:, 0] - logits[:, 1], 0, rtol=0, atol=1e-11)
    # So the points are collinear, along the diagonal z₀ = z₁.
    centred = logits - logits.mean(axis=0)
    _, singular, vt = np.linalg.svd(centred, full_matrices=False)
    assert singular[1] <= 1e-9 * max(singular[0], 1.0)
    np.testing.assert_allclose(np.abs(vt[0]), [np.sqrt(0.5)] * 2, atol=1e-9)


def test_circles_boundary_is_one_closed_ordered_loop_between_the_classes(module):
    (loop,) = _curves(module)
    np.testing.assert_array_equal(loop[0], loop[-1])  # closed
    steps = np.linalg.norm(np.diff(loop, axis=0), axis=1)
    cell = 2 / 160
    assert steps.max() <= 2 * cell  # ordered along the curve: neighbours are a cell apart
    radius = np.linalg.norm(loop, axis=1)
    assert radius.min() > 1 / 3 and radius.max() < 2 / 3 * np.sqrt(2)


def test_predicted_class_is_the_networks_argmax_on_the_grid(module):
    grid = grid_lines(*circles().grid_box()).reshape(-1, 2)
    with torch.no_grad():
        expected = module(torch.as_tensor(grid, dtype=torch.float32)).argmax(-1).numpy()
    predicted = predicted_class(module, grid)
    assert predicted.dtype == np.int64 and predicted.shape == (len(grid),)
    # float32 argmax and float64 sign agree except on the boundary itself.
    near = np.abs(logit_difference(module, grid)) < 1e-5
    np.testing.assert_array_equal(predicted[~near], expected[~near])


def test_class_map_shades_each_cell_by_the_class_at_its_centre(module):
    lo, hi = circles().grid_box()
    regions = class_map(module, lo, hi, resolution=40)  # (40, 40), row 0 at the top
    assert regions.shape == (40, 40) and set(np.unique(regions)) == {0, 1}
    cell = (hi - lo) / 40
    for row, column in [(0, 0), (0, 39), (20, 20), (39, 0), (12, 31)]:
        centre = np.array([lo[0] + (column + 0.5) * cell[0], hi[1] - (row + 0.5) * cell[1]])
        with torch.no_grad():
            logits = module[:-1](torch.as_tensor(centre[None], dtype=torch.float32))[0]
        if abs(float(logits[1] - logits[0])) > 1e-4:  # not on the boundary itself
            assert regions[row, column] == int(logits.argmax())
    # The inner disk (class 0) in the middle; the ring (class 1) at radius ~0.9 left of it.
    assert regions[20, 20] == 0 and regions[20, 2] == 1


def test_one_class_everywhere_has_no_boundary(trained):
    module = copy.deepcopy(trained(activation="tanh").module)
    with torch.no_grad():
        module[-2].weight.zero_()
        module[-2].bias.copy_(torch.tensor([0.0, 1.0]))
    assert decision_boundary(module, np.array([-1.0, -1.0]), np.array([1.0, 1.0])) == []
