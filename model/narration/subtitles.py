"""Subtitle cues on the video's own clock, written as SRT, WebVTT and JSON.

:func:`place_cues` turns each section's time span and caption into one or more cues of at most
two subtitle lines (:data:`SUBTITLE_CHARS` a line, the broadcast norm), splitting a long caption
at its sentences and sharing the span out by length. :func:`srt` and :func:`webvtt` write the same
cues in the two formats players read; :func:`cues_json` in one a page or a test reads without a
parser. :func:`write_subtitles` writes the files beside a video, each whole or not at all.

Examples::

    cues = place_cues([("input", 0.0, 3.0, caption), ("dense1_2to3", 3.0, 6.5, caption2)])
    Path("ReluMorph.srt").write_text(srt(cues))
    write_subtitles(cues, Path("media/videos/morph/720p30/ReluMorph"))  # .srt and .vtt
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from model.files import written_whole
from model.narration.wording import wrap

if TYPE_CHECKING:  # pragma: no cover
    from model.narration.captions import Caption

SUBTITLE_CHARS = 42  # characters per subtitle line (the broadcast norm)
SUBTITLE_LINES = 2  # lines per cue
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Cue:
    """One subtitle: shown from ``start`` to ``end`` seconds of the video."""

    start: float  # seconds
    end: float  # seconds, after start
    text: str  # one or two lines, joined by "\n"
    section: str = ""  # the Manim section it belongs to


def chunks(text: str, width: int = SUBTITLE_CHARS, lines: int = SUBTITLE_LINES) -> list[str]:
    """``text`` as cue texts of at most ``lines`` lines of ``width``: whole sentences packed
    together while they fit, a sentence too long for one cue broken into several."""
    pieces: list[list[str]] = []  # each a cue's lines
    pending = ""
    for sentence in _SENTENCE_END.split(text.strip()):
        trial = f"{pending} {sentence}".strip()
        if len(wrap(trial, width)) <= lines:
            pending = trial
            continue
        if pending:
            pieces.append(wrap(pending, width))
        wrapped = wrap(sentence, width)
        while len(wrapped) > lines:
            pieces.append(wrapped[:lines])
            wrapped = wrap(" ".join(wrapped[lines:]), width)
        pending = " ".join(wrapped)
    if pending:
        pieces.append(wrap(pending, width))
    return ["\n".join(piece) for piece in pieces]


def place_cues(
    sections: Sequence[tuple[str, float, float, Caption | str]],
    *,
    width: int = SUBTITLE_CHARS,
    lines: int = SUBTITLE_LINES,
) -> list[Cue]:
    """One or more cues per section, in order: ``sections`` are (name, start, end, caption or
    text). A section's span is shared between its cues by their length in characters; a
    section with no text gets no cue."""
    cues: list[Cue] = []
    for name, start, end, caption in sections:
        if end <= start:
            raise ValueError(f"section {name!r} ends ({end}) before it starts ({start})")
        text = caption if isinstance(caption, str) else caption.text
        parts = chunks(text, width, lines)
        if not parts:
            continue
        sizes = [len(p) for p in parts]
        edges = [start]
        for size in sizes:
            edges.append(edges[-1] + (end - start) * size / sum(sizes))
        edges[-1] = end  # no rounding drift past the section
        cues += [Cue(a, b, part, name) for a, b, part in zip(edges, edges[1:], parts)]
    return cues


def timestamp(seconds: float, separator: str = ",") -> str:
    """``seconds`` as ``HH:MM:SS,mmm`` (SRT) or with ``separator="."`` as WebVTT writes it."""
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def srt(cues: Sequence[Cue]) -> str:
    """The cues as a SubRip (.srt) file: numbered blocks, ``,`` before the milliseconds."""
    blocks = [
        f"{i}\n{timestamp(c.start)} --> {timestamp(c.end)}\n{c.text}\n"
        for i, c in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)


def webvtt(cues: Sequence[Cue]) -> str:
    """The same cues as WebVTT (.vtt): the header, each cue named after its section."""
    blocks = ["WEBVTT\n"]
    seen: dict[str, int] = {}
    for c in cues:
        seen[c.section] = seen.get(c.section, 0) + 1
        name = c.section or "cue"
        ident = name if seen[c.section] == 1 else f"{name}-{seen[c.section]}"
        blocks.append(f"{ident}\n{timestamp(c.start, '.')} --> {timestamp(c.end, '.')}\n{c.text}\n")
    return "\n".join(blocks)


def cues_json(cues: Sequence[Cue]) -> str:
    """The cues as JSON: ``{"cues": [{"section", "start", "end", "text"}, …]}``, seconds."""
    listed = [
        {"section": c.section, "start": round(c.start, 3), "end": round(c.end, 3), "text": c.text}
        for c in cues
    ]
    return json.dumps({"cues": listed}, ensure_ascii=False, indent=1) + "\n"


def write_subtitles(cues: Sequence[Cue], stem: Path | str) -> list[Path]:
    """Write ``<stem>.srt`` and ``<stem>.vtt``, each whole or not at all; returns their paths."""
    stem = Path(stem)
    written = []
    for suffix, text in ((".srt", srt(cues)), (".vtt", webvtt(cues))):
        path = stem.with_name(stem.name + suffix)
        with written_whole(path) as f:
            f.write(text.encode("utf-8"))
        written.append(path)
    return written
