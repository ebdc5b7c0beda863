"""The error function for numpy arrays (numpy has none) and its differentiable op.

``erf`` follows W. J. Cody, "Rational Chebyshev approximations for the error function",
Math. Comp. 23 (1969) 631-638: three rational approximations (|x| <= 0.46875, <= 4, > 4),
accurate to double precision, evaluated on whole arrays at once.
"""
from __future__ import annotations

import math

import numpy as np

from minitorch.autograd.function import Op

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


def erfinv(y: np.ndarray) -> np.ndarray:
    """The inverse of erf on (-1, 1) (+-inf at +-1): Winitzki's closed-form guess refined by Newton steps."""
    y = np.asarray(y, np.float64)
    a = 0.147
    ln = np.log1p(-y * y)
    first = 2.0 / (math.pi * a) + ln / 2.0
    x = np.copysign(np.sqrt(np.sqrt(first * first - ln / a) - first), y)
    inner = np.abs(y) < 1.0
    for _ in range(4):
        xi = x[inner]
        x[inner] = xi - (erf(xi) - y[inner]) / (_TWO_OVER_SQRT_PI * np.exp(-xi * xi))
    return x


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
