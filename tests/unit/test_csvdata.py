"""A user's own CSV data: parsed exactly, malformed files named by line, cached by content."""

from __future__ import annotations

import numpy as np
import pytest

from model.data.csvfile import load_csv
from model.data.registry import load_dataset
from model.errors import NetmorphError
from model.network.config import Config
from model.network.defaults import default_config
from model.train.checkpoints import checkpoint_path, load, load_or_train


def _write(tmp_path, text: str | bytes, name: str = "points.csv"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def _xor_csv(tmp_path, name="points.csv", every=6):
    """XOR points, thinned, with string labels: a small dataset that needs a bend."""
    data = load_dataset("xor")
    labels = np.array(["same", "opposite"])[data.y_train]
    rows = [f"{float(x)!r},{float(y)!r},{label}" for (x, y), label in zip(data.x_train, labels)][
        ::every
    ]
    return _write(tmp_path, "x,y,label\n" + "\n".join(rows) + "\n", name)


def test_parses_points_labels_and_header(tmp_path):
    path = _write(tmp_path, "x,y,label\n0.5,-1,1\n\n# a comment\n2, 3.25 ,0\n-1e-3,4,1\n")
    data = load_csv(path)
    np.testing.assert_array_equal(data.x_train, [[0.5, -1], [2, 3.25], [-1e-3, 4]])
    np.testing.assert_array_equal(data.y_train, [1, 0, 1])  # numeric labels keep their meaning
    assert data.class_names == ("0", "1")
    np.testing.assert_array_equal(data.x_plot[0], [[2, 3.25]])
    assert data.x_plot[1].shape == (2, 2)
    assert "points.csv" in data.description


def test_headerless_and_string_labels_sort(tmp_path):
    data = load_csv(_write(tmp_path, "0,0,red\n1,1,blue\n2,2,red\n"))
    assert data.class_names == ("blue", "red")
    np.testing.assert_array_equal(data.y_train, [1, 0, 1])


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("x,y,label\n0,0,a\n1,1\n", 3, "2 values, expected 3"),
        ("x,y\n0,0\n", 1, "2 values, expected 3"),
        ("x,y,label\n0,0,a\n1,abc,b\n", 3, "y value 'abc' is not a number"),
        ("0,0,a\nnan,1,b\n", 2, "x value 'nan' is not finite"),
        ("0,0,a\n1,-inf,b\n", 2, "y value '-inf' is not finite"),
        ("x,y,label\n0,0,a\n1,1,a\n", 3, "needs a second class"),
        ("".join(f"{i},{i},l{i}\n" for i in range(9)), 9, "a label 'l8' after 8 others"),
        ("0,0,a\n1,1,\n", 2, "empty label"),
        ("", 1, "empty file"),
        ("x,y,label\n", 1, "no data rows"),
        (b"0,0,a\n1,1,\xff\n", 2, "not UTF-8"),
    ],
)
def test_malformed_csv_names_file_and_line(tmp_path, text, line, fragment):
    path = _write(tmp_path, text)
    with pytest.raises(NetmorphError) as caught:
        load_csv(path)
    message = str(caught.value)
    assert f"{path} line {line}:" in message
    assert fragment in message
    assert "\n" not in message


def test_missing_file_is_named(tmp_path):
    with pytest.raises(NetmorphError, match="no such CSV file .*nowhere.csv"):
        Config(dataset=str(tmp_path / "nowhere.csv"))
    with pytest.raises(NetmorphError, match="no such CSV file"):
        load_dataset(str(tmp_path / "nowhere.csv"))


def test_round_trip_through_config_train_and_store(tmp_path, monkeypatch):
    path = _xor_csv(tmp_path)
    config = default_config(str(path), "tanh", settle_iterations=10)  # quality is not the point
    assert config.data_digest and config.key().startswith("csv_points-tanh-3x8x8-")
    result, saved = load_or_train(config, tmp_path / "cache", progress=False)
    assert result.accuracy == 1.0 and saved == checkpoint_path(config, tmp_path / "cache")
    again, _ = load_or_train(config, tmp_path / "cache", progress=False)
    assert again.cached and again.config == config

    # Editing the file changes the config, so its key: the cache retrains rather than reuse.
    path.write_text(path.read_text() + "0.9,0.9,same\n")
    edited = default_config(str(path), "tanh", settle_iterations=10)
    assert edited.data_digest != config.data_digest and edited.key() != config.key()
    with pytest.raises(NetmorphError, match="another config"):
        load(saved, edited)  # the stored digest is kept, not recomputed from the new file
    fresh, _ = load_or_train(edited, tmp_path / "cache", progress=False)
    assert not fresh.cached


def test_digest_only_for_csv():
    with pytest.raises(NetmorphError, match="only for CSV"):
        Config(data_digest="abc")
