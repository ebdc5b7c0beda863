"""Activation ops against torch: relu, sigmoid and tanh at special and extreme values, softmax and log_softmax."""
import numpy as np
import pytest
import torch
from hypothesis import strategies as st
from hypothesis import given

import minitorch
from tests.parity import check, gradchecks
from tests.strategies import float_arrays, shape_and_dim


@pytest.mark.parametrize("size", [7, 5000])  # below and above one SIMD block of numpy's loops
def test_relu_special_values_small_and_large(size):
    x = np.random.default_rng(1).standard_normal(size)
    x[:5] = [np.nan, -np.inf, np.inf, -0.0, 0.0]
    check(lambda m, a: m.relu(a), x.astype(np.float32))
    check(lambda m, a: m.relu(a), x)
    ours, theirs = minitorch.relu(minitorch.tensor(x)).numpy(), torch.relu(torch.tensor(x)).numpy()
    np.testing.assert_array_equal(np.signbit(ours), np.signbit(theirs))  # relu(-0.0) keeps the sign, as torch


def test_sigmoid_and_exp_extremes():
    x = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    check(lambda m, a: m.sigmoid(a), x)
    check(lambda m, a: m.tanh(a), x)


RNG = np.random.default_rng(0)


# ------------------------------------------------------------------------------------------------ softmax
@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@given(data=st.data())
def test_softmax_hypothesis(fn, data):
    shape, dim = data.draw(shape_and_dim(1, 4))
    x = data.draw(float_arrays(shape, -5, 5))
    check(lambda m, a: (getattr(a, fn)(dim), getattr(m, fn)(a, dim), getattr(m.nn.functional, fn)(a, dim=dim)), x)


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
def test_softmax_gradchecks_and_stability(fn):
    x = RNG.standard_normal((2, 3))
    gradchecks(lambda m, a: getattr(a, fn)(1), x)
    gradchecks(lambda m, a: getattr(a, fn)(0), x)
    check(lambda m, a: getattr(a, fn)(-1), np.array([[1000.0, 0.0, -1000.0], [1e4, 1e4, 1e4]]))
    check(lambda m, a: getattr(a, fn)(0), np.array(1.5))
    check(lambda m, a: getattr(a, fn)(0, dtype=m.float64), np.array([1, 2, 3], np.float32))
    for lib in (minitorch, torch):
        with pytest.raises(NotImplementedError, match="not implemented for 'Long'"):
            getattr(lib.tensor([1, 2, 3]), fn)(0)
