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


def nearest_taps(size: int, out: int, scale: float | None, exact: bool, two_d: bool = False) -> tuple:
    """torch's nearest source index: floor(o * s) (or floor((o + 0.5) * s) for nearest-exact), s = 1 / scale_factor
    or size / out, in float32, clamped to size - 1. torch's 2-D nearest kernel (``two_d``) first keeps two
    legacy cases whatever the scale factor: out == size copies, out == 2 * size reads o // 2."""
    if two_d and not exact:
        if out == size:
            return ((np.arange(out), None),)
        if out == 2 * size:
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


def _cubic1(x: np.ndarray, a: float) -> np.ndarray:
    """Keys' cubic convolution kernel on |x| <= 1: ((a + 2) x - (a + 3)) x^2 + 1."""
    return ((a + 2) * x - (a + 3)) * x * x + 1


def _cubic2(x: np.ndarray, a: float) -> np.ndarray:
    """Keys' cubic convolution kernel on 1 < |x| < 2: ((a x - 5a) x + 8a) x - 4a."""
    return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a


def _scale(size: int, out: int, scale: float | None, align_corners: bool, dtype: np.dtype) -> np.generic:
    """torch's ``area_pixel_compute_scale``: (size - 1) / (out - 1) with align_corners, else 1 / scale_factor or
    size / out."""
    if align_corners:
        return dtype.type(size - 1) / dtype.type(out - 1) if out > 1 else dtype.type(0)
    return dtype.type(1.0 / scale) if scale else dtype.type(size) / dtype.type(out)


def cubic_taps(size: int, out: int, scale: float | None, align_corners: bool, dtype: np.dtype) -> tuple:
    """torch's bicubic source position p = o * s (align_corners) or (o + 0.5) * s - 0.5 (not clamped), taps
    floor(p) - 1 ... floor(p) + 2 clamped into range, weights Keys' cubic (A = -0.75) of t = p - floor(p)."""
    t = dtype.type
    s = _scale(size, out, scale, align_corners, dtype)
    o = np.arange(out, dtype=dtype)
    src = (s * o if align_corners else s * (o + t(0.5)) - t(0.5)).astype(dtype)
    i0 = np.minimum(np.floor(src).astype(np.int64), size - 1)
    lam = np.clip(src - i0.astype(dtype), 0, 1).astype(dtype)
    a = -0.75
    weights = (_cubic2(lam + t(1), a), _cubic1(lam, a), _cubic1(t(1) - lam, a), _cubic2(t(2) - lam, a))
    return tuple((np.clip(i0 - 1 + j, 0, size - 1), w.astype(dtype)) for j, w in enumerate(weights))


def _sinc(x: np.ndarray) -> np.ndarray:
    """sin(pi x) / (pi x), 1 at 0."""
    px = x * np.pi
    return np.where(x == 0, 1.0, np.sin(px) / np.where(x == 0, 1.0, px))


def _aa_filter(x: np.ndarray, mode: str) -> np.ndarray:
    """The antialiasing filters: the triangle 1 - |x| (bilinear), Keys' cubic with a = -0.5 (bicubic, PIL's), or
    Lanczos-3 sinc(x) sinc(x / 3) (lanczos); zero outside their support."""
    if mode == "lanczos":
        return np.where((x >= -3) & (x < 3), _sinc(x) * _sinc(x / 3), 0)
    x = np.abs(x)
    if mode != "bicubic":
        return np.where(x < 1, 1 - x, 0)
    return np.where(x < 1, _cubic1(x, -0.5), np.where(x < 2, _cubic2(x, -0.5), 0))


_AA_SIZE = {"bilinear": 2, "bicubic": 4, "lanczos": 6}


def antialias_taps(size: int, out: int, scale: float | None, align_corners: bool, dtype: np.dtype,
                   mode: str) -> tuple:
    """torch's antialiased (PIL-style) taps: output o averages the inputs within ``support`` of the centre
    c = s (o + 0.5) with filter weights of (j - c + 0.5) / max(s, 1), normalised to sum to 1."""
    t = dtype.type
    s = _scale(size, out, scale, align_corners, dtype)
    support = t(_AA_SIZE[mode] * 0.5) * (s if s >= 1 else t(1))
    width = int(np.ceil(support)) * 2 + 1
    centre = (s * (np.arange(out, dtype=dtype) + t(0.5))).astype(dtype)
    invscale = t(1) / s if s >= 1 else t(1)
    xmin = np.maximum(np.trunc(centre - support + t(0.5)).astype(np.int64), 0)
    xsize = np.minimum(np.trunc(centre + support + t(0.5)).astype(np.int64), size) - xmin
    j = np.arange(width)
    pos = xmin[:, None] + j[None, :]
    w = _aa_filter((pos - centre[:, None] + t(0.5)).astype(dtype) * invscale, mode).astype(dtype)
    w = np.where(j[None, :] < xsize[:, None], w, t(0)).astype(dtype)
    total = w.sum(1, keepdims=True)
    w = np.where(total != 0, w / np.where(total != 0, total, t(1)), w).astype(dtype)
    used = int(max(xsize.max(), 1)) if out else 1
    return tuple((np.minimum(pos[:, k], size - 1), w[:, k]) for k in range(used))
