"""Toy 2-D datasets and the grid lines drawn over them.

The ``circles`` dataset is the reference recipe's, point for point: ``circle_coords`` keeps its
loop order (θ outer, r inner), its (x, y) = r·(sin θ, cos θ) convention, and both θ = 0 and θ = 2π.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.errors import NetmorphError

N = 30  # the recipe's resolution: N radii by N angles per class
DATASETS = ("circles",)


def circle_coords(r_min: float, r_max: float, r_size: int, theta_size: int) -> np.ndarray:
    """Points r·(sin θ, cos θ) for θ in linspace(0, 2π) (outer loop) and r in linspace (inner).

    Returns an array of shape ``(theta_size * r_size, 2)`` in the recipe's order.
    """
    theta = np.linspace(0.0, 2.0 * np.pi, theta_size)
    r = np.linspace(r_min, r_max, r_size)
    # (theta_size, r_size) grids, flattened row-major so r varies fastest, as in the recipe.
    tt, rr = np.meshgrid(theta, r, indexing="ij")
    return np.stack([rr * np.sin(tt), rr * np.cos(tt)], axis=-1).reshape(-1, 2)


@dataclass(frozen=True)
class Dataset:
    """Labelled 2-D points: what the network trains on and what the video draws."""

    name: str  # dataset name, e.g. "circles"
    x_train: np.ndarray  # (n_train, 2) float64 training inputs
    y_train: np.ndarray  # (n_train,) int64 class index (0 = red, 1 = blue)
    x_plot: tuple[np.ndarray, ...]  # per class, (n_k, 2) points drawn in the video
    class_names: tuple[str, ...]  # legend names, one per class
    description: str = ""  # one line shown under the input stage

    @property
    def n_classes(self) -> int:
        """The number of classes (2 for every built-in dataset)."""
        return len(self.class_names)

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Rounded (lo, hi) corners of the plotted data, as the recipe's grid uses."""
        everything = np.concatenate(self.x_plot)
        lo, hi = np.round(everything.min(axis=0)), np.round(everything.max(axis=0))
        return lo, hi


def circles(density: int = 1) -> Dataset:
    """The recipe's two concentric circles: red inner disk (class 0), blue outer ring (class 1).

    ``density`` multiplies the number of *plotted* points (for scale tests); the training set is
    always the recipe's 900 + 900 points.
    """
    inner_train = circle_coords(1e-3, 1 / 3, N, N)
    outer_train = circle_coords(2 / 3, 1, N, N)
    x_train = np.concatenate([inner_train, outer_train])
    y_train = np.repeat(np.arange(2, dtype=np.int64), N * N)
    side = max(1, round(np.sqrt(density)))
    x_plot = (
        circle_coords(1e-3, 1 / 3, N * side, N * side),
        circle_coords(2 / 3, 1, N * side, 5 * N * side),
    )
    return Dataset(
        "circles",
        x_train,
        y_train,
        x_plot,
        ("label1", "label2"),
        "two classes: red inner disk, blue outer ring",
    )


def load_dataset(name: str, density: int = 1) -> Dataset:
    """The built-in dataset called ``name``."""
    if name == "circles":
        return circles(density)
    raise NetmorphError(f"unknown dataset {name!r}: choose one of {', '.join(DATASETS)}")


def grid_lines(
    lo: np.ndarray, hi: np.ndarray, n_lines: int = 21, n_samples: int = 161
) -> np.ndarray:
    """Straight grid lines over the box [lo, hi], each sampled densely so it bends smoothly.

    Returns ``(2 * n_lines, n_samples, 2)``: first the vertical lines (constant x), then the
    horizontal ones (constant y).
    """
    xs = np.linspace(lo[0], hi[0], n_lines)
    ys = np.linspace(lo[1], hi[1], n_lines)
    sx = np.linspace(lo[0], hi[0], n_samples)
    sy = np.linspace(lo[1], hi[1], n_samples)
    vertical = np.stack(np.broadcast_arrays(xs[:, None], sy[None, :]), axis=-1)
    horizontal = np.stack(np.broadcast_arrays(sx[None, :], ys[:, None]), axis=-1)
    return np.concatenate([vertical, horizontal]).astype(np.float64)
