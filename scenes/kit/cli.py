"""The ``netmorph`` command: one name for everything that is not a Manim render.

Examples::

    netmorph train --activation relu                       # train (or reuse the cache), report
    netmorph gif media/videos/morph/720p30/ReluMorph.mp4 relu.gif   # a compact GIF
    netmorph deck ReluSlides media/ReluSlides.html         # an offline slide deck
    netmorph page scenes/morph.py ReluMorph                # an explorable page
    netmorph page --help                                   # any subcommand's options

Videos stay ``manim …`` commands. A subcommand's module is imported only when it is named, so
``netmorph train`` never imports Manim.
"""

from __future__ import annotations

import importlib
import sys

# subcommand -> (the module whose main(argv, prog) runs it, what it does)
COMMANDS = {
    "train": ("model.train.command", "train a network (or load it from the cache) and report"),
    "gif": ("scenes.kit.gif", "turn a rendered video into a compact looping GIF"),
    "deck": ("scenes.kit.deck", "write rendered slide scenes as one HTML file that plays offline"),
    "page": ("scenes.kit.page", "write a scene as one explorable HTML page, offline"),
}


def usage() -> str:
    """The top-level help: every subcommand and what it does."""
    rows = "\n".join(f"  {name:<6} {what}" for name, (_, what) in COMMANDS.items())
    return (
        "usage: netmorph {" + ",".join(COMMANDS) + "} ...\n\n"
        "netmorph's commands (videos are `manim ...` commands):\n"
        f"{rows}\n\n"
        "`netmorph COMMAND --help` lists a command's options."
    )


def main(argv: list[str] | None = None) -> int:
    """``netmorph COMMAND [OPTIONS]``: run one subcommand; a wrong name is one line, exit 2."""
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("-h", "--help"):
        print(usage())
        return 0
    if not args or args[0] not in COMMANDS:
        named = f"unknown command {args[0]!r}" if args else "no command given"
        print(
            f"netmorph: error: {named}: choose one of {', '.join(COMMANDS)} (see netmorph --help)",
            file=sys.stderr,
        )
        return 2
    name, rest = args[0], args[1:]
    module = importlib.import_module(COMMANDS[name][0])
    return int(module.main(rest, prog=f"netmorph {name}"))


if __name__ == "__main__":
    sys.exit(main())
