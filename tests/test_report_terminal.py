"""What the command line prints: colour only where it is wanted, the run's language, whole words."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.messages import SAY, verbatim
from grader.report.terminal import PLAIN, Style, batch_summary, submission_text, terminal_style
from grader.report.text import shorten
from grader.results import CheckResult, SubmissionError, SubmissionResult, TaskResult

ROOT = Path(__file__).resolve().parents[1]
ANSI = "\x1b["


def result() -> SubmissionResult:
    failing = CheckResult(
        "values",
        "fail",
        1.0,
        2.0,
        "public",
        summary=SAY("summary.partial", passed=1, total=2),
        details=(verbatim("costoGlobal, caso público 2 (m=4): el costo difiere"),),
        hints=(SAY("diag.wrong_cost_scale"),),
        diagnoses=("wrong_cost_scale",),
    )
    passing = CheckResult("shapes", "pass", 1.0, 1.0, "public", summary=SAY("summary.pass", total=1))
    task = TaskResult("xor", "costoGlobal", "costoGlobal", (passing, failing))
    return SubmissionResult("ana", "ana.ipynb", "graded", tasks=(task,), notes=(SAY("note.full_notebook"),))


@pytest.mark.parametrize(
    ("tty", "environ", "colour"),
    [
        (True, {}, True),
        (False, {}, False),
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": ""}, True),  # an empty NO_COLOR does not count (no-color.org)
        (True, {"CI": "true"}, False),
        (True, {"TERM": "dumb"}, False),
        (False, {"FORCE_COLOR": "1"}, True),
        (True, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ],
)
def test_colour_is_used_only_where_it_is_wanted(tty: bool, environ: dict[str, str], colour: bool) -> None:
    assert terminal_style(tty, environ) == Style(colour=colour)


def test_a_checked_submission_reads_in_order_with_hints_before_the_cases() -> None:
    text = submission_text(result(), lang="es")
    lines = text.splitlines()
    summary = lines.index("      Correcto en 1 de 2 casos.")
    hint = next(i for i, line in enumerate(lines) if line.strip().startswith("→"))
    detail = next(i for i, line in enumerate(lines) if "el costo difiere" in line)
    note = next(i for i, line in enumerate(lines) if line.startswith("nota:"))
    assert summary < hint < detail < note
    assert ANSI not in text
    assert "✓ shapes" in text and "✗ values" in text


def test_colour_marks_verdicts_and_hints_and_nothing_else_changes() -> None:
    plain = submission_text(result(), lang="en", style=PLAIN)
    coloured = submission_text(result(), lang="en", style=Style(colour=True))
    assert ANSI not in plain and ANSI in coloured
    assert "\x1b[31m✗\x1b[0m" in coloured and "\x1b[32m✓\x1b[0m" in coloured
    stripped = coloured
    for code in ("\x1b[0m", "\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[36m"):
        stripped = stripped.replace(code, "")
    assert stripped == plain


def test_the_batch_summary_speaks_the_run_language_and_cuts_at_words() -> None:
    long_message = "una explicación " * 40
    broken = SubmissionResult(
        "roto", "roto.ipynb", "error", error=SubmissionError("not_json", verbatim(long_message))
    )
    for lang, graded in (("es", "Calificadas 1 de 2 entregas"), ("en", "Graded 1 of 2 submissions")):
        text = batch_summary([result(), broken], seconds=2.0, out_dir="reports", lang=lang)
        assert text.startswith(graded)
        (error_line,) = [line for line in text.splitlines() if "roto" in line]
        assert error_line.endswith(("una…", "explicación…")) and len(error_line) <= 2 + 160
    one = batch_summary([result()], seconds=1.0, out_dir="reports", lang="es")
    assert one.startswith("Calificadas 1 de 1 entrega ")


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("at line 76, column 12 of the file", 18, "at line 76…"),
        ("unbreakablewordthatgoesonandon", 10, "unbreakab…"),
    ],
)
def test_shortening_keeps_whole_words(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


def test_grader_check_colours_only_when_forced(tmp_path: Path) -> None:
    sample = sorted((ROOT / "submissions").glob("*.ipynb"))[0]
    command = [str(Path(sys.executable).parent / "grader"), "check", str(sample)]
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CI")}
    piped = subprocess.run(command, cwd=tmp_path, env=base, capture_output=True, text=True, check=False)
    forced = subprocess.run(
        command, cwd=tmp_path, env={**base, "FORCE_COLOR": "1"}, capture_output=True, text=True, check=False
    )
    assert piped.stdout and ANSI not in piped.stdout
    assert ANSI in forced.stdout
    assert "Solo comprobaciones públicas" in piped.stdout
