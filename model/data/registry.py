"""Datasets by name: a built-in set's name or the path of a user's CSV file (``*.csv``)."""

from __future__ import annotations

from model.data.builtin import BUILT_IN, BUILT_IN_CLASSES
from model.data.csvfile import load_csv
from model.data.dataset import Dataset
from model.errors import NetmorphError

DATASETS = tuple(BUILT_IN)


def is_csv(name: str) -> bool:
    """Whether a dataset name is a path to a user's CSV file (any name ending in .csv)."""
    return name.lower().endswith(".csv")


def check_dataset_name(name: object) -> str:
    """``name`` if it is a built-in dataset or a .csv path, else a NetmorphError."""
    if not isinstance(name, str) or not (name in BUILT_IN or is_csv(name)):
        raise NetmorphError(
            f"unknown dataset {name!r}: choose one of {', '.join(DATASETS)}, "
            "or give a path ending in .csv"
        )
    return name


def load_dataset(name: str, density: int = 1) -> Dataset:
    """The built-in dataset called ``name``, or the CSV file at path ``name`` (``*.csv``).

    ``density`` multiplies the plotted points of built-in datasets; a CSV is plotted as it is.
    """
    if is_csv(check_dataset_name(name)):
        return load_csv(name)
    return BUILT_IN[name](density)


def class_count(name: str) -> int:
    """How many classes the dataset called ``name`` has (a CSV is read, once, to know)."""
    if is_csv(check_dataset_name(name)):
        return load_dataset(name).n_classes
    return BUILT_IN_CLASSES[name]
