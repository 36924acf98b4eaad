"""Manual adjustments (grader/overrides.py): the overrides file validated whole at load, applied to the
results on re-render, and counted by totals, gradebooks, pages and results.json."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from lms_class import make_class, results_by_id, run_grader

from grader.messages import SAY
from grader.overrides import OverridesError, apply_overrides, check_students, load_overrides
from grader.results import (
    CheckResult,
    RunInfo,
    SubmissionError,
    SubmissionResult,
    TaskResult,
    results_document,
    schema_path,
)

ENTRY = '[[adjust]]\nstudent = "ana"\nfunction = "backProp"\npoints = 4\nby = "Prof. Ruiz"\nreason = "oral"\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ajustes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def task(rubric: str, name: str, score: float, maximum: float) -> TaskResult:
    check = CheckResult("values", "fail", score, maximum, "public", SAY("summary.partial", passed=0, total=1))
    return TaskResult(rubric, name, name, (check,))


def results() -> list[SubmissionResult]:
    return [
        SubmissionResult(
            "ana", "ana.py", "graded", tasks=(task("xor", "feedForward", 3, 3), task("xor", "backProp", 1, 5))
        ),
        SubmissionResult(
            "luis",
            "luis.py",
            "graded",
            tasks=(task("xor", "feedForward", 0, 3), task("xor", "backProp", 0, 5)),
        ),
        SubmissionResult(
            "roto", "roto.ipynb", "error", error=SubmissionError("empty_file", SAY("source.empty_file"))
        ),
        SubmissionResult(
            "doble",
            "doble.py",
            "graded",
            tasks=(task("xor", "feedForward", 3, 3), task("linreg", "normalizar", 1, 3)),
        ),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            ENTRY.replace("points = 4", 'points = "4"'),
            r"ajustes\.toml:4: adjust\[0\]\.points: expected a number, got '4'",
        ),
        (ENTRY.replace("points = 4", "points = -1"), r":4: adjust\[0\]\.points: must not be negative"),
        (ENTRY.replace("points = 4", "points = nan"), r"adjust\[0\]\.points: must be a finite number"),
        (
            ENTRY.replace('by = "Prof. Ruiz"\n', ""),
            r"ajustes\.toml:1: adjust\[0\]\.by: missing \(expected a string\)",
        ),
        (ENTRY.replace('by = "Prof. Ruiz"', 'by = "  "'), r"adjust\[0\]\.by: must not be empty"),
        (ENTRY + "puntos = 3\n", r":7: adjust\[0\]\.puntos: unknown key"),
        (
            ENTRY + ENTRY.replace('"ana"', '"luis"').replace("points = 4", "point = 4"),
            r":7: adjust\[1\]\.points: missing \(expected a number\)",
        ),
        (ENTRY + ENTRY.replace('"ana"', '"luis"') + "nota = 1\n", r":13: adjust\[1\]\.nota: unknown key"),
        (
            ENTRY + ENTRY,
            r":8: adjust\[1\]\.student: 'ana' is adjusted twice for the same function "
            r"\(first at adjust\[0\]\)",
        ),
        ('[ajuste]\nstudent = "ana"\n', r"ajustes\.toml:1: ajuste: unknown key"),
        ("[[adjust]\n", r"not valid TOML"),
        ('adjust = "ana"\n', r"adjust: expected a list"),
    ],
)
def test_every_mistake_is_found_at_load_naming_line_and_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(OverridesError, match=message):
        load_overrides(write(tmp_path, text))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            ENTRY.replace('"ana"', '"anna"'),
            r":2: adjust\[0\]\.student: no submission 'anna' in this run; did you mean 'ana'\?",
        ),
        (
            ENTRY.replace('"backProp"', '"backprop"'),
            r"adjust\[0\]\.function: 'backprop' is not one of the functions graded \(feedForward, backProp\)",
        ),
        (
            ENTRY.replace("points = 4", "points = 6"),
            r"adjust\[0\]\.points: must be at most 5 \(the maximum of backProp\), got 6",
        ),
        (ENTRY.replace('"ana"', '"roto"'), r"adjust\[0\]\.student: 'roto' was not graded \(empty_file\)"),
        (
            ENTRY.replace('function = "backProp"\n', "").replace('"ana"', '"doble"'),
            r"'doble' was graded on xor, linreg: name the rubric",
        ),
        (
            ENTRY + ENTRY.replace('function = "backProp"\n', ""),
            r"adjust\[0\]\.function: 'ana' also has an adjusted total for rubric 'xor'",
        ),
    ],
)
def test_what_does_not_fit_the_results_is_an_error_naming_the_key(
    tmp_path: Path, text: str, message: str
) -> None:
    overrides = load_overrides(write(tmp_path, text))
    with pytest.raises(OverridesError, match=message):
        apply_overrides(overrides, results())


def test_before_grading_an_unknown_student_stops_the_run(tmp_path: Path) -> None:
    overrides = load_overrides(write(tmp_path, ENTRY.replace('"ana"', '"ana_gomez"')))
    check_students(overrides, {"ana_gomez", "luis"})
    with pytest.raises(OverridesError, match=r"no submission 'ana_gomez' in this run"):
        check_students(overrides, {"ana", "luis"})


def test_adjusted_points_count_in_totals_and_the_grader_s_own_stay(tmp_path: Path) -> None:
    text = ENTRY + (
        '\n[[adjust]]\nstudent = "luis"\npoints = 7.5\nby = "Prof. Ruiz"\nreason = "oral exam"\n'
        'comment = "Defendiste bien tu código en la entrevista."\n'
        '\n[[adjust]]\nstudent = "doble"\nrubric = "linreg"\nfunction = "normalizar"\npoints = 3\n'
        'by = "Prof. Ruiz"\nreason = "population std accepted"\n'
    )
    adjusted = {r.id: r for r in apply_overrides(load_overrides(write(tmp_path, text)), results())}
    ana, luis, doble = adjusted["ana"], adjusted["luis"], adjusted["doble"]
    assert (ana.graded_score, ana.score) == (4, 7)
    assert [ana.task_score(t) for t in ana.tasks] == [3, 4]
    assert (luis.graded_score, luis.score, luis.rubric_score("xor")) == (0, 7.5, 7.5)
    assert luis.adjustments[0].comment == "Defendiste bien tu código en la entrevista."
    assert (doble.rubric_score("xor"), doble.rubric_score("linreg"), doble.score) == (3, 3, 6)
    assert adjusted["roto"].adjustments == ()
    # The file is the whole list: applied again without an entry, that adjustment is gone.
    again = apply_overrides(load_overrides(write(tmp_path, ENTRY)), list(adjusted.values()))
    assert {r.id: r.score for r in again} == {"ana": 7, "luis": 0, "roto": 0, "doble": 4}


def test_results_json_records_the_adjustments_and_reads_them_back(tmp_path: Path) -> None:
    adjusted = apply_overrides(load_overrides(write(tmp_path, ENTRY)), results())
    document = results_document(RunInfo("0.1.0", ("xor",), hidden_cases=True), adjusted)
    jsonschema.validate(document, json.loads(schema_path().read_text(encoding="utf-8")))
    (ana,) = [s for s in document["submissions"] if s["id"] == "ana"]
    assert ana["score"] == 7 and ana["graded_score"] == 4
    assert ana["adjustments"] == [
        {
            "rubric": "xor",
            "task": "backProp",
            "original": 1,
            "points": 4,
            "by": "Prof. Ruiz",
            "reason": "oral",
            "comment": "",
        }
    ]
    assert "adjustments" not in next(s for s in document["submissions"] if s["id"] == "luis")
    back = SubmissionResult.from_json(ana)
    assert back.adjustments == adjusted[0].adjustments and back.score == 7


@pytest.mark.slow
def test_report_applies_the_overrides_without_grading_again(
    graded_class: Path, grader_command: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(graded_class, out)
    before = results_by_id(out)
    sofia = before["sofia.martinez"]
    (feed,) = [t for t in sofia["tasks"] if t["id"] == "feedForward"]
    overrides = write(
        tmp_path,
        '[[adjust]]\nstudent = "sofia.martinez"\nfunction = "feedForward"\npoints = 3\nby = "Prof. Ruiz"\n'
        'reason = "salidas en otro orden, aceptado"\n'
        'comment = "Tu feedForward devuelve las salidas en otro orden: lo acepto."\n',
    )
    done = run_grader(grader_command, "report", str(out / "results.json"), "--overrides", str(overrides))
    assert done.returncode == 0, done.stderr
    after = results_by_id(out)
    adjusted = after["sofia.martinez"]
    assert adjusted["score"] == pytest.approx(sofia["score"] - feed["score"] + 3)
    assert adjusted["graded_score"] == sofia["score"]
    assert adjusted["adjustments"][0]["original"] == feed["score"]
    # Not graded again: every check is as it was.
    assert adjusted["tasks"] == sofia["tasks"]
    grades = {
        row["id"]: row
        for row in csv.DictReader(io.StringIO((out / "grades.csv").read_text(encoding="utf-8-sig")))
    }
    assert float(grades["sofia.martinez"]["total"]) == adjusted["score"]
    assert float(grades["sofia.martinez"]["xor.feedForward"]) == 3
    page = next(p for p in (out / "students").glob("sofia-martinez-*.html")).read_text(encoding="utf-8")
    assert "Ajustes manuales" in page and "lo acepto." in page and "Ajustado por Prof. Ruiz." in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "ajustada a mano" in index and "salidas en otro orden, aceptado" in index
    # Without the entry, re-rendering with the file removes the adjustment.
    overrides.write_text("", encoding="utf-8")
    done = run_grader(grader_command, "report", str(out / "results.json"), "--overrides", str(overrides))
    assert done.returncode == 0, done.stderr
    assert results_by_id(out)["sofia.martinez"]["score"] == sofia["score"]
    assert "adjustments" not in results_by_id(out)["sofia.martinez"]


@pytest.mark.slow
def test_grade_checks_the_overrides_before_grading(grader_command: list[str], tmp_path: Path) -> None:
    folder = make_class(tmp_path / "entregas")
    overrides = write(tmp_path, ENTRY.replace('"ana"', '"ana_gomez"'))
    out = tmp_path / "out"
    done = run_grader(grader_command, "grade", str(folder), "--out", str(out), "--overrides", str(overrides))
    assert done.returncode == 2
    assert (
        "ajustes.toml:2: adjust[0].student: no submission 'ana_gomez' in this run; did you mean 'ana.gomez'?"
        in done.stderr
    )
    assert not (out / "results.json").exists()


def test_an_adjusted_result_validates_against_the_schema_with_a_total(tmp_path: Path) -> None:
    text = '[[adjust]]\nstudent = "luis"\npoints = 0.5\nby = "P"\nreason = "r"\n'
    adjusted: Any = apply_overrides(load_overrides(write(tmp_path, text)), results())
    document = results_document(RunInfo("0.1.0", ("xor",), hidden_cases=True), adjusted)
    jsonschema.validate(document, json.loads(schema_path().read_text(encoding="utf-8")))
