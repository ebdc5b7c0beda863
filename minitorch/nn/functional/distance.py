"""Distances between vectors: ``pairwise_distance``, ``cosine_similarity`` and ``pdist``, composed from
Tensor ops with torch's formulas (so their gradients are the composed ones, as in torch)."""
from __future__ import annotations

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.ops.shape import broadcast_tensors


def _clamped_below(n: Tensor, eps: float) -> Tensor:
    """max(n, eps) in value with the gradient of n: torch clamps the norms in place under no_grad."""
    return n + Tensor._make(np.maximum(n._data, n._data.dtype.type(eps)) - n._data)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """||x1 - x2 + eps||_p over the last dimension (after broadcasting)."""
    diff = x1 - x2 + eps
    if diff.ndim == 0:
        return diff.norm(p, None, keepdim)
    return diff.norm(p, -1, keepdim)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """sum(x1 / max(||x1||, eps) * x2 / max(||x2||, eps)) along ``dim`` (torch's stable form)."""
    common = _dtype.promote_types(x1.dtype, x2.dtype)
    if not common.is_floating_point:
        raise RuntimeError(
            f"expected common dtype to be floating point, yet common dtype is {_dtype.legacy_name(common)}"
        )
    x1, x2 = x1.to(common), x2.to(common)
    x1, x2 = broadcast_tensors(x1, x2)
    n1 = _clamped_below(x1.norm(2, dim, keepdim=True), eps)
    n2 = _clamped_below(x2.norm(2, dim, keepdim=True), eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def pdist(input: Tensor, p: float = 2.0) -> Tensor:
    """||x_i - x_j||_p for every pair of rows i < j of the (N, M) ``input``, in row-major order of (i, j)."""
    if input.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D")
    if not input.dtype.is_floating_point:
        raise RuntimeError("pdist only supports floating-point dtypes")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    i, j = np.triu_indices(input.shape[0], 1)
    rows_i = input.index_select(0, Tensor._make(i.astype(np.int64)))
    rows_j = input.index_select(0, Tensor._make(j.astype(np.int64)))
    return (rows_i - rows_j).norm(p, 1)
