"""Comparison ops against torch: ==, <, ... return bool and no grad, equal/allclose/isclose, maximum and minimum at ties,
broadcast_tensors."""
from __future__ import annotations

import operator

import numpy as np
import pytest

import minitorch
from tests._same import both, same_value
from tests.parity import check, assert_close


def test_maximum_minimum_ties_share_the_gradient():
    x, y = np.array([1.0, 2.0, 3.0]), np.array([1.0, 5.0, 3.0])
    check(lambda m, a, b: m.maximum(a, b), x, y)
    check(lambda m, a, b: m.minimum(a, b), x, y)
    check(lambda m, a, b: a.max(b), x, y)


def test_broadcast_tensors_and_isclose_values() -> None:
    check(lambda m, x, y: m.broadcast_tensors(x, y), np.ones((2, 1)), np.arange(3.0))
    same_value(lambda lib: lib.tensor([[1.0], [2.0]]).isclose(lib.tensor([1.0, 2.0, 1.0 + 1e-9])))


# ---------------------------------------------------------------------------------------------- comparisons
COMPARE = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le, "gt": operator.gt,
           "ge": operator.ge}


@pytest.mark.parametrize("op", list(COMPARE))
def test_comparisons_return_bool(op):
    fn = COMPARE[op]
    rng = np.random.default_rng(0)
    a = rng.integers(0, 3, (3, 4)).astype(np.float32)
    b = rng.integers(0, 3, (4,)).astype(np.float64)
    c = rng.integers(0, 3, (3, 1))
    am, at = both(a)
    bm, bt = both(b)
    cm, ct = both(c)
    for x, y in (((am, at), (bm, bt)), ((am, at), (cm, ct)), ((cm, ct), (bm, bt))):
        assert_close(fn(x[0], y[0]), fn(x[1], y[1]))
    for s in (1, 1.5, True):
        assert_close(fn(am, s), fn(at, s))
        assert_close(fn(s, am), fn(s, at))
    assert_close(getattr(am, op)(bm), getattr(at, op)(bt))


def test_comparison_does_not_require_grad():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    out = x > 1
    assert out.dtype is minitorch.bool and not out.requires_grad and out.grad_fn is None


def test_comparison_shape_mismatch():
    with pytest.raises(RuntimeError, match="must match the size"):
        minitorch.zeros(3) == minitorch.zeros(4)


def test_equal_allclose():
    m = minitorch.tensor([1.0, 2.0])
    assert m.equal(minitorch.tensor([1.0, 2.0])) and not m.equal(minitorch.tensor([1.0, 2.0, 3.0]))
    assert m.allclose(minitorch.tensor([1.0, 2.0 + 1e-9]))
