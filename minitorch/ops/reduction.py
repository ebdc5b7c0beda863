"""Reductions over dims: sum, mean, prod, amax/amin (max/min with dim are built on gather)."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from minitorch.autograd.function import Op
from minitorch.tensor import Tensor


class MinMaxResult(NamedTuple):
    """What ``max(dim)`` / ``min(dim)`` return: ``(values, indices)``."""

    values: Tensor
    indices: Tensor


def _expand_back(grad: Tensor, shape: tuple, dims: tuple, keepdim: bool) -> Tensor:
    """Broadcast a reduced gradient back over the reduced dims."""
    if not keepdim and dims:
        kept = tuple(1 if i in dims else s for i, s in enumerate(shape))
        grad = grad.reshape(kept)
    return grad.expand(shape)


class Sum(Op):
    """y = sum of x over dims;  dy/dx = 1 (the gradient is broadcast back)."""

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        return np.sum(x, axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad):
        return _expand_back(grad, ctx.shape, ctx.dims, ctx.keepdim), None, None


class Mean(Op):
    """y = sum of x over dims / N;  dy/dx = 1 / N."""

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        n = 1
        for d in dims:
            n *= x.shape[d]
        ctx.n = n
        if n == 0:
            return np.full(np.sum(x, axis=dims, keepdims=keepdim).shape, np.nan, x.dtype)
        return np.mean(x, axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad):
        return _expand_back(grad / ctx.n, ctx.shape, ctx.dims, ctx.keepdim), None, None


class Prod(Op):
    """y = prod of x over dims;  dy/dx_i = prod_{j != i} x_j (computed safely where x has zeros)."""

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        y = np.prod(x, axis=dims, keepdims=keepdim)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        dims, keepdim = ctx.dims, ctx.keepdim
        g = _expand_back(grad, x.shape, dims, keepdim)
        out = _expand_back(y, x.shape, dims, keepdim)
        nonzero = x != 0
        if bool(nonzero.all()):
            return g * out / x, None, None
        x_safe = x.masked_fill(~nonzero, 1.0)
        zeros = (~nonzero).sum(dims, keepdim=True)
        others_of_zero = Prod.apply(x_safe, dims, True) * (zeros == 1)
        others = (out / x_safe).where(nonzero, others_of_zero.expand(x.shape))
        return g * others, None, None


class _Extremum(Op):
    """y = max (or min) over dims;  dy/dx = 1 / k at the k positions that attain it, 0 elsewhere."""

    fn = staticmethod(np.amax)

    @classmethod
    def forward(cls, ctx, x, dims, keepdim):
        y = cls.fn(x, axis=dims, keepdims=True)
        ctx.save_for_backward(x)
        ctx.y, ctx.dims, ctx.keepdim = y, dims, keepdim
        return y if keepdim else np.squeeze(y, axis=dims)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        hit = (x._data == ctx.y).astype(x._data.dtype)
        weights = Tensor._make(hit / np.sum(hit, axis=ctx.dims, keepdims=True))
        return _expand_back(grad, x.shape, ctx.dims, ctx.keepdim) * weights, None, None


class Amax(_Extremum):
    fn = staticmethod(np.amax)


class Amin(_Extremum):
    fn = staticmethod(np.amin)
