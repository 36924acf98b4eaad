"""Reading LMS download names back into students.

The names follow the code that writes them: Moodle's ``mod/assign/classes/downloader.php`` (4.1+) and
``assign::download_submissions`` in ``mod/assign/locallib.php`` (3.1-4.0), Canvas's
``lib/content_zipper.rb`` (``get_filename``, ``add_upload_submission``) and
``Attachment.make_unique_filename``, and ``gh classroom clone student-repos``
(``cmd/gh-classroom/clone/student-repos/student-repos.go``).
"""

from __future__ import annotations

import unicodedata

import pytest

from grader.intake.lms import (
    canvas_entry,
    classroom_entry,
    classroom_prefix,
    lms_entry,
    moodle_entry,
    resubmitted_module_name,
)


@pytest.mark.parametrize(
    ("name", "folder", "original"),
    [
        ("Juan Pérez_123456_assignsubmission_file_taller.ipynb", False, "taller.ipynb"),
        # "Download submissions in folders": since 4.1 the folder has no trailing underscore...
        ("Juan Pérez_123456_assignsubmission_file", True, None),
        # ... and from 3.1 to 4.0 it had one.
        ("Juan Pérez_123456_assignsubmission_file_", True, None),
        ("Juan Pérez_123456_assignsubmission_onlinetext_onlinetext.html", False, "onlinetext.html"),
    ],
)
def test_moodle_names_give_the_participant_id_and_the_full_name(
    name: str, folder: bool, original: str | None
) -> None:
    entry = moodle_entry(name, folder=folder)
    assert entry is not None
    assert entry.key == "moodle:123456"
    assert entry.submission_id == "Juan Pérez_123456"
    assert entry.student.lms == "moodle"
    assert entry.student.name == "Juan Pérez"
    assert entry.student.moodle_participant_id == "123456"
    assert entry.original == original


def test_a_moodle_file_name_keeps_the_students_own_name_whole() -> None:
    # Underscores and digits after the marker belong to the student's file name.
    entry = moodle_entry("Ana María Gómez_77_assignsubmission_file_taller_2_final_v3.py", folder=False)
    assert entry is not None
    assert (entry.student.name, entry.student.moodle_participant_id) == ("Ana María Gómez", "77")
    assert entry.original == "taller_2_final_v3.py"


def test_a_name_decomposed_by_macos_is_the_same_student() -> None:
    decomposed = unicodedata.normalize("NFD", "José Núñez_5_assignsubmission_file_a.py")
    entry = moodle_entry(decomposed, folder=False)
    assert entry is not None
    assert entry.student.name == "José Núñez"
    assert entry.submission_id == "José Núñez_5"


@pytest.mark.parametrize(
    "name",
    ["ana_gomez.ipynb", "taller.py", "Juan_12_assignsubmission.py", "Juan_x_assignsubmission_file_a.py"],
)
def test_names_of_no_moodle_download_are_not_taken_for_one(name: str) -> None:
    assert moodle_entry(name, folder=False) is None


def test_a_canvas_file_gives_user_id_attachment_id_and_the_original_name() -> None:
    entry = canvas_entry("perezjuan_98765_4321_taller.ipynb")
    assert entry is not None
    assert entry.key == "canvas:98765"
    assert entry.submission_id == "perezjuan_98765"
    assert entry.student.name == "perezjuan"
    assert entry.student.canvas_user_id == "98765"
    assert entry.student.canvas_attachment_ids == ("4321",)
    assert entry.student.late is False
    assert entry.original == "taller.ipynb"


@pytest.mark.parametrize("flag", ["LATE", "late"])
def test_a_late_canvas_submission_is_marked_late(flag: str) -> None:
    entry = canvas_entry(f"perezjuan_{flag}_98765_4321_taller_1_2.py")
    assert entry is not None
    assert entry.student.late is True
    assert entry.student.name == "perezjuan"
    assert entry.submission_id == "perezjuan_98765"
    assert entry.original == "taller_1_2.py"


def test_an_anonymous_canvas_submission_keeps_its_anonymous_id() -> None:
    entry = canvas_entry("LATE_anon_Zx9Qa_4321_taller.py")
    assert entry is not None
    assert entry.student.canvas_anonymous_id == "Zx9Qa"
    assert entry.student.canvas_user_id is None
    assert entry.student.late is True
    assert entry.submission_id == "anon_Zx9Qa"


def test_a_canvas_text_entry_says_who_handed_it_in_without_a_file() -> None:
    entry = canvas_entry("perezjuan_98765_text.html")
    assert entry is not None
    assert entry.key == "canvas:98765"
    assert entry.original is None
    assert entry.student.canvas_attachment_ids == ()


def test_moodle_is_read_before_canvas() -> None:
    entry = lms_entry("Juan Pérez_12_assignsubmission_file_x_1_2_y.py", folder=False)
    assert entry is not None and entry.student.lms == "moodle"
    assert lms_entry("perezjuan_12_34_y.py", folder=False) is not None
    assert lms_entry("perezjuan_12_34_y", folder=True) is None


@pytest.mark.parametrize(
    ("original", "taken", "expected"),
    [
        ("utils-1.py", [], "utils.py"),
        ("utils-12.py", ["main.py"], "utils.py"),
        ("utils-1.py", ["utils.py"], "utils-1.py"),  # the student's own utils.py keeps the name
        ("taller-2.ipynb", [], "taller-2.ipynb"),  # a notebook is never imported: kept as it is
        ("mi-modulo-1.py", [], "mi-modulo-1.py"),  # not importable either way
        ("utils.py", [], "utils.py"),
    ],
)
def test_a_re_uploaded_canvas_module_is_imported_by_its_own_name(
    original: str, taken: list[str], expected: str
) -> None:
    assert resubmitted_module_name(original, taken) == expected


def test_the_classroom_prefix_comes_from_the_clone_folder() -> None:
    repositories = ["taller-xor-jperez", "taller-xor-ana-maria"]
    assert classroom_prefix("taller-xor-submissions", repositories) == "taller-xor-"
    entry = classroom_entry("taller-xor-ana-maria", "taller-xor-")
    assert entry.student.github_username == "ana-maria"
    assert entry.submission_id == "taller-xor-ana-maria"


def test_the_classroom_prefix_is_the_repositories_common_start_otherwise() -> None:
    assert classroom_prefix("clones", ["tarea-1-ana", "tarea-1-andres", "tarea-1-bob"]) == "tarea-1-"
    assert classroom_prefix("clones", ["tarea-1-ana"]) is None
    assert classroom_entry("tarea-1-ana", None).student.github_username is None
