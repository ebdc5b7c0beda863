"""Softmax and log-softmax as single ops with hand-derived backwards (the composed forms are their test oracle)."""
from __future__ import annotations

import numpy as np

from minitorch.autograd.function import Op
from minitorch.ops._util import exp, sum_keepdim


class Softmax(Op):
    """y = exp(x - max) / sum(exp(x - max)) along dim;  dL/dx = y * (g - sum(g * y))."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, dim):
        e = np.exp(x - np.max(x, axis=dim, keepdims=True))
        y = e / np.sum(e, axis=dim, keepdims=True)
        ctx.dim = dim
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return y * (grad - sum_keepdim(grad * y, ctx.dim)), None


def log_softmax(x: np.ndarray, dim: int | None) -> np.ndarray:
    """(x - m) - log(sum exp(x - m)) along ``dim``, m = max(x): never overflows."""
    shifted = x - np.maximum.reduce(x, axis=dim, keepdims=True)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=dim, keepdims=True))


class LogSoftmax(Op):
    """y = x - logsumexp(x) along dim (shifted by the max for stability);  dL/dx = g - exp(y) * sum(g)."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, dim):
        y = log_softmax(x, dim)
        ctx.dim = dim
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad - exp(y) * sum_keepdim(grad, ctx.dim), None
