"""Cases: public ones from the rubric's seed, hidden ones from the secret, sizes drawn as the rubric says."""

from __future__ import annotations

import dataclasses

from grader.cases import distinct_sizes, make_cases
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
