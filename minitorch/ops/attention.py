"""Scaled dot-product attention as one fused op: scores, masked softmax, dropout and the weighted sum."""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch.autograd import grad_mode
from minitorch.autograd.function import Op
from minitorch.ops._util import sum_keepdim, unbroadcast
from minitorch._tensor import Tensor


def safe_softmax(scores: Any, dead: np.ndarray | None) -> Any:
    """softmax over the last dim, with rows whose scores are all -inf (``dead``) set to 0 instead of NaN.

    Works on numpy arrays (in place, for the forward) and on Tensors (differentiably, for create_graph).
    """
    if isinstance(scores, Tensor):
        if dead is None:
            return scores.softmax(-1)
        rows = Tensor._make(dead)
        return scores.masked_fill(rows, 0.0).softmax(-1).masked_fill(rows, 0.0)
    m = scores.max(axis=-1, keepdims=True)
    if dead is not None:
        m[dead] = 0
    np.subtract(scores, m, out=scores)
    np.exp(scores, out=scores)
    total = scores.sum(axis=-1, keepdims=True)
    if dead is not None:
        total[dead] = 1
    scores /= total
    return scores


class ScaledDotProductAttention(Op):
    """O = D(P) V with P = softmax(scale Q K^T + B) over the keys, D the dropout mask (M / (1 - p)) or identity.

    B is the additive mask (0 / -inf for boolean or causal masks, or a float mask that may require
    grad); rows of P whose scores are all -inf are 0 (torch's NaN-free ``_safe_softmax``).
    With G the upstream gradient and P' = D(P):
    dV = P'^T G,  dP = D(G V^T),  dS = P * (dP - rowsum(dP * P)),  dB = dS,
    dQ = scale dS K,  dK = scale dS^T Q  (each summed back over broadcast batch dims).
    P is kept from the forward; under create_graph it is recomputed from Q, K, B with Tensor ops
    so that the gradients are differentiable again.
    """

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, q, k, v, bias, keep, scale):
        s = np.matmul(q, np.swapaxes(k, -1, -2))
        s *= s.dtype.type(scale)
        if bias is not None:
            if np.broadcast_shapes(s.shape, bias.shape) == s.shape:
                s += bias
            else:
                s = s + bias
        row_max = s.max(axis=-1, keepdims=True)
        dead = np.isneginf(row_max)
        dead = dead if dead.any() else None
        p = safe_softmax(s, dead)
        ctx.scale, ctx.dead, ctx.keep = scale, dead, keep
        ctx.save_for_backward(q, k, v, bias, p)
        return np.matmul(p * keep if keep is not None else p, v)

    @staticmethod
    def backward(ctx, grad):
        q, k, v, bias, p = ctx.saved_tensors
        need_q, need_k, need_v, need_b = ctx.needs_input_grad[:4]
        if grad_mode.is_grad_enabled() and (q.requires_grad or k.requires_grad or
                                            (bias is not None and bias.requires_grad)):
            scores = q.matmul(k.transpose(-1, -2)) * ctx.scale
            p = safe_softmax(scores + bias if bias is not None else scores, ctx.dead)
        keep = ctx.keep  # a constant ndarray (or None), which Tensors multiply as well
        gq = gk = gv = gb = None
        if need_v:
            weights = p * keep if keep is not None else p
            gv = unbroadcast(weights.mT @ grad, v.shape)
        if need_q or need_k or need_b:
            dp = grad @ v.mT
            if keep is not None:
                dp = dp * keep
            ds = p * (dp - sum_keepdim(dp * p, -1))
            if need_b:
                gb = unbroadcast(ds, bias.shape)
            ds = ds * ctx.scale
            if need_q:
                gq = unbroadcast(ds @ k, q.shape)
            if need_k:
                gk = unbroadcast(ds.mT @ q, k.shape)
        return gq, gk, gv, gb, None, None
