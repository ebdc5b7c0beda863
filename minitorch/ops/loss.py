"""Fused loss ops: cross-entropy against a target distribution, and binary cross-entropy."""
from __future__ import annotations

import numpy as np

from minitorch.autograd.function import Op
from minitorch.autograd.grad_mode import is_grad_enabled
from minitorch.ops._util import clamp_min, exp, log, subtract_at, sum_keepdim
from minitorch.ops.activation import log_softmax


class CrossEntropy(Op):
    """loss = -sum_c q_c log_softmax(x)_c along ``dim`` (one loss per sample, no reduction).

    log_softmax is computed stably as (x - m) - log(sum exp(x - m)), m = max(x). With g the
    upstream gradient: dL/dx = g (softmax(x) sum_c q_c - q),  dL/dq = -g log_softmax(x).
    ``q`` is the (weighted, smoothed) target distribution: one-hot rows for class indices.
    """

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, q, dim):
        logp = log_softmax(x, dim)
        ctx.dim = dim
        ctx.save_for_backward(x, q, logp)
        return -np.add.reduce(q * logp, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        x, q, logp = ctx.saved_tensors
        if is_grad_enabled():  # create_graph: rebuild log_softmax(x) as a differentiable function of x
            logp = x.log_softmax(ctx.dim)
        g = grad.reshape(x.shape[:ctx.dim] + (1,) + x.shape[ctx.dim + 1:])
        need_x, need_q, _ = ctx.needs_input_grad
        gx = g * (exp(logp) * sum_keepdim(q, ctx.dim) - q) if need_x else None
        gq = -(g * logp) if need_q else None
        return gx, gq, None


def _at_class(y: np.ndarray) -> tuple:
    """The index of element (n, y_n, d1, ...) of an (N, C, d1, ...) array, for fancy indexing."""
    if y.ndim == 1:
        return np.arange(y.shape[0]), y
    grid = np.indices(y.shape, sparse=True)
    return (grid[0], y) + tuple(grid[1:])


class CrossEntropyIndex(Op):
    """loss_n = -w_n log_softmax(x)_{n, y_n} for class indices y (classes on dim 1), one loss per sample.

    ``w`` holds each sample's weight (``weight[y_n]``, 0 for an ignored target); ``y`` and ``w`` are
    constants. With s = x - max(x) and Z = sum exp(s): loss_n = -w_n (s_{n, y_n} - log Z_n), and with
    g the upstream gradient dL/dx = g w (softmax(x) - onehot(y)). Forward keeps softmax(x) = exp(s) / Z
    for backward; unlike ``CrossEntropy`` no (N, C) log-probabilities or target distribution are built,
    which matters for large vocabularies.
    """

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, y, w):
        shifted = x - np.maximum.reduce(x, axis=1, keepdims=True)
        p = np.exp(shifted)
        z = np.add.reduce(p, axis=1, keepdims=True)
        p /= z
        ctx.at = _at_class(y)
        ctx.save_for_backward(x, p, w)
        return (np.log(z[:, 0]) - shifted[ctx.at]) * w

    @staticmethod
    def backward(ctx, grad):
        x, p, w = ctx.saved_tensors
        if is_grad_enabled():  # create_graph: rebuild softmax(x) as a differentiable function of x
            p = x.softmax(1)
        gw = grad * w
        gw = gw.reshape(gw.shape[:1] + (1,) + gw.shape[1:])
        return subtract_at(p * gw, ctx.at, gw), None, None


class BinaryCrossEntropy(Op):
    """loss = -(t max(log x, -100) + (1 - t) max(log(1 - x), -100)) element-wise (logs clamped like torch).

    dL/dx = g (x - t) / max(x (1 - x), 1e-12),  dL/dt = g (log(1 - x) - log(x)).
    """

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, t):
        ctx.save_for_backward(x, t)
        with np.errstate(divide="ignore"):
            log_x = np.maximum(np.log(x), -100)
            log_1mx = np.maximum(np.log1p(-x), -100)
        return -(t * log_x + (1 - t) * log_1mx)

    @staticmethod
    def backward(ctx, grad):
        x, t = ctx.saved_tensors
        need_x, need_t = ctx.needs_input_grad
        gx = grad * (x - t) / clamp_min((1 - x) * x, 1e-12) if need_x else None
        with np.errstate(divide="ignore"):  # x = 0 or 1 gives an infinite target gradient, as in torch
            gt = grad * (log(1 - x) - log(x)) if need_t else None
        return gx, gt
