"""Running the zygote inside bubblewrap, when it is installed and the machine lets it work.

bubblewrap gives the zygote (and so every worker) a view of the file system holding only the system
libraries, the Python installation, the grader's own package and the scratch folders; no network
at all (an empty network namespace); process ids of its own, with the zygote as pid 1, so that every
process of the sandbox dies with it. As root it keeps only the capabilities the zygote needs to give
each worker a private tmpfs and a uid of its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

# Fixed places rather than a PATH search: the grader does not read the environment here, and a bwrap
# found through a writable PATH entry would be a way in.
CANDIDATES = ("/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap")
# What root's zygote still needs: give workers their uid (SETUID, SETGID), a private tmpfs (SYS_ADMIN),
# the grader's scratch files (CHOWN), and kill them (KILL). Without a private tmpfs a restarted worker
# reuses a scratch folder the previous worker's uid owns (0700): handing it over again needs to read
# it and change its mode (DAC_OVERRIDE, FOWNER). Workers keep none of these: they drop to their uid.
ROOT_CAPABILITIES = (
    "CAP_SETUID",
    "CAP_SETGID",
    "CAP_SYS_ADMIN",
    "CAP_CHOWN",
    "CAP_KILL",
    "CAP_DAC_OVERRIDE",
    "CAP_FOWNER",
)
_SYSTEM_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")


def find() -> str | None:
    for candidate in CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def command(
    bwrap: str, argv: Sequence[str], *, readable: Sequence[str], writable: Sequence[str], as_root: bool
) -> list[str]:
    """The bwrap command line that runs ``argv`` in the sandbox.

    ``readable`` trees are bound read-only at the same paths, ``writable`` ones read-write (the
    scratch folders, which the grader creates and the workers use).
    """
    args = [
        bwrap,
        "--die-with-parent",
        "--new-session",
        "--unshare-ipc",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-pid",
        "--unshare-cgroup-try",
        "--as-pid-1",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
        "--tmpfs",
        "/tmp",
        "--ro-bind",
        "/usr",
        "/usr",
    ]
    if as_root:
        args += ["--cap-drop", "ALL"]
        for capability in ROOT_CAPABILITIES:
            args += ["--cap-add", capability]
    else:
        args.append("--unshare-user")
    for name in _SYSTEM_LINKS:
        link = Path("/") / name
        if link.is_symlink():
            args += ["--symlink", os.readlink(link), str(link)]
        elif link.is_dir():
            args += ["--ro-bind", str(link), str(link)]
    trees = _outermost(p for p in readable if not _under(p, "/usr"))
    # bwrap makes the folders above a bind as closed as the originals (/root is 0700): open them, so
    # that workers under other uids can reach the Python installation. They hold nothing else.
    made = {"/", "/tmp", "/dev", "/proc", "/usr"}
    for tree in [*trees, *writable]:
        for folder in reversed(Path(tree).parents):
            if str(folder) not in made:
                made.add(str(folder))
                args += ["--perms", "0755", "--dir", str(folder)]
    for tree in trees:
        args += ["--ro-bind-try", tree, tree]
    for tree in writable:
        args += ["--bind", tree, tree]
    args += ["--chdir", "/", "--", *argv]
    return args


def _under(path: str, root: str) -> bool:
    return Path(path).is_relative_to(root)


def _outermost(paths: Iterable[str]) -> list[str]:
    """The paths not inside another one of them (binding a parent already binds its children)."""
    unique = sorted({str(Path(p)) for p in paths})
    kept: list[str] = []
    for path in unique:
        if not any(_under(path, parent) for parent in kept):
            kept.append(path)
    return kept
