"""Linear-algebra ops against torch: matmul (hypothesis-drawn shapes, gradchecks, reflected forms, errors), mm and bmm."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis import given

import minitorch
from tests._same import same_error
from tests.parity import check, gradchecks
from tests.strategies import float_arrays, matmul_shapes


RNG = np.random.default_rng(0)


def rand(*shape):
    return RNG.uniform(-2, 2, shape)


# ------------------------------------------------------------------------------------------------ matmul
@given(data=st.data())
def test_matmul_hypothesis(data):
    sa, sb = data.draw(matmul_shapes())
    a, b = data.draw(float_arrays(sa)), data.draw(float_arrays(sb))
    check(lambda m, x, y: (x @ y, m.matmul(x, y), x.matmul(y)), a, b)


@pytest.mark.parametrize("sa,sb", [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 4)),
                                   ((2, 2, 3), (3, 2)), ((3,), (2, 3, 2)), ((2, 1, 2, 3), (3, 3, 2))])
def test_matmul_gradchecks(sa, sb):
    gradchecks(lambda m, x, y: x @ y, rand(*sa), rand(*sb))


def test_matmul_reflected_and_aliases():
    a, b = rand(2, 3), rand(3, 2)
    check(lambda m, x, y: (x.mm(y), m.mm(x, y), y.t() @ x.t()), a, b)
    check(lambda m, x, y: (m.bmm(x, y), x.bmm(y)), rand(2, 2, 3), rand(2, 3, 4))
    check(lambda m, x, y: (x.dot(y), m.dot(x, y)), rand(3), rand(3))
    x = minitorch.tensor(a, requires_grad=True)
    out = b @ x  # numpy array on the left: numpy defers to Tensor.__rmatmul__
    assert isinstance(out, minitorch.Tensor)
    np.testing.assert_allclose(out.detach().numpy(), b @ a)


def test_matmul_errors():
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"):
        minitorch.zeros(2, 3) @ minitorch.zeros(4, 5)
    with pytest.raises(RuntimeError, match="both arguments to matmul need to be at least 1D"):
        minitorch.zeros(()) @ minitorch.zeros(2)
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype"):
        minitorch.zeros(2, 2) @ minitorch.zeros(2, 2, dtype=minitorch.float64)
    with pytest.raises(RuntimeError, match=r"batch dimensions of \[2, 2, 3\] and \[3, 3, 2\] cannot be broadcast"):
        minitorch.zeros(2, 2, 3) @ minitorch.zeros(3, 3, 2)
    with pytest.raises(RuntimeError, match="1D tensors expected"):
        minitorch.zeros(2, 2).dot(minitorch.zeros(2))


# mm and bmm check ranks and batch sizes
@pytest.mark.parametrize("fn", [
    lambda lib: lib.ones(2, 2).mm(lib.ones(2)),
    lambda lib: lib.ones(2, 2, 2).mm(lib.ones(2, 2)),
    lambda lib: lib.ones(2, 2).bmm(lib.ones(2, 2)),
    lambda lib: lib.ones(2, 2, 2).bmm(lib.ones(2, 2)),
    lambda lib: lib.ones(2, 2, 2).bmm(lib.ones(3, 2, 2)),
    lambda lib: lib.ones(2, 2, 3).bmm(lib.ones(2, 2, 2)),
    lambda lib: lib.mm(lib.ones(2, 3), lib.ones(2, 2)),
])
def test_mm_bmm_rank_errors(fn: Callable) -> None:
    same_error(fn)


def test_mm_bmm_values() -> None:
    rng = np.random.default_rng(0)
    check(lambda m, x, y: x.mm(y), rng.normal(size=(2, 3)), rng.normal(size=(3, 4)))
    check(lambda m, x, y: m.bmm(x, y), rng.normal(size=(2, 2, 3)), rng.normal(size=(2, 3, 4)))
