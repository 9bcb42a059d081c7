"""The numbers a caption states, measured on the network and the drawn points (pure numpy).

Each function takes arrays (a layer's weights, a stage's values, the points' classes), so a test
can check it against its own computation. Shares are of the *drawn* data points, as the video
shows them (grid and boundary rows are left out).

- :func:`affine_measures`: an affine step's turn, stretches, shift and mirror (SVD of W).
- :func:`bend_measures`: what an activation does to each unit: the share it folds, squeezes or
  saturates, and the share it sends to the origin.
- :func:`readout_measures`: how well the read-out's straight cut separates a stage, and the margin.
- :func:`probability_measures`: how sure softmax is.
- :func:`decision_measures`: the training accuracy and where the errors are.

Examples::

    affine_measures(layer.weight, layer.bias).turn        # degrees, square layers only
    bend_measures(z, "relu").bent                         # per unit, share of points with z < 0
    readout_measures(h, labels, read_out.weight, read_out.bias).accuracy
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Saturation: a squashing unit whose output is within this much of its limit (tanh: ±1,
# sigmoid: 0 or 1) is "pressed against the edge": its slope there is under a tenth of its peak.
SATURATION = 0.05
SURE = 0.9  # a point whose top class probability is above this is "sure"
UNSURE = 0.2  # a point whose top two probabilities are closer than this is "unsure"
# Activations that bend only where z < 0, leaving z > 0 (almost) as it is.
RELU_FAMILY = ("relu", "leaky_relu", "gelu", "silu", "elu", "softplus")
SQUASHING = ("tanh", "sigmoid")


@dataclass(frozen=True)
class AffineMeasures:
    """What an affine step h ↦ W h + b does, from the SVD W = U·diag(s)·Vᵀ."""

    n_in: int  # the input's width
    n_out: int  # the output's width
    stretches: tuple[float, ...]  # W's singular values, largest first
    turn: float | None  # degrees: the largest angle of W's nearest rotation (square W only)
    mirrors: bool  # a square W with det < 0: the step reflects space
    shift: float  # ‖b‖, in the output's units


def affine_measures(weight: np.ndarray, bias: np.ndarray) -> AffineMeasures:
    """The turn, stretches, mirror and shift of the affine step ``weight`` (m, d), ``bias`` (m,).

    The turn is that of W's nearest rotation U·Vᵀ (with V's last column negated when det W < 0,
    so it is a proper rotation and the mirror is said apart): its largest rotation angle, which
    in 3-D is the one angle arccos((tr R − 1) / 2).
    """
    weight = np.asarray(weight, dtype=np.float64)
    m, d = weight.shape
    u, s, vt = np.linalg.svd(weight)
    turn, mirrors = None, False
    if m == d:
        mirrors = bool(np.linalg.det(weight) < 0)
        if mirrors:
            u = u.copy()
            u[:, -1] *= -1  # U·diag(1, …, −1)·Vᵀ: the nearest proper rotation
        rotation = u @ vt
        angles = np.abs(np.angle(np.linalg.eigvals(rotation)))
        turn = float(np.degrees(angles.max()))
    return AffineMeasures(
        n_in=d,
        n_out=m,
        stretches=tuple(float(v) for v in s),
        turn=turn,
        mirrors=mirrors,
        shift=float(np.linalg.norm(bias)),
    )


@dataclass(frozen=True)
class BendMeasures:
    """What an activation does to each unit, on the drawn points."""

    activation: str  # the activation's name, e.g. "relu"
    bent: tuple[float, ...]  # per unit: share of points it bends (z < 0), or saturates
    all_bent: float  # share bent in every unit (ReLU: the share sent to the origin)
    any_bent: float  # share bent in at least one unit


def bend_measures(z: np.ndarray, activation: str, h: np.ndarray | None = None) -> BendMeasures:
    """Per unit, the share of the (n, width) pre-activations ``z`` that ``activation`` bends.

    ReLU family: the share with z < 0 (the side ReLU sets to 0, GELU and SiLU pull to about 0,
    leaky ReLU shrinks ×0.1, ELU and softplus squash). tanh and sigmoid: the share whose output
    ``h`` (computed from ``z`` when not given) is within :data:`SATURATION` of a limit.
    Identity bends nothing.
    """
    z = np.asarray(z, dtype=np.float64)
    if activation in SQUASHING:
        if h is None:
            h = np.tanh(z) if activation == "tanh" else 1.0 / (1.0 + np.exp(-z))
        low, high = (-1.0, 1.0) if activation == "tanh" else (0.0, 1.0)
        bent = (h < low + SATURATION) | (h > high - SATURATION)  # (n, width)
    elif activation in RELU_FAMILY:
        bent = z < 0
    else:
        bent = np.zeros_like(z, dtype=bool)
    if len(z) == 0:
        return BendMeasures(activation, (0.0,) * z.shape[1], 0.0, 0.0)
    return BendMeasures(
        activation=activation,
        bent=tuple(float(v) for v in bent.mean(axis=0)),
        all_bent=float(bent.all(axis=1).mean()),
        any_bent=float(bent.any(axis=1).mean()),
    )


@dataclass(frozen=True)
class ReadoutMeasures:
    """How the read-out's straight cuts (where two class scores tie) separate a stage."""

    accuracy: float  # share of points on their own class's side: the read-out's accuracy
    margin: float  # smallest distance of a rightly placed point to a tie (nan: none right)
    width: float  # the points' extent along the read-out (two classes) or their RMS diameter


def readout_measures(
    values: np.ndarray, labels: np.ndarray, weight: np.ndarray, bias: np.ndarray
) -> ReadoutMeasures:
    """The read-out z = W h + b (``weight`` (k, d), ``bias`` (k,)) on ``values`` (n, d).

    A point predicted c (its highest score) lies (z_c − z_j) / ‖w_c − w_j‖ from the flat where
    classes c and j tie; its margin is the least of these, in the stage's own units. At the
    logits (W = I) that is (z_c − z_j) / √2, the distance to the line z₀ = z₁.
    """
    values = np.asarray(values, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    scores = values @ weight.T + bias  # (n, k)
    predicted = scores.argmax(axis=1)
    right = predicted == labels
    k = weight.shape[0]
    # (n, k) distance to each other class's tie flat; inf for the predicted class itself.
    gaps = scores[np.arange(len(scores)), predicted][:, None] - scores
    norms = np.linalg.norm(weight[predicted][:, None, :] - weight[None, :, :], axis=2)  # (n, k)
    with np.errstate(divide="ignore", invalid="ignore"):
        distance = np.where(np.arange(k)[None] == predicted[:, None], np.inf, gaps / norms)
    margins = distance.min(axis=1)
    if k == 2:
        direction = (weight[1] - weight[0]) / (np.linalg.norm(weight[1] - weight[0]) or 1.0)
        along = values @ direction
        width = float(along.max() - along.min()) if len(values) else 0.0
    else:
        centred = values - values.mean(axis=0)
        width = float(2 * np.sqrt((centred**2).sum(axis=1).mean())) if len(values) else 0.0
    return ReadoutMeasures(
        accuracy=float(right.mean()) if len(right) else 1.0,
        margin=float(margins[right].min()) if right.any() else float("nan"),
        width=width,
    )


@dataclass(frozen=True)
class ProbabilityMeasures:
    """How sure the class probabilities are."""

    sure: float  # share of points whose top probability is above SURE
    unsure: float  # share whose top two probabilities are closer than UNSURE (p in 0.4..0.6)
    mean_confidence: float  # mean top probability, 0..1


def probability_measures(probabilities: np.ndarray) -> ProbabilityMeasures:
    """How sure the (n, k) class ``probabilities`` are."""
    p = np.sort(np.asarray(probabilities, dtype=np.float64), axis=1)  # ascending per point
    if len(p) == 0:
        return ProbabilityMeasures(0.0, 0.0, float("nan"))
    return ProbabilityMeasures(
        sure=float((p[:, -1] > SURE).mean()),
        unsure=float((p[:, -1] - p[:, -2] < UNSURE).mean()),
        mean_confidence=float(p[:, -1].mean()),
    )


@dataclass(frozen=True)
class DecisionMeasures:
    """What the network decided on its training points."""

    accuracy: float  # training accuracy, 0..1
    # (true class, predicted class, count) of each kind of mistake, the most common first
    errors: tuple[tuple[int, int, int], ...]


def decision_measures(predicted: np.ndarray, y: np.ndarray) -> DecisionMeasures:
    """Accuracy and mistakes of ``predicted`` (n,) classes against the true ``y`` (n,)."""
    predicted, y = np.asarray(predicted), np.asarray(y)
    wrong = predicted != y
    kinds: dict[tuple[int, int], int] = {}
    for true, said in zip(y[wrong].tolist(), predicted[wrong].tolist()):
        kinds[(true, said)] = kinds.get((true, said), 0) + 1
    errors = sorted(((t, p, c) for (t, p), c in kinds.items()), key=lambda e: (-e[2], e[0], e[1]))
    return DecisionMeasures(
        accuracy=float((~wrong).mean()) if len(y) else 1.0, errors=tuple(errors)
    )
