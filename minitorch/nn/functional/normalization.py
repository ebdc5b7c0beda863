"""Normalisation: batch, layer and group norm (fused ops, torch's checks), instance norm (batch norm per sample),
local response norm, rms norm (composed), and ``normalize``."""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch.ops.normalization import NativeBatchNorm as _BatchNormOp
from minitorch.ops.normalization import NativeGroupNorm as _GroupNormOp
from minitorch.ops.normalization import NativeLayerNorm as _LayerNormOp
from minitorch.ops.shape import cat
from minitorch._tensor import Tensor


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


def _empty_affine(input: Tensor, weight: Tensor | None, bias: Tensor | None, shape: tuple) -> Tensor:
    """The result of a normalisation of an empty input: empty, but joined to the graph of input, weight and bias
    (whose gradients are then zeros)."""
    out = input * 1
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1,
               eps: float = 1e-5) -> Tensor:
    """(x - mean) / sqrt(var + eps) * weight + bias per channel (dim 1) of ``input`` (N, C, *).

    With ``training`` the batch statistics (biased var) are used and the running ones, when
    given, are updated in place with ``momentum`` (unbiased var); otherwise the running ones are used.
    """
    if training:
        _verify_batch_size(list(input.shape))
    if input.numel() == 0:  # nothing to normalise, and no statistics to update (torch returns early too)
        pick = lambda t: None if t is None or t.numel() == 0 else t.reshape(-1)[0]  # noqa: E731
        return _empty_affine(input, pick(weight), pick(bias), ())
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expected input of shape (N, C, *), got input of size {list(input.shape)}")
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
    if input.numel() == 0:
        return _empty_affine(input, weight, bias, shape)
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
    if input.numel() == 0:
        return _empty_affine(input, weight, bias, (c,) + (1,) * (input.ndim - 2))
    return _GroupNormOp.apply(input, weight, bias, n * num_groups, (c,) + (1,) * (input.ndim - 2), eps)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Tensor | None = None) -> Tensor:
    """x / max(||x||_p, eps) along ``dim``."""
    result = input / input.norm(p, dim, keepdim=True).clamp(min=eps).expand_as(input)
    return result if out is None else out.copy_(result)


def instance_norm(input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,
                  weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Batch norm of each (sample, channel) of x (N, C, *) on its own: x seen as (1, N C, *), with weight,
    bias and the running statistics repeated N times; the running statistics, when given and
    ``use_input_stats``, are updated with the mean over the batch of the per-sample updates."""
    if use_input_stats:
        size = list(input.shape)
        if int(np.prod(size[2:])) == 1:
            raise ValueError(f"Expected more than 1 spatial element when training, got input size {size}")
    if input.ndim < 2:
        raise ValueError(f"instance_norm: expected input of shape (N, C, *), got input of size {list(input.shape)}")
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false")
    b, c = input.shape[0], input.shape[1]
    x = input.reshape((1, b * c) + tuple(input.shape[2:]))
    rep = lambda t: None if t is None else t.repeat(b)  # noqa: E731
    rm = None if running_mean is None else Tensor._make(np.tile(running_mean._data, b))
    rv = None if running_var is None else Tensor._make(np.tile(running_var._data, b))
    out = batch_norm(x, rm, rv, rep(weight), rep(bias), use_input_stats, momentum, eps)
    for mine, tiled in ((running_mean, rm), (running_var, rv)):
        if mine is not None and use_input_stats:
            mine._data[...] = tiled._data.reshape(b, c).mean(0)
            mine._vc[0] += 1
    return out.reshape(input.shape)


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> Tensor:
    """x / (k + alpha / size * sum of x^2 over the ``size`` neighbouring channels)^beta.

    The window around channel c runs from c - size // 2 to c + (size - 1) // 2, zero-padded, as torch's
    average pooling of the padded squares (an integer mean for integer inputs)."""
    dim = input.ndim
    if dim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality                          input (got {dim} dimensions)")
    if input.numel() == 0:
        return input
    sq = input * input
    c = input.shape[1]
    before, after = size // 2, (size - 1) // 2
    parts = []
    if before:
        parts.append(Tensor._make(np.zeros((input.shape[0], before) + tuple(input.shape[2:]), input._data.dtype)))
    parts.append(sq)
    if after:
        parts.append(Tensor._make(np.zeros((input.shape[0], after) + tuple(input.shape[2:]), input._data.dtype)))
    padded = cat(parts, 1) if len(parts) > 1 else sq
    total = padded.narrow(1, 0, c)
    for shift in range(1, size):
        total = total + padded.narrow(1, shift, c)
    mean = total / size if input.is_floating_point() else total // size  # torch's integer avg_pool truncates
    div = (mean * alpha + k) ** beta
    return input / div


def rms_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None = None, eps: float | None = None) -> Tensor:
    """x / sqrt(mean(x^2) + eps) * weight, the mean over the trailing ``normalized_shape`` dims
    (eps defaults to the machine epsilon of x's dtype)."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if k == 0:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
                           "element, but got normalized_shape = []")
    if input.ndim < k or tuple(input.shape[input.ndim - k:]) != shape:
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape [*, {', '.join(map(str, shape))}], "
            f"but got input of size{list(input.shape)}"
        )
    if weight is not None and tuple(weight.shape) != shape:
        raise RuntimeError(
            f"Expected weight to be of same shape as normalized_shape, but got weight of shape "
            f"{list(weight.shape)} and normalized_shape = {list(shape)}"
        )
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"rms_norm only supports floating-point dtypes, got {_dtype.legacy_name(input.dtype)}")
    if eps is None:
        eps = float(np.finfo(input._data.dtype).eps)
    dims = tuple(range(input.ndim - k, input.ndim))
    out = input * ((input * input).mean(dims, keepdim=True) + eps).rsqrt()
    return out if weight is None else out * weight
