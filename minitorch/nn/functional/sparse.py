"""Lookups by integer index: ``embedding``, ``embedding_bag`` and ``one_hot``."""
from __future__ import annotations

import warnings

import numpy as np

from minitorch import _dtype
from minitorch.ops.embedding import Embedding as _EmbeddingOp
from minitorch.ops.shape import stack
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


def _bag_bounds(input: Tensor, offsets: Tensor | None, include_last_offset: bool) -> tuple:
    """(flat indices, per-bag [start, end) pairs, the 2-D reshape of per-sample weights needed?) of an
    embedding_bag input: (B, L) fixed-length bags, or 1-D indices cut at ``offsets``."""
    idx = input._data
    if input.ndim == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of "
                             f"fixed length sequences. However, found offsets of type {type(offsets)}")
        bags, length = idx.shape
        starts = np.arange(bags) * length
        return idx.reshape(-1), starts, starts + length
    if input.ndim != 1:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.ndim}")
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    if offsets.ndim != 1:
        raise ValueError("offsets has to be a 1D Tensor")
    off = offsets._data.astype(np.int64)
    if off.size and off[0] != 0:
        raise RuntimeError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
                           f"position 0. However, got {int(off[0])}")
    if off.size and off[-1] > idx.size:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {idx.size}, but got offsets[-1] of "
                           f"{int(off[-1])}")
    ends = np.append(off[1:], idx.size)
    if include_last_offset:
        off, ends = off[:-1], off[1:]
    return idx, off, ends


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None, max_norm: float | None = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    """The sum, mean or max of the embedding rows of each bag of indices, without the intermediate (B, L, D).

    Bags are the rows of a 2-D ``input`` or the slices of a 1-D one cut at ``offsets``; ``per_sample_weights``
    scale each row ('sum' only); indices equal to ``padding_idx`` are left out (of the mean's count too);
    empty bags give zeros. sum/mean are one (B, L) weighting matrix times the looked-up rows; max takes
    each bag's elementwise maximum (its gradient goes to the row that gave it).
    """
    if weight.dtype == _dtype.int64 and input.dtype.is_floating_point:
        warnings.warn("Argument order of nn.functional.embedding_bag was changed. Usage `embedding_bag(weight, input, "
                      "...)` is deprecated, and should now be `embedding_bag(input, weight, ...)`.", stacklevel=2)
        weight, input = input, weight
    if per_sample_weights is not None and input.size() != per_sample_weights.size():
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, then it must "
                         f"have the same shape as the input ({input.shape})")
    if weight.ndim != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.ndim}")
    if input.dtype not in (_dtype.int64, _dtype.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {input.dtype} instead (while checking arguments for embedding_bag)")
    idx, starts, ends = _bag_bounds(input, offsets, include_last_offset)
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if sparse:
        raise RuntimeError("embedding_bag: sparse=True needs sparse gradients, which minitorch does not have")
    num = weight.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= num):
        raise IndexError(f"index out of range in self (embedding_bag indices must lie in [0, {num}))")
    if max_norm is not None:
        _embedding_renorm(weight, idx, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(f"embedding_bag: per_sample_weights was not None. per_sample_weights is only supported "
                                  f"for mode='sum' (got mode='{mode}'). Please open a feature request on GitHub.")
    if padding_idx is not None:
        if not -num <= padding_idx < num:
            raise AssertionError("padding_idx must be within the number of embeddings")
        padding_idx %= num
    keep = np.ones(idx.size, bool) if padding_idx is None else idx != padding_idx
    rows = _EmbeddingOp.apply(weight, idx.astype(np.intp), None, bool(scale_grad_by_freq))
    dt = weight._data.dtype
    if mode == "max":
        out = []
        for s, e in zip(starts, ends):
            members = np.nonzero(keep[s:e])[0] + s
            if members.size:
                out.append(rows.index_select(0, Tensor._make(members.astype(np.int64))).max(0)[0])
            else:
                out.append(Tensor._make(np.zeros(weight.shape[1], dt)))
        return stack(out) if out else Tensor._make(np.zeros((0, weight.shape[1]), dt))
    member = np.zeros((len(starts), idx.size), dt)
    for b, (s, e) in enumerate(zip(starts, ends)):
        member[b, s:e] = keep[s:e]
        if mode == "mean":
            count = member[b].sum()
            member[b] /= max(count, 1)
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.reshape((-1, 1))
    return Tensor._make(member).matmul(rows)
