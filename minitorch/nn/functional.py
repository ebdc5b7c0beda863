"""Functional forms of the layers and losses (``minitorch.nn.functional``, imported as ``F``)."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from minitorch.tensor import Tensor

_REDUCTIONS = ("none", "mean", "sum")


def _check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _legacy_softmax_dim(ndim: int, name: str) -> int:
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as an argument.",
        stacklevel=3,
    )
    return 0 if ndim in (0, 1, 3) else 1


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0)."""
    return input.relu_() if inplace else input.relu()


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """exp(x_i) / sum_j exp(x_j) along ``dim``."""
    if dim is None:
        dim = _legacy_softmax_dim(input.ndim, "softmax")
    return input.softmax(dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """x_i - log(sum_j exp(x_j)) along ``dim``."""
    if dim is None:
        dim = _legacy_softmax_dim(input.ndim, "log_softmax")
    return input.log_softmax(dim, dtype=dtype)


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


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: Any = None,
             ignore_index: int = -100, reduce: Any = None, reduction: str = "mean") -> Tensor:
    """loss_n = -w[y_n] * input[n, y_n]; 'mean' divides the sum by sum_n w[y_n] over non-ignored targets."""
    _check_reduction(reduction)
    _check_class_target(input, target, "nll_loss")
    squeeze = input.ndim == 1
    if squeeze:
        input, target = input.unsqueeze(0), target.unsqueeze(0)
    n_classes = input.shape[1]
    t = target._data.astype(np.int64)
    ignored = t == ignore_index
    bad = (~ignored) & ((t < 0) | (t >= n_classes))
    if bad.any():
        raise IndexError(f"Target {int(t[bad][0])} is out of bounds.")
    if weight is not None and weight.shape != (n_classes,):
        raise RuntimeError(
            f"weight tensor should be defined either for all {n_classes} classes or no classes but got weight "
            f"tensor of shape: {list(weight.shape)}"
        )
    safe = np.where(ignored, 0, t)
    picked = input.gather(1, Tensor._make(np.expand_dims(safe, 1))).squeeze(1)
    w = (weight._data[safe] if weight is not None else np.ones(safe.shape, input._data.dtype)).astype(input._data.dtype)
    w = np.where(ignored, 0, w).astype(input._data.dtype)
    losses = -picked * Tensor._make(w)
    if reduction == "none":
        return losses.squeeze(0) if squeeze else losses
    if reduction == "sum":
        return losses.sum()
    return losses.sum() / Tensor._make(np.asarray(w.sum(), input._data.dtype))


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: Any = None,
                  ignore_index: int = -100, reduce: Any = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy of logits ``input`` (N, C, ...) against class indices or class probabilities.

    With indices: nll_loss(log_softmax(input, 1), target); with probabilities p:
    -sum_c w_c p_c log_softmax(input)_c. ``label_smoothing`` mixes the target with the uniform
    distribution: (1 - eps) * loss + eps * (-sum_c w_c log_softmax(input)_c / C).
    """
    _check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 0 if input.ndim == 1 else 1
    logp = input.log_softmax(class_dim)
    n_classes = input.shape[class_dim]
    w_shape = [1] * input.ndim
    w_shape[class_dim] = n_classes
    if target.dtype.is_floating_point:
        if target.shape != input.shape:
            raise RuntimeError(
                f"cross_entropy: expected target of shape {list(input.shape)} with class probabilities, got "
                f"{list(target.shape)}"
            )
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / n_classes
        terms = logp * target
        if weight is not None:
            terms = terms * weight.reshape(w_shape)
        losses = -terms.sum(class_dim)
        if reduction == "none":
            return losses
        if reduction == "sum":
            return losses.sum()
        return losses.sum() / max(input.numel() // n_classes, 1) if input.ndim > 1 else losses
    nll = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing == 0:
        return nll
    ignored = Tensor._make(target._data == ignore_index)
    smooth = -(logp * weight.reshape(w_shape)).sum(class_dim) if weight is not None else -logp.sum(class_dim)
    smooth = smooth.masked_fill(ignored, 0.0)
    if reduction == "mean":
        if weight is not None:
            kept = target._data[~ignored._data].astype(np.int64)
            denom = weight._data[kept].sum()
        else:
            denom = (~ignored._data).sum()
        smooth = smooth.sum() / Tensor._make(np.asarray(denom, input._data.dtype))
    elif reduction == "sum":
        smooth = smooth.sum()
    return nll * (1 - label_smoothing) + smooth * (label_smoothing / n_classes)


# ----------------------------------------------------------------------------------------------------------
# linear, activations, dropout, embedding, one_hot, normalize, losses
# ----------------------------------------------------------------------------------------------------------


# ----------------------------------------------------------------------------------------------------------
# convolution, pooling, padding, interpolation
# ----------------------------------------------------------------------------------------------------------


# ----------------------------------------------------------------------------------------------------------
# normalization (batch_norm, layer_norm, group_norm)
# ----------------------------------------------------------------------------------------------------------
