"""A download folder read by the names its LMS gives (Moodle's ``downloader.php``/``locallib.php``,
Canvas's ``content_zipper.rb``, ``gh classroom clone``): one submission per student, the LMS's ids kept,
every file read through the safe reader under the student's own name; anything else as before."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from grader.intake.layout import download_submissions
from grader.intake.zips import MemberRefusal
from grader.provenance import IgnoredFile, Student
from grader.submission import Refusal, Submission


def write(path: Path, text: str = "x = 1\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def by_id(folder: Path) -> dict[str, Submission]:
    return {s.id: s for s in download_submissions(folder, label=str(folder))}


def test_the_flat_files_of_one_moodle_student_are_one_submission(tmp_path: Path) -> None:
    write(tmp_path / "Ana Gómez_101_assignsubmission_file_taller.py", "A = 1\n")
    write(tmp_path / "Ana Gómez_101_assignsubmission_file_utils.py", "U = 1\n")
    # The same name as macOS writes it: the same student.
    write(tmp_path / unicodedata.normalize("NFD", "Ana Gómez_101_assignsubmission_file_notas.py"))
    write(tmp_path / "Ana Gómez_101_assignsubmission_onlinetext_onlinetext.html", "<p>hola</p>")
    (submission,) = download_submissions(tmp_path, label="moodle.zip")
    assert submission.id == "Ana Gómez_101"
    assert submission.student == Student(lms="moodle", name="Ana Gómez", moodle_participant_id="101")
    files, refused = submission.read()
    assert sorted(f.name for f in files) == ["notas.py", "taller.py", "utils.py"]
    assert refused == []
    assert submission.source == "moodle.zip/Ana Gómez_101_*"


def test_moodle_folders_old_and_new_and_the_online_text_folder(tmp_path: Path) -> None:
    write(tmp_path / "Ana Gómez_101_assignsubmission_file" / "taller.py")
    write(tmp_path / "Ana Gómez_101_assignsubmission_file" / "src" / "utils.py")
    write(tmp_path / "Ana Gómez_101_assignsubmission_file" / ".ipynb_checkpoints" / "t-checkpoint.ipynb")
    write(tmp_path / "Ana Gómez_101_assignsubmission_onlinetext" / "onlinetext.html", "<p/>")
    write(tmp_path / "Bob Ruiz_102_assignsubmission_file_" / "taller.py")
    found = by_id(tmp_path)
    ana, bob = found["Ana Gómez_101"], found["Bob Ruiz_102"]
    files, _ = ana.read()
    assert sorted(f.name for f in files) == ["src/utils.py", "taller.py"]
    assert ana.ignored == (IgnoredFile(".ipynb_checkpoints/t-checkpoint.ipynb", "tool_copy"),)
    assert [f.name for f in bob.read()[0]] == ["taller.py"]


def test_a_student_who_handed_in_nothing_gradable_still_appears(tmp_path: Path) -> None:
    write(tmp_path / "Ana Gómez_101_assignsubmission_file_informe.pdf", "%PDF")
    (submission,) = download_submissions(tmp_path, label="d")
    assert submission.id == "Ana Gómez_101" and submission.files == ()


def test_canvas_files_group_by_user_keep_lateness_and_rename_a_re_uploaded_module(tmp_path: Path) -> None:
    write(tmp_path / "riossamuel_LATE_5003_70003_main.py", "from utils import sigmoide\n")
    write(tmp_path / "riossamuel_LATE_5003_70004_utils-1.py", "sigmoide = lambda z: z\n")
    write(tmp_path / "torresvalentina_5001_70001_taller-2.ipynb", "{}")
    found = by_id(tmp_path)
    samuel = found["riossamuel_5003"]
    assert samuel.student == Student(
        lms="canvas",
        name="riossamuel",
        canvas_user_id="5003",
        canvas_attachment_ids=("70003", "70004"),
        late=True,
    )
    assert sorted(f.name for f in samuel.read()[0]) == ["main.py", "utils.py"]
    valentina = found["torresvalentina_5001"]
    assert [f.name for f in valentina.read()[0]] == ["taller-2.ipynb"]


def test_a_classroom_clone_folder_keeps_each_username(tmp_path: Path) -> None:
    clones = tmp_path / "taller-xor-submissions"
    write(clones / "taller-xor-jperez" / ".git" / "HEAD", "ref: refs/heads/main\n")
    write(clones / "taller-xor-jperez" / "taller.py")
    write(clones / "taller-xor-mrojas" / ".git", "gitdir: ../.git/worktrees/x\n")
    write(clones / "taller-xor-mrojas" / "taller.ipynb", "{}")
    found = by_id(clones)
    assert set(found) == {"taller-xor-jperez", "taller-xor-mrojas"}
    assert found["taller-xor-jperez"].student == Student(lms="classroom", github_username="jperez")
    assert [f.name for f in found["taller-xor-jperez"].read()[0]] == ["taller.py"]


def test_anything_else_is_read_as_before(tmp_path: Path) -> None:
    write(tmp_path / "ana_gomez.ipynb", "{}")
    write(tmp_path / "maria" / "taller.py")
    write(tmp_path / "notas.txt", "no")
    (tmp_path / "mallory.py").symlink_to("/etc/passwd")
    found = by_id(tmp_path)
    assert set(found) == {"ana_gomez", "maria", "mallory"}
    assert all(s.student is None for s in found.values())
    assert found["ana_gomez"].source == f"{tmp_path}/ana_gomez.ipynb"
    assert found["mallory"].read() == ([], [Refusal("mallory.py", "symlink")])


def test_refused_members_of_a_zip_land_on_their_students_submission(tmp_path: Path) -> None:
    write(tmp_path / "Eve Mallory_9_assignsubmission_file_" / "taller.py")
    refused = [
        MemberRefusal(("Eve Mallory_9_assignsubmission_file_", "link.py"), "symlink"),
        MemberRefusal(("Eve Mallory_9_assignsubmission_file_bomb.ipynb",), "compression_ratio", 1000),
        MemberRefusal(("Zoe Nadie_10_assignsubmission_file_x.py",), "unsafe_path"),
        MemberRefusal(("evil.py",), "unsafe_path"),
        MemberRefusal(("tmp", "abs_evil.py"), "unsafe_path"),
    ]
    found = download_submissions(tmp_path, label="/x/hostile.zip", refused=refused)
    ids = {s.id: s for s in found}
    assert set(ids) == {"Eve Mallory_9", "Zoe Nadie_10", "hostile.zip"}
    files, eve = ids["Eve Mallory_9"].read()
    assert [f.name for f in files] == ["taller.py"]
    assert sorted(eve, key=lambda r: r.name) == [
        Refusal("bomb.ipynb", "compression_ratio", 1000),
        Refusal("link.py", "symlink"),
    ]
    assert ids["hostile.zip"].refused == (
        Refusal("evil.py", "unsafe_path"),
        Refusal("tmp/abs_evil.py", "unsafe_path"),
    )


def test_a_student_seen_only_in_members_left_packed_keeps_every_id(tmp_path: Path) -> None:
    write(tmp_path / "perezjuan_LATE_77_901_taller.py")
    skipped = [("perezjuan_LATE_77_902_informe.pdf",), ("lopezana_78_903_informe.pdf",)]
    found = {s.id: s for s in download_submissions(tmp_path, label="submissions.zip", skipped=skipped)}
    assert found["perezjuan_77"].student == Student(
        lms="canvas", name="perezjuan", canvas_user_id="77", canvas_attachment_ids=("901", "902"), late=True
    )
    assert found["lopezana_78"].files == ()
    assert found["lopezana_78"].student is not None
    assert found["lopezana_78"].student.canvas_attachment_ids == ("903",)
