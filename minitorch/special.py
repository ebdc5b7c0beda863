"""``minitorch.special``: torch.special's names for the special functions (floor 2, beside the ops it calls)."""
from __future__ import annotations

import math
from typing import Any

from minitorch._tensor import Tensor
from minitorch.ops._args import _floating, _tensor_arg
from minitorch.ops.exponential import xlog1py, xlogy
from minitorch.ops.special import I1, i0 as _i0, i1 as _i1, mvlgamma, polygamma_function, zeta_function as zeta
from minitorch.ops.special_functions import Entr, Erfcx, I0e, I1e, LogNdtr, Ndtri

__all__ = [
    "digamma", "entr", "erf", "erfc", "erfcx", "erfinv", "exp2", "expit", "expm1", "gammaln", "i0", "i0e", "i1",
    "i1e", "log1p", "modified_bessel_i0", "modified_bessel_i1", "log_ndtr", "log_softmax", "logit", "logsumexp", "multigammaln", "ndtr", "ndtri", "polygamma",
    "psi", "round", "sinc", "softmax", "xlog1py", "xlogy", "zeta",
]


def _unary(op: Any, input: Any, fn: str) -> Tensor:
    _tensor_arg(input, f"special_{fn}", "input", 1)
    return op.apply(_floating(input))


def expit(input: Tensor) -> Tensor:
    """The logistic sigmoid 1 / (1 + exp(-x))."""
    return input.sigmoid()


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    """log(p / (1 - p)), p clamped to [eps, 1 - eps] when eps is given."""
    return input.logit(eps)


def erf(input: Tensor) -> Tensor:
    """The error function."""
    return input.erf()


def erfc(input: Tensor) -> Tensor:
    """The complementary error function."""
    return input.erfc()


def erfinv(input: Tensor) -> Tensor:
    """The inverse error function."""
    return input.erfinv()


def erfcx(input: Tensor) -> Tensor:
    """The scaled complementary error function exp(x^2) erfc(x)."""
    return _unary(Erfcx, input, "erfcx")


def gammaln(input: Tensor) -> Tensor:
    """log |Gamma(x)|."""
    return input.lgamma()


def digamma(input: Tensor) -> Tensor:
    """The digamma function."""
    return input.digamma()


psi = digamma


def polygamma(n: int, input: Tensor) -> Tensor:
    """The n-th derivative of digamma."""
    return polygamma_function(n, input)


def multigammaln(input: Tensor, p: int) -> Tensor:
    """The multivariate log-gamma function of dimension p."""
    return mvlgamma(input, p)


def i0(input: Tensor) -> Tensor:
    """The modified Bessel function I_0."""
    return input.i0()


def i0e(input: Tensor) -> Tensor:
    """exp(-|x|) I_0(x)."""
    return _unary(I0e, input, "i0e")


def i1(input: Tensor) -> Tensor:
    """The modified Bessel function I_1."""
    return _unary(I1, input, "i1")


def i1e(input: Tensor) -> Tensor:
    """exp(-|x|) I_1(x)."""
    return _unary(I1e, input, "i1e")


def modified_bessel_i0(input: Tensor) -> Tensor:
    """I_0(x), as torch's modified_bessel_i0 (which records no gradient)."""
    _tensor_arg(input, "special_modified_bessel_i0", "input", 1)
    return Tensor._make(_i0(_floating(input)._data))


def modified_bessel_i1(input: Tensor) -> Tensor:
    """I_1(x), as torch's modified_bessel_i1 (which records no gradient)."""
    _tensor_arg(input, "special_modified_bessel_i1", "input", 1)
    return Tensor._make(_i1(_floating(input)._data))


def entr(input: Tensor) -> Tensor:
    """-x log(x) (0 at 0, -inf below)."""
    return _unary(Entr, input, "entr")


def ndtr(input: Tensor) -> Tensor:
    """The standard normal CDF (1 + erf(x / sqrt 2)) / 2."""
    _tensor_arg(input, "special_ndtr", "input", 1)
    return ((_floating(input) * math.sqrt(0.5)).erf() + 1) * 0.5


def ndtri(input: Tensor) -> Tensor:
    """The inverse of the standard normal CDF."""
    return _unary(Ndtri, input, "ndtri")


def log_ndtr(input: Tensor) -> Tensor:
    """log of the standard normal CDF (accurate far into the left tail)."""
    return _unary(LogNdtr, input, "log_ndtr")


def sinc(input: Tensor) -> Tensor:
    """sin(pi x) / (pi x)."""
    return input.sinc()


def log1p(input: Tensor) -> Tensor:
    """log(1 + x)."""
    return input.log1p()


def expm1(input: Tensor) -> Tensor:
    """exp(x) - 1."""
    return input.expm1()


def exp2(input: Tensor) -> Tensor:
    """2 ** x."""
    return input.exp2()


def logsumexp(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """log(sum(exp(x))) over ``dim``."""
    return input.logsumexp(dim, keepdim)


def softmax(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """softmax over ``dim``."""
    return input.softmax(dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """log_softmax over ``dim``."""
    return input.log_softmax(dim, dtype=dtype)


def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    """Round to ``decimals`` decimal places."""
    return input.round(decimals=decimals)

# torch.special's orthogonal polynomials, Bessel functions and gammainc (issue 15):
# minitorch/ops/polynomials.py, bessel.py, igamma.py
from minitorch.ops.polynomials import (  # noqa: E402
    chebyshev_polynomial_t, chebyshev_polynomial_u, chebyshev_polynomial_v, chebyshev_polynomial_w,
    hermite_polynomial_h, hermite_polynomial_he, laguerre_polynomial_l, legendre_polynomial_p,
    shifted_chebyshev_polynomial_t, shifted_chebyshev_polynomial_u, shifted_chebyshev_polynomial_v,
    shifted_chebyshev_polynomial_w,
)
__all__ += [
    "chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v", "chebyshev_polynomial_w",
    "hermite_polynomial_h", "hermite_polynomial_he", "laguerre_polynomial_l", "legendre_polynomial_p",
    "shifted_chebyshev_polynomial_t", "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w",
]
from minitorch.ops.bessel import (  # noqa: E402
    airy_ai, bessel_j0, bessel_j1, bessel_y0, bessel_y1, modified_bessel_k0, modified_bessel_k1,
    scaled_modified_bessel_k0, scaled_modified_bessel_k1, spherical_bessel_j0,
)
__all__ += [
    "airy_ai", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "modified_bessel_k0", "modified_bessel_k1",
    "scaled_modified_bessel_k0", "scaled_modified_bessel_k1", "spherical_bessel_j0",
]
from minitorch.ops.igamma import igamma as gammainc, igammac as gammaincc  # noqa: E402
__all__ += ["gammainc", "gammaincc"]
