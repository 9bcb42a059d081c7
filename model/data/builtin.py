"""The built-in toy datasets: the recipe's two circles, and moons, spiral and XOR from fixed seeds.

The ``circles`` dataset is the reference recipe's, point for point: ``circle_coords`` keeps its
loop order (θ outer, r inner), its (x, y) = r·(sin θ, cos θ) convention, and both θ = 0 and θ = 2π.
``moons``, ``spiral`` and ``xor`` are drawn from fixed seeds, so they are the same on every run.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from model.data.dataset import Dataset

N = 30  # the recipe's resolution: N radii by N angles per class
N_PER_CLASS = 600  # training points per class of the seeded datasets


def circle_coords(r_min: float, r_max: float, r_size: int, theta_size: int) -> np.ndarray:
    """Points r·(sin θ, cos θ) for θ in linspace(0, 2π) (outer loop) and r in linspace (inner).

    Returns an array of shape ``(theta_size * r_size, 2)`` in the recipe's order.
    """
    theta = np.linspace(0.0, 2.0 * np.pi, theta_size)
    r = np.linspace(r_min, r_max, r_size)
    # (theta_size, r_size) grids, flattened row-major so r varies fastest, as in the recipe.
    tt, rr = np.meshgrid(theta, r, indexing="ij")
    return np.stack([rr * np.sin(tt), rr * np.cos(tt)], axis=-1).reshape(-1, 2)


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
        ("inner disk", "outer ring"),
        "two concentric circles: 900 + 4,500 points",
    )


def _seeded_dataset(
    name: str,
    sample: Callable[[np.random.Generator, int], tuple[np.ndarray, ...]],
    seed: int,
    density: int,
    class_names: tuple[str, ...],
    description: str,
) -> Dataset:
    """Training set from ``seed``; the plotted set is the training set, plus more at density > 1.

    Plotting the training points themselves means every drawn point is one the network was
    trained to classify: no stray point of the wrong colour at 100 % accuracy.
    """
    arms = sample(np.random.default_rng(seed), N_PER_CLASS)  # (n, 2) per class
    x_train = np.concatenate(arms)
    y_train = np.repeat(np.arange(len(arms), dtype=np.int64), N_PER_CLASS)
    x_plot = tuple(arms)
    if density > 1:
        extra = sample(np.random.default_rng(seed + 1), N_PER_CLASS * (density - 1))
        x_plot = tuple(np.concatenate([a, e]) for a, e in zip(arms, extra))
    return Dataset(name, x_train, y_train, x_plot, class_names, description)


def _moons_sample(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half-circle bands (scikit-learn's layout), scaled into [-1, 1]²."""
    # Each arc parameter t in [0, π] with a radial offset, so the bands have thickness.
    t = rng.uniform(0.0, np.pi, (2, n))
    r = 1.0 + rng.uniform(-0.15, 0.15, (2, n))
    upper = np.stack([r[0] * np.cos(t[0]), r[0] * np.sin(t[0])], axis=-1)
    lower = np.stack([1.0 - r[1] * np.cos(t[1]), 0.5 - r[1] * np.sin(t[1])], axis=-1)
    # Centre the pair (x in [-1.15, 2.15], y in [-0.65, 1.15]) and scale x to about [-1, 1].
    centre, scale = np.array([0.5, 0.25]), 1 / 1.65
    return (upper - centre) * scale, (lower - centre) * scale


def moons(density: int = 1) -> Dataset:
    """Two interleaved half moons: red upper arc (class 0), blue lower arc (class 1)."""
    return _seeded_dataset(
        "moons",
        _moons_sample,
        1,
        density,
        ("upper moon", "lower moon"),
        "two classes: red upper moon, blue lower moon, interleaved",
    )


SPIRAL_TURNS = 1.25  # turns of each arm: more makes the boundary harder for a tiny network


def _spiral_sample(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Two arms r = s, θ = 2π·turns·s (+ π for the second arm), s in [0.1, 1]."""
    # sqrt spreads points evenly along the arm's length rather than bunching them at the centre.
    s = 0.1 + 0.9 * np.sqrt(rng.uniform(0.0, 1.0, (2, n)))
    theta = 2 * np.pi * SPIRAL_TURNS * s + np.array([[0.0], [np.pi]])
    r = s + rng.uniform(-0.04, 0.04, (2, n))  # thickness: a tenth of the gap between arms
    arms = np.stack([r * np.cos(theta), r * np.sin(theta)], axis=-1)  # (2, n, 2)
    return arms[0], arms[1]


def spiral(density: int = 1) -> Dataset:
    """Two interleaved spiral arms: red (class 0) and blue (class 1)."""
    return _seeded_dataset(
        "spiral",
        _spiral_sample,
        2,
        density,
        ("arm 1", "arm 2"),
        f"two classes: red and blue spiral arms, {SPIRAL_TURNS:g} turns each",
    )


SPIRAL3_TURNS = 0.75  # turns of each of the three arms


def _spiral3_sample(rng: np.random.Generator, n: int) -> tuple[np.ndarray, ...]:
    """Three arms 120° apart, r = s, θ = 2π·turns·s + 2πk/3, s in [0.1, 1]: the three-arm
    spiral of the NYU deep-learning course, with a thin band instead of its angular noise (which
    mixes the arms near the centre, so no network could reach 100 %)."""
    s = 0.1 + 0.9 * np.sqrt(rng.uniform(0.0, 1.0, (3, n)))
    theta = 2 * np.pi * SPIRAL3_TURNS * s + 2 * np.pi / 3 * np.arange(3)[:, None]
    r = s + rng.uniform(-0.03, 0.03, (3, n))
    arms = np.stack([r * np.cos(theta), r * np.sin(theta)], axis=-1)  # (3, n, 2)
    return tuple(arms)


def spiral3(density: int = 1) -> Dataset:
    """Three interleaved spiral arms, one class each: the built-in multi-class dataset."""
    return _seeded_dataset(
        "spiral3",
        _spiral3_sample,
        4,
        density,
        ("arm 1", "arm 2", "arm 3"),
        f"three classes: three spiral arms, {SPIRAL3_TURNS:g} turns each",
    )


def _xor_sample(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Four disks of radius 0.4 at (±0.5, ±0.5); the diagonal pairs share a class."""
    centres = np.array([[[0.5, 0.5], [-0.5, -0.5]], [[0.5, -0.5], [-0.5, 0.5]]])  # (class, 2, 2)
    # Uniform in each disk: sqrt of a uniform radius; alternate disks within a class.
    r = 0.4 * np.sqrt(rng.uniform(0.0, 1.0, (2, n)))
    theta = rng.uniform(0.0, 2 * np.pi, (2, n))
    offsets = np.stack([r * np.cos(theta), r * np.sin(theta)], axis=-1)  # (2, n, 2)
    which = np.arange(n) % 2
    return centres[0, which] + offsets[0], centres[1, which] + offsets[1]


def xor(density: int = 1) -> Dataset:
    """XOR: four clusters, red on one diagonal (class 0), blue on the other (class 1)."""
    return _seeded_dataset(
        "xor",
        _xor_sample,
        3,
        density,
        ("same signs", "opposite signs"),
        "two classes: XOR, red where x and y share a sign, blue where they differ",
    )


BUILT_IN: dict[str, Callable[[int], Dataset]] = {
    "circles": circles,
    "moons": moons,
    "spiral": spiral,
    "xor": xor,
    "spiral3": spiral3,
}
# Classes of each built-in dataset, without building it (networks are built per config).
BUILT_IN_CLASSES = {"circles": 2, "moons": 2, "spiral": 2, "xor": 2, "spiral3": 3}
