"""torch.special's orthogonal polynomials against torch: the recurrences, the closed forms torch takes for
large n inside [-1, 1], the endpoint values, negative and NaN degrees, promotion, and the argument error."""
from __future__ import annotations

import numpy as np
import pytest

import minitorch
from tests._same import same_error
from tests.parity import check

NAMES = ["chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v", "chebyshev_polynomial_w",
         "shifted_chebyshev_polynomial_t", "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
         "shifted_chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he", "laguerre_polynomial_l",
         "legendre_polynomial_p"]
X = np.array([-1.5, -1.0, -0.7, -0.2, 0.0, 0.3, 0.5, 0.99, 1.0, 2.0])
N = np.array([-2.0, 0.0, 1.0, 2.0, 3.0, 5.0, 7.0, 9.0, 12.0, 20.0, 2.7, float("nan")])


@pytest.mark.parametrize("name", NAMES)
def test_values(name):
    fn = lambda L, x, n: getattr(L.special, name)(x, n)  # noqa: E731
    check(fn, X[:, None], N[None, :], grad=False, rtol=1e-10, atol=1e-12)
    check(fn, X.astype(np.float32), np.float32(3.0) * np.ones(1, np.float32), grad=False, rtol=2e-6, atol=1e-6)
    check(lambda L, x: getattr(L.special, name)(x, 4), X, grad=False, rtol=1e-10, atol=1e-12)  # a number n
    check(lambda L, n: getattr(L.special, name)(0.25, n), np.arange(6), grad=False, rtol=1e-6)  # ints: float


def test_hermite_degree_limit():
    check(lambda L, x, n: L.special.hermite_polynomial_h(x, n), np.array([0.1, 0.2]), np.array([511.0, 513.0]),
          grad=False, rtol=1e-9)


def test_needs_a_tensor():
    same_error(lambda L: L.special.legendre_polynomial_p(0.5, 2), same_text=False)
    assert "legendre_polynomial_p" in minitorch.special.__all__
