"""Landlock: confine a worker's file access to what it needs, without privileges or namespaces.

A worker may read the Python installation and the system libraries, write only its own scratch folder
(and ``/dev/null``), and nothing else: not the submissions, the rubrics, the grader's output, ``/proc``
(so not ``/proc/<pid>/environ`` or ``mem``) nor ``/tmp``. On kernels with Landlock ABI 4 or later it
may not open TCP connections; with ABI 6 or later it may not signal processes outside its own domain
nor reach abstract Unix sockets. Programs cannot be executed from anywhere.
"""

from __future__ import annotations

import ctypes
import os
import stat
import struct
from collections.abc import Iterable

from grader.sandbox import native

_CREATE_RULESET = 444
_ADD_RULE = 445
_RESTRICT_SELF = 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1

EXECUTE = 1 << 0
WRITE_FILE = 1 << 1
READ_FILE = 1 << 2
READ_DIR = 1 << 3
REMOVE_DIR = 1 << 4
REMOVE_FILE = 1 << 5
MAKE_CHAR = 1 << 6
MAKE_DIR = 1 << 7
MAKE_REG = 1 << 8
MAKE_SOCK = 1 << 9
MAKE_FIFO = 1 << 10
MAKE_BLOCK = 1 << 11
MAKE_SYM = 1 << 12
REFER = 1 << 13
TRUNCATE = 1 << 14
IOCTL_DEV = 1 << 15

_NET_BIND_TCP = 1 << 0
_NET_CONNECT_TCP = 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0
_SCOPE_SIGNAL = 1 << 1

_FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV
READ = READ_FILE | READ_DIR
# Everything a program does in its own folder, except creating devices and executing programs.
READ_WRITE = (
    READ
    | WRITE_FILE
    | REMOVE_DIR
    | REMOVE_FILE
    | MAKE_DIR
    | MAKE_REG
    | MAKE_SOCK
    | MAKE_FIFO
    | MAKE_SYM
    | REFER
    | TRUNCATE
)


def abi_version() -> int:
    """The kernel's Landlock ABI version; 0 when Landlock is not available."""
    try:
        return native.syscall(_CREATE_RULESET, None, 0, _CREATE_RULESET_VERSION, what="landlock")
    except OSError:
        return 0


def _handled_fs(abi: int) -> int:
    rights = (1 << 13) - 1
    if abi >= 2:
        rights |= REFER
    if abi >= 3:
        rights |= TRUNCATE
    if abi >= 5:
        rights |= IOCTL_DEV
    return rights


def restrict(*, abi: int, read: Iterable[str], read_write: Iterable[str], devices: Iterable[str]) -> None:
    """Confine the calling thread (and what it starts) for good. Requires no_new_privs first.

    ``read``: trees readable; ``read_write``: trees fully usable; ``devices``: files readable and writable
    (``/dev/null``). Paths that do not exist are skipped.
    """
    if abi < 1:
        raise OSError(0, "Landlock is not available on this kernel")
    handled = _handled_fs(abi)
    if abi >= 6:
        attr = struct.pack(
            "=QQQ", handled, _NET_BIND_TCP | _NET_CONNECT_TCP, _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL
        )
    elif abi >= 4:
        attr = struct.pack("=QQ", handled, _NET_BIND_TCP | _NET_CONNECT_TCP)
    else:
        attr = struct.pack("=Q", handled)
    buffer = ctypes.create_string_buffer(attr, len(attr))
    ruleset = native.syscall(_CREATE_RULESET, buffer, len(attr), 0, what="landlock_create_ruleset")
    try:
        for paths, rights in ((read, READ), (read_write, READ_WRITE), (devices, READ_FILE | WRITE_FILE)):
            for path in paths:
                _allow(ruleset, path, rights & handled)
        native.syscall(_RESTRICT_SELF, ruleset, 0, what="landlock_restrict_self")
    finally:
        os.close(ruleset)


def _allow(ruleset: int, path: str, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            rights &= _FILE_RIGHTS
        rule = ctypes.create_string_buffer(struct.pack("=Qi", rights, fd), 12)
        native.syscall(_ADD_RULE, ruleset, _RULE_PATH_BENEATH, rule, 0, what=f"landlock_add_rule({path})")
    finally:
        os.close(fd)
