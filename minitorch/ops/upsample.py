"""The kernels of ``F.interpolate``: nearest, nearest-exact and (bi/tri)linear resampling, one axis at a time.

Resizing along one axis is a sparse linear map: output position o reads input positions
i_t(o) with weights w_t(o) (one tap for nearest, two for linear). ``Resample`` applies it
and ``ResampleAdjoint`` its transpose (scatter-add, via ``np.add.reduceat`` since the
positions never decrease); each is the other's gradient (a ``LinearMap`` pair). Positions and
weights follow torch's CPU kernels, computed in the input's precision (float32 for nearest).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch.ops._adjoint import LinearMap


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


class Resample(LinearMap):
    """y = sum_t w_t x[i_t] along one axis;  dL/dx = ``ResampleAdjoint``(g)."""

    @staticmethod
    def kernel(x, axis, taps):
        return resample(x, axis, taps)

    @staticmethod
    def adjoint_args(x, axis, taps):
        return axis, taps, x.shape[axis]


class ResampleAdjoint(LinearMap):
    """x' = each g w_t added back at i_t along one axis (the transpose of ``Resample``);  dL/dg = Resample(gx')."""

    @staticmethod
    def kernel(g, axis, taps, size):
        return resample_adjoint(g, axis, taps, size)

    @staticmethod
    def adjoint_args(g, axis, taps, size):
        return axis, taps


Resample.adjoint, ResampleAdjoint.adjoint = ResampleAdjoint, Resample


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
