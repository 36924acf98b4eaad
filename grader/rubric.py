"""A workshop's rubric as data: tasks, checks, conventions and cases, as :mod:`grader.workshop` loads them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from grader.conventions import Convention


@dataclass(frozen=True)
class OptionSpec:
    """One option a check kind accepts: its type, and its default (``None``: required)."""

    type: type | tuple[type, ...]
    default: Any = None
    required: bool = False


@dataclass(frozen=True)
class CheckSpec:
    """One check of a task, as the rubric states it."""

    id: str
    kind: str
    points: float
    public: int | None
    hidden: int | None
    timeout_s: float
    options: Mapping[str, Any]


@dataclass(frozen=True)
class TaskSpec:
    """One workshop function: how to find it, call it, and which checks grade it."""

    id: str
    aliases: tuple[str, ...]
    reference: str
    params: tuple[str, ...]
    returns: tuple[str, ...]
    inputs: Mapping[str, str]
    trains: tuple[str, ...]
    steps: str | None
    rate: str | None
    cost: str | None
    uses: tuple[str, ...]
    checks: tuple[CheckSpec, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.id, *self.aliases)

    @property
    def max_score(self) -> float:
        return sum(c.points for c in self.checks)


@dataclass(frozen=True)
class HiddenCases:
    count: int
    ranges: Mapping[str, tuple[int, int]]


DEFAULT_BUDGET_S = 60.0


@dataclass(frozen=True)
class Rubric:
    """A workshop's grading rules: reference module, case generator, conventions, tasks and checks."""

    id: str
    title: str
    path: str
    reference: str
    mistakes: str | None
    generator: str
    seed: int
    lang: str
    timeout_s: float
    # The most one submission may take on this rubric, everything included (loading, every call, a
    # second run of the whole notebook): what an honest submission needs is a small part of it.
    budget_s: float
    conventions: tuple[Convention, ...]
    public_cases: tuple[Mapping[str, Any], ...]
    hidden_cases: HiddenCases
    tasks: tuple[TaskSpec, ...]
    # What the names above resolved to when the rubric was loaded: the judge uses these, never imports.
    module: ModuleType = field(compare=False, repr=False)
    generate: Callable[..., Any] = field(compare=False, repr=False)
    mistakes_module: ModuleType | None = field(compare=False, repr=False)

    def task(self, task_id: str) -> TaskSpec:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(task_id)

    @property
    def max_score(self) -> float:
        return sum(t.max_score for t in self.tasks)
