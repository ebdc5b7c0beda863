"""Interpolation (``F.interpolate``): nearest, nearest-exact and (bi/tri)linear, one axis at a time.

Resizing along one axis is a sparse linear map: output position o reads input positions
i_t(o) with weights w_t(o) (one tap for nearest, two for linear). ``Resample`` applies it
and ``ResampleAdjoint`` its transpose (scatter-add, via ``np.add.reduceat`` since the
positions never decrease); each is the other's gradient. Positions and weights follow
torch's CPU kernels, computed in the input's precision (float32 for nearest).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch.autograd.function import Op
from minitorch.ops._pool_api import adaptive_avg_pool
from minitorch._tensor import Tensor


def _weight(w: np.ndarray | None, axis: int, ndim: int) -> Any:
    return 1 if w is None else w.reshape(w.shape + (1,) * (ndim - axis - 1))


def resample(x: np.ndarray, axis: int, taps: tuple) -> np.ndarray:
    """y = sum_t w_t * x.take(i_t, axis) (the weights broadcast along ``axis``)."""
    out = None
    for idx, w in taps:
        term = np.take(x, idx, axis) * _weight(w, axis, x.ndim) if w is not None else np.take(x, idx, axis)
        out = term if out is None else np.add(out, term, out=out)
    return out


def resample_adjoint(g: np.ndarray, axis: int, taps: tuple, size: int) -> np.ndarray:
    """x' (length ``size`` along ``axis``) = sum_t the g * w_t added back at positions i_t."""
    shape = list(g.shape)
    shape[axis] = size
    out = np.zeros(shape, g.dtype)
    for idx, w in taps:
        v = g * _weight(w, axis, g.ndim) if w is not None else g
        hit, first = np.unique(idx, return_index=True)
        out[(slice(None),) * axis + (hit,)] += np.add.reduceat(v, first, axis)
    return out


class Resample(Op):
    """y = sum_t w_t x[i_t] along one axis;  dL/dx = ``ResampleAdjoint``(g)."""

    @staticmethod
    def forward(ctx, x, axis, taps):
        ctx.axis, ctx.taps, ctx.size = axis, taps, x.shape[axis]
        return resample(x, axis, taps)

    @staticmethod
    def backward(ctx, grad):
        return ResampleAdjoint.apply(grad, ctx.axis, ctx.taps, ctx.size), None, None


class ResampleAdjoint(Op):
    """x' = each g w_t added back at i_t along one axis (the transpose of ``Resample``);  dL/dg = Resample(gx')."""

    @staticmethod
    def forward(ctx, g, axis, taps, size):
        ctx.axis, ctx.taps = axis, taps
        return resample_adjoint(g, axis, taps, size)

    @staticmethod
    def backward(ctx, grad):
        return Resample.apply(grad, ctx.axis, ctx.taps), None, None, None


def nearest_taps(size: int, out: int, scale: float | None, exact: bool) -> tuple:
    """torch's nearest source index: floor(o * s) (or floor((o + 0.5) * s) for nearest-exact), s = 1 / scale_factor
    or size / out, in float32, clamped to size - 1."""
    if not exact and out == size:
        return ((np.arange(out), None),)
    if not exact and out == 2 * size:
        return ((np.arange(out) >> 1, None),)
    s = np.float32(1.0 / scale) if scale else np.float32(size) / np.float32(out)
    o = np.arange(out)
    src = (np.float32(o) * s) if not exact else np.float32((o + 0.5) * np.float64(s))
    return ((np.minimum(np.floor(src).astype(np.int64), size - 1), None),)


def linear_taps(size: int, out: int, scale: float | None, align_corners: bool, dtype: np.dtype) -> tuple:
    """torch's linear source position: o * (size - 1) / (out - 1) with align_corners, else
    (o + 0.5) * s - 0.5 clamped at 0; then taps floor(p), floor(p) + 1 with weights 1 - l, l."""
    if out == size:
        return ((np.arange(out), None),)
    one = dtype.type(1)
    if align_corners:
        ratio = dtype.type(size - 1) / dtype.type(out - 1) if out > 1 else dtype.type(0)
        src = ratio * np.arange(out, dtype=dtype)
    else:
        ratio = dtype.type(1.0 / scale) if scale else dtype.type(size) / dtype.type(out)
        src = np.maximum(ratio * (np.arange(out, dtype=dtype) + dtype.type(0.5)) - dtype.type(0.5), 0).astype(dtype)
    i0 = np.minimum(np.floor(src).astype(np.int64), size - 1)
    lam = np.clip(src - i0.astype(dtype), 0, 1).astype(dtype)
    i1 = i0 + (i0 < size - 1)
    return ((i0, one - lam), (i1, lam))


_LINEAR = {1: "linear", 2: "bilinear", 3: "trilinear"}
_MODES = ("nearest", "nearest-exact", "linear", "bilinear", "trilinear", "area")


def _sizes(input: Tensor, size: Any, scale_factor: Any, recompute_scale_factor: bool | None, nd: int) -> tuple:
    """(output sizes, scale factors or None) exactly as torch's ``interpolate`` derives them."""
    spatial = list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if recompute_scale_factor:
            raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
        sizes = tuple(size) if isinstance(size, (list, tuple)) else (size,) * nd
        if len(sizes) != nd:
            raise ValueError(
                f"Input and output must have the same number of spatial dimensions, but got input with spatial "
                f"dimensions of {spatial} and output size of {size}. Please provide input tensor in (N, C, d1, d2, "
                "...,dK) format and output size in (o1, o2, ...,oK) format."
            )
        if not all(isinstance(s, (int, np.integer)) for s in sizes):
            raise TypeError(f"expected size to be one of int or Tuple[int], but got size with types "
                            f"{[type(s) for s in sizes]}")
        return tuple(int(s) for s in sizes), None
    if scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    scales = tuple(scale_factor) if isinstance(scale_factor, (list, tuple)) else (scale_factor,) * nd
    if len(scales) != nd:
        raise ValueError(
            f"Input and scale_factor must have the same number of spatial dimensions, but got input with spatial "
            f"dimensions of {spatial} and scale_factor of shape {scale_factor}. Please provide input tensor in (N, "
            "C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format."
        )
    sizes = tuple(int(np.floor(float(i) * float(s))) for i, s in zip(spatial, scales))
    return sizes, None if recompute_scale_factor else tuple(float(s) for s in scales)


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """``F.interpolate`` for (N, C, d1[, d2[, d3]]) inputs: nearest, nearest-exact, linear / bilinear /
    trilinear (matching the input rank) and area (adaptive average pooling)."""
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: linear | bilinear | "
                             "bicubic | trilinear")
    elif mode in _MODES:
        align_corners = bool(align_corners)
    nd = input.ndim - 2
    if mode not in _MODES or nd not in (1, 2, 3):
        raise NotImplementedError(
            f"interpolate: Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for the modes: "
            f"{' | '.join(_MODES)} (got {mode})"
        )
    if mode in _LINEAR.values() and mode != _LINEAR[nd]:
        need = {v: k for k, v in _LINEAR.items()}[mode] + 2
        raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs {need}D input")
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not supported by minitorch")
    sizes, scales = _sizes(input, size, scale_factor, recompute_scale_factor or (mode == "area" and size is None), nd)
    if min(sizes) <= 0 or 0 in input.shape[2:]:
        names = "DHW"[3 - nd:]
        raise RuntimeError(
            f"interpolate: Input and output sizes should be greater than 0, but got input "
            f"({', '.join(f'{n}: {s}' for n, s in zip(names, input.shape[2:]))}) output "
            f"({', '.join(f'{n}: {s}' for n, s in zip(names, sizes))})"
        )
    if not input.is_floating_point():
        raise RuntimeError(f"interpolate: expected a floating point input, but got input of dtype {input.dtype}")
    if mode == "area":
        return adaptive_avg_pool("adaptive_avg_pool", input, sizes, nd)
    x = input
    for j in range(nd - 1, -1, -1):
        n, scale = input.shape[2 + j], scales[j] if scales else None
        if mode.startswith("nearest"):
            taps = nearest_taps(n, sizes[j], scale, mode == "nearest-exact")
        else:
            taps = linear_taps(n, sizes[j], scale, align_corners, input._data.dtype)
        if sizes[j] != n or len(taps) > 1 or not np.array_equal(taps[0][0], np.arange(n)):
            x = Resample.apply(x, 2 + j, taps)
    return x.clone() if x is input else x
