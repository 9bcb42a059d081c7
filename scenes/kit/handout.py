"""A handout of a video: one still and its caption per step, as Markdown and as one HTML file.

For lecturers' notes and students' revision: ``netmorph handout`` renders the scene with Manim
(``--save_sections``, one clip per step), keeps each clip's last frame (the step's held picture,
its title on it) and writes beside them the step's title and caption, the words the video shows
and says (:func:`model.narration.captions.narrate`; a training video's phases).

Examples::

    netmorph handout scenes/morph.py ReluMorph               # media/handouts/ReluMorph/
    netmorph handout scenes/datasets.py LinearFails -q h     # 1080p stills
    netmorph handout scenes/training.py ReluTraining -o notes/training

The folder holds ``NN_<section>.png``, ``handout.md`` (the stills beside it) and ``handout.html``
(one file, the stills inside it: it prints, and opens from anywhere).
"""

from __future__ import annotations

import base64
import html
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import av
from manim import tempconfig

from model.errors import NetmorphError, OneLineParser, user_errors
from model.files import written_whole
from scenes.kit.scene_files import load_scene

QUALITIES = {"l": "480p15", "m": "720p30", "h": "1080p60"}
RENDER_TIMEOUT = 3600.0  # seconds a render may take before it is called stuck


@dataclass(frozen=True)
class Sheet:
    """One step of the handout: its section, title, caption lines and still."""

    section: str
    title: str
    lines: tuple[str, ...]
    still: Path


def captions_of(scene_class: type, media_dir: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """(section, title, caption lines) of every section ``scene_class`` plays, in order."""
    from scenes.kit.morph_scene import MorphScene
    from scenes.kit.training_scene import TrainingScene

    settings = {"media_dir": str(media_dir), "dry_run": True, "disable_caching": True}
    with tempconfig(settings):
        scene = scene_class()
        scene.setup()
        if isinstance(scene, TrainingScene):
            phases = scene.story.phases
            return [(p.section, scene.phase_words(i)[0], p.lines) for i, p in enumerate(phases)]
        if isinstance(scene, MorphScene):
            scene.tell()
            return [(c.section, c.title, c.lines) for c in scene.narration.values()]
    raise NetmorphError(
        f"{scene_class.__name__} is not a morph or training scene: a handout follows their steps"
    )


def render_sections(file: Path, name: str, quality: str, media_dir: Path) -> Path:
    """Render the scene's clips (``--save_sections``) with Manim; their folder."""
    command = [sys.executable, "-m", "manim", "-q", quality, "--save_sections"]
    command += ["--media_dir", str(media_dir), str(file), name]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=RENDER_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise NetmorphError(f"rendering {name} took over {RENDER_TIMEOUT:.0f} s") from None
    if done.returncode != 0:
        last = [line for line in done.stderr.splitlines() if line.strip()]
        raise NetmorphError(f"rendering {name} failed: {last[-1] if last else 'no message'}")
    folder = media_dir / "videos" / file.stem / QUALITIES[quality] / "sections"
    if not (folder / f"{name}.json").is_file():
        raise NetmorphError(f"rendering {name} wrote no sections in {folder}")
    return folder


def last_frames(folder: Path, name: str, out: Path) -> dict[str, Path]:
    """Each section clip's last frame as ``NN_<section>.png`` in ``out``, by section."""
    index = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    stills = {}
    for i, section in enumerate(index):
        with av.open(str(folder / section["video"])) as clip:
            last = None
            for last in clip.decode(video=0):  # noqa: B007 (the loop keeps the last frame)
                pass
        if last is None:
            raise NetmorphError(f"the clip of section {section['name']} holds no frame")
        path = out / f"{i:02d}_{section['name']}.png"
        with written_whole(path) as f:
            last.to_image().save(f, format="PNG")
        stills[section["name"]] = path
    return stills


def markdown(name: str, sheets: list[Sheet]) -> str:
    """The handout as Markdown, the stills beside it."""
    parts = [f"# {name}\n"]
    for i, sheet in enumerate(sheets):
        parts.append(f"## {i}. {sheet.title}\n")
        parts.append(f"![{sheet.title}]({sheet.still.name})\n")
        parts.append(" ".join(sheet.lines) + "\n")
    return "\n".join(parts)


def page(name: str, sheets: list[Sheet]) -> str:
    """The handout as one HTML file, the stills inside it: a step a page when printed."""
    rows = []
    for i, sheet in enumerate(sheets):
        data = base64.b64encode(sheet.still.read_bytes()).decode("ascii")
        words = html.escape(" ".join(sheet.lines))
        rows.append(
            f"<section><h2>{i}. {html.escape(sheet.title)}</h2>"
            f'<img alt="{html.escape(sheet.title)}" src="data:image/png;base64,{data}">'
            f"<p>{words}</p></section>"
        )
    style = (
        "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#16181c}"
        "img{width:100%;border:1px solid #ccc}section{page-break-after:always;margin-bottom:3rem}"
        "p{font-size:1.2rem}"
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(name)}'
        f"</title><style>{style}</style></head><body><h1>{html.escape(name)}</h1>"
        + "".join(rows)
        + "</body></html>\n"
    )


def write_handout(file: Path, name: str, out: Path | None, quality: str, media_dir: Path) -> Path:
    """Render scene ``name`` of ``file`` and write its handout folder (default:
    ``<media_dir>/handouts/<name>``); its path."""
    scene_class = load_scene(file, name)
    said = captions_of(scene_class, media_dir)  # a user's mistake stops here, before a frame
    target = out if out is not None else media_dir / "handouts" / name
    target.mkdir(parents=True, exist_ok=True)
    folder = render_sections(file, name, quality, media_dir)
    stills = last_frames(folder, name, target)
    sheets = [Sheet(s, t, lines, stills[s]) for s, t, lines in said if s in stills]
    with written_whole(target / "handout.md") as f:
        f.write(markdown(name, sheets).encode("utf-8"))
    with written_whole(target / "handout.html") as f:
        f.write(page(name, sheets).encode("utf-8"))
    return target


def main(argv: list[str] | None = None, prog: str = "netmorph handout") -> int:
    """``netmorph handout SCENE_FILE SCENE [-o DIR] [-q l|m|h] [--media_dir DIR]``."""
    parser = OneLineParser(
        prog=prog,
        description="Render a scene and write one still and its caption per step "
        "(handout.md and a self-contained handout.html).",
    )
    parser.add_argument("file", type=Path, metavar="SCENE_FILE", help="e.g. scenes/morph.py")
    parser.add_argument("scene", metavar="SCENE", help="e.g. ReluMorph")
    parser.add_argument("-o", "--output", type=Path, help="the folder to write")
    parser.add_argument(
        "-q", "--quality", choices=tuple(QUALITIES), default="m", help="manim's -q (default m)"
    )
    parser.add_argument("--media_dir", type=Path, default=Path("media"), help="as manim's")
    with user_errors(prog):
        args = parser.parse_args(argv)
        start = time.perf_counter()
        path = write_handout(args.file, args.scene, args.output, args.quality, args.media_dir)
        print(f"{path}: handout.md and handout.html in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
