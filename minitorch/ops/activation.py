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


class LogSoftmax(Op):
    """y = x - logsumexp(x) along dim (shifted by the max for stability);  dL/dx = g - exp(y) * sum(g)."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, dim):
        shifted = x - np.max(x, axis=dim, keepdims=True)
        y = shifted - np.log(np.sum(np.exp(shifted), axis=dim, keepdims=True))
        ctx.dim = dim
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad - exp(y) * sum_keepdim(grad, ctx.dim), None
