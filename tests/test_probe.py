"""The convention a submission works in, told by its functions together, judged in-process."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pytest
from judge_kit import codes, context, full_marks, judge, rubric, text
from numpy.typing import NDArray

from grader.checks import TaskContext
from grader.conventions import Convention
from grader.inprocess import InProcessStudent
from grader.messages import SAY, Param, render
from grader.probe import (
    RubricProbes,
    inconsistency,
    probe_convention,
    probe_functions,
)
from grader.probe import (
    _layout as layout,
)

Array = NDArray[np.float64]
Functions = Mapping[str, Callable[..., Any]]


def _sigmoid(z: Array) -> Array:
    return np.asarray(1 / (1 + np.exp(-z)))


def _cross_entropy(y_est: Array, y: Array) -> Array:
    return np.asarray(-(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)))


def ff_columns(X: Array, w1: Array, w2: Array, b1: Array, b2: Array) -> tuple[Array, Array]:
    a1 = _sigmoid(w1 @ X + b1)
    return a1, _sigmoid(w2 @ a1 + b2)


def ff_rows(X: Array, w1: Array, w2: Array, b1: Array, b2: Array) -> tuple[Array, Array]:
    a1 = _sigmoid(X @ w1 + b1)
    return a1, _sigmoid(a1 @ w2 + b2)


def cost_len(y_est: Array, y: Array) -> float:
    return float(np.sum(_cross_entropy(y_est, y)) / len(y))


def cost_columns(y_est: Array, y: Array) -> float:
    return float(np.sum(_cross_entropy(y_est, y)) / y.shape[1])


def cost_rows(y_est: Array, y: Array) -> float:
    return float(np.sum(_cross_entropy(y_est, y)) / y.shape[0])


def cost_mean(y_est: Array, y: Array) -> float:
    return float(np.mean(_cross_entropy(y_est, y)))


Gradients = tuple[Array, Array, Array, Array]


def bp_columns(
    X: Array, y: Array, w1: Array, w2: Array, b1: Array, b2: Array, a2: Array, a1: Array
) -> Gradients:
    m = X.shape[1]
    dz2 = a2 - y
    dz1 = (w2.T @ dz2) * a1 * (1 - a1)
    return (
        dz1 @ X.T / m,
        dz1.sum(axis=1, keepdims=True) / m,
        dz2 @ a1.T / m,
        dz2.sum(axis=1, keepdims=True) / m,
    )


def bp_rows(
    X: Array, y: Array, w1: Array, w2: Array, b1: Array, b2: Array, a2: Array, a1: Array
) -> Gradients:
    m = X.shape[0]
    d2 = a2 - y
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    return X.T @ d1 / m, d1.sum(axis=0, keepdims=True) / m, a1.T @ d2 / m, d2.sum(axis=0, keepdims=True) / m


def bp_rows_summed(
    X: Array, y: Array, w1: Array, w2: Array, b1: Array, b2: Array, a2: Array, a1: Array
) -> Gradients:
    dw1, db1, dw2, db2 = bp_rows(X, y, w1, w2, b1, b2, a2, a1)
    m = X.shape[0]
    return m * dw1, m * db1, m * dw2, m * db2


XOR_TASKS = ("feedForward", "costoGlobal", "backProp")


def _probed(rubric_id: str, functions: Functions) -> tuple[RubricProbes, dict[str, TaskContext]]:
    """The probes grading makes of these functions (by task id), with one in-process student for all."""
    student = InProcessStudent(functions)
    loaded = rubric(rubric_id)
    contexts = {
        task.id: context(rubric_id, task.id, student) for task in loaded.tasks if task.id in functions
    }
    return probe_functions(loaded.conventions, contexts), contexts


def _graded_in(probes: RubricProbes, task_id: str) -> tuple[str, str | None]:
    ctx = probes.tasks[task_id].ctx
    graded, right_in = probe_convention(ctx, established=probes.established)
    return graded.id, right_in.id if right_in is not None else None


@pytest.mark.parametrize(
    ("functions", "established"),
    [
        ({"feedForward": ff_columns, "costoGlobal": cost_columns, "backProp": bp_columns}, "columns"),
        ({"feedForward": ff_columns, "costoGlobal": cost_mean, "backProp": bp_columns}, "columns"),
        ({"feedForward": ff_rows, "costoGlobal": cost_len, "backProp": bp_rows}, "rows"),
        ({"feedForward": ff_rows, "costoGlobal": cost_rows, "backProp": bp_rows}, "rows"),
    ],
)
def test_a_consistent_submission_is_graded_in_its_own_convention_at_one_call_per_function(
    functions: Functions, established: str
) -> None:
    probes, _ = _probed("xor", functions)
    assert probes.established.id == established
    for task_id in XOR_TASKS:
        assert _graded_in(probes, task_id) == (established, None)
    # Once one function has shown the layout, the others are right at their first try.
    assert [len(probes.tasks[t].scores) for t in XOR_TASKS][1:] == [1, 1]


@pytest.mark.parametrize(
    ("ff", "cost", "bp", "established", "right_in"),
    [
        # The slides' columns, with len(y) in the cost: 1 with y of shape (1, m).
        (ff_columns, cost_len, bp_columns, "columns", "rows"),
        # Rows everywhere but the cost, which counts the columns of y.
        (ff_rows, cost_columns, bp_rows, "rows", "columns"),
    ],
)
def test_a_cost_right_only_in_the_other_convention_is_graded_in_the_submissions_and_fails_saying_why(
    ff: Callable[..., Any], cost: Callable[..., Any], bp: Callable[..., Any], established: str, right_in: str
) -> None:
    probes, _ = _probed("xor", {"feedForward": ff, "costoGlobal": cost, "backProp": bp})
    assert probes.established.id == established
    assert _graded_in(probes, "feedForward") == (established, None)
    assert _graded_in(probes, "backProp") == (established, None)
    assert _graded_in(probes, "costoGlobal") == (established, right_in)

    ctx = probes.tasks["costoGlobal"].ctx
    ctx.convention, other = probe_convention(ctx, established=probes.established)
    assert other is not None
    ctx.explanation = inconsistency(ctx, other, SAY)
    results = judge(ctx, "values")
    assert all(r.score == 0 for r in results)
    assert codes(results) == {"inconsistent_convention"}
    words = {"rows": "with instances as rows", "columns": "with instances as columns"}
    assert f"This function is only right {words[right_in]}" in text(results[0])
    assert f"your other functions work {words[established]}" in text(results[0])
    spanish = {"rows": "con las instancias en filas", "columns": "con las instancias en columnas"}
    assert f"Esta función solo es correcta {spanish[right_in]}" in text(results[0], "es")


def test_mixed_functions_follow_the_stronger_convention_then_the_rubric_order() -> None:
    # Two functions that work only in columns against one that works only in rows.
    probes, _ = _probed("xor", {"feedForward": ff_rows, "costoGlobal": cost_columns, "backProp": bp_columns})
    assert probes.established.id == "columns"
    assert _graded_in(probes, "feedForward") == ("columns", "rows")
    # Every function was tried in both conventions once they disagreed.
    assert all(len(probe.scores) == 2 for probe in probes.tasks.values())
    # One against one, as strongly: the rubric's first convention.
    tied, _ = _probed("xor", {"feedForward": ff_rows, "costoGlobal": cost_mean, "backProp": bp_columns})
    assert tied.established.id == "columns"


def test_functions_that_cannot_tell_the_conventions_apart_take_the_established_one() -> None:
    alone, _ = _probed("xor", {"costoGlobal": cost_mean})
    assert alone.established.id == "columns" and _graded_in(alone, "costoGlobal") == ("columns", None)
    # A cost that works in one convention only, on its own, is consistent with itself.
    rows_only, _ = _probed("xor", {"costoGlobal": cost_len})
    assert rows_only.established.id == "rows" and _graded_in(rows_only, "costoGlobal") == ("rows", None)


def test_a_function_right_in_no_convention_is_graded_where_it_works_best() -> None:
    probes, _ = _probed(
        "xor", {"feedForward": ff_columns, "costoGlobal": cost_columns, "backProp": bp_rows_summed}
    )
    assert probes.established.id == "columns"
    # Its own mistake (a missing mean) is what it hears about, not the layout.
    assert _graded_in(probes, "backProp") == ("rows", None)
    ctx = probes.tasks["backProp"].ctx
    ctx.convention, _ = probe_convention(ctx, established=probes.established)
    assert codes(judge(ctx, "gradient_check_weights")) == {"missing_mean"}


def test_a_rubric_with_one_convention_is_never_probed() -> None:
    loaded = rubric("xor")
    single = type(loaded.conventions)([loaded.conventions[0]])
    student = InProcessStudent({"feedForward": ff_rows})
    ctx = context("xor", "feedForward", student)
    probes = probe_functions(single, {"feedForward": ctx})
    assert probes.established == loaded.conventions[0] and probes.tasks["feedForward"].scores == {}


def test_layouts_are_named_by_what_differs() -> None:
    def _layout(*args: Any) -> str:
        said: Param = layout(SAY, *args)
        return render(said, "en")

    columns, rows = rubric("xor").conventions
    assert _layout(rows, columns, 1) == "with instances as rows"
    assert _layout(columns, rows, 1) == "with instances as columns"
    # A reference with instances as rows: its transpose has them as columns.
    assert _layout(rows, columns, 0) == "with instances as columns"
    assert _layout(rows, columns, None) == "with the arrays transposed relative to the reference"
    flat, column_vectors = rubric("linreg").conventions
    assert _layout(column_vectors, flat, 0) == "with grad, theta, y as (k, 1) column vectors"
    assert _layout(flat, column_vectors, 0) == "with grad, theta, y as flat (k,) vectors"
    both = Convention("both", transpose=True, column_vectors=frozenset({"b"}))
    assert _layout(both, flat, 1) == "with instances as rows and with b as (k, 1) column vectors"
    assert _layout(flat, flat, 1) == "with the “flat” convention"
    assert render(layout(SAY, both, flat, 1), "es") == (
        "con las instancias en filas y con b como vectores columna (k, 1)"
    )


def test_a_right_consistent_submission_passes_every_check_in_its_convention() -> None:
    functions: Functions = {"feedForward": ff_rows, "costoGlobal": cost_len, "backProp": bp_rows}
    probes, _ = _probed("xor", functions)
    for task_id in XOR_TASKS:
        ctx = probes.tasks[task_id].ctx
        ctx.convention, other = probe_convention(ctx, established=probes.established)
        assert other is None
        for spec in ctx.task.checks:
            assert full_marks(judge(ctx, spec.id)), (task_id, spec.id)
