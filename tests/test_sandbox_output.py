"""What a submission printed, as its report shows it (the workers' side is in test_sandbox_layers)."""

from __future__ import annotations

import os
from pathlib import Path

from grader.sandbox.output import PrintedOutput


def printing(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_what_a_load_after_the_first_prints_is_left_out(tmp_path: Path) -> None:
    out = tmp_path / "out"
    printed = PrintedOutput(out, cap_bytes=1000)
    with printed.loading():
        printing(out, "cells\n")
    printing(out, "call 1\n")
    for call in (2, 3):
        with printed.loading():
            printing(out, "cells\n")
        printing(out, f"call {call}\n")
    captured = printed.captured(withheld_hidden=False)
    assert captured.text == "cells\ncall 1\ncall 2\ncall 3\n"
    assert captured.cut_at_bytes is None


def test_nothing_printed_after_the_seal_is_shown(tmp_path: Path) -> None:
    first, then = tmp_path / "out", tmp_path / "then"
    printed = PrintedOutput(first, cap_bytes=1000)
    with printed.loading():
        printing(first, "cells\n")
    printing(first, "public\n")
    printed.seal(then=then)
    assert printed.path == then
    # The sealed worker still holds the first file: a later line, a write over the start.
    printing(first, "hidden input\n")
    with first.open("r+b") as handle:
        handle.write(b"HIDDEN")
    with printed.loading():
        printing(then, "cells\n")
    printing(then, "public again\n")
    captured = printed.captured(withheld_hidden=True)
    assert captured.text == "cells\npublic\npublic again\n"
    assert captured.withheld_hidden
    printed.close()
    assert not then.exists() and first.exists()


def test_the_text_is_capped(tmp_path: Path) -> None:
    out = tmp_path / "out"
    printing(out, "x" * 50)
    captured = PrintedOutput(out, cap_bytes=20).captured(withheld_hidden=False)
    assert captured.text == "x" * 20 and captured.cut_at_bytes == 20


def test_a_link_a_fifo_or_a_truncated_file_reads_as_what_it_holds(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("not the student's")
    linked = tmp_path / "linked"
    linked.symlink_to(secret)
    assert PrintedOutput(linked, cap_bytes=100).captured(withheld_hidden=False).text == ""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert PrintedOutput(fifo, cap_bytes=100).captured(withheld_hidden=False).text == ""
    # Truncated by the worker after a reload was measured: the spans left out lie past its end.
    out = tmp_path / "out"
    printed = PrintedOutput(out, cap_bytes=100)
    with printed.loading():
        printing(out, "cells\n")
    with printed.loading():
        printing(out, "cells\n")
    out.write_text("short\n")
    assert printed.captured(withheld_hidden=False).text == "short\n"
