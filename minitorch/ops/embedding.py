"""Embedding lookup (rows of a weight matrix picked by integer indices) and its scatter-add gradient."""
from __future__ import annotations

import numpy as np

from minitorch.autograd.function import Op


def _row_scale(indices: np.ndarray, num_weights: int, padding_idx: int | None, by_freq: bool,
               dtype: np.dtype) -> np.ndarray | None:
    """Per-lookup gradient factors: 0 at ``padding_idx``, 1 / count(index) with ``by_freq``; None if all 1."""
    if padding_idx is None and not by_freq:
        return None
    flat = indices.ravel()
    scale = np.ones(flat.shape, dtype)
    if by_freq:
        scale /= np.bincount(flat, minlength=num_weights)[flat]
    if padding_idx is not None:
        scale[flat == padding_idx] = 0
    return scale


class Embedding(Op):
    """y[..., :] = W[idx[...], :];  dL/dW = rows of G scatter-added at idx (``EmbeddingBackward``).

    Lookups of ``padding_idx`` add nothing to the gradient; with ``scale_grad_by_freq`` each
    lookup's gradient is divided by how often its index occurs in ``idx``.
    """

    @staticmethod
    def forward(ctx, weight, indices, padding_idx, scale_grad_by_freq):
        ctx.indices, ctx.num_weights = indices, weight.shape[0]
        ctx.padding_idx, ctx.by_freq = padding_idx, scale_grad_by_freq
        return np.take(weight, indices, axis=0)

    @staticmethod
    def backward(ctx, grad):
        gw = EmbeddingBackward.apply(grad, ctx.indices, ctx.num_weights, ctx.padding_idx, ctx.by_freq)
        return gw, None, None, None


class EmbeddingBackward(Op):
    """Z = zeros(num_weights, D) with Z[idx_k] += s_k G_k (s: padding / frequency factors);
    dL/dG_k = s_k (dL/dZ)[idx_k], the same lookup as the forward."""

    @staticmethod
    def forward(ctx, grad, indices, num_weights, padding_idx, by_freq):
        ctx.indices, ctx.num_weights, ctx.padding_idx, ctx.by_freq = indices, num_weights, padding_idx, by_freq
        dim = grad.shape[-1]
        rows = grad.reshape(-1, dim)
        scale = _row_scale(indices, num_weights, padding_idx, by_freq, grad.dtype)
        if scale is not None:
            rows = rows * scale[:, None]
        out = np.zeros((num_weights, dim), grad.dtype)
        np.add.at(out, indices.ravel(), rows)
        return out

    @staticmethod
    def backward(ctx, grad):
        rows = Embedding.apply(grad, ctx.indices, None, False)
        scale = _row_scale(ctx.indices, ctx.num_weights, ctx.padding_idx, ctx.by_freq, grad._data.dtype)
        if scale is not None:
            rows = rows * grad.new_tensor(scale.reshape(ctx.indices.shape + (1,)))
        return rows, None, None, None, None
