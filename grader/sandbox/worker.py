"""The worker loop: runs inside the sandboxed child, executes student code, answers call requests.

Everything here runs in the student's process, so nothing here is trusted by the grader: the worker
only sends back raw return values (see :mod:`grader.sandbox.protocol`) and the grader judges them.
Its loading (:func:`run_units`) also serves a student's self-check where there is no sandbox: there the
student's process is the student's own ``grader check`` (see :mod:`grader.self_check`).
"""

from __future__ import annotations

import ast
import builtins
import functools
import inspect
import io
import keyword
import mmap
import os
import signal
import socket
import sys
import time
import traceback
import types
import warnings
from collections.abc import Callable, Collection, Sequence
from typing import Any, NoReturn

import numpy as np

from grader.sandbox import inert
from grader.sandbox.definitions import parse, plan_all, plan_unit, student_names
from grader.sandbox.protocol import (
    BATCH_STOPPED,
    PROGRESS,
    decode_value,
    encode_value,
    receive_message,
    send_message,
)

STUDENT_FILE_PREFIX = "<student:"
MAX_REQUEST_BYTES = 256 * 1024 * 1024
MAX_MESSAGE = 500
# Said with every MemoryError, and the largest result a call may send (set by serve from the limits).
_memory_note = ""
_result_bytes = 0
# True in a grading worker, once it serves: a handed-in notebook's own ``grader.check()`` then does nothing.
serving = False


# A request's handler: its answer (a reply and its arrays), or None when it sent its answers itself.
Handler = Callable[
    [dict[str, Any], dict[str, Any], list[np.ndarray]], tuple[dict[str, Any], list[np.ndarray]] | None
]


class StudentTimeout(BaseException):
    """Raised by the interval timer; a BaseException so that ``except Exception`` cannot swallow it."""


def _on_alarm(signum: int, frame: types.FrameType | None) -> None:
    raise StudentTimeout


class _IPythonStub:
    """Answers ``get_ipython()`` calls left in notebook code, doing nothing."""

    def __getattr__(self, name: str) -> Callable[..., None]:
        return lambda *args, **kwargs: None


class _CappedOutput(io.RawIOBase):
    """Standard output and error of the worker: written to the capture file up to a budget, then dropped.

    Printing more never fails or slows down the student's code: the rest is silently discarded, and
    the grader, finding the file over its cap, says the output was cut.
    """

    def __init__(self, fd: int, budget: int) -> None:
        super().__init__()
        self._fd = fd
        self._left = budget

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        size = len(data)
        view = memoryview(data)[: max(self._left, 0)]
        while len(view):
            try:
                written = os.write(self._fd, view)
            except OSError:
                self._left = 0
                break
            self._left -= written
            view = view[written:]
        return size


def _capture_output(budget: int) -> None:
    raw = _CappedOutput(1, budget)
    for name in ("stdout", "stderr", "__stdout__", "__stderr__"):
        stream = io.TextIOWrapper(
            io.BufferedWriter(raw), encoding="utf-8", errors="backslashreplace", line_buffering=True
        )
        setattr(sys, name, stream)


def serve(
    sock: socket.socket,
    *,
    progress: mmap.mmap | None = None,
    output_bytes: int = 64 * 1024,
    memory_bytes: int = 0,
    result_bytes: int = 0,
) -> NoReturn:
    """Answer requests on ``sock`` until told to exit or the grader goes away.

    ``progress``: the page shared with the grader where loading says which statement it runs.
    ``output_bytes``: how much of the student's printing to keep (a little more, so that the grader
    can tell it was cut). ``memory_bytes``: the worker's memory limit, quoted in MemoryError messages.
    ``result_bytes``: the most a call may return (the grader refuses more; saying so here is kinder).
    """
    global _memory_note, _result_bytes, serving
    serving = True
    _result_bytes = result_bytes
    _capture_output(output_bytes + 1)
    if memory_bytes:
        _memory_note = f"out of memory: a submission may use at most {memory_bytes // 1024**2} MiB"
    signal.signal(signal.SIGALRM, _on_alarm)
    builtins.input = no_input
    # Plots, progress bars and notebook display do nothing here (the grader never looks at them).
    inert.install()
    namespace = student_namespace()
    handlers: dict[str, Handler] = {
        "load": functools.partial(_load, progress=progress),
        "call": functools.partial(_call, channel=sock),
        "calls": functools.partial(_calls, channel=sock),
    }
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
            send_message(
                sock, {"status": "protocol_error", "message": f"unknown op {op!r}", "id": header.get("id")}
            )
            continue
        answered = handler(namespace, header, arrays)
        if answered is not None:
            _answer(sock, header, *answered)


def _answer(
    sock: socket.socket, request: dict[str, Any], reply: dict[str, Any], arrays: list[np.ndarray]
) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    # The grader takes an answer only with its request's token (see WorkerProcess.answers).
    send_message(sock, {**reply, "id": request.get("id")}, arrays)


def student_namespace() -> dict[str, Any]:
    """A fresh module namespace for the student's code, as a notebook's: ``get_ipython()`` and
    ``display()``, which notebook code calls without importing them, do nothing and print."""
    return {
        "__name__": "__main__",
        "__builtins__": builtins,
        "get_ipython": lambda: _IPythonStub(),
        "display": print,
    }


def no_input(prompt: object = "") -> str:
    """``input()`` while grading: nobody is there to answer."""
    raise EOFError("input() is not available while grading")


def _exit() -> NoReturn:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


# --- loading ---------------------------------------------------------------------------------------


def _load(
    namespace: dict[str, Any],
    header: dict[str, Any],
    arrays: list[np.ndarray],
    *,
    progress: mmap.mmap | None,
) -> tuple[dict[str, Any], list[np.ndarray]]:
    """Run the units' definitions, writing to ``progress`` which statement starts before running it:
    one stuck where no timer can stop it (a C loop such as ``sum(itertools.count())``) then costs a
    restart that leaves it out (``skip``: [unit, line] pairs), not the whole submission.
    """
    started = 0

    def announce(unit: int, line: int) -> None:
        nonlocal started
        if progress is not None:
            started += 1
            PROGRESS.pack_into(progress, 0, started, unit, line)

    reply = run_units(
        namespace,
        [str(u) for u in header["units"]],
        full=header.get("mode") == "full",
        statement_timeout_s=float(header.get("statement_timeout_s", 2.0)),
        skip={(int(unit), int(line)) for unit, line in header.get("skip", [])},
        on_statement=announce,
    )
    return reply, []


def run_units(
    namespace: dict[str, Any],
    units: Sequence[str],
    *,
    full: bool,
    statement_timeout_s: float,
    skip: Collection[tuple[int, int]] = (),
    on_statement: Callable[[int, int], None] | None = None,
    limited: Callable[[Callable[[], Any], float], Any] | None = None,
    stopped: type[BaseException] = StudentTimeout,
) -> dict[str, Any]:
    """Run the code units in ``namespace`` as a worker loads them, and answer what a worker answers a load
    (see :func:`grader.sandbox.replies.parse_load`): the student's functions and what happened.

    Definitions only (imports, functions, cheap assignments; see :mod:`grader.sandbox.definitions`), or
    with ``full`` every top-level statement. Each statement runs through ``limited`` (by default the
    worker's interval timer), which raises ``stopped`` after ``statement_timeout_s``; the statements at
    (unit, line) in ``skip`` are not run, and ``on_statement`` hears of each one before it starts.
    Unit ``i`` is compiled as the file ``<student:i>``, which tracebacks and function facts refer to.
    """
    run = limited or _run_with_timer
    # Parsed once here, read by every plan below (parsing is most of what loading costs).
    trees = [parse(source) for source in units]
    # Units that do not parse stand as empty ones: what the student's code binds is told by unit number.
    student = student_names(tree if isinstance(tree, ast.Module) else ast.Module([], []) for tree in trees)
    events: list[dict[str, Any]] = []
    tainted: frozenset[str] = frozenset()
    elapsed = 0.0  # spent running the student's statements
    for index, (source, tree) in enumerate(zip(units, trees, strict=True)):
        unit = tree if isinstance(tree, ast.Module) else source
        plan = (
            plan_all(unit)
            if full
            else plan_unit(
                unit,
                student_functions=student.functions,
                tainted=tainted,
                student_objects=student.objects,
                needed_lines=student.needed_lines(index),
            )
        )
        tainted = plan.tainted
        if plan.syntax_error is not None:
            events.append({"unit": index, "kind": "syntax_error", "message": plan.syntax_error})
            continue
        for skipped in plan.skipped:
            events.append(
                {
                    "unit": index,
                    "kind": "skipped",
                    "line": skipped.line,
                    "message": skipped.reason,
                    "binds": list(skipped.binds),
                }
            )
        for statement in plan.statements:
            line = statement.node.lineno
            timed_out = {
                "unit": index,
                "kind": "statement_timeout",
                "line": line,
                "message": f"stopped after {statement_timeout_s:g} s",
            }
            if (index, line) in skip:
                events.append(timed_out)
                continue
            if on_statement is not None:
                on_statement(index, line)
            module = ast.Module(body=[statement.node], type_ignores=[])
            try:
                code = compile(module, f"{STUDENT_FILE_PREFIX}{index}>", "exec")
                running = time.perf_counter()
                try:
                    run(functools.partial(exec, code, namespace), statement_timeout_s)
                finally:
                    elapsed += time.perf_counter() - running
            except stopped:
                events.append(timed_out)
            except BaseException as exc:
                kind = "import_error" if isinstance(exc, ImportError) else "exception"
                events.append({"unit": index, "kind": kind, **_describe_exception(exc, default_unit=index)})
    return {"status": "ok", "functions": _functions(namespace), "events": events, "elapsed_s": elapsed}


def _functions(namespace: dict[str, Any]) -> dict[str, Any]:
    """Every callable in the namespace that is the student's, with what the grader needs to call it."""
    found: dict[str, Any] = {}
    for name, value in list(namespace.items()):
        function = student_function(value, _is_student_unit)
        facts = call_facts(value, function) if function is not None else None
        if function is None or facts is None:
            continue
        unit = int(function.__code__.co_filename[len(STUDENT_FILE_PREFIX) : -1])
        found[name] = {**facts, "params": list(facts["params"]), "unit": unit}
    return found


def call_facts(value: Any, function: types.FunctionType) -> dict[str, Any] | None:
    """How a callable is called and where its student function stands: positional parameters, how many
    are required, whether it takes ``*args``, and the function's first and last lines; None when it has
    no signature to read."""
    shape = _plain_shape(value) or _signature_shape(value)
    if shape is None:
        return None
    params, required, varargs = shape
    return {
        "params": params,
        "required": required,
        "varargs": varargs,
        "line": function.__code__.co_firstlineno,
        "end_line": last_line(function.__code__),
    }


# Positional parameters, how many are required, whether ``*args`` is taken.
_Shape = tuple[tuple[str, ...], int, bool]


def _plain_shape(value: Any) -> _Shape | None:
    """A plain function's shape (a def or a lambda nothing was attached to), read from its code object as
    inspect.signature reads it, without building the signature, which costs more than the rest of
    describing a loaded submission; None for anything else, which goes to inspect.signature: wrappers
    (``__wrapped__``, ``__signature__``, held in a function's own attributes), bound methods, partials,
    mappings that are not plain dicts (read through the student's own methods), names no def gives (only
    a code object the student replaced holds them: they are refused or renamed there)."""
    if not (
        type(value) is types.FunctionType
        and not value.__dict__
        and type(value.__annotations__) is dict
        and (value.__kwdefaults__ is None or type(value.__kwdefaults__) is dict)
    ):
        return None
    code = value.__code__
    flags = code.co_flags
    count = code.co_argcount
    varargs = bool(flags & inspect.CO_VARARGS)
    named = count + code.co_kwonlyargcount + varargs + bool(flags & inspect.CO_VARKEYWORDS)
    names = code.co_varnames[:named]
    defaults = value.__defaults__ or ()
    if not (
        len(names) == named
        and len(set(names)) == named
        and len(defaults) <= count
        and all(type(name) is str and name.isidentifier() and not keyword.iskeyword(name) for name in names)
    ):
        return None
    # A default that is inspect's own marker of "no default" reads as none there.
    unset = sum(1 for default in defaults if default is inspect.Parameter.empty)
    return names[:count], count - len(defaults) + unset, varargs


def _signature_shape(value: Any) -> _Shape | None:
    """A callable's shape as inspect.signature gives it; None when it has no signature to read."""
    try:
        # The bound callable's own signature: a bound method's self, a partial's fixed arguments are not
        # the grader's to pass.
        parameters = list(inspect.signature(value).parameters.values())
    except (TypeError, ValueError):
        return None
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return (
        tuple(p.name for p in positional),
        sum(1 for p in positional if p.default is p.empty),
        any(p.kind is p.VAR_POSITIONAL for p in parameters),
    )


def _is_student_unit(function: types.FunctionType) -> bool:
    return function.__code__.co_filename.startswith(STUDENT_FILE_PREFIX)


# Wrappers followed at most (a decorator on a partial of a method taken from an instance is three).
_MAX_WRAPPERS = 16


def student_function(
    value: Any, is_students: Callable[[types.FunctionType], bool]
) -> types.FunctionType | None:
    """The student's own function behind ``value``, or None when there is none.

    A workshop function is bound at module level in many ways: a ``def``, a lambda, a decorated function
    (its ``__wrapped__``), a method taken from a class or an instance (``__func__``), a ``staticmethod``
    or ``classmethod`` object, a ``functools.partial`` (``.func``), an ``np.vectorize`` (``.pyfunc``), an
    instance of a class with ``__call__``. The wrappers are unwrapped and the innermost function
    ``is_students`` accepts is given (its code says where the student wrote it); a library callable
    (NumPy's, a builtin, an inert stand-in) has none, and classes are not functions.
    """
    found: types.FunctionType | None = None
    current = value
    for _ in range(_MAX_WRAPPERS):
        if isinstance(current, types.FunctionType):
            if is_students(current):
                found = current
            current = current.__dict__.get("__wrapped__")
        elif isinstance(current, types.MethodType | staticmethod | classmethod):
            current = current.__func__
        elif isinstance(current, functools.partial | functools.partialmethod):
            current = current.func
        elif isinstance(current, np.vectorize):
            current = current.pyfunc
        elif isinstance(current, type) or not callable(current):
            break
        else:
            # functools.lru_cache and the like keep what they wrap; an instance calls its class's __call__.
            wrapped = getattr(current, "__wrapped__", None)
            if wrapped is None:
                wrapped = inspect.getattr_static(type(current), "__call__", None)
                if not isinstance(wrapped, types.FunctionType):
                    break
            current = wrapped
    return found


def last_line(code: types.CodeType) -> int:
    """The last line of a function's body, nested functions included (the grader shows that text)."""
    positions = getattr(code, "co_positions", None)  # Python 3.11: where each instruction ends
    ends: set[int | None]
    if positions is not None:
        # Gathered first: a function has a few hundred instructions and ends on a few distinct lines.
        ends = {position[1] for position in positions()}
    else:
        ends = {line for _, _, line in code.co_lines()}
    last = max([code.co_firstlineno, *(end for end in ends if end is not None)])
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            last = max(last, last_line(constant))
    return last


# --- calling ---------------------------------------------------------------------------------------


def _calls(
    namespace: dict[str, Any], header: dict[str, Any], arrays: list[np.ndarray], *, channel: socket.socket
) -> None:
    """Several calls in one request (a round trip costs more than a small call), each answered as soon as
    it is made: what was made before a call that kills the worker reaches the grader all the same.

    Stops at the first call that runs out of time: the grader decides whether to go on. Does not start a
    call after its ``start_by_s`` (seconds from now): the submission's budget could not hold it then.
    """
    received = time.monotonic()
    for request in header.get("calls", []):
        start_by = request.get("start_by_s")
        if start_by is not None and time.monotonic() - received > float(start_by):
            _answer(channel, header, {"status": BATCH_STOPPED}, [])
            break
        reply, out = _call(namespace, request, arrays, channel=channel)
        _answer(channel, header, reply, out)
        if reply["status"] == "timeout":
            break


def _call(
    namespace: dict[str, Any],
    header: dict[str, Any],
    arrays: list[np.ndarray],
    *,
    channel: socket.socket,
) -> tuple[dict[str, Any], list[np.ndarray]]:
    """One call: the reply, and the arrays it references."""
    out: list[np.ndarray] = []
    function = namespace.get(str(header["function"]))
    if not callable(function):
        return {
            "status": "exception",
            "type": "NameError",
            "message": "function not defined",
            "trace": [],
        }, out
    args = list(decode_value(header["args"], arrays))
    timeout = float(header.get("timeout_s", 5.0))
    returned = {int(i) for i in header.get("return_args", [])}
    restore = _install_substitutes(namespace, header.get("substitutes", []), channel)
    recorded: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as recorded:
            warnings.simplefilter("always")
            started = time.perf_counter()
            value = _run_with_timer(lambda: function(*args), timeout)
            elapsed = time.perf_counter() - started
    except StudentTimeout:
        return {"status": "timeout", "message": f"no answer within {timeout:g} s"}, out
    except BaseException as exc:
        # The warnings raised before it failed are often the clue (an overflow, a log of 0).
        caught = _warning_lines(recorded)
        return {"status": "exception", **_describe_exception(exc, default_unit=None), "warnings": caught}, out
    finally:
        restore()
    caught = _warning_lines(recorded)
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
    size = sum(a.nbytes for a in out)
    if _result_bytes and size > _result_bytes:
        out.clear()
        message = (
            f"the result takes {size / 1024**2:.0f} MiB;"
            f" at most {_result_bytes // 1024**2} MiB may be returned"
        )
        return {"status": "exception", "type": "ResultTooLarge", "message": message, "trace": []}, out
    return reply, out


def _warning_lines(recorded: list[warnings.WarningMessage]) -> list[str]:
    return sorted({f"{w.category.__name__}: {w.message}"[:MAX_MESSAGE] for w in recorded})[:10]


def _run_with_timer(action: Callable[[], Any], seconds: float) -> Any:
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        return action()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _install_substitutes(
    namespace: dict[str, Any], substitutes: list[dict[str, Any]], channel: socket.socket
) -> Callable[[], None]:
    """Swap student helpers for reference ones (so a wrong helper doesn't sink its caller).

    The reference is not here (a worker never holds the solutions): a substitute sends its arguments
    to the grader, which runs the reference and answers with the result.
    """
    saved: dict[str, Any] = {}
    for spec in substitutes:
        name = str(spec["name"])
        original = namespace.get(name)
        if not callable(original):
            continue
        saved[name] = original
        namespace[name] = _remote_helper(channel, name=name, student=original)

    def restore() -> None:
        namespace.update(saved)

    return restore


def _remote_helper(channel: socket.socket, *, name: str, student: Callable[..., Any]) -> Callable[..., Any]:
    """A stand-in for the student's ``name`` that has the grader compute the reference's answer.

    It takes the arguments the way the student's own function does, and sends them by parameter name
    (the grader matches them to the reference's parameters).
    """
    signature = inspect.signature(student)
    params = list(signature.parameters)

    def call(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind_partial(*args, **kwargs)
        bound.apply_defaults()
        out: list[np.ndarray] = []
        request = {
            "op": "helper",
            "name": name,
            "params": params,
            "arguments": [[key, encode_value(value, out)] for key, value in bound.arguments.items()],
        }
        # The exchange must not be cut in half by the call's timer: the grader would be left waiting.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        try:
            send_message(channel, request, out)
            reply, arrays = receive_message(channel, max_bytes=MAX_REQUEST_BYTES)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
        if reply.get("status") == "ok":
            return decode_value(reply["value"], arrays)
        kind = getattr(builtins, str(reply.get("type", "")), None)
        error = kind if isinstance(kind, type) and issubclass(kind, Exception) else RuntimeError
        raise error(str(reply.get("message", ""))[:MAX_MESSAGE])

    call.__name__ = call.__qualname__ = name
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
    if isinstance(exc, MemoryError) and _memory_note:
        message = f"{message} ({_memory_note})"
    return {"type": type(exc).__name__, "message": message[:MAX_MESSAGE], "trace": frames[-8:]}
