"""A seccomp filter for workers: no new processes, programs, sockets, or reach into other processes.

The filter is a small classic-BPF program assembled here: it checks the architecture, then denies a
fixed list of system calls with ``EPERM`` so that student code sees an ordinary ``PermissionError``.
Threads stay possible (``clone`` with ``CLONE_THREAD``), so NumPy, BLAS and ``threading`` keep
working; ``clone3`` answers ``ENOSYS`` so the C library falls back to ``clone``, whose flags the filter
can read. Signals may only target the worker itself, and so may changes of scheduling and limits.

Calls are named, and their numbers looked up in libseccomp when it is installed (else in the tables
below). A name known to neither stops the filter from being built: a misspelt name must not quietly
leave a call allowed.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import platform
import struct
from collections.abc import Callable, Iterable, Mapping

from grader.sandbox import native

# Classic BPF opcodes and seccomp return values (linux/filter.h, linux/seccomp.h).
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JSET_K = 0x45
_JGE_K = 0x35
_RET_K = 0x06
_JA = 0x05
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_RET_KILL_PROCESS = 0x80000000
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2

# Offsets in struct seccomp_data (little-endian on both supported architectures).
_NR = 0
_ARCH = 4


def _arg_low(index: int) -> int:
    return 16 + 8 * index


_CLONE_THREAD = 0x00010000
# CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET: no namespaces from a thread.
_CLONE_NAMESPACES = 0x7E020000
_PROT_EXEC = 0x4
_MAP_ANONYMOUS = 0x20
_TIOCSTI = 0x5412
_TIOCLINUX = 0x541C
# Each names the process that gets SIGIO (or any signal chosen with F_SETSIG) for a descriptor's events.
_F_SETOWN = 8
_F_SETOWN_EX = 15
_FIOSETOWN = 0x8901
_SIOCSPGRP = 0x8902
_X32_SYSCALL_BIT = 0x40000000
# Stands for the worker's pid in a filter built before the worker exists (no pid is this large).
PID_PLACEHOLDER = 0x7FFFFFFE

# Calls denied outright, by name. Grouped by what they would let student code do.
DENIED = (
    # run programs or start processes
    "execve",
    "execveat",
    "fork",
    "vfork",
    # talk to anything: new sockets of any family (TCP, UDP, Unix such as docker.sock, netlink)
    "socket",
    "socketpair",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    # reach into or signal other processes
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "tkill",
    "rt_sigqueueinfo",
    "rt_tgsigqueueinfo",
    "pidfd_open",
    "pidfd_getfd",
    "pidfd_send_signal",
    "kcmp",
    "process_madvise",
    "process_mrelease",
    "migrate_pages",
    "move_pages",
    "setpriority",
    "ioprio_set",
    "get_robust_list",
    # objects that outlive the worker and that any later worker can open: SysV shared memory, message
    # queues and semaphores, POSIX message queues (a channel from one submission to the next)
    "shmget",
    "shmat",
    "shmdt",
    "shmctl",
    "msgget",
    "msgsnd",
    "msgrcv",
    "msgctl",
    "semget",
    "semop",
    "semtimedop",
    "semctl",
    "mq_open",
    "mq_unlink",
    "mq_timedsend",
    "mq_timedreceive",
    "mq_notify",
    "mq_getsetattr",
    # the whole machine's state: its clocks, its names, file system events anywhere (fanotify), and
    # calls only older kernels still carry
    "clock_settime",
    "clock_adjtime",
    "settimeofday",
    "adjtimex",
    "sethostname",
    "setdomainname",
    "fanotify_init",
    "fanotify_mark",
    "lookup_dcookie",
    "nfsservctl",
    "_sysctl",
    # change the file system view or the kernel
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "open_tree",
    "open_tree_attr",
    "move_mount",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "mount_setattr",
    "name_to_handle_at",
    "open_by_handle_at",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "keyctl",
    "add_key",
    "request_key",
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "kexec_file_load",
    "reboot",
    "swapon",
    "swapoff",
    "acct",
    "syslog",
    "quotactl",
    "quotactl_fd",
    "personality",
    "vhangup",
    "remap_file_pages",
    # native code from anywhere but the files already mapped
    "memfd_create",
    "uselib",
    "modify_ldt",
    "iopl",
    "ioperm",
)

_X86_64 = {
    "mmap": 9,
    "mprotect": 10,
    "ioctl": 16,
    "shmget": 29,
    "shmat": 30,
    "shmctl": 31,
    "socket": 41,
    "connect": 42,
    "accept": 43,
    "bind": 49,
    "listen": 50,
    "socketpair": 53,
    "clone": 56,
    "fork": 57,
    "vfork": 58,
    "execve": 59,
    "kill": 62,
    "semget": 64,
    "semop": 65,
    "semctl": 66,
    "shmdt": 67,
    "msgget": 68,
    "msgsnd": 69,
    "msgrcv": 70,
    "msgctl": 71,
    "fcntl": 72,
    "ptrace": 101,
    "syslog": 103,
    "rt_sigqueueinfo": 129,
    "uselib": 134,
    "personality": 135,
    "setpriority": 141,
    "sched_setparam": 142,
    "sched_setscheduler": 144,
    "vhangup": 153,
    "modify_ldt": 154,
    "pivot_root": 155,
    "_sysctl": 156,
    "adjtimex": 159,
    "chroot": 161,
    "acct": 163,
    "settimeofday": 164,
    "mount": 165,
    "umount2": 166,
    "swapon": 167,
    "swapoff": 168,
    "reboot": 169,
    "sethostname": 170,
    "setdomainname": 171,
    "iopl": 172,
    "ioperm": 173,
    "init_module": 175,
    "delete_module": 176,
    "quotactl": 179,
    "nfsservctl": 180,
    "tkill": 200,
    "sched_setaffinity": 203,
    "lookup_dcookie": 212,
    "remap_file_pages": 216,
    "semtimedop": 220,
    "clock_settime": 227,
    "tgkill": 234,
    "mq_open": 240,
    "mq_unlink": 241,
    "mq_timedsend": 242,
    "mq_timedreceive": 243,
    "mq_notify": 244,
    "mq_getsetattr": 245,
    "kexec_load": 246,
    "add_key": 248,
    "request_key": 249,
    "keyctl": 250,
    "ioprio_set": 251,
    "migrate_pages": 256,
    "unshare": 272,
    "get_robust_list": 274,
    "move_pages": 279,
    "accept4": 288,
    "rt_tgsigqueueinfo": 297,
    "perf_event_open": 298,
    "fanotify_init": 300,
    "fanotify_mark": 301,
    "prlimit64": 302,
    "name_to_handle_at": 303,
    "open_by_handle_at": 304,
    "clock_adjtime": 305,
    "setns": 308,
    "process_vm_readv": 310,
    "process_vm_writev": 311,
    "kcmp": 312,
    "finit_module": 313,
    "sched_setattr": 314,
    "memfd_create": 319,
    "kexec_file_load": 320,
    "bpf": 321,
    "execveat": 322,
    "userfaultfd": 323,
    "pkey_mprotect": 329,
}

_AARCH64 = {
    "lookup_dcookie": 18,
    "fcntl": 25,
    "ioctl": 29,
    "ioprio_set": 30,
    "umount2": 39,
    "mount": 40,
    "pivot_root": 41,
    "nfsservctl": 42,
    "chroot": 51,
    "vhangup": 58,
    "quotactl": 60,
    "acct": 89,
    "personality": 92,
    "unshare": 97,
    "get_robust_list": 100,
    "kexec_load": 104,
    "init_module": 105,
    "delete_module": 106,
    "clock_settime": 112,
    "syslog": 116,
    "ptrace": 117,
    "sched_setparam": 118,
    "sched_setscheduler": 119,
    "sched_setaffinity": 122,
    "kill": 129,
    "tkill": 130,
    "tgkill": 131,
    "rt_sigqueueinfo": 138,
    "setpriority": 140,
    "reboot": 142,
    "sethostname": 161,
    "setdomainname": 162,
    "settimeofday": 170,
    "adjtimex": 171,
    "mq_open": 180,
    "mq_unlink": 181,
    "mq_timedsend": 182,
    "mq_timedreceive": 183,
    "mq_notify": 184,
    "mq_getsetattr": 185,
    "msgget": 186,
    "msgctl": 187,
    "msgrcv": 188,
    "msgsnd": 189,
    "semget": 190,
    "semctl": 191,
    "semtimedop": 192,
    "semop": 193,
    "shmget": 194,
    "shmctl": 195,
    "shmat": 196,
    "shmdt": 197,
    "socket": 198,
    "socketpair": 199,
    "bind": 200,
    "listen": 201,
    "accept": 202,
    "connect": 203,
    "add_key": 217,
    "request_key": 218,
    "keyctl": 219,
    "clone": 220,
    "execve": 221,
    "mmap": 222,
    "swapon": 224,
    "swapoff": 225,
    "mprotect": 226,
    "remap_file_pages": 234,
    "migrate_pages": 238,
    "move_pages": 239,
    "rt_tgsigqueueinfo": 240,
    "perf_event_open": 241,
    "accept4": 242,
    "prlimit64": 261,
    "fanotify_init": 262,
    "fanotify_mark": 263,
    "name_to_handle_at": 264,
    "open_by_handle_at": 265,
    "clock_adjtime": 266,
    "setns": 268,
    "process_vm_readv": 270,
    "process_vm_writev": 271,
    "kcmp": 272,
    "finit_module": 273,
    "sched_setattr": 274,
    "memfd_create": 279,
    "bpf": 280,
    "execveat": 281,
    "userfaultfd": 282,
    "pkey_mprotect": 288,
    "kexec_file_load": 294,
}

# Numbered alike on every architecture (added after the tables were unified).
_COMMON = {
    "pidfd_send_signal": 424,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "pidfd_open": 434,
    "clone3": 435,
    "pidfd_getfd": 438,
    "process_madvise": 440,
    "mount_setattr": 442,
    "quotactl_fd": 443,
    "process_mrelease": 448,
    "open_tree_attr": 467,
}

# machine name → (AUDIT_ARCH_* value, syscall table)
_ARCHITECTURES: Mapping[str, tuple[int, Mapping[str, int]]] = {
    "x86_64": (0xC000003E, {**_X86_64, **_COMMON}),
    "aarch64": (0xC00000B7, {**_AARCH64, **_COMMON}),
}

# Calls the kernel of a machine does not have at all (so there is nothing to deny there). Only these
# may be missing from a table: any other unknown name is an error.
ABSENT: Mapping[str, frozenset[str]] = {
    "x86_64": frozenset(),
    "aarch64": frozenset({"fork", "vfork", "uselib", "modify_ldt", "iopl", "ioperm", "_sysctl"}),
}

# Calls the filter handles by their arguments rather than denying them.
SPECIAL = (
    "clone",
    "clone3",
    "kill",
    "tgkill",
    "prlimit64",
    "sched_setscheduler",
    "sched_setparam",
    "sched_setaffinity",
    "sched_setattr",
    "fcntl",
    "ioctl",
    "mmap",
    "mprotect",
    "pkey_mprotect",
)


class UnknownSystemCall(ValueError):
    """A call named in the filter has no number on the machine it is built for."""


# libseccomp's soname since its 2.0 release. Opened by that name (the dynamic loader searches as
# ctypes.util.find_library would): importing ctypes.util brings in shutil, and with it the bz2, lzma
# and zlib extension modules, native code loaded into every process that builds a filter.
_LIBSECCOMP = "libseccomp.so.2"


@functools.cache
def _libseccomp() -> Callable[[int, str], int] | None:
    """libseccomp's name lookup, when the library is installed (nothing else of it is used)."""
    try:
        resolve = ctypes.CDLL(_LIBSECCOMP).seccomp_syscall_resolve_name_arch
    except (OSError, AttributeError):
        return None
    resolve.argtypes = (ctypes.c_uint32, ctypes.c_char_p)
    resolve.restype = ctypes.c_int

    def lookup(arch: int, name: str) -> int:
        return int(resolve(arch, name.encode()))

    return lookup


def has_libseccomp() -> bool:
    return _libseccomp() is not None


def number(name: str, machine: str, *, libseccomp: bool = True) -> int | None:
    """The number of system call ``name`` on ``machine``; None if that machine's kernel has no such call.

    Asks libseccomp first (unless ``libseccomp`` is False, or it is not installed), then the tables
    here, which also cover calls newer than the installed libseccomp. Raises
    :class:`UnknownSystemCall` for a name neither knows that is not known to be absent.
    """
    arch, table = _ARCHITECTURES[machine]
    lookup = _libseccomp() if libseccomp else None
    if lookup is not None:
        # Negative: unknown (-1), or a pseudo-number for a call that exists only on other architectures.
        found = lookup(arch, name)
        if found >= 0:
            return found
    if name in table:
        return table[name]
    if name in ABSENT[machine]:
        return None
    raise UnknownSystemCall(f"no number for the system call {name!r} on {machine}")


class _Program:
    """Classic BPF assembled into struct sock_filter bytes."""

    def __init__(self) -> None:
        self.code: list[bytes] = []

    def load(self, offset: int) -> None:
        self.code.append(struct.pack("=HBBI", _LD_W_ABS, 0, 0, offset))

    def jump(self, op: int, value: int, *, true: int, false: int) -> None:
        self.code.append(struct.pack("=HBBI", op, true, false, value))

    def ret(self, value: int) -> None:
        self.code.append(struct.pack("=HBBI", _RET_K, 0, 0, value))

    def block(self, nr: int, body: list[bytes]) -> None:
        """``body`` (which must end in returns) runs only for system call ``nr``."""
        self.jump(_JEQ_K, nr, true=0, false=len(body))
        self.code.extend(body)


def _block(build: _Program) -> list[bytes]:
    return build.code


def supported() -> bool:
    """Whether a filter can be built for this machine's architecture."""
    return platform.machine() in _ARCHITECTURES


def filter_program(
    *, pid: int = PID_PLACEHOLDER, allow_native_code: bool, machine: str | None = None
) -> bytes:
    """The filter for a worker whose process id is ``pid``.

    Built once with the placeholder pid and completed for each worker by :func:`for_process`.
    ``allow_native_code`` False also refuses executable mappings of files (and making memory
    executable), so no shared library can be loaded after the filter is in place: used when nothing
    else stops student code from writing a library somewhere and loading it.
    """
    machine = machine or platform.machine()
    arch = _ARCHITECTURES[machine][0]
    denied = [found for found in (number(name, machine) for name in DENIED) if found is not None]
    special = {name: _required(name, machine) for name in SPECIAL}
    x32 = arch == _ARCHITECTURES["x86_64"][0]
    program = _Program()
    program.load(_ARCH)
    program.jump(_JEQ_K, arch, true=1, false=0)
    program.ret(_RET_KILL_PROCESS)
    program.load(_NR)
    # Every denied call jumps to one shared "return EPERM" placed after the list.
    checks = len(denied) + int(x32)
    if x32:
        # The x32 ABI reaches the same kernel entry points under other numbers.
        program.jump(_JGE_K, _X32_SYSCALL_BIT, true=checks, false=0)
    for index, nr in enumerate(denied, start=int(x32)):
        program.jump(_JEQ_K, nr, true=checks - index, false=0)
    program.jump(_JA, 1, true=0, false=0)
    program.ret(_RET_ERRNO | errno.EPERM)
    program.jump(_JEQ_K, special["clone3"], true=0, false=1)
    program.ret(_RET_ERRNO | errno.ENOSYS)
    program.block(special["clone"], _thread_only())
    program.block(special["kill"], _only_target(0, {pid}))
    program.block(special["tgkill"], _only_target(0, {pid}))
    # On another process, these could lower the grader's own limits, or put it on SCHED_IDLE pinned to
    # one CPU. (A thread of the worker's own, named by its thread id, is refused too.)
    for name in ("prlimit64", "sched_setscheduler", "sched_setparam", "sched_setaffinity", "sched_setattr"):
        program.block(special[name], _only_target(0, {0, pid}))
    # SIGIO (or any signal chosen with F_SETSIG) goes to the owner of a file descriptor: only the worker.
    program.block(special["fcntl"], _owner_only(pid))
    program.block(special["ioctl"], _refuse_values(1, (_TIOCSTI, _TIOCLINUX, _FIOSETOWN, _SIOCSPGRP)))
    if not allow_native_code:
        program.block(special["mmap"], _no_exec_file_mapping())
        program.block(special["mprotect"], _no_exec(2))
        program.block(special["pkey_mprotect"], _no_exec(2))
    program.ret(_RET_ALLOW)
    return b"".join(program.code)


def _required(name: str, machine: str) -> int:
    found = number(name, machine)
    if found is None:
        raise UnknownSystemCall(f"the filter needs the system call {name!r}, which {machine} lacks")
    return found


def for_process(program: bytes, pid: int) -> bytes:
    """``program`` (built with the placeholder pid) completed for the process ``pid``."""
    patched = bytearray(program)
    for offset in range(0, len(patched), 8):
        code, _, _, value = struct.unpack_from("=HBBI", patched, offset)
        if code == _JEQ_K and value == PID_PLACEHOLDER:
            struct.pack_into("=I", patched, offset + 4, pid)
    return bytes(patched)


def _thread_only() -> list[bytes]:
    body = _Program()
    body.load(_arg_low(0))
    body.jump(_JSET_K, _CLONE_NAMESPACES, true=2, false=0)
    body.jump(_JSET_K, _CLONE_THREAD, true=0, false=1)
    body.ret(_RET_ALLOW)
    body.ret(_RET_ERRNO | errno.EPERM)
    return _block(body)


def _only_target(arg: int, allowed: Iterable[int]) -> list[bytes]:
    """Allow the call only when argument ``arg`` (a pid, compared as the kernel's 32-bit int) is allowed."""
    values = sorted({v & 0xFFFFFFFF for v in allowed})
    body = _Program()
    body.load(_arg_low(arg))
    for index, value in enumerate(values):
        body.jump(_JEQ_K, value, true=len(values) - index, false=0)
    body.ret(_RET_ERRNO | errno.EPERM)
    body.ret(_RET_ALLOW)
    return _block(body)


def _owner_only(pid: int) -> list[bytes]:
    """fcntl: F_SETOWN only to nobody (0) or the worker itself; never F_SETOWN_EX (its target is in a
    struct the filter cannot read)."""
    target = _only_target(2, {0, pid})
    body = _Program()
    body.load(_arg_low(1))
    body.jump(_JEQ_K, _F_SETOWN_EX, true=len(target) + 2, false=0)
    body.jump(_JEQ_K, _F_SETOWN, true=0, false=len(target))
    body.code.extend(target)
    body.ret(_RET_ALLOW)
    body.ret(_RET_ERRNO | errno.EPERM)
    return _block(body)


def _refuse_values(arg: int, refused: Iterable[int]) -> list[bytes]:
    values = list(refused)
    body = _Program()
    body.load(_arg_low(arg))
    for index, value in enumerate(values):
        body.jump(_JEQ_K, value, true=len(values) - index, false=0)
    body.ret(_RET_ALLOW)
    body.ret(_RET_ERRNO | errno.EPERM)
    return _block(body)


def _no_exec(prot_arg: int) -> list[bytes]:
    body = _Program()
    body.load(_arg_low(prot_arg))
    body.jump(_JSET_K, _PROT_EXEC, true=0, false=1)
    body.ret(_RET_ERRNO | errno.EPERM)
    body.ret(_RET_ALLOW)
    return _block(body)


def _no_exec_file_mapping() -> list[bytes]:
    """mmap: executable mappings only of anonymous memory (never of a file)."""
    body = _Program()
    body.load(_arg_low(2))
    body.jump(_JSET_K, _PROT_EXEC, true=0, false=3)
    body.load(_arg_low(3))
    body.jump(_JSET_K, _MAP_ANONYMOUS, true=1, false=0)
    body.ret(_RET_ERRNO | errno.EPERM)
    body.ret(_RET_ALLOW)
    return _block(body)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install(program: bytes) -> None:
    """Put the filter on the calling thread (and what it starts). Requires no_new_privs first."""
    count = len(program) // 8
    if count == 0 or count > 4096 or len(program) % 8:
        raise ValueError("not a BPF program")
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(count, ctypes.addressof(buffer))
    native.check(
        native.libc().prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0), "seccomp"
    )
