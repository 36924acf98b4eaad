"""Checking a workshop as a whole once its tables are read: its mistakes and hints, the names tasks and
conventions refer to, and its case generator run on every declared size."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from grader.conventions import Convention
from grader.errors import RubricError
from grader.messages import CATALOGUE, LANGUAGES
from grader.rubric import HiddenCases, TaskSpec
from reference.mistakes import Scaling, declared_hints, known_mistakes, named_mistakes


def check_mistakes(module: ModuleType, tasks: Sequence[TaskSpec]) -> dict[str, dict[str, str]]:
    """The mistakes module's ``HINTS``, validated, once its ``SCALINGS`` are well formed, every code it
    names has a hint and every function it names is a task's reference."""
    declared = declared_hints(module)
    where = f"mistakes: {module.__name__}.HINTS"
    if not isinstance(declared, Mapping):
        raise RubricError(f"{where}: expected a dict of diagnosis code → {{'es': ..., 'en': ...}}")
    hints: dict[str, dict[str, str]] = {}
    for code, texts in declared.items():
        if not isinstance(code, str) or not code.strip():
            raise RubricError(f"{where}: {code!r} is not a diagnosis code (a non-empty string)")
        if not isinstance(texts, Mapping) or set(texts) != set(LANGUAGES):
            found = sorted(map(str, texts)) if isinstance(texts, Mapping) else repr(texts)
            raise RubricError(
                f"{where}[{code!r}]: needs a hint in each of {', '.join(LANGUAGES)}; got {found}"
            )
        for lang in LANGUAGES:
            text = texts[lang]
            if not isinstance(text, str) or not text.strip():
                raise RubricError(f"{where}[{code!r}][{lang!r}]: expected a non-empty string, got {text!r}")
        hints[code] = {lang: texts[lang] for lang in LANGUAGES}
    scalings = getattr(module, "SCALINGS", {})
    if not isinstance(scalings, Mapping) or not all(
        isinstance(factors, tuple | list) and all(isinstance(f, Scaling) for f in factors)
        for factors in scalings.values()
    ):
        raise RubricError(f"mistakes: {module.__name__}.SCALINGS: expected a dict of function → (Scaling, …)")
    if scalings and not callable(getattr(module, "instances", None)):
        raise RubricError(
            f"mistakes: {module.__name__} has SCALINGS but no instances(values) giving a case's m"
        )
    functions = {task.reference for task in tasks}
    for function, codes in sorted(named_mistakes(module).items()):
        if function not in functions:
            raise RubricError(
                f"mistakes: {module.__name__} has mistakes of {function!r}, which is not the reference "
                f"function of any task ({', '.join(sorted(functions))})"
            )
        for code in sorted(codes):
            if code not in hints and f"diag.{code}" not in CATALOGUE:
                raise RubricError(
                    f"mistakes: {module.__name__} names the diagnosis code {code!r} (a mistake of "
                    f"{function}), which has no hint: add it to HINTS"
                )
    return hints


def sample_cases(
    generate: Callable[..., Any],
    generator: str,
    seed: int,
    public_cases: Sequence[Mapping[str, Any]],
    hidden: HiddenCases,
) -> list[tuple[str, Mapping[str, Any]]]:
    """The generator's values on every public case and on both corners of the hidden ranges."""
    sizes: list[tuple[str, Mapping[str, Any]]] = [
        (f"public_cases[{i}]", case) for i, case in enumerate(public_cases)
    ]
    if hidden.count:
        sizes.append(("hidden_cases", {name: low for name, (low, _) in hidden.ranges.items()}))
    if hidden.count and hidden.ranges:
        sizes.append(("hidden_cases", {name: high for name, (_, high) in hidden.ranges.items()}))
    sampled = []
    for i, (where, case) in enumerate(sizes):
        shown = ", ".join(f"{name}={value!r}" for name, value in case.items()) or "no sizes"
        try:
            values = generate(np.random.default_rng([seed, i]), **case)
        except Exception as exc:
            raise RubricError(
                f"{where}: the case generator {generator} fails on {shown} ({type(exc).__name__}: {exc})"
            ) from None
        if not isinstance(values, Mapping) or not all(isinstance(k, str) for k in values):
            raise RubricError(
                f"{where}: the case generator {generator} returned {type(values).__name__} on {shown}, "
                "not a dict of named values"
            )
        sampled.append((where, values))
    return sampled


def check_case_values(
    values: Mapping[str, Any], where: str, tasks: Sequence[TaskSpec], reference: ModuleType
) -> None:
    """Every value the tasks take from a case (params through ``inputs``, trained parameters, the
    cost's arguments) is one the case generator gives."""
    given = ", ".join(sorted(values))
    for i, task in enumerate(tasks):
        # A training task's steps and rate come from its checks, not from the case.
        from_checks = {task.steps, task.rate} if task.trains and task.steps and task.rate else set()
        needed = [
            (f"inputs.{param}" if param in task.inputs else "params", task.inputs.get(param, param))
            for param in task.params
            if param not in from_checks
        ]
        needed += [("trains", name) for name in task.trains]
        if task.cost is not None:
            cost = getattr(reference, task.cost)
            needed += [("cost", name) for name in _parameters(cost) if name not in task.trains]
        for key, name in needed:
            if name not in values:
                raise RubricError(
                    f"tasks[{i}].{key}: {task.id} needs the value {name!r}, which the case generator does "
                    f"not give on {where} (it gives {given})"
                )


def check_reference_outputs(
    sample: tuple[str, Mapping[str, Any]], tasks: Sequence[TaskSpec], reference: ModuleType
) -> None:
    """Each task's reference function runs on the first case and gives one output per name in
    ``returns`` (the outputs are matched to those names by position)."""
    where, values = sample
    for i, task in enumerate(tasks):
        function = getattr(reference, task.reference)
        try:
            result = function(*_graded_arguments(task, values))
        except Exception as exc:
            why = _IN_PLACE if _wrote_to_its_inputs(exc) else ""
            raise RubricError(
                f"tasks[{i}].reference: {task.reference} fails on {where} ({type(exc).__name__}: {exc}){why}"
            ) from None
        count = len(result) if isinstance(result, tuple) else 1
        if count != len(task.returns):
            raise RubricError(
                f"tasks[{i}].returns: names {len(task.returns)} output(s) but the reference "
                f"{task.reference} returns {count} on {where}"
            )


def check_mistakes_leave_inputs(
    module: ModuleType, sample: tuple[str, Mapping[str, Any]], tasks: Sequence[TaskSpec]
) -> None:
    """No wrong version of a reference function writes to its arguments: grading runs them on the run's
    shared, read-only case arrays. (A wrong version may fail on a case otherwise: that is its business.)"""
    where, values = sample
    for task in tasks:
        for code, implementations in known_mistakes(module, task.reference).implementations.items():
            for implementation in implementations:
                try:
                    implementation(*_graded_arguments(task, values))
                except Exception as exc:
                    if _wrote_to_its_inputs(exc):
                        name = getattr(implementation, "__name__", code)
                        raise RubricError(
                            f"mistakes: {module.__name__}.{name} fails on {where} ({exc}){_IN_PLACE}"
                        ) from None


_IN_PLACE = "; a reference must not change its arguments in place: every submission shares the cases"


def _wrote_to_its_inputs(exc: Exception) -> bool:
    # NumPy's words for a write to a read-only array.
    return isinstance(exc, ValueError) and "read-only" in str(exc)


def _graded_arguments(task: TaskSpec, values: Mapping[str, Any]) -> list[Any]:
    """A task's arguments from a case's values, as grading gives them to the reference (one update, for a
    training function)."""
    arguments = {**{name: _as_graded(value) for name, value in values.items()}, **task.one_update()}
    return [arguments[name] for name in task.input_names]


def _as_graded(value: Any) -> Any:
    # Read-only, as grading gives them (grader.cases): a reference that updates its arguments in place is
    # refused here, by name, instead of failing every submission. A copy: the sample stays the caller's.
    if not isinstance(value, np.ndarray):
        return value
    copy = value.copy()
    copy.flags.writeable = False
    return copy


def check_instances(module: ModuleType, sample: tuple[str, Mapping[str, Any]]) -> None:
    instances = getattr(module, "instances", None)
    if not callable(instances):
        return
    where, values = sample
    try:
        m = instances(values)
    except Exception as exc:
        raise RubricError(
            f"mistakes: {module.__name__}.instances fails on {where} ({type(exc).__name__}: {exc})"
        ) from None
    if isinstance(m, bool) or not isinstance(m, int | np.integer) or m < 1:
        raise RubricError(f"mistakes: {module.__name__}.instances gives {m!r} on {where}, not a count")


def check_names(tasks: Sequence[TaskSpec]) -> None:
    """No name (as submissions are searched: ignoring case and underscores) finds two tasks."""
    owner: dict[str, str] = {}
    for i, task in enumerate(tasks):
        for name in task.names:
            loose = name.replace("_", "").lower()
            other = owner.setdefault(loose, task.id)
            if other != task.id:
                key = "id" if name == task.id else "aliases"
                raise RubricError(f"tasks[{i}].{key}: {name!r} would also find task {other}")


def _parameters(function: Callable[..., Any]) -> list[str]:
    try:
        return list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return []


def check_conventions(conventions: Sequence[Convention], tasks: Sequence[TaskSpec]) -> None:
    names = {name for task in tasks for name in (*task.params, *task.returns)}
    ids = [convention.id for convention in conventions]
    for i, convention in enumerate(conventions):
        # Calls are remembered by convention id: two conventions with one id would share answers.
        if convention.id in ids[:i]:
            raise RubricError(f"conventions[{i}].id: {convention.id!r} is already a convention's id")
        for name in sorted(convention.column_vectors - names):
            raise RubricError(
                f"conventions[{i}].column_vectors: {name!r} is not a param or return of any task"
            )
