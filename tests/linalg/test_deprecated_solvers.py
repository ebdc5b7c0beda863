"""torch.lu, torch.lu_solve and torch.triangular_solve (the deprecated forms) against torch: values and
gradients."""
from __future__ import annotations

import numpy as np
import pytest

from tests.parity import check

RNG = np.random.default_rng(5)
A = RNG.standard_normal((2, 4, 4)) + 4 * np.eye(4)
B = RNG.standard_normal((2, 4, 3))


def test_lu():
    check(lambda L, a: L.lu(a), A)
    check(lambda L, a: L.lu(a, get_infos=True), A, grad=False)


def test_lu_solve():
    check(lambda L, a, b: L.lu_solve(b, *L.linalg.lu_factor(a)), A, B)


@pytest.mark.parametrize("upper", [True, False])
@pytest.mark.parametrize("transpose", [True, False])
@pytest.mark.parametrize("unitriangular", [True, False])
def test_triangular_solve(upper, transpose, unitriangular):
    a = np.triu(A) if upper else np.tril(A)
    out = check(lambda L, b, a_: L.triangular_solve(b, a_, upper, transpose, unitriangular), B, a)[0]
    assert out._fields == ("solution", "cloned_coefficient")
