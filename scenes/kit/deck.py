"""A slide deck as one HTML file that plays with no network: reveal.js and every video inlined.

``manim-slides convert`` alone writes a page that loads reveal.js from a CDN (a blank page
offline) beside a folder of videos. Its ``--offline`` mode downloads reveal.js from that CDN
too, so it cannot help where only package registries are reachable. This wrapper lets
manim-slides inline the videos (``--one-file``) while pointing it at the reveal.js copy that
``make setup`` installs from npm, then inlines that copy's scripts and stylesheets as data URIs.

Examples::

    manim --config_file manim.cfg -qh scenes/slides.py ReluSlides
    netmorph deck ReluSlides media/ReluSlides.html     # or: make deck SCENE=ReluSlides
    netmorph deck ReluSlides TanhSlides media/talk.html  # several scenes, one deck
"""

from __future__ import annotations

import base64
import mimetypes
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote

from model.errors import NetmorphError, OneLineParser, user_errors
from model.files import written_whole

# Where `make setup` installs reveal.js from npm (`npm install --prefix`; the Makefile pins the
# version manim-slides' template is written for), inside the environment it serves.
REVEAL_PREFIX = Path(sys.prefix) / "share" / "netmorph"


def reveal_root(prefix: Path = REVEAL_PREFIX) -> Path:
    """The installed reveal.js package folder (the one holding ``dist/``).

    Raises
    ------
    NetmorphError
        If reveal.js is not installed under ``prefix``; the message names the install command.
    """
    root = prefix / "node_modules" / "reveal.js"
    if not (root / "dist" / "reveal.js").is_file():
        raise NetmorphError(
            f"reveal.js is not installed in {prefix}: run `make setup` "
            f"(it runs `npm install --prefix {prefix} reveal.js@VERSION`)"
        )
    return root


def inline_assets(html: str, root: Path) -> str:
    """Replace every ``src``/``href`` that points into ``root`` by the file's data URI."""
    prefix = re.escape(root.as_uri())

    def data_uri(match: re.Match[str]) -> str:
        path = root / unquote(match["path"])
        if not path.is_file():
            raise NetmorphError(f"the deck template asks for {path}, which reveal.js lacks")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        payload = base64.b64encode(path.read_bytes()).decode("ascii")
        # Data URIs rather than inline <script> text: reveal.js's plugins hold "<!--" and HTML
        # snippets that would change how the page around an inline script parses.
        return f'{match["attr"]}="data:{mime};base64,{payload}"'

    return re.sub(rf'(?P<attr>src|href)="{prefix}/(?P<path>[^"]+)"', data_uri, html)


def write_deck(
    scenes: Sequence[str],
    dest: Path,
    folder: Path = Path("slides"),
    prefix: Path = REVEAL_PREFIX,
    options: Sequence[str] = (),
) -> Path:
    """Convert rendered slides to one offline HTML file at ``dest``, whole or not at all.

    Parameters
    ----------
    scenes
        Slide scenes rendered by ``manim-slides render`` (their ``<folder>/<scene>.json``).
    dest
        The ``.html`` file to write.
    folder
        manim-slides' slides folder (``./slides`` unless rendered elsewhere).
    prefix
        Where reveal.js is installed (see :func:`reveal_root`).
    options
        Extra ``KEY=VALUE`` reveal.js options passed to ``manim-slides convert -c``.
    """
    if dest.suffix.lower() != ".html":
        raise NetmorphError(f"{dest} is not an .html file (PPTX and PDF: manim-slides convert)")
    if not scenes:
        raise NetmorphError("name at least one slide scene, e.g. ReluSlides")
    for scene in scenes:
        if not (folder / f"{scene}.json").is_file():
            raise NetmorphError(
                f"{scene} has no slides in {folder}/: render them first, "
                f"`manim -qh scenes/slides.py {scene}` (or `make deck SCENE={scene}`)"
            )
    root = reveal_root(prefix)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent) as work:
        raw = Path(work) / "raw.html"
        command = [
            *(sys.executable, "-m", "manim_slides", "-S", "convert"),  # -S: no version check
            *("--folder", str(folder), "--to", "html", "--one-file"),
            *("-c", f"cdn_url={root.as_uri()}"),
            *(arg for option in options for arg in ("-c", option)),
            *scenes,
            str(raw),
        ]
        if subprocess.run(command, check=False).returncode != 0:
            raise NetmorphError("manim-slides convert failed (its message is above)")
        html = inline_assets(raw.read_text(encoding="utf-8"), root)
        with written_whole(dest) as out:
            out.write(html.encode("utf-8"))
    return dest


def main(argv: list[str] | None = None, prog: str = "netmorph deck") -> int:
    """``netmorph deck SCENE [SCENE ...] DECK.html``."""
    parser = OneLineParser(
        prog=prog,
        description="Write rendered slide scenes as one HTML file that plays offline.",
    )
    parser.add_argument("scenes", nargs="+", metavar="SCENE", help="e.g. ReluSlides")
    parser.add_argument("dest", type=Path, metavar="DECK.html")
    parser.add_argument("--folder", type=Path, default=Path("slides"), help="default: slides")
    parser.add_argument(
        "-c",
        dest="options",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a reveal.js option for manim-slides, e.g. -c slide_number=true",
    )
    with user_errors(parser.prog):
        args = parser.parse_args(argv)
        path = write_deck(args.scenes, args.dest, args.folder, options=args.options)
        print(f"{path}: {path.stat().st_size / 1e6:.1f} MB, plays offline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
