"""Pointwise ops against torch: the unary table (exp, log, sqrt, abs, sign, sin, cos; neg, tanh, sigmoid and relu
ride along in it), clamp; values, dtypes and gradients (float64), hypothesis-drawn shapes, gradcheck +
gradgradcheck. Inputs stay off kinks (abs, relu at 0) and domain edges (log at 0)."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import strategies as st
from hypothesis import given

import minitorch
from tests.parity import check, gradchecks
from tests.strategies import float_arrays, shapes


RNG = np.random.default_rng(0)


# ------------------------------------------------------------------------------------------------ unary
# name -> (function of (lib, x) giving the function and the method form, value range (lo, hi), margin from 0)
UNARY = {
    "neg": (lambda m, x: (-x, x.neg(), m.neg(x)), (-3, 3), 0),
    "exp": (lambda m, x: (m.exp(x), x.exp()), (-3, 3), 0),
    "log": (lambda m, x: (m.log(x), x.log()), (0.2, 5), 0),
    "log1p": (lambda m, x: (m.log1p(x), x.log1p()), (-0.7, 5), 0),
    "sqrt": (lambda m, x: (m.sqrt(x), x.sqrt()), (0.2, 5), 0),
    "rsqrt": (lambda m, x: (m.rsqrt(x), x.rsqrt()), (0.2, 5), 0),
    "abs": (lambda m, x: (m.abs(x), x.abs(), abs(x)), (-3, 3), 0.1),
    "sign": (lambda m, x: (m.sign(x), x.sign()), (-3, 3), 0.1),
    "sin": (lambda m, x: (m.sin(x), x.sin()), (-4, 4), 0),
    "cos": (lambda m, x: (m.cos(x), x.cos()), (-4, 4), 0),
    "tanh": (lambda m, x: (m.tanh(x), x.tanh()), (-3, 3), 0),
    "sigmoid": (lambda m, x: (m.sigmoid(x), x.sigmoid()), (-6, 6), 0),
    "relu": (lambda m, x: (m.relu(x), x.relu()), (-3, 3), 0.1),
}


@pytest.mark.parametrize("name", list(UNARY))
@given(data=st.data())
def test_unary_hypothesis(name, data):
    fn, (lo, hi), margin = UNARY[name]
    x = data.draw(float_arrays(shapes(0, 3), lo, hi, margin))
    check(fn, x)


@pytest.mark.parametrize("name", list(UNARY))
def test_unary_gradcheck(name):
    fn, (lo, hi), margin = UNARY[name]
    x = RNG.uniform(lo, hi, (2, 3))
    if margin:
        x = np.where(np.abs(x) < margin, margin + 0.5, x)
    gradchecks(fn, x)


@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "sin", "tanh", "sigmoid", "abs", "neg", "relu"])
@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.bool_])
def test_unary_dtypes(name, dtype):
    fn = UNARY[name][0]
    x = np.array([[1, 2], [3, 1]]).astype(dtype)
    try:
        fn(torch, torch.tensor(x))
    except RuntimeError as e:  # torch has no kernel for this dtype: minitorch must refuse as well
        with pytest.raises(type(e)):
            fn(minitorch, minitorch.tensor(x))
        return
    check(fn, x, atol=1e-6, rtol=1e-5)


def test_sign_at_zero_and_abs_grad_at_zero():
    check(lambda m, a: m.sign(a), np.array([-2.0, 0.0, 3.0]))
    check(lambda m, a: m.abs(a), np.array([-2.0, 0.0, 3.0]))
    check(lambda m, a: m.relu(a), np.array([-2.0, 0.0, 3.0]))


# ------------------------------------------------------------------------------------------------ clamp
@given(data=st.data())
def test_clamp_hypothesis(data):
    x = data.draw(float_arrays(shapes(0, 3), -3, 3).filter(lambda a: np.all(np.abs(np.abs(a) - 0.5) > 0.05)))
    check(lambda m, a: m.clamp(a, -0.5, 0.5), x)
    check(lambda m, a: a.clamp(min=-0.5), x)
    check(lambda m, a: a.clamp(max=0.5), x)
    check(lambda m, a: a.clip(-0.5, 0.5), x)


def test_clamp_gradcheck_and_tensor_bounds():
    x = np.array([[-2.0, -0.3, 0.2], [0.9, 1.7, -1.1]])
    gradchecks(lambda m, a: a.clamp(-0.5, 1.0), x)
    gradchecks(lambda m, a: a.clamp(min=0.1), x)
    lo, hi = np.array([-1.0, 0.0, 0.5]), np.array([1.5, 1.0, 0.8])
    check(lambda m, a, b, c: a.clamp(min=b, max=c), x, lo, hi)
    check(lambda m, a, b: a.clamp(max=b), x, hi)


def test_clamp_int_and_errors():
    check(lambda m, a: a.clamp(1, 2), np.array([0, 1, 5]), grad=False)
    check(lambda m, a: a.clamp(0.5, 2), np.array([0, 1, 5]), grad=False)
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError, match="At least one of 'min' or 'max' must not be None"):
            lib.zeros(2).clamp()


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "exp"])
def test_nan_input_gradient_matches_torch(name):
    """A NaN input: torch's relu passes the gradient through (its mask is result <= 0), and so must ours."""
    check(lambda m, a: getattr(a, name)(), np.array([np.nan, 1.5, -0.5, 0.0]))


# clamp's gradient is 0 on the bounds (as torch 2.14 gives)
@pytest.mark.parametrize("kw", [dict(min=0.0, max=1.0), dict(min=0.0), dict(max=1.0), dict(min=0.5, max=0.5)])
def test_clamp_gradient_on_the_bounds(kw: dict) -> None:
    check(lambda m, x: x.clamp(**kw), np.array([0.0, 0.5, 1.0, 2.0, -1.0]))
