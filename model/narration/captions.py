"""A caption per section of the video, computed from the trace: what moved, what to notice.

:func:`narrate` is the one place the video's words come from: the caption band, the subtitles,
the voice and an interactive page all read its :class:`Caption` objects. Every number is
measured on the network and the drawn points (:mod:`model.narration.measures`); every caption
fits the band (:mod:`model.narration.wording`: ≤ 2 lines, ≤ 18 words).

Examples::

    morph = prepare(default_config("circles", "relu"), cache, view="readout", affine_route="polar")
    for caption in narrate(morph):
        print(caption.section, caption.step_of, caption.text)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.data.registry import is_csv
from model.formatting import format_percent
from model.geometry.trace import Stage
from model.narration.measures import (
    RELU_FAMILY,
    SATURATION,
    SQUASHING,
    AffineMeasures,
    BendMeasures,
    affine_measures,
    bend_measures,
    decision_measures,
    probability_measures,
    readout_measures,
)
from model.narration.wording import (
    Clause,
    count,
    fit,
    listing,
    number,
    share,
    subscript,
    unit,
)
from model.network.numpy_net import Affine, Elementwise, NumpyNet, Softmax

if TYPE_CHECKING:  # pragma: no cover
    from model.data.dataset import Dataset
    from model.pipeline import Morph

DECISION = "decision"  # the closing section's name
SMALL_TURN = 5.0  # degrees: a turn below this is not worth saying
EVEN_STRETCH = 1.2  # largest over smallest stretch below this: one scale, said once
FLAT_STRETCH = 0.1  # a direction stretched by less than this share of the largest: flattened
MANY_UNITS = 6  # more units than this: their shares as a range, not one by one
ALMOST = 0.99  # a read-out this accurate separates "almost every point"


@dataclass(frozen=True)
class Caption:
    """What one section of the video says."""

    section: str  # the Manim section: "input", each Step.name, then "decision"
    title: str  # the section's on-screen title
    lines: tuple[str, ...]  # 1–2 lines for the caption band
    step_of: tuple[int, int]  # (k, N): step k of the network's N (0: input and decision)

    @property
    def text(self) -> str:
        """The sentence(s) the voice speaks and the subtitles show."""
        return " ".join(self.lines)


@dataclass(frozen=True)
class _Scene:
    """What every caption of one video reads: the trace, the drawn points, the network."""

    morph: Morph
    rows: np.ndarray  # (n,) the drawn data points' rows in every stage
    labels: np.ndarray  # (n,) their classes
    layers: tuple  # the network's layers; step k (from 1) is layers[k - 1]
    model: str  # "the network" or "your model"
    view: str  # how wide stages are drawn: "readout", "pca", "first2", "3d"

    @property
    def stages(self) -> list[Stage]:
        return self.morph.stages

    def values(self, k: int) -> np.ndarray:
        """(n, width) stage ``k`` of the drawn data points."""
        return self.stages[k].values[self.rows]

    @property
    def data(self) -> Dataset:
        return self.morph.dataset

    @property
    def readout(self) -> int:
        """The step of the last affine layer (the read-out)."""
        return max(k for k in range(1, len(self.stages)) if isinstance(self.layers[k - 1], Affine))

    @property
    def linear(self) -> bool:
        """Whether no activation bends: the network is one affine map."""
        return all(
            layer.activation == "identity"
            for layer in self.layers
            if isinstance(layer, Elementwise)
        )


def narrate(
    morph: Morph, *, own: bool = False, closing: bool = True, view: str | None = None
) -> tuple[Caption, ...]:
    """One caption per section of the video, input first, decision last (when ``closing``).

    ``own``: the network is the user's own ("your model"); ``view``: how stages wider than the
    picture are drawn (default: the morph's own view), which the first wide stage explains.
    """
    rows = np.concatenate([np.arange(s.start, s.stop) for s in morph.layout.classes])
    labels = np.concatenate(
        [np.full(s.stop - s.start, k) for k, s in enumerate(morph.layout.classes)]
    )
    scene = _Scene(
        morph=morph,
        rows=rows,
        labels=labels,
        layers=tuple(morph.net),
        model="your model" if own else "the network",
        view=str(view or getattr(morph.timeline, "view", "readout")),
    )
    n = len(morph.stages) - 1
    captions = [Caption("input", morph.stages[0].step.title, _input(scene), (0, n))]
    first_wide = next(
        (k for k in range(1, n + 1) if _is_hidden(scene, k) and scene.stages[k].width > 2), None
    )
    for k in range(1, n + 1):
        step = morph.stages[k].step
        captions.append(Caption(step.name, step.title, _step(scene, k, k == first_wide), (k, n)))
    if closing:
        captions.append(Caption(DECISION, f"what {scene.model} decided", _decision(scene), (0, n)))
    return tuple(captions)


def _is_hidden(scene: _Scene, k: int) -> bool:
    """Whether stage ``k`` is a hidden stage (not the input, the logits or the probabilities)."""
    return 0 < k < scene.readout


def _step(scene: _Scene, k: int, first_wide: bool) -> tuple[str, ...]:
    layer = scene.layers[k - 1]
    if isinstance(layer, Softmax):
        return _softmax(scene, k)
    if isinstance(layer, Affine):
        if k == scene.readout:
            return _logits(scene, k)
        return _affine(scene, k, layer, first_wide)
    return _activation(scene, k, layer)


# --- the input ------------------------------------------------------------------------------

# Built-in data in plain words: {0}, {1} the drawn points of each class, {all} in all; {each}
# per class, for data whose classes have equally many.
_DATA_WORDS = {
    "circles": "{0} points in the inner disk, {1} in the outer ring.",
    "moons": "Two interleaved half moons, {each} points each.",
    "spiral": "Two spiral arms wound round each other, {each} points each.",
    "spiral3": "Three spiral arms wound round each other, {each} points each.",
    "xor": "Four clusters, {all} points: diagonal corners share a class.",
}


def _input(scene: _Scene) -> tuple[str, ...]:
    data = scene.data
    counts = [len(x) for x in data.x_plot]
    words = None if is_csv(data.name) else _DATA_WORDS.get(data.name)
    if words is not None and ("{each}" not in words or len(set(counts)) == 1):
        said = words.format(*map(count, counts), each=count(counts[0]), all=count(sum(counts)))
    else:
        whose = "Your" if is_csv(data.name) else "The"
        said = f"{whose} data: {data.n_classes} classes, {count(sum(counts))} points."
    steps = len(scene.stages) - 1
    whose = "your model's" if scene.model == "your model" else "the network's"
    return fit(
        Clause((said,)),
        Clause(
            (f"Watch {whose} {steps} steps move every point.", f"Watch {steps} steps move them."),
            required=False,
        ),
    )


# --- affine steps ---------------------------------------------------------------------------


def _space(width: int) -> str:
    return "the plane" if width == 2 else f"{width}-D space"


@dataclass(frozen=True)
class _Action:
    """One thing an affine step does, said actively ('stretches {it} ×2') or as a participle
    ('stretched ×2'); {it} is the space for the first action of a sentence, then "it"."""

    kind: str  # "turn", "mirror", "stretch", "flatten" or "shift"
    active: str
    passive: str

    def said(self, space: str | None) -> str:
        """Actively: of ``space`` for the first action of a sentence, of "it" after."""
        of = f" of {space}" if space and "{of}" in self.active else ""
        return self.active.format(it=space or "it", of=of)


# What an affine step's picture shows first: in an aligned view (readout, pca, 3d) the camera
# rides along the turn, so the stretch is what is seen and the turn is said last.
_IMPORTANCE = {
    "aligned": ("flatten", "stretch", "mirror", "turn", "shift"),
    "first2": ("turn", "mirror", "flatten", "stretch", "shift"),
}
_ORDER = {
    "aligned": ("stretch", "flatten", "shift", "mirror", "turn"),
    "first2": ("mirror", "turn", "stretch", "flatten", "shift"),
}


def _affine_actions(m: AffineMeasures) -> list[_Action]:
    """What the affine step measured by ``m`` does, as actions."""
    actions = []
    if m.turn is not None and m.turn >= SMALL_TURN:
        deg = f"{round(m.turn)}°"
        actions.append(_Action("turn", f"turns {{it}} {deg}", f"turned {deg}"))
    if m.mirrors:
        actions.append(_Action("mirror", "mirrors {it}", "mirrored"))
    hi = max(m.stretches)
    kept = [s for s in m.stretches if s >= FLAT_STRETCH * hi]
    flat = [s for s in m.stretches if s < FLAT_STRETCH * hi]
    # Stretches (every factor ≥ 1), shrinks (every factor ≤ 1) or scales (some of each).
    verb, done = (
        ("stretches", "stretched")
        if min(kept) >= 1
        else ("shrinks", "shrunk")
        if max(kept) <= 1
        else ("scales", "scaled")
    )
    if len(kept) == 1 and flat:  # one direction kept: its factor, the others squashed below
        amount = f"×{number(hi)} one way"
        actions.append(_Action("stretch", f"{verb} {{it}} {amount}", f"{done} {amount}"))
    elif max(kept) / min(kept) >= EVEN_STRETCH:
        amount = f"×{_range(kept)}"
        actions.append(_Action("stretch", f"{verb} {{it}} {amount}", f"{done} {amount}"))
    elif abs(float(np.mean(kept)) - 1) >= 0.1:
        amount = f"×{number(float(np.mean(kept)))}"
        actions.append(_Action("stretch", f"{verb} {{it}} {amount}", f"{done} {amount}"))
    if flat:
        which = "one direction" if len(flat) == 1 else f"{len(flat)} directions"
        amount = f"×{_range(flat)}"
        actions.append(
            _Action(
                "flatten", f"squashes {which}{{of}} to {amount}", f"{which} squashed to {amount}"
            )
        )
    if m.shift > 0:
        amount = number(m.shift)
        actions.append(_Action("shift", f"shifts {{it}} by {amount}", f"shifted by {amount}"))
    return actions


def _range(values: list[float]) -> str:
    """'0.16–4.5', or '2.6' when the ends read the same."""
    lo, hi = number(min(values)), number(max(values))
    return lo if lo == hi else f"{lo}–{hi}"


def _affine_wordings(actions: list[_Action], view: str) -> list[list[_Action]]:
    """The actions to say, richest first: the least telling dropped one by one."""
    aligned = "first2" if view == "first2" else "aligned"
    ranked = sorted(actions, key=lambda a: _IMPORTANCE[aligned].index(a.kind))
    return [
        sorted(ranked[:n], key=lambda a: _ORDER[aligned].index(a.kind))
        for n in range(len(ranked), 0, -1)
    ]


def _affine(scene: _Scene, k: int, layer: Affine, first_wide: bool) -> tuple[str, ...]:
    m = affine_measures(layer.weight, layer.bias)
    options = _affine_wordings(_affine_actions(m), scene.view)
    if m.n_out != m.n_in:
        if m.n_out > m.n_in:
            into = "3-D" if m.n_out == 3 else f"{m.n_out}-D"
            verb = f"Lifts the plane into {into}" if m.n_in == 2 else f"Widens {m.n_in}-D to {into}"
        else:
            verb = f"Flattens {m.n_in}-D space " + (
                "onto a plane" if m.n_out == 2 else f"to {m.n_out}-D"
            )
        end = ": nothing folds yet." if k == 1 else "."
        wordings = [f"{verb}, {listing([a.passive for a in o])}{end}" for o in options]
        wordings.append(f"{verb}{end}")
    else:
        space = _space(m.n_in)
        wordings = [
            listing([a.said(space if i == 0 else None) for i, a in enumerate(o)]) + "."
            for o in options
        ]
        wordings = [w[0].upper() + w[1:] for w in wordings] or [f"Keeps {space} as it is."]
    clauses: list[Clause | None] = [Clause(tuple(wordings))]
    if first_wide:
        clauses.append(_axes_clause(scene, m.n_out))
    clauses.append(_preview(scene, k))
    return fit(*clauses)


def _axes_clause(scene: _Scene, width: int) -> Clause:
    """What the picture of a stage wider than the plane is: said once, at the first."""
    if scene.view == "3d":
        said = (
            f"{_axis_names(width)}: the hidden space in true 3-D."
            if width == 3
            else (f"{width}-D space, seen along its three widest directions.")
        )
    elif scene.view == "first2":
        said = f"We see h₁ and h₂ of its {width} coordinates."
    elif width == 3:
        said = f"{_axis_names(3)}: 3-D space seen from one side."
    else:
        said = f"We see {width}-D space from one side."
    return Clause((said,))


def _axis_names(width: int) -> str:
    return " ".join(unit(i) for i in range(width))


def _preview(scene: _Scene, k: int) -> Clause | None:
    """What the next step will act on, when it is an activation: where to look."""
    if k >= len(scene.layers) or not isinstance(scene.layers[k], Elementwise):
        return None
    activation = scene.layers[k].activation
    z = scene.values(k)
    if activation in RELU_FAMILY:
        below = float((z < 0).any(axis=1).mean())
        return Clause(
            (
                f"{share(below)} of the points now have a coordinate below 0.",
                f"{share(below)} now have a coordinate below 0.",
            ),
            required=False,
        )
    if activation == "identity" and scene.linear:
        return Clause(("Still one straight map: nothing folds.",), required=False)
    return None


# --- activations ----------------------------------------------------------------------------

# How each ReLU-family activation treats a unit's negative side: the full wording and a compact
# one, with {units} for the units named.
_NEGATIVE_SIDE = {
    "relu": ("sets {units} to 0", "zeroes {units}"),
    "leaky_relu": ("shrinks {units} ×{slope}", "shrinks {units} ×{slope}"),
    "gelu": ("pulls {units} to about 0", "pulls {units} near 0"),
    "silu": ("pulls {units} to about 0", "pulls {units} near 0"),
    "elu": ("squashes {units} into −1…0", "squashes {units} into −1…0"),
    "softplus": ("squeezes {units} towards 0", "squeezes {units} towards 0"),
}


def _activation(scene: _Scene, k: int, layer: Elementwise) -> tuple[str, ...]:
    act = layer.describe()
    bend = bend_measures(scene.values(k - 1), layer.activation, scene.values(k))
    # "ReLU", "GELU", "Leaky ReLU", "Softplus"; tanh and sigmoid keep their lower case.
    name = act.label if layer.activation in SQUASHING else act.label[0].upper() + act.label[1:]
    clauses: list[Clause | None] = []
    if layer.activation in RELU_FAMILY:
        full, compact = (
            w.replace("{slope}", f"{layer.slope:g}") for w in _NEGATIVE_SIDE[layer.activation]
        )
        clauses.append(Clause(tuple(_unit_shares(name, full, compact, bend.bent))))
        folds = "folds" if layer.activation in ("relu", "leaky_relu") else "bends smoothly"
        wordings: tuple[str, ...] = (f"The plane {folds}.",)
        if layer.activation == "relu" and bend.all_bent > 0:
            wordings = (f"The plane folds; {share(bend.all_bent)} land on the origin.", *wordings)
        # At the last hidden stage what to notice is the straight cut (below), not the fold.
        clauses.append(Clause(wordings, required=k != scene.readout - 1))
        dead = [unit(i) for i, b in enumerate(bend.bent) if b == 1.0]
        if dead and layer.activation == "relu":
            verb = "is" if len(dead) == 1 else "are"
            clauses.append(Clause((f"{listing(dead)} {verb} 0 for every point.",), required=False))
    elif layer.activation in SQUASHING:
        clauses.append(_squash(name, layer.activation, bend, scene.stages[k].width))
    else:
        clauses.append(Clause(("The identity changes nothing: no point moves.",)))
        if scene.linear and k != scene.readout - 1:
            clauses.append(Clause(("The network is still one straight map.",), required=False))
    if k == scene.readout - 1:
        clauses.append(_separation(scene, k))
    return fit(*clauses)


def _unit_shares(name: str, full: str, compact: str, bent: tuple[float, ...]) -> list[str]:
    """'ReLU sets h₁ to 0 for 20 %, h₂ for 49 %, h₃ for 52 % of the points', richest first;
    for many units, only the list of numbers and a range."""
    said = [share(b) for b in bent]
    first = f"{name} {full.format(units='h₁')} for {said[0]}"
    if len(bent) == 1:
        return [f"{first} of the points.", f"{first} of points."]
    wordings = []
    if len(bent) <= MANY_UNITS:
        rest = ", ".join(f"{unit(i)} for {s}" for i, s in enumerate(said) if i)
        wordings.append(f"{first}, {rest} of the points.")
        rest = ", ".join(f"{unit(i)} {s}" for i, s in enumerate(said) if i)
        wordings.append(f"{first}, {rest} of points.")
    numbers = ", ".join(s.replace(" %", "") for s in said)
    units = f"h₁…h{subscript(len(bent))}"
    wordings.append(f"{name} {compact.format(units=units)} for {numbers} % of points.")
    if len(bent) > 2:  # shorter: a range
        lo, hi = share(min(bent)).replace(" %", ""), share(max(bent))
        units = f"{len(bent)} units"
        wordings.append(f"{name} {compact.format(units=units)}, each for {lo}–{hi} of points.")
    # The shortest says what it does, without the shares.
    wordings.append(f"{name} {full.format(units='each unit')} where it is negative.")
    return wordings


def _squash(name: str, activation: str, bend: BendMeasures, width: int) -> Clause:
    """What tanh or sigmoid does: the range it squashes into, and the points it pins to it."""
    into, limit = ("−1…1", "±1") if activation == "tanh" else ("0…1", "0 or 1")
    head = f"{name} squashes every coordinate into {into}"
    within = f"within {SATURATION:g} of {limit}"
    if bend.all_bent >= 0.1:
        corner = "a corner of the cube" if width == 3 else "a corner"
        return Clause(
            (
                f"{head}: {share(bend.all_bent)} of the points end in {corner}, {within}.",
                f"{head}: {share(bend.all_bent)} end in a corner, {within}.",
                f"{head}: {share(bend.all_bent)} end in a corner, within {SATURATION:g}.",
                f"{head}.",
            )
        )
    return Clause(
        (
            f"{head}: {share(bend.any_bent)} of the points have a coordinate {within}.",
            f"{head}: {share(bend.any_bent)} have a coordinate {within}.",
            f"{head}: {share(bend.any_bent)} have a coordinate within {SATURATION:g} of it.",
            f"{head}.",
        )
    )


def _separation(scene: _Scene, k: int) -> Clause:
    """How well the read-out's straight cut separates the last hidden stage."""
    readout = scene.layers[scene.readout - 1]
    m = readout_measures(scene.values(k), scene.labels, readout.weight, readout.bias)
    accuracy = format_percent(m.accuracy)
    two = scene.data.n_classes == 2
    cut, verb = ("one straight line", "separates") if two else ("straight cuts", "separate")
    if scene.view == "3d" and scene.stages[k].width == 3 and two:
        cut = "one flat plane"  # drawn in true 3-D: the read-out's cut is a plane
    short = f"A {cut.split()[-1]} now splits" if two else "Straight cuts now split"
    if m.accuracy == 1.0:
        return Clause(
            (
                f"Now {cut} {verb} the classes ({accuracy}); the nearest point is "
                f"{number(m.margin)} from {'it' if two else 'a cut'}.",
                f"Now {cut} {verb} the classes ({accuracy} of the points).",
                f"Now {cut} {verb} the classes ({accuracy}).",
                f"{short} the classes ({accuracy}).",
            )
        )
    if m.accuracy >= ALMOST:
        return Clause(
            (
                f"Now {cut} {verb} almost every point ({accuracy}).",
                f"{short} almost all ({accuracy}).",
            )
        )
    return Clause(
        (
            f"No straight cut separates the classes here: the read-out gets {accuracy} right.",
            f"The read-out's straight cut gets {accuracy} of the points right.",
            f"A straight cut gets {accuracy} right here.",
        )
    )


# --- the read-out and the probabilities -----------------------------------------------------


def _logits(scene: _Scene, k: int) -> tuple[str, ...]:
    z = scene.values(k)
    classes = z.shape[1]
    m = readout_measures(z, scene.labels, np.eye(classes), np.zeros(classes))
    if classes == 2:
        head = Clause(
            (
                "Two class scores, z₀ and z₁: their difference decides, the boundary at 0.",
                "Two class scores: the boundary is at z₁ − z₀ = 0.",
            )
        )
        where = "from it"
    else:
        last = f"z{subscript(classes - 1)}"
        head = Clause(
            (
                f"Reads {classes} class scores, z₀ to {last}: the highest one wins.",
                f"{classes} class scores: the highest one wins.",
            )
        )
        where = "from a tie"
    notice: tuple[str, ...] = (f"The nearest point is {number(m.margin)} {where}.",)
    if m.accuracy < 1.0:
        wrong = share(1 - m.accuracy)
        notice = (
            f"{wrong} of the points are on the wrong side.",
            f"{wrong} are on the wrong side.",
        )
    return fit(head, Clause(notice))


def _softmax(scene: _Scene, k: int) -> tuple[str, ...]:
    p = probability_measures(scene.values(k))
    classes = scene.stages[k].width
    turns = (
        "Softmax turns the score gap into a probability"
        if classes == 2
        else f"Softmax turns the {classes} scores into probabilities"
    )
    sure = f"{share(p.sure)} of the points are over 90 % sure"
    if classes == 2:
        unsure = f"{share(p.unsure)} sit between 40 % and 60 %"
    else:
        unsure = f"{share(p.unsure)} are torn between two classes"
    mean = f"Mean confidence {format_percent(p.mean_confidence)}."
    if p.sure >= 0.5:
        lead = Clause((f"{turns}: {sure}.", f"{turns}: {sure.replace('the points', 'points')}."))
        rest = [Clause((f"{unsure[0].upper()}{unsure[1:]}.",), required=False)] if p.unsure else []
    else:
        lead = Clause(
            (f"{turns}: {unsure.replace('sit', 'of the points sit', 1)}.", f"{turns}: {unsure}.")
        )
        rest = [Clause((f"Only {share(p.sure)} are over 90 % sure.",), required=False)]
    return fit(lead, *rest, Clause((mean,), required=False))


# --- the decision ---------------------------------------------------------------------------


def _decision(scene: _Scene) -> tuple[str, ...]:
    data = scene.data
    predicted = NumpyNet(tuple(scene.layers))(data.x_train).argmax(axis=1)
    m = decision_measures(predicted, data.y_train)
    accuracy = format_percent(m.accuracy)
    points = "points" if scene.model == "your model" else "training points"
    if scene.linear:
        # Which points: the read-out's cut before it was measured on the drawn points.
        n = count(len(data.y_train))
        return fit(
            Clause(
                (
                    f"No activation, so the boundary stays a straight line: {accuracy} of the "
                    f"{n} {points} right.",
                    "No activation: every layer is a straight map, so the boundary stays a line: "
                    f"{accuracy} right.",
                )
            )
        )
    model = scene.model[0].upper() + scene.model[1:]
    shaded = Clause(
        (
            f"Each region is shaded by the class {scene.model} predicts.",
            f"Shaded by the class {scene.model} predicts.",
        ),
        required=False,
    )
    if not m.errors:
        n = count(len(data.y_train))
        return fit(
            shaded,
            Clause(
                (
                    f"It gets all {n} {points} right: {accuracy}.",
                    f"It gets every point right: {accuracy}.",
                )
            ),
        )
    names = data.class_names
    mistakes = sum(c for _, _, c in m.errors)
    true, wrong, most = m.errors[0]
    kind = f"{count(most)} {names[true]} points taken for {names[wrong]}"
    return fit(
        Clause((f"{model} gets {accuracy} of the {points} right.", f"{model} gets {accuracy}.")),
        Clause(
            (
                f"Of its {count(mistakes)} mistakes, {kind}." if mistakes > most else f"{kind}.",
                f"{count(mistakes)} mistakes.",
            ),
            required=False,
        ),
        shaded,
    )
