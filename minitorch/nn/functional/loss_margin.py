"""Margin, embedding and likelihood losses: margin ranking, hinge and cosine embedding, triplet margin (with a
distance function), soft margin and multilabel soft margin, multilabel margin, multi margin, Poisson and Gaussian
negative log-likelihood, and the CTC loss. Each but CTC is composed from Tensor ops with the formula of torch's kernel, so its gradient is
the kernel's; argument checks and reductions are torch's."""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.autograd import is_grad_enabled
from minitorch.nn.functional.activation import logsigmoid
from minitorch.nn.functional.distance import _clamped_below, pairwise_distance
from minitorch.nn.functional.loss import _check_reduction, _legacy_reduction, _reduce, _reduction
from minitorch.ops.ctc import CtcLoss as _CtcOp


def _const(a: Any, like: Tensor) -> Tensor:
    return Tensor._make(np.asarray(a, dtype=like._data.dtype))


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0, size_average: Any = None,
                        reduce: Any = None, reduction: str = "mean") -> Tensor:
    """max(0, -y (x1 - x2) + margin) (margin a float, so integer inputs give a float loss)."""
    reduction = _reduction(size_average, reduce, reduction)
    if input1.ndim != input2.ndim or input1.ndim != target.ndim:
        raise RuntimeError(
            "margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: "
            f"{input1.size()}, input2: {input2.size()}, target: {target.size()} "
        )
    return _reduce((-target * (input1 - input2) + float(margin)).clamp_min(0), reduction)  # a double, as in aten


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, size_average: Any = None,
                         reduce: Any = None, reduction: str = "mean") -> Tensor:
    """x where y = 1, max(0, margin - x) where y = -1 (torch adds both terms for other targets)."""
    reduction = _reduction(size_average, reduce, reduction)
    t = target._data
    zero = _const(0, input)
    margin_part = (margin - input).clamp_min(0).where(Tensor._make(np.asarray(t != 1)), zero)
    self_part = input.where(Tensor._make(np.asarray(t != -1)), zero)
    return _reduce(margin_part + self_part, reduction)


def soft_margin_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
                     reduction: str = "mean") -> Tensor:
    """log(1 + exp(-y x))."""
    reduction = _reduction(size_average, reduce, reduction)
    _not_differentiable("soft_margin_loss", "target", target)
    return _reduce((-input * target).exp().log1p(), reduction)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: Any = None,
                                reduce: Any = None, reduction: str = "mean") -> Tensor:
    """-mean_c w_c (y_c log sigmoid(x_c) + (1 - y_c) log sigmoid(-x_c)), per sample."""
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.ndim - 1
    loss = loss.sum(class_dim) / input.shape[class_dim]
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    return _reduce(loss, reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0, size_average: Any = None,
                          reduce: Any = None, reduction: str = "mean") -> Tensor:
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1 (cos with 1e-12 in each norm)."""
    reduction = _reduction(size_average, reduce, reduction)
    d = target.ndim
    if d not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if d == 1 and not (input1.ndim == 2 and input2.ndim == 2):
        raise RuntimeError(f"1D target tensor expects 2D input tensors, but found inputs with sizes "
                           f"{list(input1.shape)} and {list(input2.shape)}.")
    if d == 0 and not (input1.ndim == 1 and input2.ndim == 1):
        raise RuntimeError(f"0D target tensor expects 1D input tensors, but found inputs with sizes "
                           f"{list(input1.shape)} and {list(input2.shape)}.")
    prod = (input1 * input2).sum(d)
    mag1 = (input1 * input1).sum(d) + 1e-12
    mag2 = (input2 * input2).sum(d) + 1e-12
    cos = prod / (mag1 * mag2).sqrt()
    zero = _const(0, cos)
    t = target._data
    pos = (1 - cos).where(Tensor._make(np.asarray(t == 1)), zero)
    neg = (cos - margin).clamp_min(0).where(Tensor._make(np.asarray(t == -1)), zero)
    return _reduce(pos + neg, reduction)


def _check_triplet_dims(anchor: Tensor, positive: Tensor, negative: Tensor) -> None:
    a, p, n = anchor.ndim, positive.ndim, negative.ndim
    if not a == p == n:
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number of dimensions, but "
            f"got: anchor {a}D, positive {p}D, and negative {n}D inputs"
        )


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average: Any = None, reduce: Any = None,
                        reduction: str = "mean") -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)) with d the pairwise p-distance (``swap``: d(a, n) -> min(d(a, n), d(p, n)))."""
    reduction = _reduction(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    _check_triplet_dims(anchor, positive, negative)
    dist_pos = pairwise_distance(anchor, positive, p, eps)
    dist_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        dist_neg = dist_neg.minimum(pairwise_distance(positive, negative, p, eps))
    return _reduce((dist_pos - dist_neg + margin).clamp_min(0), reduction)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function: Callable | None = None, margin: float = 1.0,
                                      swap: bool = False, reduction: str = "mean") -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)) for any ``distance_function`` d (pairwise_distance by default)."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    _check_triplet_dims(anchor, positive, negative)
    dist = distance_function if distance_function is not None else pairwise_distance
    dist_pos, dist_neg = dist(anchor, positive), dist(anchor, negative)
    if swap:
        dist_neg = dist_neg.minimum(dist(positive, negative))
    return _reduce((dist_pos - dist_neg + margin).clamp_min(0), reduction)


def _long_target(target: Tensor) -> None:
    if target.dtype != _dtype.int64:
        raise RuntimeError(f"expected scalar type Long but found {_dtype.legacy_name(target.dtype)}")


def _not_differentiable(fn: str, name: str, t: Tensor | None) -> None:
    """torch's refusal of a gradient its kernel does not define."""
    if t is not None and t.requires_grad and is_grad_enabled():
        raise RuntimeError(f"The function '{fn}' is not differentiable with respect to argument '{name}'. This input "
                           "cannot have requires_grad True.")


def _margin_frame(input: Tensor) -> tuple:
    """(number of samples, number of classes) of a multi-margin input: (C,), (N, C) or a scalar."""
    nd = input.ndim
    if not (nd == 2 and input.shape[1] != 0 or nd == 1 and input.shape[0] != 0 or nd == 0):
        raise RuntimeError(
            f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: {list(input.shape)}"
        )
    if nd <= 1:
        return 1, 1 if nd == 0 else input.shape[0]
    return input.shape[0], input.shape[1]


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0, weight: Tensor | None = None,
                      size_average: Any = None, reduce: Any = None, reduction: str = "mean") -> Tensor:
    """sum_{i != y} w_y max(0, margin - x_y + x_i)^p / C per sample (p = 1 or 2)."""
    reduction = _reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.ndim != 1:
        raise ValueError("weight must be one-dimensional")
    _not_differentiable("multi_margin_loss", "weight", weight)
    nframe, dim = _margin_frame(input)
    if target.ndim > 1 or target.numel() != nframe:
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of input samples (batch "
            f"size). Expected target size [{nframe}], but got {list(target.shape)}. Input has shape "
            f"{list(input.shape)}."
        )
    if weight is not None and (weight.ndim > 1 or weight.numel() != dim):
        raise RuntimeError(f"inconsistent weight size, expected {dim} but got {list(weight.shape)}")
    _long_target(target)
    t = target._data.reshape(nframe).astype(np.int64)
    if t.size and (t.min() < 0 or t.max() >= dim):
        raise RuntimeError("target out of range")
    x = input.reshape((nframe, dim))
    picked = x.gather(1, Tensor._make(t[:, None]))
    h = (x - picked + margin).relu()
    if p == 2:
        h = h * h
    if weight is not None:
        h = h * weight.index_select(0, Tensor._make(t)).unsqueeze(1)
    others = _const(np.arange(dim)[None, :] != t[:, None], input)
    loss = (h * others).sum(1) / dim
    if reduction == "none":
        return loss if target.ndim > 0 else loss.reshape(())
    return _reduce(loss, reduction)


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
                           reduction: str = "mean") -> Tensor:
    """sum_{j target, i not target} max(0, 1 - (x_j - x_i)) / C per sample; the targets of a sample are its
    class indices before the first -1."""
    reduction = _reduction(size_average, reduce, reduction)
    nframe, dim = _margin_frame(input)
    if input.ndim <= 1:
        if target.ndim > 1 or target.numel() != dim:
            raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: {list(input.shape)}")
    elif target.ndim != 2 or tuple(target.shape) != (nframe, dim):
        raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: {list(input.shape)}")
    _long_target(target)
    t = target._data.reshape(nframe, dim).astype(np.int64)
    if t.size and (t.min() < -1 or t.max() >= dim):
        raise RuntimeError("argument #2 'target' is out of range")
    valid = np.cumprod(t >= 0, axis=1).astype(bool)  # the targets before the first -1
    safe = np.where(valid, t, 0)
    is_target = np.zeros((nframe, dim), bool)
    rows = np.repeat(np.arange(nframe), dim)
    is_target[rows[valid.ravel()], safe.ravel()[valid.ravel()]] = True
    pairs = valid[:, :, None] & ~is_target[:, None, :]
    x = input.reshape((nframe, dim))
    picked = x.gather(1, Tensor._make(safe))
    z = (x.unsqueeze(1) - picked.unsqueeze(2) + 1).relu()
    loss = (z * _const(pairs, input)).sum((1, 2)) / dim
    if reduction == "none":
        return loss if target.ndim > 1 else loss.reshape(())
    return _reduce(loss, reduction)


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average: Any = None, eps: float = 1e-8, reduce: Any = None,
                     reduction: str = "mean") -> Tensor:
    """exp(x) - y x (``log_input``) or x - y log(x + eps), plus Stirling's y log y - y + log(2 pi y) / 2 for
    y > 1 with ``full``."""
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not a valid value for reduction")
    loss = input.exp() - target * input if log_input else input - target * (input + eps).log()
    if full:
        big = Tensor._make(np.asarray(target._data > 1))
        safe_t = target.where(big, _const(2, target))
        stirling = safe_t * safe_t.log() - safe_t + (safe_t * (2 * math.pi)).log() * 0.5
        loss = loss + stirling.where(big, _const(0, stirling))
    return _reduce(loss, reduction)


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Any, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    """(log(max(var, eps)) + (x - y)^2 / max(var, eps)) / 2 (+ log(2 pi) / 2 with ``full``).

    ``var`` is a float, a tensor shaped like ``input``, one missing its last dim, or one with a single
    dimension of size 1 where ``input``'s is not.
    """
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = Tensor._make(np.full(input.shape, var, input._data.dtype))
    elif np.any(var._data < 0):
        raise ValueError("var has negative entry/entries")
    if var.shape != input.shape:
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)
        elif input.ndim == var.ndim and sum(y for x, y in zip(input.shape, var.shape) if x != y) == 1:
            pass
        else:
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    var = _clamped_below(var, eps)
    diff = input - target
    loss = (var.log() + diff * diff / var) * 0.5
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)



def _lengths(value: Any, name: str) -> np.ndarray:
    data = value._data if isinstance(value, Tensor) else np.asarray(value)
    if data.dtype.kind not in "iu":
        raise RuntimeError(f"{name} must be integral, got {data.dtype}")
    return data.astype(np.int64).reshape(-1)


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths: Any, target_lengths: Any, blank: int = 0,
             reduction: str = "mean", zero_infinity: bool = False) -> Tensor:
    """The connectionist temporal classification loss of log-probabilities (T, N, C) (or (T, C) unbatched)
    against targets (N, S) padded, or concatenated (sum(target_lengths),).

    'mean' divides each sample's loss by its target length (at least 1) and averages over the batch;
    ``zero_infinity`` zeroes infinite losses (impossible alignments) and their gradients.
    """
    _check_reduction(reduction)
    if not log_probs.dtype.is_floating_point:
        raise NotImplementedError(f"\"ctc_loss_cpu\" not implemented for '{_dtype.legacy_name(log_probs.dtype)}'")
    if targets.dtype not in (_dtype.int64, _dtype.int32):
        raise RuntimeError(f"ctc_loss: expected targets of dtype Long or Int, but got {_dtype.legacy_name(targets.dtype)}")
    batched = log_probs.ndim == 3
    if log_probs.ndim not in (2, 3):
        raise RuntimeError(f"ctc_loss: expected log_probs to be 2-D or 3-D, but got {log_probs.ndim}-D")
    lp = log_probs if batched else log_probs.unsqueeze(1)
    steps, batch, classes = lp.shape
    if not 0 <= blank < classes:
        raise RuntimeError("blank must be in label range")
    in_len, tg_len = _lengths(input_lengths, "input_lengths"), _lengths(target_lengths, "target_lengths")
    if len(in_len) != batch:
        raise RuntimeError("input_lengths must be of size batch_size")
    if len(tg_len) != batch:
        raise RuntimeError("target_lengths must be of size batch_size")
    t = targets._data.astype(np.int64)
    if not batched and t.ndim == 1 and len(tg_len) == 1 and t.shape[0] >= tg_len[0]:
        t = t[None, :]
    for n in range(batch):
        if in_len[n] > steps or in_len[n] < 0:
            raise RuntimeError(f"Expected input_lengths to have value at most {steps}, but got value {int(in_len[n])} "
                               "(while checking arguments for ctc_loss_cpu)")
        if tg_len[n] < 0:
            raise RuntimeError(f"Expected tensor to have size at least 0, but got target length {int(tg_len[n])}")
    if t.ndim == 1:
        if t.shape[0] < tg_len.sum():
            raise RuntimeError(f"Expected tensor to have size at least {int(tg_len.sum())} at dimension 0, but got "
                               f"size {t.shape[0]} for argument #2 'targets' (while checking arguments for ctc_loss_cpu)")
        starts = np.concatenate([[0], np.cumsum(tg_len)[:-1]])
        seqs = [t[s:s + k] for s, k in zip(starts, tg_len)]
    else:
        if batch and t.shape[1] < tg_len.max(initial=0):
            raise RuntimeError(f"Expected tensor to have size at least {int(tg_len.max())} at dimension 1, but got size "
                               f"{t.shape[1]} for argument #2 'targets' (while checking arguments for ctc_loss_cpu)")
        seqs = [t[n, :k] for n, k in enumerate(tg_len)]
    for seq in seqs:
        if seq.size and (seq.min() < 0 or seq.max() >= classes):
            raise RuntimeError(f"ctc_loss: target index out of range [0, {classes})")
    loss = _CtcOp.apply(lp, seqs, [int(v) for v in in_len], blank, zero_infinity)
    if reduction == "mean":
        return (loss / Tensor._make(np.maximum(tg_len, 1).astype(loss._data.dtype))).mean()
    if reduction == "sum":
        return loss.sum()
    return loss if batched else loss.squeeze(0)
