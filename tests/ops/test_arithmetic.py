"""Arithmetic ops against torch: the binary table (add, sub, mul, div, pow, and maximum/minimum riding along) over
hypothesis-drawn broadcasts, tensor-scalar and reflected forms, numpy operands, pow at special points, integer
and float division by zero."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis import given

import minitorch
from tests._same import same_error, same_value
from tests.parity import check, gradchecks
from tests.strategies import broadcast_shapes, distinct_arrays, float_arrays, shapes


RNG = np.random.default_rng(0)


def rand(*shape, lo=-2.0, hi=2.0):
    return RNG.uniform(lo, hi, shape)


# ------------------------------------------------------------------------------------------------ binary
# name -> (function of (lib, x, y), range of x, range of y, margin of y from 0)
BINARY = {
    "add": (lambda m, x, y: x + y, (-3, 3), (-3, 3), 0),
    "sub": (lambda m, x, y: x - y, (-3, 3), (-3, 3), 0),
    "mul": (lambda m, x, y: x * y, (-3, 3), (-3, 3), 0),
    "div": (lambda m, x, y: x / y, (-3, 3), (-3, 3), 0.3),
    "pow": (lambda m, x, y: x ** y, (0.3, 3), (-2, 2), 0),
    "add_fn": (lambda m, x, y: m.add(x, y, alpha=2), (-3, 3), (-3, 3), 0),
    "sub_fn": (lambda m, x, y: m.sub(x, y, alpha=0.5), (-3, 3), (-3, 3), 0),
    "mul_fn": (lambda m, x, y: m.mul(x, y), (-3, 3), (-3, 3), 0),
    "div_fn": (lambda m, x, y: m.div(x, y), (-3, 3), (-3, 3), 0.3),
    "pow_fn": (lambda m, x, y: m.pow(x, y), (0.3, 3), (-2, 2), 0),
    "maximum": (lambda m, x, y: m.maximum(x, y), None, None, 0),
    "minimum": (lambda m, x, y: m.minimum(x, y), None, None, 0),
}


@pytest.mark.parametrize("name", list(BINARY))
@given(data=st.data())
def test_binary_broadcast_hypothesis(name, data):
    fn, rx, ry, margin = BINARY[name]
    sx, sy = data.draw(broadcast_shapes(2))
    if rx is None:  # max/min: all values distinct, so no ties (ties are checked separately)
        nx, ny = int(np.prod(sx)), int(np.prod(sy))
        flat = data.draw(distinct_arrays((nx + ny,)))
        x, y = flat[:nx].reshape(sx), flat[nx:].reshape(sy)
    else:
        x = data.draw(float_arrays(sx, *rx))
        y = data.draw(float_arrays(sy, *ry, margin))
    check(fn, x, y)


@pytest.mark.parametrize("name", list(BINARY))
def test_binary_gradcheck(name):
    fn, rx, ry, margin = BINARY[name]
    if rx is None:
        x, y = rand(2, 3), rand(3) + 5
        y[1] = -5
    else:
        x = RNG.uniform(*rx, (2, 3))
        y = RNG.uniform(*ry, (3,))
        y = np.where(np.abs(y) < margin, margin + 0.5, y)
    gradchecks(fn, x, y)
    if name not in ("pow", "pow_fn"):  # swapped operands; pow needs a positive base
        gradchecks(fn, y, x)


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "pow"])
@given(data=st.data(), scalar=st.sampled_from([2, -1, 0.5, -1.5, 3.0, 0]))
def test_tensor_scalar_and_reflected(op, data, scalar):
    x = data.draw(float_arrays(shapes(0, 3), 0.3, 3))
    forward = {"add": lambda a, s: a + s, "sub": lambda a, s: a - s, "mul": lambda a, s: a * s,
               "div": lambda a, s: a / s if s else a, "pow": lambda a, s: a ** s}[op]
    reflected = {"add": lambda a, s: s + a, "sub": lambda a, s: s - a, "mul": lambda a, s: s * a,
                 "div": lambda a, s: s / a, "pow": lambda a, s: abs(s) ** a}[op]
    check(lambda m, a: (forward(a, scalar), reflected(a, scalar)), x)


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "pow"])
def test_tensor_scalar_gradcheck(op):
    x = RNG.uniform(0.5, 2, (2, 2))
    f = {"add": lambda m, a: 2.5 + a - 1, "sub": lambda m, a: 1 - a, "mul": lambda m, a: 3 * a * -2,
         "div": lambda m, a: 2 / a / 3, "pow": lambda m, a: 2.0 ** a + a ** 3 + a ** -1.5 + a ** 0}[op]
    gradchecks(f, x)


def test_binary_with_zero_dim_tensor():
    check(lambda m, x, y: x * y + y - x / y, rand(2, 3), np.array(1.7))
    check(lambda m, x, y: x ** y, rand(3, lo=0.5), np.array(2.5))
    gradchecks(lambda m, x, y: x * y / (y + 3), rand(2, 2), np.array(0.7))


def test_numpy_operands():
    a = rand(2, 3)
    x = minitorch.tensor(a, requires_grad=True)
    out = x + np.arange(3.0) - x * np.float64(2)
    np.testing.assert_allclose(out.detach().numpy(), a + np.arange(3.0) - a * 2)
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), -np.ones((2, 3)))
    r = np.arange(3.0) + minitorch.ones(3)
    assert isinstance(r, minitorch.Tensor) and r.tolist() == [1.0, 2.0, 3.0]


def test_pow_special_points():
    check(lambda m, x: x ** 2, np.array([-2.0, 0.0, 1.5]))
    check(lambda m, x: x ** 0, np.array([-2.0, 0.0, 1.5]))
    check(lambda m, x, y: x ** y, np.array([0.0, 0.0, 2.0]), np.array([2.0, 0.0, 0.0]))
    check(lambda m, y: 0.0 ** y, np.array([1.0, 2.0, 0.0]))


def test_binary_shape_mismatch_error():
    a, b = minitorch.zeros(2, 3), minitorch.zeros(4)
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size of tensor b \(4\) at "
                                           r"non-singleton dimension 1.*\[2, 3\] and \[4\]"):
        a + b
    with pytest.raises(RuntimeError, match=r"\[2, 3\] and \[4\] in Mul"):
        a * b


# integer floor division and remainder by zero
@pytest.mark.parametrize("fn", [
    lambda lib: lib.tensor([1, 2]) // 0,
    lambda lib: lib.tensor([1, 2]) % 0,
    lambda lib: lib.tensor([1, 2]) // lib.tensor([0, 1]),
    lambda lib: lib.tensor([1, 2]).remainder(lib.tensor([1, 0])) if hasattr(lib.Tensor, "remainder")
    else lib.tensor([1, 2]) % lib.tensor([1, 0]),
    lambda lib: lib.tensor([1, 2]).div(0, rounding_mode="trunc"),
    lambda lib: lib.tensor([1, 2]).div(0, rounding_mode="floor"),
])
def test_integer_division_by_zero(fn: Callable) -> None:
    same_error(fn)


def test_float_division_by_zero_stays_inf() -> None:
    same_value(lambda lib: lib.tensor([1.5, -1.0]) // 0)
    same_value(lambda lib: lib.tensor([1, 2]) // 0.0)
