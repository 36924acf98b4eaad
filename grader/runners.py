"""Where the notebook check runs the student's functions, so that none of them can hang or kill the kernel.

- ``fork`` (Linux): the judging runs in a child forked from the kernel, which sees the student's globals as
  they are (copied on write: nothing a check does reaches the kernel's state). The child's address space
  is limited (``RLIMIT_AS``), so a function that eats memory meets ``MemoryError``; each call is limited by
  a ``SIGALRM`` timer in the child, and the parent kills the child when a call outlives its limit anyway
  (stuck in C, where no signal is handled), then forks again without calling that function.
- ``here`` (everywhere, and where fork is missing or unsafe: Windows, macOS): in the kernel itself, each
  call limited by ``SIGALRM`` on the main thread or by a watchdog thread elsewhere (see
  :mod:`grader.inprocess`). No memory limit, and a call stuck inside one C function runs until it returns.

Either way what the student's code prints while it is checked is kept apart (not mixed into the
result's display) and given back with the result.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import struct
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from grader.calls import CallOutcome, PlannedCall, StudentCode, Substitute

T = TypeVar("T")
Runner = Literal["auto", "fork", "here"]
RUNNERS: tuple[Runner, ...] = ("auto", "fork", "here")

# Kept of what the student's code prints during a check (the rest is cut, and said so).
OUTPUT_LIMIT = 64 * 1024
# A child that never ends a call is given this long beyond the call's own limit before it is killed.
GRACE_S = 1.0
# Children forked for one check at most: each one after the first means a function was given up on.
MAX_CHILDREN = 16
_FRAME = struct.Struct(">Q")


@dataclass(frozen=True)
class Ran(Generic[T]):
    """What running the judging gave: its value, what the student's code printed, and how it ran."""

    value: T
    output: str
    runner: Literal["fork", "here"]


@dataclass(frozen=True)
class ChildLimits:
    """What a forked child may use: address space beyond what the kernel has already mapped, and time in
    all (a safety net: every call has its own limit, well below it)."""

    memory_bytes: int = 2 * 1024**3
    total_s: float = 120.0


class ChildFailed(RuntimeError):
    """The forked child failed outside the student's calls (the grader's own error, or its time ran out)."""


def fork_is_safe() -> bool:
    """Whether a child may be forked from this process: on Linux. macOS has ``fork`` but the system's
    frameworks (and NumPy's Accelerate) are not safe in a forked child of a process with threads, as a
    kernel is; Windows has none."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def chosen_runner(runner: Runner) -> Literal["fork", "here"]:
    if runner == "auto":
        return "fork" if fork_is_safe() else "here"
    if runner == "fork" and not hasattr(os, "fork"):
        raise ValueError("runner='fork' needs os.fork, which this platform does not have; use 'here'")
    return runner


def run(
    work: Callable[[StudentCode], T],
    code: StudentCode,
    *,
    runner: Runner = "auto",
    limits: ChildLimits = ChildLimits(),
) -> Ran[T]:
    """``work(code)``, the student's calls made as ``runner`` says (see the module)."""
    if chosen_runner(runner) == "fork":
        value, output = _run_forked(work, code, limits)
        return Ran(value, output, "fork")
    with _captured() as printed:
        value = work(code)
    return Ran(value, printed.text(), "here")


# --- output ------------------------------------------------------------------------------------------


class _Capped(io.TextIOBase):
    """A text stream keeping the first ``OUTPUT_LIMIT`` characters written to it."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._size = 0
        self._cut = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        room = OUTPUT_LIMIT - self._size
        if len(text) > room:
            self._cut = True
        kept = text[: max(room, 0)]
        self._parts.append(kept)
        self._size += len(kept)
        return len(text)

    def text(self) -> str:
        return "".join(self._parts) + ("\n[…]\n" if self._cut else "")


@contextlib.contextmanager
def _captured() -> Iterator[_Capped]:
    stream = _Capped()
    with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
        yield stream


# --- the forked child ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stopped:
    """A child ended in a call: killed after its time ran out, or dead on its own (memory, a crash)."""

    function: str
    kind: Literal["timeout", "crash"]
    reason: str


def _run_forked(work: Callable[[StudentCode], T], code: StudentCode, limits: ChildLimits) -> tuple[T, str]:
    given_up: dict[str, _Stopped] = {}
    deadline = time.monotonic() + limits.total_s
    for _ in range(MAX_CHILDREN):
        ended = _one_child(work, code, given_up, limits, deadline)
        if not isinstance(ended, _Stopped):
            return ended
        given_up[ended.function] = ended
    raise ChildFailed(f"gave up after {MAX_CHILDREN} children")


def _one_child(
    work: Callable[[StudentCode], T],
    code: StudentCode,
    given_up: Mapping[str, _Stopped],
    limits: ChildLimits,
    deadline: float,
) -> tuple[T, str] | _Stopped:
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12 warns about forking a process with threads (a kernel has several): the child runs
        # nothing of theirs and touches none of their locks (it never writes to the kernel's streams).
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's lines are measured in the parent's results
        os.close(read_end)
        _child(work, code, given_up, write_end, limits)
    os.close(write_end)
    child = _Child(pid)
    try:
        return _watch(child, read_end, deadline)
    finally:
        os.close(read_end)
        child.end()


def _child(
    work: Callable[[StudentCode], Any],
    code: StudentCode,
    given_up: Mapping[str, _Stopped],
    channel: int,
    limits: ChildLimits,
) -> None:  # pragma: no cover - runs in the forked child, which ends with os._exit
    status = 0
    try:
        # Nothing goes to the kernel's streams from here on: they belong to its threads, gone in the child.
        stream = _Capped()
        sys.stdout = sys.stderr = stream
        _limit_memory(limits.memory_bytes)
        value = work(_Watched(code, channel, given_up))
        _send(channel, ("done", value, stream.text()))
    except BaseException:
        status = 1
        with contextlib.suppress(BaseException):
            _send(channel, ("failed", traceback.format_exc()))
    finally:
        os._exit(status)


def _limit_memory(extra_bytes: int) -> None:  # pragma: no cover - runs in the forked child
    """Allow the child ``extra_bytes`` of address space beyond what it has mapped at the fork (the kernel's
    own, NumPy's and the judge's), so that a function eating memory fails alone, with MemoryError."""
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return
    wanted = mapped + extra_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


class _Watched:
    """The student's code as the child calls it: each call is announced to the parent (which kills the child
    if the call outlives its limit), and a function the parent gave up on is not called again."""

    def __init__(self, code: StudentCode, channel: int, given_up: Mapping[str, _Stopped]) -> None:
        self._code = code
        self._channel = channel
        self._given_up = given_up

    def call(
        self,
        function: str,
        args: Sequence[Any],
        *,
        timeout_s: float,
        substitutes: Sequence[Substitute] = (),
        watch_globals: Sequence[str] = (),
        return_args: Sequence[int] = (),
        hidden: bool = False,
    ) -> CallOutcome:
        stopped = self._given_up.get(function)
        if stopped is not None:
            return _outcome(stopped, timeout_s)
        with self._announced(function, timeout_s):
            return self._code.call(
                function,
                args,
                timeout_s=timeout_s,
                substitutes=substitutes,
                watch_globals=watch_globals,
                return_args=return_args,
                hidden=hidden,
            )

    def call_many(self, calls: Sequence[PlannedCall], *, hidden: bool = False) -> list[CallOutcome]:
        # The parent gives up on the function it was told is running: a batch of several functions could
        # not say which one hung, so those calls are made one by one (here a batch saves no round trip).
        functions = {call.function for call in calls}
        if len(functions) != 1:
            return []
        (function,) = functions
        stopped = self._given_up.get(function)
        if stopped is not None:
            return [_outcome(stopped, calls[0].timeout_s)]
        with self._announced(function, sum(call.timeout_s for call in calls)):
            return self._code.call_many(calls, hidden=hidden)

    @contextlib.contextmanager
    def _announced(self, function: str, seconds: float) -> Iterator[None]:
        _send(self._channel, ("start", function, seconds))
        try:
            yield
        finally:
            _send(self._channel, ("end",))


def _outcome(stopped: _Stopped, timeout_s: float) -> CallOutcome:
    """What a call of a function the parent gave up on answers, as a worker's runtime would answer it."""
    if stopped.kind == "timeout":
        return CallOutcome(status="timeout", message=f"no answer within {timeout_s:g} s")
    return CallOutcome(status="crash", message=stopped.reason)


# --- the parent's side ----------------------------------------------------------------------------------


def _watch(child: _Child, channel: int, deadline: float) -> tuple[Any, str] | _Stopped:
    """Read the child's messages until it is done, killing it when a call outlives its limit."""
    import select

    frames = _Frames(channel)
    calling: tuple[str, float] | None = None  # the function being called and when its time runs out
    while True:
        until = min(deadline, calling[1]) if calling is not None else deadline
        ready, _, _ = select.select([channel], [], [], max(until - time.monotonic(), 0.0))
        if not ready:
            child.end()
            if calling is None:
                raise ChildFailed("the check took longer than its time limit")
            return _Stopped(calling[0], "timeout", "")
        messages = frames.read()
        if messages is None:
            reason = child.death()
            if calling is None:
                raise ChildFailed(f"the checking process ended abruptly ({reason})")
            return _Stopped(calling[0], "crash", reason)
        for message in messages:
            kind = message[0]
            if kind == "start":
                calling = (message[1], time.monotonic() + message[2] + GRACE_S)
            elif kind == "end":
                calling = None
            elif kind == "done":
                return message[1], message[2]
            else:
                raise ChildFailed(f"the check failed in the checking process:\n{message[1]}")


class _Child:
    """A forked child, killed and reaped once (never signalled after it is reaped: its pid may be reused)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._status: int | None = None

    def death(self) -> str:
        """Why the child ended, in words (waiting for it to end, which it is doing: its pipe closed)."""
        status = self._reap()
        if os.WIFSIGNALED(status):
            import signal

            number = os.WTERMSIG(status)
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = str(number)
            return f"killed by {name}"
        return f"exit status {os.WEXITSTATUS(status)}"

    def end(self) -> None:
        """Kill the child if it has not been reaped yet, and reap it."""
        if self._status is not None:
            return
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self._reap()

    def _reap(self) -> int:
        if self._status is None:
            _, self._status = os.waitpid(self.pid, 0)
        return self._status


def _send(channel: int, message: tuple[Any, ...]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_FRAME.pack(len(data)) + data)
    while view:
        view = view[os.write(channel, view) :]


class _Frames:
    """Length-prefixed pickles read from a pipe as they arrive."""

    def __init__(self, channel: int) -> None:
        self._channel = channel
        self._buffer = bytearray()

    def read(self) -> list[tuple[Any, ...]] | None:
        """The messages complete after one read (maybe none); ``None`` at the end of the pipe."""
        chunk = os.read(self._channel, 1 << 16)
        if not chunk:
            return None
        self._buffer += chunk
        messages = []
        while len(self._buffer) >= _FRAME.size:
            (size,) = _FRAME.unpack_from(self._buffer)
            if len(self._buffer) < _FRAME.size + size:
                break
            data = bytes(self._buffer[_FRAME.size : _FRAME.size + size])
            del self._buffer[: _FRAME.size + size]
            # The child is this kernel's own fork, running the student's own code on their own machine.
            messages.append(pickle.loads(data))
        return messages
