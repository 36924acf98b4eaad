"""A worker's replies read as hostile input: every malformed one is a ProtocolError, nothing else."""

from __future__ import annotations

import contextlib
import copy
import json
import math
import socket
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.calls import Frame, FunctionInfo
from grader.sandbox.launcher import WorkerProcess
from grader.sandbox.limits import Limits
from grader.sandbox.protocol import HEADER, ProtocolError, receive_message
from grader.sandbox.replies import (
    MAX_ELAPSED_S,
    MAX_EVENTS,
    MAX_FUNCTIONS,
    LoadEvent,
    parse_call,
    parse_load,
)
from grader.sandbox.session import StudentRuntime

UNITS = 3


def load_reply() -> dict[str, Any]:
    """A load answer such as a worker sends."""
    return {
        "status": "ok",
        "functions": {
            "sigmoide": {"params": ["z"], "required": 1, "varargs": False, "unit": 1, "line": 1},
            "entrena": {"params": ["x", "w", "pasos"], "required": 2, "varargs": True, "unit": 2, "line": 4},
        },
        "events": [
            {"unit": 0, "kind": "import_error", "message": "No module named 'torch'", "line": 1},
            {"unit": 2, "kind": "skipped", "line": 9, "message": "reads a file", "binds": ["datos", "n"]},
            {
                "unit": 2,
                "kind": "exception",
                "type": "ZeroDivisionError",
                "message": "division by zero",
                "trace": [{"unit": 1, "line": 3, "function": "<module>"}],
            },
        ],
        "elapsed_s": 0.25,
    }


def call_reply() -> dict[str, Any]:
    return {
        "status": "ok",
        "value": {"a": 0},
        "args_after": {"t": [None, {"a": 0}]},
        "globals_after": {"d": {"pesos": {"l": [1, 2.5]}}},
        "warnings": ["RuntimeWarning: overflow"],
        "elapsed_s": 0.5,
    }


def exception_reply() -> dict[str, Any]:
    return {
        "status": "exception",
        "type": "ValueError",
        "message": "shapes (2,3) and (2,3) not aligned",
        "trace": [{"unit": 1, "line": 2, "function": "sigmoide"}],
        "warnings": [],
    }


# --- well-formed replies ---------------------------------------------------------------------------


def test_a_load_answer_becomes_its_report() -> None:
    report = parse_load(load_reply(), units=UNITS)

    assert report.status == "ok"
    assert report.functions == {
        "sigmoide": FunctionInfo("sigmoide", ("z",), 1, False, 1, 1),
        "entrena": FunctionInfo("entrena", ("x", "w", "pasos"), 2, True, 2, 4),
    }
    assert report.events == (
        LoadEvent(0, "import_error", "No module named 'torch'", 1),
        LoadEvent(2, "skipped", "reads a file", 9),
        # Without a line of its own, an event has its traceback's innermost line.
        LoadEvent(2, "exception", "division by zero", 3, "ZeroDivisionError"),
    )
    assert report.skipped_names == {"datos", "n"}
    assert report.elapsed_s == 0.25


def test_a_load_answer_may_leave_out_its_lists_and_add_fields() -> None:
    report = parse_load({"status": "ok", "extra": [[{"x": 10**30}]]}, units=0)

    assert (report.functions, report.events, report.elapsed_s) == ({}, (), 0.0)


def test_call_answers_become_outcomes() -> None:
    array = np.arange(3.0)
    outcome = parse_call(call_reply(), [array])
    assert outcome.status == "ok"
    assert outcome.value is array
    assert outcome.args_after == (None, array)
    assert outcome.globals_after == {"pesos": [1, 2.5]}
    assert (outcome.warnings, outcome.elapsed_s) == (("RuntimeWarning: overflow",), 0.5)

    failed = parse_call(exception_reply(), [])
    assert (failed.status, failed.error_type) == ("exception", "ValueError")
    assert failed.frames == (Frame(1, 2, "sigmoide"),)

    stopped = parse_call({"status": "timeout", "message": "no answer within 1 s"}, [])
    assert (stopped.status, stopped.message) == ("timeout", "no answer within 1 s")


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (10**400, MAX_ELAPSED_S),
        (math.inf, MAX_ELAPSED_S),
        (1e300, MAX_ELAPSED_S),
        (-3, 0.0),
        (-math.inf, 0.0),
    ],
)
def test_elapsed_times_are_brought_into_range(elapsed: float, expected: float) -> None:
    reply = {**load_reply(), "elapsed_s": elapsed}
    assert parse_load(reply, units=UNITS).elapsed_s == expected
    assert parse_call({**call_reply(), "elapsed_s": elapsed}, [np.zeros(1)]).elapsed_s == expected


def test_long_texts_are_cut() -> None:
    reply = {**exception_reply(), "message": "x" * 10_000, "type": "E" * 1000}
    outcome = parse_call(reply, [])
    assert (len(outcome.message), len(outcome.error_type)) == (500, 100)


# --- malformed replies -----------------------------------------------------------------------------


def mutated(reply: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """``reply`` with the field at ``path`` replaced by ``value`` (removed when value is ``...``)."""
    changed = copy.deepcopy(reply)
    holder = changed
    for key in path[:-1]:
        holder = holder[key]
    if value is ...:
        del holder[path[-1]]
    else:
        holder[path[-1]] = value
    return changed


SIGMOIDE = ("functions", "sigmoide")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("status",), "exception"),
        (("functions",), []),
        (("functions",), {f"f{i}": {} for i in range(MAX_FUNCTIONS + 1)}),
        ((*SIGMOIDE,), ["z"]),
        ((*SIGMOIDE, "params"), 5),
        ((*SIGMOIDE, "params"), [5]),
        ((*SIGMOIDE, "params"), ["z" * 1001]),
        ((*SIGMOIDE, "params"), ...),
        ((*SIGMOIDE, "required"), True),
        ((*SIGMOIDE, "required"), 2),
        ((*SIGMOIDE, "required"), -1),
        ((*SIGMOIDE, "required"), 1.0),
        ((*SIGMOIDE, "varargs"), 1),
        ((*SIGMOIDE, "varargs"), ...),
        ((*SIGMOIDE, "unit"), "x"),
        ((*SIGMOIDE, "unit"), UNITS),
        ((*SIGMOIDE, "unit"), -1),
        ((*SIGMOIDE, "unit"), 10**4000),
        ((*SIGMOIDE, "line"), 1e300),
        ((*SIGMOIDE, "line"), 10**8),
        ((*SIGMOIDE, "line"), None),
        (("events",), {"unit": 0}),
        (("events",), [{"unit": 0, "kind": "exception"}] * (MAX_EVENTS + 1)),
        (("events", 0), "import_error"),
        (("events", 0, "unit"), UNITS),
        (("events", 0, "unit"), False),
        (("events", 0, "kind"), ...),
        (("events", 0, "kind"), ["import_error"]),
        (("events", 0, "message"), 10**4000),
        (("events", 0, "message"), [[[["deep"]]]]),
        (("events", 0, "line"), "1"),
        (("events", 0, "line"), -5),
        (("events", 0, "type"), {"s": "E"}),
        (("events", 1, "binds"), "datos"),
        (("events", 1, "binds"), [None]),
        (("events", 1, "binds"), ["n"] * 10_001),
        (("events", 2, "trace"), "frames"),
        (("events", 2, "trace"), [{"unit": 1, "line": 3, "function": "f"}] * 9),
        (("events", 2, "trace", 0), [1, 3, "f"]),
        (("events", 2, "trace", 0, "unit"), UNITS),
        (("events", 2, "trace", 0, "line"), 2.5),
        (("events", 2, "trace", 0, "function"), None),
        (("elapsed_s",), math.nan),
        (("elapsed_s",), "0.25"),
        (("elapsed_s",), True),
        (("elapsed_s",), None),
    ],
)
def test_malformed_load_answers_are_protocol_errors(path: tuple[Any, ...], value: Any) -> None:
    with pytest.raises(ProtocolError):
        parse_load(mutated(load_reply(), path, value), units=UNITS)


@pytest.mark.parametrize("reply", [None, [], "ok", 5, {"status": [1]}, {"status": "ok" * 10**5}])
def test_answers_that_are_no_objects_or_have_no_status_are_protocol_errors(reply: Any) -> None:
    with pytest.raises(ProtocolError):
        parse_call(reply, [])
    if not isinstance(reply, dict):
        with pytest.raises(ProtocolError):
            parse_load(reply, units=UNITS)


@pytest.mark.parametrize(
    ("reply", "path", "value"),
    [
        (call_reply(), ("value",), ...),
        (call_reply(), ("args_after",), ...),
        (call_reply(), ("globals_after",), ...),
        (call_reply(), ("value",), {"a": 1}),
        (call_reply(), ("value",), {"a": True}),
        (call_reply(), ("value",), {"s": 10**4000}),
        (call_reply(), ("value",), {"f": "1e400"}),
        (call_reply(), ("value",), {"o": ["list"]}),
        (call_reply(), ("args_after",), {"l": []}),
        (call_reply(), ("globals_after",), {"l": []}),
        (call_reply(), ("globals_after",), {"d": []}),
        (call_reply(), ("warnings",), "RuntimeWarning"),
        (call_reply(), ("warnings",), ["w"] * 11),
        (call_reply(), ("warnings",), [7]),
        (call_reply(), ("elapsed_s",), "slow"),
        (call_reply(), ("elapsed_s",), math.nan),
        (exception_reply(), ("type",), 5),
        (exception_reply(), ("message",), {"text": "x"}),
        (exception_reply(), ("trace",), {"unit": 1}),
        (exception_reply(), ("trace",), [{"unit": 1, "line": 2, "function": "f"}] * 9),
        (exception_reply(), ("trace", 0, "unit"), -1),
        (exception_reply(), ("trace", 0, "unit"), True),
        (exception_reply(), ("trace", 0, "line"), 10**400),
        (exception_reply(), ("trace", 0, "function"), ...),
        (exception_reply(), ("warnings",), None),
        ({"status": "timeout"}, ("message",), 10**4000),
    ],
)
def test_malformed_call_answers_are_protocol_errors(
    reply: dict[str, Any], path: tuple[Any, ...], value: Any
) -> None:
    with pytest.raises(ProtocolError):
        parse_call(mutated(reply, path, value), [np.zeros(1)])


# --- any tree at all ---------------------------------------------------------------------------------

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**50), max_value=10**50)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=10)
    | st.sampled_from(["ok", "exception", "timeout", "skipped", "a", "t", "l", "d", "s", "f", "o", "nan"])
)
KEYS = st.sampled_from(
    [
        *("status", "functions", "events", "params", "required", "varargs", "unit", "line", "kind"),
        *("message", "binds", "trace", "type", "function", "value", "args_after", "globals_after"),
        *("warnings", "elapsed_s", "a", "t", "l", "d", "s", "f", "o", "x"),
    ]
)
TREES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(KEYS | st.text(max_size=3), children, max_size=4)
    ),
    max_leaves=30,
)


def paths(tree: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a field of a reply (the reply itself excluded)."""
    found = []
    items = tree.items() if isinstance(tree, dict) else enumerate(tree) if isinstance(tree, list) else []
    for key, child in items:
        found.append((*prefix, key))
        found += paths(child, (*prefix, key))
    return found


def fuzzed(reply: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """``reply`` with one field replaced by any tree, or removed."""
    return st.tuples(st.sampled_from(paths(reply)), TREES | st.just(...)).map(
        lambda change: mutated(reply, *change)
    )


@settings(max_examples=300, deadline=None)
@given(st.one_of(TREES, fuzzed(load_reply())), st.integers(min_value=0, max_value=4))
def test_any_tree_is_a_load_report_or_a_protocol_error(reply: Any, units: int) -> None:
    with contextlib.suppress(ProtocolError):
        parse_load(reply, units=units)


@settings(max_examples=300, deadline=None)
@given(st.one_of(TREES, fuzzed(call_reply()), fuzzed(exception_reply())))
def test_any_tree_is_a_call_outcome_or_a_protocol_error(reply: Any) -> None:
    with contextlib.suppress(ProtocolError):
        parse_call(reply, [np.zeros(2), np.ones(1, dtype=bool)])


# --- a hostile load answer, over a real channel, becomes the submission's crash ----------------------


class HostileZygote:
    """Starts "workers" that answer a load request with the bytes given."""

    def __init__(self, answer: bytes) -> None:
        self.answer = answer
        self.peers: list[threading.Thread] = []

    def spawn(self, *, workdir: Path, output: Path, limits: Limits) -> WorkerProcess:
        grader_end, worker_end = socket.socketpair()

        def answer() -> None:
            with worker_end:
                request, _ = receive_message(worker_end, max_bytes=1 << 24)
                # Answered as the request's own (its token), so that only the hostile content is at stake.
                token = json.dumps(request["id"]).encode()
                worker_end.sendall(framed(self.answer.replace(b"{", b'{"id": ' + token + b", ", 1)))

        peer = threading.Thread(target=answer, daemon=True)
        peer.start()
        self.peers.append(peer)
        return WorkerProcess(pid=0, channel=grader_end, limits=limits)


def framed(header: bytes) -> bytes:
    return HEADER.pack(len(header)) + header


@pytest.mark.parametrize(
    "answer",
    [
        json.dumps({**load_reply(), "functions": []}).encode(),
        json.dumps(mutated(load_reply(), (*SIGMOIDE, "unit"), UNITS)).encode(),
        json.dumps(mutated(load_reply(), (*SIGMOIDE, "line"), 1e300)).encode(),
        json.dumps({**load_reply(), "events": "none"}).encode(),
        b'{"status": "ok", "elapsed_s": 1e400, "functions": {"f": {"params": 5}}}',
    ],
)
def test_an_unreadable_load_answer_is_the_submissions_crash(tmp_path: Path, answer: bytes) -> None:
    zygote = HostileZygote(answer)
    runtime = StudentRuntime(
        zygote,  # type: ignore[arg-type]
        units=["a = 1", "def sigmoide(z): pass", "b = 2"],
        workdir=tmp_path,
        output=tmp_path / "salida.txt",
        limits=Limits(),
    )
    try:
        report = runtime.load()
    finally:
        runtime.close()
    assert report.status == "crash"
    assert report.message.startswith("unreadable answer from the worker")
    for peer in zygote.peers:
        peer.join(timeout=5)


def test_a_readable_hostile_answer_still_loads(tmp_path: Path) -> None:
    answer = json.dumps({**load_reply(), "elapsed_s": 10**30, "noise": [[[]]]}).encode()
    zygote = HostileZygote(answer)
    runtime = StudentRuntime(
        zygote,  # type: ignore[arg-type]
        units=["a = 1", "def sigmoide(z): pass", "b = 2"],
        workdir=tmp_path,
        output=tmp_path / "salida.txt",
        limits=Limits(),
    )
    try:
        report = runtime.load()
    finally:
        runtime.close()
    assert report.status == "ok"
    assert report.elapsed_s == MAX_ELAPSED_S
    assert set(report.functions) == {"sigmoide", "entrena"}
