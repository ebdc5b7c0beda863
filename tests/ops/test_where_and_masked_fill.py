"""where and masked_fill (ops/indexing.py) against torch: hypothesis-drawn broadcasts, gradients, dtypes and errors."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis import given

import minitorch
from tests.parity import check, gradchecks
from tests.strategies import broadcast_shapes, float_arrays


RNG = np.random.default_rng(0)


def rand(*shape, lo=-2.0, hi=2.0):
    return RNG.uniform(lo, hi, shape)


# ------------------------------------------------------------------------------------------------ where / masked_fill
@given(data=st.data())
def test_where_hypothesis(data):
    sc, sx, sy = data.draw(broadcast_shapes(3))
    cond = np.asarray(data.draw(float_arrays(sc)) > 0)
    x, y = data.draw(float_arrays(sx)), data.draw(float_arrays(sy))
    check(lambda m, c, a, b: m.where(c, a, b), cond, x, y)
    check(lambda m, c, a: a.where(c, 2.5), cond, x)
    check(lambda m, c, b: m.where(c, -1.0, b), cond, y)


def test_where_gradcheck_and_dtypes():
    cond = np.array([[True, False, True], [False, False, True]])
    gradchecks(lambda m, a, b: m.where(m.tensor(cond), a, b), rand(2, 3), rand(3))
    check(lambda m, c, a, b: m.where(c, a, b), cond, np.arange(3), np.arange(6.0).reshape(2, 3).astype(np.float32))
    check(lambda m, c: m.where(c, 1, 0), cond, grad=False)
    check(lambda m, c: m.where(c), cond, grad=False)


def test_where_errors():
    with pytest.raises(RuntimeError, match="where expected condition to be a boolean tensor"):
        minitorch.where(minitorch.ones(2), minitorch.ones(2), minitorch.zeros(2))
    with pytest.raises(RuntimeError, match=r"where: shapes of condition \[3\], input \[2\] and other \[2\]"):
        minitorch.where(minitorch.ones(3) > 0, minitorch.ones(2), minitorch.zeros(2))


@given(data=st.data())
def test_masked_fill_hypothesis(data):
    sx, sm = data.draw(broadcast_shapes(2).filter(lambda s: np.broadcast_shapes(*s) == tuple(s[0])))
    x = data.draw(float_arrays(sx))
    mask = np.asarray(data.draw(float_arrays(sm)) > 0)
    check(lambda m, a, k: a.masked_fill(k, -7.5), x, mask)
    check(lambda m, a, k: m.masked_fill(a, k, 2), x, mask)


def test_masked_fill_value_tensor_and_gradcheck():
    x, mask = rand(2, 3), np.array([True, False, True])
    check(lambda m, a, k, v: a.masked_fill(k, v), x, mask, np.array(3.0))
    gradchecks(lambda m, a: a.masked_fill(m.tensor(mask), 0.5), x)
    with pytest.raises(RuntimeError, match="only supports boolean masks"):
        minitorch.zeros(3).masked_fill(minitorch.ones(3), 1.0)
    with pytest.raises(RuntimeError, match="0-dimensional value tensor"):
        minitorch.zeros(3).masked_fill(minitorch.ones(3) > 0, minitorch.ones(3))


def test_masked_fill_mask_broadcasts_input() -> None:
    mask = np.array([[True, False, True, False], [False, False, True, True]])
    check(lambda m, x: x.masked_fill(m.tensor(mask), 0.5), np.arange(4.0))
