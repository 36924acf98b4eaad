"""Student functions called in this process, with the call semantics of a sandboxed worker."""

from __future__ import annotations

import builtins
import ctypes
import inspect
import io
import linecache
import signal
import sys
import threading
import time
import traceback
import types
import warnings
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from typing import Any

import numpy as np

from grader.calls import (
    MAX_TIMEOUTS_PER_FUNCTION,
    SEALED_MESSAGE,
    CallOutcome,
    Frame,
    FunctionInfo,
    PlannedCall,
    Substitute,
)
from grader.sandbox.helpers import ArgumentBounds, ReferenceHelpers
from grader.sandbox.protocol import DTYPES, ProtocolError, decode_value, encode_value
from grader.sandbox.replies import MAX_LABEL, MAX_MESSAGE, MAX_TRACE, MAX_WARNINGS, missing_name
from grader.sandbox.worker import STUDENT_FILE_PREFIX, call_facts, student_function

# After the time limit, the alarm fires again this often: one bare ``except:`` that swallows it does not
# lift the limit for the rest of the call.
ALARM_REPEAT_S = 0.1


class InProcessStudent:
    """A submission's functions called directly (no worker, no sandbox): :class:`StudentCode` for tests,
    and for checking the functions a student defined in a live notebook kernel.

    ``functions``: the functions by the name the judge calls them; when omitted, every name is looked up
    in ``namespace`` at call time (so a function redefined there is the one called). ``namespace``: the
    module-level variables the functions see, where reference stand-ins for their helpers are put for the
    duration of a call and ``watch_globals`` are read; by default each function's own ``__globals__``.

    What a call gets and gives is what crossing the worker's wire would make of it: the function receives
    copies of the arguments, and the value it returns, the arguments asked for back and the watched
    variables come back as copies in wire form (plain ndarrays of bool, int or float dtype, tuples, lists,
    dicts, numbers, strings; anything else an :class:`Opaque`). Exceptions, warnings and time-outs come
    back as outcomes; a function that ran out of time twice is not called again, and a hidden call gives
    back only its status and values, as the sandboxed runtime does.

    Unlike a worker, the code runs with the caller's privileges and prints to the caller's standard output
    (except during hidden calls, whose ``sys.stdout`` and ``sys.stderr`` go nowhere), and it is stopped
    after ``timeout_s`` only when called from the main thread (the limit is a ``SIGALRM`` timer;
    elsewhere calls are not limited). There is no total time budget and no limit on a result's size.
    """

    def __init__(
        self,
        functions: Mapping[str, Callable[..., Any]] | None = None,
        *,
        namespace: MutableMapping[str, Any] | None = None,
    ) -> None:
        if functions is None and namespace is None:
            raise TypeError("give the functions, a namespace, or both")
        self._functions = dict(functions) if functions is not None else None
        self._namespace = namespace
        self._timeouts: dict[str, int] = {}
        # Names the functions looked up and did not find (a NameError), as a sandboxed runtime keeps them:
        # they tell when a function needs state that only top-level code builds.
        self.missing_names: set[str] = set()
        # Code unit of each file the student's functions come from, numbered in the order first seen.
        self._units: dict[str, int] = {}

    @classmethod
    def from_namespace(cls, namespace: MutableMapping[str, Any]) -> InProcessStudent:
        """The functions defined in ``namespace`` (a notebook kernel's user namespace, say)."""
        return cls(namespace=namespace)

    @classmethod
    def from_source(cls, *units: str) -> InProcessStudent:
        """Run code units (trusted code only: they run here, unsandboxed) in a fresh namespace, unit ``i``
        named ``<student:i>`` in tracebacks as a worker names it."""
        namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
        student = cls(namespace=namespace)
        for index, source in enumerate(units):
            filename = f"{STUDENT_FILE_PREFIX}{index}>"
            student._units[filename] = index
            # Registered so that a failing test's traceback shows the student's lines.
            linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
            exec(compile(source, filename, "exec"), namespace)
        return student

    @classmethod
    def loaded(cls, namespace: MutableMapping[str, Any], units: int) -> InProcessStudent:
        """The functions that loading ``units`` code units as a worker does (see
        :func:`grader.sandbox.worker.run_units`) defines, or will define, in ``namespace``: unit ``i``,
        compiled as ``<student:i>``, is unit ``i`` in tracebacks too."""
        student = cls(namespace=namespace)
        for index in range(units):
            student._units[f"{STUDENT_FILE_PREFIX}{index}>"] = index
        return student

    @property
    def namespace(self) -> MutableMapping[str, Any] | None:
        """The namespace given (or made by :meth:`from_source`), if any."""
        return self._namespace

    @property
    def unit_files(self) -> tuple[str, ...]:
        """The file of each code unit a :class:`Frame` or :class:`FunctionInfo` refers to, by number."""
        return tuple(sorted(self._units, key=self._units.__getitem__))

    def functions(self) -> dict[str, FunctionInfo]:
        """The student's functions as a worker describes them after loading (see ``LoadReport``)."""
        found: dict[str, FunctionInfo] = {}
        for name, (bound, function) in self._student_callables().items():
            facts = call_facts(bound, function)
            if facts is not None:
                found[name] = FunctionInfo(name=name, unit=self._unit(function.__code__.co_filename), **facts)
        return found

    # --- StudentCode ---------------------------------------------------------------------------------

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
        """Call ``function`` on copies of ``args`` (see the class for what comes back)."""
        if self._timeouts.get(function, 0) >= MAX_TIMEOUTS_PER_FUNCTION:
            outcome = CallOutcome(status="timeout", message="not called again after running out of time")
        else:
            outcome = self._call(function, args, timeout_s, substitutes, watch_globals, return_args, hidden)
            if outcome.status == "timeout":
                self._timeouts[function] = self._timeouts.get(function, 0) + 1
        if hidden:
            return _sealed(outcome)
        if outcome.error_type == "NameError" and (missing := missing_name(outcome.message)):
            self.missing_names.add(missing)
        return outcome

    def call_many(self, calls: Sequence[PlannedCall], *, hidden: bool = False) -> list[CallOutcome]:
        """The calls one by one, stopping after the first time-out (as a worker's batch does)."""
        outcomes = []
        for planned in calls:
            outcome = self.call(
                planned.function,
                planned.args,
                timeout_s=planned.timeout_s,
                watch_globals=planned.watch_globals,
                return_args=planned.return_args,
                hidden=hidden,
            )
            outcomes.append(outcome)
            if outcome.status == "timeout":
                break
        return outcomes

    # --- calling -------------------------------------------------------------------------------------

    def _call(
        self,
        name: str,
        args: Sequence[Any],
        timeout_s: float,
        substitutes: Sequence[Substitute],
        watch_globals: Sequence[str],
        return_args: Sequence[int],
        hidden: bool,
    ) -> CallOutcome:
        function = self._lookup(name)
        if not callable(function):
            return CallOutcome(status="exception", error_type="NameError", message="function not defined")
        namespace = self._globals_of(function)
        try:
            sent = list(_over_the_wire(tuple(args)))
        except ProtocolError as exc:
            return CallOutcome(status="crash", message=f"the arguments cannot be sent: {exc}")
        restore = _install_substitutes(namespace, substitutes, ArgumentBounds.of(args))
        caught: tuple[str, ...] = ()
        started = time.perf_counter()
        try:
            with warnings.catch_warnings(record=True) as recorded, _DiscardedOutput(hidden):
                warnings.simplefilter("always")
                try:
                    value = run_limited(lambda: function(*sent), timeout_s)
                finally:
                    caught = _warning_texts(recorded)
            elapsed = time.perf_counter() - started
        except TimeLimit:
            elapsed = time.perf_counter() - started
            return CallOutcome(
                status="timeout", message=f"no answer within {timeout_s:g} s", elapsed_s=elapsed
            )
        except KeyboardInterrupt:
            # Whoever runs the grader here may stop it; a worker has no such person.
            raise
        except BaseException as exc:
            # SystemExit included: a student's exit() ends their call, not the grader.
            return CallOutcome(
                status="exception",
                error_type=type(exc).__name__[:MAX_LABEL],
                message=_message(exc),
                frames=self._frames(exc),
                warnings=caught,
            )
        finally:
            restore()
        returned = set(return_args)
        try:
            return CallOutcome(
                status="ok",
                value=_over_the_wire(value),
                # Only the arguments asked for come back, the others as None, as from a worker.
                args_after=_over_the_wire(tuple(a if i in returned else None for i, a in enumerate(sent))),
                globals_after=_over_the_wire({n: namespace[n] for n in watch_globals if n in namespace}),
                warnings=caught,
                elapsed_s=elapsed,
            )
        except Exception as exc:  # a value whose own methods fail while it is read, as in a worker
            return CallOutcome(status="crash", message=f"the result cannot be sent: {type(exc).__name__}")

    def _lookup(self, name: str) -> Any:
        if self._functions is not None:
            return self._functions.get(name)
        assert self._namespace is not None
        return self._namespace.get(name)

    def _globals_of(self, function: Any) -> MutableMapping[str, Any]:
        """Where ``function`` looks its helpers up: the namespace given, else its own globals."""
        if self._namespace is not None:
            return self._namespace
        if isinstance(function, types.FunctionType):
            return function.__globals__
        return {}

    def _student_callables(self) -> dict[str, tuple[Any, types.FunctionType]]:
        """The callables that are the student's, each with the student's own function behind it (a
        method's, a partial's, a decorated function's; see the worker's ``student_function``): those
        given, else those in the namespace whose function was defined there (not ones it imported from
        elsewhere, whose globals are another module's)."""
        namespace = None if self._functions is not None else self._namespace
        if self._functions is not None:
            items: Iterator[tuple[str, Any]] = iter(self._functions.items())
        else:
            assert self._namespace is not None
            items = iter(list(self._namespace.items()))

        def defined_here(function: types.FunctionType) -> bool:
            return namespace is None or function.__globals__ is namespace

        found: dict[str, tuple[Any, types.FunctionType]] = {}
        for name, value in items:
            function = student_function(value, defined_here)
            if function is not None:
                found[name] = (value, function)
        return found

    def _unit(self, filename: str) -> int:
        return self._units.setdefault(filename, len(self._units))

    def _frames(self, exc: BaseException) -> tuple[Frame, ...]:
        """The traceback's entries in the files the student's functions come from (the last MAX_TRACE)."""
        files = {f.__code__.co_filename for _, f in self._student_callables().values()} | set(self._units)
        frames = [
            Frame(unit=self._unit(frame.f_code.co_filename), line=line or 0, function=frame.f_code.co_name)
            for frame, line in traceback.walk_tb(exc.__traceback__)
            if frame.f_code.co_filename in files
        ]
        return tuple(frames[-MAX_TRACE:])


# --- what crosses the wire ---------------------------------------------------------------------------


def _over_the_wire(value: Any) -> Any:
    """``value`` as a worker's peer receives it: encoded, its arrays copied as the frames carry them,
    decoded (so no array is shared with the sender, and nothing but data survives)."""
    arrays: list[np.ndarray] = []
    tree = encode_value(value, arrays)
    return decode_value(tree, [_as_received(a) for a in arrays])


def _as_received(array: np.ndarray) -> np.ndarray:
    """A copy of a frame's array, C-ordered, rarer dtypes widened to float64 as the wire widens them."""
    copy = np.array(array, order="C", copy=True, subok=False)
    return copy if copy.dtype.str in DTYPES else copy.astype(np.float64)


def _install_substitutes(
    namespace: MutableMapping[str, Any], substitutes: Sequence[Substitute], bounds: ArgumentBounds
) -> Callable[[], None]:
    """Put reference stand-ins in place of the student's helpers; the returned function puts the
    student's own back (whatever the call rebound those names to)."""
    if not substitutes:
        return lambda: None
    helpers = ReferenceHelpers(substitutes, bounds=bounds)
    saved: dict[str, Any] = {}
    for substitute in substitutes:
        original = namespace.get(substitute.name)
        if not callable(original):
            continue
        try:
            signature = inspect.signature(original)
        except (TypeError, ValueError):
            continue
        saved[substitute.name] = original
        namespace[substitute.name] = _stand_in(helpers, substitute.name, signature)

    def restore() -> None:
        namespace.update(saved)

    return restore


def _stand_in(helpers: ReferenceHelpers, name: str, signature: inspect.Signature) -> Callable[..., Any]:
    """A function taking the arguments the way the student's ``name`` does and answering what the grader's
    reference answers a worker's stand-in (the same conversions, bounds and errors)."""
    params = list(signature.parameters)

    def stand_in(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind_partial(*args, **kwargs)
        bound.apply_defaults()
        arrays: list[np.ndarray] = []
        arguments = [[key, encode_value(value, arrays)] for key, value in bound.arguments.items()]
        request = {"op": "helper", "name": name, "params": params, "arguments": arguments}
        reply, out = helpers(request, [_as_received(a) for a in arrays])
        if reply.get("status") == "ok":
            return decode_value(reply["value"], [_as_received(a) for a in out])
        kind = getattr(builtins, str(reply.get("type", "")), None)
        error = kind if isinstance(kind, type) and issubclass(kind, Exception) else RuntimeError
        raise error(str(reply.get("message", ""))[:MAX_MESSAGE])

    stand_in.__name__ = stand_in.__qualname__ = name
    return stand_in


def _sealed(outcome: CallOutcome) -> CallOutcome:
    """What a hidden call may give back: status and values, and fixed words instead of a message."""
    return CallOutcome(
        status=outcome.status,
        value=outcome.value,
        args_after=outcome.args_after,
        globals_after=outcome.globals_after,
        message=SEALED_MESSAGE,
        elapsed_s=outcome.elapsed_s,
        over_budget=outcome.over_budget,
    )


def _message(exc: BaseException) -> str:
    message = str(exc)
    if isinstance(exc, RecursionError | MemoryError):
        message = message or type(exc).__name__
    return message[:MAX_MESSAGE]


def _warning_texts(recorded: Sequence[warnings.WarningMessage]) -> tuple[str, ...]:
    texts = {f"{w.category.__name__}: {w.message}"[:MAX_MESSAGE] for w in recorded}
    return tuple(sorted(texts)[:MAX_WARNINGS])


class _Discard(io.TextIOBase):
    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)


class _DiscardedOutput:
    """While active (for hidden calls), what the code prints goes nowhere, as a sealed worker's does."""

    def __init__(self, active: bool) -> None:
        self._active = active
        self._saved: tuple[Any, Any] = (None, None)

    def __enter__(self) -> None:
        if self._active:
            self._saved = (sys.stdout, sys.stderr)
            sys.stdout = sys.stderr = _Discard()

    def __exit__(self, *exc: object) -> None:
        if self._active:
            sys.stdout, sys.stderr = self._saved


# --- time limits ---------------------------------------------------------------------------------------


class TimeLimit(BaseException):
    """Raised in the student's code by the alarm; a BaseException so that ``except Exception`` lets it by."""


class _Alarm:
    """The SIGALRM handler during a call: raises :class:`TimeLimit` only while armed, so that a signal
    handled after the call has ended is ignored."""

    def __init__(self) -> None:
        self.armed = False

    def __call__(self, signum: int, frame: types.FrameType | None) -> None:
        if self.armed:
            raise TimeLimit


def run_limited(action: Callable[[], Any], seconds: float) -> Any:
    """``action()``, interrupted by :class:`TimeLimit` after ``seconds``: by a ``SIGALRM`` timer in the
    main thread where the platform has one, else by a watchdog thread (see :func:`_run_watched`).
    Whatever SIGALRM handler and timer were there before are put back, the timer with the time it had
    left."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        return _run_watched(action, seconds)
    alarm = _Alarm()
    # None: the handler was not set from Python (none is by default); the default action is put back.
    previous_handler = signal.signal(signal.SIGALRM, alarm) or signal.SIG_DFL
    previous_timer = (0.0, 0.0)
    started = time.monotonic()
    try:
        try:
            alarm.armed = True
            previous_timer = signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001), ALARM_REPEAT_S)
            return action()
        finally:
            alarm.armed = False
    finally:
        # Disarmed again here: the inner finally may have been cut short by the alarm itself.
        alarm.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        remaining, interval = previous_timer
        if remaining > 0:
            signal.setitimer(
                signal.ITIMER_REAL, max(remaining - (time.monotonic() - started), 1e-6), interval
            )


def _run_watched(action: Callable[[], Any], seconds: float) -> Any:
    """``action()``, interrupted after ``seconds`` by a watchdog thread that raises :class:`TimeLimit` in
    the calling thread (CPython's ``PyThreadState_SetAsyncExc``), again every ``ALARM_REPEAT_S`` until
    the call ends: where there is no ``SIGALRM`` (Windows) or away from the main thread.

    Like a signal, the exception is raised between two bytecodes: a call stuck inside one C function
    (``sum(itertools.count())``) is stopped only when that function returns. Without CPython's API the
    call runs without a limit.
    """
    set_async_exc = getattr(getattr(ctypes, "pythonapi", None), "PyThreadState_SetAsyncExc", None)
    if set_async_exc is None:
        return action()
    target = ctypes.c_ulong(threading.get_ident())
    done = threading.Event()
    armed = threading.Lock()

    def watch() -> None:
        if done.wait(max(seconds, 0.001)):
            return
        while True:
            with armed:
                if done.is_set():
                    return
                set_async_exc(target, ctypes.py_object(TimeLimit))
            if done.wait(ALARM_REPEAT_S):
                return

    watchdog = threading.Thread(target=watch, name="grader-time-limit", daemon=True)
    watchdog.start()
    try:
        return action()
    finally:
        with armed:
            done.set()
            # An exception set a moment ago and not raised yet is taken back: the call is over.
            set_async_exc(target, None)
        watchdog.join()
