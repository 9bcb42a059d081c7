"""Words as the caption band shows them and as the voice says them: budgets, lines, numbers.

A caption is made of clauses, each a list of wordings from the richest to the most compact;
:func:`fit` keeps every required clause (at its most compact if need be), then makes each clause
as rich as the budget allows and adds optional clauses while they fit: at most
:data:`MAX_LINES` lines of :data:`LINE_CHARS` characters and :data:`WORD_BUDGET` words, short
enough to read while the picture moves (spoken at ~150 words a minute: about 7 s).

A word is a token with a letter or digit in it: "20 %" and "×2.6" are one word each, a lone
"·" or "—" none.

Examples::

    fit(Clause(("ReLU sets h₁ to 0 for 20 % of the points.", "ReLU zeroes h₁ for 20 %.")))
    share(0.4937)        # '49 %'
    spoken("h₁ ×2.6")    # 'h 1, 2.6 times'
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_LINES = 2  # lines in the caption band
LINE_CHARS = 60  # characters per line
WORD_BUDGET = 18  # words on screen in all: ~7 s spoken at ~150 words a minute
# Words said aloud: numbers take several ("4.5": "four point five"), so a caption may say more
# than it shows; at most 10 s at 150 words a minute.
SAID_BUDGET = 25

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_WORD = re.compile(r"[^\W_]", re.UNICODE)


def count_words(text: str) -> int:
    """Tokens of ``text`` (split at spaces) holding a letter or digit."""
    return sum(1 for token in text.split() if _WORD.search(token))


def wrap(text: str, width: int = LINE_CHARS) -> list[str]:
    """``text`` in the fewest lines of at most ``width`` characters (a longer word keeps a line
    of its own), broken where it reads best: lines of even length, preferring a break after a
    sentence (by up to :data:`SENTENCE_BREAK` characters) or a comma, colon or semicolon.
    A number keeps its unit and a formula stays whole: no line starts with '%', and a line
    never breaks beside an operator ('z₁ − z₀ = 0', '69.6 % → 100 %')."""
    words = unbreakable(text)
    for n_lines in range(1, len(words) + 1):
        best = _best_break(words, n_lines, width)
        if best is not None:
            return best
    return []


OPERATORS = frozenset("−+=→<>≤≥×")  # a token of these alone is part of a formula


def unbreakable(text: str) -> list[str]:
    """``text``'s words, a number kept with its '%' and a formula whole ('z₁ − z₀ = 0',
    '69.6 % → 100 %', "z = 0)"): the pieces a line may break between."""
    words: list[str] = []
    glue_next = False
    for token in text.split():
        if words and (glue_next or token.startswith("%") or token in OPERATORS):
            words[-1] += f" {token}"
        else:
            words.append(token)
        glue_next = token in OPERATORS
    return words


SENTENCE_BREAK = 16  # characters of unevenness a break after a full stop is worth
CLAUSE_BREAK = 6  # … after a comma, colon or semicolon


def _best_break(words: list[str], n_lines: int, width: int) -> list[str] | None:
    """The best break of ``words`` into ``n_lines`` lines of at most ``width``, or None."""
    best: tuple[float, list[str]] | None = None
    for cuts in itertools.combinations(range(1, len(words)), n_lines - 1):
        bounds = (0, *cuts, len(words))
        lines = [" ".join(words[a:b]) for a, b in itertools.pairwise(bounds)]
        if any(len(line) > width and " " in line for line in lines):
            continue
        bonus = sum(
            SENTENCE_BREAK if words[c - 1][-1] in ".!?" else CLAUSE_BREAK
            for c in cuts
            if words[c - 1][-1] in ".!?,:;"
        )
        cost = max(map(len, lines)) - bonus
        if best is None or cost < best[0]:
            best = (cost, lines)
    return None if best is None else best[1]


def said_words(text: str) -> int:
    """Words a voice says for ``text`` (:func:`spoken`), numbers as English says them: '179' is
    five ('one hundred and seventy nine'), '0.16' four ('zero point one six')."""
    total = 0
    for token in spoken(text).split():
        number_ = re.fullmatch(r"[−-]?(\d[\d,]*)(?:\.(\d+))?[.,;:]?", token)
        if number_ is None:
            total += 1 if _WORD.search(token) else 0
            continue
        whole, decimals = number_.groups()
        total += _number_words(int(whole.replace(",", "")))
        total += 1 + len(decimals) if decimals else 0
    return total


def _number_words(n: int) -> int:
    """Words in the English name of the whole number ``n`` ≥ 0."""
    if n <= 20:
        return 1
    if n < 100:
        return 1 if n % 10 == 0 else 2
    if n < 1000:
        rest = n % 100
        return 2 + (1 + _number_words(rest) if rest else 0)  # "one hundred and …"
    if n < 1_000_000:
        rest = n % 1000
        return _number_words(n // 1000) + 1 + (_number_words(rest) if rest else 0)
    return _number_words(n // 1_000_000) + 1 + _number_words(n % 1_000_000)


def fits(text: str) -> bool:
    """Whether ``text`` wraps into at most :data:`MAX_LINES`, is within the word budget on
    screen and says at most :data:`SAID_BUDGET` words aloud."""
    return (
        count_words(text) <= WORD_BUDGET
        and said_words(text) <= SAID_BUDGET
        and len(wrap(text)) <= MAX_LINES
    )


@dataclass(frozen=True)
class Clause:
    """One thing a caption says, worded from the richest to the most compact."""

    wordings: tuple[str, ...]
    required: bool = True  # said in its most compact wording if nothing richer fits


def fit(*clauses: Clause | None) -> tuple[str, ...]:
    """The caption's lines: each required clause, then as much more as the budget allows.

    Clauses keep their order in the text. Required ones start at their most compact wording;
    then each required clause in order, then each optional one, gets its richest wording that
    still fits (an optional clause is left out when none does).
    """
    given = [c for c in clauses if c is not None and c.wordings]
    chosen: list[int | None] = [len(c.wordings) - 1 if c.required else None for c in given]

    def text(choice: list[int | None]) -> str:
        return " ".join(c.wordings[i] for c, i in zip(given, choice) if i is not None)

    # Never fails: if even the compact required clauses overflow, the later ones give way (the
    # first clause stays, whatever its length). The tests hold every built-in video to the budget.
    for k in reversed(range(1, len(given))):
        if fits(text(chosen)):
            break
        chosen[k] = None
    # Required clauses grow first (what the caption must say, as well said as room allows),
    # then optional ones join in order while they fit.
    order = sorted(range(len(given)), key=lambda k: not given[k].required)
    for k in order:
        clause = given[k]
        current = chosen[k]
        for i in range(len(clause.wordings) if current is None else current):
            trial = chosen.copy()
            trial[k] = i
            if fits(text(trial)):
                chosen = trial
                break
    return tuple(wrap(text(chosen)))


def subscript(n: int) -> str:
    """``n`` in subscript digits: 12 → '₁₂'."""
    return str(n).translate(_SUBSCRIPTS)


def unit(i: int) -> str:
    """Hidden unit ``i`` (from 0) as the axes name it: 'h₁'."""
    return f"h{subscript(i + 1)}"


def share(fraction: float) -> str:
    """A share of points as a whole percentage, '49 %': never '0 %' for some points ('<1 %')
    nor '100 %' for not all ('>99 %')."""
    if not math.isfinite(fraction):
        return "n/a"
    percent = round(fraction * 100)
    if percent == 0 and fraction > 0:
        return "<1 %"
    if percent == 100 and fraction < 1:
        return ">99 %"
    return f"{percent} %"


def number(value: float) -> str:
    """A measure for the eye: two significant digits below 10, whole numbers above
    ('0.16', '2.6', '45', '1,200')."""
    if not math.isfinite(value):
        return "n/a"
    if abs(value) >= 10:
        return f"{round(value):,}"
    if value == 0:
        return "0"
    digits = max(0, 1 - math.floor(math.log10(abs(value))))
    return f"{value:.{digits}f}"


def count(n: int) -> str:
    """A count with thousands separated: '4,500'."""
    return f"{n:,}"


def listing(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


# What the voice says for what the eye reads. Order matters: ranges before their parts.
_SPOKEN: tuple[tuple[str, str], ...] = (
    (r"×(\d+(?:[.,]\d+)*)[–-](\d+(?:[.,]\d+)*)", r"\1 to \2 times"),
    (r"×(\d+(?:[.,]\d+)*)", r"\1 times"),
    (r"(\d)[–…](−?\d)", r"\1 to \2"),
    (r"…", " to "),
    (r"<1 %", "under 1 percent"),
    (r">99 %", "over 99 percent"),
    (r" ?%", " percent"),
    (r"(\d)\s?°", r"\1 degrees"),
    (r"±", "plus or minus "),
    (r"−(?=\d)", "minus "),
    (r"(\d)→(\d)", r"\1 to \2"),
    (r"→", " to "),
    (r"(\d)-D\b", r"\1 D"),
    (r" = ", " equals "),
    (r" · ", ", "),
    (r" — ", ", "),
)


def spoken(text: str) -> str:
    """``text`` as a speech engine should read it: 'h₁' → 'h 1', '20 %' → '20 percent',
    '×2.6' → '2.6 times', '40°' → '40 degrees', '3→2' → '3 to 2', '−1' → 'minus 1'."""
    said = re.sub(
        r"([A-Za-z])([₀-₉]+)",
        lambda m: f"{m.group(1)} {m.group(2).translate(str.maketrans('₀₁₂₃₄₅₆₇₈₉', '0123456789'))}",
        text,
    )
    for pattern, replacement in _SPOKEN:
        said = re.sub(pattern, replacement, said)
    return re.sub(r"\s+", " ", said).strip()
