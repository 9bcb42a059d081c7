"""Every documented scene attribute: its type, its check and its environment override, in one table.

A scene is configured by class attributes (``class Mine(MorphScene): hidden = (3, 5, 3)``).
Manim cannot pass arguments to a scene, so each attribute can also be set from the environment
as ``NETMORPH_<NAME>``, parsed by the attribute's type; it applies to every scene rendered that
has the attribute::

    NETMORPH_THEME=light manim -qh -a scenes/morph.py     # every activation, light theme
    NETMORPH_HIDDEN=3,5,3 NETMORPH_SEED=4 manim -ql scenes/morph.py TanhMorph
    NETMORPH_CACHE=0 manim -ql scenes/morph.py ReluMorph  # train afresh, write no checkpoint

Booleans read 1/0, true/false, yes/no, on/off; lists are comma-separated (``relu,tanh``);
``default`` gives back an attribute's "use the dataset's default" (``hidden``, ``target_accuracy``,
``best_effort``) or the theme's colour (``axis_color``, ``box_color``). :func:`check_scene_options`
checks every attribute the scene has — type and range — and then the combinations that cannot
work (:func:`check_conflicts`: fold lines without a folding activation, activations that do not
fit the widths, a view the scene cannot draw), all before anything is trained or drawn; a bad
value is a NetmorphError naming the attribute, the value and the fix. Adding an attribute is one
:data:`OPTIONS` line.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from manim import ManimColor, ThreeDScene

from model.data.registry import check_dataset_name, is_csv
from model.errors import NetmorphError
from model.geometry.affine import check_affine_route
from model.geometry.folds import FOLDING
from model.geometry.projections import check_view
from model.network.activations import ACTIVATIONS, check_activation
from model.network.config import MAX_SEED, check_hidden, is_real, is_whole
from model.network.defaults import CSV_HIDDEN, HIDDEN
from scenes.kit import style

ENV_PREFIX = "NETMORPH_"
THEMES = tuple(style.THEMES)  # "dark", "light"
MAX_DENSITY = 16  # ×16 points and ×4 grid lines per side: a 1080p render stays within minutes
MAX_PANELS = 4  # ActivationComparison panels: more are too narrow to read
MAX_SECONDS = 60.0  # any one pacing attribute
MAX_SNAPSHOT_EVERY = 1000  # training iterations between snapshots
MAX_STROKE = 20.0  # a line's stroke width: wider hides the picture it frames
MAX_GAP = 2.0  # scene units: a quarter of the frame's height
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


@dataclass(frozen=True)
class Kind:
    """One type of attribute: how environment text parses to it and how a value is checked.

    Both raise :class:`Wanted` saying what a good value is.
    """

    check: Callable[[object], object]  # value -> normalised value
    parse: Callable[[str], object]  # environment text -> value


@dataclass(frozen=True)
class Option:
    """One documented scene attribute."""

    name: str  # the class attribute; NETMORPH_<NAME> in the environment
    kind: Kind
    example: str  # a good value, as Python, shown in errors
    doc: str  # one line for the reader

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


class Wanted(ValueError):
    """What a good value is (``explained``: the text already names the fix)."""

    def __init__(self, text: str, explained: bool = False) -> None:
        super().__init__(text)
        self.explained = explained


def _words(text: str) -> list[str]:
    return [word.strip() for word in text.split(",")]


def _model_check(check: Callable[[object], object]) -> Callable[[object], object]:
    """A model check whose NetmorphError (which names the fix) becomes a :class:`Wanted`."""

    def checked(value: object) -> object:
        try:
            return check(value)
        except NetmorphError as error:
            raise Wanted(str(error), explained=True) from None

    return checked


def or_default(kind: Kind) -> Kind:
    """``kind``, or None for "the dataset's default" (``default`` in the environment)."""
    return Kind(
        check=lambda v: None if v is None else kind.check(v),
        parse=lambda t: None if t.strip().lower() in ("default", "none") else kind.parse(t),
    )


def boolean() -> Kind:
    def check(value: object) -> bool:
        if not isinstance(value, bool):
            hint = " (a string is not: any non-empty one counts as true)"
            raise Wanted("must be True or False" + (hint if isinstance(value, str) else ""))
        return value

    def parse(text: str) -> bool:
        word = text.strip().lower()
        if word not in TRUE_WORDS + FALSE_WORDS:
            raise Wanted(f"must be one of {'/'.join(TRUE_WORDS)} or {'/'.join(FALSE_WORDS)}")
        return word in TRUE_WORDS

    return Kind(check, parse)


def whole(low: int, high: int, high_text: str = "") -> Kind:
    wanted = f"must be a whole number from {low} to {high_text or high}"

    def check(value: object) -> int:
        if not is_whole(value) or not low <= value <= high:
            raise Wanted(wanted)
        return int(value)

    def parse(text: str) -> int:
        try:
            return int(text.strip())
        except ValueError:
            raise Wanted(wanted) from None

    return Kind(check, parse)


def number(low: float, high: float, *, above: bool) -> Kind:
    """A finite number in (low, high] (``above``) or [low, high]."""
    wanted = (
        f"must be a number above {low:g}, up to {high:g}"
        if above
        else f"must be a number from {low:g} to {high:g}"
    )

    def check(value: object) -> float:
        if not is_real(value) or not low <= value <= high or (above and value == low):
            raise Wanted(wanted)
        return float(value)

    def parse(text: str) -> float:
        try:
            return float(text.strip())
        except ValueError:
            raise Wanted(wanted) from None

    return Kind(check, parse)


def number_range(low: float, high: float, unit: str) -> Kind:
    """Two numbers (from, to) in [low, high], the first at most the second: ``(30, 70)``."""
    wanted = f"must be two numbers (from, to) in {unit} from {low:g} to {high:g}, from ≤ to"

    def check(value: object) -> tuple[float, float]:
        if not (
            isinstance(value, (tuple, list))
            and len(value) == 2
            and all(is_real(v) and low <= v <= high for v in value)
            and value[0] <= value[1]
        ):
            raise Wanted(wanted)
        return float(value[0]), float(value[1])

    def parse(text: str) -> tuple[float, ...]:
        try:
            return tuple(float(word) for word in _words(text))
        except ValueError:
            raise Wanted(wanted) from None

    return Kind(check, parse)


def color() -> Kind:
    """A colour Manim reads (``"#FFAA00"``, ``"RED"``), or None for the theme's own."""
    wanted = 'must be a colour like "#FFAA00" or "RED", or None for the theme\'s'

    def check(value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise Wanted(wanted)
        try:
            ManimColor(value)
        except ValueError:
            raise Wanted(wanted) from None
        return value

    def parse(text: str) -> str | None:
        word = text.strip()
        return None if word.lower() in ("default", "none") else word

    return Kind(check, parse)


def name(check: Callable[[object], object]) -> Kind:
    """One name, checked by the model's own check (whose error lists the choices)."""
    return Kind(_model_check(check), lambda text: text.strip())


def one_of(*names: str) -> Kind:
    def check(value: object) -> str:
        if not isinstance(value, str) or value not in names:
            raise Wanted(f"must be one of {', '.join(map(repr, names))}")
        return value

    return Kind(check, lambda text: text.strip())


def activations(*, per_layer: bool) -> Kind:
    """Activation names: with ``per_layer``, one name for every layer or a tuple of one per
    activated layer (MorphScene.activation); else a tuple of 1 to MAX_PANELS panel names."""
    shape = "a name or a tuple of names" if per_layer else f"a tuple of 1 to {MAX_PANELS} names"

    def check(value: object) -> str | tuple[str, ...]:
        if isinstance(value, str) and per_layer:
            return cast(str, _model_check(_activation)(value))
        if isinstance(value, str):
            raise Wanted(f"must be a tuple of names, not one string: write ({value!r},)", True)
        most = len(value) if per_layer and isinstance(value, (tuple, list)) else MAX_PANELS
        if not isinstance(value, (tuple, list)) or not 1 <= len(value) <= most:
            raise Wanted(f"must be {shape} of activations ({', '.join(ACTIVATIONS)})")
        return tuple(cast(str, _model_check(_activation)(v)) for v in value)

    def parse(text: str) -> str | tuple[str, ...]:
        words = _words(text)
        return words[0] if per_layer and len(words) == 1 else tuple(words)

    return Kind(check, parse)


def widths() -> Kind:
    """Hidden widths: a tuple within model.network.config's limits."""

    def parse(text: str) -> tuple[int, ...]:
        try:
            return tuple(int(w) for w in _words(text))
        except ValueError:
            raise Wanted("must be comma-separated whole numbers, e.g. 3,3,3", True) from None

    return Kind(_model_check(check_hidden), parse)


def _views(value: object) -> str:
    return check_view(value)  # model.geometry.projections owns the list (another view may be added)


def _activation(value: object) -> str:
    return check_activation(value).name


POSITIVE = number(0, MAX_SECONDS, above=True)  # a pacing time
OPACITY = number(0, 1, above=False)
STROKE = number(0, MAX_STROKE, above=True)  # a line's width
SCENE_UNITS = number(0, MAX_GAP, above=False)  # a gap on screen (the frame is 8 units high)
# One line per documented attribute: name, kind, an example, what it does.


def _weights_path(value: object) -> str:
    # model.network.own imports torch: only a scene that names weights pays for it.
    from model.network.own import check_weights_path

    return check_weights_path(value)


OPTIONS: tuple[Option, ...] = (
    # Every scene (NetmorphScene)
    Option(
        "dataset", name(check_dataset_name), '"moons"', "a built-in dataset or an x,y,label CSV"
    ),
    Option("hidden", or_default(widths()), "(3, 3, 3)", "hidden widths; None: the dataset's own"),
    Option("seed", whole(0, MAX_SEED, "2**63 - 1"), "0", "first training seed tried"),
    Option("target_accuracy", or_default(number(0, 1, above=True)), "0.95", "accuracy to reach"),
    Option("best_effort", or_default(boolean()), "True", "keep the best if none reaches it"),
    Option("cache", boolean(), "False", "keep trained networks in <media_dir>/checkpoints"),
    Option("theme", one_of(*THEMES), '"light"', "colours: dark, or light for white slides"),
    # MorphScene
    Option("activation", activations(per_layer=True), '"tanh"', "one, or one per activated layer"),
    Option("view", name(_views), '"pca"', "how stages wider than the picture are drawn"),
    Option("affine_path", name(check_affine_route), '"polar"', "how an affine step moves points"),
    Option("density", whole(1, MAX_DENSITY), "2", "multiplies the plotted points and grid lines"),
    Option("show_boundary", boolean(), "False", "carry the 0.5-probability curve through"),
    Option(
        "weights",
        or_default(name(_weights_path)),
        '"my_net.safetensors"',
        "your own network's state_dict; None: train ours",
    ),
    Option("show_folds", boolean(), "True", "carry each ReLU unit's fold line (z = 0) through"),
    Option("show_network", boolean(), "False", "the network strip, current step highlighted"),
    Option("morph_seconds", or_default(POSITIVE), "2.0", "each step's morph; None: by content"),
    Option(
        "hold_seconds",
        or_default(number(0, MAX_SECONDS, above=False)),
        "2.5",
        "each stage's hold; None: ≥ 2 s and as long as its caption",
    ),
    Option("label_seconds", POSITIVE, "0.4", "each new title alone before its step moves"),
    Option("captions", boolean(), "False", "each step's caption on screen and in .srt/.vtt"),
    Option("narrate", boolean(), "True", "speak the captions (espeak-ng, offline)"),
    # ActivationComparison
    Option("activations", activations(per_layer=False), '("relu", "tanh")', "one panel each"),
    Option("end_hold_seconds", POSITIVE, "3.0", "the stage where the panels differ most, held"),
    # TrainingScene
    Option("snapshot_every", whole(1, MAX_SNAPSHOT_EVERY), "5", "iterations between snapshots"),
    Option("replay_seconds", number(0, 600, above=True), "8.0", "the training's time on screen"),
    # MorphScene3D: the camera (angles in degrees) and the look of the 3-D space
    Option("lift_range", number_range(0, 90, "degrees"), "(30, 70)", "tilt once the plane lifts"),
    Option("turn_range", number_range(0, 360, "degrees"), "(60, 90)", "the orbit's whole turn"),
    Option("end_phi_range", number_range(0, 90, "degrees"), "(40, 80)", "the closing elevation"),
    Option("max_roll", number(0, 90, above=False), "30", "the input's largest turn on screen"),
    Option("fill", number(0, 1, above=True), "0.66", "class points' height / frame height"),
    Option("axis_color", color(), '"#FFFFFF"', "the stage's axes; None: the theme's"),
    Option("axis_opacity", OPACITY, "0.7", "the stage's axes"),
    Option("axis_width", STROKE, "2.2", "the stage's axes, stroke width"),
    Option("box_color", color(), '"#FFFFFF"', "the activation's range box; None: the theme's"),
    Option("box_opacity", OPACITY, "0.3", "the activation's range box"),
    Option("box_width", STROKE, "1.4", "the activation's range box, stroke width"),
    Option("axis_name_size", number(4, 96, above=False), "26", "x₁, h₁… font size"),
    Option("axis_name_gap", SCENE_UNITS, "0.3", "scene units from an axis' end to its name"),
    Option("name_margin", SCENE_UNITS, "0.5", "scene units an axis name keeps from the edges"),
)
BY_NAME = {option.name: option for option in OPTIONS}


def check_scene_options(scene: object, environ: dict[str, str] | None = None) -> dict:
    """Check every documented attribute ``scene`` has, after its environment override, then
    the combinations that cannot work (:func:`check_conflicts`).

    Each value is normalised (lists to tuples) and set on the instance, so an override applies to
    this scene alone. Returns ``{name: value}``. Raises NetmorphError for the first bad value,
    for a ``NETMORPH_*`` variable that names no attribute, or for the first conflict.
    """
    if environ is None:
        environ = dict(os.environ)
    _refuse_unknown_variables(environ)
    scene_name = type(scene).__name__
    values: dict[str, object] = {}
    sources: dict[str, str] = {}  # name -> where its value came from, for conflict messages
    for option in OPTIONS:
        if not hasattr(type(scene), option.name):
            continue
        text = environ.get(option.env)
        if text is not None:
            where = f"{option.env}={text!r}"
            fix = f"e.g. {option.env}={_env_example(option)}"
            try:
                value = option.kind.check(option.kind.parse(text))
            except Wanted as error:
                raise NetmorphError(_message(where, error, fix)) from None
        else:
            raw = getattr(scene, option.name)
            where = f"{scene_name}.{option.name} = {raw!r}"
            try:
                value = option.kind.check(raw)
            except Wanted as error:
                fix = f"e.g. {option.name} = {option.example}"
                raise NetmorphError(_message(where, error, fix)) from None
        setattr(scene, option.name, value)
        values[option.name] = value
        sources[option.name] = where
    check_conflicts(scene, values, sources)
    return values


def check_conflicts(scene: object, values: dict, sources: dict[str, str]) -> None:
    """Refuse attribute combinations that would fail (or draw something else) only after
    training: each is knowable from the attributes alone.

    ``values`` are the checked attributes, ``sources`` where each came from (the class or a
    ``NETMORPH_*`` variable), named in the error.
    """
    if "view" in values:
        _check_view_kind(isinstance(scene, ThreeDScene), values["view"], sources["view"])
    names = _activation_names(values)
    if names is None or _draws_own_network(scene):
        return  # a user's own network: its layers, not these attributes, decide
    own = values.get("weights") is not None  # a user's file: its keys decide the widths
    widths = _widths(values)
    if not own and widths is not None:
        _check_activations_fit(values.get("activation"), names, widths, sources)
    if not own and widths is None and isinstance(values.get("activation"), tuple):
        raise NetmorphError(
            f"{sources['activation']}: a CSV without hidden widths is fitted by trying networks "
            "of 2 and 3 activated layers (model.train.search): give one activation name, or "
            "set hidden"
        )
    if values.get("show_folds") and not any(name in FOLDING for name in names):
        where = sources["show_folds"]
        raise NetmorphError(
            f"{where}: fold lines are where ReLU-family units switch "
            f"({', '.join(FOLDING)}), and {_names_text(names)} has none: set show_folds = False "
            "or use such an activation"
        )
    if not own and widths is not None and len(widths) == 1 and set(names) != {"identity"}:
        where = sources.get("hidden", f"the {values.get('dataset')} data's default widths")
        raise NetmorphError(
            f"{where}: one width is the affine embedding alone, so no layer has an activation "
            f"and {_names_text(names)} is never used: give two or more widths, e.g. (3, 3), or "
            "activation = 'identity'"
        )


def _draws_own_network(scene: object) -> bool:
    """Whether the scene overrides ``trained_network()`` (MorphScene's returns None)."""
    defined = next((c for c in type(scene).__mro__ if "trained_network" in vars(c)), None)
    return defined is not None and defined.__name__ != "MorphScene"


def _check_view_kind(three_d: bool, view: str, where: str) -> None:
    """A 3-D scene draws the true 3-D space; a 2-D one cannot."""
    if three_d and view != "3d":
        raise NetmorphError(
            f"{where}: a 3-D scene (MorphScene3D) always draws the hidden space in 3-D: leave "
            f"view = '3d', or subclass the 2-D MorphScene for view {view!r}"
        )
    if not three_d and view == "3d":
        raise NetmorphError(
            f"{where}: view '3d' needs a 3-D scene: subclass MorphScene3D (scenes/morph3d.py), "
            "or choose 'readout', 'first2' or 'pca'"
        )


def _activation_names(values: dict) -> tuple[str, ...] | None:
    """Every activation name the scene trains with (one per layer, or one per panel)."""
    if "activation" in values:
        act = values["activation"]
        return (act,) if isinstance(act, str) else tuple(act)
    if "activations" in values:
        return tuple(values["activations"])
    return None


def _widths(values: dict) -> tuple[int, ...] | None:
    """The hidden widths the scene trains: its own, or its dataset's default; None for a CSV
    without widths (a search tries several, :mod:`model.train.search`)."""
    if values.get("hidden") is not None:
        return values["hidden"]
    dataset = values.get("dataset", "circles")
    if is_csv(dataset):
        return None
    return HIDDEN.get(dataset, CSV_HIDDEN)


def _check_activations_fit(
    activation: object, names: tuple[str, ...], widths: tuple[int, ...], sources: dict[str, str]
) -> None:
    """One activation name per activated layer: ``len(widths) - 1`` of them, or one for all."""
    if not isinstance(activation, tuple) or len(activation) == len(widths) - 1:
        return
    shown = ",".join(map(str, widths))
    raise NetmorphError(
        f"{sources['activation']}: {len(names)} activations given for {len(widths) - 1} "
        f"activated layers (hidden={shown}; the first width is the affine embedding): give one "
        f"name or {len(widths) - 1}"
    )


def _names_text(names: tuple[str, ...]) -> str:
    unique = list(dict.fromkeys(names))
    return f"activation {unique[0]!r}" if len(unique) == 1 else f"activations {tuple(unique)!r}"


def _message(where: str, error: Wanted, fix: str) -> str:
    return f"{where}: {error}" if error.explained else f"{where}: {error}; {fix}"


def _env_example(option: Option) -> str:
    """The option's example as environment text: ``(3, 3, 3)`` → ``3,3,3``."""
    return option.example.strip("()").replace('"', "").replace(" ", "").rstrip(",")


def _refuse_unknown_variables(environ: dict[str, str]) -> None:
    known = {option.env for option in OPTIONS}
    for variable in sorted(environ):
        if variable.startswith(ENV_PREFIX) and variable not in known:
            close = difflib.get_close_matches(variable, sorted(known), n=1)
            hint = f"did you mean {close[0]}?" if close else "see scenes/kit/options.py"
            raise NetmorphError(
                f"unknown environment variable {variable}: no scene attribute is called "
                f"{variable.removeprefix(ENV_PREFIX).lower()!r} ({hint})"
            )
