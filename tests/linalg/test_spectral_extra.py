"""linalg.matrix_sqrth, linalg.polar, svd_lowrank and pca_lowrank against torch: values, gradients, errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests._same import same_error
from tests.parity import check, gradchecks

RNG = np.random.default_rng(6)
G = RNG.standard_normal((2, 4, 4))
SPD = G @ G.transpose(0, 2, 1) + 4 * np.eye(4)


def test_matrix_sqrth():
    check(lambda L, a: L.linalg.matrix_sqrth(a), SPD)
    x = minitorch.linalg.matrix_sqrth(minitorch.tensor(SPD))
    np.testing.assert_allclose((x @ x).numpy(), SPD, atol=1e-10)
    gradchecks(lambda L, a: L.linalg.matrix_sqrth((a + a.mT) / 2 + 3 * L.eye(3, dtype=L.float64)), G[0, :3, :3])


@pytest.mark.parametrize("shape", [(4, 4), (5, 3), (2, 6, 2)])
def test_polar(shape):
    a = RNG.standard_normal(shape)
    res = check(lambda L, x: L.linalg.polar(x), a)[0]
    np.testing.assert_allclose((res.U @ res.H).detach().numpy(), a, atol=1e-10)
    assert res._fields == ("U", "H")


def test_lowrank_are_the_leading_singular_triplets():
    a = RNG.standard_normal((6, 4))
    u, s, v = minitorch.svd_lowrank(minitorch.tensor(a), q=3)
    np.testing.assert_allclose(s.numpy(), np.linalg.svd(a, compute_uv=False)[:3], rtol=1e-12)
    ts = torch.svd_lowrank(torch.tensor(a), q=3, niter=8)[1]
    np.testing.assert_allclose(s.numpy(), ts.numpy(), rtol=1e-6)
    u, s, v = minitorch.pca_lowrank(minitorch.tensor(a))
    c = a - a.mean(0)
    np.testing.assert_allclose(s.numpy(), np.linalg.svd(c, compute_uv=False), rtol=1e-12)
    np.testing.assert_allclose(np.abs((u.mT @ minitorch.tensor(c) @ v).numpy()), np.diag(s.numpy()), atol=1e-10)


def test_errors():
    same_error(lambda L: L.linalg.polar(L.zeros(3, 5)))
    same_error(lambda L: L.linalg.polar(L.zeros(3)))
    same_error(lambda L: L.linalg.matrix_sqrth(L.zeros(2, 3)))
    same_error(lambda L: L.pca_lowrank(L.zeros(3, 2), q=3))
