"""What a worker says back, read as hostile input: every reply becomes a validated frozen value or a
:class:`ProtocolError`, never an exception of another kind in the grader."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from grader.sandbox.protocol import ProtocolError, decode_value

CallStatus = Literal["ok", "exception", "timeout", "crash"]


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
class LoadReport:
    status: Literal["ok", "timeout", "crash"]
    functions: Mapping[str, FunctionInfo] = field(default_factory=dict)
    events: tuple[LoadEvent, ...] = ()
    message: str = ""
    # Names bound only by top-level statements that definitions mode did not run.
    skipped_names: frozenset[str] = frozenset()
    # Seconds spent running the student's statements, as the worker measured them.
    elapsed_s: float = 0.0


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


def parse_load(reply: Mapping[str, Any]) -> LoadReport:
    functions = {
        name: FunctionInfo(
            name=name,
            params=tuple(str(p) for p in info["params"]),
            required=int(info["required"]),
            varargs=bool(info["varargs"]),
            unit=int(info["unit"]),
            line=int(info["line"]),
        )
        for name, info in reply.get("functions", {}).items()
    }
    events = tuple(
        LoadEvent(
            unit=int(e["unit"]),
            kind=str(e["kind"]),
            message=str(e.get("message", ""))[:500],
            line=_event_line(e),
            error_type=str(e.get("type", "")),
        )
        for e in reply.get("events", [])
    )
    skipped_names = frozenset(
        str(name)
        for e in reply.get("events", [])
        if e.get("kind") == "skipped"
        for name in e.get("binds", [])
    )
    elapsed = reply.get("elapsed_s", 0.0)
    return LoadReport(
        status="ok",
        functions=functions,
        events=events,
        skipped_names=skipped_names,
        elapsed_s=float(elapsed) if isinstance(elapsed, int | float) else 0.0,
    )


def missing_name(message: str) -> str | None:
    """The name in a NameError's message (``name 'X' is not defined``)."""
    match = re.match(r"name '(\w+)' is not defined", message)
    return match.group(1) if match else None


def _event_line(event: Mapping[str, Any]) -> int | None:
    if "line" in event:
        return int(event["line"])
    frames = event.get("trace") or []
    return int(frames[-1]["line"]) if frames else None


def parse_call(reply: Mapping[str, Any], arrays: Sequence[np.ndarray]) -> CallOutcome:
    status = reply.get("status")
    warnings = tuple(str(w)[:500] for w in reply.get("warnings", []))[:10]
    if status == "ok":
        args_after = decode_value(reply["args_after"], arrays)
        globals_after = decode_value(reply["globals_after"], arrays)
        return CallOutcome(
            status="ok",
            value=decode_value(reply["value"], arrays),
            args_after=tuple(args_after) if isinstance(args_after, tuple) else (),
            globals_after=globals_after if isinstance(globals_after, dict) else {},
            warnings=warnings,
            elapsed_s=float(reply.get("elapsed_s", 0.0)),
        )
    if status == "timeout":
        return CallOutcome(status="timeout", message=str(reply.get("message", ""))[:500])
    if status == "exception":
        return CallOutcome(
            status="exception",
            error_type=str(reply.get("type", "Exception"))[:100],
            message=str(reply.get("message", ""))[:500],
            frames=tuple(
                Frame(unit=int(f["unit"]), line=int(f["line"]), function=str(f["function"])[:100])
                for f in reply.get("trace", [])
            ),
            warnings=warnings,
        )
    raise ProtocolError(f"unknown status {status!r}")
