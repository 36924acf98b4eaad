"""Cases: public ones from the rubric's seed, hidden ones from the secret, sizes drawn as the rubric says."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from grader.cases import distinct_sizes, extra_case, make_cases
from grader.checks.memo import unchanging
from grader.rubric import HiddenCases
from grader.workshop import resolve_rubric


def test_distinct_sizes_finds_an_assignment_whenever_one_exists() -> None:
    assert distinct_sizes({"a": (2, 2), "b": (2, 3), "c": (1, 3)}) == {"a": 2, "b": 3, "c": 1}
    assert distinct_sizes({"a": (1, 1), "b": (1, 1)}) is None
    assert distinct_sizes({"a": (5, 10**9), "b": (5, 5)}) == {"b": 5, "a": 6}
    assert distinct_sizes({}) == {}


def test_hidden_sizes_named_distinct_always_differ() -> None:
    xor = resolve_rubric("xor")
    assert set(xor.hidden_cases.distinct) == {"n_inputs", "n_hidden", "m"}
    for index in range(200):
        for case in make_cases(xor, secret=f"secret-{index}").hidden:
            sizes = [case.sizes[name] for name in xor.hidden_cases.distinct]
            assert len(set(sizes)) == len(sizes), case.sizes


def test_ranges_barely_wide_enough_still_give_distinct_sizes_deterministically() -> None:
    xor = resolve_rubric("xor")
    narrow = HiddenCases(
        count=4,
        ranges={"n_inputs": (2, 3), "n_hidden": (2, 3), "m": (3, 4)},
        distinct=("n_inputs", "n_hidden", "m"),
    )
    rubric = dataclasses.replace(xor, hidden_cases=narrow)
    first = [c.sizes for c in make_cases(rubric, secret="s").hidden]
    assert first == [c.sizes for c in make_cases(rubric, secret="s").hidden]
    for sizes in first:
        assert len(set(sizes.values())) == 3, sizes


def test_case_arrays_are_read_only_down_to_the_memory_they_view() -> None:
    """Every submission is graded on the same arrays: a reference function (or a check) writing to its
    inputs fails at once instead of changing the next submission's cases."""
    xor = resolve_rubric("xor")
    cases = make_cases(xor, secret="s")
    # The truth table's inputs are a transposed view of the table.
    table = extra_case(xor, {"n_inputs": 2, "n_hidden": 3, "m": 4, "dataset": "xor"}, index=0)
    arrays = [v for case in (*cases.public, *cases.hidden, table) for v in case.values.values()]
    assert any(a.base is not None for a in arrays)
    for array in arrays:
        view: object = array
        while isinstance(view, np.ndarray):
            assert not view.flags.writeable
            view = view.base
        with pytest.raises(ValueError, match="read-only"):
            array[...] = 0.0
    assert all(unchanging(a) for a in arrays)
