"""Finding submissions and reading their files without following links or reading special files."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from grader.submission import ReadLimits, Refusal, discover, folder_submission

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "reference" / "xor.py"


def _names(files: list[object]) -> list[str]:
    return [f.name for f in files]  # type: ignore[attr-defined]


def test_a_plain_folder_submission_reads_every_source_file(tmp_path: Path) -> None:
    folder = tmp_path / "ana"
    (folder / "pkg").mkdir(parents=True)
    (folder / "taller.ipynb").write_text("{}")
    (folder / "pkg" / "utils.py").write_text("x = 1\n")
    (folder / "notes.txt").write_text("not code")
    (submission,) = discover([tmp_path])
    files, refused = submission.read()
    assert _names(files) == ["pkg/utils.py", "taller.ipynb"]
    assert [f.data for f in files] == [b"x = 1\n", b"{}"]
    assert refused == []


@pytest.mark.parametrize(
    "target",
    ["/proc/self/environ", "/etc/shadow", str(REFERENCE), "classmate"],
    ids=["environ", "shadow", "reference", "classmate"],
)
def test_a_link_in_the_batch_folder_is_a_submission_refused_unread(tmp_path: Path, target: str) -> None:
    classmate = tmp_path / "classmate.py"
    classmate.write_text("def feedForward(X, w1, w2, b1, b2):\n    return 1, 2\n")
    (tmp_path / "mallory.py").symlink_to(classmate if target == "classmate" else target)
    by_id = {s.id: s for s in discover([tmp_path])}
    files, refused = by_id["mallory"].read()
    assert files == []
    assert refused == [Refusal("mallory.py", "symlink")]
    assert by_id["classmate"].read()[1] == []


def test_links_inside_a_folder_are_refused_and_never_followed(tmp_path: Path) -> None:
    folder = tmp_path / "mallory"
    folder.mkdir()
    (folder / "taller.py").write_text("x = 1\n")
    (folder / "secret.py").symlink_to("/proc/self/environ")
    (folder / "solutions").symlink_to(REFERENCE.parent)
    (folder / "dangling.ipynb").symlink_to(tmp_path / "nowhere.ipynb")
    (folder / "data.csv").symlink_to("/etc/passwd")  # never a candidate: not reported either
    submission = folder_submission(folder)
    files, refused = submission.read()
    assert _names(files) == ["taller.py"]
    assert sorted(refused, key=lambda r: r.name) == [
        Refusal("dangling.ipynb", "symlink"),
        Refusal("secret.py", "symlink"),
        Refusal("solutions", "symlink"),
    ]


def test_a_folder_swapped_for_a_link_after_discovery_is_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "ana"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "mod.py").write_text("x = 1\n")
    submission = folder_submission(folder)
    (folder / "sub" / "mod.py").unlink()
    (folder / "sub").rmdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "mod.py").write_text("SECRET = 1\n")
    (folder / "sub").symlink_to(elsewhere)
    files, refused = submission.read()
    assert files == []
    assert refused == [Refusal("sub/mod.py", "symlink")]


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    folder = tmp_path / "bob"
    folder.mkdir()
    os.mkfifo(folder / "taller.py")
    os.mkfifo(tmp_path / "carol.ipynb")
    by_id = {s.id: s for s in discover([tmp_path])}
    assert by_id["bob"].read() == ([], [Refusal("taller.py", "special_file")])
    assert by_id["carol"].read() == ([], [Refusal("carol.ipynb", "special_file")])


def test_where_files_cannot_be_opened_below_a_folder_the_same_are_read_and_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on Windows (no ``dir_fd``, no ``O_NOFOLLOW``): each path is looked at before it is opened."""
    folder = tmp_path / "ana"
    (folder / "pkg").mkdir(parents=True)
    (folder / "taller.ipynb").write_text("{}")
    (folder / "pkg" / "utils.py").write_text("x = 1\n")
    (folder / "big.py").write_bytes(b"\n" * 5000)
    (folder / "secret.py").symlink_to("/proc/self/environ")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "mod.py").write_text("y = 2\n")
    (folder / "linked").symlink_to(elsewhere)
    os.mkfifo(folder / "pipe.py")
    (tmp_path / "lone.py").write_text("z = 3\n")
    limits = ReadLimits(module_bytes=4096)
    submissions = discover([tmp_path], limits=limits)
    # Found as discovery finds it; a folder swapped for a link afterwards is then read through the link.
    (submission,) = [s for s in submissions if s.id == "ana"]
    files = (*submission.files, folder / "linked" / "mod.py")
    swapped = dataclasses.replace(submission, files=files)
    read_here = [s.read() for s in (*submissions, swapped)]
    monkeypatch.setattr(os, "supports_dir_fd", set())
    monkeypatch.delattr(os, "O_NOFOLLOW")
    read_without = [s.read() for s in (*submissions, swapped)]
    assert read_without == read_here
    files_read, refused = read_without[-1]
    assert _names(files_read) == ["pkg/utils.py", "taller.ipynb"]
    assert sorted(refused, key=lambda r: r.name) == [
        Refusal("big.py", "file_too_large", 5000),
        Refusal("linked", "symlink"),
        Refusal("linked/mod.py", "symlink"),
        Refusal("pipe.py", "special_file"),
        Refusal("secret.py", "symlink"),
    ]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_bytes(b"\n" * 5000)
    (tmp_path / "small.ipynb").write_bytes(b"{}" * 100)
    limits = ReadLimits(module_bytes=4096, notebook_bytes=1024)
    by_id = {s.id: s for s in discover([tmp_path], limits=limits)}
    assert by_id["big"].read() == ([], [Refusal("big.py", "file_too_large", 5000)])
    files, refused = by_id["small"].read()
    assert _names(files) == ["small.ipynb"] and refused == []


def test_too_many_files_and_too_deep_folders_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "dan"
    deep = folder.joinpath(*"abcdef")
    deep.mkdir(parents=True)
    (deep / "hidden.py").write_text("x = 1\n")
    for index in range(5):
        (folder / f"m{index}.py").write_text("x = 1\n")
    submission = folder_submission(folder, limits=ReadLimits(files=3, depth=3))
    files, refused = submission.read()
    assert len(files) == 3
    kinds = sorted(r.kind for r in refused)
    assert kinds == ["too_deep", "too_many_files", "too_many_files"]


def test_the_fingerprint_changes_with_content_and_refusals(tmp_path: Path) -> None:
    folder = tmp_path / "eve"
    folder.mkdir()
    (folder / "a.py").write_text("x = 1\n")
    first = folder_submission(folder).fingerprint()
    (folder / "a.py").write_text("x = 2\n")
    second = folder_submission(folder).fingerprint()
    (folder / "b.py").symlink_to("/proc/self/environ")
    third = folder_submission(folder).fingerprint()
    assert len({first, second, third}) == 3
