"""Tests for the reference XOR network: shapes, cost, gradients against finite differences, training."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reference.xor import (
    backProp,
    cost_of_params,
    costoGlobal,
    entrenarRed,
    feedForward,
    numerical_gradients,
    sigmoid,
)

XOR_X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
XOR_Y = np.array([[0.0, 1.0, 1.0, 0.0]])


class Network(NamedTuple):
    X: np.ndarray
    y: np.ndarray
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray


def _matrix(shape: tuple[int, int], bound: float) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, shape, elements=st.floats(-bound, bound, allow_subnormal=False))


@st.composite
def networks(draw: st.DrawFn, *, bound: float = 2.0) -> Network:
    """A random problem in the columns convention: n_inputs 1–5, n_hidden 1–6, m 1–8."""
    n_in = draw(st.integers(1, 5))
    n_hidden = draw(st.integers(1, 6))
    m = draw(st.integers(1, 8))
    return Network(
        X=draw(_matrix((n_in, m), bound)),
        y=draw(hnp.arrays(np.float64, (1, m), elements=st.sampled_from([0.0, 1.0]))),
        w1=draw(_matrix((n_hidden, n_in), bound)),
        b1=draw(_matrix((n_hidden, 1), bound)),
        w2=draw(_matrix((1, n_hidden), bound)),
        b2=draw(_matrix((1, 1), bound)),
    )


def _flat(arrays: tuple[np.ndarray, ...]) -> np.ndarray:
    return np.concatenate([a.ravel() for a in arrays])


def _read_only(*arrays: np.ndarray) -> None:
    for a in arrays:
        a.setflags(write=False)


def test_sigmoid_values_and_no_overflow() -> None:
    z = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    expected = np.array([0.0, 1 / (1 + math.e), 0.5, 1 / (1 + math.exp(-1)), 1.0])
    np.testing.assert_allclose(sigmoid(z), expected, rtol=1e-15, atol=0)


@given(networks())
def test_feed_forward_shapes_and_values(net: Network) -> None:
    a1, a2 = feedForward(net.X, net.w1, net.w2, net.b1, net.b2)
    m = net.X.shape[1]
    assert a1.shape == (net.w1.shape[0], m)
    assert a2.shape == (1, m)
    assert a1.dtype == a2.dtype == np.float64
    np.testing.assert_allclose(a1, 1 / (1 + np.exp(-(net.w1 @ net.X + net.b1))), rtol=1e-12)
    np.testing.assert_allclose(a2, 1 / (1 + np.exp(-(net.w2 @ a1 + net.b2))), rtol=1e-12)


def test_costo_global_matches_hand_computation() -> None:
    expected = -(math.log(0.9) + math.log(1 - 0.2) + math.log(0.6)) / 3
    assert costoGlobal(np.array([[0.9, 0.2, 0.6]]), np.array([[1.0, 0.0, 1.0]])) == pytest.approx(
        expected, rel=1e-14
    )


def test_costo_global_accepts_any_shapes_with_the_same_size() -> None:
    y_est = np.array([[0.9, 0.2, 0.6]])
    y = np.array([[1.0, 0.0, 1.0]])
    reference = costoGlobal(y_est, y)
    assert costoGlobal(y_est.T, y) == reference
    assert costoGlobal(y_est.ravel(), y.T) == reference
    with pytest.raises(ValueError, match="elements"):
        costoGlobal(y_est, np.array([[1.0, 0.0]]))


def test_costo_global_is_finite_for_saturated_predictions() -> None:
    wrong = costoGlobal(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]]))
    right = costoGlobal(np.array([[0.0, 1.0]]), np.array([[0.0, 1.0]]))
    assert math.isfinite(wrong)
    assert wrong == pytest.approx(-math.log(1e-12), rel=1e-6)
    assert 0.0 <= right < 1e-11


@given(networks())
def test_back_prop_shapes_match_the_parameters(net: Network) -> None:
    a1, a2 = feedForward(net.X, net.w1, net.w2, net.b1, net.b2)
    grads = backProp(net.X, net.y, net.w1, net.w2, net.b1, net.b2, a2, a1)
    assert [g.shape for g in grads] == [net.w1.shape, net.b1.shape, net.w2.shape, net.b2.shape]


@settings(max_examples=200, deadline=None)
@given(networks())
def test_back_prop_agrees_with_finite_differences(net: Network) -> None:
    a1, a2 = feedForward(net.X, net.w1, net.w2, net.b1, net.b2)
    analytic = _flat(backProp(net.X, net.y, net.w1, net.w2, net.b1, net.b2, a2, a1))
    # eps = 1e-5 balances the O(eps²) truncation of central differences against the O(1e-16 / eps)
    # rounding of the cost; the absolute floor only matters when the gradient itself is zero (for
    # instance X = 0, w2 = 0 and balanced labels), where a relative error means nothing.
    numeric = _flat(numerical_gradients(net.X, net.y, net.w1, net.b1, net.w2, net.b2, eps=1e-5))
    error = np.linalg.norm(analytic - numeric)
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    assert error <= 1e-7 * scale + 1e-10


def test_back_prop_accepts_a_target_of_rows_shape_without_broadcasting() -> None:
    rng = np.random.default_rng(3)
    w1, b1, w2, b2 = (
        rng.normal(size=(3, 2)),
        rng.normal(size=(3, 1)),
        rng.normal(size=(1, 3)),
        rng.normal(size=(1, 1)),
    )
    a1, a2 = feedForward(XOR_X, w1, w2, b1, b2)
    columns = backProp(XOR_X, XOR_Y, w1, w2, b1, b2, a2, a1)
    rows = backProp(XOR_X, XOR_Y.T, w1, w2, b1, b2, a2, a1)
    for c, r in zip(columns, rows, strict=True):
        np.testing.assert_array_equal(c, r)


def test_cost_of_params_is_feed_forward_then_cost() -> None:
    rng = np.random.default_rng(5)
    w1, b1, w2, b2 = (
        rng.normal(size=(4, 2)),
        rng.normal(size=(4, 1)),
        rng.normal(size=(1, 4)),
        rng.normal(size=(1, 1)),
    )
    _, a2 = feedForward(XOR_X, w1, w2, b1, b2)
    assert cost_of_params(XOR_X, XOR_Y, w1, b1, w2, b2) == costoGlobal(a2, XOR_Y)


@settings(max_examples=50, deadline=None)
@given(networks(bound=1.0))
def test_entrenar_red_costs_never_increase_with_a_small_rate(net: Network) -> None:
    a1, a2 = feedForward(net.X, net.w1, net.w2, net.b1, net.b2)
    *_, costs = entrenarRed(200, 0.05, net.X, net.y, net.w1, net.b1, net.w2, net.b2, a1, a2)
    assert costs.shape == (200,)
    assert costs[0] == pytest.approx(cost_of_params(net.X, net.y, net.w1, net.b1, net.w2, net.b2))
    # Once converged, successive costs agree to the last bits; rounding may then tick up by an ulp.
    assert np.all(np.diff(costs) <= 1e-12)


def test_entrenar_red_records_the_cost_before_each_update() -> None:
    rng = np.random.default_rng(11)
    params = (
        rng.normal(size=(4, 2)),
        rng.normal(size=(4, 1)),
        rng.normal(size=(1, 4)),
        rng.normal(size=(1, 1)),
    )
    *after_two, costs = entrenarRed(2, 0.5, XOR_X, XOR_Y, *params, None, None)
    after_one = entrenarRed(1, 0.5, XOR_X, XOR_Y, *params, None, None)[:4]
    assert costs[0] == cost_of_params(XOR_X, XOR_Y, *params)
    assert costs[1] == cost_of_params(XOR_X, XOR_Y, *after_one)
    assert cost_of_params(XOR_X, XOR_Y, *after_two) < costs[1]


def test_entrenar_red_one_epoch_is_one_simultaneous_gradient_step() -> None:
    rng = np.random.default_rng(13)
    w1, b1, w2, b2 = (
        rng.normal(size=(4, 2)),
        rng.normal(size=(4, 1)),
        rng.normal(size=(1, 4)),
        rng.normal(size=(1, 1)),
    )
    a1, a2 = feedForward(XOR_X, w1, w2, b1, b2)
    grads = backProp(XOR_X, XOR_Y, w1, w2, b1, b2, a2, a1)
    trained = entrenarRed(1, 0.3, XOR_X, XOR_Y, w1, b1, w2, b2, a1, a2)[:4]
    for new, old, grad in zip(trained, (w1, b1, w2, b2), grads, strict=True):
        np.testing.assert_allclose(new, old - 0.3 * grad, rtol=1e-15)


def test_entrenar_red_with_zero_epochs_returns_the_parameters() -> None:
    params = np.ones((2, 2)), np.zeros((2, 1)), np.ones((1, 2)), np.zeros((1, 1))
    *trained, costs = entrenarRed(0, 1.0, XOR_X, XOR_Y, *params, None, None)
    assert costs.shape == (0,)
    for new, old in zip(trained, params, strict=True):
        np.testing.assert_array_equal(new, old)
    with pytest.raises(ValueError, match="non-negative"):
        entrenarRed(-1, 1.0, XOR_X, XOR_Y, *params, None, None)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_entrenar_red_learns_xor(seed: int) -> None:
    rng = np.random.default_rng(seed)
    w1, w2 = rng.uniform(-1, 1, size=(4, 2)), rng.uniform(-1, 1, size=(1, 4))
    b1, b2 = np.zeros((4, 1)), np.zeros((1, 1))
    w1, b1, w2, b2, costs = entrenarRed(2000, 1.0, XOR_X, XOR_Y, w1, b1, w2, b2, None, None)
    _, a2 = feedForward(XOR_X, w1, w2, b1, b2)
    np.testing.assert_array_equal(a2 > 0.5, XOR_Y == 1.0)
    assert costs[-1] < 0.05 < costs[0]


def test_no_input_is_mutated() -> None:
    rng = np.random.default_rng(17)
    X, y = XOR_X.copy(), XOR_Y.copy()
    w1, b1, w2, b2 = (
        rng.normal(size=(3, 2)),
        rng.normal(size=(3, 1)),
        rng.normal(size=(1, 3)),
        rng.normal(size=(1, 1)),
    )
    a1, a2 = feedForward(X, w1, w2, b1, b2)
    originals = [a.copy() for a in (X, y, w1, b1, w2, b2, a1, a2)]
    # Read-only arrays make any in-place write raise instead of passing unnoticed.
    _read_only(X, y, w1, b1, w2, b2, a1, a2)
    feedForward(X, w1, w2, b1, b2)
    costoGlobal(a2, y)
    backProp(X, y, w1, w2, b1, b2, a2, a1)
    entrenarRed(3, 0.5, X, y, w1, b1, w2, b2, a1, a2)
    cost_of_params(X, y, w1, b1, w2, b2)
    numerical_gradients(X, y, w1, b1, w2, b2)
    for now, before in zip((X, y, w1, b1, w2, b2, a1, a2), originals, strict=True):
        np.testing.assert_array_equal(now, before)
