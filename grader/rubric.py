"""A workshop's rubric as data: tasks, checks, conventions and cases, as :mod:`grader.workshop` loads them."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from grader.conventions import Convention


@dataclass(frozen=True)
class Bounds:
    """The numbers an option may take: from ``low`` to ``high`` (``None``: no limit), each end included
    unless it is open."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False

    def __contains__(self, value: float) -> bool:
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        return self.high is None or (value < self.high if self.high_open else value <= self.high)

    @property
    def text(self) -> str:
        """The interval as the documentation writes it: ``≥ 0``, ``> 0``, ``(0, 1]``."""
        if self.high is None and self.low is not None:
            return f"{'>' if self.low_open else '≥'} {self.low:g}"
        if self.low is None and self.high is not None:
            return f"{'<' if self.high_open else '≤'} {self.high:g}"
        low = "-∞" if self.low is None else f"{self.low:g}"
        high = "∞" if self.high is None else f"{self.high:g}"
        return f"{'(' if self.low_open else '['}{low}, {high}{')' if self.high_open else ']'}"

    @property
    def requirement(self) -> str:
        """What a value outside the interval is told: ``must not be negative``, ``must be in (0, 1]``."""
        if self.high is None and self.low == 0:
            return "must be positive" if self.low_open else "must not be negative"
        if self.high is None and self.low is not None and not self.low_open:
            return f"must be at least {self.low:g}"
        return f"must be {self.text}" if self.low is None or self.high is None else f"must be in {self.text}"


# TOML's names for the types an option may have: rubric authors write TOML, not Python.
TOML_TYPES = {bool: "boolean", int: "integer", float: "float", str: "string", list: "array", dict: "table"}


@dataclass(frozen=True)
class OptionSpec:
    """One option a check kind accepts: its type, its default, the numbers it may take and what it is for.

    ``doc`` is one line for the documentation generated from the registry (``docs/check-kinds.md``).
    """

    type: type | tuple[type, ...]
    default: Any = None
    required: bool = False
    doc: str = ""
    range: Bounds | None = None

    @property
    def type_name(self) -> str:
        kinds = self.type if isinstance(self.type, tuple) else (self.type,)
        return " or ".join(TOML_TYPES.get(kind, kind.__name__) for kind in kinds)

    def problem(self, value: Any) -> str | None:
        """What is wrong with ``value`` for this option (a phrase for an error message), or ``None``."""
        # TOML's booleans are Python ints: ``steps = true`` must not pass for 1.
        if (isinstance(value, bool) and self.type is not bool) or not isinstance(value, self.type):
            return f"expected {self.type_name}, got {value!r}"
        # TOML can write nan and inf: a nan tolerance or an infinite rate would fail every student.
        if isinstance(value, float) and not math.isfinite(value):
            return f"must be a finite number, got {value!r}"
        if self.range is not None and isinstance(value, int | float) and value not in self.range:
            return f"{self.range.requirement}, got {value!r}"
        return None


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
class TaskTexts:
    """What a starting notebook says about a task in one language: what the function does, and what each
    parameter and output is (shapes as the workshop's first convention lays them out)."""

    description: str
    params: Mapping[str, str]
    returns: Mapping[str, str]


@dataclass(frozen=True)
class RubricTexts:
    """A workshop's own words in one language, for the starting notebook: its title and instructions."""

    title: str
    intro: str = ""


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
    # The task's texts by language (``[tasks.texts.es]``); empty when the rubric has none.
    texts: Mapping[str, TaskTexts] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.id, *self.aliases)

    @functools.cached_property
    def input_names(self) -> tuple[str, ...]:
        """The names of the case values the parameters take, in the parameters' order (worked out once:
        every call key and reference key of a task names them)."""
        return tuple(self.inputs.get(param, param) for param in self.params)

    @property
    def max_score(self) -> float:
        return sum(c.points for c in self.checks)

    def one_update(self) -> dict[str, Any]:
        """For a training function, the values of its step-count and rate parameters that make it take
        a single update: at the rate of its first check that names one (so that the probe's call is
        that check's own first call), else :data:`ONE_UPDATE_RATE`. Empty for any other function."""
        if not (self.trains and self.steps and self.rate):
            return {}
        rates = (spec.options["rate"] for spec in self.checks if "rate" in spec.options)
        return {self.steps: 1, self.rate: float(next(rates, ONE_UPDATE_RATE))}


# The rate of a single update when no check of the task names one.
ONE_UPDATE_RATE = 0.1


@dataclass(frozen=True)
class HiddenCases:
    count: int
    ranges: Mapping[str, tuple[int, int]]
    # Sizes drawn different from each other, so that shapes tell the arrays apart (a (4, 4) weight
    # matrix cannot show that a function returned it transposed).
    distinct: tuple[str, ...] = ()


DEFAULT_BUDGET_S = 60.0


@dataclass(frozen=True)
class Rubric:
    """A workshop's grading rules: reference module, case generator, conventions, tasks and checks."""

    id: str
    title: str
    # The rubric file, resolved: another process loads the same rubric from it.
    path: str
    # reference, mistakes and generator as the rubric writes them: a file ("logistica.py",
    # "logistica.py:casos") relative to the rubric, or a module name ("reference.xor").
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
    # The mistakes module's own hints: diagnosis code → language → sentence.
    hints: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Every file the rubric loaded (the rubric, its workshop folder's modules, the source of each module
    # it named): what its results depend on besides the grader itself.
    files: tuple[str, ...] = ()
    # The folder of a rubric that names its modules by file (a workshop folder), else None.
    folder: str | None = None
    # The workshop's texts by language (``[texts.es]``, ``[texts.en]``): none, or one per language.
    texts: Mapping[str, RubricTexts] = field(default_factory=dict)

    def title_in(self, lang: str) -> str:
        """The workshop's title in ``lang``: its texts' one, else the rubric's ``title``."""
        own = self.texts.get(lang)
        return own.title if own is not None else self.title

    def task(self, task_id: str) -> TaskSpec:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(task_id)

    @property
    def max_score(self) -> float:
        return sum(t.max_score for t in self.tasks)
