"""Functional forms of the layers and losses (``minitorch.nn.functional``, imported as ``F``)."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch import random as _random
from minitorch.ops import activation as _act
from minitorch.ops.embedding import Embedding as _EmbeddingOp
from minitorch.ops.linear import Linear as _LinearOp
from minitorch.ops.loss import BinaryCrossEntropy as _BCEOp
from minitorch.ops.loss import CrossEntropy as _CrossEntropyOp
from minitorch.ops.loss import CrossEntropyIndex as _CrossEntropyIndexOp
from minitorch._tensor import Tensor
from minitorch.autograd.inplace import run_inplace

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


# ----------------------------------------------------------------------------------------------------------
# linear, activations, dropout, embedding, one_hot, normalize, losses
# ----------------------------------------------------------------------------------------------------------


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


def _in_place(input: Tensor, inplace: bool, fn: Any) -> Tensor:
    """``fn(input)``, or its result written into ``input`` (with torch's in-place autograd rules)."""
    return run_inplace(input, fn) if inplace else fn(input)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = input @ weight^T + bias over the last dim of ``input``, as one fused op."""
    if input.ndim == 0 or weight.ndim == 0:
        raise RuntimeError(
            f"both arguments to linear need to be at least 1D, but they are {input.ndim}D and {weight.ndim}D"
        )
    if weight.ndim == 1 and bias is None:
        return input.matmul(weight)
    if weight.ndim != 2:
        raise RuntimeError(
            f"linear: weight must be a matrix (or a vector when there is no bias), got shape {list(weight.shape)}"
        )
    if input.shape[-1] != weight.shape[1]:
        rows = input.numel() // input.shape[-1] if input.ndim > 1 and input.shape[-1] else 1
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{input.shape[-1]} and "
            f"{weight.shape[1]}x{weight.shape[0]})"
        )
    if input.dtype != weight.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {input.dtype} != {weight.dtype}"
        )
    if bias is not None:
        if bias.dtype != input.dtype:
            raise RuntimeError(
                f"linear: bias has dtype {bias.dtype} but input and weight have dtype {input.dtype}"
            )
        if bias.shape not in ((weight.shape[0],), (1,), ()):
            raise RuntimeError(
                f"linear: bias of shape {list(bias.shape)} does not match out_features={weight.shape[0]} "
                f"(weight {list(weight.shape)})"
            )
    return _LinearOp.apply(input, weight, bias)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x if x > 0 else negative_slope * x."""
    return _in_place(input, inplace, lambda x: _act.LeakyRelu.apply(x, float(negative_slope)))


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x if x > 0 else alpha * (exp(x) - 1)."""
    return _in_place(input, inplace, lambda x: _act.Elu.apply(x, float(alpha)))


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x) (Phi the standard normal CDF), or its tanh approximation with ``approximate='tanh'``."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _act.Gelu.apply(input, approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x) (the swish activation)."""
    return _in_place(input, inplace, _act.Silu.apply)


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + exp(-x))."""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """The hyperbolic tangent."""
    return input.tanh()


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta x)) / beta, reverting to x where beta x > threshold."""
    return _act.Softplus.apply(input, float(beta), float(threshold))


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """x clamped to [min_val, max_val]."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _in_place(input, inplace, lambda x: _act.Hardtanh.apply(x, min_val, max_val))


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _apply_mask(input: Tensor, p: float, mask_shape: tuple, inplace: bool) -> Tensor:
    """Multiply by a 0/1 keep-mask of ``mask_shape`` scaled by 1 / (1 - p) (inverted dropout)."""
    if p < 1 and not input.dtype.is_floating_point:
        raise RuntimeError(
            f"result type Float can't be cast to the desired output type {_dtype.legacy_name(input.dtype)}"
        )
    dt = input._data.dtype
    keep = _random._rng().random(mask_shape, dtype=dt if dt in (np.float32, np.float64) else np.float64) >= p
    mask = keep.astype(dt)
    if p < 1:
        mask *= dt.type(1.0 / (1.0 - p))
    mask_t = Tensor._make(mask)
    return input.mul_(mask_t) if inplace else input * mask_t


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability p and scale the rest by 1 / (1 - p); identity when not training."""
    _check_p(p)
    if not training or p == 0 or input.numel() == 0:
        return input
    return _apply_mask(input, p, input.shape, inplace)


def _feature_dropout(input: Tensor, p: float, training: bool, inplace: bool, batched: bool) -> Tensor:
    """Dropout of whole channels: one keep/drop draw per (sample, channel), broadcast over the rest."""
    if input.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    if not training or p == 0 or input.numel() == 0:
        return input
    lead = 2 if batched else 1
    return _apply_mask(input, p, tuple(input.shape[:lead]) + (1,) * (input.ndim - lead), inplace)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel dropout of (N, C, L) or (C, L) inputs: each channel is zeroed entirely with probability p."""
    _check_p(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note that dropout1d exists "
            "to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an "
            "optional batch dimension (i.e. 2D or 3D inputs)."
        )
    return _feature_dropout(input, p, training, inplace, batched=input.ndim == 3)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel dropout of (N, C, H, W) inputs: each channel is zeroed entirely with probability p.

    As in torch, a 3-D input is treated as (N, C, L) (with a warning).
    """
    _check_p(p)
    if input.ndim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated and will result in an "
            "error in a future release. To retain the behavior and silence this warning, please use dropout "
            "instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial "
            "dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).",
            stacklevel=2,
        )
    if input.ndim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is "
            "desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will "
            "change in a future release to interpret the input as one without a batch dimension, i.e. shape "
            "(C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2,
        )
    return _feature_dropout(input, p, training, inplace, batched=True)


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


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Tensor | None = None) -> Tensor:
    """x / max(||x||_p, eps) along ``dim``."""
    result = input / input.norm(p, dim, keepdim=True).clamp(min=eps).expand_as(input)
    return result if out is None else out.copy_(result)


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
    log_sigmoid_neg = _act.Softplus.apply(-input, 1.0, float("inf"))
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


# ----------------------------------------------------------------------------------------------------------
# convolution, pooling, padding, interpolation
# ----------------------------------------------------------------------------------------------------------

from minitorch.ops import _conv_api as _conv  # noqa: E402
from minitorch.ops import padding as _padding  # noqa: E402
from minitorch.ops import _pool_api as _pool  # noqa: E402
from minitorch.ops import upsample as _upsample  # noqa: E402


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """1-D cross-correlation of (N, C_in, L) with weight (C_out, C_in / groups, k), plus bias."""
    return _conv.convolution("conv1d", input, weight, bias, stride, padding, dilation, groups, 1)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-D cross-correlation of (N, C_in, H, W) with weight (C_out, C_in / groups, kH, kW), plus bias."""
    return _conv.convolution("conv2d", input, weight, bias, stride, padding, dilation, groups, 2)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """The adjoint of conv1d ("deconvolution") with weight (C_in, C_out / groups, k), plus bias."""
    return _conv.conv_transpose("conv_transpose1d", input, weight, bias, stride, padding, output_padding, groups,
                                dilation, 1)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """The adjoint of conv2d ("deconvolution") with weight (C_in, C_out / groups, kH, kW), plus bias."""
    return _conv.conv_transpose("conv_transpose2d", input, weight, bias, stride, padding, output_padding, groups,
                                dilation, 2)


def unfold(input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> Tensor:
    """Sliding blocks of (N, C, H, W) as columns (N, C * kH * kW, L) (im2col)."""
    return _conv.unfold(input, kernel_size, dilation, padding, stride)


def fold(input: Tensor, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
         stride: Any = 1) -> Tensor:
    """Columns (N, C * kH * kW, L) summed back into (N, C, H, W) (col2im, the adjoint of unfold)."""
    return _conv.fold(input, output_size, kernel_size, dilation, padding, stride)


def max_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """The max of each window of (N, C, L) (padding counts as -inf); with return_indices also its position."""
    return _pool.max_pool("max_pool1d", input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1)


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """The max of each window of (N, C, H, W); with return_indices also its flat position h * W + w."""
    return _pool.max_pool("max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2)


def avg_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """The mean of each window of (N, C, L) (zero padding counted unless count_include_pad=False)."""
    return _pool.avg_pool("avg_pool1d", input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1)


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """The sum of each window of (N, C, H, W) divided by its size (or by divisor_override)."""
    return _pool.avg_pool("avg_pool2d", input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                          divisor_override, 2)


def adaptive_avg_pool1d(input: Tensor, output_size: Any) -> Tensor:
    """Means over output_size windows [floor(i L / n), ceil((i + 1) L / n)) of (N, C, L)."""
    return _pool.adaptive_avg_pool("adaptive_avg_pool1d", input, output_size, 1)


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """Means over an output_size grid of adaptive windows of (N, C, H, W) (None keeps a dim's size)."""
    return _pool.adaptive_avg_pool("adaptive_avg_pool2d", input, output_size, 2)


def adaptive_max_pool1d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Maxima over output_size adaptive windows of (N, C, L); with return_indices also their positions."""
    return _pool.adaptive_max_pool("adaptive_max_pool1d", input, output_size, return_indices, 1)


def adaptive_max_pool2d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Maxima over an output_size grid of adaptive windows of (N, C, H, W); optionally their flat positions."""
    return _pool.adaptive_max_pool("adaptive_max_pool2d", input, output_size, return_indices, 2)


def _lp_root(out: Tensor, norm_type: float, count: int) -> Tensor:
    return (out.sign() * out.abs().relu()).mul(count).pow(1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type: float, kernel_size: int, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """(sum of x^p over each window)^(1/p), computed as torch does from avg_pool1d."""
    k = _conv.ntuple(kernel_size, 1, "kernel_size", "lp_pool1d")[0]
    out = avg_pool1d(input.pow(norm_type), k, stride, 0, ceil_mode)
    return _lp_root(out, norm_type, k)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """(sum of x^p over each window)^(1/p), computed as torch does from avg_pool2d."""
    kh, kw = _conv.ntuple(kernel_size, 2, "kernel_size", "lp_pool2d")
    out = avg_pool2d(input.pow(norm_type), (kh, kw), stride, 0, ceil_mode)
    return _lp_root(out, norm_type, kh * kw)


def pad(input: Tensor, pad: Any, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad (before, after) pairs from the last dim backwards: constant (negative pads crop), reflect,
    replicate or circular."""
    return _padding.pad(input, pad, mode, value)


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resize (N, C, *spatial) to size or by scale_factor: nearest, nearest-exact, linear / bilinear /
    trilinear, area."""
    return _upsample.interpolate(input, size, scale_factor, mode, align_corners, recompute_scale_factor, antialias)


# ----------------------------------------------------------------------------------------------------------
# normalization (batch_norm, layer_norm, group_norm)
# ----------------------------------------------------------------------------------------------------------

from minitorch.ops.normalization import NativeBatchNorm as _BatchNormOp  # noqa: E402
from minitorch.ops.normalization import NativeGroupNorm as _GroupNormOp  # noqa: E402
from minitorch.ops.normalization import NativeLayerNorm as _LayerNormOp  # noqa: E402


def _verify_batch_size(size: list) -> None:
    """Batch statistics need more than one value per channel."""
    n = size[0]
    for s in size[2:]:
        n *= s
    if n == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {list(size)}")


def _check_norm_dtypes(input: Tensor, *params: Tensor | None) -> None:
    """torch's CPU rule for the normalisation kernels: parameters and statistics share the input's dtype,
    except float32 ones with a float16 input (mixed precision)."""
    given = [t for t in params if t is not None]
    if not given or given[0].dtype == input.dtype:
        for t in given:
            if t.dtype != input.dtype:
                raise RuntimeError(f"expected scalar type {_dtype.legacy_name(input.dtype)} but found "
                                   f"{_dtype.legacy_name(t.dtype)}")
        return
    if any(t.dtype != _dtype.float32 for t in given):
        raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
    if input.dtype != _dtype.float16:
        raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def _check_channels(name: str, t: Tensor | None, channels: int) -> None:
    if t is not None and t.numel() != channels:
        raise RuntimeError(f"{name} should contain {channels} elements not {t.numel()}")


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1,
               eps: float = 1e-5) -> Tensor:
    """(x - mean) / sqrt(var + eps) * weight + bias per channel (dim 1) of ``input`` (N, C, *).

    With ``training`` the batch statistics (biased var) are used and the running ones, when
    given, are updated in place with ``momentum`` (unbiased var); otherwise the running ones are used.
    """
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expected input of shape (N, C, *), got input of size {list(input.shape)}")
    if training:
        _verify_batch_size(list(input.shape))
    if training and eps <= 0.0:
        raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    if eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError("running_mean must be defined in evaluation mode")
    channels = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                    ("bias", bias)):
        _check_channels(name, t, channels)
    _check_norm_dtypes(input, weight, bias, running_mean, running_var)
    out = _BatchNormOp.apply(input, weight, bias, running_mean, running_var, training, momentum, eps)
    if training:
        for t in (running_mean, running_var):
            if t is not None:
                t._vc[0] += 1
    return out


def layer_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """(x - mean) / sqrt(var + eps) * weight + bias, statistics over the trailing ``normalized_shape`` dims."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if k == 0 or input.ndim < k or tuple(input.shape[input.ndim - k:]) != shape:
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape [*, {', '.join(map(str, shape))}], "
            f"but got input of size{list(input.shape)}"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                f"{list(t.shape)} and normalized_shape = {list(shape)}"
            )
    _check_norm_dtypes(input, weight, bias)
    rows = input.numel() // max(int(np.prod(shape)), 1)
    return _LayerNormOp.apply(input, weight, bias, rows, shape, eps)


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """(x - mean) / sqrt(var + eps) * weight + bias, statistics over each group of channels of each sample."""
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.ndim}")
    n, c = input.shape[0], input.shape[1]
    if c % num_groups != 0:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got input of shape "
            f"{list(input.shape)} and num_groups={num_groups}"
        )
    _verify_batch_size([n * c // num_groups, num_groups] + list(input.shape[2:]))
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.ndim != 1 or t.numel() != c):
            raise RuntimeError(
                f"Expected {name} to be a vector of size equal to the number of channels in input, but got "
                f"{name} of shape {list(t.shape)} and input of shape {list(input.shape)}"
            )
    if c == 0:
        raise RuntimeError("Expected number of channels to be greater than 0, got 0")
    if 0 in input.shape[2:]:
        raise RuntimeError(f"Expected HxW to be greater than 0, got 0 (input of shape {list(input.shape)})")
    _check_norm_dtypes(input, weight, bias)
    return _GroupNormOp.apply(input, weight, bias, n * num_groups, (c,) + (1,) * (input.ndim - 2), eps)


# ----------------------------------------------------------------------------------------------------------
# attention (scaled_dot_product_attention, multi_head_attention_forward)
# ----------------------------------------------------------------------------------------------------------

import math  # noqa: E402

from minitorch.ops.shape import cat as _cat  # noqa: E402
from minitorch.ops.attention import ScaledDotProductAttention as _SdpaOp  # noqa: E402


def _sdpa_checks(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None, dropout_p: float,
                 is_causal: bool) -> None:
    """torch's argument checks of scaled_dot_product_attention, with the shapes in the messages."""
    if query.dtype != key.dtype or query.dtype != value.dtype:
        raise RuntimeError(
            "Expected query, key, and value to have the same dtype, but got query.dtype: "
            f"{query.dtype} key.dtype: {key.dtype} and value.dtype: {value.dtype} instead."
        )
    if not query.dtype.is_floating_point:
        raise RuntimeError(f"scaled_dot_product_attention: expected floating point inputs, got {query.dtype}")
    if min(query.ndim, key.ndim, value.ndim) < 2:
        raise RuntimeError(
            "scaled_dot_product_attention: query, key and value must be at least 2-D (..., L or S, E), got "
            f"query {list(query.shape)}, key {list(key.shape)} and value {list(value.shape)}"
        )
    if query.shape[-1] != key.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise RuntimeError(
            "scaled_dot_product_attention: expected query (..., L, E), key (..., S, E) and value (..., S, Ev), got "
            f"query {list(query.shape)}, key {list(key.shape)} and value {list(value.shape)}"
        )
    try:
        np.broadcast_shapes(query.shape[:-2], key.shape[:-2], value.shape[:-2])
    except ValueError:
        raise RuntimeError(
            "scaled_dot_product_attention: the batch dims of query, key and value cannot be broadcast: "
            f"query {list(query.shape)}, key {list(key.shape)} and value {list(value.shape)}"
        ) from None
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")
    if not 0.0 <= dropout_p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {dropout_p}")
    if attn_mask is not None:
        if attn_mask.dtype != _dtype.bool_ and attn_mask.dtype != query.dtype:
            raise RuntimeError(
                "Expected attn_mask dtype to be bool or float or to match query dtype, but got attn_mask.dtype: "
                f"{attn_mask.dtype} and  query.dtype: {query.dtype} instead."
            )
        scores = tuple(np.broadcast_shapes(query.shape[:-2], key.shape[:-2])) + (query.shape[-2], key.shape[-2])
        try:
            np.broadcast_shapes(scores, attn_mask.shape)
        except ValueError:
            raise RuntimeError(
                f"scaled_dot_product_attention: attn_mask of shape {list(attn_mask.shape)} cannot be broadcast to "
                f"the attention scores of shape {list(scores)} (..., L, S)"
            ) from None


def _repeat_heads(t: Tensor, heads: int, name: str) -> Tensor:
    """Grouped-query attention: each of the H_kv heads of ``t`` (dim -3) serves H / H_kv query heads in turn."""
    if t.ndim < 3 or heads % t.shape[-3]:
        raise RuntimeError(
            f"scaled_dot_product_attention: with enable_gqa, the number of heads in {name} "
            f"({t.shape[-3] if t.ndim >= 3 else None}) must divide the number of heads in query ({heads})"
        )
    group = heads // t.shape[-3]
    if group == 1:
        return t
    lead, tail = tuple(t.shape[:-2]), tuple(t.shape[-2:])
    return t.unsqueeze(-3).expand(*lead, group, *tail).reshape(*lead[:-1], heads, *tail)


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(Q K^T scale + mask) V for query (..., L, E), key (..., S, E), value (..., S, Ev), as one fused op.

    ``scale`` defaults to 1 / sqrt(E). A boolean ``attn_mask`` says which (query, key) pairs take part
    (True = attend); a float one is added to the scores; ``is_causal`` lets query i attend keys j <= i.
    A query with no key to attend gets 0, not NaN (as torch). ``dropout_p`` zeroes attention weights
    with that probability whenever it is > 0 (pass 0.0 in evaluation, as with torch); ``enable_gqa``
    lets groups of query heads share the heads of key and value (dim -3).
    """
    if enable_gqa and query.ndim >= 3:
        key = _repeat_heads(key, query.shape[-3], "key")
        value = _repeat_heads(value, query.shape[-3], "value")
    _sdpa_checks(query, key, value, attn_mask, dropout_p, is_causal)
    dt = query._data.dtype
    length, source = query.shape[-2], key.shape[-2]
    if is_causal:
        bias = np.where(np.tri(length, source, dtype=bool), dt.type(0), dt.type(-np.inf))
    elif attn_mask is not None and attn_mask.dtype == _dtype.bool_:
        bias = np.where(attn_mask._data, dt.type(0), dt.type(-np.inf))
    else:
        bias = attn_mask
    keep = None
    if dropout_p > 0:
        lead = np.broadcast_shapes(query.shape[:-2], key.shape[:-2], tuple(bias.shape[:-2]) if bias is not None else ())
        keep = _random._rng().random(tuple(lead) + (length, source), dtype=dt) >= dropout_p
        keep = keep.astype(dt) * dt.type(1.0 / (1.0 - dropout_p) if dropout_p < 1 else 0.0)
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else float(scale)
    return _SdpaOp.apply(query, key, value, bias, keep, scale)


def _none_or_dtype(input: Tensor | None) -> Any:
    if input is None:
        return None
    if isinstance(input, Tensor):
        return input.dtype
    raise RuntimeError("input to _none_or_dtype() must be None or torch.Tensor")


def _canonical_mask(mask: Tensor | None, mask_name: str, other_type: Any, other_name: str, target_type: Any,
                    check_other: bool = True) -> Tensor | None:
    """A boolean mask (True = masked out) as the float mask 0 / -inf of ``target_type``; float masks pass as is."""
    if mask is None:
        return None
    is_float = mask.dtype.is_floating_point
    if mask.dtype != _dtype.bool_ and not is_float:
        raise AssertionError(f"only bool and floating types of {mask_name} are supported")
    if check_other and other_type is not None and mask.dtype != other_type:
        warnings.warn(
            f"Support for mismatched {mask_name} and {other_name} is deprecated. Use same type for both instead.",
            stacklevel=3,
        )
    if is_float:
        return mask
    dt = target_type.np
    return Tensor._make(np.where(mask._data, dt.type(-np.inf), dt.type(0)))


def _mha_shape_check(query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None,
                     attn_mask: Tensor | None, num_heads: int) -> bool:
    """torch's shape checks of multi-head attention; True for batched (3-D) inputs."""
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key` and `value` to be 3-D"
                f" but found {key.dim()}-D and {value.dim()}-D tensors respectively"
            )
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D"
                f" but found {key_padding_mask.dim()}-D tensor instead"
            )
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError(
                "For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D"
                f" but found {attn_mask.dim()}-D tensor instead"
            )
        return True
    if query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key` and `value` to be 2-D"
                f" but found {key.dim()}-D and {value.dim()}-D tensors respectively"
            )
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D"
                f" but found {key_padding_mask.dim()}-D tensor instead"
            )
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError(
                    "For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D"
                    f" but found {attn_mask.dim()}-D tensor instead"
                )
            expected = (num_heads, query.shape[0], key.shape[0])
            if attn_mask.dim() == 3 and tuple(attn_mask.shape) != expected:
                raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got {attn_mask.shape}")
        return False
    raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received {query.dim()}-D query tensor")


def _in_projection_packed(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | None = None) -> tuple:
    """q W_q^T + b_q, k W_k^T + b_k, v W_v^T + b_v with the three weights stacked in ``w`` (3E, E);
    one product when q, k and v are the same tensor (self-attention), two when k is v."""
    e = q.size(-1)
    if k is v and q is k:
        return linear(q, w, b).chunk(3, dim=-1)
    if k is v:
        w_q, w_kv = w.split([e, e * 2])
        b_q, b_kv = b.split([e, e * 2]) if b is not None else (None, None)
        return (linear(q, w_q, b_q),) + linear(k, w_kv, b_kv).chunk(2, dim=-1)
    w_q, w_k, w_v = w.chunk(3)
    b_q, b_k, b_v = b.chunk(3) if b is not None else (None, None, None)
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def _pad_key(mask: Tensor) -> Tensor:
    """One more key column of zeros (allowed) at the end of a mask."""
    return _cat([mask, mask.new_zeros(*mask.shape[:-1], 1)], dim=-1)


def multi_head_attention_forward(
    query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: int, num_heads: int,
    in_proj_weight: Tensor | None, in_proj_bias: Tensor | None, bias_k: Tensor | None, bias_v: Tensor | None,
    add_zero_attn: bool, dropout_p: float, out_proj_weight: Tensor, out_proj_bias: Tensor | None,
    training: bool = True, key_padding_mask: Tensor | None = None, need_weights: bool = True,
    attn_mask: Tensor | None = None, use_separate_proj_weight: bool = False, q_proj_weight: Tensor | None = None,
    k_proj_weight: Tensor | None = None, v_proj_weight: Tensor | None = None, static_k: Tensor | None = None,
    static_v: Tensor | None = None, average_attn_weights: bool = True, is_causal: bool = False,
) -> tuple:
    """Multi-head attention of query (L, N, E) over key (S, N, E) / value (S, N, E) (or unbatched (L, E)...).

    Each input is projected (in_proj or q/k/v_proj weights), split into ``num_heads`` heads of size
    E / num_heads, attended with softmax(q k^T / sqrt(d) + masks) v, merged and projected by out_proj.
    Boolean masks mark positions to *ignore* (True). With ``need_weights`` the softmax weights are
    computed explicitly and returned (averaged over heads with ``average_attn_weights``; rows with
    every key masked are NaN, as in torch); otherwise the fused scaled_dot_product_attention runs
    (such rows give 0) and the weights are None.
    """
    is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not is_batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask", _none_or_dtype(attn_mask), "attn_mask",
                                       query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError(
            "Need attn_mask if specifying the is_causal hint. You may use the Transformer module method "
            "`generate_square_subsequent_mask` to create this mask."
        )
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, check_other=False)
        if key_padding_mask is not None:
            is_causal = False
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if key.shape[:2] != value.shape[:2]:
            raise AssertionError(
                f"key's sequence and batch dims {key.shape[:2]} do not match value's {value.shape[:2]}"
            )
        for name, w in (("q_proj_weight", q_proj_weight), ("k_proj_weight", k_proj_weight),
                        ("v_proj_weight", v_proj_weight)):
            if w is None:
                raise AssertionError(f"use_separate_proj_weight is True but {name} is None")
        b_q, b_k, b_v = in_proj_bias.chunk(3) if in_proj_bias is not None else (None, None, None)
        q, k, v = linear(query, q_proj_weight, b_q), linear(key, k_proj_weight, b_k), linear(value, v_proj_weight, b_v)
    else:
        if key.shape != value.shape:
            raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    if attn_mask is not None:
        if attn_mask.dim() == 2:
            if tuple(attn_mask.shape) != (tgt_len, src_len):
                raise RuntimeError(
                    f"The shape of the 2D attn_mask is {attn_mask.shape}, but should be {(tgt_len, src_len)}."
                )
            attn_mask = attn_mask.unsqueeze(0)
        elif attn_mask.dim() == 3:
            if tuple(attn_mask.shape) != (bsz * num_heads, tgt_len, src_len):
                raise RuntimeError(
                    f"The shape of the 3D attn_mask is {attn_mask.shape}, but should be "
                    f"{(bsz * num_heads, tgt_len, src_len)}."
                )
        else:
            raise RuntimeError(f"attn_mask's dimension {attn_mask.dim()} is not supported")
    if bias_k is not None and bias_v is not None:
        if static_k is not None:
            raise AssertionError("bias cannot be added to static key.")
        if static_v is not None:
            raise AssertionError("bias cannot be added to static value.")
        k = _cat([k, bias_k.repeat(1, bsz, 1)])
        v = _cat([v, bias_v.repeat(1, bsz, 1)])
        attn_mask = _pad_key(attn_mask) if attn_mask is not None else None
        key_padding_mask = _pad_key(key_padding_mask) if key_padding_mask is not None else None
    elif bias_k is not None:
        raise AssertionError("bias_k is set but bias_v is None")
    elif bias_v is not None:
        raise AssertionError("bias_v is set but bias_k is None")
    q = q.reshape(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    k = _heads_first(k, static_k, "static_k", bsz * num_heads, head_dim)
    v = _heads_first(v, static_v, "static_v", bsz * num_heads, head_dim)
    if add_zero_attn:
        k = _cat([k, k.new_zeros(bsz * num_heads, 1, head_dim)], dim=1)
        v = _cat([v, v.new_zeros(bsz * num_heads, 1, head_dim)], dim=1)
        attn_mask = _pad_key(attn_mask) if attn_mask is not None else None
        key_padding_mask = _pad_key(key_padding_mask) if key_padding_mask is not None else None
    src_len = k.size(1)
    if key_padding_mask is not None:
        if key_padding_mask.shape[0] != bsz:
            raise AssertionError(f"Expected key_padded_mask.shape[0] to be {bsz}, but got {key_padding_mask.shape[0]}")
        if key_padding_mask.shape[1] != src_len:
            raise AssertionError(
                f"Expected key_padded_mask.shape[1] to be {src_len}, but got {key_padding_mask.shape[1]}"
            )
        key_padding_mask = (key_padding_mask.reshape(bsz, 1, 1, src_len).expand(-1, num_heads, -1, -1)
                            .reshape(bsz * num_heads, 1, src_len))
        attn_mask = key_padding_mask if attn_mask is None else attn_mask + key_padding_mask
    if not training:
        dropout_p = 0.0
    if need_weights:
        q_scaled = q * math.sqrt(1.0 / float(q.shape[-1]))
        weights = q_scaled.matmul(k.transpose(-2, -1))
        if attn_mask is not None:
            weights = attn_mask + weights
        weights = softmax(weights, dim=-1)
        if dropout_p > 0.0:
            weights = dropout(weights, p=dropout_p)
        out = weights.matmul(v).transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        out = linear(out, out_proj_weight, out_proj_bias).reshape(tgt_len, bsz, out_proj_weight.shape[0])
        weights = weights.reshape(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(dim=1)
        if not is_batched:
            out, weights = out.squeeze(1), weights.squeeze(0)
        return out, weights
    if attn_mask is not None:
        attn_mask = (attn_mask.unsqueeze(0) if attn_mask.size(0) == 1 and attn_mask.dim() == 3
                     else attn_mask.reshape(bsz, num_heads, -1, src_len))
    q = q.reshape(bsz, num_heads, tgt_len, head_dim)
    k = k.reshape(bsz, num_heads, src_len, head_dim)
    v = v.reshape(bsz, num_heads, src_len, head_dim)
    out = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
    out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    out = linear(out, out_proj_weight, out_proj_bias).reshape(tgt_len, bsz, out_proj_weight.shape[0])
    if not is_batched:
        out = out.squeeze(1)
    return out, None


def _heads_first(t: Tensor, static: Tensor | None, name: str, batch_heads: int, head_dim: int) -> Tensor:
    """(S, N, E) -> (N * heads, S, head_dim), or the given ``static`` keys/values after checking their shape."""
    if static is None:
        return t.reshape(t.shape[0], batch_heads, head_dim).transpose(0, 1)
    if static.size(0) != batch_heads:
        raise AssertionError(f"expecting {name}.size(0) of {batch_heads}, but got {static.size(0)}")
    if static.size(2) != head_dim:
        raise AssertionError(f"expecting {name}.size(2) of {head_dim}, but got {static.size(2)}")
    return static
