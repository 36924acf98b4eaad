"""Comparisons: strict shapes, lenient alignment of values, and where the largest difference is."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.calls import Opaque
from grader.compare import allclose, as_array, broadcasts_alike, compare, relative_error, values_agree

finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2), elements=finite))
def test_identical_arrays_match(expected: np.ndarray) -> None:
    result = compare(expected, expected.copy(), rtol=1e-9, atol=0.0)
    assert result.ok and result.max_abs_diff == 0.0


@given(hnp.arrays(np.float64, st.tuples(st.integers(2, 5), st.integers(2, 5)), elements=finite))
def test_transposed_values_match_but_shape_does_not(expected: np.ndarray) -> None:
    if expected.shape[0] == expected.shape[1]:
        return
    result = compare(expected, expected.T.copy(), rtol=1e-9, atol=1e-12)
    assert result.values_ok and not result.shape_ok and result.transposed


def test_largest_difference_is_located() -> None:
    expected = np.zeros((3, 4))
    actual = expected.copy()
    actual[2, 1] = 0.5
    actual[0, 0] = 0.1
    result = compare(expected, actual, rtol=1e-6, atol=1e-9)
    assert not result.values_ok and result.shape_ok
    assert result.where == (2, 1) and result.max_abs_diff == 0.5
    assert (result.expected_at, result.actual_at) == (0.0, 0.5)


def test_column_against_flat_vector_compares_values_only() -> None:
    result = compare(np.arange(4.0), np.arange(4.0).reshape(4, 1), rtol=1e-9, atol=0)
    assert result.values_ok and not result.shape_ok


def test_scalars_accept_any_size_one_value() -> None:
    for actual in (0.25, [0.25], np.array([[0.25]]), np.float64(0.25)):
        assert compare(np.float64(0.25), actual, rtol=1e-9, atol=0, scalar=True).ok
    assert not compare(np.float64(0.25), [0.25, 0.25], rtol=1e-9, atol=0, scalar=True).ok


def test_nan_never_matches() -> None:
    result = compare(np.zeros(2), np.array([0.0, np.nan]), rtol=1.0, atol=1.0)
    assert not result.values_ok and result.non_finite and result.where == (1,)


# Tolerances as the checks give them, and the odd ones whose bounds are not all at least atol.
TOLERANCES = [(1e-6, 1e-9), (1e-5, 1e-8), (0.0, 1e-3), (0.0, 0.0), (1e-3, 0), (-1e-3, 1e-3), (math.inf, 1.0)]


def _isclose_everywhere(expected: np.ndarray, actual: np.ndarray, *, rtol: float, atol: float) -> bool:
    """The values test by definition: every element within atol + rtol·|expected| (np.isclose's test
    when nothing is infinite or missing)."""
    with np.errstate(all="ignore"):
        diff = np.abs(actual - expected)
        if np.isfinite(diff).all():
            return bool((diff <= atol + rtol * np.abs(expected)).all())
        return bool(np.isclose(actual, expected, rtol=rtol, atol=atol).all())


@given(
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0), elements=finite),
    st.data(),
    st.sampled_from(TOLERANCES),
)
def test_values_are_judged_element_by_element(
    expected: np.ndarray, data: st.DataObject, tolerance: tuple[float, float]
) -> None:
    """Outputs at, just inside and just outside each element's bound, or off by NaN and infinities, are
    judged as the elementwise test judges them, whatever the largest difference alone suggests."""
    rtol, atol = tolerance
    with np.errstate(all="ignore"):
        bound = atol + rtol * np.abs(expected)
        scale = data.draw(
            hnp.arrays(
                np.float64,
                expected.shape,
                elements=st.sampled_from([0.0, 0.5, 1.0, -1.0, 1.0 + 1e-15, 1.5, 3.0, np.nan, np.inf]),
            )
        )
        actual = expected + np.where(np.isnan(scale) | np.isinf(scale), scale, scale * np.nan_to_num(bound))
    judged = _isclose_everywhere(expected, actual, rtol=rtol, atol=atol)
    with np.errstate(all="ignore"):
        assert compare(expected, actual, rtol=rtol, atol=atol).values_ok == judged
        assert values_agree(expected, actual, rtol=rtol, atol=atol) == judged
        # Lined up from another layout, the same numbers get the same verdict.
        if expected.ndim == 2 and expected.shape[0] != expected.shape[1]:
            assert values_agree(expected, actual.T.copy(), rtol=rtol, atol=atol) == judged


@given(
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=2, min_side=0), elements=finite),
    st.data(),
    st.sampled_from([*TOLERANCES, (1e-6, -1.0), (1e-6, math.inf), (math.nan, 0.0)]),
)
def test_allclose_is_numpys(
    expected: np.ndarray, data: st.DataObject, tolerance: tuple[float, float]
) -> None:
    rtol, atol = tolerance
    scale = data.draw(
        hnp.arrays(
            np.float64,
            expected.shape,
            elements=st.sampled_from([0.0, 1e-9, -1e-7, 1e-3, 1.0, np.nan, np.inf, -np.inf]),
        )
    )
    with np.errstate(all="ignore"):
        actual = expected * (1.0 + scale) + scale
        assert allclose(actual, expected, rtol=rtol, atol=atol) == np.allclose(
            actual, expected, rtol=rtol, atol=atol
        )


def test_values_agree_says_what_compare_says() -> None:
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    for actual in (
        expected.T.copy(),
        expected.ravel(),
        expected[None],
        [[1, 2], [3, 4]],
        Opaque("x"),
        None,
        [1.0],
    ):
        assert (
            values_agree(expected, actual, rtol=1e-6, atol=1e-9)
            == compare(expected, actual, rtol=1e-6, atol=1e-9).values_ok
        )
    assert values_agree(np.zeros((0, 3)), np.zeros((0, 3)), rtol=0.0, atol=0.0)


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=4), elements=finite))
def test_the_largest_difference_is_located_as_numpy_indexes_it(difference: np.ndarray) -> None:
    result = compare(np.zeros(difference.shape), difference, rtol=0.0, atol=0.0)
    worst = np.unravel_index(int(np.abs(difference).argmax()), difference.shape)
    assert result.where == tuple(int(i) for i in worst)
    assert all(type(i) is int for i in result.where)


def test_the_worst_place_of_non_finite_outputs_is_the_first_nan_or_infinity() -> None:
    result = compare(np.zeros(4), np.array([1.0, 5.0, np.nan, np.inf]), rtol=1e-6, atol=1e-9)
    assert not result.values_ok and result.non_finite
    assert result.where == (2,) and result.max_abs_diff == math.inf
    assert result.actual_at is not None and math.isnan(result.actual_at)
    result = compare(np.zeros(4), np.array([1.0, -np.inf, np.nan, 2.0]), rtol=1e-6, atol=1e-9)
    assert result.where == (1,) and result.max_abs_diff == math.inf and result.actual_at == -math.inf


def test_non_numeric_outputs_are_described() -> None:
    assert as_array(Opaque("generator")) is None
    result = compare(np.zeros(2), Opaque("generator"), rtol=1e-6, atol=0)
    assert not result.ok and result.actual_type == "generator"
    assert not compare(np.zeros(2), "0, 0", rtol=1e-6, atol=0).ok


@given(
    hnp.arrays(
        np.float64,
        st.integers(1, 10),
        elements=st.floats(-10, 10).filter(lambda x: x == 0 or abs(x) > 1e-100),
    ),
    st.floats(1.5, 4),
)
def test_relative_error_of_a_scaled_vector(vector: np.ndarray, factor: float) -> None:
    if not np.any(vector):
        assert relative_error(vector, vector) == 0.0
        return
    expected = (factor - 1) / (factor + 1)
    assert abs(relative_error(vector * factor, vector) - expected) < 1e-9


# --- shapes that broadcast alike ----------------------------------------------------------------------------


def test_a_row_of_per_feature_statistics_broadcasts_as_the_flat_vector() -> None:
    X = (9, 3)
    # keepdims=True and reshape(1, -1) give (1, n): against X it combines exactly as (n,) does.
    assert broadcasts_alike((3,), (1, 3), [X])
    assert broadcasts_alike((3,), (1, 1, 3), [(2, 9, 3)])
    # A column (n, 1) lines its values up with X's rows, not its columns.
    assert not broadcasts_alike((3,), (3, 1), [X])
    # One feature: (1, 1) and (1,) do combine alike with an (m, 1) X.
    assert broadcasts_alike((1,), (1, 1), [(9, 1)])


def test_a_row_where_a_flat_vector_combines_with_a_flat_vector_is_not_alike() -> None:
    # A (1, n) gradient for an (n,) theta would turn theta into a row after the update.
    assert not broadcasts_alike((3,), (1, 3), [(9, 3), (9,), (3,)])
    # More axes than every input has: the result gains an axis.
    assert not broadcasts_alike((3,), (1, 1, 3), [(9, 3)])


def test_an_axis_the_layout_has_is_never_dropped_nor_moved() -> None:
    assert not broadcasts_alike((1, 8), (8,), [(3, 8)])
    assert not broadcasts_alike((8, 1), (8,), [(8, 3)])
    assert not broadcasts_alike((4, 1), (1, 4), [(4, 3)])
    assert not broadcasts_alike((3,), (3,), [(9, 3)]), "the same shape needs no leniency"
    assert not broadcasts_alike((3,), (2, 3), [(9, 3)]), "only length-1 axes"


@given(
    st.lists(st.integers(1, 5), min_size=1, max_size=3),
    st.integers(1, 2),
    st.lists(st.lists(st.integers(1, 5), min_size=1, max_size=4), max_size=3),
)
def test_alike_shapes_give_the_same_result_against_every_input(
    expected: list[int], extra: int, inputs: list[list[int]]
) -> None:
    wanted, actual = tuple(expected), (1,) * extra + tuple(expected)
    shapes = [tuple(shape) for shape in inputs]
    if not broadcasts_alike(wanted, actual, shapes):
        return
    for shape in shapes:
        try:
            right = (np.zeros(wanted) + np.zeros(shape)).shape
        except ValueError:
            right = None
        try:
            theirs = (np.zeros(actual) + np.zeros(shape)).shape
        except ValueError:
            theirs = None
        assert theirs == right
