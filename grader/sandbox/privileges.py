"""Process credentials and flags: no_new_privs, dumpable, an unprivileged uid, a private scratch tmpfs."""

from __future__ import annotations

import ctypes
import os
import resource
import signal
from collections.abc import Iterable
from pathlib import Path

from grader.sandbox import native

_PR_SET_PDEATHSIG = 1
_PR_SET_DUMPABLE = 4
_PR_SET_NO_NEW_PRIVS = 38
_PR_GET_NO_NEW_PRIVS = 39
_PR_CAP_AMBIENT = 47
_PR_CAP_AMBIENT_CLEAR_ALL = 4
_CLONE_NEWNS = 0x00020000
_CLONE_NEWUSER = 0x10000000
_MS_NOSUID = 0x2
_MS_NODEV = 0x4
_MS_NOEXEC = 0x8
_MS_REC = 0x4000
_MS_PRIVATE = 1 << 18
_MS_RDONLY = 0x1
_MS_REMOUNT = 0x20
_MS_BIND = 0x1000
_OPEN_TREE = 428
_MOVE_MOUNT = 429
_OPEN_TREE_CLONE = 1
_AT_RECURSIVE = 0x8000
_AT_FDCWD = -100
_MOVE_MOUNT_F_EMPTY_PATH = 0x4
_CAPSET = {"x86_64": 126, "aarch64": 91}
_CAPABILITY_VERSION_3 = 0x20080522

# Workers of a root grader run as uids of their own, far above any account's: two workers (even of two
# grader runs at once, told apart by the zygote's pid) never share a uid, so DAC keeps them apart and
# every process a worker leaves behind can be found and killed by uid.
WORKER_UID_BASE = 1 << 30
_UIDS_PER_ZYGOTE = 1 << 10


def protect_grader_process() -> None:
    """For the grader itself: no core dumps, and no reading of its memory or environment via /proc.

    A non-dumpable process's ``/proc/<pid>/environ``, ``mem`` and ``maps`` belong to root, so a
    process of the same uid (a worker, or anything it started) cannot read the secret there.
    """
    set_dumpable(False)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def set_dumpable(flag: bool) -> None:
    native.check(native.libc().prctl(_PR_SET_DUMPABLE, int(flag), 0, 0, 0), "prctl(PR_SET_DUMPABLE)")


def set_no_new_privs() -> None:
    """No setuid binary (sudo, su, ping) can ever raise this process's privileges again."""
    native.check(native.libc().prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")


def no_new_privs() -> bool:
    return bool(
        native.check(native.libc().prctl(_PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), "prctl(PR_GET_NO_NEW_PRIVS)")
    )


def die_with_parent(expected_parent: int) -> None:
    """Be killed when the parent goes; exit now if it already went."""
    native.check(native.libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")
    if os.getppid() != expected_parent:
        os._exit(1)


def worker_uid(zygote_pid: int, serial: int) -> int:
    """The uid of the ``serial``-th worker of the zygote ``zygote_pid`` (when the grader runs as root)."""
    return WORKER_UID_BASE + (zygote_pid % (1 << 20)) * _UIDS_PER_ZYGOTE + serial % _UIDS_PER_ZYGOTE


def drop_to(uid: int) -> None:
    """Become ``uid`` (group ``uid``, no supplementary groups) for good: all capabilities go with root."""
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (uid, uid, uid) or os.getgroups():
        raise OSError(0, "the uid drop did not take")


def kill_uid(uid: int) -> int:
    """Kill every process running as ``uid`` (a worker's and whatever it left behind); root only.

    A child takes the uid and signals everything it may signal (kill(-1) skips the caller itself);
    returns the child's pid, for a caller that reaps its children to wait for.
    """
    pid = os.fork()
    if pid == 0:
        try:
            drop_to(uid)
            os.kill(-1, signal.SIGKILL)
        except BaseException:
            os._exit(1)
        os._exit(0)
    return pid


def private_tmp(*, user_namespace: bool, size_bytes: int, max_files: int) -> None:
    """Mount a fresh, size- and file-count-limited, non-executable tmpfs on ``/tmp`` in a mount
    namespace of this process's own: what the worker writes never reaches the disk, cannot fill it,
    cannot be loaded as a library, and vanishes with the worker. The tmpfs belongs to the caller.

    ``user_namespace``: for an unprivileged caller, which first enters a user namespace of its own
    that maps only its own uid and gid (the kernel allows that without privileges, where not
    disabled), and gives up the capabilities it holds there once the mount is made.
    """
    libc = native.libc()
    uid, gid = os.getuid(), os.getgid()
    if user_namespace:
        native.check(libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNS), "unshare(user, mount)")
        # A non-dumpable process's /proc/self files belong to root: it could not write its own maps.
        set_dumpable(True)
        try:
            Path("/proc/self/setgroups").write_text("deny")
            Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
            Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
        finally:
            set_dumpable(False)
    else:
        native.check(libc.unshare(_CLONE_NEWNS), "unshare(mount)")
    native.check(libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None), "mount(private)")
    options = f"size={size_bytes},nr_inodes={max_files},mode=0700,uid={uid},gid={gid}"
    native.check(
        libc.mount(b"tmpfs", b"/tmp", b"tmpfs", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC, options.encode()),
        "mount(tmpfs)",
    )
    if user_namespace:
        drop_capabilities()


Exposures = tuple[tuple[str, tuple[str, ...]], ...]


def exposures(paths: Iterable[str]) -> Exposures:
    """Which of ``paths`` lie under a folder closed to others (a Python installed under /root): each such
    folder with the paths under it, for :func:`expose`.

    Worked out once, by the zygote, for all its workers: they see the same tree (a worker's mount
    namespace starts as a copy of the zygote's), and in a fresh worker every object first touched costs
    a copied page.
    """
    wanted = sorted(set(paths))
    outermost = [p for p in wanted if not any(p != q and Path(p).is_relative_to(q) for q in wanted)]
    moved: dict[str, list[str]] = {}
    for path in outermost:
        closed = _closed_folder(Path(path))
        if closed is not None:
            moved.setdefault(str(closed), []).append(path)
    return tuple((folder, tuple(under)) for folder, under in moved.items())


def expose(exposed: Exposures) -> None:
    """Make the paths of :func:`exposures` reachable by any uid in this (private) mount namespace. Root
    only.

    Each closed folder is covered with an empty tmpfs open to all, holding only the paths (moved
    there, read-only, from the original tree): nothing else of the folder is visible.
    """
    libc = native.libc()
    # Every tree is taken before any folder is covered: covering one hides what lies under it.
    moved: list[tuple[str, list[tuple[str, int]]]] = []
    for folder, paths in exposed:
        trees = []
        for path in paths:
            flags = _OPEN_TREE_CLONE | _AT_RECURSIVE | os.O_CLOEXEC
            tree = native.syscall(_OPEN_TREE, _AT_FDCWD, path.encode(), flags, what="open_tree")
            trees.append((path, tree))
        moved.append((folder, trees))
    for folder, trees in moved:
        native.check(
            libc.mount(b"tmpfs", folder.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV, b"mode=0755,size=1m"),
            f"mount(tmpfs on {folder})",
        )
        for path, tree in trees:
            os.makedirs(path, mode=0o755, exist_ok=True)
            native.syscall(
                _MOVE_MOUNT, tree, b"", _AT_FDCWD, path.encode(), _MOVE_MOUNT_F_EMPTY_PATH, what="move_mount"
            )
            os.close(tree)
            native.check(
                libc.mount(None, path.encode(), None, _MS_BIND | _MS_REMOUNT | _MS_RDONLY | _MS_REC, None),
                "mount(read-only)",
            )


def _closed_folder(path: Path) -> Path | None:
    """The topmost folder above ``path`` that others may not pass through, if any."""
    for folder in reversed(path.parents):
        if folder != Path("/") and not os.stat(folder).st_mode & 0o001:
            return folder
    return None


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def drop_capabilities() -> None:
    """Give up every capability (those a user namespace's creator holds in it, in particular)."""
    import platform

    native.libc().prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header = _CapHeader(_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    native.syscall(_CAPSET[platform.machine()], ctypes.byref(header), data, what="capset")
