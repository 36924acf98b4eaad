"""Timing reference functions: what the throughput figures' "time inside functions" is made of."""

from __future__ import annotations

import inspect
import types

import pytest

import grader.timing
from grader.timing import TimedModule, Timings


class Clock:
    """A clock that moves only when told to: timing is checked without depending on the machine."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


CLOCK = Clock()


def module() -> types.ModuleType:
    namespace = types.ModuleType("fake_reference")

    def slow(x: float, y: float = 1.0) -> float:
        CLOCK.now += 0.25
        return x + y

    namespace.slow = slow  # type: ignore[attr-defined]
    namespace.CONSTANT = 3  # type: ignore[attr-defined]
    return namespace


def test_reference_calls_count_their_running_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # Only the timing module's clock: nothing else in the process sees it.
    monkeypatch.setattr(grader.timing, "time", types.SimpleNamespace(perf_counter=CLOCK))
    timings = Timings()
    timed = TimedModule(module(), timings)
    assert timed.slow(1.0, y=2.0) == 3.0
    assert timed.slow(0.0) == 1.0
    assert timings.reference_s == 0.5
    assert timings.student_s == 0.0


def test_wrappers_are_made_once_and_keep_the_signature() -> None:
    timed = TimedModule(module(), Timings())
    assert timed.slow is timed.slow
    assert list(inspect.signature(timed.slow).parameters) == ["x", "y"]
    assert timed.CONSTANT == 3


def test_every_figure_survives_the_trip_through_another_process() -> None:
    timings = Timings(student_s=1.5, reference_s=0.25, toplevel_s=0.5, workers=7)
    timings.add_stage("calls", 2.0)
    again = Timings.from_figures(timings.figures())
    assert again.figures() == timings.figures()
    assert again.workers == 7 and again.stages["calls"] == 2.0
