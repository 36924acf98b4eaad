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
from grader.messages import CATALOGUE, LANGUAGES, Translator
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

Graded = dict[str, dict[str, SubmissionResult]]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Graded]:
    """Every module of the table in both languages, and the samples with correct functions in Spanish."""
    table = discover([TABLE_DIR])
    samples = [s for s in discover([ROOT / "submissions"]) if s.id in CORRECT_SAMPLES]
    zygote = Zygote()
    try:
        graders = {
            lang: Grader(
                load_bundled_rubrics(),
                zygote=zygote,
                secret="diagnosis-table",
                limits=Limits(),
                scratch_root=tmp_path_factory.mktemp(f"scratch-{lang}"),
                lang=lang,
            )
            for lang in LANGUAGES
        }
        jobs = [(lang, s) for lang in LANGUAGES for s in table] + [("es", s) for s in samples]
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda job: graders[job[0]].grade(job[1]), jobs))
        found: Graded = {lang: {} for lang in LANGUAGES}
        for (lang, submission), result in zip(jobs, results, strict=True):
            found[lang][submission.id] = result
        yield found
    finally:
        zygote.close()


def codes(task: TaskResult) -> set[str]:
    return {code for check in task.checks for code in check.diagnoses}


def mistakes(task: TaskResult) -> set[str]:
    return codes(task) - PLAIN_CODES


def tasks(result: SubmissionResult) -> dict[str, TaskResult]:
    assert result.status == "graded", result.error
    return {t.id: t for t in result.tasks if t.found_as is not None}


def hint_texts(code: str, t: Translator) -> list[str]:
    """What a message may show for a code: its hint, or the fixed start of its detailed hint."""
    texts = [t(f"diag.{code}")]
    if t.has(f"diag.{code}.detail"):
        texts.append(CATALOGUE[f"diag.{code}.detail"][t.lang].split("{", 1)[0])
    return texts


def entry_id(entry: dict[str, Any]) -> str:
    return str(entry["file"]).removesuffix(".py")


@pytest.mark.slow
@pytest.mark.parametrize("entry", TABLE["mistake"], ids=entry_id)
def test_wrong_implementation_gets_its_diagnosis_and_hint(graded: Graded, entry: dict[str, Any]) -> None:
    expected = set(entry["expect"])
    for lang in LANGUAGES:
        t = Translator(lang)
        result = graded[lang][entry_id(entry)]
        found = tasks(result)
        task = found[entry["function"]]
        assert task.score < task.max_score
        assert mistakes(task) == expected, (lang, [c.message for c in task.checks])
        text = "\n".join(c.message for c in task.checks)
        hinted = expected - {REFINES[code] for code in expected if code in REFINES}
        for code in hinted:
            assert any(hint in text for hint in hint_texts(code, t)), (lang, code, text)
        for other, other_task in found.items():
            if other != entry["function"]:
                assert not mistakes(other_task), (other, [c.message for c in other_task.checks])
        if entry["convention"] == "rows":
            assert any("rows_as_instances" in codes(graded_task) for graded_task in found.values())
            assert any(t("note.rows_as_instances") in note for task in found.values() for note in task.notes)


@pytest.mark.slow
@pytest.mark.parametrize("entry", TABLE["mistake"], ids=entry_id)
def test_failed_checks_say_function_and_case_and_hide_hidden_inputs(
    graded: Graded, entry: dict[str, Any]
) -> None:
    for lang in LANGUAGES:
        t = Translator(lang)
        inputs_label = t("out.inputs", inputs="").strip()
        task = tasks(graded[lang][entry_id(entry)])[entry["function"]]
        failed = [c for c in task.checks if c.status != "pass"]
        assert failed
        for check in failed:
            assert f"{entry['function']}, " in check.message
            if check.visibility == "hidden":
                assert inputs_label not in check.message
                assert t("case.hidden", function=entry["function"], n=1).rsplit(" ", 1)[0] in check.message


@pytest.mark.slow
@pytest.mark.parametrize("entry", TABLE["correct"], ids=entry_id)
def test_correct_module_is_full_and_undiagnosed(graded: Graded, entry: dict[str, Any]) -> None:
    for lang in LANGUAGES:
        for task in tasks(graded[lang][entry_id(entry)]).values():
            assert task.score == task.max_score, (task.id, [c.message for c in task.checks])
            assert not mistakes(task), task.id


@pytest.mark.slow
@pytest.mark.parametrize("sample", CORRECT_SAMPLES)
def test_correct_functions_of_the_samples_get_no_mistake_diagnosis(graded: Graded, sample: str) -> None:
    expect = MANIFEST[sample]["expect"]
    for task in tasks(graded["es"][sample]).values():
        if expect.get(task.id) == "full":
            assert not mistakes(task), (sample, task.id, mistakes(task))
