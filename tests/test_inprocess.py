"""Calling student functions in this process gives what a sandboxed worker's call would give."""

from __future__ import annotations

import signal
import threading
import time
from typing import Any

import numpy as np
import pytest

from grader.calls import CallOutcome, Opaque, PlannedCall, Substitute
from grader.conventions import Convention
from grader.inprocess import InProcessStudent
from reference import xor

LIMIT_S = 0.03

STUDENT = """
import warnings
import numpy as np

calls = 0
kept = None

def bump(a, b):
    global calls, kept
    calls += 1
    a += 1
    b[0] = 99
    kept = a
    return a

def odd_values():
    return (
        np.float64(1.5),
        np.int32(3),
        np.ma.masked_array([1.0, 2.0]),
        np.array([1.0], dtype=np.longdouble),
        np.array([1j]),
        np.array(["text"]),
        object(),
        print,
        {"k": [1, (2, "s")], 3: None},
    )

def noisy(x):
    warnings.warn("second")
    warnings.warn("first", RuntimeWarning)
    warnings.warn("second")
    return np.log(np.asarray(x))

def outer(x):
    return inner(x) + 1

def inner(x):
    warnings.warn("about to fail")
    return {}[x]

spun = 0

def spins():
    global spun
    spun += 1
    while True:
        pass

def times_spun():
    return spun

def swallows():
    try:
        while True:
            pass
    except:  # noqa: E722 - a bare except is what students write
        pass
    while True:
        pass

def shouts(x):
    print("the hidden input is", x)
    return x * 2

def leaves():
    exit(3)
"""

TRAINING = """
import numpy as np

def feedForward(X, w1, w2, b1, b2):
    return "wrong", "wrong"

def train(X, w1, w2, b1, b2):
    a1, a2 = feedForward(X, w1, w2, b1, b2)
    return a1, a2, feedForward

def train_rebinding(X, w1, w2, b1, b2):
    global feedForward
    a1, a2 = feedForward(X, w1, w2, b1, b2)
    feedForward = None
    return a2

def train_failing(X, w1, w2, b1, b2):
    feedForward(X, w1, w2, b1, b2)
    raise RuntimeError("after the helper")

def train_spinning(X, w1, w2, b1, b2):
    feedForward(X, w1, w2, b1, b2)
    while True:
        pass

def train_with_object(X, w1, w2, b1, b2):
    return feedForward(object(), w1, w2, b1, b2)

def train_with_huge(X, w1, w2, b1, b2):
    return feedForward(np.ones((500, 500)), w1, w2, b1, b2)
"""

FEED_FORWARD = Substitute("feedForward", xor.feedForward, Convention("columns"), ("a1", "a2"))


def _network(seed: int = 0) -> list[np.ndarray]:
    """feedForward's arguments in the slides' layout: X (2, 4), w1 (3, 2), w2 (1, 3), b1 (3, 1), b2 (1, 1)."""
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape) for shape in ((2, 4), (3, 2), (1, 3), (3, 1), (1, 1))]


@pytest.fixture
def student() -> InProcessStudent:
    return InProcessStudent.from_source(STUDENT)


def _call(student: InProcessStudent, name: str, *args: Any, **options: Any) -> CallOutcome:
    return student.call(name, list(args), timeout_s=options.pop("timeout_s", 1.0), **options)


# --- arguments and values ---------------------------------------------------------------------------


def test_the_function_gets_copies_and_the_arguments_asked_for_come_back(student: InProcessStudent) -> None:
    a, b = np.zeros(3), [0, 0]
    outcome = _call(student, "bump", a, b, return_args=[0])
    assert outcome.status == "ok"
    assert np.array_equal(a, np.zeros(3)) and b == [0, 0]
    after, unasked = outcome.args_after
    assert np.array_equal(after, np.ones(3)) and unasked is None
    assert np.array_equal(outcome.value, np.ones(3))
    assert _call(student, "bump", a, b, return_args=[1]).args_after == (None, [99, 0])


def test_what_comes_back_is_a_snapshot_not_the_students_own_array(student: InProcessStudent) -> None:
    outcome = _call(student, "bump", np.zeros(2), [0], watch_globals=["kept"])
    assert student.namespace is not None
    kept = student.namespace["kept"]
    kept += 100
    assert np.array_equal(outcome.value, np.ones(2))
    assert np.array_equal(outcome.globals_after["kept"], np.ones(2))
    assert outcome.value is not outcome.globals_after["kept"]


def test_watched_globals_are_read_after_the_call_and_missing_ones_left_out(student: InProcessStudent) -> None:
    first = _call(student, "bump", np.zeros(1), [0], watch_globals=["calls", "nowhere"])
    second = _call(student, "bump", np.zeros(1), [0], watch_globals=["calls"])
    assert first.globals_after == {"calls": 1} and second.globals_after == {"calls": 2}


def test_values_come_back_in_the_wires_form(student: InProcessStudent) -> None:
    outcome = _call(student, "odd_values")
    assert outcome.status == "ok"
    scalar, integer, masked, wide, complex_, text, instance, builtin, mapping = outcome.value
    assert type(scalar) is float and scalar == 1.5
    assert type(integer) is int and integer == 3
    assert type(masked) is np.ndarray and np.array_equal(masked, [1.0, 2.0])
    assert type(wide) is np.ndarray and wide.dtype == np.float64
    for opaque, name in ((complex_, "ndarray of dtype complex128"), (instance, "object")):
        assert isinstance(opaque, Opaque) and opaque.type_name == name
    assert isinstance(text, Opaque) and isinstance(builtin, Opaque)
    assert mapping == {"k": [1, (2, "s")], "3": None}


def test_arrays_come_back_writable_and_plain(student: InProcessStudent) -> None:
    outcome = _call(student, "bump", np.zeros((2, 3), order="F"), [0])
    assert outcome.value.flags.c_contiguous and outcome.value.flags.writeable


# --- failures ---------------------------------------------------------------------------------------


def test_an_exception_gives_its_type_message_and_the_students_frames(student: InProcessStudent) -> None:
    outcome = _call(student, "outer", "key")
    assert outcome.status == "exception"
    assert (outcome.error_type, outcome.message) == ("KeyError", "'key'")
    assert [(f.unit, f.function) for f in outcome.frames] == [(0, "outer"), (0, "inner")]
    assert [f.line for f in outcome.frames] == [
        STUDENT.splitlines().index(line) + 1 for line in ("    return inner(x) + 1", "    return {}[x]")
    ]
    assert outcome.warnings == ("UserWarning: about to fail",)
    assert student.unit_files == ("<student:0>",)


def test_a_function_that_is_not_there_is_a_name_error(student: InProcessStudent) -> None:
    outcome = _call(student, "missing")
    assert (outcome.status, outcome.error_type, outcome.message) == (
        "exception",
        "NameError",
        "function not defined",
    )


def test_exit_ends_the_call_not_the_grader(student: InProcessStudent) -> None:
    outcome = _call(student, "leaves")
    assert (outcome.status, outcome.error_type, outcome.message) == ("exception", "SystemExit", "3")


def test_keyboard_interrupt_reaches_whoever_runs_the_grader() -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        InProcessStudent({"f": interrupted}).call("f", [], timeout_s=1.0)


def test_warnings_are_recorded_once_each_sorted(student: InProcessStudent) -> None:
    outcome = _call(student, "noisy", [1.0, 0.0])
    assert outcome.status == "ok"
    assert outcome.warnings == (
        "RuntimeWarning: divide by zero encountered in log",
        "RuntimeWarning: first",
        "UserWarning: second",
    )


# --- time limits ------------------------------------------------------------------------------------


def test_a_function_that_never_returns_times_out(student: InProcessStudent) -> None:
    started = time.perf_counter()
    outcome = _call(student, "spins", timeout_s=LIMIT_S)
    assert outcome.status == "timeout" and outcome.message == f"no answer within {LIMIT_S:g} s"
    assert LIMIT_S <= outcome.elapsed_s < time.perf_counter() - started + 1e-3


def test_a_bare_except_does_not_lift_the_limit(student: InProcessStudent) -> None:
    assert _call(student, "swallows", timeout_s=LIMIT_S).status == "timeout"


def test_after_two_time_outs_a_function_is_not_called_again(student: InProcessStudent) -> None:
    for _ in range(2):
        assert _call(student, "spins", timeout_s=LIMIT_S).elapsed_s >= LIMIT_S
    again = _call(student, "spins", timeout_s=LIMIT_S, hidden=True)
    assert again.status == "timeout" and again.elapsed_s == 0.0
    assert _call(student, "times_spun").value == 2
    assert _call(student, "shouts", 2).status == "ok"


def test_the_callers_alarm_handler_and_timer_are_put_back(student: InProcessStudent) -> None:
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 5.0)
        assert _call(student, "spins", timeout_s=LIMIT_S).status == "timeout"
        assert _call(student, "shouts", 1).status == "ok"
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 4.0 < left < 5.0
        assert not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_outside_the_main_thread_a_watchdog_keeps_the_time_limit() -> None:
    outcomes: list[CallOutcome] = []

    def spins() -> str:
        while True:
            pass

    def quick() -> str:
        return "done"

    def run() -> None:
        student = InProcessStudent({"spins": spins, "quick": quick})
        outcomes.append(student.call("spins", [], timeout_s=LIMIT_S))
        outcomes.append(student.call("quick", [], timeout_s=LIMIT_S))

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert [o.status for o in outcomes] == ["timeout", "ok"]
    assert outcomes[1].value == "done"


# --- hidden calls ---------------------------------------------------------------------------------------


def test_a_hidden_call_gives_back_only_its_status_and_values(
    student: InProcessStudent, capsys: pytest.CaptureFixture[str]
) -> None:
    failed = _call(student, "outer", "secret", hidden=True)
    assert failed.status == "exception"
    assert (failed.error_type, failed.frames, failed.warnings) == ("", (), ())
    assert "secret" not in failed.message
    noisy = _call(student, "noisy", [0.0], hidden=True)
    assert noisy.status == "ok" and noisy.warnings == () and np.isneginf(noisy.value[0])
    shouted = _call(student, "shouts", 21, hidden=True)
    assert shouted.value == 42
    assert _call(student, "shouts", 1).value == 2
    assert capsys.readouterr().out == "the hidden input is 1\n"


def planned(function: str, arg_lists: list[list[Any]], timeout_s: float) -> list[PlannedCall]:
    """Calls of one function, to be made together."""
    return [PlannedCall(function, tuple(args), timeout_s) for args in arg_lists]


def test_many_calls_stop_at_the_first_time_out(student: InProcessStudent) -> None:
    outcomes = student.call_many(planned("shouts", [[1], [2]], 1.0))
    assert [o.value for o in outcomes] == [2, 4]
    spun = student.call_many(planned("spins", [[], [], []], LIMIT_S))
    assert [o.status for o in spun] == ["timeout"]


# --- reference stand-ins for helpers -----------------------------------------------------------------------


def test_a_substitute_stands_in_during_the_call_and_the_helper_is_put_back() -> None:
    student = InProcessStudent.from_source(TRAINING)
    namespace = student.namespace
    assert namespace is not None
    own = namespace["feedForward"]
    args = _network()
    a1, a2, seen = student.call("train", args, timeout_s=1.0, substitutes=[FEED_FORWARD]).value
    expected = xor.feedForward(*args)
    assert np.allclose(a1, expected[0]) and np.allclose(a2, expected[1])
    assert isinstance(seen, Opaque) and namespace["feedForward"] is own
    assert student.call("train", args, timeout_s=1.0).value[:2] == ("wrong", "wrong")


@pytest.mark.parametrize("function", ["train_rebinding", "train_failing", "train_spinning"])
def test_the_helper_is_put_back_whatever_the_call_did(function: str) -> None:
    student = InProcessStudent.from_source(TRAINING)
    namespace = student.namespace
    assert namespace is not None
    own = namespace["feedForward"]
    outcome = student.call(function, _network(), timeout_s=LIMIT_S, substitutes=[FEED_FORWARD])
    assert outcome.status in ("ok", "exception", "timeout")
    assert namespace["feedForward"] is own


def test_the_substitute_takes_the_students_layout() -> None:
    rows = Substitute("feedForward", xor.feedForward, Convention("rows", transpose=True), ("a1", "a2"))
    args = _network()
    student_layout = [a.T for a in args]
    a1, a2, _ = (
        InProcessStudent.from_source(TRAINING)
        .call("train", student_layout, timeout_s=1.0, substitutes=[rows])
        .value
    )
    expected = xor.feedForward(*args)
    assert np.allclose(a1, expected[0].T) and np.allclose(a2, expected[1].T)


@pytest.mark.parametrize(
    ("function", "error"),
    [("train_with_object", "TypeError"), ("train_with_huge", "ValueError")],
)
def test_arguments_the_reference_refuses_fail_in_the_students_code(function: str, error: str) -> None:
    outcome = InProcessStudent.from_source(TRAINING).call(
        function, _network(), timeout_s=1.0, substitutes=[FEED_FORWARD]
    )
    assert (outcome.status, outcome.error_type) == ("exception", error)


def test_a_substitute_for_a_helper_the_student_lacks_is_not_installed() -> None:
    student = InProcessStudent.from_source("def f():\n    return 1\n")
    missing = Substitute("backProp", xor.backProp, Convention("columns"), ())
    assert student.call("f", [], timeout_s=1.0, substitutes=[missing]).value == 1
    assert student.namespace is not None and "backProp" not in student.namespace


def test_given_functions_find_their_helpers_in_their_own_globals() -> None:
    namespace: dict[str, Any] = {}
    exec(compile(TRAINING, "<cell>", "exec"), namespace)
    own = namespace["feedForward"]
    student = InProcessStudent({"entrenar": namespace["train"]})
    outcome = student.call("entrenar", _network(), timeout_s=1.0, substitutes=[FEED_FORWARD])
    assert np.allclose(outcome.value[1], xor.feedForward(*_network())[1])
    assert namespace["feedForward"] is own


# --- the functions a submission defines -------------------------------------------------------------------


def test_functions_are_described_as_a_worker_describes_them() -> None:
    # An imported function is not the student's; a body ends where its last expression ends.
    source = """from reference.xor import sigmoid

def f(a, b=1, *rest):
    x = (
        a
    )
    return x
"""
    student = InProcessStudent.from_source("", source)
    functions = student.functions()
    assert set(functions) == {"f"}
    f = functions["f"]
    assert (f.params, f.required, f.varargs) == (("a", "b"), 1, True)
    assert (f.unit, f.line, f.end_line) == (1, 3, 7)


def test_a_namespace_is_read_at_call_time() -> None:
    namespace: dict[str, Any] = {}
    student = InProcessStudent.from_namespace(namespace)
    exec("def f():\n    return 1\n", namespace)
    assert student.call("f", [], timeout_s=1.0).value == 1
    exec("def f():\n    return 2\n", namespace)
    assert student.call("f", [], timeout_s=1.0).value == 2
    assert set(student.functions()) == {"f"}


def test_given_functions_are_the_students_and_their_files_are_units() -> None:
    def f(x: int) -> int:
        return 1 // x

    student = InProcessStudent({"f": f, "g": len})
    assert set(student.functions()) == {"f"}
    outcome = student.call("f", [0], timeout_s=1.0)
    assert outcome.error_type == "ZeroDivisionError"
    assert [frame.function for frame in outcome.frames] == ["f"]
    assert student.unit_files == (f.__code__.co_filename,)
