"""What calling a student's function produces, as plain frozen data: the same whether the function ran
in a sandboxed worker or in this process. The judging code reads only these."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from grader.conventions import Convention

CallStatus = Literal["ok", "exception", "timeout", "crash"]
# A function that ran out of time twice is not called again: the cases are tiny, so a function that
# needs more than the limit (a thousand times what the reference needs) needs it every time, and each
# further call would cost another full limit of the batch's time to learn the same thing. The second
# try is for a busy machine: a time limit is wall-clock time, and a first call can be starved.
MAX_TIMEOUTS_PER_FUNCTION = 2
# What a hidden call's failure says: fixed words, never anything the student's code produced.
SEALED_MESSAGE = "hidden case"


class Opaque:
    """A value the worker could not send as data (a class instance, a generator, ...)."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


@dataclass(frozen=True)
class Frame:
    """A line of the student's code in a traceback: which code unit, which line, which function."""

    unit: int
    line: int
    function: str


@dataclass(frozen=True)
class FunctionInfo:
    """A function the submission defines, as seen after loading it."""

    name: str
    params: tuple[str, ...]
    required: int
    varargs: bool
    unit: int
    line: int
    # The last line of its body, where the worker could tell (0: unknown).
    end_line: int = 0

    def accepts(self, count: int) -> bool:
        """Whether it can be called with ``count`` positional arguments."""
        return self.required <= count and (self.varargs or count <= len(self.params))


@dataclass(frozen=True)
class LoadEvent:
    """Something that happened while loading: a syntax error, a failed import, a skipped statement."""

    unit: int
    kind: str
    message: str
    line: int | None = None
    error_type: str = ""


@dataclass(frozen=True)
class CallOutcome:
    """What one call of a student function produced (values are plain data, already validated)."""

    status: CallStatus
    value: Any = None
    args_after: tuple[Any, ...] = ()
    globals_after: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    error_type: str = ""
    message: str = ""
    frames: tuple[Frame, ...] = ()
    elapsed_s: float = 0.0
    # Not made, or cut short, because the submission's total time budget ran out.
    over_budget: bool = False


@dataclass(frozen=True)
class PlannedCall:
    """One call of a batch: known before any of them is made, so that they travel together."""

    function: str
    args: tuple[Any, ...]
    timeout_s: float
    watch_globals: tuple[str, ...] = ()
    return_args: tuple[int, ...] = ()
    # What the submission's budget must still hold, in the worst case, once this call is made: the
    # calls that grading task by task makes before this one and the batch makes after it (the hidden
    # cases of the tasks before). At most half of what is left of the budget is held back for them
    # (see StudentRuntime.call_many).
    reserve_s: float = 0.0


@dataclass(frozen=True)
class Substitute:
    """A reference function standing in for one of the student's own helpers during a call.

    ``name``: the student's function it replaces; ``function``: the reference, called in the grader on
    the arguments the student's code passes (converted from the student's ``convention`` to the
    reference's, and its ``outputs`` back).
    """

    name: str
    function: Callable[..., Any]
    convention: Convention
    outputs: tuple[str, ...] = ()


class StudentCode(Protocol):
    """How the judge calls a submission's functions (a sandboxed worker, or plain functions in tests).

    ``hidden``: the arguments are a hidden case; only the returned values may come back.
    ``substitutes``: reference functions to stand in for the student's helpers during the call.
    ``watch_globals``: module-level names whose values after the call come back too.
    ``return_args``: positions of the arguments whose values after the call come back.
    """

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
    ) -> CallOutcome: ...

    def call_many(self, calls: Sequence[PlannedCall], *, hidden: bool = False) -> list[CallOutcome]:
        """Several calls (of one function or several) in one go, in order; may answer the outcomes of
        only the first few (the rest are made with :meth:`call`)."""
        ...
