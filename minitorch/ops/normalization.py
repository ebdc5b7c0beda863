"""Fused normalisation ops: batch norm (per channel, over the batch) and layer/group norm (per row).

Forward is numpy; backward is written in Tensor ops. The fast backward reuses the normalised
input ``xhat`` saved by forward; under ``create_graph`` it rebuilds the statistics from ``x`` in
Tensor ops instead, so that the gradient is itself differentiable in ``x`` (double backward).
The composed versions of these layers (mean, var, rsqrt...) are their test oracles.
"""
from __future__ import annotations

import math

import numpy as np

from minitorch.autograd import grad_mode
from minitorch.autograd.function import Op
from minitorch.ops._util import sum_keepdim, unbroadcast
from minitorch._tensor import Tensor


def _standardize(x: np.ndarray, axes: tuple, eps: float) -> tuple:
    """(xhat, mean, biased var, invstd) of ``x`` over ``axes`` (statistics keep their dims)."""
    mean = x.mean(axes, keepdims=True)
    xhat = x - mean
    var = np.square(xhat).mean(axes, keepdims=True)
    invstd = 1.0 / np.sqrt(var + eps)
    xhat *= invstd
    return xhat, mean, var, invstd


def _standardize_t(x: Tensor, axes: tuple, eps: float) -> tuple:
    """(xhat, invstd) of ``x`` over ``axes`` in Tensor ops, differentiable in ``x``."""
    xc = x - x.mean(axes, keepdim=True)
    invstd = ((xc * xc).mean(axes, keepdim=True) + eps).rsqrt()
    return xc * invstd, invstd


def _affine(xhat: np.ndarray, weight: np.ndarray | None, bias: np.ndarray | None, shape: tuple) -> np.ndarray:
    """xhat * w + b with w, b reshaped to ``shape``; always a new array, so xhat stays intact for backward."""
    if weight is None:
        return xhat.copy() if bias is None else xhat + bias.reshape(shape)
    y = xhat * weight.reshape(shape)
    if bias is not None:
        y += bias.reshape(shape)
    return y


class NativeBatchNorm(Op):
    """y = (x - mean) * invstd * w + b per channel (dim 1), with invstd = 1 / sqrt(var + eps).

    training: mean and the biased var are taken over every dim but 1 (M values per channel)
    and the running statistics, when given, are updated in place:
    r <- (1 - momentum) * r + momentum * s, with the unbiased var * M / (M - 1) for running_var.
    eval: the running statistics are used.
    Backward, with xhat = (x - mean) * invstd:
      db = sum(g),  dw = sum(g * xhat),
      dx = w * invstd * (g - db / M - xhat * dw / M)   (training)
      dx = w * invstd * g                              (eval)
    """

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, weight, bias, running_mean, running_var, training, momentum, eps):
        axes = (0,) + tuple(range(2, x.ndim))
        bshape = (1, -1) + (1,) * (x.ndim - 2)
        ctx.axes, ctx.bshape, ctx.training, ctx.eps = axes, bshape, training, eps
        if training:
            xhat, mean, var, invstd = _standardize(x, axes, eps)
            if running_mean is not None:
                running_mean *= 1 - momentum
                running_mean += momentum * mean.reshape(-1)
            if running_var is not None:
                m = x.size // x.shape[1]
                running_var *= 1 - momentum
                running_var += (momentum * m / (m - 1)) * var.reshape(-1)
            ctx.save_for_backward(x, weight, mean, invstd, xhat)
            return _affine(xhat, weight, bias, bshape)
        mean = running_mean.reshape(bshape).astype(x.dtype)
        invstd = (1.0 / np.sqrt(running_var + eps)).reshape(bshape).astype(x.dtype)
        scale = invstd if weight is None else invstd * weight.reshape(bshape)
        shift = -mean * scale if bias is None else bias.reshape(bshape) - mean * scale
        ctx.save_for_backward(x, weight, mean, invstd, None)
        return x * scale + shift

    @staticmethod
    def backward(ctx, grad):
        x, weight, mean, invstd, xhat = ctx.saved_tensors
        nx, nw, nb = ctx.needs_input_grad[:3]
        axes, bshape = ctx.axes, ctx.bshape
        if ctx.training and grad_mode.is_grad_enabled():
            xhat, invstd = _standardize_t(x, axes, ctx.eps)
        elif xhat is None and nw:
            xhat = (x - mean) * invstd
        scale = invstd if weight is None else invstd * weight.reshape(bshape)
        need_sums = ctx.training and nx
        db = grad.sum(axes) if nb or need_sums else None
        dw = (grad * xhat).sum(axes) if nw or need_sums else None
        dx = None
        if nx and ctx.training:
            m = math.prod(x.shape) // x.shape[1]
            dx = (grad - db.reshape(bshape) / m - xhat * (dw.reshape(bshape) / m)) * scale
        elif nx:
            dx = grad * scale
        return dx, dw if nw else None, db if nb else None, None, None, None, None, None


class _RowNorm(Op):
    """y = (x - mean) * invstd * w + b, with mean and biased var over each row of x seen as (rows, K).

    ``w`` and ``b`` are reshaped to ``affine_shape`` and broadcast onto x. Backward, with
    xhat the normalised x and gh = g * w seen as rows:
      dx = invstd * (gh - mean_row(gh) - xhat * mean_row(gh * xhat)),
      dw = sum(g * xhat),  db = sum(g)   (over the dims that broadcasting stretched).
    """

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, weight, bias, rows, affine_shape, eps):
        x2 = x.reshape(rows, -1)
        xhat, _, _, invstd = _standardize(x2, (1,), eps)
        xhat = xhat.reshape(x.shape)
        ctx.rows, ctx.affine_shape, ctx.eps = rows, affine_shape, eps
        ctx.save_for_backward(x, weight, bias, invstd, xhat)
        return _affine(xhat, weight, bias, affine_shape)

    @staticmethod
    def backward(ctx, grad):
        x, weight, bias, invstd, xhat = ctx.saved_tensors
        nx, nw, nb = ctx.needs_input_grad[:3]
        rows, affine_shape = ctx.rows, ctx.affine_shape
        if grad_mode.is_grad_enabled():
            xhat, invstd = _standardize_t(x.reshape(rows, -1), (1,), ctx.eps)
            xhat = xhat.reshape(x.shape)
        dx = dw = db = None
        if nx:
            gh = (grad if weight is None else grad * weight.reshape(affine_shape)).reshape(rows, -1)
            xh = xhat.reshape(rows, -1)
            k = xh.shape[1]
            dx = ((gh - sum_keepdim(gh, 1) / k - xh * (sum_keepdim(gh * xh, 1) / k)) * invstd).reshape(x.shape)
        if nw:
            dw = unbroadcast(grad * xhat, tuple(affine_shape)).reshape(weight.shape)
        if nb:
            db = unbroadcast(grad, tuple(affine_shape)).reshape(bias.shape)
        return dx, dw, db, None, None, None


class NativeLayerNorm(_RowNorm):
    """Layer norm: each row is one sample's trailing ``normalized_shape`` block; w, b have that shape."""


class NativeGroupNorm(_RowNorm):
    """Group norm: each row is one (sample, group) block of x (N, C, *); w, b are per channel."""
