"""linalg.ldl_factor/ldl_factor_ex/ldl_solve against torch (LAPACK's sytrf/sytrs): LD and the pivots exactly
as torch's, 1x1 and 2x2 pivot blocks, batches, the solve, errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests._same import same_error

RNG = np.random.default_rng(7)


def _symmetric(n: int, batch: tuple = (), small_diagonal: bool = False) -> np.ndarray:
    a = RNG.standard_normal(batch + (n, n))
    a = a + np.swapaxes(a, -1, -2)
    if small_diagonal:  # forces Bunch-Kaufman's 2x2 pivots
        a[..., np.arange(n), np.arange(n)] *= 1e-3
    return a


@pytest.mark.parametrize("a", [_symmetric(5), _symmetric(6, small_diagonal=True), _symmetric(4, (3,), True),
                               np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.0, 0.0], [0.0, 0.0]]),
                               _symmetric(1), np.zeros((0, 0))])
def test_factor_and_solve(a):
    LD, piv, info = minitorch.linalg.ldl_factor_ex(minitorch.tensor(a))
    LDt, pivt, infot = torch.linalg.ldl_factor_ex(torch.tensor(a))
    np.testing.assert_array_equal(piv.numpy(), pivt.numpy())
    np.testing.assert_array_equal(info.numpy(), infot.numpy())
    np.testing.assert_allclose(LD.numpy(), LDt.numpy(), rtol=1e-10, atol=1e-12)
    assert str(piv.dtype) == "minitorch.int32"
    if not info.numpy().any():
        b = RNG.standard_normal(a.shape[:-1] + (3,))
        x = minitorch.linalg.ldl_solve(LD, piv, minitorch.tensor(b))
        xt = torch.linalg.ldl_solve(LDt, pivt, torch.tensor(b))
        np.testing.assert_allclose(x.numpy(), xt.numpy(), rtol=1e-9, atol=1e-10)


def test_factor_result_and_errors():
    LD, piv = minitorch.linalg.ldl_factor(minitorch.tensor(_symmetric(3)), hermitian=True)
    assert LD.shape == (3, 3) and piv.shape == (3,)
    same_error(lambda L: L.linalg.ldl_factor(L.zeros(2, 3)))
    same_error(lambda L: L.linalg.ldl_solve(L.eye(3), L.ones(3, dtype=L.int32), L.zeros(2, 1)))
