"""Odd data and odd places: only regular files are read, data with nothing to draw is one line,
and labels longer than a legend holds are shortened with a warning."""

from __future__ import annotations

import logging
import os
import threading

import pytest

from model.data.csvfile import MAX_LABEL, load_csv
from model.data.registry import load_dataset
from model.errors import NetmorphError
from model.network.config import Config
from model.network.defaults import default_config
from model.train import checkpoints as store
from model.train.checkpoints import load_or_train


def _csv(path, rows):
    path.write_text("x,y,label\n" + "".join(f"{x},{y},{label}\n" for x, y, label in rows))
    return path


def _in_time(call, seconds=10.0):
    """Run ``call`` in a thread; fail (instead of hanging the suite) if it blocks."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed to the test
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked: a named pipe was opened for reading"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@pytest.mark.parametrize("kind", ["a FIFO", "a folder"])
def test_a_csv_that_is_not_a_regular_file_is_one_line_at_once(tmp_path, kind):
    path = tmp_path / "points.csv"
    os.mkfifo(path) if kind == "a FIFO" else path.mkdir()
    name = r"named pipe \(FIFO\)" if kind == "a FIFO" else "folder"
    for read in (lambda: load_csv(path), lambda: Config(dataset=str(path))):  # data, digest
        with pytest.raises(NetmorphError, match=rf"points.csv is a {name}, not a regular file"):
            _in_time(read)


@pytest.fixture
def no_training(monkeypatch):
    def trap(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(store, "train", trap)


@pytest.mark.parametrize(
    ("rows", "fragment"),
    [
        (
            [(1.5, -2, "a"), (1.5, -2, "b")] * 50,
            "every row is the point (1.5, -2): the data has no",
        ),
        ([(0, 0, "a"), (1, 1, "b")] * 50, "each of the 2 classes is a single point repeated"),
        (
            [(0, 0, "a"), (1, 0, "b"), (0, 1, "c")] * 20,
            "each of the 3 classes is a single point repeated",
        ),
    ],
    ids=["zero spread", "two dots", "three dots"],
)
def test_data_with_nothing_to_draw_is_one_line_before_training(
    tmp_path, no_training, rows, fragment
):
    path = _csv(tmp_path / "flat.csv", rows)
    with pytest.raises(NetmorphError) as error:
        load_or_train(default_config(str(path), hidden=(3, 3, 3)), tmp_path / "cache")
    assert fragment in str(error.value) and "\n" not in str(error.value)
    assert not (tmp_path / "cache").exists()  # nothing trained, nothing written


def test_one_class_at_one_point_among_spread_data_is_drawn(tmp_path):
    rows = [(0, 0, "a")] * 10 + [(x / 10, 1 + x / 7, "b") for x in range(20)]
    data = load_csv(_csv(tmp_path / "ok.csv", rows))
    assert data.n_classes == 2  # an outlier class is data, not a degenerate file


def test_labels_longer_than_a_legend_holds_are_shortened_with_one_warning(tmp_path, caplog):
    long = "a label " * 40  # 320 characters
    rows = [(x, x % 3, long.strip()) for x in range(10)] + [(x, 5, "short") for x in range(10)]
    path = _csv(tmp_path / "long.csv", rows)
    with caplog.at_level(logging.WARNING, logger="netmorph"):
        data = load_dataset(str(path))
    names = data.class_names
    assert names[1] == "short"
    assert names[0] == long.strip()[: MAX_LABEL - 1] + "…" and len(names[0]) == MAX_LABEL
    (warning,) = [r.getMessage() for r in caplog.records]
    assert "1 label longer than 24 characters shortened for the legend" in warning
    assert "\n" not in warning and repr(names[0]) in warning
    assert repr(names[0]) in data.description  # every caption uses the short name


def test_labels_alike_in_their_first_characters_keep_their_ends(tmp_path):
    first, second = "measurement series " * 3 + "north", "measurement series " * 3 + "south"
    rows = [(x, 0, first) for x in range(5)] + [(x, 1, second) for x in range(5)]
    data = load_csv(_csv(tmp_path / "alike.csv", rows))
    assert len(set(data.class_names)) == 2
    assert all(len(n) == MAX_LABEL and "…" in n for n in data.class_names)
    assert data.class_names[0].endswith("north") and data.class_names[1].endswith("south")
