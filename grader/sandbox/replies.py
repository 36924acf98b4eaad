"""What a worker says back, read as hostile input: every reply becomes a validated frozen value or a
:class:`ProtocolError`, never an exception of another kind in the grader."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from grader.calls import CallOutcome, Frame, FunctionInfo, LoadEvent
from grader.sandbox.protocol import ProtocolError, decode_value

# Bounds on what a reply may hold. A worker that keeps to the protocol stays far inside them; one that
# does not (its student code may have taken it over) gets its reply refused, never a grader exception.
MAX_FUNCTIONS = 10_000
MAX_PARAMS = 1_000
MAX_EVENTS = 10_000
MAX_BINDS = 10_000
MAX_TRACE = 8  # the worker keeps the last 8 frames of a traceback
MAX_WARNINGS = 10
MAX_LINE = 10**7
# Code units a traceback of a call may name (the grader checks each against the units it has).
MAX_UNITS = 10**6
MAX_NAME = 1_000  # a function, parameter or global name: longer ones are refused, never cut
MAX_MESSAGE = 500
MAX_LABEL = 100  # a kind of event, an error type, a function named in a traceback
# Seconds: a measurement outside [0, MAX_ELAPSED_S] is brought inside it.
MAX_ELAPSED_S = 24 * 3600.0


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


def parse_load(reply: Any, *, units: int) -> LoadReport:
    """A load answer as a report; ``units``: how many code units were loaded (every unit index names
    one of them). Raises :class:`ProtocolError`, and nothing else, for any answer that is not one."""
    reply = _mapping(reply, "the load answer")
    if reply.get("status", "ok") != "ok":
        raise ProtocolError("the load answer's status is not 'ok'")
    listed = _mapping(reply.get("functions", {}), "the function list")
    if len(listed) > MAX_FUNCTIONS:
        raise ProtocolError(f"more than {MAX_FUNCTIONS} functions")
    functions = {name: _function(name, info, units=units) for name, info in listed.items()}
    events: list[LoadEvent] = []
    skipped_names: set[str] = set()
    for entry in _list(reply.get("events", []), "the load events", limit=MAX_EVENTS):
        event = _mapping(entry, "a load event")
        events.append(_event(event, units=units))
        if event.get("kind") == "skipped":
            binds = _list(event.get("binds", []), "a skipped statement's names", limit=MAX_BINDS)
            skipped_names.update(_name(name, "a skipped statement's name") for name in binds)
    return LoadReport(
        status="ok",
        functions=functions,
        events=tuple(events),
        skipped_names=frozenset(skipped_names),
        elapsed_s=_float(reply.get("elapsed_s", 0.0), "the load time", high=MAX_ELAPSED_S),
    )


def _function(name: Any, info: Any, *, units: int) -> FunctionInfo:
    info = _mapping(info, "a function's description")
    params = tuple(
        _name(p, "a parameter name") for p in _list(info.get("params"), "a parameter list", limit=MAX_PARAMS)
    )
    varargs = info.get("varargs")
    if type(varargs) is not bool:
        raise ProtocolError("a function's 'varargs' is not true or false")
    return FunctionInfo(
        name=_name(name, "a function name"),
        params=params,
        required=_int(info.get("required"), "a function's required count", high=len(params)),
        varargs=varargs,
        unit=_int(info.get("unit"), "a function's unit", high=units - 1),
        line=_int(info.get("line"), "a function's line", high=MAX_LINE),
        end_line=_int(info.get("end_line", 0), "a function's last line", high=MAX_LINE),
    )


def _event(event: Mapping[str, Any], *, units: int) -> LoadEvent:
    trace = _trace(event.get("trace"), units=units)
    line = event.get("line")
    return LoadEvent(
        unit=_int(event.get("unit"), "an event's unit", high=units - 1),
        kind=_text(event.get("kind"), "an event's kind", limit=MAX_LABEL),
        message=_text(event.get("message", ""), "an event's message", limit=MAX_MESSAGE),
        # The line the event names, else that of the innermost frame of its traceback.
        line=(
            _int(line, "an event's line", high=MAX_LINE)
            if line is not None
            else (trace[-1].line if trace else None)
        ),
        error_type=_text(event.get("type", ""), "an event's error type", limit=MAX_LABEL),
    )


def missing_name(message: str) -> str | None:
    """The name in a NameError's message (``name 'X' is not defined``)."""
    match = re.match(r"name '(\w+)' is not defined", message)
    return match.group(1) if match else None


def parse_call(reply: Any, arrays: Sequence[np.ndarray]) -> CallOutcome:
    """A call's answer as an outcome; raises :class:`ProtocolError`, and nothing else, for any answer
    that is not one."""
    reply = _mapping(reply, "a call's answer")
    status = reply.get("status")
    if status == "ok":
        if not all(key in reply for key in ("value", "args_after", "globals_after")):
            raise ProtocolError("a call's answer lacks its value")
        value = decode_value(reply["value"], arrays)
        args_after = decode_value(reply["args_after"], arrays)
        globals_after = decode_value(reply["globals_after"], arrays)
        if not isinstance(args_after, tuple) or not isinstance(globals_after, dict):
            raise ProtocolError("a call's arguments or globals after it are malformed")
        return CallOutcome(
            status="ok",
            value=value,
            args_after=args_after,
            globals_after=globals_after,
            warnings=_warnings(reply.get("warnings", [])),
            elapsed_s=_float(reply.get("elapsed_s", 0.0), "a call's time", high=MAX_ELAPSED_S),
        )
    if status == "timeout":
        return CallOutcome(
            status="timeout", message=_text(reply.get("message", ""), "a message", limit=MAX_MESSAGE)
        )
    if status == "exception":
        return CallOutcome(
            status="exception",
            error_type=_text(reply.get("type", "Exception"), "an error type", limit=MAX_LABEL),
            message=_text(reply.get("message", ""), "a message", limit=MAX_MESSAGE),
            frames=_trace(reply.get("trace"), units=MAX_UNITS),
            warnings=_warnings(reply.get("warnings", [])),
        )
    raise ProtocolError(f"unknown status {_shown(status)}")


def _warnings(value: Any) -> tuple[str, ...]:
    listed = _list(value, "the warnings", limit=MAX_WARNINGS)
    return tuple(_text(w, "a warning", limit=MAX_MESSAGE) for w in listed)


def _trace(value: Any, *, units: int) -> tuple[Frame, ...]:
    """The frames of a traceback (absent or null: none)."""
    if value is None:
        return ()
    frames = []
    for entry in _list(value, "a traceback", limit=MAX_TRACE):
        frame = _mapping(entry, "a traceback frame")
        frames.append(
            Frame(
                unit=_int(frame.get("unit"), "a frame's unit", high=units - 1),
                line=_int(frame.get("line"), "a frame's line", high=MAX_LINE),
                function=_text(frame.get("function"), "a frame's function", limit=MAX_LABEL),
            )
        )
    return tuple(frames)


# --- checks of single fields: each returns the value when it is of the right type and range -------
# Messages never quote what was received: a hostile value may be huge, or an integer too long to print.


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ProtocolError(f"{what} is not a JSON object")
    return value


def _list(value: Any, what: str, *, limit: int) -> list[Any]:
    if type(value) is not list:
        raise ProtocolError(f"{what} is not a list")
    if len(value) > limit:
        raise ProtocolError(f"{what} has more than {limit} entries")
    return value


def _int(value: Any, what: str, *, high: int) -> int:
    """A whole number from 0 to ``high`` (a bool is not one)."""
    if type(value) is not int or not 0 <= value <= high:
        raise ProtocolError(f"{what} is not a whole number from 0 to {high}")
    return value


def _float(value: Any, what: str, *, high: float) -> float:
    """A number brought into [0, ``high``] (infinities included); NaN and non-numbers are refused."""
    if type(value) is int:
        # Compared before converting: float() of a huge integer overflows.
        return float(min(max(value, 0), high))
    if type(value) is not float or math.isnan(value):
        raise ProtocolError(f"{what} is not a number")
    return min(max(value, 0.0), high)


def _text(value: Any, what: str, *, limit: int) -> str:
    """A string, cut to ``limit`` characters."""
    if type(value) is not str:
        raise ProtocolError(f"{what} is not text")
    return value[:limit]


def _name(value: Any, what: str) -> str:
    """A name, whole: a name cut short could be another name."""
    if type(value) is not str or len(value) > MAX_NAME:
        raise ProtocolError(f"{what} is not text of at most {MAX_NAME} characters")
    return value


def _shown(value: Any) -> str:
    """A short description of a received value, safe to put in a message."""
    return repr(value[:20]) if type(value) is str else f"of type {type(value).__name__}"
