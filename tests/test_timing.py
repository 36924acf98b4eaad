"""Timing reference functions: what the throughput figures' "time inside functions" is made of."""

from __future__ import annotations

import inspect
import time
import types

from grader.timing import TimedModule, Timings


def module() -> types.ModuleType:
    namespace = types.ModuleType("fake_reference")

    def slow(x: float, y: float = 1.0) -> float:
        time.sleep(0.02)
        return x + y

    namespace.slow = slow  # type: ignore[attr-defined]
    namespace.CONSTANT = 3  # type: ignore[attr-defined]
    return namespace


def test_reference_calls_count_their_running_time() -> None:
    timings = Timings()
    timed = TimedModule(module(), timings)
    assert timed.slow(1.0, y=2.0) == 3.0
    assert timed.slow(0.0) == 1.0
    assert 0.04 <= timings.reference_s < 1.0
    assert timings.student_s == 0.0


def test_wrappers_are_made_once_and_keep_the_signature() -> None:
    timed = TimedModule(module(), Timings())
    assert timed.slow is timed.slow
    assert list(inspect.signature(timed.slow).parameters) == ["x", "y"]
    assert timed.CONSTANT == 3
