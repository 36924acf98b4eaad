"""Run a command and account for every process it leaves behind.

Usage: ``python subreaper.py DEADLINE_SECONDS COMMAND [ARG...]``

The script makes itself a child subreaper, so every orphaned descendant of the command (whatever
session or process group it moved to) is reparented to it instead of to init. After the command
exits it waits for all of those descendants to end. Whatever is still alive DEADLINE_SECONDS after
the command exited (or after a SIGINT reached the process group, if that came first) is listed,
killed and reaped. The last line on stdout is a JSON object::

    {"returncode": <the command's exit status, negative for a signal>,
     "survivors": [{"pid": <pid>, "cmdline": <command line>}, ...]}

The command's stdout goes to this script's stderr, so stdout carries only that report. Start this
script with ``start_new_session=True`` and signal its process group, which the command shares.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType
from typing import Any

PR_SET_CHILD_SUBREAPER = 36
# Killed descendants end at once; this bounds the wait only for one that cannot be killed at all.
KILL_GRACE_SECONDS = 10.0


class Deadline(Exception):
    """Raised from the SIGALRM handler to stop waiting."""


class Timer:
    """A one-shot deadline, started by whichever comes first: a SIGINT or the command's exit."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = False

    def start(self) -> None:
        if not self.started:
            self.started = True
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def on_sigint(self, signum: int, frame: FrameType | None) -> None:
        # The script shares the command's process group, so it receives the same SIGINT. It must
        # outlive the command to reap what the command leaves. A Python handler rather than
        # SIG_IGN: an ignored signal would stay ignored in the command after exec, a handled one
        # is reset to the default there.
        self.start()


def on_alarm(signum: int, frame: FrameType | None) -> None:
    raise Deadline


def become_subreaper() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"prctl(PR_SET_CHILD_SUBREAPER): {os.strerror(error)}")


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        # A process or thread that has just ended takes its /proc entry with it.
        with contextlib.suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def descendants() -> list[int]:
    """Every live descendant of this script, parents before their children."""
    found: list[int] = []
    pending = children(os.getpid())
    while pending:
        pid = pending.pop(0)
        if pid not in found:
            found.append(pid)
            pending += children(pid)
    return found


def describe(pid: int) -> dict[str, Any]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        raw = b""
    # A zombie has an empty command line; its name in /proc/<pid>/stat still says what it was.
    cmdline = " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)
    if not cmdline:
        with contextlib.suppress(OSError):
            cmdline = Path(f"/proc/{pid}/stat").read_text().split(")", 1)[0] + ")"
    return {"pid": pid, "cmdline": cmdline}


def reap_all() -> None:
    """Wait for every child, including descendants that get reparented here meanwhile."""
    with contextlib.suppress(ChildProcessError):
        while True:
            os.waitpid(-1, 0)


def kill_and_reap(command: subprocess.Popen[bytes]) -> None:
    signal.setitimer(signal.ITIMER_REAL, KILL_GRACE_SECONDS)
    try:
        # A process can fork between being listed and being killed, and its child is reparented
        # here once it dies: list again after each child reaped. Every round has at least one
        # killed child to wait for, so the blocking wait always returns.
        while pids := descendants():
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            # Through Popen first, so that a command killed here still has its status recorded.
            if command.returncode is None:
                command.wait()
            else:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(-1, 0)
    except Deadline:
        print("subreaper: some descendants could not be killed", file=sys.stderr)


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    timer = Timer(float(argv[1]))
    become_subreaper()
    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGINT, timer.on_sigint)
    command = subprocess.Popen(argv[2:], stdout=sys.stderr.fileno())
    survivors: list[dict[str, Any]] = []
    try:
        command.wait()
        timer.start()
        reap_all()
    except Deadline:
        survivors = [describe(pid) for pid in descendants()]
        kill_and_reap(command)
    signal.setitimer(signal.ITIMER_REAL, 0)
    print(json.dumps({"returncode": command.returncode, "survivors": survivors}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
