"""Rubric loading: the bundled rubrics are valid, and a bad rubric fails at load naming its key."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import tomllib

from grader.errors import RubricError
from grader.workshop import (
    bundled_rubric_paths,
    load_bundled_rubrics,
    load_rubric,
    parse_rubric,
    resolve_rubric,
)

TINY = Path(__file__).parent / "files" / "rubrics" / "tiny.toml"


def tiny() -> dict[str, Any]:
    return tomllib.loads(TINY.read_text(encoding="utf-8"))


def test_bundled_rubrics_load_and_cover_both_workshops() -> None:
    rubrics = {r.id: r for r in load_bundled_rubrics()}
    assert set(rubrics) == {"linreg", "xor"}
    assert [t.id for t in rubrics["xor"].tasks] == ["feedForward", "costoGlobal", "backProp", "entrenarRed"]
    assert [t.id for t in rubrics["linreg"].tasks] == [
        "calcularCosto",
        "calcularGradiente",
        "descensoGradiente",
        "normalizar",
    ]
    assert "gradientDescent" in rubrics["linreg"].task("descensoGradiente").aliases
    assert rubrics["xor"].conventions[1].note == "rows_as_instances"


def test_bundled_rubrics_are_package_resources() -> None:
    assert {p.stem for p in bundled_rubric_paths()} == {"linreg", "xor"}


def test_resolve_by_id_and_by_path() -> None:
    assert resolve_rubric("xor").id == "xor"
    assert resolve_rubric(str(TINY)).id == "tiny"
    with pytest.raises(RubricError, match=r"unknown rubric 'nope'.*linreg, xor"):
        resolve_rubric("nope")


def test_tiny_rubric_defaults() -> None:
    rubric = load_rubric(TINY)
    (check,) = rubric.task("calcularCosto").checks
    assert check.options == {"rtol": 1e-6, "atol": 1e-9, "accept": []}
    assert check.timeout_s == 5.0
    assert rubric.max_score == 2


def mutate(path: list[str | int], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(tiny())
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ["tasks", 0, "checks", 0, "kind"],
            "shape",
            r"tasks\[0\]\.checks\[0\]\.kind: unknown check kind 'shape'",
        ),
        (["tasks", 0, "checks", 0, "rtol"], "tight", r"tasks\[0\]\.checks\[0\]\.rtol: expected float"),
        (["tasks", 0, "checks", 0, "rtol"], -1.0, r"tasks\[0\]\.checks\[0\]\.rtol: must not be negative"),
        (["tasks", 0, "checks", 0, "points"], -2, r"tasks\[0\]\.checks\[0\]\.points: must not be negative"),
        (["tasks", 0, "checks", 0, "colour"], "red", r"tasks\[0\]\.checks\[0\]\.colour: unknown key"),
        (
            ["tasks", 0, "id"],
            "calcularCoste",
            r"tasks\[0\]\.reference: reference\.linreg has no function 'calcularCoste'",
        ),
        (["tasks", 0, "params"], DELETE, r"tasks\[0\]\.params: missing"),
        (["tasks", 0, "trains"], ["w9"], r"tasks\[0\]\.trains: 'w9' is not one of the params"),
        (["tasks", 0, "uses"], ["ghost"], r"tasks\[0\]\.uses: 'ghost' is not a task"),
        (["reference"], "reference.nothing", r"reference: cannot import 'reference\.nothing'"),
        (["cases"], "reference.cases:nope", r"cases: reference\.cases has no function 'nope'"),
        (["hidden_cases", "m"], [8, 4], r"hidden_cases\.m: expected a range"),
        (["conventions"], [], r"conventions: at least one convention"),
        (["timeout_s"], 0, r"timeout_s: must be positive"),
        (["lang"], "fr", r"lang: expected one of es, en"),
        (["surprise"], 1, r"surprise: unknown key"),
    ],
)
def test_bad_rubric_fails_at_load_naming_the_key(path: list[str | int], value: Any, message: str) -> None:
    with pytest.raises(RubricError, match=message):
        parse_rubric(mutate(path, value), source="tiny.toml")


def test_training_check_needs_training_fields() -> None:
    data = tiny()
    data["tasks"][0]["checks"][0] = {"id": "step", "kind": "one_step", "points": 1, "rate": 0.1}
    with pytest.raises(RubricError, match=r"'one_step' needs the task to set trains, steps, rate"):
        parse_rubric(data, source="tiny.toml")


def test_required_option_is_named() -> None:
    data = tiny()
    data["tasks"][0]["checks"][0] = {
        "id": "grad",
        "kind": "gradient_check",
        "points": 1,
        "cost": "calcularCosto",
    }
    with pytest.raises(RubricError, match=r"checks\[0\]\.gradients: required"):
        parse_rubric(data, source="tiny.toml")


def test_invalid_toml_is_reported_with_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("id = \n", encoding="utf-8")
    with pytest.raises(RubricError, match=r"broken\.toml: not valid TOML"):
        load_rubric(broken)
