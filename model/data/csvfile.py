"""A user's own 2-D data: a CSV file of ``x,y,label`` rows with 2 to 8 labels.

Name the file as the dataset (any name ending in ``.csv``)::

    netmorph train --dataset my_points.csv --hidden 8,8,8

The first line may be a header (it is one when its first field is not a number). Blank lines and
lines starting with ``#`` are skipped. Labels are any 2 to 8 distinct strings or integers; sorted
(numerically when all are numbers) they become class 0 (red), class 1 (blue), 2, 3… (the
palette's next colours), so ``0``/``1`` keep their meaning. A label longer than a legend holds
(:data:`MAX_LABEL` characters) is shortened with "…", and a warning says so. Coordinates of any
size up to ±1e30 train alike (training standardises them; the video draws them in their own
units, see :mod:`model.train.trainer`). A big file trains on a stratified subset and draws a
stable sample. Every malformed file is a :class:`NetmorphError` naming the file and the line to
fix, and so is data with nothing to draw (every class a single point repeated). Only a regular
file is read: a named pipe or a folder is one line, never a wait.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import logging
import math
from pathlib import Path

import numpy as np

from model.data.dataset import Dataset
from model.data.sample import capped_rows
from model.errors import NetmorphError
from model.files import open_regular

COLUMNS = ("x", "y", "label")
# Beyond this the network's float32 weights (about 1/scale) and the trace's squares lose range.
MAX_COORDINATE = 1e30
MAX_CLASSES = 8  # labels in one file: more colours than a palette keeps apart
PLOT_PER_CLASS = 2000  # points drawn per class: more slow every frame and add nothing to see
MAX_LABEL = 24  # characters of a class name the legend holds beside its dot

log = logging.getLogger("netmorph")


def _read_bytes(path: Path) -> bytes:
    try:
        with open_regular(path, "CSV file") as f:
            return f.read()
    except OSError as error:
        raise NetmorphError(f"cannot read CSV file {path}: {error.strerror}") from None


def _read_text(path: Path) -> str:
    raw = _read_bytes(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise NetmorphError(f"{path} line {line}: not UTF-8 text; save the CSV as UTF-8") from None


def csv_digest(path: Path | str) -> str:
    """SHA-256 of the file's bytes: the cache retrains when the data changes (a regular file
    only: see :func:`model.files.open_regular`)."""
    return hashlib.sha256(_read_bytes(Path(path))).hexdigest()


def _number(text: str, column: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise NetmorphError(f"{where}: {column} value {text!r} is not a number") from None
    if not math.isfinite(value):
        raise NetmorphError(f"{where}: {column} value {text!r} is not finite; give a real number")
    if abs(value) > MAX_COORDINATE:
        raise NetmorphError(
            f"{where}: {column} value {text!r} is beyond ±{MAX_COORDINATE:g}; rescale the data "
            "(any unit up to that trains alike)"
        )
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _class_order(labels: list[str]) -> list[str]:
    """The two labels as class 0 and class 1: numeric order when both are numbers."""
    if all(_is_number(label) for label in labels):
        return sorted(labels, key=float)
    return sorted(labels)


def _parse_quickly(text: str) -> tuple[np.ndarray, list[str]] | None:
    """The rows of a plain, well-formed file at numpy speed (1e6 rows in about a second), or
    None: then :func:`_parse_rows` reads it line by line and names the line at fault."""
    if '"' in text:
        return None  # quoted fields: the csv module's job
    lines = [line for line in text.splitlines() if line.strip() and line.lstrip()[:1] != "#"]
    if lines and not _is_number(lines[0].split(",")[0].strip()):
        lines = lines[1:]  # a header line
    if not lines or not all(line.count(",") == len(COLUMNS) - 1 for line in lines):
        return None
    # One flat split: per-row lists cost several times as much at a million rows.
    fields = ",".join(lines).split(",")  # (3n,) x, y, label, x, y, label…
    try:
        points = np.stack(
            [np.array(fields[0::3], dtype=np.float64), np.array(fields[1::3], dtype=np.float64)],
            axis=1,
        )  # (n, 2)
    except ValueError:
        return None
    names = fields[2::3]
    labels = [name.strip() for name in names]
    bad = ~np.isfinite(points) | (np.abs(points) > MAX_COORDINATE)
    if bad.any() or not all(labels) or len(set(labels)) > MAX_CLASSES:
        return None
    return points, labels


def load_csv(path: Path | str) -> Dataset:
    """The dataset in the CSV file at ``path`` (rows ``x,y,label``).

    Every row trains and counts towards the accuracy; the plotted points are the rows of each
    class, or a stable sample of :data:`PLOT_PER_CLASS` of them
    (:func:`model.data.sample.capped_rows`) when it has more, and the description says how many
    are shown. A file read once is kept until it changes (training, tracing and scoring each
    ask for it): do not modify its arrays.
    """
    try:
        stat = Path(path).stat()
    except OSError:
        return _load_csv(str(path), 0, -1)  # _read_bytes names the problem
    return _load_csv(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _load_csv(name: str, mtime_ns: int, size: int) -> Dataset:
    """:func:`load_csv` of the file as it was at (mtime_ns, size)."""
    path = Path(name)
    text = _read_text(path)
    parsed = _parse_quickly(text)
    points, labels = parsed if parsed is not None else _parse_rows(path, text)
    if parsed is not None and len(set(labels)) < 2:
        _parse_rows(path, text)  # names the line (the fast path checks only the count)
    order = _class_order(sorted(set(labels)))
    index = {label: k for k, label in enumerate(order)}
    x_train = points  # (n, 2)
    y_train = np.fromiter(map(index.__getitem__, labels), np.int64, len(labels))  # (n,)
    _refuse_single_points(path, x_train, y_train, order)
    order = shortened_names(order, path)
    shown = capped_rows(y_train, PLOT_PER_CLASS)
    x_plot = tuple(x_train[shown][y_train[shown] == k] for k in range(len(order)))
    counts = np.bincount(y_train, minlength=len(order))
    if len(shown) < len(y_train):
        described = f"showing {len(shown):,} of {len(y_train):,} points"
    elif len(order) == 2:
        described = f"{counts[0]} red {order[0]!r}, {counts[1]} blue {order[1]!r}"
    else:
        described = f"{len(order)} classes, " + ", ".join(
            f"{count} {label!r}" for count, label in zip(counts, order)
        )
    return Dataset(name, x_train, y_train, x_plot, tuple(order), f"{path.name}: {described}")


def _refuse_single_points(
    path: Path, points: np.ndarray, classes: np.ndarray, names: list[str]
) -> None:
    """Refuse data with nothing to draw: every class one point, repeated (no spread at all
    when they are the same point). A network trained on it folds nothing worth a video."""
    single = [
        np.ptp(points[classes == k], axis=0).max() == 0 for k in range(len(names))
    ]  # each class's spread along x and y is 0
    if not all(single):
        return
    if np.ptp(points, axis=0).max() == 0:
        x, y = points[0]
        raise NetmorphError(
            f"{path}: every row is the point ({x:g}, {y:g}): the data has no spread, so there "
            "is nothing to draw; give points at different places"
        )
    raise NetmorphError(
        f"{path}: each of the {len(names)} classes is a single point repeated: there is no "
        "shape for a network to fold; give each class points at different places"
    )


def shortened_names(names: list[str], source: Path | str) -> list[str]:
    """Class names that fit the legend: any longer than :data:`MAX_LABEL` characters cut to
    that with "…", with one warning line naming them. Names that would then be alike keep
    their ends instead ("first words…last words"); still alike, a NetmorphError."""
    short = [name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "…" for name in names]
    if len(set(short)) < len(short):
        head, tail = (MAX_LABEL - 1) // 2, MAX_LABEL - 1 - (MAX_LABEL - 1) // 2
        short = [n if len(n) <= MAX_LABEL else f"{n[:head]}…{n[-tail:]}" for n in names]
    if len(set(short)) < len(short):
        alike = sorted(n for n, s in zip(names, short) if short.count(s) > 1)
        raise NetmorphError(
            f"{source}: labels {alike[0]!r} and {alike[1]!r} are alike in their first and last "
            f"characters: give labels of at most {MAX_LABEL} characters"
        )
    changed = [s for n, s in zip(names, short) if s != n]
    if changed:
        log.warning(
            "warning: %s: %d label%s longer than %d characters shortened for the legend: %s",
            source,
            len(changed),
            "" if len(changed) == 1 else "s",
            MAX_LABEL,
            ", ".join(map(repr, changed)),
        )
    return short


def _parse_rows(path: Path, text: str) -> tuple[np.ndarray, list[str]]:
    """Every row's point and label, checked line by line (errors name the line)."""
    reader = csv.reader(io.StringIO(text))
    points: list[tuple[float, float]] = []
    labels: list[str] = []
    seen: dict[str, int] = {}  # label -> first line it appears on
    last_line = 0
    header_checked = False
    for row in reader:
        line = reader.line_num
        last_line = line
        where = f"{path} line {line}"
        fields = [field.strip() for field in row]
        if not any(fields) or fields[0].startswith("#"):
            continue
        if len(fields) != len(COLUMNS):
            raise NetmorphError(
                f"{where}: {len(fields)} values, expected 3 (x,y,label); fix or remove the row"
            )
        if not header_checked:
            header_checked = True
            if not _is_number(fields[0]):
                continue  # a header line, e.g. "x,y,label"
        x = _number(fields[0], "x", where)
        y = _number(fields[1], "y", where)
        label = fields[2]
        if not label:
            raise NetmorphError(f"{where}: empty label; every row needs a class label")
        if label not in seen:
            if len(seen) == MAX_CLASSES:
                raise NetmorphError(
                    f"{where}: a label {label!r} after {MAX_CLASSES} others "
                    f"({', '.join(map(repr, seen))}); a CSV dataset has 2 to {MAX_CLASSES} classes"
                )
            seen[label] = line
        points.append((x, y))
        labels.append(label)
    if not points:
        what = "empty file" if last_line == 0 else "no data rows"
        raise NetmorphError(
            f"{path} line {max(last_line, 1)}: {what}; give rows of x,y,label with two classes"
        )
    if len(seen) < 2:
        (only,) = seen
        raise NetmorphError(
            f"{path} line {last_line}: every row so far has label {only!r}; "
            "a CSV dataset needs a second class"
        )
    return np.asarray(points, dtype=np.float64), labels
