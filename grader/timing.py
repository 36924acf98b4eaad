"""Where grading time goes: time inside student functions, inside reference functions, and the rest."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

# The stages of grading one submission, in the order they happen (see Timings.stages).
STAGES = ("read", "start", "calls", "grade")


@dataclass
class Timings:
    """Seconds summed over a run, safe to update from several grading threads.

    ``student_s`` and ``reference_s``: inside student and reference functions; ``toplevel_s``: in the
    student's top-level statements, run while loading. ``stages``: wall time
    by stage: "read" (files into code units), "start" (a worker forked, sandboxed, the code loaded),
    "calls" (student calls, round trips included), "grade" (the whole of grading, all stages included).
    ``workers``: how many sandboxed workers were started (each a fork, its layers and a load).
    """

    student_s: float = 0.0
    reference_s: float = 0.0
    # Running the student's top-level statements while loading (most of it in notebook mode).
    toplevel_s: float = 0.0
    stages: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    workers: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add_student(self, seconds: float) -> None:
        with self._lock:
            self.student_s += seconds

    def add_reference(self, seconds: float) -> None:
        with self._lock:
            self.reference_s += seconds

    def add_toplevel(self, seconds: float) -> None:
        with self._lock:
            self.toplevel_s += seconds

    def add_stage(self, stage: str, seconds: float) -> None:
        with self._lock:
            self.stages[stage] = self.stages.get(stage, 0.0) + seconds

    def add_workers(self, count: int) -> None:
        with self._lock:
            self.workers += count

    def reset(self) -> None:
        with self._lock:
            self.student_s = self.reference_s = self.toplevel_s = 0.0
            self.stages = dict.fromkeys(STAGES, 0.0)
            self.workers = 0

    def figures(self) -> tuple[float, ...]:
        """Every figure, flat, in a fixed order (for sums kept outside this process; see from_figures)."""
        with self._lock:
            return (
                self.student_s,
                self.reference_s,
                self.toplevel_s,
                *(self.stages[s] for s in STAGES),
                float(self.workers),
            )

    @classmethod
    def from_figures(cls, figures: Sequence[float]) -> Timings:
        """The timings whose :meth:`figures` these are."""
        student, reference, toplevel, *stages, workers = figures
        return cls(
            student_s=student,
            reference_s=reference,
            toplevel_s=toplevel,
            stages=dict(zip(STAGES, stages, strict=True)),
            workers=round(workers),
        )


FIGURE_COUNT = len(Timings().figures())


class TimedModule:
    """A module whose functions count their running time as reference time.

    The wrappers are made once per name: checks look reference functions up thousands of times a
    run, and building a wrapper (with its signature) each time showed up in profiles.
    """

    def __init__(self, module: ModuleType, timings: Timings) -> None:
        self.__name__ = module.__name__
        self._module = module
        self._timings = timings
        self._wrappers: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        wrapper = self._wrappers.get(name)
        if wrapper is None:
            wrapper = self._wrappers[name] = self._wrap(getattr(self._module, name))
        return wrapper

    def _wrap(self, value: Any) -> Any:
        if not callable(value):
            return value
        timings = self._timings

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return value(*args, **kwargs)
            finally:
                timings.add_reference(time.perf_counter() - started)

        timed.__wrapped__ = value  # type: ignore[attr-defined]
        timed.__signature__ = _signature(value)  # type: ignore[attr-defined]
        return timed


def _signature(function: Callable[..., Any]) -> Any:
    import inspect

    try:
        return inspect.signature(function)
    except (TypeError, ValueError):
        return None
