"""Tests for the class-wide figures behind the dashboard."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grader.messages import plain
from grader.report.stats import class_statistics, histogram
from grader.results import CheckResult, CheckStatus, SubmissionError, SubmissionResult, TaskResult


def check(id: str, status: CheckStatus, score: float, max_score: float, *codes: str) -> CheckResult:
    return CheckResult(id, status, score, max_score, "public", plain(""), diagnoses=codes)


def graded(id: str, *tasks: TaskResult) -> SubmissionResult:
    return SubmissionResult(id, f"{id}.py", "graded", tasks=tasks)


def test_histogram_bins_include_their_lower_edge_and_the_last_includes_100() -> None:
    bins = histogram([0, 9.99, 10, 55, 99.9, 100])
    assert [b.count for b in bins] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert (bins[0].low, bins[0].high, bins[-1].low, bins[-1].high) == (0, 10, 90, 100)


@given(st.lists(st.floats(min_value=0, max_value=100)))
def test_histogram_counts_every_percentage_once(values: list[float]) -> None:
    assert sum(b.count for b in histogram(values)) == len(values)


def test_class_statistics() -> None:
    ana = graded(
        "ana",
        TaskResult(
            "xor",
            "backProp",
            "backProp",
            (check("shapes", "pass", 1, 1), check("values", "fail", 0, 3, "missing_mean")),
        ),
        TaskResult("xor", "costoGlobal", "costoGlobal", (check("values", "timeout", 0, 2),)),
    )
    beto = graded(
        "beto",
        TaskResult(
            "xor",
            "backProp",
            "backProp",
            (
                check("shapes", "pass", 1, 1),
                check("values", "error", 0, 3, "missing_mean", "derivative_of_z"),
            ),
        ),
        TaskResult("xor", "costoGlobal", None, (check("values", "skipped", 0, 2, "missing_function"),)),
    )
    caro = graded(
        "caro",
        TaskResult(
            "xor", "backProp", "backProp", (check("shapes", "pass", 1, 1), check("values", "pass", 3, 3))
        ),
        TaskResult("xor", "costoGlobal", "costoGlobal", (check("values", "pass", 2, 2),)),
    )
    broken = SubmissionResult(
        "dani", "dani.ipynb", "error", error=SubmissionError("empty_file", plain("vacío"))
    )
    figures = class_statistics([ana, beto, caro, broken])
    assert (figures.submissions, figures.graded, figures.errored, figures.timed_out) == (4, 3, 1, 1)
    assert figures.percentages == (pytest.approx(100 / 6), pytest.approx(100 / 6), 100)
    assert figures.median_percentage == pytest.approx(100 / 6)
    assert figures.mean_percentage == pytest.approx((100 / 6 + 100 / 6 + 100) / 3)
    rates = {(r.task, r.check): r for r in figures.check_rates}
    assert list(rates) == [("backProp", "shapes"), ("backProp", "values"), ("costoGlobal", "values")]
    values = rates["backProp", "values"]
    assert (values.passed, values.failed, values.errored, values.total) == (1, 1, 1, 3)
    assert values.rate == pytest.approx(1 / 3)
    cost = rates["costoGlobal", "values"]
    assert (cost.passed, cost.timed_out, cost.skipped) == (1, 1, 1)
    assert [(d.code, d.submissions, d.tasks) for d in figures.diagnoses] == [
        ("missing_mean", 2, ("backProp",)),
        ("derivative_of_z", 1, ("backProp",)),
        ("missing_function", 1, ("costoGlobal",)),
    ]
    assert [(p.submission_id, p.timeouts, p.exceptions) for p in figures.problems] == [
        ("ana", ("costoGlobal",), ()),
        ("beto", (), ("backProp",)),
        ("dani", (), ()),
    ]
    assert figures.problems[-1].error == SubmissionError("empty_file", plain("vacío"))


def test_a_diagnosis_counts_once_per_submission() -> None:
    twice = graded(
        "ana",
        TaskResult(
            "xor",
            "feedForward",
            "feedForward",
            (
                check("shapes", "fail", 0, 1, "swapped_outputs"),
                check("values", "fail", 0, 1, "swapped_outputs"),
            ),
        ),
    )
    (diagnosis,) = class_statistics([twice]).diagnoses
    assert diagnosis.submissions == 1


def test_empty_class() -> None:
    figures = class_statistics([])
    assert figures.mean_percentage is None and figures.median_percentage is None
    assert [b.count for b in figures.histogram] == [0] * 10
    assert figures.check_rates == figures.diagnoses == figures.problems == ()


def test_scores_are_per_workshop_and_never_added_together() -> None:
    both = graded(
        "maria",
        TaskResult("xor", "feedForward", "feedForward", (check("values", "pass", 3, 3),)),
        TaskResult("linreg", "calcularCosto", "calcularCosto", (check("values", "fail", 0, 2),)),
        TaskResult("linreg", "normalizar", "normalizar", (check("values", "pass", 2, 2),)),
    )
    xor_only = graded(
        "ana", TaskResult("xor", "feedForward", "feedForward", (check("values", "fail", 0, 3),))
    )
    figures = class_statistics([both, xor_only])
    # Workshops in id order, whatever order the students came in.
    linreg, xor = figures.workshops
    assert (linreg.rubric, linreg.scores, linreg.maxima, linreg.percentages) == ("linreg", (2,), (4,), (50,))
    assert (xor.rubric, xor.scores, xor.maxima, xor.percentages) == ("xor", (3, 0), (3, 3), (100, 0))
    assert (xor.submissions, xor.complete, xor.max_score, xor.mean_score) == (2, 1, 3, 1.5)
    assert (xor.mean_percentage, xor.median_percentage) == (50, 50)
    assert [b.count for b in xor.histogram] == [1] + [0] * 8 + [1]
    assert linreg.complete == 0


def test_a_workshop_with_different_maxima_has_no_common_maximum() -> None:
    short = graded("a", TaskResult("xor", "feedForward", "feedForward", (check("values", "pass", 1, 1),)))
    long = graded("b", TaskResult("xor", "feedForward", "feedForward", (check("values", "pass", 1, 2),)))
    (xor,) = class_statistics([short, long]).workshops
    assert xor.max_score is None
    assert xor.mean_percentage == 75


def test_accepted_conventions_are_counted_apart_from_mistakes() -> None:
    def student(name: str, rubric: str, *codes: str) -> SubmissionResult:
        return graded(name, TaskResult(rubric, "f", "f", (check("values", "pass", 1, 1, *codes),)))

    rows = student("ana", "xor", "rows_as_instances")
    both = student("beto", "xor", "rows_as_instances", "missing_mean")
    # The same code in a workshop whose conventions do not include it is a diagnosis like any other.
    elsewhere = student("caro", "linreg", "rows_as_instances")
    figures = class_statistics(
        [rows, both, elsewhere], conventions={"xor": {"rows_as_instances"}, "linreg": set()}
    )
    assert [(d.code, d.submissions, d.rubrics, d.out_of) for d in figures.conventions] == [
        ("rows_as_instances", 2, ("xor",), 2)
    ]
    assert [(d.code, d.submissions, d.rubrics, d.out_of) for d in figures.diagnoses] == [
        ("missing_mean", 1, ("xor",), 2),
        ("rows_as_instances", 1, ("linreg",), 1),
    ]
    # Without the rubrics' conventions (an older results file), every code is a diagnosis.
    assert [d.code for d in class_statistics([rows, both]).diagnoses] == ["rows_as_instances", "missing_mean"]
    assert class_statistics([rows, both]).conventions == ()
