"""torch's elementwise aliases and in-place forms against torch: multiply/subtract/divide/absolute/negative,
greater/greater_equal/less/less_equal/not_equal, logical_xor, true_divide, fix, clip; and eq_/lt_/..., logical_*_,
sin_/cos_/log_/log1p_/rsqrt_/reciprocal_/square_/sign_ (values, dtypes, gradients; in-place dtype rules)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests import opinfo
from tests.parity import check

RNG = np.random.default_rng(0)
X, Y = RNG.uniform(0.5, 2, (2, 3)), RNG.uniform(0.5, 2, (3,))


@pytest.mark.parametrize("fn", [
    lambda m, a, b: m.multiply(a, b), lambda m, a, b: a.multiply(b), lambda m, a, b: m.subtract(a, b, alpha=2),
    lambda m, a, b: m.divide(a, b), lambda m, a, b: m.divide(a, b, rounding_mode="floor"),
    lambda m, a, b: m.true_divide(a, b), lambda m, a, b: m.absolute(a - 1), lambda m, a, b: m.negative(a),
    lambda m, a, b: m.clip(a, 0.7, 1.5), lambda m, a, b: m.fix(a * 3),
])
def test_arithmetic_aliases(fn):
    check(fn, X, Y)


@pytest.mark.parametrize("name", ["greater", "greater_equal", "less", "less_equal", "not_equal"])
def test_comparison_aliases(name):
    a, b = np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 1.0])
    check(lambda m, x, y: (getattr(m, name)(x, y), getattr(x, name)(y), getattr(x, name)(2.0)), a, b, grad=False)
    check(lambda m, x, y: getattr(x * 1, name + "_")(y), a, b)


def test_logical_xor():
    assert opinfo.check_samples("logical_xor", "", minitorch.logical_xor, limit=8, grad=False) > 0
    opinfo.check_dtype_rules("logical_xor", "", minitorch.logical_xor)
    with pytest.raises(RuntimeError, match="must match the size"):
        minitorch.logical_xor(minitorch.ones(2), minitorch.ones(3))


@pytest.mark.parametrize("method", ["eq_", "ne_", "lt_", "le_", "gt_", "ge_", "logical_and_", "logical_or_",
                                    "logical_xor_"])
def test_comparison_inplace(method):
    a, b = np.array([1.0, 2.0, 0.0]), np.array([2.0, 2.0, 0.0])
    check(lambda m, x, y: getattr(x * 1, method)(y), a, b)
    check(lambda m, x, y: getattr(x, method)(y), a.astype(np.int64), b.astype(np.int64), grad=False)


def test_logical_not_and_bitwise_not_inplace():
    check(lambda m, x: (x * 1).logical_not_(), np.array([1.0, 0.0]))
    check(lambda m, x: x.bitwise_not_(), np.array([1, -3]), grad=False)
    check(lambda m, x: x.bitwise_not_(), np.array([True, False]), grad=False)


@pytest.mark.parametrize("method", ["sin_", "cos_", "log_", "log1p_", "rsqrt_", "reciprocal_", "square_", "sign_",
                                    "absolute_", "negative_"])
def test_unary_inplace(method):
    check(lambda m, x: getattr(x * 1, method)(), X)
    a = np.array([1, 4])
    try:
        expected = getattr(torch.tensor(a), method)()
    except RuntimeError as e:
        with pytest.raises(RuntimeError, match=str(e)):
            getattr(minitorch.tensor(a), method)()
        return
    check(lambda m, x: getattr(x, method)(), a, grad=False)
    assert expected.dtype == torch.int64


def test_multiply_subtract_divide_inplace():
    check(lambda m, a, b: ((a * 1).multiply_(b), (a * 1).subtract_(b, alpha=0.5), (a * 1).divide_(b)), X, Y)
    check(lambda m, a, b: (a * 1).divide_(b, rounding_mode="trunc"), X * 5, Y, grad=False)


def test_clamp_bool_tensor_bounds_refused_as_torch():
    for lib in (torch, minitorch):
        b = lib.tensor([True, False])
        with pytest.raises(NotImplementedError, match="\"clamp_cpu\" not implemented for 'Bool'"):
            lib.clamp(b, b, b)
