"""The zygote: a clean process with NumPy loaded that forks one worker per submission.

It is started before the grader reads any secret or builds any expected value, with a scrubbed
environment, so a forked worker inherits nothing worth stealing; it holds no reference solution
either (reference helpers are computed by the grader, on request). Forking from a warm process costs
milliseconds where starting a fresh interpreter and importing NumPy costs a quarter of a second.

Protocol on the control socket (SOCK_SEQPACKET, one JSON object per message): the zygote first says
which sandbox layers work here (``{"layers": [...], "failed": {...}}``); then it answers
``{"op": "spawn", "workdir", "limits"}`` (with the worker's channel, output file and progress page
attached) with ``{"pid"}``, and obeys ``{"op": "kill", "pid"}`` without answering.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import json
import mmap
import os
import signal
import socket
import sys
import tempfile
from pathlib import Path
from typing import Any, NoReturn

# Preloaded so that every forked worker starts with them imported (the point of a zygote), and so
# that student code can import them where a layer hides the Python installation or forbids loading
# native code. NumPy 2 imports numpy.random and numpy.linalg lazily.
import numpy.linalg
import numpy.random  # noqa: F401

from grader.sandbox import inert, layers, privileges, worker
from grader.sandbox.layers import Hardening, Plan, SandboxError
from grader.sandbox.protocol import PROGRESS

MAX_CONTROL_MESSAGE = 64 * 1024
CHANNEL_FD = 3
EXIT_SANDBOX_FAILED = 71
# Standard modules students import in the workshops (several are native extensions).
PRELOADED = (
    "math",
    "cmath",
    "random",
    "statistics",
    "decimal",
    "fractions",
    "json",
    "csv",
    "datetime",
    "time",
    "copy",
    "itertools",
    "functools",
    "collections",
    "heapq",
    "bisect",
    "array",
    "string",
    "textwrap",
    "pprint",
    "dataclasses",
    "typing",
    "unicodedata",
    "numpy.fft",
    "numpy.polynomial",
)


def main() -> NoReturn:
    control = socket.socket(fileno=int(sys.argv[1]))
    options: dict[str, Any] = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    privileges.set_dumpable(False)
    grader_pid = int(options.get("grader_pid", 0))
    if grader_pid and os.getppid() == grader_pid:
        privileges.die_with_parent(grader_pid)
    _preload()
    # Once here rather than in every worker (see inert.install).
    inert.install()
    # Everything loaded so far is left out of garbage collection: a worker's collector would otherwise
    # walk (and so copy, page by page) the whole heap it shares with the zygote.
    gc.freeze()
    scratch_root = Path(options["scratch_root"]) if options.get("scratch_root") else None
    pid = os.getpid()
    readable = layers.readable_paths(scratch_root=scratch_root)
    uid_block = grader_pid or pid
    active, failed = layers.probe(
        Hardening.from_json(options.get("hardening", {})),
        scratch_root=scratch_root,
        uid_block=uid_block,
        readable=readable,
    )
    plan = Plan.for_zygote(active, readable=readable, zygote_pid=pid)
    # Workers are reaped automatically: the grader learns a worker's end from its channel, not its status.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    control.send(json.dumps({"layers": list(active), "failed": failed}).encode())
    uids: dict[int, int] = {}
    serial = 0
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, MAX_CONTROL_MESSAGE, 3)
        except OSError:
            os._exit(0)
        if not message:
            os._exit(0)
        request = json.loads(message)
        if request.get("op") == "kill":
            uid = uids.pop(int(request["pid"]), None)
            # Under seccomp a worker cannot start processes: its process group is all there is.
            _kill(int(request["pid"]), None if plan.has(layers.SECCOMP) else uid)
            continue
        serial += 1
        uid = privileges.worker_uid(uid_block, serial) if plan.has(layers.UID_DROP) else None
        child = os.fork()
        if child == 0:
            _become_worker(fds, request, plan, uid)
        for fd in fds:
            os.close(fd)
        if uid is not None:
            uids[child] = uid
        control.send(json.dumps({"pid": child}).encode())


def _preload() -> None:
    for name in PRELOADED:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    # Thread cancellation and C++ exceptions make the C library load libgcc_s on first use.
    with contextlib.suppress(OSError):
        ctypes.CDLL("libgcc_s.so.1")


def _kill(pid: int, uid: int | None) -> None:
    """Kill a worker, its process group, and (under a uid of its own) anything it left behind."""
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)
    if uid is not None:
        privileges.kill_uid(uid)


def _become_worker(fds: list[int], request: dict[str, Any], plan: Plan, uid: int | None) -> NoReturn:
    try:
        channel_fd, output_fd, progress_fd = fds
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        progress = mmap.mmap(progress_fd, PROGRESS.size)
        if channel_fd != CHANNEL_FD:
            os.dup2(channel_fd, CHANNEL_FD)
        # Nothing of the zygote's (its control socket, other workers' descriptors) stays open.
        os.closerange(CHANNEL_FD + 1, 1 << 20)
        limits = request["limits"]
        try:
            here = layers.enter(plan, workdir=str(request["workdir"]), limits=limits, uid=uid)
        except SandboxError as exc:
            os.write(2, f"the sandbox could not be set up: {exc}\n".encode())
            os._exit(EXIT_SANDBOX_FAILED)
        os.environ["TMPDIR"] = here
        tempfile.tempdir = None
        sys.path.insert(0, here)
        worker.serve(
            socket.socket(fileno=CHANNEL_FD),
            progress=progress,
            output_bytes=int(limits["output_bytes"]),
            memory_bytes=int(limits["memory_bytes"]),
            result_bytes=int(limits["result_bytes"]),
        )
    except BaseException:
        os._exit(70)


if __name__ == "__main__":
    main()
