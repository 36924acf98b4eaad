"""The worker loop: runs inside the sandboxed child, executes student code, answers call requests.

Everything here runs in the student's process, so nothing here is trusted by the grader: the worker
only sends back raw return values (see :mod:`grader.sandbox.protocol`) and the grader judges them.
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib
import inspect
import signal
import socket
import sys
import time
import traceback
import types
import warnings
from collections.abc import Callable
from typing import Any, NoReturn

import numpy as np

from grader.conventions import Convention
from grader.sandbox.definitions import plan_unit, student_function_names
from grader.sandbox.protocol import decode_value, encode_value, receive_message, send_message

STUDENT_FILE_PREFIX = "<student:"
MAX_REQUEST_BYTES = 256 * 1024 * 1024
MAX_MESSAGE = 500


class StudentTimeout(BaseException):
    """Raised by the interval timer; a BaseException so that ``except Exception`` cannot swallow it."""


def _on_alarm(signum: int, frame: types.FrameType | None) -> None:
    raise StudentTimeout


def _no_input(prompt: object = "") -> str:
    raise EOFError("input() is not available while grading")


class _IPythonStub:
    """Answers ``get_ipython()`` calls left in notebook code, doing nothing."""

    def __getattr__(self, name: str) -> Callable[..., None]:
        return lambda *args, **kwargs: None


def serve(sock: socket.socket) -> NoReturn:
    """Answer requests on ``sock`` until told to exit or the grader goes away."""
    signal.signal(signal.SIGALRM, _on_alarm)
    builtins.input = _no_input
    namespace: dict[str, Any] = {
        "__name__": "__main__",
        "__builtins__": builtins,
        "get_ipython": lambda: _IPythonStub(),
        "display": print,
    }
    handlers = {"load": _load, "call": _call}
    while True:
        try:
            header, arrays = receive_message(sock, max_bytes=MAX_REQUEST_BYTES)
        except (EOFError, OSError):
            _exit()
        op = header.get("op")
        if op == "exit":
            _exit()
        handler = handlers.get(str(op))
        if handler is None:
            send_message(sock, {"status": "protocol_error", "message": f"unknown op {op!r}"})
            continue
        reply, out_arrays = handler(namespace, header, arrays)
        sys.stdout.flush()
        sys.stderr.flush()
        send_message(sock, reply, out_arrays)


def _exit() -> NoReturn:
    sys.stdout.flush()
    sys.stderr.flush()
    import os

    os._exit(0)


# --- loading ---------------------------------------------------------------------------------------


def _load(
    namespace: dict[str, Any], header: dict[str, Any], arrays: list[np.ndarray]
) -> tuple[dict[str, Any], list[np.ndarray]]:
    units: list[str] = [str(u) for u in header["units"]]
    statement_budget = float(header.get("statement_timeout_s", 2.0))
    student_functions = student_function_names(units)
    events: list[dict[str, Any]] = []
    tainted: frozenset[str] = frozenset()
    for index, source in enumerate(units):
        plan = plan_unit(source, student_functions=student_functions, tainted=tainted)
        tainted = plan.tainted
        if plan.syntax_error is not None:
            events.append({"unit": index, "kind": "syntax_error", "message": plan.syntax_error})
            continue
        for skipped in plan.skipped:
            events.append({"unit": index, "kind": "skipped", "line": skipped.line, "message": skipped.reason})
        for statement in plan.statements:
            module = ast.Module(body=[statement.node], type_ignores=[])
            try:
                code = compile(module, f"{STUDENT_FILE_PREFIX}{index}>", "exec")
                _run_with_timer(functools.partial(exec, code, namespace), statement_budget)
            except StudentTimeout:
                events.append(
                    {
                        "unit": index,
                        "kind": "statement_timeout",
                        "line": statement.node.lineno,
                        "message": f"stopped after {statement_budget:g} s",
                    }
                )
            except BaseException as exc:
                kind = "import_error" if isinstance(exc, ImportError) else "exception"
                events.append({"unit": index, "kind": kind, **_describe_exception(exc, default_unit=index)})
    return {"status": "ok", "functions": _functions(namespace), "events": events}, []


def _functions(namespace: dict[str, Any]) -> dict[str, Any]:
    """Every student-defined function in the namespace, with what the grader needs to call it."""
    found: dict[str, Any] = {}
    for name, value in list(namespace.items()):
        if not isinstance(value, types.FunctionType):
            continue
        code = value.__code__
        if not code.co_filename.startswith(STUDENT_FILE_PREFIX):
            continue
        try:
            parameters = list(inspect.signature(value).parameters.values())
        except (TypeError, ValueError):
            continue
        positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        found[name] = {
            "params": [p.name for p in positional],
            "required": sum(1 for p in positional if p.default is p.empty),
            "varargs": any(p.kind is p.VAR_POSITIONAL for p in parameters),
            "unit": int(code.co_filename[len(STUDENT_FILE_PREFIX) : -1]),
            "line": code.co_firstlineno,
        }
    return found


# --- calling ---------------------------------------------------------------------------------------


def _call(
    namespace: dict[str, Any], header: dict[str, Any], arrays: list[np.ndarray]
) -> tuple[dict[str, Any], list[np.ndarray]]:
    function = namespace.get(str(header["function"]))
    if not callable(function):
        return {
            "status": "exception",
            "type": "NameError",
            "message": "function not defined",
            "trace": [],
        }, []
    args = list(decode_value(header["args"], arrays))
    timeout = float(header.get("timeout_s", 5.0))
    returned = {int(i) for i in header.get("return_args", [])}
    restore = _install_substitutes(namespace, header.get("substitutes", []))
    out: list[np.ndarray] = []
    caught: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as recorded:
            warnings.simplefilter("always")
            started = time.perf_counter()
            value = _run_with_timer(lambda: function(*args), timeout)
            elapsed = time.perf_counter() - started
        caught = sorted({f"{w.category.__name__}: {w.message}"[:MAX_MESSAGE] for w in recorded})[:10]
    except StudentTimeout:
        return {"status": "timeout", "message": f"no answer within {timeout:g} s"}, []
    except BaseException as exc:
        return {"status": "exception", **_describe_exception(exc, default_unit=None), "warnings": caught}, []
    finally:
        restore()
    reply = {
        "status": "ok",
        "value": encode_value(value, out),
        # Only the arguments the grader asks for come back (to see in-place updates): every array frame
        # costs a copy and a parse.
        "args_after": encode_value(tuple(args[i] if i in returned else None for i in range(len(args))), out),
        "globals_after": encode_value(
            {name: namespace[name] for name in header.get("watch_globals", []) if name in namespace}, out
        ),
        "warnings": caught,
        "elapsed_s": elapsed,
    }
    return reply, out


def _run_with_timer(action: Callable[[], Any], seconds: float) -> Any:
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        return action()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _install_substitutes(namespace: dict[str, Any], substitutes: list[dict[str, Any]]) -> Callable[[], None]:
    """Swap student helpers for reference ones (so a wrong helper doesn't sink its caller)."""
    saved: dict[str, Any] = {}
    for spec in substitutes:
        name = str(spec["name"])
        original = namespace.get(name)
        if not callable(original):
            continue
        module_name, _, attribute = str(spec["target"]).partition(":")
        target = getattr(importlib.import_module(module_name), attribute)
        saved[name] = original
        namespace[name] = _adapted(
            target,
            student=original,
            convention=Convention.from_json(spec["convention"]),
            outputs=[str(o) for o in spec.get("outputs", [])],
        )

    def restore() -> None:
        namespace.update(saved)

    return restore


def _adapted(
    target: Callable[..., Any], *, student: Callable[..., Any], convention: Convention, outputs: list[str]
) -> Callable[..., Any]:
    """``target`` (reference layout and parameter names) callable the way the student calls ``student``.

    Arguments are matched to the reference's parameters by name when the student used the same names
    (in any order), else by position; arrays are converted between the two layouts both ways.
    """
    reference_params = list(inspect.signature(target).parameters)
    student_signature = inspect.signature(student)
    student_params = [p.lower() for p in student_signature.parameters]
    by_name = {p.lower() for p in reference_params} <= set(student_params)

    def call(*args: Any, **kwargs: Any) -> Any:
        bound = student_signature.bind_partial(*args, **kwargs)
        bound.apply_defaults()
        values = {k.lower(): v for k, v in bound.arguments.items()}
        if by_name:
            ordered = [values[p.lower()] for p in reference_params]
        else:
            ordered = list(bound.arguments.values())[: len(reference_params)]
        converted = [
            convention.from_student(p, np.asarray(v, dtype=float) if isinstance(v, list) else v)
            for p, v in zip(reference_params, ordered, strict=False)
        ]
        result = target(*converted)
        if isinstance(result, tuple):
            names = outputs or [""] * len(result)
            return tuple(convention.to_student(n, r) for n, r in zip(names, result, strict=False))
        return convention.to_student(outputs[0] if outputs else "", result)

    return call


def _describe_exception(exc: BaseException, *, default_unit: int | None) -> dict[str, Any]:
    """Type, message and the student's own frames (unit, line, function) of an exception."""
    frames = [
        {"unit": int(f.filename[len(STUDENT_FILE_PREFIX) : -1]), "line": f.lineno or 0, "function": f.name}
        for f in traceback.extract_tb(exc.__traceback__)
        if f.filename.startswith(STUDENT_FILE_PREFIX)
    ]
    if isinstance(exc, SyntaxError) and default_unit is not None:
        frames.append({"unit": default_unit, "line": exc.lineno or 0, "function": "<module>"})
    message = str(exc)
    if isinstance(exc, RecursionError | MemoryError):
        message = message or type(exc).__name__
    return {"type": type(exc).__name__, "message": message[:MAX_MESSAGE], "trace": frames[-8:]}
