"""The protections around student code: which exist, probing which work here, entering them in a worker.

Every worker is a process of its own, forked from a clean zygote, with a scrubbed environment. Around
that, each layer is set up if the machine allows it (probed once when the zygote starts):

``rlimits``        memory, CPU time, file size, open files (and processes, under a uid of its own)
``no-new-privs``   no setuid program (sudo) can raise the worker's privileges
``uid-drop``       a grader running as root runs each worker as an unprivileged uid of its own
``private-tmp``    the worker's scratch folder is a small non-executable tmpfs on ``/tmp`` in a mount
                   namespace of its own: nothing it writes reaches the disk or outlives it
``landlock``       file access confined to the Python installation (read) and the scratch folder;
                   no TCP, no signals to other processes
``seccomp``        no exec, fork, sockets, ptrace, mounts, io_uring, signals to others, ...
``bwrap``          the zygote itself runs in bubblewrap: no network, only the files it needs, its own
                   process ids (see :mod:`grader.sandbox.bwrap`)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import sys
import sysconfig
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, NoReturn

from grader.sandbox import landlock, privileges, seccomp
from grader.sandbox.limits import apply_rlimits

ALWAYS = ("worker-process", "scrubbed-env")
RLIMITS = "rlimits"
NO_NEW_PRIVS = "no-new-privs"
UID_DROP = "uid-drop"
PRIVATE_TMP = "private-tmp"
LANDLOCK = "landlock"
SECCOMP = "seccomp"
BWRAP = "bwrap"
# Layers that keep student code away from files, processes or the network. With none of them, the
# grader refuses to run unless told to go ahead anyway.
ISOLATION = frozenset({UID_DROP, LANDLOCK, SECCOMP, BWRAP})
# The order in which a worker enters them (each needs what the previous ones still allow).
WORKER_ORDER = (RLIMITS, PRIVATE_TMP, UID_DROP, NO_NEW_PRIVS, LANDLOCK, SECCOMP)
# Where the scratch folder appears to a worker that has a private tmpfs.
PRIVATE_WORKDIR = "/tmp"
# At most this much of the grader's copy of the scratch folder (the submission's own modules) is
# carried into a private tmpfs.
_MAX_CARRIED_BYTES = 16 * 1024**2
_MAX_CARRIED_FILES = 512


class SandboxError(Exception):
    """A layer the probe found working could not be entered by a worker: the worker must not run."""


@dataclass(frozen=True)
class Hardening:
    """Which layers to try. All by default; switching them off is for measuring what they cost."""

    bwrap: bool = True
    uid_drop: bool = True
    private_tmp: bool = True
    landlock: bool = True
    seccomp: bool = True
    no_new_privs: bool = True
    rlimits: bool = True

    @classmethod
    def off(cls) -> Hardening:
        return cls(False, False, False, False, False, False, False)

    def wanted(self) -> tuple[str, ...]:
        flags = {
            RLIMITS: self.rlimits,
            PRIVATE_TMP: self.private_tmp,
            UID_DROP: self.uid_drop,
            NO_NEW_PRIVS: self.no_new_privs or self.landlock or self.seccomp,
            LANDLOCK: self.landlock,
            SECCOMP: self.seccomp,
        }
        return tuple(layer for layer in WORKER_ORDER if flags[layer])

    def to_json(self) -> dict[str, bool]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Hardening:
        return cls(**{k: bool(v) for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Plan:
    """What every worker of a zygote enters: the layers the probe found working, and what they need.

    ``seccomp_filter``: the filter, built once by the zygote (each worker only puts in its pid).
    ``exposed``: the readable paths under folders closed to others, which a root worker's private mount
    namespace opens to its uid (see :func:`privileges.exposures`), worked out once by the zygote.
    """

    layers: tuple[str, ...]
    readable: tuple[str, ...]
    zygote_pid: int
    seccomp_filter: bytes = b""
    exposed: privileges.Exposures = ()

    @classmethod
    def for_zygote(cls, layers: tuple[str, ...], *, readable: tuple[str, ...], zygote_pid: int) -> Plan:
        plan = cls(layers=layers, readable=readable, zygote_pid=zygote_pid)
        return replace(
            plan,
            seccomp_filter=(
                seccomp.filter_program(allow_native_code=plan.allows_native_code)
                if plan.has(SECCOMP)
                else b""
            ),
            exposed=_exposed(layers, readable),
        )

    def has(self, layer: str) -> bool:
        return layer in self.layers

    @property
    def allows_native_code(self) -> bool:
        """Loading a library is harmless only where nothing the worker can write may be mapped as code."""
        return self.has(LANDLOCK) and self.has(PRIVATE_TMP)


def _exposed(layers: tuple[str, ...], readable: tuple[str, ...]) -> privileges.Exposures:
    """What the workers of a zygote must expose: only a root worker (one that drops to a uid of its
    own) in a private mount namespace has paths to open, and the right to."""
    if PRIVATE_TMP in layers and UID_DROP in layers:
        return privileges.exposures(readable)
    return ()


def readable_paths(*, scratch_root: Path | None) -> tuple[str, ...]:
    """What a worker may read under Landlock: the Python installation and the system libraries.

    Never ``/`` nor a folder holding the scratch folders (that would expose the other workers').
    """
    import numpy

    candidates = [
        "/usr",
        "/lib",
        "/lib64",
        "/etc/ld.so.cache",
        "/etc/localtime",
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        sys.base_exec_prefix,
        str(Path(numpy.__file__).resolve().parent.parent),
        *(sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")),
    ]
    scratch = scratch_root.resolve() if scratch_root is not None else None
    found: list[str] = []
    for candidate in candidates:
        path = Path(candidate).resolve()
        if path == Path("/") or (scratch is not None and scratch.is_relative_to(path)):
            continue
        if path.exists() and str(path) not in found:
            found.append(str(path))
    return tuple(found)


def enter(plan: Plan, *, workdir: str, limits: Mapping[str, Any], uid: int | None) -> str:
    """Put the calling process (a freshly forked worker) inside every layer of ``plan``.

    ``uid``: the unprivileged uid to become (with ``uid-drop``). Returns the scratch folder as the
    worker now sees it (its current directory). Raises :class:`SandboxError` naming the layer that
    failed: the caller must then exit without running anything.
    """
    # Entered while still root: the folders above it need not be open to the worker's uid.
    os.chdir(workdir)
    here = workdir
    for layer in WORKER_ORDER:
        if plan.has(layer):
            try:
                here = _enter_one(layer, plan, here=here, limits=limits, uid=uid)
            except (OSError, ValueError, KeyError) as exc:
                raise SandboxError(f"{layer}: {exc}") from None
    privileges.set_dumpable(False)
    privileges.die_with_parent(plan.zygote_pid)
    return here


def _enter_one(layer: str, plan: Plan, *, here: str, limits: Mapping[str, Any], uid: int | None) -> str:
    """Enter one layer; returns where the scratch folder now is (it moves into a private tmpfs)."""
    if layer == RLIMITS:
        apply_rlimits(dict(limits), own_uid=plan.has(UID_DROP))
    elif layer == PRIVATE_TMP:
        carried = _carry(here)
        privileges.private_tmp(
            user_namespace=os.geteuid() != 0,
            size_bytes=int(limits["disk_bytes"]),
            max_files=int(limits["disk_files"]),
        )
        if uid is not None:
            privileges.expose(plan.exposed)
        os.chdir(PRIVATE_WORKDIR)
        _unpack(carried)
        if uid is not None:
            _hand_over(uid)
        return PRIVATE_WORKDIR
    elif layer == UID_DROP:
        if uid is None:
            raise ValueError("no uid to drop to")
        if not plan.has(PRIVATE_TMP):
            _hand_over(uid)
        privileges.drop_to(uid)
    elif layer == NO_NEW_PRIVS:
        privileges.set_no_new_privs()
    elif layer == LANDLOCK:
        landlock.restrict(
            abi=landlock.abi_version(),
            read=plan.readable,
            # By the current directory, not by name: its parents may be closed to the worker's uid.
            read_write=["."],
            devices=["/dev/null", "/dev/zero", "/dev/urandom"],
        )
    elif layer == SECCOMP:
        program = plan.seccomp_filter or seccomp.filter_program(allow_native_code=plan.allows_native_code)
        seccomp.install(seccomp.for_process(program, os.getpid()))
    return here


def _hand_over(uid: int) -> None:
    """Give the current directory, and all in it, to ``uid`` (root made it; the worker will use it).

    Owner rights only (deepest first, the folder itself last): a root zygote in bubblewrap has no
    capability to override permissions.
    """
    os.chmod(".", 0o700)
    # Bottom-up, and by os.walk rather than pathlib's globbing: this runs in every new worker, where
    # each object first touched costs a copied page.
    for folder, folders, files in os.walk(".", topdown=False):
        for name in (*files, *folders):
            os.chown(os.path.join(folder, name), uid, uid, follow_symlinks=False)
    os.chown(".", uid, uid)


def _carry(folder: str) -> list[tuple[str, bytes]]:
    """The regular files of ``folder`` (relative path, content), to recreate inside the private tmpfs;
    links are neither carried nor followed."""
    found: list[list[str]] = []
    for here, _, files in os.walk(folder):
        relative = os.path.relpath(here, folder)
        for name in files:
            path = os.path.join(here, name)
            if not os.path.islink(path) and os.path.isfile(path):
                found.append([*([] if relative == "." else relative.split(os.sep)), name])
    carried: list[tuple[str, bytes]] = []
    total = 0
    # In path order, part by part (as pathlib sorts), so that the caps keep the same files.
    for parts in sorted(found):
        with open(os.open(os.path.join(folder, *parts), os.O_RDONLY | os.O_NOFOLLOW), "rb") as handle:
            data = handle.read()
        total += len(data)
        if total > _MAX_CARRIED_BYTES or len(carried) >= _MAX_CARRIED_FILES:
            break
        carried.append((os.path.join(*parts), data))
    return carried


def _unpack(carried: Iterable[tuple[str, bytes]]) -> None:
    for relative, data in carried:
        target = Path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


# --- probing ----------------------------------------------------------------------------------------


def probe(
    hardening: Hardening, *, scratch_root: Path | None, uid_block: int, readable: tuple[str, ...]
) -> tuple[tuple[str, ...], dict[str, str]]:
    """Which of the wanted layers a worker can enter on this machine, and why the others cannot.

    A child enters the layers one at a time (going on past a failure) and then checks that each one
    it entered really holds (a socket is refused under seccomp, ``/proc`` is unreadable under
    Landlock, ...). Run in the zygote before it ignores SIGCHLD.
    """
    wanted = list(hardening.wanted())
    if UID_DROP in wanted and os.geteuid() != 0:
        wanted.remove(UID_DROP)
    if SECCOMP in wanted and not seccomp.supported():
        wanted.remove(SECCOMP)
    if not wanted:
        return (), {}
    workdir = Path(tempfile.mkdtemp(prefix="probe-", dir=scratch_root))
    uid = privileges.worker_uid(uid_block, 0) if UID_DROP in wanted else None
    theirs, ours = socket.socketpair()
    try:
        pid = os.fork()
        if pid == 0:
            ours.close()
            _probe_child(theirs, wanted, workdir=str(workdir), uid=uid, readable=readable)
        theirs.close()
        ours.settimeout(10)
        report: dict[str, Any] = {}
        with contextlib.suppress(OSError, ValueError):
            report = json.loads(ours.recv(65536) or b"{}")
        # A probe that hangs (or already ended) is not waited for beyond its report.
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    finally:
        ours.close()
        if uid is not None:
            os.waitpid(privileges.kill_uid(uid), 0)
        shutil.rmtree(workdir, ignore_errors=True)
    active = tuple(layer for layer in WORKER_ORDER if layer in report.get("active", ()))
    return active, {str(k): str(v) for k, v in report.get("failed", {}).items()}


def _probe_child(
    channel: socket.socket,
    wanted: list[str],
    *,
    workdir: str,
    uid: int | None,
    readable: tuple[str, ...],
) -> NoReturn:
    active: list[str] = []
    failed: dict[str, str] = {}
    limits = {
        "memory_bytes": 2 * 1024**3,
        "cpu_seconds": 60,
        "file_bytes": 1024**2,
        "open_files": 256,
        "processes": 64,
        "disk_bytes": 1024**2,
        "disk_files": 64,
    }
    try:
        # As a root worker will: the probe's private-tmp comes before its uid-drop, but has the uid.
        exposed = _exposed(tuple(wanted), readable)
        os.chdir(workdir)
        here = workdir
        for layer in wanted:
            # Entered alone, as a worker would, on top of those that already worked.
            plan = Plan((*active, layer), readable, os.getppid(), exposed=exposed)
            try:
                here = _enter_one(layer, plan, here=here, limits=limits, uid=uid)
            except (OSError, ValueError, KeyError) as exc:
                failed[layer] = str(exc) or type(exc).__name__
                continue
            active.append(layer)
        for layer in list(active):
            problem = _verify(layer, uid=uid, readable=readable)
            if problem:
                active.remove(layer)
                failed[layer] = problem
        channel.sendall(json.dumps({"active": active, "failed": failed}).encode())
    finally:
        os._exit(0)


def _verify(layer: str, *, uid: int | None, readable: tuple[str, ...] = ()) -> str:
    """Empty when ``layer`` holds in the calling process; else what is wrong."""
    if layer == UID_DROP and os.getuid() != uid:
        return "still running as the grader's uid"
    if layer == NO_NEW_PRIVS and not privileges.no_new_privs():
        return "no_new_privs is not set"
    if layer == PRIVATE_TMP:
        try:
            Path("probe").write_text("x")
        except OSError as exc:
            return f"the private scratch folder is not writable ({exc})"
        # A Python installation or a checkout under /tmp would be hidden by the worker's own /tmp.
        hidden = [p for p in readable if Path(p).is_relative_to(PRIVATE_WORKDIR) and not Path(p).exists()]
        if hidden:
            return f"it would hide {hidden[0]}, which workers need (installed under {PRIVATE_WORKDIR})"
    if layer == LANDLOCK:
        with contextlib.suppress(PermissionError):
            os.listdir("/")
            return "the root directory is still readable"
    if layer == SECCOMP:
        try:
            socket.socket(socket.AF_UNIX).close()
        except PermissionError:
            return ""
        return "sockets can still be created"
    return ""
