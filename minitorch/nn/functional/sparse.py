"""Lookups by integer index: ``embedding`` and ``one_hot``."""
from __future__ import annotations

import numpy as np

from minitorch import _dtype
from minitorch.ops.embedding import Embedding as _EmbeddingOp
from minitorch._tensor import Tensor


def _embedding_renorm(weight: Tensor, indices: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Rescale, in place, the looked-up rows of ``weight`` whose ``norm_type``-norm exceeds ``max_norm``."""
    rows = np.unique(indices)
    w = weight._data
    norms = np.linalg.norm(w[rows], ord=norm_type, axis=1)
    big = norms > max_norm
    if big.any():
        w[rows[big]] *= (max_norm / (norms[big] + 1e-7))[:, None].astype(w.dtype)
        weight._vc[0] += 1


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of ``weight`` picked by the integer tensor ``input``: out[..., :] = weight[input[...], :].

    ``padding_idx`` rows get no gradient; ``max_norm`` renormalises the looked-up rows in place
    first; ``scale_grad_by_freq`` divides each row's gradient by its count in the batch.
    """
    if input.dtype not in (_dtype.int64, _dtype.int32):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but "
            f"got {input.dtype} instead (while checking arguments for embedding)"
        )
    if weight.ndim != 2:
        raise RuntimeError(f"embedding: 'weight' must be 2-D (num_embeddings, embedding_dim), got {list(weight.shape)}")
    if sparse:
        raise RuntimeError("embedding: sparse=True needs sparse gradients, which minitorch does not have")
    num = weight.shape[0]
    if padding_idx is not None:
        if not -num <= padding_idx < num:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx = padding_idx % num
    idx = input._data
    if idx.size and (idx.min() < 0 or idx.max() >= num):
        raise IndexError(
            f"index out of range in self (embedding indices must lie in [0, {num}), got "
            f"{int(idx.min()) if idx.min() < 0 else int(idx.max())})"
        )
    if max_norm is not None:
        _embedding_renorm(weight, idx, max_norm, norm_type)
    return _EmbeddingOp.apply(weight, idx.astype(np.intp, copy=False), padding_idx, bool(scale_grad_by_freq))


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """An int64 tensor of shape (*, num_classes) with 1 at each index of ``tensor`` (-1: max + 1 classes)."""
    if tensor.dtype != _dtype.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    idx = tensor._data
    if num_classes == -1:
        if idx.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(idx.max()) + 1
    if idx.size and idx.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if idx.size and idx.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return Tensor._make((idx[..., None] == np.arange(num_classes)).astype(np.int64))
