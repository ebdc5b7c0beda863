"""Loss functions: cross-entropy and nll, regression losses (mse, l1, smooth l1, huber), binary
cross-entropy and KL divergence, with torch's reductions and argument checks."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch.ops import Softplus
from minitorch.ops.loss import BinaryCrossEntropy as _BCEOp
from minitorch.ops.loss import CrossEntropy as _CrossEntropyOp
from minitorch.ops.loss import CrossEntropyIndex as _CrossEntropyIndexOp
from minitorch._tensor import Tensor

_REDUCTIONS = ("none", "mean", "sum")


def _check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _legacy_reduction(size_average: Any, reduce: Any) -> str:
    """torch's mapping of the deprecated ``size_average``/``reduce`` flags to a reduction string."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    ret = "mean" if size_average and reduce else "sum" if reduce else "none"
    warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{ret}' instead.",
                  stacklevel=3)
    return ret


def _reduction(size_average: Any, reduce: Any, reduction: str) -> str:
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    _check_reduction(reduction)
    return reduction


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.mean()


def _warn_target_size(input: Tensor, target: Tensor) -> None:
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.size()}) that is different to the input size ({input.size()}). "
            "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.",
            stacklevel=3,
        )


def _check_loss_weight(weight: Tensor | None, input: Tensor) -> None:
    if weight is not None and weight.shape != input.shape:
        raise ValueError(
            f"Weights and input must have the same size: got weight {list(weight.shape)} and input {list(input.shape)}."
        )


def _check_class_target(input: Tensor, target: Tensor, name: str) -> None:
    if target.dtype.is_floating_point:
        raise RuntimeError(
            f"{name}: expected target of dtype int64 (class indices) but found {target.dtype}"
        )
    if input.ndim < 1 or input.ndim - 1 != target.ndim:
        raise ValueError(
            f"{name}: expected input of shape (N, C, d1, ...) and target of shape (N, d1, ...), got input "
            f"{list(input.shape)} and target {list(target.shape)}"
        )
    batch_in = input.shape[:1] + input.shape[2:] if input.ndim > 1 else ()
    if input.ndim > 1 and input.shape[0] != target.shape[0]:
        raise ValueError(
            f"Expected input batch_size ({input.shape[0]}) to match target batch_size ({target.shape[0]})."
        )
    if tuple(batch_in) != tuple(target.shape):
        raise RuntimeError(f"{name}: expected target size {list(batch_in)}, got {list(target.shape)}")


def _class_indices(target: Tensor, n_classes: int, ignore_index: int, weight: Tensor | None) -> tuple:
    """Validated class indices: (indices with ignored entries set to 0, the ignored mask or None if none is)."""
    t = target._data if target._data.dtype == np.int64 else target._data.astype(np.int64)
    ignored = None
    if t.size:
        lo, hi = t.min(), t.max()
        if not (0 <= lo and hi < n_classes and not lo <= ignore_index <= hi):  # else: all valid, none ignored
            ignored = t == ignore_index
            bad = (~ignored) & ((t < 0) | (t >= n_classes))
            if bad.any():
                raise IndexError(f"Target {int(t[bad][0])} is out of bounds.")
            if ignored.any():
                t = np.where(ignored, 0, t)
            else:
                ignored = None
    if weight is not None and weight.shape != (n_classes,):
        raise RuntimeError(
            f"weight tensor should be defined either for all {n_classes} classes or no classes but got weight "
            f"tensor of shape: {list(weight.shape)}"
        )
    return t, ignored


def _sample_weights(safe: np.ndarray, ignored: np.ndarray | None, weight: Tensor | None, dt: np.dtype) -> np.ndarray:
    """w_n = weight[y_n] (1 without weights), 0 where the target is ignored."""
    w = weight._data.astype(dt)[safe] if weight is not None else np.ones(safe.shape, dt)
    if ignored is not None:
        w[ignored] = 0
    return w


def _weighted_mean(total: Any, denom: Any) -> Tensor:
    """``total(1 / denom)``: a sum whose weights were divided by ``denom``; NaN (with zero gradient) when
    ``denom`` is 0, as torch returns for a batch whose targets are all ignored."""
    if denom != 0:
        return total(denom.dtype.type(1) / denom)
    out = total(denom.dtype.type(0))
    return out + Tensor._make(np.asarray(np.nan, out._data.dtype))


def _index_distribution(input: Tensor, target: Tensor, weight: Tensor | None, ignore_index: int,
                        label_smoothing: float) -> tuple:
    """The target distribution q (shaped like ``input``, classes on dim 1) of class indices, and sum_n w[y_n].

    q_nc = (1 - eps) w[y_n] [c = y_n] + eps w_c / C, and q_n = 0 where y_n == ignore_index.
    """
    n_classes = input.shape[1]
    safe, ignored = _class_indices(target, n_classes, ignore_index, weight)
    dt = input._data.dtype
    w = weight._data.astype(dt) if weight is not None else np.ones(n_classes, dt)
    picked = _sample_weights(safe, ignored, weight, dt)
    q = np.zeros(input.shape, dt)
    np.put_along_axis(q, np.expand_dims(safe, 1), np.expand_dims(picked * dt.type(1 - label_smoothing), 1), axis=1)
    if label_smoothing > 0:
        spread = (w * dt.type(label_smoothing / n_classes)).reshape((1, n_classes) + (1,) * (input.ndim - 2))
        q += spread if ignored is None else spread * np.expand_dims(~ignored, 1)
    return q, picked.sum()


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: Any = None,
             ignore_index: int = -100, reduce: Any = None, reduction: str = "mean") -> Tensor:
    """loss_n = -w[y_n] * input[n, y_n]; 'mean' divides the sum by sum_n w[y_n] over non-ignored targets."""
    reduction = _reduction(size_average, reduce, reduction)
    _check_class_target(input, target, "nll_loss")
    squeeze = input.ndim == 1
    if squeeze:
        input, target = input.unsqueeze(0), target.unsqueeze(0)
    safe, ignored = _class_indices(target, input.shape[1], ignore_index, weight)
    picked = input.gather(1, Tensor._make(np.expand_dims(safe, 1))).squeeze(1)
    w = _sample_weights(safe, ignored, weight, input._data.dtype)
    if reduction == "mean":
        return _weighted_mean(lambda scale: (-picked * Tensor._make(w * scale)).sum(), w.sum())
    losses = -picked * Tensor._make(w)
    if reduction == "none":
        return losses.squeeze(0) if squeeze else losses
    return losses.sum()


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: Any = None,
                  ignore_index: int = -100, reduce: Any = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy of logits ``input`` (N, C, d1, ...) or (C,) against class indices or class probabilities.

    One fused, stable op computes loss_n = -sum_c q_nc log_softmax(input)_nc for the target
    distribution q: with indices y, q_n = (1 - eps) w[y_n] onehot(y_n) + eps w / C (zero for
    ``ignore_index``); with probabilities p, q_n = w ((1 - eps) p_n + eps / C); eps is
    ``label_smoothing``. 'mean' divides by sum_n w[y_n] over kept indices, or by the number of
    samples for probabilities.
    """
    reduction = _reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(
            f'"log_softmax_lastdim_kernel_impl" not implemented for \'{_dtype.legacy_name(input.dtype)}\''
        )
    if not target.dtype.is_floating_point and target.dtype not in (_dtype.int64, _dtype.uint8):
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {_dtype.legacy_name(target.dtype)}"
        )
    class_dim = 0 if input.ndim == 1 else 1
    n_classes = input.shape[class_dim]
    if target.dtype.is_floating_point:
        if target.shape != input.shape:
            raise RuntimeError(
                f"cross_entropy: expected target of shape {list(input.shape)} with class probabilities, got "
                f"{list(target.shape)}"
            )
        if target.dtype != input.dtype:
            common = _dtype.promote_types(input.dtype, target.dtype)
            input, target = input.to(common), target.to(common)
        q = target * (1 - label_smoothing) + label_smoothing / n_classes if label_smoothing > 0 else target
        if weight is not None:
            w_shape = [1] * input.ndim
            w_shape[class_dim] = n_classes
            q = q * weight.reshape(w_shape)
        losses = _CrossEntropyOp.apply(input, q, class_dim)
        if reduction == "mean":
            return losses.sum() / max(input.numel() // n_classes, 1)
        return _reduce(losses, reduction)
    _check_class_target(input, target, "cross_entropy")
    batched = input.ndim > 1
    x, t = (input, target) if batched else (input.unsqueeze(0), target.unsqueeze(0))
    if label_smoothing == 0:  # one-hot targets: the fused op reads the class indices directly
        safe, ignored = _class_indices(t, n_classes, ignore_index, weight)
        dt = x._data.dtype
        if weight is None and ignored is None and safe.size:  # every sample weighs 1: a scalar, no (N,) array
            w, total = dt.type(1), dt.type(safe.size)
        else:
            w = _sample_weights(safe, ignored, weight, dt)
            total = w.sum()
        if reduction == "mean":
            return _weighted_mean(lambda scale: _CrossEntropyIndexOp.apply(x, safe, w * scale).sum(), total)
        losses = _CrossEntropyIndexOp.apply(x, safe, w)
        if reduction == "none":
            return losses if batched else losses.squeeze(0)
        return losses.sum()
    q, denom = _index_distribution(x, t, weight, ignore_index, label_smoothing)
    if reduction == "mean":
        return _weighted_mean(lambda scale: _CrossEntropyOp.apply(x, Tensor._make(q * scale), 1).sum(), denom)
    losses = _CrossEntropyOp.apply(x, Tensor._make(q), 1)
    if reduction == "none":
        return losses if batched else losses.squeeze(0)
    return losses.sum()


def mse_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None, reduction: str = "mean",
             weight: Tensor | None = None) -> Tensor:
    """(x - y)^2, reduced; with ``weight``, 'mean' is sum(w (x - y)^2) / sum(w)."""
    reduction = _reduction(size_average, reduce, reduction)
    _warn_target_size(input, target)
    _check_loss_weight(weight, input)
    diff = input - target
    loss = diff * diff
    if weight is None:
        return _reduce(loss, reduction)
    loss = loss * weight
    return loss.sum() / weight.sum() if reduction == "mean" else _reduce(loss, reduction)


def l1_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None, reduction: str = "mean",
            weight: Tensor | None = None) -> Tensor:
    """|x - y|, reduced; with ``weight``, 'mean' is sum(w |x - y|) / sum(w)."""
    reduction = _reduction(size_average, reduce, reduction)
    _warn_target_size(input, target)
    _check_loss_weight(weight, input)
    loss = (input - target).abs()
    if weight is None:
        return _reduce(loss, reduction)
    loss = loss * weight
    return loss.sum() / weight.sum() if reduction == "mean" else _reduce(loss, reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (d = x - y); beta = 0 is the L1 loss."""
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    _warn_target_size(input, target)
    diff = input - target
    absdiff = diff.abs()
    if beta == 0:
        return _reduce(absdiff, reduction)
    loss = (diff * diff * (0.5 / beta)).where(absdiff < beta, absdiff - 0.5 * beta)
    return _reduce(loss, reduction)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta) (d = x - y), optionally weighted."""
    _check_reduction(reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    _warn_target_size(input, target)
    _check_loss_weight(weight, input)
    diff = input - target
    absdiff = diff.abs()
    loss = (diff * diff * 0.5).where(absdiff < delta, (absdiff - 0.5 * delta) * delta)
    return _reduce(loss if weight is None else loss * weight, reduction)


def _check_unit_interval(t: Tensor, what: str) -> None:
    data = t._data
    if not np.all((data >= 0) & (data <= 1)):
        raise RuntimeError(f"all elements of {what} should be between 0 and 1")


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: Any = None,
                         reduce: Any = None, reduction: str = "mean") -> Tensor:
    """-w (y log x + (1 - y) log(1 - x)) for probabilities x, with the logs clamped at -100 like torch."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.size()}) that is different to the input size ({input.size()}) is "
            "deprecated. Please ensure they have the same size."
        )
    if target.dtype != input.dtype:
        raise RuntimeError(
            f"Found dtype {_dtype.legacy_name(target.dtype)} but expected {_dtype.legacy_name(input.dtype)}"
        )
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"binary_cross_entropy\" not implemented for '{_dtype.legacy_name(input.dtype)}'")
    _check_unit_interval(input, "input")
    _check_unit_interval(target, "target")
    loss = _BCEOp.apply(input, target)
    if weight is not None:
        loss = loss * weight.to(input.dtype)
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average: Any = None, reduce: Any = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """-w (p y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))), computed stably as
    (1 - y) x + (1 + (p - 1) y) softplus(-x) (p = ``pos_weight``, broadcast over the last dim)."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.size()}) must be the same as input size ({input.size()})")
    if target.dtype is _dtype.bool_:
        raise NotImplementedError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
            "`logical_xor()` operator instead."
        )
    if not target.dtype.is_floating_point:
        result = _dtype.legacy_name(_dtype.promote_types(input.dtype, target.dtype))
        raise RuntimeError(f"result type {result} can't be cast to the desired output type "
                           f"{_dtype.legacy_name(target.dtype)}")
    log_sigmoid_neg = Softplus.apply(-input, 1.0, float("inf"))
    if pos_weight is not None:
        log_sigmoid_neg = log_sigmoid_neg * ((pos_weight - 1) * target + 1)
    loss = (1 - target) * input + log_sigmoid_neg
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def kl_div(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """KL(target || exp(input)) point-wise: y (log y - x), or exp(y) (y - x) with ``log_target``.

    'batchmean' divides the sum by the batch size (the true KL divergence per sample).
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    elif reduction == "mean":
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' "
            "divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed to "
            "behave the same as 'batchmean' in the next major release.",
            stacklevel=2,
        )
    if reduction != "batchmean":
        _check_reduction(reduction)
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = target.where(target > 0, 1.0).log() * target - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.ndim else loss.sum()
    return _reduce(loss, reduction)
