"""The table of wrong implementations, graded for real: each its diagnosis and hint, in both languages."""

# The correct modules of the table and the correct functions of the samples must get no mistake diagnosis.

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import tomllib

from grader.diagnose import PLAIN_CODES, REFINES
from grader.grading import Grader
from grader.messages import CATALOGUE, LANGUAGES, SAY, words
from grader.report.text import check_text
from grader.results import SubmissionResult, TaskResult
from grader.sandbox.launcher import Zygote
from grader.sandbox.limits import Limits
from grader.submission import discover
from grader.workshop import load_bundled_rubrics

ROOT = Path(__file__).resolve().parent.parent
TABLE_DIR = ROOT / "tests" / "files" / "mistakes"
TABLE = tomllib.loads((TABLE_DIR / "table.toml").read_text(encoding="utf-8"))
MANIFEST = tomllib.loads((ROOT / "tests" / "files" / "submissions_manifest.toml").read_text(encoding="utf-8"))
CORRECT_SAMPLES = sorted(
    name for name, entry in MANIFEST.items() if "full" in entry.get("expect", {}).values()
)

Graded = dict[str, SubmissionResult]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Graded]:
    """Every module of the table, and the samples with correct functions (results are read in both
    languages: grading stores messages, not words)."""
    table = discover([TABLE_DIR])
    samples = [s for s in discover([ROOT / "submissions"]) if s.id in CORRECT_SAMPLES]
    zygote = Zygote()
    try:
        grader = Grader(
            load_bundled_rubrics(),
            zygote=zygote,
            secret="diagnosis-table",
            limits=Limits(),
            scratch_root=tmp_path_factory.mktemp("scratch"),
        )
        jobs = [*table, *samples]
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(grader.grade, jobs))
        yield {submission.id: result for submission, result in zip(jobs, results, strict=True)}
    finally:
        zygote.close()


def codes(task: TaskResult) -> set[str]:
    return {code for check in task.checks for code in check.diagnoses}


def mistakes(task: TaskResult) -> set[str]:
    return codes(task) - PLAIN_CODES


def tasks(result: SubmissionResult) -> dict[str, TaskResult]:
    assert result.status == "graded", result.error
    return {t.id: t for t in result.tasks if t.found_as is not None}


def hint_texts(code: str, lang: str) -> list[str]:
    """What a message may show for a code: its hint, or the fixed start of its detailed hint."""
    texts = [words(f"diag.{code}", lang)]
    if SAY.has(f"diag.{code}.detail"):
        texts.append(CATALOGUE[f"diag.{code}.detail"][lang].split("{", 1)[0])
    return texts


def said(task: TaskResult, lang: str) -> list[str]:
    return [check_text(c, lang) for c in task.checks]


def entry_id(entry: dict[str, Any]) -> str:
    return str(entry["file"]).removesuffix(".py")


@pytest.mark.slow
@pytest.mark.parametrize("entry", TABLE["mistake"], ids=entry_id)
def test_wrong_implementation_gets_its_diagnosis_and_hint(graded: Graded, entry: dict[str, Any]) -> None:
    expected = set(entry["expect"])
    found = tasks(graded[entry_id(entry)])
    task = found[entry["function"]]
    assert task.score < task.max_score
    assert mistakes(task) == expected, said(task, "en")
    hinted = expected - {REFINES[code] for code in expected if code in REFINES}
    for lang in LANGUAGES:
        text = "\n".join(said(task, lang))
        for code in hinted:
            assert any(hint in text for hint in hint_texts(code, lang)), (lang, code, text)
    for other, other_task in found.items():
        if other != entry["function"]:
            assert not mistakes(other_task), (other, said(other_task, "en"))
    if entry["convention"] == "rows":
        assert any("rows_as_instances" in codes(graded_task) for graded_task in found.values())
        assert any(SAY("note.rows_as_instances") in graded_task.notes for graded_task in found.values())


@pytest.mark.slow
@pytest.mark.parametrize("entry", TABLE["mistake"], ids=entry_id)
def test_failed_checks_say_function_and_case_and_hide_hidden_inputs(
    graded: Graded, entry: dict[str, Any]
) -> None:
    task = tasks(graded[entry_id(entry)])[entry["function"]]
    failed = [c for c in task.checks if c.status != "pass"]
    assert failed
    for lang in LANGUAGES:
        inputs_label = words("out.inputs", lang, inputs="").strip()
        hidden_case = words("case.hidden", lang, function=entry["function"], n=1).rsplit(" ", 1)[0]
        for check in failed:
            text = check_text(check, lang)
            assert f"{entry['function']}, " in text
            if check.visibility == "hidden":
                assert inputs_label not in text
                assert hidden_case in text


@pytest.mark.slow
@pytest.mark.parametrize("entry", TABLE["correct"], ids=entry_id)
def test_correct_module_is_full_and_undiagnosed(graded: Graded, entry: dict[str, Any]) -> None:
    for task in tasks(graded[entry_id(entry)]).values():
        assert task.score == task.max_score, (task.id, said(task, "en"))
        assert not mistakes(task), task.id


@pytest.mark.slow
@pytest.mark.parametrize("sample", CORRECT_SAMPLES)
def test_correct_functions_of_the_samples_get_no_mistake_diagnosis(graded: Graded, sample: str) -> None:
    expect = MANIFEST[sample]["expect"]
    for task in tasks(graded[sample]).values():
        if expect.get(task.id) == "full":
            assert not mistakes(task), (sample, task.id, mistakes(task))
