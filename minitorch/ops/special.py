"""The special functions for numpy arrays (numpy has none) and their differentiable ops: erf, erfc, erfinv,
lgamma, digamma, polygamma, mvlgamma, the Bessel functions i0/i1 (and their scaled forms), entr, ndtri, log_ndtr.

``erf`` follows W. J. Cody, "Rational Chebyshev approximations for the error function",
Math. Comp. 23 (1969) 631-638: three rational approximations (|x| <= 0.46875, <= 4, > 4),
accurate to double precision, evaluated on whole arrays at once. lgamma is Stirling's series after an upward
shift (reflection below 1/2), digamma and the Hurwitz zeta behind polygamma follow Cephes (as torch does),
and the Bessel functions are their power series below 20 and asymptotic series above.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from minitorch._tensor import Tensor
from minitorch.autograd.function import Op
from minitorch.ops._args import _binary, _floating, _int_arg, _invalid_args, _tensor_arg
from minitorch.ops._elementwise import float_inplace
from minitorch.ops._util import unbroadcast

_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03,
      1.85777706184603153e-01)
_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03)
_C = (5.64188496988670089e-01, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02,
      8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
      2.15311535474403846e-08)
_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03,
      3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03)
_P = (3.05326634961232344e-01, 3.60344899949804439e-01, 1.25781726111229246e-01, 1.60837851487422766e-02,
      6.58749161529837803e-04, 1.63153871373020978e-02)
_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-01, 6.05183413124413191e-02,
      2.33520497626869185e-03)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_BLOCK = 16384


def _ratio(t: np.ndarray, num: tuple, den: tuple, lead: float) -> np.ndarray:
    """Cody's nested evaluation: (((lead t + num_0) t + num_1) t ...) / (((t + den_0) t + den_1) t ...)."""
    xnum, xden = lead * t, t
    for a, b in zip(num[:-1], den[:-1]):
        xnum = (xnum + a) * t
        xden = (xden + b) * t
    return (xnum + num[-1]) / (xden + den[-1])


def _scaled_exp(y: np.ndarray) -> np.ndarray:
    """exp(-y^2) computed as exp(-s^2) exp(-(y - s)(y + s)) with s = y rounded down to 1/16, as Cody does."""
    s = np.floor(y * 16.0) / 16.0
    return np.exp(-s * s) * np.exp(-(y - s) * (y + s))


def _erfc_mid(y: np.ndarray) -> np.ndarray:
    """erfc(y) for 0.46875 <= y <= 4."""
    return _scaled_exp(y) * _ratio(y, _C[:8], _D, _C[8])


def _erfc_big(y: np.ndarray) -> np.ndarray:
    """erfc(y) for y > 4 (0 from 26.543 on, where it underflows)."""
    z = 1.0 / (y * y)
    r = z * _ratio(z, _P[:5], _Q, _P[5])
    return np.where(y < 26.543, _scaled_exp(y) * (1.0 / math.sqrt(math.pi) - r) / y, 0.0)


def _erf_block(x: np.ndarray) -> np.ndarray:
    """erf on one cache-sized block: both common regions on the whole block, combined with ``where``."""
    y = np.abs(x)
    small = np.minimum(y, 0.46875)
    out = np.where(y <= 0.46875, x * _ratio(small * small, _A[:4], _B, _A[4]),
                   np.copysign(1.0 - _erfc_mid(np.clip(y, 0.46875, 4.0)), x))
    big = y > 4.0
    if big.any():
        with np.errstate(invalid="ignore", over="ignore"):  # inf - inf inside the masked-out underflow branch
            out[big] = np.copysign(1.0 - _erfc_big(y[big]), x[big])
    return out


def erf(x: np.ndarray) -> np.ndarray:
    """erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt, element-wise.

    float32 inputs are computed in float32 (numpy's fast path), anything else in float64, in
    blocks of ``_BLOCK`` elements so that the ~40 temporaries of the rational functions stay in cache.
    """
    x = np.asarray(x)
    work = x if x.dtype == np.float32 else x.astype(np.float64)
    flat = work.ravel()
    out = np.empty_like(flat)
    for i in range(0, flat.size, _BLOCK):
        out[i:i + _BLOCK] = _erf_block(flat[i:i + _BLOCK])
    out = out.reshape(work.shape)
    return out.astype(x.dtype, copy=False) if x.dtype.kind == "f" else out


def _winitzki(ln: np.ndarray) -> np.ndarray:
    """Winitzki's closed-form |erfinv(y)| from ln = log(1 - y^2)."""
    a = 0.147
    first = 2.0 / (math.pi * a) + ln / 2.0
    return np.sqrt(np.sqrt(first * first - ln / a) - first)


def erfinv(y: np.ndarray) -> np.ndarray:
    """The inverse of erf on (-1, 1) (+-inf at +-1, NaN outside): Winitzki's guess refined by Newton steps on
    erf(x) = y for |y| < 0.5, and erfcinv(1 - |y|) (1 - |y| is exact there) in the tails."""
    y = _float64(y)
    out = np.full(y.shape, np.nan)
    with np.errstate(invalid="ignore"):
        body, tail = np.abs(y) < 0.5, (np.abs(y) >= 0.5) & (np.abs(y) <= 1.0)
    yb = y[body]
    x = np.copysign(_winitzki(np.log1p(-yb * yb)), yb)
    for _ in range(4):
        x = x - (erf(x) - yb) / (_TWO_OVER_SQRT_PI * np.exp(-x * x))
    out[body] = x
    out[tail] = np.copysign(erfcinv(1.0 - np.abs(y[tail])), y[tail])
    return out


def erfcinv(c: np.ndarray) -> np.ndarray:
    """The x >= 0 with erfc(x) = c for c in [0, 1] (+inf at 0): Newton steps from Winitzki's guess."""
    c = _float64(c)
    out = np.full(c.shape, np.inf)
    pos = c > 0
    cp = c[pos]
    a = _winitzki(np.log(cp * (2.0 - cp)))
    for _ in range(6):  # Newton on log erfc(a) = log c, which converges far into the tail too
        e = erfc(a)
        a = a + (np.log(e) - np.log(cp)) * e / (_TWO_OVER_SQRT_PI * np.exp(-a * a))
    out[pos] = a
    return out


def erfc(x: np.ndarray) -> np.ndarray:
    """erfc(x) = 1 - erf(x), accurate in the tail (Cody's erfc branches; 2 - erfc(-x) for negative x)."""
    x = np.asarray(x)
    work = x if x.dtype == np.float32 else x.astype(np.float64)
    y = np.abs(work)
    small = np.minimum(y, 0.46875)
    with np.errstate(invalid="ignore", over="ignore"):
        pos = np.where(y <= 0.46875, 1.0 - work * _ratio(small * small, _A[:4], _B, _A[4]),
                       np.where(y <= 4.0, _erfc_mid(np.clip(y, 0.46875, 4.0)), _erfc_big(np.maximum(y, 4.0))))
    out = np.where((work < 0) & (y > 0.46875), 2.0 - pos, pos)
    out = np.where(np.isnan(work), np.nan, out)
    return out.astype(x.dtype, copy=False) if x.dtype.kind == "f" else out


# Stirling's series for log Gamma: sum_k B_2k / (2k (2k - 1) z^(2k - 1)), k = 1..8.
_STIRLING = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400)
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
# Cephes' digamma asymptotic coefficients (B_2k / 2k), highest power first.
_PSI_A = (8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3,
          -4.16666666666666666667e-3, 3.96825396825396825397e-3, -8.33333333333333333333e-3, 8.33333333333333333333e-2)
_PSI_10 = 2.25175258906672110764
# (2j)! / B_2j for j = 1..12: the Euler-Maclaurin tail of the Hurwitz zeta function (Cephes' zeta).
_ZETA_A = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10,
           -2.950130727918164224e12, 1.1646782814350067249e14, -4.5979787224074726105e15, 1.8152105401943546773e17,
           -7.1661652561756670113e18)


def _float64(x: np.ndarray) -> np.ndarray:
    return np.asarray(x, np.float64)


def _as_input(out: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The float64 result back in the input's float dtype (float32 stays float32)."""
    return out.astype(x.dtype, copy=False) if np.asarray(x).dtype.kind == "f" else out


def _lgamma_positive(z: np.ndarray) -> np.ndarray:
    """log Gamma(z) for z > 0: shifted up to z >= 12 by Gamma(z) = Gamma(z + n) / (z (z + 1) ... (z + n - 1)),
    then Stirling's series."""
    z = z.copy()
    prod = np.ones_like(z)
    for _ in range(12):
        low = z < 12.0
        if not low.any():
            break
        prod[low] *= z[low]
        z[low] += 1.0
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        w = 1.0 / (z * z)
        series = np.zeros_like(z)
        for c in reversed(_STIRLING):
            series = series * w + c
        return (z - 0.5) * np.log(z) - z + _HALF_LOG_2PI + series / z - np.log(prod)


def lgamma(x: np.ndarray) -> np.ndarray:
    """log |Gamma(x)|, elementwise; reflection log(pi / |sin(pi x)|) - lgamma(1 - x) below 0.5, inf at the poles."""
    x64 = _float64(x)
    out = np.empty_like(x64)
    pos = x64 >= 0.5
    out[pos] = _lgamma_positive(x64[pos])
    neg = ~pos & ~np.isnan(x64)
    if neg.any():
        xn = x64[neg]
        r = xn - np.round(xn)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = np.abs(np.sin(math.pi * r))
            refl = math.log(math.pi) - np.log(s) - _lgamma_positive(1.0 - xn)
        out[neg] = np.where((r == 0) | np.isinf(xn), np.inf, refl)
    out[np.isinf(x64)] = np.inf
    out[np.isnan(x64)] = np.nan
    return _as_input(out, x)


def _digamma_positive(x: np.ndarray) -> np.ndarray:
    """psi(x) for x > 0, as Cephes/torch: psi(x) = psi(x + 1) - 1 / x up to x >= 10, then the asymptotic series."""
    x = x.copy()
    acc = np.zeros_like(x)
    for _ in range(10):
        low = x < 10.0
        if not low.any():
            break
        acc[low] -= 1.0 / x[low]
        x[low] += 1.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        z = 1.0 / (x * x)
        y = np.zeros_like(x)
        for c in _PSI_A:
            y = y * z + c
        y = y * z
        out = acc + np.log(x) - 0.5 / x - y
    return np.where(x == 10.0, acc + _PSI_10, out)


def digamma(x: np.ndarray) -> np.ndarray:
    """psi(x) = d/dx log Gamma(x); -inf/+inf at +-0 as torch, NaN at negative integers, reflection below 0."""
    x64 = _float64(x)
    out = np.empty_like(x64)
    pos = x64 > 0
    out[pos] = _digamma_positive(x64[pos])
    neg = x64 < 0
    if neg.any():
        xn = x64[neg]
        r = np.fmod(xn, 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            refl = _digamma_positive(1.0 - xn) - math.pi / np.tan(math.pi * r)
        out[neg] = np.where((r == 0) | np.isinf(xn), np.nan, refl)
    zero = x64 == 0
    out[zero] = np.copysign(np.inf, -x64[zero])
    out[np.isnan(x64)] = np.nan
    return _as_input(out, x)


def zeta(s: Any, q: np.ndarray) -> np.ndarray:
    """The Hurwitz zeta function sum_k (k + q)^-s (inf at s = 1, NaN below; inf at the poles q = 0, -1, ...; NaN for
    q < 0 and a non-integer s), Cephes' algorithm (torch's) on whole arrays: the direct sum while fewer than 9 terms
    or q + k <= 9 (stopping where a term is below machine precision of the sum), then the Euler-Maclaurin tail
    with the Bernoulli numbers of ``_ZETA_A``."""
    s, q = np.broadcast_arrays(_float64(s), _float64(q))
    shape = q.shape
    s, q = s.reshape(-1).copy(), q.reshape(-1).copy()  # flat: the masked updates below index by position
    eps = np.finfo(np.float64).eps / 2
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        total = np.power(q, -s)
        a, b = q.copy(), np.zeros_like(q)
        done = np.zeros(q.shape, bool)
        # the special cases (applied at the end) skip the sum: at q = -inf or a pole beyond 2**53 it would never
        # reach q + k > 9
        nan_in, pole = np.isnan(s) | np.isnan(q), (q <= 0) & (q == np.floor(q))
        nan_neg = (q <= 0) & (q != np.floor(q)) & (s != np.floor(s))
        idx = np.flatnonzero(~(nan_in | (s <= 1) | pole | nan_neg))
        i = 0
        while idx.size:
            keep = (i < 9) | (a[idx] <= 9.0)
            idx = idx[keep]
            if not idx.size:
                break
            i += 1
            a[idx] += 1.0
            term = a[idx] ** -s[idx]
            b[idx] = term
            total[idx] += term
            small = np.abs(term / total[idx]) < eps
            done[idx[small]] = True
            idx = idx[~small]
        w = a
        tail = total + b * w / (s - 1) - 0.5 * b
        fac, k = 1.0, 0.0
        for c in _ZETA_A:
            fac = fac * (s + k)
            b = b / w
            tail = tail + fac * b / c
            k += 1.0
            fac = fac * (s + k)
            b = b / w
            k += 1.0
    out = np.where(done, total, tail)
    out = np.where(nan_neg, np.nan, out)
    out = np.where(pole, np.inf, out)
    out = np.where(s < 1, np.nan, np.where(s == 1, np.inf, out))
    return np.where(nan_in, np.nan, out).reshape(shape)


def polygamma(n: int, x: np.ndarray) -> np.ndarray:
    """psi^(n)(x), the n-th derivative of digamma: (-1)^(n + 1) n! zeta(n + 1, x) for n >= 1."""
    if n == 0:
        return digamma(x)
    if n == 1:
        return _as_input(trigamma(x), x)
    out = (-1.0) ** (n + 1) * math.exp(math.lgamma(n + 1.0)) * zeta(n + 1.0, x)
    out = np.where(np.isnan(_float64(x)), np.nan, out)
    return _as_input(out, x)


def trigamma(x: np.ndarray) -> np.ndarray:
    """psi'(x) as torch computes it: reflection -pi^2 / sin^2(pi x) below 0.5, six recurrence steps, then
    the asymptotic series (1 + 1/(2x) + 1/(6x^2) - 1/(30x^4) + 1/(42x^6)) / x."""
    x = _float64(x).copy()
    sign = np.where(x < 0.5, -1.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        s = np.sin(math.pi * x)
        result = np.where(x < 0.5, -(math.pi * math.pi) / (s * s), 0.0)
        x = np.where(x < 0.5, 1.0 - x, x)
        for _ in range(6):
            result = result + 1.0 / (x * x)
            x = x + 1.0
        ixx = 1.0 / (x * x)
        result = result + (1.0 + 1.0 / (2.0 * x) + ixx * (1.0 / 6 - ixx * (1.0 / 30 - ixx * (1.0 / 42)))) / x
    return sign * result


def _bessel_i(nu: int, x: np.ndarray, scaled: bool = False) -> np.ndarray:
    """I_nu(|x|) for nu = 0, 1, times exp(-|x|) when ``scaled`` (the caller restores the sign for odd nu): the power series
    sum_k (x/2)^(2k + nu) / (k! (k + nu)!) below 20, the asymptotic series
    e^x / sqrt(2 pi x) sum_k (-1)^k prod_j (4 nu^2 - (2j - 1)^2) / (k! (8x)^k) above."""
    y = np.abs(_float64(x))
    out = np.empty_like(y)
    small = y < 20.0
    ys = y[small]
    q = ys * ys / 4.0
    term = (ys / 2.0) ** nu
    acc = term.copy()
    for k in range(1, 64):
        term = term * q / (k * (k + nu))
        acc += term
    out[small] = acc * np.exp(-ys) if scaled else acc
    yb = y[~small]
    mu = 4.0 * nu * nu
    term = np.ones_like(yb)
    series = term.copy()
    for k in range(1, 41):
        term = -term * (mu - (2 * k - 1) ** 2) / (k * 8.0 * yb)
        series += term
    with np.errstate(over="ignore", invalid="ignore"):
        half = 1.0 if scaled else np.exp(yb / 2.0)
        out[~small] = half * (series / np.sqrt(2.0 * math.pi * yb)) * half
    return out


def i0(x: np.ndarray) -> np.ndarray:
    """The modified Bessel function of the first kind of order 0, elementwise."""
    return _as_input(_bessel_i(0, x), x)


def i1(x: np.ndarray) -> np.ndarray:
    """The modified Bessel function of the first kind of order 1, elementwise (odd in x)."""
    return _as_input(np.copysign(_bessel_i(1, x), _float64(x)), x)


def i0e(x: np.ndarray) -> np.ndarray:
    """exp(-|x|) I_0(x), elementwise (finite for every x)."""
    return _as_input(_bessel_i(0, x, scaled=True), x)


def i1e(x: np.ndarray) -> np.ndarray:
    """exp(-|x|) I_1(x), elementwise."""
    return _as_input(np.copysign(_bessel_i(1, x, scaled=True), _float64(x)), x)


def erfcx(y: np.ndarray) -> np.ndarray:
    """exp(y^2) erfc(y) for y > 0.46875 (Cody's erfc ratios without the Gaussian factor)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        mid = _ratio(np.clip(y, 0.46875, 4.0), _C[:8], _D, _C[8])
        z = 1.0 / (y * y)
        big = (1.0 / math.sqrt(math.pi) - z * _ratio(z, _P[:5], _Q, _P[5])) / y
    return np.where(y <= 4.0, mid, big)


class Erf(Op):
    """y = erf(x);  dy/dx = 2/sqrt(pi) * exp(-x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return erf(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x * x).neg().exp() * _TWO_OVER_SQRT_PI


class Erfc(Op):
    """y = erfc(x) = 1 - erf(x);  dy/dx = -2/sqrt(pi) * exp(-x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return erfc(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x * x).neg().exp() * -_TWO_OVER_SQRT_PI


class Erfinv(Op):
    """y = erfinv(x);  dy/dx = sqrt(pi)/2 * exp(y^2)."""

    @staticmethod
    def forward(ctx, x):
        y = _as_input(erfinv(x), x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (y * y).exp() * (math.sqrt(math.pi) / 2)


class Lgamma(Op):
    """y = log |Gamma(x)|;  dy/dx = digamma(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return lgamma(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * Digamma.apply(x)


class Digamma(Op):
    """y = psi(x);  dy/dx = polygamma(1, x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return digamma(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * Polygamma.apply(x, 1)


class Polygamma(Op):
    """y = psi^(n)(x);  dy/dx = psi^(n + 1)(x)."""

    @staticmethod
    def forward(ctx, x, n):
        ctx.save_for_backward(x)
        ctx.n = n
        return polygamma(n, x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * Polygamma.apply(x, ctx.n + 1), None


class Mvlgamma(Op):
    """y = log Gamma_p(x) = p (p - 1) / 4 log(pi) + sum_{j < p} lgamma(x - j / 2);
    dy/dx = sum_{j < p} digamma(x - j / 2)."""

    @staticmethod
    def forward(ctx, x, p):
        ctx.save_for_backward(x)
        ctx.p = p
        out = np.full(x.shape, p * (p - 1) / 4 * math.log(math.pi))
        for j in range(p):
            out = out + lgamma(x - j / 2)
        return _as_input(out, x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        d = Digamma.apply(x)
        for j in range(1, ctx.p):
            d = d + Digamma.apply(x - j / 2)
        return grad * d, None


class I0(Op):
    """y = I_0(x);  dy/dx = I_1(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return i0(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * I1.apply(x)


class I1(Op):
    """y = I_1(x);  dy/dx = I_0(x) - y / x (1/2 where |x| <= eps, as torch's i1_backward)."""

    def name(self) -> str:
        return "SpecialI1Backward0"

    @staticmethod
    def forward(ctx, x):
        y = i1(x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        eps = float(np.finfo(x._data.dtype).eps)
        not_tiny = x.abs() > eps
        safe = x.masked_fill(~not_tiny, eps)
        d = (I0.apply(safe) - y * safe.reciprocal()).masked_fill(~not_tiny, 0.5)
        return grad * d


def _float_unary(op: Any, x: Any, fn: str, *args: Any) -> Tensor:
    _tensor_arg(x, fn, "input", 1)
    return op.apply(_floating(x), *args)


def polygamma_function(n: Any, input: Tensor) -> Tensor:
    """torch.polygamma(n, input): the n-th derivative of the digamma function."""
    n = _int_arg(n, "polygamma", "n", 1)
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    return _float_unary(Polygamma, input, "polygamma", n)


def mvlgamma(input: Tensor, p: int) -> Tensor:
    """The log of the multivariate gamma function of dimension p."""
    p = _int_arg(p, "mvlgamma", "p", 2)
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    return _float_unary(Mvlgamma, input, "mvlgamma", p)


class SpecialMethods:
    """The Tensor methods of the special functions; minitorch/__init__.py joins them to Tensor."""

    def erf(self) -> "Tensor":
        """The error function, elementwise."""
        return _float_unary(Erf, self, "erf")

    def erfc(self) -> "Tensor":
        """The complementary error function 1 - erf(x), elementwise."""
        return _float_unary(Erfc, self, "erfc")

    def erfinv(self) -> "Tensor":
        """The inverse error function, elementwise."""
        return _float_unary(Erfinv, self, "erfinv")

    def lgamma(self) -> "Tensor":
        """log |Gamma(x)|, elementwise."""
        return _float_unary(Lgamma, self, "lgamma")

    def digamma(self) -> "Tensor":
        """The digamma function d/dx log Gamma(x), elementwise."""
        return _float_unary(Digamma, self, "digamma")

    def polygamma(self, n: int) -> "Tensor":
        """The n-th derivative of digamma, elementwise."""
        return polygamma_function(n, self)

    def mvlgamma(self, p: int) -> "Tensor":
        """The multivariate log-gamma of dimension p, elementwise."""
        return mvlgamma(self, p)

    def i0(self) -> "Tensor":
        """The modified Bessel function I_0, elementwise."""
        return _float_unary(I0, self, "i0")

    def erf_(self) -> "Tensor":
        """self = erf(self), in place."""
        return float_inplace(self, lambda x: x.erf())

    def erfc_(self) -> "Tensor":
        """self = erfc(self), in place."""
        return float_inplace(self, lambda x: x.erfc())

    def erfinv_(self) -> "Tensor":
        """self = erfinv(self), in place."""
        return float_inplace(self, lambda x: x.erfinv())

    def lgamma_(self) -> "Tensor":
        """self = lgamma(self), in place."""
        return float_inplace(self, lambda x: x.lgamma())

    def digamma_(self) -> "Tensor":
        """self = digamma(self), in place."""
        return float_inplace(self, lambda x: x.digamma())

    def polygamma_(self, n: int) -> "Tensor":
        """self = polygamma(n, self), in place."""
        return float_inplace(self, lambda x: x.polygamma(n))

    def mvlgamma_(self, p: int) -> "Tensor":
        """self = mvlgamma(self, p), in place."""
        return float_inplace(self, lambda x: x.mvlgamma(p))

    def i0_(self) -> "Tensor":
        """self = i0(self), in place."""
        return float_inplace(self, lambda x: x.i0())


class Zeta(Op):
    """z = zeta(s, q), the Hurwitz zeta function;  dz/dq = -s zeta(s + 1, q); torch defines no derivative in s, so
    asking for one is an error, as there."""

    scalars_are_inputs = True

    def name(self) -> str:
        return "SpecialZetaBackward0"

    @staticmethod
    def forward(ctx, s, q):
        ctx.save_for_backward(s, q)
        dt = (s if isinstance(s, np.ndarray) else q).dtype
        return zeta(s, q).astype(dt)

    @staticmethod
    def backward(ctx, grad):
        s, q = ctx.saved_tensors
        ns, nq = ctx.needs_input_grad
        if ns:
            raise NotImplementedError("the derivative for 'zeta' is not implemented.")
        return None, unbroadcast(grad * -s * zeta_function(s + 1.0, q), q.shape)


class _ZetaScalarSelf(Zeta):
    def name(self) -> str:
        return "SpecialZetaBackward1"


class _ZetaScalarOther(Zeta):
    def name(self) -> str:
        return "SpecialZetaBackward2"


def zeta_function(input: Any, other: Any) -> Tensor:
    """torch.special.zeta(input, other): the Hurwitz zeta function of s = input at q = other (a float result)."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise _invalid_args("special_zeta", (input, other), ("Tensor input, Tensor other, *, Tensor out = None",
                                                             "Number self, Tensor other", "Tensor input, Number other"))
    if not isinstance(input, Tensor):
        return _binary(_ZetaScalarSelf, input, other, floating=True)
    return _binary(Zeta, input, other, floating=True, scalar_op=_ZetaScalarOther)
