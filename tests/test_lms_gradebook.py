"""Filling the LMS's own roster file (grader/roster.py, grader/lms_csv.py) and reading it back as the LMS
does.

Fixtures (tests/files/lms/, see its README.md) follow the LMS exporters' code: Moodle's grading worksheet
(mod/assign/gradingtable.php in download mode, written by dataformat/csv) and Canvas's gradebook export
(lib/gradebook_exporter.rb). The checks below read the filled files the way the importers do: Moodle's
mod/assign/feedback/offline/importgradeslib.php (columns found by their names "Identifier", "Grade",
"Last modified (grade)" and "Feedback comments"; the participant is the number after "Participant ";
a grade above the maximum is skipped) and Canvas's lib/gradebook_importer.rb (header row starting
"Student" and "ID", student columns ending at "Section", a "Points Possible" row, assignments by title
"Name (id)", ";" recognised as the separator).
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lms_class import (
    CANVAS_EXPORT,
    CANVAS_EXPORT_SEMICOLON,
    MOODLE_WORKSHEET,
    SAMPLES,
    make_class,
    results_by_id,
    run_grader,
)

from grader.lms_csv import LmsFileError, read_csv_file
from grader.messages import SAY
from grader.results import CheckResult, SubmissionResult, TaskResult
from grader.roster import RosterError, fill_roster, fill_roster_file, filled_names, read_roster

RUN = {"grader_version": "0.1.0", "rubrics": ["xor"], "hidden_cases": True, "lang": "es"}


@pytest.fixture(scope="module")
def graded(grader_command: list[str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The class graded once, with the Moodle worksheet filled by ``grader grade --roster``."""
    base = tmp_path_factory.mktemp("lms")
    folder = make_class(base / "entregas")
    out = base / "out"
    done = run_grader(
        grader_command, "grade", str(folder), "--out", str(out), "--roster", str(MOODLE_WORKSHEET)
    )
    assert done.returncode == 0, done.stderr
    return {"out": out, "stderr": done.stderr, "results": results_by_id(out)}


def moodle_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    """The worksheet as Moodle's csv_import_reader reads it: UTF-8, the byte-order mark dropped, ","."""
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return table[0], table[1:]


def expected_grade(result: dict[str, Any], maximum: float) -> float:
    return round(result["score"] / result["max_score"] * maximum, 2)


@pytest.mark.slow
def test_the_moodle_worksheet_is_filled_as_its_upload_reads_it(graded: dict[str, Any]) -> None:
    original = MOODLE_WORKSHEET.read_bytes()
    filled = (graded["out"] / "moodle_grading_worksheet-graded.csv").read_bytes()
    # Same encoding, byte-order mark, header line and line ends: the upload finds its columns by name.
    assert filled.startswith(b"\xef\xbb\xbf")
    assert filled.splitlines(keepends=True)[0] == original.splitlines(keepends=True)[0]
    header, rows = moodle_rows(filled)
    _, before = moodle_rows(original)
    identifier, grade = header.index("Identifier"), header.index("Grade")
    maximum, feedback = header.index("Maximum Grade"), header.index("Feedback comments")
    assert "Last modified (grade)" in header
    by_participant = {row[identifier].removeprefix("Participant "): row for row in rows}
    results = graded["results"]
    assert float(by_participant["3001"][grade]) == expected_grade(results["ana.gomez"], 10) == 10
    assert float(by_participant["3002"][grade]) == expected_grade(results["sofia.martinez"], 10) < 10
    assert float(by_participant["3003"][grade]) == expected_grade(results["mjperez"], 10) < 10
    for row in rows:
        if row[grade]:
            assert 0 <= float(row[grade]) <= float(row[maximum]), "Moodle skips a grade above the maximum"
    # One grade column: the assignment's total, never the functions.
    assert len(header) == len(before[0]) == 10
    # A student without a submission keeps an empty grade; a notebook that could not be graded too, with
    # the reason in the comment the student reads.
    assert by_participant["3004"] == before[3]
    assert by_participant["3005"][grade] == ""
    assert "truncated_notebook" in by_participant["3005"][feedback]
    assert by_participant["3001"][feedback].startswith(
        "Puntos: 15 de 15 (100 %). Por función: feedForward 3/3"
    )
    # Only Grade and Feedback comments changed; every other cell is as Moodle wrote it.
    for row, old in zip(rows, before, strict=True):
        assert [c for i, c in enumerate(row) if i not in (grade, feedback)] == [
            c for i, c in enumerate(old) if i not in (grade, feedback)
        ]
    # The untouched row is byte for byte the one Moodle wrote.
    assert original.splitlines()[4] == filled.splitlines()[4]


@pytest.mark.slow
def test_students_missing_or_unmatched_are_listed_never_dropped(graded: dict[str, Any]) -> None:
    report = (graded["out"] / "moodle_grading_worksheet-graded.txt").read_text(encoding="utf-8")
    for text in (report, graded["stderr"]):
        assert "Sin entrega, sin nota (1): Lucía Núñez (Participant 3004)" in text
        assert "no se descartan, revísalas: copia_vieja" in text
        assert "la entrega ricardo.flores no se pudo calificar (truncated_notebook)" in text
        # "Grade can be changed: No": Moodle will skip that row, and the instructor is told.
        assert "María José Pérez (Participant 3003): Moodle no permite cambiar esta nota" in text
    # The stray copy is still graded and in every report: only the roster has no row for it.
    assert graded["results"]["copia_vieja"]["status"] == "graded"


@pytest.mark.slow
def test_the_canvas_export_gets_one_assignment_column_filled(
    graded: dict[str, Any], grader_command: list[str], tmp_path: Path
) -> None:
    target = tmp_path / "canvas-import.csv"
    done = run_grader(
        grader_command,
        "roster",
        str(graded["out"] / "results.json"),
        str(CANVAS_EXPORT),
        "--assignment",
        "Taller XOR",
        "--out",
        str(target),
        "--lang",
        "en",
    )
    assert done.returncode == 0, done.stderr
    original, filled = CANVAS_EXPORT.read_bytes(), target.read_bytes()
    before = list(csv.reader(io.StringIO(original.decode("utf-8"), newline="")))
    after = list(csv.reader(io.StringIO(filled.decode("utf-8"), newline="")))
    header = after[0]
    assert "Student" in header[0] and "ID" in header[1] and header[4] == "Section"
    column = header.index("Taller XOR (1234)")
    # The header and the Points Possible row, byte for byte; one column changed, nothing else.
    assert filled.splitlines()[:2] == original.splitlines()[:2]
    changed = {
        (r, c)
        for r, (new, old) in enumerate(zip(after, before, strict=True))
        for c in range(len(new))
        if new[c] != old[c]
    }
    assert {c for _, c in changed} == {column}
    by_id = {row[1]: row for row in after[2:]}
    results = graded["results"]
    assert float(by_id["4242"][column]) == expected_grade(results["ana.gomez"], 10)
    assert float(by_id["4244"][column]) == expected_grade(results["mjperez"], 10)
    assert by_id["4245"][column] == "" and by_id["4299"][column] == ""
    assert "No submission, left without a grade (2): Núñez, Lucía (4245); Student, Test (4299)" in done.stderr
    assert "check them: copia_vieja, ricardo.flores" in done.stderr
    assert (tmp_path / "canvas-import.txt").read_text(encoding="utf-8").count("\n") >= 4


def test_a_semicolon_export_keeps_its_separator_mark_and_decimal_commas() -> None:
    results = [graded_result("ana.gomez", 15), graded_result("mjperez", 11)]
    fill = fill_roster_file(
        CANVAS_EXPORT_SEMICOLON.read_bytes(),
        results,
        name="canvas.csv",
        run=RUN,
        lang="es",
        assignment="1234",
    )
    assert fill.data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(fill.data.decode("utf-8-sig"), newline=""), delimiter=";"))
    column = table[0].index("Taller XOR (1234)")
    assert table[1][column] == "10,00"
    assert {row[1]: row[column] for row in table[2:]}["4244"] == "7,33"
    assert {row[1]: row[column] for row in table[2:]}["4242"] == "10"


@pytest.mark.parametrize("fixture", [MOODLE_WORKSHEET, CANVAS_EXPORT, CANVAS_EXPORT_SEMICOLON])
def test_a_file_read_and_written_unchanged_is_byte_for_byte_the_same(fixture: Path) -> None:
    data = fixture.read_bytes()
    assert read_csv_file(data, name=fixture.name).to_bytes() == data
    assert read_csv_file(data, name=fixture.name).with_values({}).to_bytes() == data


def test_a_changed_cell_is_quoted_the_way_the_file_quotes() -> None:
    # Moodle's writer (PHP fputcsv) quotes a field with a space; Canvas's (Ruby) only where needed.
    moodle = read_csv_file(MOODLE_WORKSHEET.read_bytes(), name="m")
    canvas = read_csv_file(CANVAS_EXPORT.read_bytes(), name="c")
    assert moodle.quoted("Puntos: 3") == '"Puntos: 3"' and moodle.quoted("7.5") == "7.5"
    assert canvas.quoted("Puntos: 3") == "Puntos: 3" and canvas.quoted("7,5") == '"7,5"'


def test_canvas_asks_which_assignment_when_the_rubric_names_none() -> None:
    data = CANVAS_EXPORT.read_bytes()
    with pytest.raises(
        RosterError, match=r"--assignment; its assignments: Taller XOR \(1234\); Quiz 1 \(1240\)"
    ):
        read_roster(data, name="canvas.csv", rubric="linreg")
    assert read_roster(data, name="canvas.csv", rubric="xor").column_title == "Taller XOR (1234)"
    assert read_roster(data, name="canvas.csv", assignment="1240").column_title == "Quiz 1 (1240)"
    # The totals are never an assignment, whatever is asked.
    with pytest.raises(RosterError, match="no single assignment column"):
        read_roster(data, name="canvas.csv", assignment="Current Score")


def test_a_match_is_never_a_guess() -> None:
    worksheet = (
        '\ufeffIdentifier,"Full name","Email address",Status,Grade,"Maximum Grade",'
        '"Grade can be changed","Last modified (submission)","Last modified (grade)","Feedback comments"\n'
        '"Participant 1",Ana,ana@a.example,"Submitted for grading",,10.00,Yes,-,-,\n'
        '"Participant 2","Ana bis",ana@b.example,"Submitted for grading",,10.00,Yes,-,-,\n'
        '"Participant 3",Luis,luis@a.example,"Submitted for grading",,10.00,Yes,-,-,\n'
    ).encode()
    roster = read_roster(worksheet, name="w.csv")
    # "ana" is the login of two rows; "luis" and "3" both name row 3.
    fill = fill_roster(
        roster,
        [graded_result("ana", 15), graded_result("luis", 15), graded_result("3", 3)],
        run=RUN,
        rubric="xor",
        lang="en",
    )
    assert fill.filled == ()
    assert (
        "ana: matches several rows (Ana (Participant 1); Ana bis (Participant 2)); no grade was written."
        in fill.problems
    )
    assert "Luis (Participant 3): several submissions match (luis, 3); no grade was written." in fill.problems
    assert fill.data == worksheet


def test_a_file_that_is_no_lms_roster_is_refused_with_what_it_expects() -> None:
    with pytest.raises(RosterError, match=r"neither Moodle's grading worksheet.*its header is: nombre, nota"):
        read_roster(b"nombre,nota\nAna,3\n", name="lista.csv")
    with pytest.raises(LmsFileError, match="never closed"):
        read_csv_file(b'Identifier,Grade\n"Participant 1,3\n', name="roto.csv")


def test_a_public_only_run_marks_the_filled_file_and_each_comment() -> None:
    run = {**RUN, "hidden_cases": False}
    assert filled_names("moodle.csv", run=run) == (
        "moodle-graded-public-only.csv",
        "moodle-graded-public-only.txt",
    )
    fill = fill_roster_file(
        MOODLE_WORKSHEET.read_bytes(), [graded_result("ana.gomez", 9)], name="w", run=run, lang="en"
    )
    header, rows = moodle_rows(fill.data)
    comment = rows[0][header.index("Feedback comments")]
    assert comment.startswith("Provisional grade: public checks only. Points: 9 out of 15 (60 %).")
    assert rows[0][header.index("Grade")] == "6"


def graded_result(submission_id: str, score: float) -> SubmissionResult:
    def task(name: str, points: float, maximum: float) -> TaskResult:
        check = CheckResult("values", "pass", points, maximum, "public", SAY("summary.pass", total=1))
        return TaskResult("xor", name, name, (check,))

    return SubmissionResult(
        submission_id,
        f"{submission_id}.py",
        "graded",
        tasks=(task("feedForward", min(score, 5), 5), task("backProp", max(score - 5, 0), 10)),
    )


def lms_zip(path: Path, members: dict[str, str]) -> Path:
    """A bulk download as the LMS names its files: member name → sample under submissions/."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, sample in members.items():
            archive.write(SAMPLES / sample, name)
    return path


@pytest.mark.slow
def test_a_moodle_download_is_matched_by_participant_ids(grader_command: list[str], tmp_path: Path) -> None:
    # Moodle's "Download all submissions" names each file <full name>_<participant id>_<plugin>_<file>.
    download = lms_zip(
        tmp_path / "Taller XOR-12-descarga.zip",
        {
            "Ana Gómez_3001_assignsubmission_file_taller.ipynb": "ana_gomez.ipynb",
            "Sofía Martínez_3002_assignsubmission_file_taller.ipynb": "sofia_martinez.ipynb",
            "Carlos Ruiz_3099_assignsubmission_file_taller.py": "carlos_ruiz.py",
        },
    )
    out = tmp_path / "out"
    done = run_grader(
        grader_command, "grade", str(download), "--out", str(out), "--roster", str(MOODLE_WORKSHEET)
    )
    assert done.returncode == 0, done.stderr
    assert "Emparejadas por los identificadores del LMS: 2; por el id de la entrega: 0." in done.stderr
    assert "revísalas: Carlos Ruiz_3099" in done.stderr
    header, rows = moodle_rows((out / "moodle_grading_worksheet-graded.csv").read_bytes())
    grades = {row[0]: row[header.index("Grade")] for row in rows}
    assert grades["Participant 3001"] == "10" and float(grades["Participant 3002"]) < 10
    assert grades["Participant 3003"] == grades["Participant 3004"] == ""
    # The feedback zip needs no roster: the results carry the participant ids and names.
    feedback = run_grader(grader_command, "feedback", str(out / "results.json"), "--for", "moodle")
    assert feedback.returncode == 0, feedback.stderr
    with zipfile.ZipFile(out / "feedback-moodle.zip") as archive:
        assert sorted(archive.namelist()) == [
            "Ana Gómez_3001_assignsubmission_file_/feedback.html",
            "Carlos Ruiz_3099_assignsubmission_file_/feedback.html",
            "Sofía Martínez_3002_assignsubmission_file_/feedback.html",
        ]


@pytest.mark.slow
def test_a_canvas_download_is_matched_by_canvas_user_ids(grader_command: list[str], tmp_path: Path) -> None:
    # Canvas's "Download Submissions": <name>_<user id>_<attachment id>_<file>, with LATE after the name.
    download = lms_zip(
        tmp_path / "submissions.zip",
        {
            "gomezana_4242_90001_taller.ipynb": "ana_gomez.ipynb",
            "perezmariajose_LATE_4244_90002_taller.py": "diego_fernandez.py",
        },
    )
    out = tmp_path / "out"
    done = run_grader(
        grader_command, "grade", str(download), "--out", str(out), "--roster", str(CANVAS_EXPORT), "--quiet"
    )
    assert done.returncode == 0, done.stderr
    assert "Emparejadas por los identificadores del LMS: 2" in done.stderr
    table = list(
        csv.reader(io.StringIO((out / "canvas_gradebook_export-graded.csv").read_text(encoding="utf-8")))
    )
    column = table[0].index("Taller XOR (1234)")
    by_id = {row[1]: row[column] for row in table[2:]}
    results = results_by_id(out)
    (maria,) = [r for r in results.values() if (r["student"] or {}).get("canvas_user_id") == "4244"]
    assert by_id["4242"] == "10" and float(by_id["4244"]) == expected_grade(maria, 10)
    assert by_id["4243"] == "" and by_id["4245"] == ""
