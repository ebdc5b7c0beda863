"""fmax/fmin (values and gradients through NaNs and ties), gcd/lcm, angle, and the complex-number functions
on real tensors, against torch."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests._same import same_error
from tests.ops._opdb_errors import run_error_inputs
from tests.parity import check

NAN = float("nan")
A = np.array([[1.0, NAN, 2.0, NAN, -3.0], [0.5, 4.0, 2.0, 1.0, -1.0]])
B = np.array([[NAN, 1.0, 2.0, NAN, 3.0], [0.5, -4.0, 7.0, 1.0, -2.0]])


@pytest.mark.parametrize("eid", ["fmax", "fmin", "gcd", "lcm"])
def test_error_inputs(eid):
    assert run_error_inputs(eid) > 0


@pytest.mark.parametrize("name", ["fmax", "fmin"])
def test_fmax_fmin_nan_and_ties(name):
    check(lambda L, a, b: getattr(L, name)(a, b), A, B)
    check(lambda L, a, b: getattr(a, name)(b), A, B[1])  # broadcast: the gradient of b summed back
    check(lambda L, a: getattr(L, name)(a, L.tensor([2, 0, 5])), np.array([[1.5, NAN, 7.0]]))  # an int other


def test_gcd_lcm():
    a = np.array([0, 4, -6, 9, 12, -5])
    b = np.array([0, 6, 4, -3, 0, 10])
    for name in ("gcd", "lcm"):
        check(lambda L, x, y: getattr(L, name)(x, y), a, b, grad=False)
        x_m, x_t = minitorch.tensor(a), torch.tensor(a)
        getattr(x_m, name + "_")(minitorch.tensor(b))
        getattr(x_t, name + "_")(torch.tensor(b))
        np.testing.assert_array_equal(x_m.numpy(), x_t.numpy())
    same_error(lambda L: L.gcd(L.tensor([1.0]), L.tensor([2.0])))
    same_error(lambda L: L.lcm(L.tensor([True]), L.tensor([False])))


def test_angle():
    x = np.array([-2.0, -0.0, 0.0, 3.0, NAN, -np.inf])
    check(lambda L, t: L.angle(t), x)
    check(lambda L, t: t.angle(), np.array([-2, 0, 5]), grad=False)


def test_conj_family_is_the_tensor():
    x = minitorch.tensor(A)
    for f in (minitorch.conj, minitorch.conj_physical, minitorch.resolve_conj, minitorch.resolve_neg, minitorch.real):
        assert f(x) is x
    assert x.real is x and not x.is_conj() and not x.is_neg() and not minitorch.is_conj(x)
    same_error(lambda L: L.tensor([1.0]).imag)
