"""Tests for the text helpers the report formats share."""

from __future__ import annotations

import pytest

from grader.location import Location
from grader.messages import SAY, plain, verbatim, words
from grader.report.terminal import ERROR_LINE_LIMIT, ERRORS_NAMED, Style, batch_summary, submission_text
from grader.report.text import (
    check_lines,
    check_text,
    first_line,
    hint,
    message_text,
    number,
    percentage,
    points,
    printable,
    shorten,
    where,
)
from grader.results import CheckResult, SubmissionError, SubmissionResult, TaskResult


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
    assert hint("missing_mean", "en") == words("diag.missing_mean", "en")
    assert hint("missing_mean", "es") == words("diag.missing_mean", "es")
    assert hint("missing_mean", "es") != hint("missing_mean", "en")
    assert hint("no-such-code", "es") is None


def test_first_line() -> None:
    assert first_line("  uno\ndos") == "uno"
    assert first_line("x" * 300, limit=10) == "x" * 9 + "…"
    assert first_line("uno dos tres cuatro", limit=12) == "uno dos…"


def test_shorten_cuts_at_a_word_boundary() -> None:
    assert shorten("corto", 10) == "corto"
    assert shorten("tu función lanzó ValueError: no", 20) == "tu función lanzó…"
    assert len(shorten("tu función lanzó ValueError: no", 20)) <= 20
    # A cut would leave too little: the word is cut where it must be.
    assert shorten("a " + "b" * 30, 10) == "a " + "b" * 7 + "…"
    assert shorten("uno, dos, tres y cuatro", 11) == "uno, dos…"


def test_where_says_a_place_in_the_language_asked() -> None:
    cell, module = Location("taller.ipynb", 3, 2), Location("taller.py", None, 12)
    assert where(cell, "es") == "taller.ipynb, celda 3, línea 2"
    assert where(cell, "en") == "taller.ipynb, cell 3, line 2"
    assert (where(module, "es"), where(module, "en")) == ("taller.py, línea 12", "taller.py, line 12")
    # An older results.json holds the words of its run: they stay as they are.
    assert where("ana.ipynb, celda 3, línea 2", "en") == "ana.ipynb, celda 3, línea 2"


def test_message_text_renders_a_stored_message_and_keeps_words_as_they_are() -> None:
    message = SAY("submission.no_files")
    assert message_text(message, "es") == "La carpeta no contiene archivos .py ni .ipynb."
    assert message_text(message, "en") == "The folder holds no .py or .ipynb files."
    assert message_text(verbatim("Correcto en 2 de 3 casos."), "en") == "Correcto en 2 de 3 casos."
    assert message_text("ya escrito", "en") == "ya escrito"


def test_a_check_reads_summary_then_hints_then_the_failing_cases() -> None:
    label = SAY("case.public", function="costoGlobal", n=2, sizes="m=4")
    check = CheckResult(
        "values",
        "fail",
        0.5,
        1.0,
        "public",
        summary=SAY("summary.partial", passed=1, total=2),
        details=(SAY("out.non_finite", case=label, name="J"), plain("  [nan]")),
        hints=(SAY("diag.missing_negative_sign"),),
        diagnoses=("missing_negative_sign",),
    )
    assert check_lines(check, "es") == [
        "Correcto en 1 de 2 casos.",
        "→ " + words("diag.missing_negative_sign", "es"),
        "costoGlobal, caso público 2 (m=4): J contiene NaN o infinito.",
        "  [nan]",
    ]
    assert check_text(check, "en") == "\n".join(
        [
            "Correct on 1 of 2 cases.",
            "→ " + words("diag.missing_negative_sign", "en"),
            "costoGlobal, public case 2 (m=4): J contains NaN or infinity.",
            "  [nan]",
        ]
    )
    passed = CheckResult("values", "pass", 1.0, 1.0, "public", summary=SAY("summary.pass", total=1))
    assert check_text(passed, "es") == "Correcto en el único caso."


def _checked() -> SubmissionResult:
    label = SAY("case.public", function="costoGlobal", n=1, sizes="m=4")
    failed = CheckResult(
        "values",
        "fail",
        0.0,
        1.0,
        "public",
        summary=SAY("summary.partial", passed=0, total=1),
        details=(SAY("out.non_finite", case=label, name="J"),),
        hints=(SAY("diag.missing_negative_sign"),),
        diagnoses=("missing_negative_sign",),
    )
    passed = CheckResult("shape", "pass", 1.0, 1.0, "public", summary=SAY("summary.pass", total=1))
    task = TaskResult("xor", "costoGlobal", "costo", (passed, failed), notes=(SAY("note.rows_as_instances"),))
    return SubmissionResult(
        "ana", "ana.py", "graded", tasks=(task,), notes=(SAY("source.no_code_cells", file="b.ipynb"),)
    )


def test_a_checked_submission_reads_in_the_language_asked() -> None:
    text = submission_text(_checked(), lang="es", public_only=True)
    assert text.splitlines()[:2] == [
        "ana: 1/2",
        "Solo comprobaciones públicas: la nota final incluye casos ocultos que aquí no se ejecutaron.",
    ]
    assert "costoGlobal (encontrada como costo): 1/2" in text
    # A passed check is a line; a failed one says its summary, its hint, then its failing cases.
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index("✗ values  0/1")
    assert lines[start + 1 : start + 4] == [
        "Correcto en 0 de 1 caso.",
        "→ " + words("diag.missing_negative_sign", "es"),
        "costoGlobal, caso público 1 (m=4): J contiene NaN o infinito.",
    ]
    assert "Correcto en el único caso." not in text
    assert "nota: " + words("note.rows_as_instances", "es") in lines
    assert "nota: b.ipynb no tiene celdas de código." in lines
    english = submission_text(_checked(), lang="en")
    assert "Public checks only" not in english and "costoGlobal (found as costo): 1/2" in english
    assert "note: b.ipynb has no code cells." in english.splitlines()
    assert "\x1b[" not in english and "\x1b[" in submission_text(
        _checked(), lang="en", style=Style(colour=True)
    )


def test_the_batch_summary_counts_in_words_and_shortens_long_errors() -> None:
    long_reason = SAY("submission.internal_error", error="ValueError: " + "muy largo " * 40)
    broken = [
        SubmissionResult(
            f"roto{i}", f"roto{i}.py", "error", error=SubmissionError("internal_error", long_reason)
        )
        for i in range(7)
    ]
    one = batch_summary([_checked()], seconds=2.0, out_dir="salida", lang="es")
    assert one.splitlines()[0] == "Calificadas 1 de 1 entrega en 2.0 s (0.5/s); 0 sin calificar."
    assert one.splitlines()[-1] == "Informes en salida/"
    assert "Diagnósticos más frecuentes: missing_negative_sign (1)" in one
    many = batch_summary([_checked(), *broken], seconds=4.0, out_dir="out", lang="en", public_only=True)
    lines = many.splitlines()
    assert lines[0] == "Graded 1 of 8 submissions in 4.0 s (2.0/s); 7 could not be graded."
    assert lines[1] == "Public checks only: the final grade includes hidden cases that were not run here."
    errors = [line for line in lines if line.startswith("  ! ")]
    assert len(errors) == ERRORS_NAMED
    assert all(len(line) <= ERROR_LINE_LIMIT + 4 and line.endswith("…") for line in errors)
    assert errors[0].startswith("  ! roto0: internal_error: Internal grader error (ValueError: muy largo")
    assert "  … and 2 more not graded" in lines
    assert "Message(" not in many
