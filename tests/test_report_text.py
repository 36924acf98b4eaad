"""Tests for the text helpers the report formats share."""

from __future__ import annotations

import pytest

from grader.messages import Translator
from grader.report.text import first_line, hint, number, percentage, points, printable


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3.0, "3"),
        (2.5, "2.5"),
        (1 / 3, "0.33"),
        (0.0, "0"),
        (-0.0001, "0"),
        (100.0, "100"),
        (1e-7, "0"),
        (1e20, "100000000000000000000"),
    ],
)
def test_number(value: float, text: str) -> None:
    assert number(value) == text


def test_points_and_percentage() -> None:
    assert points(2.5, 5) == "2.5 / 5"
    assert percentage(1, 4) == 25
    assert percentage(0, 0) is None


def test_printable_removes_what_html_and_xml_cannot_carry() -> None:
    assert printable("\x1b[1;31mrojo\x1b[0m\tok\n") == "rojo\tok\n"
    assert printable("a\x00b\x7fc") == "a\N{REPLACEMENT CHARACTER}b\N{REPLACEMENT CHARACTER}c"
    # A lone surrogate (bytes decoded with surrogateescape) would make UTF-8 encoding fail.
    assert printable("x\udcff").encode("utf-8") == "x\N{REPLACEMENT CHARACTER}".encode()
    assert printable("ñandú ∇J <b>") == "ñandú ∇J <b>"


def test_hint_comes_from_the_catalogue_in_the_language_asked() -> None:
    assert hint("missing_mean", "en") == Translator("en")("diag.missing_mean")
    assert hint("missing_mean", "es") == Translator("es")("diag.missing_mean")
    assert hint("no-such-code", "es") is None


def test_first_line() -> None:
    assert first_line("  uno\ndos") == "uno"
    assert first_line("x" * 300, limit=10) == "x" * 9 + "…"
