"""The ``netmorph train`` command line: train (or load from the cache) and report.

Examples::

    netmorph train --activation relu
    netmorph train --activation tanh --hidden 3,3,3 --seed 4
    netmorph train --activation relu,tanh --no-cache
    netmorph train --dataset spiral --activation gelu --snapshot-every 20
    netmorph train --dataset my_points.csv --hidden 3,8,8
    netmorph train --dataset circles --activation identity   # keeps its best, ~55 %

``python -m model.train`` is the same command (:mod:`model.train.__main__`). The network is
chosen as every video chooses its own (:func:`model.train.choice.choose_networks`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from model.data.registry import DATASETS, load_dataset
from model.errors import NetmorphError, OneLineParser, user_errors
from model.formatting import format_percent
from model.network.activations import ACTIVATIONS
from model.train.checkpoints import DEFAULT_CACHE_DIR, load_or_train
from model.train.choice import choose_networks
from model.train.results import accuracy, seed_ranges
from model.train.trainer import TRAIN_ROWS


def _parse_hidden(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(w) for w in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"bad widths {text!r}: give comma-separated whole numbers, e.g. 3,3,3"
        ) from None


def main(argv: list[str] | None = None, prog: str = "netmorph train") -> int:
    """The ``netmorph train`` command line (``prog`` names it in usage and errors)."""
    parser = OneLineParser(
        prog=prog,
        description="Train (or load from the cache) a netmorph network and report on it.",
    )
    parser.add_argument(
        "--activation",
        default="relu",
        help=f"one of {', '.join(ACTIVATIONS)}, or one per activated layer, comma-separated",
    )
    parser.add_argument(
        "--dataset",
        default="circles",
        help=f"one of {', '.join(DATASETS)}, or a path to a CSV file of x,y,label rows",
    )
    parser.add_argument(
        "--hidden", type=_parse_hidden, help="e.g. 3,3,3 (default: the dataset's own)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-iterations", type=int, help="default: the dataset's own")
    parser.add_argument(
        "--target-accuracy",
        type=float,
        help="training accuracy to stop at, 0..1 (default 1)",
    )
    parser.add_argument(
        "--best-effort",
        action="store_true",
        help="if no seed reaches the target, keep the most accurate instead of failing",
    )
    parser.add_argument(
        "--snapshot-every",
        type=int,
        help="store the weights every this many iterations, for training-over-time videos",
    )
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    parser.add_argument("--no-cache", action="store_true", help="train afresh, write nothing")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--weights",
        type=Path,
        help="check your own network's state_dict (.safetensors; --activation and --hidden say "
        "its layers) and report its accuracy on --dataset, without training",
    )
    with user_errors(parser.prog):
        args = parser.parse_args(argv)
    with user_errors():
        acts = args.activation.split(",")
        activation = acts[0] if len(acts) == 1 else tuple(acts)
        if args.weights is not None:
            return _report_weights(args, activation)
        if args.max_iterations is not None and args.max_iterations < 1:
            raise NetmorphError(f"--max-iterations must be at least 1, got {args.max_iterations}")
        cache_dir = None if args.no_cache else args.cache_dir
        extra = {} if args.max_iterations is None else {"max_iterations": args.max_iterations}
        # The network every video of this data draws (model.train.choice): a CSV's is
        # searched for, and said.
        (chosen,) = choose_networks(
            args.dataset,
            (activation,),
            cache_dir,
            hidden=args.hidden,
            seed=args.seed,
            target_accuracy=args.target_accuracy,
            best_effort=args.best_effort or None,
            snapshot_every=args.snapshot_every or 0,
            progress=not args.quiet,
            **extra,
        )
        if chosen.search is not None:
            print(chosen.search.summary())
        config = chosen.config
        if chosen.trained is not None:
            trained, checkpoint_file = chosen.trained, chosen.checkpoint_file
        else:
            trained, checkpoint_file = load_or_train(config, cache_dir, progress=not args.quiet)
        data = load_dataset(args.dataset)
        rows = len(data.y_train)
        if rows > TRAIN_ROWS:
            every_row = format_percent(accuracy(trained.module, data))
            print(
                f"accuracy: {every_row} on all {rows:,} rows "
                f"({format_percent(trained.accuracy)} on the {TRAIN_ROWS:,} trained on)"
            )
        else:
            print(f"accuracy: {format_percent(trained.accuracy)}")
        if not trained.reached_target:
            print(f"target: {format_percent(config.target_accuracy)} not reached (kept the best)")
        if trained.snapshots:
            print(
                f"snapshots: {len(trained.snapshots)} "
                f"(iterations 0–{trained.snapshots[-1].iteration})"
            )
        print(f"iterations: {trained.iterations}")
        print(f"time: {trained.seconds:.2f} s" + (" (cache hit)" if trained.cached else ""))
        print(f"seed: {trained.seed_used}")
        if trained.stuck_seeds:
            stuck = seed_ranges(trained.stuck_seeds)
            print(f"stuck seeds: {stuck} (kept seed {trained.seed_used})")
        print(f"checkpoint: {checkpoint_file if checkpoint_file else '(not saved)'}")
    return 0


def _report_weights(args: argparse.Namespace, activation: str | tuple[str, ...]) -> int:
    """``--weights``: check a user's state_dict file and say what netmorph would draw."""
    from model.network.own import describe_layers, parameter_count

    data = load_dataset(args.dataset)
    (chosen,) = choose_networks(
        args.dataset, (activation,), None, hidden=args.hidden, weights=args.weights
    )
    assert chosen.trained is not None  # a user's own network is at hand
    module = chosen.trained.module
    print(f"your model: {describe_layers(module)} ({parameter_count(module)} parameters)")
    points = f"{len(data.y_train)} points of {args.dataset}"
    print(f"accuracy: {format_percent(chosen.trained.accuracy)} on {points}")
    print(
        f"draw it: weights = {str(args.weights)!r} in a MorphScene with dataset = {args.dataset!r}"
    )
    return 0
