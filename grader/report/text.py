"""Text helpers every report format shares: numbers, clean student text, diagnosis hints."""

from __future__ import annotations

import re
from functools import cache

from grader.location import Location
from grader.messages import SAY, Message, render
from grader.results import CheckResult, TaskLocation

# Terminal colour codes (ANSI CSI sequences) and the other C0 controls that HTML and XML cannot carry.
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Lone surrogates (from bytes decoded with surrogateescape) cannot be encoded as UTF-8; U+FFFE/U+FFFF
# are not characters at all. XML 1.0 refuses all of them.
_NOT_CHARACTERS = re.compile("[\ud800-\udfff\ufffe\uffff]")


def number(value: float, *, decimals: int = 2) -> str:
    """A score as people write it: ``3``, ``2.5``, ``0.33`` (never ``-0``, never an exponent)."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:.0f}"
    return "0" if text == "-0" else text


def points(score: float, max_score: float) -> str:
    return f"{number(score)} / {number(max_score)}"


def percentage(score: float, max_score: float) -> float | None:
    """Score as a percentage of the maximum, or ``None`` when there was nothing to score."""
    return 100 * score / max_score if max_score > 0 else None


def printable(text: str) -> str:
    """Student text made safe to embed anywhere: no colour codes, controls or unencodable code points."""
    text = _ANSI_ESCAPE.sub("", text)
    return _NOT_CHARACTERS.sub("\N{REPLACEMENT CHARACTER}", _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text))


def where(location: TaskLocation, lang: str) -> str:
    """A place in the student's code in words, in ``lang``: "taller.ipynb, celda 3, línea 2",
    "taller.py, line 12". Words an older ``results.json`` holds are given back as they are."""
    if not isinstance(location, Location):
        return location
    return render(location, lang)


def hint(code: str, lang: str) -> str | None:
    """The catalogue's explanation of a diagnosis code in ``lang``, if the catalogue has one."""
    return _hint(code, lang)


@cache
def _hint(code: str, lang: str) -> str | None:
    key = f"diag.{code}"
    return render(SAY(key), lang) if SAY.has(key) else None


def diagnoses(checks: tuple[CheckResult, ...]) -> tuple[str, ...]:
    """The distinct diagnosis codes of some checks, in the order they first appear."""
    return tuple(dict.fromkeys(code for check in checks for code in check.diagnoses))


def first_line(text: str, *, limit: int = 200) -> str:
    """The first line of a text, shortened to ``limit`` characters for one-line summaries."""
    return shorten(text.strip().split("\n", 1)[0], limit)


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut at a word boundary with an ellipsis (a single word
    longer than the limit is cut where it must be)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def message_text(message: Message | str, lang: str) -> str:
    """The words of a stored message (a check's message, a note, a submission error) in ``lang``."""
    return message if isinstance(message, str) else render(message, lang)


def check_lines(check: CheckResult, lang: str) -> list[str]:
    """What a check says, line by line in reading order: the summary, the hints (marked with an arrow),
    then the failing cases' details."""
    return [
        render(check.summary, lang),
        *(f"→ {render(hint, lang)}" for hint in check.hints),
        *(render(detail, lang) for detail in check.details),
    ]


def check_text(check: CheckResult, lang: str) -> str:
    return "\n".join(check_lines(check, lang))
