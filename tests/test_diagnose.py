"""Recognising mistakes from values alone: ratios, orders, transposes and known-wrong implementations."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

import reference.linreg
import reference.xor
from grader.diagnose import (
    Diagnosis,
    Observed,
    constant_outputs,
    fixed_size,
    global_data_matches,
    hints,
    implementation_matches,
    merge,
    permutation_matches,
    recognise_outputs,
    scale_factor,
    scaling_matches,
    size_expression,
    transposed_matches,
    with_implied,
)
from grader.messages import SAY, render, words
from reference.cases import linreg_case, xor_case
from reference.mistakes import KnownMistakes, Scaling, known_mistakes, variants_for

TOL = {"rtol": 1e-6, "atol": 1e-9}
MODULES = {"xor": reference.xor, "linreg": reference.linreg}
FUNCTIONS = {
    "xor": ("feedForward", "costoGlobal", "backProp"),
    "linreg": ("calcularCosto", "calcularGradiente", "normalizar"),
}


def _case(module: str, seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    if module == "xor":
        return xor_case(rng, n_inputs=3, n_hidden=4, m=7)
    return linreg_case(rng, m=8, n=3)


def _call(function: Callable[..., Any], values: Mapping[str, Any]) -> tuple[Any, ...]:
    """Call a workshop function (right or wrong) on a case, by parameter name; normalizar takes the raw
    features."""
    if function.__name__.startswith("normalizar"):
        result = function(values["features"])
    else:
        parameters = inspect.signature(function).parameters.values()
        result = function(*[values[p.name] for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD])
    return result if isinstance(result, tuple) else (result,)


def _recognise(module: str, function: str, actual: tuple[Any, ...], values: Mapping[str, Any]) -> set[str]:
    correct = getattr(MODULES[module], function)
    known = known_mistakes(module, function)
    found = recognise_outputs(
        known,
        expected=_call(correct, values),
        actual=actual,
        names=[f"out{i}" for i in range(len(actual))],
        values=values,
        run=lambda wrong: _call(wrong, values),
    )
    return {d.code for d in found}


# --- the building blocks ---------------------------------------------------------------------------------


def test_scale_factor_finds_a_common_multiple_and_nothing_else() -> None:
    expected = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, 4.0]])
    assert scale_factor(expected, 7 * expected, **TOL) == pytest.approx(7)
    assert scale_factor(expected, -expected.T, **TOL) == pytest.approx(-1)
    assert scale_factor(2.5, np.array([[10.0]]), **TOL) == pytest.approx(4)
    assert scale_factor(expected, expected + 1, **TOL) is None
    assert scale_factor(np.zeros(3), np.ones(3), **TOL) is None
    assert scale_factor(expected, np.ones(5), **TOL) is None
    assert scale_factor(expected, np.full_like(expected, np.nan), **TOL) is None


def test_scaling_sets_right_outputs_aside_and_needs_one_factor_for_the_wrong_ones() -> None:
    missing_mean = (Scaling(("missing_mean",), power=1),)
    dw, db = np.arange(1.0, 7.0).reshape(2, 3), np.array([[0.5], [-1.5]])
    found = scaling_matches([dw, db], [dw, 8 * db], missing_mean, m=8, **TOL)
    assert found == (Diagnosis("missing_mean", (("factor", "m"),)),)
    assert scaling_matches([dw, db], [8 * dw, 8 * db], missing_mean, m=8, **TOL)
    assert scaling_matches([dw, db], [2 * dw, 8 * db], missing_mean, m=8, **TOL) == ()
    assert scaling_matches([dw, db], [8 * dw, 8 * db], missing_mean, m=7, **TOL) == ()
    assert scaling_matches([dw, db], [dw, db], missing_mean, m=8, **TOL) == ()
    assert scaling_matches([dw, db], [8 * dw, 8 * db], missing_mean, m=None, **TOL) == ()


def test_scaling_with_several_codes_and_a_factor_of_one_is_never_a_mistake() -> None:
    scalings = (Scaling(("never",), 1), Scaling(("wrong_sign", "missing_mean"), -1, power=1))
    found = scaling_matches([2.0], [-12.0], scalings, m=6, **TOL)
    assert [d.code for d in found] == ["wrong_sign", "missing_mean"]
    assert found[0].facts == (("factor", "−m"),)
    assert scaling_matches([2.0], [2.0 + 1e-3], scalings, m=6, **TOL) == ()


@pytest.mark.parametrize(
    ("coefficient", "power", "label", "value"),
    [
        (1, 1, "m", 8),
        (2, 1, "2m", 16),
        (2, 0, "2", 2),
        (-1, 0, "−1", -1),
        (-1, 1, "−m", -8),
        (1, 2, "m²", 64),
        (1, -1, "1/m", 0.125),
        (Fraction(1, 2), 0, "1/2", 0.5),
        (Fraction(1, 2), -1, "1/(2m)", 0.0625),
    ],
)
def test_scaling_label_and_factor(coefficient: Fraction | int, power: int, label: str, value: float) -> None:
    scaling = Scaling(("x",), coefficient, power)
    assert scaling.label == label
    assert scaling.factor(8) == pytest.approx(value)


def test_permutation_names_the_order_the_outputs_came_back_in() -> None:
    a1, a2 = np.ones((4, 7)) * 0.3, np.ones((1, 7)) * 0.6
    (found,) = permutation_matches([a1, a2], [a2, a1], ["a1", "a2"], **TOL)
    assert found.code == "swapped_outputs"
    assert dict(found.facts) == {"actual": "a2, a1", "expected": "a1, a2"}
    assert permutation_matches([a1, a2], [a1, a2], ["a1", "a2"], **TOL) == ()
    assert permutation_matches([a1], [a1], ["a1"], **TOL) == ()
    assert permutation_matches([a1, a2], [a2, a2], ["a1", "a2"], **TOL) == ()


def test_transposed_output_only_for_the_right_values_in_the_flipped_shape() -> None:
    a1 = np.arange(12.0).reshape(3, 4)
    assert transposed_matches([a1], [a1.T], **TOL) == (Diagnosis("transposed_output"),)
    assert transposed_matches([a1], [a1.T + 1], **TOL) == ()
    assert transposed_matches([a1], [a1], **TOL) == ()
    assert transposed_matches([np.ones((3, 1))], [np.ones(3)], **TOL) == ()
    square = np.arange(4.0).reshape(2, 2)
    assert transposed_matches([square], [square.T], **TOL) == ()


def test_implementation_matches_skip_what_does_not_apply_and_what_proves_nothing() -> None:
    def double(x: float) -> float:
        return 2 * x

    def broken(x: float) -> float:
        raise ValueError("not for this case")

    def identity(x: float) -> float:
        return x

    implementations = {"doubled": (broken, double), "nothing": (identity,)}
    found = implementation_matches(implementations, lambda f: (f(3.0),), (6.0,), **TOL)
    assert found == (Diagnosis("doubled"),)
    assert implementation_matches(implementations, lambda f: (f(3.0),), (3.0,), **TOL) == (
        Diagnosis("nothing"),
    )
    assert (
        implementation_matches(
            implementations, lambda f: (f(3.0),), (3.0,), uninformative=lambda out: out[0] == 3.0, **TOL
        )
        == ()
    )
    assert implementation_matches(implementations, lambda f: None, (6.0,), **TOL) == ()


def test_merge_keeps_one_per_code_preferring_facts_and_implied_codes_are_added() -> None:
    bare, detailed = Diagnosis("wrong_cost_scale"), Diagnosis("wrong_cost_scale", (("factor", "2m"),))
    assert merge([bare], [detailed, Diagnosis("x")]) == (detailed, Diagnosis("x"))
    assert merge([detailed], [bare]) == (detailed,)
    assert [d.code for d in with_implied([Diagnosis("sum_of_squares")])] == [
        "sum_of_squares",
        "wrong_cost_scale",
    ]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_hints_leave_out_plain_codes_repeats_and_general_codes_of_refined_ones(lang: str) -> None:
    t = SAY
    diagnoses = [
        Diagnosis("timeout"),
        Diagnosis("rows_as_instances"),
        Diagnosis("sum_of_squares"),
        Diagnosis("wrong_cost_scale", (("factor", "2m"),)),
        Diagnosis("missing_mean"),
        Diagnosis("missing_mean"),
        Diagnosis("not_a_known_code"),
    ]
    assert hints(diagnoses, t) == [t("diag.sum_of_squares"), t("diag.missing_mean")]
    assert hints([Diagnosis("wrong_cost_scale", (("factor", "2m"),))], t) == [
        t("diag.wrong_cost_scale.detail", factor="2m")
    ]
    assert "2m" in render(hints([Diagnosis("wrong_cost_scale", (("factor", "2m"),))], t)[0], lang)
    assert Diagnosis("wrong_cost_scale").hint(t) == t("diag.wrong_cost_scale")
    # A workshop's own hint comes first, in the language asked for.
    own = {"missing_mean": {"es": "Promedia sobre las instancias.", "en": "Average over the instances."}}
    (hint,) = hints([Diagnosis("missing_mean")], t, own)
    assert render(hint, lang) == own["missing_mean"][lang]
    with pytest.raises(KeyError):
        Diagnosis("not_a_known_code").hint(t)


# --- recognising the known mistakes from their outputs -----------------------------------------------------


def _every_known_mistake() -> list[tuple[str, str, str, str]]:
    found = []
    for module, functions in FUNCTIONS.items():
        for function in functions:
            for code, implementations in known_mistakes(module, function).implementations.items():
                found.extend((module, function, code, impl.__name__) for impl in implementations)
    return found


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize(("module", "function", "code", "name"), _every_known_mistake())
def test_every_known_wrong_output_is_recognised(
    module: str, function: str, code: str, name: str, seed: int
) -> None:
    values = _case(module, seed)
    (implementation,) = [
        impl for impl in known_mistakes(module, function).implementations[code] if impl.__name__ == name
    ]
    wrong = _call(implementation, values)
    assert code in _recognise(module, function, wrong, values)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(("module", "function"), [(m, f) for m, fs in FUNCTIONS.items() for f in fs])
def test_the_right_outputs_are_never_diagnosed(module: str, function: str, seed: int) -> None:
    values = _case(module, seed)
    right = _call(getattr(MODULES[module], function), values)
    assert _recognise(module, function, right, values) == set()


@pytest.mark.parametrize("seed", [0, 1])
def test_scaled_results_are_recognised_however_they_were_computed(seed: int) -> None:
    values = _case("linreg", seed)
    m = values["X"].shape[0]
    cost = reference.linreg.calcularCosto(values["X"], values["y"], values["theta"])
    assert _recognise("linreg", "calcularCosto", (2 * cost,), values) == {"wrong_cost_scale"}
    assert _recognise("linreg", "calcularCosto", (2 * m * cost,), values) == {
        "wrong_cost_scale",
        "sum_of_squares",
    }
    assert _recognise("linreg", "calcularCosto", (m * m * cost,), values) == {"wrong_cost_scale"}
    assert _recognise("linreg", "calcularCosto", (m * cost,), values) == {"missing_mean"}
    assert _recognise("linreg", "calcularCosto", (3 * cost,), values) == set()
    gradient = reference.linreg.calcularGradiente(values["X"], values["y"], values["theta"])
    assert _recognise("linreg", "calcularGradiente", (-gradient,), values) == {"wrong_sign"}
    assert _recognise("linreg", "calcularGradiente", (-m * gradient,), values) == {
        "wrong_sign",
        "missing_mean",
    }

    xor_values = _case("xor", seed)
    m = xor_values["X"].shape[1]
    dw1, db1, dw2, db2 = _call(reference.xor.backProp, xor_values)
    # Only the biases summed: still a missing mean.
    assert _recognise("xor", "backProp", (dw1, m * db1, dw2, m * db2), xor_values) == {"missing_mean"}
    assert _recognise("xor", "backProp", (dw2, db1, dw1, db2), xor_values) == {"swapped_outputs"}
    assert _recognise("xor", "backProp", (dw1 + 0.1, db1, dw2, db2), xor_values) == set()
    y_est, y = xor_values["y_est"], xor_values["y"]
    cost = reference.xor.costoGlobal(y_est, y)
    assert _recognise("xor", "costoGlobal", (-m * cost,), xor_values) == {
        "missing_mean",
        "missing_negative_sign",
    }


def test_a_mistake_that_makes_no_difference_on_a_case_is_not_blamed() -> None:
    # With a single feature, one mean for the whole array is the right mean: the transposed X_norm of
    # this output is a different mistake.
    values = linreg_case(np.random.default_rng(3), m=6, n=1)
    X_norm, mu, sigma = reference.linreg.normalizar(values["features"])
    assert _recognise("linreg", "normalizar", (X_norm.T, mu, sigma), values) == set()


def test_known_mistakes_collect_canonical_implementations_variants_and_scalings() -> None:
    known = known_mistakes("xor", "feedForward")
    assert known.implementations["missing_bias"][0].__name__ == "feedForward__missing_bias"
    assert len(known.implementations["missing_bias"]) == 3
    assert set(variants_for("xor", "feedForward")) == {
        "missing_bias",
        "missing_output_activation",
        "missing_hidden_activation",
    }
    assert known.instances is not None and known.instances(_case("xor", 0)) == 7
    assert [s.label for s in known_mistakes("linreg", "calcularCosto").scalings] == ["m", "2", "2m", "m²"]
    assert not KnownMistakes() and known


def test_variants_keep_the_signature_of_the_function_they_get_wrong() -> None:
    for module, functions in FUNCTIONS.items():
        for function in functions:
            correct = inspect.signature(getattr(MODULES[module], function))
            names = [p.name for p in correct.parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]
            for implementations in variants_for(module, function).values():
                for implementation in implementations:
                    parameters = inspect.signature(implementation).parameters.values()
                    assert [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD] == names


# --- functions that read the notebook's data: recognised across cases ------------------------------------

FIXED_SIZE = 4


def _cost_case(seed: int, m: int) -> dict[str, Any]:
    return xor_case(np.random.default_rng(seed), n_inputs=2, n_hidden=3, m=m)


def _cost_observed(values: Mapping[str, Any], actual: float) -> Observed:
    right = reference.xor.costoGlobal(values["y_est"], values["y"])
    return Observed(values["X"].shape[1], (right,), (actual,))


def _right_cost(values: Mapping[str, Any]) -> float:
    return float(reference.xor.costoGlobal(values["y_est"], values["y"]))


@pytest.mark.parametrize("sizes", [(8, 7), (3, 12, 5), (6, 9)])
def test_results_divided_by_one_fixed_size_are_recognised_on_cases_of_two_sizes(
    sizes: tuple[int, ...],
) -> None:
    cases = [_cost_case(seed, m) for seed, m in enumerate(sizes)]
    observed = [_cost_observed(v, _right_cost(v) * v["X"].shape[1] / FIXED_SIZE) for v in cases]
    assert fixed_size(observed, **TOL) == (FIXED_SIZE, tuple(range(len(sizes))))
    assert global_data_matches(observed, **TOL) == (FIXED_SIZE, tuple(range(len(sizes))))


def test_a_fixed_size_needs_two_sizes_or_a_case_it_passes() -> None:
    one = _cost_case(0, 8)
    alone = [_cost_observed(one, _right_cost(one) * 2)]
    assert fixed_size(alone, **TOL) is None
    # A passed case of exactly that size is the second sighting: the function is right only there.
    assert fixed_size([*alone, Observed(FIXED_SIZE, passed=True)], **TOL) == (FIXED_SIZE, (0,))
    assert fixed_size([*alone, Observed(5, passed=True)], **TOL) is None
    same = _cost_case(1, 8)
    assert fixed_size([*alone, _cost_observed(same, _right_cost(same) * 2)], **TOL) is None


@pytest.mark.parametrize(
    ("factor", "why"),
    [
        (lambda m: 2.0, "a constant factor is m/n for a different n on every size"),
        (lambda m: float(m), "the missing mean: n = 1"),
        (lambda m: -m / FIXED_SIZE, "a sign flipped too"),
        (lambda m: m * m, "another power of m"),
    ],
)
def test_other_factors_are_not_a_fixed_size(factor: Callable[[int], float], why: str) -> None:
    cases = [_cost_case(seed, m) for seed, m in enumerate((6, 9, 12))]
    observed = [_cost_observed(v, _right_cost(v) * factor(v["X"].shape[1])) for v in cases]
    assert fixed_size(observed, **TOL) is None, why
    assert global_data_matches(observed, **TOL) is None, why


def _gradients_observed(values: Mapping[str, Any], scale: float, *, noise: float = 0.0) -> Observed:
    right = _call(reference.xor.backProp, values)
    wrong = tuple(scale * g + noise * np.arange(g.size).reshape(g.shape) for g in right)
    return Observed(values["X"].shape[1], right, wrong)


def test_a_case_scaled_by_another_size_contradicts_the_fixed_one() -> None:
    cases = [_cost_case(seed, m) for seed, m in enumerate((6, 9, 12))]
    sizes = (FIXED_SIZE, FIXED_SIZE, FIXED_SIZE + 1)
    observed = [_gradients_observed(v, v["X"].shape[1] / n) for v, n in zip(cases, sizes, strict=True)]
    assert fixed_size(observed, **TOL) is None
    # A case failed some other way (no multiple of the right result) neither confirms nor contradicts it.
    observed[2] = _gradients_observed(cases[2], 1.0, noise=0.01)
    assert fixed_size(observed, **TOL) == (FIXED_SIZE, (0, 1))
    # A wrong scalar is always some multiple of the right one: another size on any case contradicts.
    costs = [
        _cost_observed(v, _right_cost(v) * v["X"].shape[1] / n) for v, n in zip(cases, sizes, strict=True)
    ]
    assert fixed_size(costs, **TOL) is None
    costs[2] = _cost_observed(cases[2], _right_cost(cases[2]) + 0.1)
    assert fixed_size(costs, **TOL) is None


def test_only_the_wrong_outputs_need_the_fixed_size_and_all_the_same() -> None:
    cases = [_cost_case(seed, m) for seed, m in enumerate((8, 7))]
    observed = []
    for values in cases:
        m = values["X"].shape[1]
        dw1, db1, dw2, db2 = _call(reference.xor.backProp, values)
        scale = m / FIXED_SIZE
        # The biases averaged right with np.mean, the weights divided by a global m.
        observed.append(Observed(m, (dw1, db1, dw2, db2), (scale * dw1, db1, scale * dw2, db2)))
    assert fixed_size(observed, **TOL) == (FIXED_SIZE, (0, 1))
    first = observed[0]
    assert first.expected is not None and first.actual is not None
    mixed = Observed(first.m, first.expected, (2 * first.actual[0], *first.actual[1:]))
    assert fixed_size([mixed, observed[1]], **TOL) is None


def test_the_same_outputs_for_different_inputs_do_not_depend_on_the_arguments() -> None:
    cases = [_cost_case(seed, m) for seed, m in enumerate((8, 7, 5))]
    fixed = 0.6931471805599453
    observed = [_cost_observed(v, fixed) for v in cases]
    assert constant_outputs(observed) == (0, 1, 2)
    assert global_data_matches(observed, **TOL) == (None, (0, 1, 2))
    # Only one case: nothing to compare with.
    assert constant_outputs(observed[:1]) == ()
    # A stub's whole numbers are unfinished work, not the notebook's data.
    assert constant_outputs([_cost_observed(v, 0.0) for v in cases]) == ()
    assert constant_outputs([_cost_observed(v, 1.0) for v in cases]) == ()
    # The same right answer on both cases makes the same output natural.
    twice = [_cost_observed(cases[0], fixed), _cost_observed(cases[0], fixed)]
    assert constant_outputs(twice) == ()
    # Passed cases and cases without outputs are left out.
    assert constant_outputs([Observed(8, passed=True), Observed(7), observed[2]]) == ()


def test_right_results_and_ordinary_mistakes_are_not_global_data() -> None:
    cases = [_cost_case(seed, m) for seed, m in enumerate((8, 7, 5))]
    right = [_cost_observed(v, _right_cost(v)) for v in cases]
    assert global_data_matches(right, **TOL) is None
    noisy = [_cost_observed(v, _right_cost(v) + 0.01 * i) for i, v in enumerate(cases)]
    assert global_data_matches(noisy, **TOL) is None


def _student_arguments(values: Mapping[str, Any], names: tuple[str, ...], *, rows: bool) -> dict[str, Any]:
    return {name: values[name].T if rows and values[name].ndim == 2 else values[name] for name in names}


@pytest.mark.parametrize(
    ("rows", "names", "expression"),
    [
        (False, ("y_est", "y"), "y.shape[1]"),
        (True, ("y_est", "y"), "y.shape[0]"),
        (False, ("X", "y", "w1", "w2", "b1", "b2", "a2", "a1"), "y.shape[1]"),
        (False, ("X", "w1", "w2", "b1", "b2"), "X.shape[1]"),
        (True, ("X", "w1", "w2", "b1", "b2"), "X.shape[0]"),
    ],
)
def test_the_size_expression_names_an_argument_axis_that_holds_m(
    rows: bool, names: tuple[str, ...], expression: str
) -> None:
    cases = [_cost_case(seed, m) for seed, m in enumerate((8, 7))]
    arguments = [_student_arguments(v, names, rows=rows) for v in cases]
    assert size_expression(arguments, [v["X"].shape[1] for v in cases]) == expression


def test_the_size_expression_of_flat_labels_is_their_length_and_ambiguous_axes_are_left_out() -> None:
    values = linreg_case(np.random.default_rng(0), m=6, n=2)
    arguments = {"X": values["X"], "y": values["y"], "theta": values["theta"]}
    assert size_expression([arguments], [6]) == "len(y)"
    assert size_expression([{"X": values["X"]}], [6]) == "X.shape[0]"
    # A square array cannot say which axis holds the instances; nothing else here holds m.
    assert size_expression([{"A": np.zeros((6, 6)), "theta": values["theta"]}], [6]) is None
    assert size_expression([], []) is None


GLOBAL_M = 4


def cost_with_global_m(y_est: np.ndarray, y: np.ndarray) -> float:
    return float(-np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)) / GLOBAL_M)


def cost_with_default_m(y_est: np.ndarray, y: np.ndarray, m: int = 4) -> float:
    return float(-np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)) / m)


def cost_of_fixed_data(y_est: np.ndarray, y: np.ndarray) -> float:
    fixed_y, fixed_est = np.array([[0.0, 1.0, 1.0, 0.0]]), np.array([[0.3, 0.6, 0.55, 0.4]])
    return float(-np.mean(fixed_y * np.log(fixed_est) + (1 - fixed_y) * np.log(1 - fixed_est)))


def cost_right(y_est: np.ndarray, y: np.ndarray) -> float:
    return float(-np.mean(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)))


@pytest.mark.parametrize("function", [cost_with_global_m, cost_with_default_m])
def test_a_check_recognises_a_global_size_across_its_cases_and_says_how_to_count(
    function: Callable[..., float],
) -> None:
    from judge_kit import codes, run, text

    results = run("xor", "costoGlobal", "values", function)
    assert [r.score for r in results] == [0.0, 0.0]
    assert codes(results) == {"uses_global_data"}
    for result in results:
        assert "divides by 4 whatever data it is given" in text(result)
        assert "m = y.shape[1]" in text(result)
    rows = run("xor", "costoGlobal", "values", function, convention=1)
    assert codes(rows) == {"uses_global_data"}
    assert "m = y.shape[0]" in text(rows[0])


def test_a_check_recognises_results_that_ignore_the_arguments() -> None:
    from judge_kit import codes, run, text

    results = run("xor", "costoGlobal", "values", cost_of_fixed_data)
    assert codes(results) == {"uses_global_data"}
    assert words("diag.uses_global_data", "en") in text(results[0])


def test_a_right_function_and_a_summed_cost_are_not_global_data() -> None:
    from judge_kit import codes, full_marks, run

    assert full_marks(run("xor", "costoGlobal", "values", cost_right))

    def summed(y_est: np.ndarray, y: np.ndarray) -> float:
        return float(-np.sum(y * np.log(y_est) + (1 - y) * np.log(1 - y_est)))

    assert codes(run("xor", "costoGlobal", "values", summed)) == {"missing_mean"}


def test_a_linear_cost_over_the_notebooks_rows_is_recognised_with_the_length_of_y() -> None:
    from judge_kit import codes, run, text

    def cost(X: np.ndarray, y: np.ndarray, theta: np.ndarray) -> float:
        return float(np.sum((X @ theta - y) ** 2) / (2 * 97))

    results = run("linreg", "calcularCosto", "values", cost)
    assert codes(results) == {"uses_global_data"}
    assert "divides by 97" in text(results[0]) and "m = len(y)" in text(results[0])
