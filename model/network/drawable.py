"""What netmorph can draw: the shapes of a network it reads, and the magnitudes its layers reach.

One place for the checks that every network from outside passes, whether it comes from the
checkpoint cache, a user's safetensors file (:mod:`model.network.weights_file`) or a user's own
``nn.Sequential`` (:mod:`model.network.own`):

- :func:`check_chain`: Linear layers of widths 1 to :data:`MAX_OWN_WIDTH` that chain, reading 2-D
  points and giving one output per class, at most :data:`MAX_OWN_LAYERS` of them;
- :func:`check_scale`: every layer's output on the data it is drawn on stays within float32's
  range. Finite weights can still be absurd (1e38 each): such a network would be drawn at a
  scale of 1e37, or as infinities, so it is refused as damaged.

Examples::

    check_chain([(8, 2), (2, 8)], n_classes=2, source="weights my_net.safetensors")
    check_scale(net, load_dataset("moons"), "my_net.safetensors")
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from model.data.dataset import Dataset
from model.errors import NetmorphError
from model.network.numpy_net import Affine, NumpyNet
from model.network.steps import describe_steps

IN_DIM = 2  # every dataset is 2-D
MAX_OWN_WIDTH = 256  # wider layers trace and draw slowly, and no picture can show them
MAX_OWN_LAYERS = 16  # Linear layers: each is a step of the video
FLOAT32_MAX = float(np.finfo(np.float32).max)  # 3.4e38: what a float32 network can hold
SCALE_SAMPLE = 250  # drawn points a scale check runs on (the data's extremes are kept too)
GRID_SIDE = 11  # lattice points per side of the grid's box that the check also runs on


def check_chain(shapes: Sequence[tuple[int, int]], n_classes: int, source: str) -> None:
    """Check the ``(out_features, in_features)`` of a network's Linear layers, in order.

    Raises NetmorphError naming the first problem: no layer, too many, a width of 0 or above
    :data:`MAX_OWN_WIDTH`, a first layer that does not read 2-D points, two layers that do not
    chain, or a last layer that does not give one output per class.
    """
    if not shapes:
        raise NetmorphError(f"{source} has no Linear layer")
    if len(shapes) > MAX_OWN_LAYERS:
        raise NetmorphError(
            f"{source} has {len(shapes)} Linear layers: netmorph draws up to {MAX_OWN_LAYERS}"
        )
    for i, (out_features, in_features) in enumerate(shapes, start=1):
        if out_features < 1 or in_features < 1:
            raise NetmorphError(
                f"{source}: Linear {i} is {in_features}→{out_features}, a layer without units: "
                "every layer needs a width of at least 1"
            )
    if shapes[0][1] != IN_DIM:
        raise NetmorphError(
            f"{source}: the first Linear reads {shapes[0][1]} inputs, but the data is "
            f"{IN_DIM}-D (x, y): netmorph draws networks of 2-D points only"
        )
    for i, (a, b) in enumerate(itertools.pairwise(shapes), start=1):
        if a[0] != b[1]:
            raise NetmorphError(
                f"{source}: Linear {i} gives {a[0]} outputs but Linear {i + 1} reads {b[1]}"
            )
    widest = max(out for out, _ in shapes)
    if widest > MAX_OWN_WIDTH:
        raise NetmorphError(
            f"{source}: a layer {widest} wide: netmorph draws layers up to {MAX_OWN_WIDTH} wide"
        )
    if shapes[-1][0] != n_classes:
        raise NetmorphError(
            f"{source}: the last Linear gives {shapes[-1][0]} outputs, but the data has "
            f"{n_classes} classes: give one output per class"
        )


def drawn_points(data: Dataset) -> np.ndarray:
    """(n, 2) points standing for everything drawn of ``data``: a sample of the plotted points
    (each class's extremes kept), the corners of every training point's box, and a lattice over
    the grid's box (the grid is traced too)."""
    plotted = np.concatenate(data.x_plot)  # (m, 2)
    stride = max(1, len(plotted) // SCALE_SAMPLE)
    extremes = [plotted[np.argmin(plotted, axis=0)], plotted[np.argmax(plotted, axis=0)]]
    low, high = data.x_train.min(axis=0), data.x_train.max(axis=0)
    corners = np.array([[x, y] for x in (low[0], high[0]) for y in (low[1], high[1])])
    lo, hi = data.grid_box()
    xs, ys = np.linspace(lo[0], hi[0], GRID_SIDE), np.linspace(lo[1], hi[1], GRID_SIDE)
    lattice = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    return np.concatenate([plotted[::stride], *extremes, corners, lattice])


def check_scale(net: NumpyNet, points: np.ndarray, source: str, data_name: str) -> None:
    """Refuse a network some layer of which leaves float32's range on ``points``.

    ``points`` are the data it is drawn on (:func:`drawn_points`); ``data_name`` names them in the
    error. The layers run in float64, so the step where float32 would overflow is named exactly.
    """
    h = np.asarray(points, dtype=np.float64)
    for k, layer in enumerate(net):
        with np.errstate(all="ignore"):  # an overflow is what is looked for
            h = layer(h)
            peak = float(np.abs(h).max()) if h.size else 0.0
        if not peak <= FLOAT32_MAX:  # NaN and inf fail too
            step = describe_steps(net)[k]
            size = "overflows" if not np.isfinite(peak) else f"reaches {peak:.1e}"
            weights = [a.weight for a in net if isinstance(a, Affine) and a.weight.size]
            largest = max((float(np.abs(w).max()) for w in weights), default=0.0)
            raise NetmorphError(
                f"{source}: step {step.name} {size} on the {data_name} data, beyond float32's "
                f"range (±{FLOAT32_MAX:.1e}): its weights (up to {largest:.1e}) are too large "
                "to draw; rescale them or train again"
            )
