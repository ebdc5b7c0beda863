"""Fixes in the reduction and arithmetic families, each against torch on the same data: std/var's three
overloads (a positional bool is ``unbiased``), ``div(rounding_mode=...)``'s output requiring grad with zero
gradients (DivBackward2) and exact integer truncation, and ``cumsum`` on 0-dim tensors and with ``dtype=``."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests._same import same_error
from tests.parity import check, gradchecks

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4, 5))


@pytest.mark.parametrize("name", ["std", "var"])
@pytest.mark.parametrize("call", [
    lambda f, x: f(x, False), lambda f, x: f(x, True), lambda f, x: f(x, 1, False, True),
    lambda f, x: f(x, (0, 2), True), lambda f, x: f(x, 0, correction=0), lambda f, x: f(x, dim=1, correction=2.5),
    lambda f, x: f(x, unbiased=False), lambda f, x: f(x, -1, keepdim=True), lambda f, x: f(x, None, False),
    lambda f, x: f(x, 0, correction=True),
], ids=["unbiased-False", "unbiased-True", "dim-unbiased-keepdim", "dims-unbiased", "correction-0",
        "correction-2.5", "unbiased-kw", "keepdim-kw", "dim-None-unbiased", "correction-bool"])
def test_std_var_overloads(name: str, call) -> None:
    check(lambda lib, x: call(getattr(lib.Tensor, name), x), X)
    check(lambda lib, x: call(getattr(lib, name), x), X.astype(np.float32), atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("name", ["std", "var"])
def test_std_var_gradcheck(name: str) -> None:
    gradchecks(lambda lib, x: getattr(x, name)(False), X[:2, :2])
    gradchecks(lambda lib, x: getattr(x, name)(1, False, True), X[:2, :3, :2])


@pytest.mark.parametrize("name", ["std", "var"])
@pytest.mark.parametrize("call", [
    lambda f, x: f(x, True, True), lambda f, x: f(x, 0, True, correction=1),
    lambda f, x: f(x, 0, unbiased=True, correction=1), lambda f, x: f(x, 0, keepdim=1),
    lambda f, x: f(x, 0, unbiased=1),
], ids=["bool-bool", "unbiased-and-correction", "unbiased-kw-and-correction", "keepdim-int", "unbiased-int"])
def test_std_var_bad_overloads(name: str, call) -> None:
    same_error(lambda lib: call(getattr(lib.Tensor, name), lib.tensor(X)), same_text=False)
    with pytest.raises(TypeError, match=rf"{name}\(\) received an invalid combination of arguments"):
        call(getattr(minitorch.Tensor, name), minitorch.tensor(X))


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_div_rounding_requires_grad_with_zero_gradient(mode: str) -> None:
    y = RNG.standard_normal(5) + 0.1
    out_m, out_t = check(lambda lib, a, b: lib.div(a, b, rounding_mode=mode), X * 5, y)
    assert out_m.requires_grad and out_t.requires_grad
    assert out_m.grad_fn.name() == out_t.grad_fn.name() == "DivBackward2"
    check(lambda lib, a: a.div(2.5, rounding_mode=mode), X * 5)
    check(lambda lib, a: lib.div(a, a.detach() * 0.3 + 1, rounding_mode=mode), X)


@pytest.mark.parametrize("mode", ["trunc", "floor"])
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int8, np.uint8])
def test_div_rounding_integers(mode: str, dtype) -> None:
    info = np.iinfo(dtype)
    if info.min:
        a = np.array([-7, 7, -7, 7, 0, info.min + 1, info.max, 1], dtype)
        b = np.array([2, -2, -2, 2, 3, 3, 7, 1], dtype)
    else:
        a = np.array([7, 8, 9, 0, 250, info.max, 1], dtype)
        b = np.array([2, 3, 2, 3, 3, 7, 1], dtype)
    check(lambda lib, p, q: lib.div(p, q, rounding_mode=mode), a, b)
    check(lambda lib, p: lib.div(p, 3, rounding_mode=mode), a)
    check(lambda lib, p: lib.div(p, 2.5, rounding_mode=mode), a)
    same_error(lambda lib: lib.div(lib.tensor(a), lib.tensor(np.zeros_like(b)), rounding_mode=mode))


def test_div_trunc_int64_exact() -> None:
    """Large int64 values: truncation must not go through float64 (which rounds above 2**53)."""
    a = np.array([2 ** 62 + 1, -(2 ** 62) - 3, 2 ** 53 + 1], np.int64)
    check(lambda lib, p: lib.div(p, 3, rounding_mode="trunc"), a)


@pytest.mark.parametrize("dim", [0, -1])
def test_cumsum_zero_dim(dim: int) -> None:
    out_m, _ = check(lambda lib, x: lib.cumsum(x, dim), np.array(1.5))
    assert out_m.grad_fn.name() == "CumsumBackward0"
    check(lambda lib, x: x.cumsum(dim), np.array(3, np.int32))
    same_error(lambda lib: lib.tensor(1.5).cumsum(1))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int16"])
@pytest.mark.parametrize("src", [np.float64, np.int32, np.bool_])
def test_cumsum_dtype(dtype: str, src) -> None:
    x = (X[0] * 3).astype(src)
    grad = dtype.startswith("float")  # torch refuses to differentiate through a cast to an integer dtype
    check(lambda lib, t: t.cumsum(1, dtype=getattr(lib, dtype)), x, atol=1e-5, rtol=1e-5, grad=grad)
    check(lambda lib, t: lib.cumsum(t, dim=0, dtype=getattr(lib, dtype)), x, atol=1e-5, rtol=1e-5, grad=grad)


def test_cumsum_gradcheck() -> None:
    gradchecks(lambda lib, x: x.cumsum(0), np.array(0.7))
    gradchecks(lambda lib, x: x.cumsum(1, dtype=lib.float64), X[:2, :3, 0])


def test_square_of_bool_is_int64() -> None:
    check(lambda lib, x: x.square(), np.array([True, False, True]))
    check(lambda lib, x: lib.square(x), np.array(True))


@pytest.mark.parametrize("base", [2, -1, 1, 0, 3])
def test_integer_rpow_zero_dim_negative_exponent(base: int) -> None:
    """``base ** x`` with a 0-dim integer x < 0 (numpy returns a scalar there, which broke the integer rule)."""
    for e in (-3, -2, 0, 2):
        check(lambda lib, x: base ** x, np.array(e, np.int64))
        check(lambda lib, x: x.__rpow__(base), np.array(e, np.int64))
