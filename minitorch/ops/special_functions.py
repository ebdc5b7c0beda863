"""The special functions that only ``torch.special`` has as ops of their own: the scaled Bessel functions i0e
and i1e, the entropy term entr, the normal quantile ndtri and the log normal CDF log_ndtr (numpy kernels
built on minitorch/ops/special.py's erfc, erfcinv and erfcx)."""
from __future__ import annotations

import math

import numpy as np

from minitorch.autograd.function import Op
from minitorch.ops.special import _as_input, _float64, erfc, erfcinv, erfcx, i0e, i1e


class I0e(Op):
    """y = exp(-|x|) I_0(x);  dy/dx = i1e(x) - sgn(x) y."""

    def name(self) -> str:
        return "SpecialI0EBackward0"

    @staticmethod
    def forward(ctx, x):
        y = i0e(x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return grad * (I1e.apply(x) - x.sign() * y)


class I1e(Op):
    """y = exp(-|x|) I_1(x);  dy/dx = i0e(x) - y (sgn(x) + 1 / x) (1/2 where |x| <= eps, as torch)."""

    def name(self) -> str:
        return "SpecialI1EBackward0"

    @staticmethod
    def forward(ctx, x):
        y = i1e(x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        eps = float(np.finfo(x._data.dtype).eps)
        not_tiny = x.abs() > eps
        safe = x.masked_fill(~not_tiny, eps)
        d = (I0e.apply(safe) - y * (safe.sign() + safe.reciprocal())).masked_fill(~not_tiny, 0.5)
        return grad * d


class Entr(Op):
    """y = -x log(x) (0 at 0, -inf below 0);  dy/dx = -(1 + log(x))."""

    def name(self) -> str:
        return "SpecialEntrBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            y = np.where(x > 0, -x * np.log(np.where(x > 0, x, 1)), np.where(x == 0, 0.0, -np.inf))
        return np.where(np.isnan(x), np.nan, y).astype(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * -(x.log() + 1)


def ndtri(p: np.ndarray) -> np.ndarray:
    """The inverse of the standard normal CDF: -sqrt(2) erfcinv(2p) below 1/2, sqrt(2) erfcinv(2 (1 - p)) above."""
    p = _float64(p)
    out = np.full(p.shape, np.nan)
    lo, hi = (p >= 0) & (p < 0.5), (p >= 0.5) & (p <= 1)
    out[lo] = -math.sqrt(2.0) * erfcinv(2.0 * p[lo])
    out[hi] = math.sqrt(2.0) * erfcinv(2.0 * (1.0 - p[hi]))
    return out


def log_ndtr(x: np.ndarray) -> np.ndarray:
    """log of the standard normal CDF: log1p(-erfc(x / sqrt 2) / 2) above -1, log(erfcx(t) / 2) - t^2 with
    t = -x / sqrt 2 below (no underflow)."""
    x = _float64(x)
    t = x * -math.sqrt(0.5)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        upper = np.log1p(-erfc(-t) / 2.0)
        lower = np.log(erfcx(np.maximum(t, 0.5)) / 2.0) - t * t
    return np.where(x < -1.0, lower, upper)


class Ndtri(Op):
    """y = Phi^-1(p);  dy/dp = sqrt(2 pi) exp(y^2 / 2)."""

    def name(self) -> str:
        return "SpecialNdtriBackward0"

    @staticmethod
    def forward(ctx, p):
        y = _as_input(ndtri(p), p)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (y * y * 0.5).exp() * math.sqrt(2 * math.pi)


class LogNdtr(Op):
    """y = log Phi(x);  dy/dx = exp(-(y + x^2 / 2)) / sqrt(2 pi)."""

    def name(self) -> str:
        return "SpecialLogNdtrBackward0"

    @staticmethod
    def forward(ctx, x):
        y = _as_input(log_ndtr(x), x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return grad / math.sqrt(2 * math.pi) * (y + x * x / 2).neg().exp()


def erfcx_all(x: np.ndarray) -> np.ndarray:
    """exp(x^2) erfc(x) for every x: directly near 0, Cody's scaled ratios above, 2 exp(x^2) - erfcx(-x) below."""
    x64 = _float64(x)
    y = np.abs(x64)
    with np.errstate(over="ignore", invalid="ignore"):
        near = np.exp(x64 * x64) * erfc(x64)
        scaled = erfcx(np.maximum(y, 0.46875))
        out = np.where(y <= 0.46875, near, np.where(x64 > 0, scaled, 2.0 * np.exp(x64 * x64) - scaled))
    return _as_input(np.where(np.isnan(x64), np.nan, out), x)


class Erfcx(Op):
    """y = exp(x^2) erfc(x);  dy/dx = 2 x y - 2 / sqrt(pi)."""

    def name(self) -> str:
        return "SpecialErfcxBackward0"

    @staticmethod
    def forward(ctx, x):
        y = erfcx_all(x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return grad * (x * y * 2.0 - 2.0 / math.sqrt(math.pi))
