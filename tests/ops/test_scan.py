"""Scans against torch: op_db's reference inputs (values, dtypes, gradients), cumprod's gradient through zeros
(first and second order), cummax/cummin's indices for ties and NaNs, logcumsumexp with infinities, gradcheck,
errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests._same import same_error
from tests.ops.test_sorting import run_error_inputs, run_opinfo
from tests.parity import check, gradchecks

NAMES = ["cumprod", "cummax", "cummin", "logcumsumexp"]


@pytest.mark.parametrize("name", NAMES)
def test_opinfo_reference_inputs(name):
    run_opinfo(name)


@pytest.mark.parametrize("name", NAMES)
def test_opinfo_method_variant(name):
    run_opinfo(name, dtypes=(torch.float64,), cap=6, method=True)


def test_opinfo_error_inputs():
    run_error_inputs("logcumsumexp")


def _with_zeros():
    x = np.random.default_rng(0).standard_normal((3, 6))
    x[0, 2] = 0.0                       # one zero
    x[1, 1] = x[1, 4] = 0.0             # two zeros
    x[2, 0] = 0.0                       # a zero first
    return x


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cumprod_gradient_through_zeros(dim):
    check(lambda lib, a: lib.cumprod(a, dim), _with_zeros())


def test_cumprod_second_order_through_zeros():
    """The create_graph gradient is smooth in every x (torch's O(n^2) path), so its gradient matches torch's."""
    x = _with_zeros()
    u = np.random.default_rng(1).standard_normal(x.shape)
    out = {}
    for lib in (minitorch, torch):
        a = lib.tensor(x.copy(), requires_grad=True)
        (g,) = lib.autograd.grad(a.cumprod(1), a, lib.tensor(u), create_graph=True)
        (gg,) = lib.autograd.grad((g * g).sum(), a)
        out[lib.__name__] = (g.detach().numpy(), gg.detach().numpy())
    np.testing.assert_allclose(out["minitorch"][0], out["torch"][0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(out["minitorch"][1], out["torch"][1], rtol=1e-10, atol=1e-12)


def test_gradchecks():
    x = np.random.default_rng(2).standard_normal((3, 5))
    gradchecks(lambda lib, a: a.cumprod(1), x)
    gradchecks(lambda lib, a: lib.cumprod(a, 0), _with_zeros())
    gradchecks(lambda lib, a: a.logcumsumexp(1), x)
    gradchecks(lambda lib, a: a.cummax(1).values, np.random.default_rng(3).permutation(15).reshape(3, 5) / 4.0)
    gradchecks(lambda lib, a: lib.cummin(a, 0)[0], np.random.default_rng(4).permutation(15).reshape(3, 5) / 4.0)


@pytest.mark.parametrize("nan", [False, True])
@pytest.mark.parametrize("name", ["cummax", "cummin"])
def test_cummax_cummin_ties_and_nans(name, nan):
    rng = np.random.default_rng(5)
    x = rng.integers(0, 3, size=(4, 9)).astype(np.float64)
    if nan:
        x[rng.random(x.shape) < 0.2] = np.nan
    for dim in (0, 1):
        check(lambda lib, a: getattr(a, name)(dim), x)


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool"])
def test_integer_and_bool_inputs(dtype):
    x = np.random.default_rng(6).integers(0, 3, size=(3, 5)).astype(dtype)
    check(lambda lib, a: (a.cummax(1), lib.cummin(a, 0)), x, grad=False)
    if dtype != "bool":
        check(lambda lib, a: (a.cumprod(1), lib.cumprod(a, 0, dtype=lib.float64)), x, grad=False)
        check(lambda lib, a: a.logcumsumexp(1), x.astype(np.float32))


def test_logcumsumexp_infinities_and_large_values():
    x = np.array([[-np.inf, -np.inf, 0.0, np.inf, 1.0], [1000.0, -1000.0, 999.0, 0.5, -np.inf]])
    check(lambda lib, a: a.logcumsumexp(1), x, grad=False)
    check(lambda lib, a: a.logcumsumexp(1), np.array([[1000.0, -1000.0, 999.0, 0.5]]))


def test_zero_dim_and_empty():
    check(lambda lib, a: (a.cumprod(0), a.cummax(0), a.cummin(-1), a.logcumsumexp(0)), np.array(2.5))
    check(lambda lib, a: (a.cumprod(0), a.cummax(1), a.logcumsumexp(0)), np.zeros((0, 3)), grad=False)


@pytest.mark.parametrize("name", ["cumprod_", "cumsum_"])
def test_cumulative_inplace(name):
    for lib in (minitorch, torch):
        a = lib.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
        b = a * 1
        getattr(b, name)(1)
        (b * lib.tensor([1.0, -2.0, 0.5])).sum().backward()
        if lib is minitorch:
            got = (b.detach().numpy(), a.grad.numpy())
        else:
            np.testing.assert_allclose(got[0], b.detach().numpy())
            np.testing.assert_allclose(got[1], a.grad.numpy())


@pytest.mark.parametrize("fn", [
    lambda lib: lib.tensor([1.0, 2.0]).cumprod(1),
    lambda lib: lib.tensor([1.0, 2.0]).cummax(2),
    lambda lib: lib.tensor([[1.0]]).logcumsumexp(-3),
])
def test_dim_errors(fn):
    same_error(fn)
