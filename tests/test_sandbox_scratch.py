"""The scratch folder as it was before any student code ran: taken as a snapshot, made again on demand."""

from __future__ import annotations

import os
from pathlib import Path

from grader.sandbox.scratch import FolderSnapshot


def test_a_snapshot_makes_the_folder_again_as_it_was_taken(tmp_path: Path) -> None:
    original = tmp_path / "work-1"
    (original / "pkg" / "sub").mkdir(parents=True)
    (original / "utils.py").write_text("X = 1\n")
    (original / "pkg" / "__init__.py").write_bytes(b"")
    (original / "pkg" / "sub" / "data.bin").write_bytes(bytes(range(256)))
    (original / "outside").symlink_to("/etc/passwd")
    os.mkfifo(original / "pipe")
    snapshot = FolderSnapshot.of(original)
    # What a worker does later to the original does not reach the snapshot.
    (original / "utils.py").write_text("X = 2\n")
    (original / "written.txt").write_text("by a worker")

    made = snapshot.make(beside=original, prefix="work-1-fresh-")
    assert made.parent == tmp_path and made.name.startswith("work-1-fresh-")
    assert (made / "utils.py").read_text() == "X = 1\n"
    assert (made / "pkg" / "__init__.py").read_bytes() == b""
    assert (made / "pkg" / "sub" / "data.bin").read_bytes() == bytes(range(256))
    # A link stays a link (never followed, never copied as its target); a FIFO is not a file to carry.
    assert (made / "outside").is_symlink() and os.readlink(made / "outside") == "/etc/passwd"
    assert not (made / "pipe").exists() and not (made / "written.txt").exists()
    assert sorted(p.relative_to(made).as_posix() for p in made.rglob("*")) == [
        "outside",
        "pkg",
        "pkg/__init__.py",
        "pkg/sub",
        "pkg/sub/data.bin",
        "utils.py",
    ]
    # Private to the grader's user, as the folder it stands for.
    assert made.stat().st_mode & 0o777 == 0o700


def test_an_empty_folder_makes_an_empty_folder_each_time(tmp_path: Path) -> None:
    original = tmp_path / "work-2"
    original.mkdir()
    snapshot = FolderSnapshot.of(original)
    assert snapshot.entries == ()
    first = snapshot.make(beside=original, prefix="work-2-fresh-")
    second = snapshot.make(beside=original, prefix="work-2-fresh-")
    assert first != second and list(first.iterdir()) == [] == list(second.iterdir())
