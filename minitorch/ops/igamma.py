"""The regularized incomplete gamma functions P(a, x) (``igamma``) and Q(a, x) = 1 - P (``igammac``), with
torch's values at the edges (NaN for negative arguments, the limits at 0 and infinity).

P by its power series where x < a + 1, Q by its continued fraction (modified Lentz) elsewhere, each taking the
other as 1 minus it; computed in float64. torch defines no derivative for them (their Tensor outputs are
outside the graph)."""
from __future__ import annotations

import math

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.ops._elementwise import tensor_pair

_LGAMMA = np.frompyfunc(math.lgamma, 1, 1)
_ERFC = np.frompyfunc(math.erfc, 1, 1)
_TINY = 1e-300


def _prefix(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """x^a e^-x / Gamma(a), in logs."""
    return np.exp(a * np.log(x) - x - _LGAMMA(a).astype(np.float64))


def _series_p(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """P(a, x) = x^a e^-x / Gamma(a + 1) * sum_n x^n / ((a + 1) ... (a + n)), summed until each element's
    terms fall below its sum's last bit (about 10 sqrt(a) terms where x is near a large a)."""
    term = np.ones_like(x)
    total = np.ones_like(x)
    ap = a.copy()
    live = np.arange(x.size)
    for _ in range(200000):
        ap[live] += 1
        term[live] *= x[live] / ap[live]
        total[live] += term[live]
        live = live[np.abs(term[live]) > np.abs(total[live]) * 1e-17]
        if not live.size:
            break
    return _prefix(a, x) * total / a


def _fraction_q(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Q(a, x) by the continued fraction of Gamma(a, x) (Lentz's method)."""
    b = x + 1 - a
    c = np.full_like(x, 1 / _TINY)
    d = 1 / np.where(np.abs(b) < _TINY, _TINY, b)
    h = d.copy()
    for i in range(1, 5000):
        an = -i * (i - a)
        b = b + 2
        d = an * d + b
        d = 1 / np.where(np.abs(d) < _TINY, _TINY, d)
        c = b + an / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        delta = d * c
        h = h * delta
        if np.all(np.abs(delta - 1) <= 1e-16):
            break
    return _prefix(a, x) * h


def _regularized(a: np.ndarray, x: np.ndarray, lower: bool) -> np.ndarray:
    out = np.full(a.shape, np.nan)
    ok = (a > 0) & (x > 0) & np.isfinite(a) & np.isfinite(x)
    aa, xx = a[ok], x[ok]
    huge = aa > 1e8  # Wilson and Hilferty's normal approximation of (x / a)^(1/3), exact to ~1e-12 there
    use_series = (xx < aa + 1) & ~huge
    p = np.empty_like(aa)
    p[use_series] = _series_p(aa[use_series], xx[use_series])
    frac = ~use_series & ~huge
    q = np.empty_like(aa)
    q[frac] = _fraction_q(aa[frac], xx[frac])
    p[frac] = 1 - q[frac]
    q[use_series] = 1 - p[use_series]
    z = ((xx[huge] / aa[huge]) ** (1 / 3) - 1 + 1 / (9 * aa[huge])) * np.sqrt(9 * aa[huge])
    q[huge] = 0.5 * _ERFC(z / math.sqrt(2)).astype(np.float64)
    p[huge] = 0.5 * _ERFC(-z / math.sqrt(2)).astype(np.float64)
    out[ok] = p if lower else q
    lo, hi = (0.0, 1.0) if lower else (1.0, 0.0)  # the value at x = 0 and at x = inf
    valid = (a >= 0) & (x >= 0)
    out[valid & (a == 0) & (x > 0)] = hi
    out[valid & (x == 0) & (a > 0)] = lo
    out[valid & np.isinf(x) & np.isfinite(a) & (a > 0)] = hi
    out[valid & np.isinf(a) & np.isfinite(x)] = lo
    return out


def _igamma(fn: str, input: Tensor, other: Tensor, lower: bool) -> Tensor:
    tensor_pair(fn, input, other)
    rt = _dtype.result_type(input, other)
    if not rt.is_floating_point:
        raise NotImplementedError(f"\"{fn}_cpu\" not implemented for '{_dtype.legacy_name(rt)}'")
    try:
        a, x = np.broadcast_arrays(input._data.astype(np.float64), other._data.astype(np.float64))
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({input.shape[-1]}) must match the size of tensor b "
                           f"({other.shape[-1]}) at non-singleton dimension") from None
    with np.errstate(all="ignore"):
        out = _regularized(a, x, lower)
    return Tensor._make(np.array(out, dtype=rt.np))


def igamma(input: Tensor, other: Tensor) -> Tensor:
    """The regularized lower incomplete gamma function P(input, other)."""
    return _igamma("igamma", input, other, True)


def igammac(input: Tensor, other: Tensor) -> Tensor:
    """The regularized upper incomplete gamma function Q(input, other) = 1 - P."""
    return _igamma("igammac", input, other, False)


class IgammaMethods:
    """The Tensor methods of this family."""

    def igamma(self, other: "Tensor") -> "Tensor":
        """P(self, other)."""
        return igamma(self, other)

    def igammac(self, other: "Tensor") -> "Tensor":
        """Q(self, other)."""
        return igammac(self, other)

    def igamma_(self, other: "Tensor") -> "Tensor":
        """``igamma`` in place."""
        return self.copy_(igamma(self, other))

    def igammac_(self, other: "Tensor") -> "Tensor":
        """``igammac`` in place."""
        return self.copy_(igammac(self, other))
