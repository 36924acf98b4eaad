"""The seccomp filter: every call it names has a number, and in a real process it refuses what it should.

The refused calls are tried with arguments the kernel would reject (or would only let create an
object that is removed again), so that a filter that does not hold fails the test without harming the
machine running it.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import platform
import socket
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader.sandbox import native, privileges, seccomp

MACHINES = ("x86_64", "aarch64")
NAMED = (*seccomp.DENIED, *seccomp.SPECIAL)
MACHINE = platform.machine()
needs_filter = pytest.mark.skipif(not seccomp.supported(), reason=f"no seccomp filter for {MACHINE}")

IPC_PRIVATE = 0
IPC_CREAT = 0o1000
IPC_RMID = 0
IPC_STAT = 2
IPC_NOWAIT = 0o4000
F_SETOWN_EX = 15
FIOSETOWN = 0x8901


# --- names and numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize("machine", MACHINES)
def test_every_call_the_filter_names_has_a_number_or_is_known_to_be_absent(machine: str) -> None:
    for name in NAMED:
        found = seccomp.number(name, machine, libseccomp=False)
        assert (found is None) == (name in seccomp.ABSENT[machine]), name
    assert not set(seccomp.SPECIAL) & seccomp.ABSENT[machine]
    numbers = [seccomp.number(name, machine, libseccomp=False) for name in NAMED]
    present = [n for n in numbers if n is not None]
    assert len(present) == len(set(present)), "two names share a number"


@pytest.mark.skipif(not seccomp.has_libseccomp(), reason="libseccomp is not installed")
@pytest.mark.parametrize("machine", MACHINES)
def test_the_tables_agree_with_libseccomp(machine: str) -> None:
    from_libseccomp = {name: seccomp.number(name, machine) for name in NAMED}
    from_tables = {name: seccomp.number(name, machine, libseccomp=False) for name in NAMED}
    assert from_libseccomp == from_tables


@pytest.mark.skipif(not seccomp.has_libseccomp(), reason="libseccomp is not installed")
def test_libseccomp_names_calls_the_tables_leave_out() -> None:
    assert seccomp.number("futex_waitv", "x86_64") == 449
    assert seccomp.number("shmget", "aarch64") == 194
    with pytest.raises(seccomp.UnknownSystemCall):
        seccomp.number("futex_waitv", "x86_64", libseccomp=False)


def test_the_filter_is_the_same_without_libseccomp(monkeypatch: pytest.MonkeyPatch) -> None:
    built = {m: seccomp.filter_program(allow_native_code=False, machine=m) for m in MACHINES}
    monkeypatch.setattr(seccomp, "_libseccomp", lambda: None)
    assert not seccomp.has_libseccomp()
    assert {m: seccomp.filter_program(allow_native_code=False, machine=m) for m in MACHINES} == built


@pytest.mark.parametrize("machine", MACHINES)
def test_an_unknown_name_stops_the_filter_from_being_built(
    monkeypatch: pytest.MonkeyPatch, machine: str
) -> None:
    monkeypatch.setattr(seccomp, "DENIED", (*seccomp.DENIED, "no_such_call"))
    with pytest.raises(seccomp.UnknownSystemCall, match="no_such_call"):
        seccomp.filter_program(allow_native_code=True, machine=machine)


def test_a_call_an_architecture_lacks_is_left_out_of_its_filter() -> None:
    assert seccomp.number("fork", "aarch64") is None
    assert seccomp.number("fork", "x86_64") == 57
    # The calls arm64 lacks are the only difference in size between the two filters, with the check
    # for the x32 ABI (x86-64 only).
    sizes = {m: len(seccomp.filter_program(allow_native_code=True, machine=m)) // 8 for m in MACHINES}
    x86_only = [n for n in seccomp.DENIED if seccomp.number(n, "aarch64") is None]
    assert sizes["x86_64"] - sizes["aarch64"] == len(x86_only) + 1


# --- in a real process -------------------------------------------------------------------------------


def in_filtered_child(attempts: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run ``attempts`` in a forked child under the worker's filter; what it returns, through a pipe."""
    program = seccomp.filter_program(allow_native_code=True)
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:
        status = 1
        try:
            os.close(reader)
            privileges.set_no_new_privs()
            seccomp.install(seccomp.for_process(program, os.getpid()))
            report = json.dumps(attempts()).encode()
            while report:
                report = report[os.write(writer, report) :]
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        received = pipe.read()
    _, status = os.waitpid(child, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, f"the child failed ({status:#x})"
    result: dict[str, Any] = json.loads(received)
    return result


def call(name: str, *args: object) -> tuple[str, int]:
    """The raw system call ``name``: ("ok", its result) or (the errno's name, -1)."""
    nr = seccomp.number(name, MACHINE)
    assert nr is not None, name
    converted = [ctypes.c_long(a) if isinstance(a, int) else a for a in args]
    ctypes.set_errno(0)
    result = int(native.libc().syscall(nr, *converted))
    if result < 0:
        return errno.errorcode.get(ctypes.get_errno(), str(ctypes.get_errno())), -1
    return "ok", result


def refused(outcome: tuple[str, int], *cleanup: Callable[[int], object]) -> str:
    """The errno's name; an object the call did create is removed again at once."""
    code, result = outcome
    if code == "ok":
        for remove in cleanup:
            remove(result)
    return code


def sysv_and_posix_ipc() -> dict[str, str]:
    queue = b"tg-seccomp-test"
    return {
        "shmget": refused(
            call("shmget", IPC_PRIVATE, 4096, IPC_CREAT | 0o600), lambda id_: call("shmctl", id_, IPC_RMID, 0)
        ),
        "msgget": refused(
            call("msgget", IPC_PRIVATE, IPC_CREAT | 0o600), lambda id_: call("msgctl", id_, IPC_RMID, 0)
        ),
        "semget": refused(
            call("semget", IPC_PRIVATE, 1, IPC_CREAT | 0o600), lambda id_: call("semctl", id_, 0, IPC_RMID, 0)
        ),
        "mq_open": refused(
            call("mq_open", queue, os.O_CREAT | os.O_RDWR, 0o600, 0),
            os.close,
            lambda _: call("mq_unlink", queue),
        ),
        "shmat": refused(call("shmat", -1, 0, 0)),
        "shmdt": refused(call("shmdt", 0)),
        "shmctl": refused(call("shmctl", -1, IPC_STAT, 0)),
        "msgsnd": refused(call("msgsnd", -1, 0, 0, 0)),
        "msgrcv": refused(call("msgrcv", -1, 0, 0, 0, IPC_NOWAIT)),
        "msgctl": refused(call("msgctl", -1, IPC_STAT, 0)),
        "semop": refused(call("semop", -1, 0, 1)),
        "semtimedop": refused(call("semtimedop", -1, 0, 1, 0)),
        "semctl": refused(call("semctl", -1, 0, IPC_STAT, 0)),
        "mq_unlink": refused(call("mq_unlink", 0)),
        "mq_timedsend": refused(call("mq_timedsend", -1, 0, 0, 0, 0)),
        "mq_timedreceive": refused(call("mq_timedreceive", -1, 0, 0, 0, 0)),
        "mq_notify": refused(call("mq_notify", -1, 0)),
        "mq_getsetattr": refused(call("mq_getsetattr", -1, 0, 0)),
    }


@needs_filter
def test_ipc_objects_cannot_be_made_nor_used() -> None:
    report = in_filtered_child(sysv_and_posix_ipc)
    assert report == dict.fromkeys(report, "EPERM")
    assert len(report) == 18


@needs_filter
def test_other_processes_cannot_be_rescheduled_nor_given_signals_through_descriptors() -> None:
    parent = os.getpid()
    # Made before the filter is in place (new sockets are refused under it).
    ours, theirs = socket.socketpair()

    def attempts() -> dict[str, str]:
        read_end, _ = os.pipe()
        target = ctypes.c_int(parent)
        # Arguments the kernel rejects anyway (no parameters, an empty CPU set), or the parent's own CPU
        # set: nothing changes even under a filter that lets them through.
        return {
            "sched_setscheduler": refused(call("sched_setscheduler", parent, 5, 0)),
            "sched_setparam": refused(call("sched_setparam", parent, 0)),
            "sched_setaffinity": refused(call("sched_setaffinity", parent, 0, 0)),
            "sched_setattr": refused(call("sched_setattr", parent, 0, 0)),
            "os.sched_setaffinity": _errno_of(
                lambda: os.sched_setaffinity(parent, os.sched_getaffinity(parent))
            ),
            "get_robust_list": refused(call("get_robust_list", 0, 0, 0)),
            "F_SETOWN": _errno_of(lambda: fcntl.fcntl(read_end, fcntl.F_SETOWN, parent)),
            "F_SETOWN group": _errno_of(lambda: fcntl.fcntl(read_end, fcntl.F_SETOWN, -parent)),
            "F_SETOWN_EX": refused(call("fcntl", read_end, F_SETOWN_EX, 0)),
            "FIOSETOWN": refused(call("ioctl", ours.fileno(), FIOSETOWN, ctypes.byref(target))),
        }

    try:
        report = in_filtered_child(attempts)
    finally:
        ours.close()
        theirs.close()
    assert report == dict.fromkeys(report, "EPERM")
    assert os.sched_getaffinity(0)


@needs_filter
def test_the_machine_clocks_names_and_file_system_events_are_out_of_reach() -> None:
    def attempts() -> dict[str, str]:
        tried = {
            "clock_settime": ("clock_settime", 0, 0),
            "clock_adjtime": ("clock_adjtime", 0, 0),
            "settimeofday": ("settimeofday", 1, 0),
            "adjtimex": ("adjtimex", 0),
            "sethostname": ("sethostname", 0, -1),
            "setdomainname": ("setdomainname", 0, -1),
            "fanotify_init": ("fanotify_init", 0xFFFFFFFF, 0),
            "fanotify_mark": ("fanotify_mark", -1, 0, 0, 0, 0),
            "lookup_dcookie": ("lookup_dcookie", 0, 0, 0),
            "nfsservctl": ("nfsservctl", 0, 0, 0),
            "_sysctl": ("_sysctl", 0),
            "quotactl_fd": ("quotactl_fd", -1, 0, 0, 0),
            "open_tree_attr": ("open_tree_attr", -1, 0, 0, 0, 0),
        }
        return {
            key: refused(call(name, *args))
            for key, (name, *args) in tried.items()
            if seccomp.number(name, MACHINE) is not None
        }

    report = in_filtered_child(attempts)
    assert report == dict.fromkeys(report, "EPERM")
    assert {"clock_settime", "sethostname", "fanotify_init", "open_tree_attr"} <= set(report)


@needs_filter
def test_the_worker_may_still_tune_itself_run_threads_numpy_and_files(tmp_path: Path) -> None:
    def attempts() -> dict[str, Any]:
        me = os.getpid()
        cpus = os.sched_getaffinity(0)
        ran: list[int] = []
        worker = threading.Thread(target=lambda: ran.append(1))
        worker.start()
        worker.join()
        read_end, _ = os.pipe()
        (tmp_path / "notes.txt").write_text("kept")
        product = np.ones((256, 256)) @ np.ones((256, 256))
        return {
            "getaffinity": sorted(os.sched_getaffinity(me)) == sorted(cpus) and bool(cpus),
            "setaffinity 0": _errno_of(lambda: os.sched_setaffinity(0, cpus)),
            "setaffinity self": _errno_of(lambda: os.sched_setaffinity(me, cpus)),
            "setscheduler self": _errno_of(
                lambda: os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
            ),
            "setparam self": _errno_of(lambda: os.sched_setparam(me, os.sched_param(0))),
            "F_SETOWN self": _errno_of(lambda: fcntl.fcntl(read_end, fcntl.F_SETOWN, me)),
            "F_GETOWN": fcntl.fcntl(read_end, fcntl.F_GETOWN) == me,
            "F_SETOWN nobody": _errno_of(lambda: fcntl.fcntl(read_end, fcntl.F_SETOWN, 0)),
            "F_SETFL": _errno_of(lambda: fcntl.fcntl(read_end, fcntl.F_SETFL, os.O_NONBLOCK)),
            "thread": ran == [1],
            "numpy": float(product[0, 0]) == 256.0,
            "file": (tmp_path / "notes.txt").read_text() == "kept",
        }

    report = in_filtered_child(attempts)
    assert report == {
        "getaffinity": True,
        "setaffinity 0": "ok",
        "setaffinity self": "ok",
        "setscheduler self": "ok",
        "setparam self": "ok",
        "F_SETOWN self": "ok",
        "F_GETOWN": True,
        "F_SETOWN nobody": "ok",
        "F_SETFL": "ok",
        "thread": True,
        "numpy": True,
        "file": True,
    }


def _errno_of(action: Callable[[], object]) -> str:
    try:
        action()
    except OSError as exc:
        return errno.errorcode.get(exc.errno or 0, str(exc.errno))
    return "ok"
