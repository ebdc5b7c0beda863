"""Dropout: element-wise (``dropout``), channel-wise (``dropout1d/2d/3d``) and the alpha dropouts of selu networks."""
from __future__ import annotations

import warnings

import numpy as np

from minitorch import _dtype
from minitorch import random as _random
from minitorch._tensor import Tensor


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


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel dropout of (N, C, D, H, W) or (C, D, H, W) inputs: each channel is zeroed entirely with probability p."""
    _check_p(p)
    if input.ndim not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {input.ndim}-D input to dropout3d, which is deprecated and will result in an "
            "error in a future release. To retain the behavior and silence this warning, please use dropout "
            "instead. Note that dropout3d exists to provide channel-wise dropout on inputs with 3 spatial "
            "dimensions, a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).",
            stacklevel=2,
        )
    return _feature_dropout(input, p, training, inplace, batched=input.ndim != 4)


_SELU_ALPHA_PRIME = 1.7580993408473766  # -scale * alpha of selu: the value a dropped unit takes


def _alpha_dropout(input: Tensor, p: float, training: bool, inplace: bool, feature: bool) -> Tensor:
    """x keep a + (keep - 1) alpha' a + alpha' a p, with keep ~ Bernoulli(1 - p) (per channel with ``feature``) and
    a = 1 / sqrt((alpha'^2 p + 1)(1 - p)): dropped units take selu's saturation value and the affine map keeps
    mean 0 and variance 1;  dy/dx = keep a."""
    _check_p(p)
    if p == 0 or not training or input.numel() == 0:
        return input
    if feature and input.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    if not input.dtype.is_floating_point:
        raise RuntimeError(
            f"result type Float can't be cast to the desired output type {_dtype.legacy_name(input.dtype)}"
        )
    dt = input._data.dtype
    if p == 1:
        zero = Tensor._make(np.zeros((), dt))
        return input.mul_(zero) if inplace else input * zero
    shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2) if feature else tuple(input.shape)
    keep = (_random._rng().random(shape) >= p).astype(dt)
    alpha = _SELU_ALPHA_PRIME
    a = 1.0 / np.sqrt((alpha * alpha * p + 1) * (1 - p))
    shift = Tensor._make(((keep - 1) * (alpha * a) + alpha * a * p).astype(dt))
    scale = Tensor._make((keep * a).astype(dt))
    if inplace:
        return input.mul_(scale).add_(shift)
    return input * scale + shift


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Dropout for self-normalising (selu) networks: keeps the mean and variance of its input."""
    return _alpha_dropout(input, p, training, inplace, feature=False)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Alpha dropout of whole channels (dim 1) of each sample."""
    return _alpha_dropout(input, p, training, inplace, feature=True)
