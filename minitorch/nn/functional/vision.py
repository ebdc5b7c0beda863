"""Vision functions: ``pixel_shuffle`` / ``pixel_unshuffle`` / ``channel_shuffle`` (reshapes and permutes),
``affine_grid`` (a matmul with a base grid) and ``grid_sample``.

``grid_sample`` is composed from Tensor ops: the source coordinate of each output point is an affine
map of the grid, taken through the padding mode (``ops.grid_sample.PiecewiseLinear``), and the output
is a sum over the 2^d (bilinear), 1 (nearest) or 16 (bicubic) neighbouring taps of the gathered input
times interpolation weights that are polynomials of the coordinate. The gradients to input (a
scatter-add) and grid (through the weights) and double backward follow from those ops, and equal
torch's hand-written ``grid_sampler_2d_backward`` formulas.
"""
from __future__ import annotations

import itertools
import warnings
from typing import Any

import numpy as np

from minitorch.ops.grid_sample import PiecewiseLinear, pad_coordinates
from minitorch.ops.indexing import Gather
from minitorch._tensor import Tensor

_TYPE_NAME = {"float16": "Half", "float32": "Float", "float64": "Double", "uint8": "Byte", "int8": "Char",
              "int16": "Short", "int32": "Int", "int64": "Long", "bool": "Bool"}


def _at_least_3d(fn: str, input: Tensor) -> None:
    if input.ndim < 3:
        raise RuntimeError(f"{fn} expects input to have at least 3 dimensions, but got input with {input.ndim} "
                           "dimension(s)")


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C r^2, H, W) -> (*, C, H r, W r): out[..., c, h r + i, w r + j] = in[..., c r^2 + i r + j, h, w]."""
    _at_least_3d("pixel_shuffle", input)
    r = int(upscale_factor)
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    c, h, w = input.shape[-3:]
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                           f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    lead = tuple(input.shape[:-3])
    k = len(lead)
    x = input.reshape(lead + (c // (r * r), r, r, h, w))
    x = x.permute(*range(k), k, k + 3, k + 1, k + 4, k + 2)
    return x.reshape(lead + (c // (r * r), h * r, w * r))


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H r, W r) -> (*, C r^2, H, W), the inverse of ``pixel_shuffle``."""
    _at_least_3d("pixel_unshuffle", input)
    r = int(downscale_factor)
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    c, h, w = input.shape[-3:]
    if h % r:
        raise RuntimeError(f"pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)={h}"
                           f" is not divisible by {r}")
    if w % r:
        raise RuntimeError(f"pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)={w} "
                           f"is not divisible by {r}")
    lead = tuple(input.shape[:-3])
    k = len(lead)
    x = input.reshape(lead + (c, h // r, r, w // r, r))
    x = x.permute(*range(k), k, k + 2, k + 4, k + 1, k + 3)
    return x.reshape(lead + (c * r * r, h // r, w // r))


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """(N, C, *) with channels regrouped: out[:, i g + j] = in[:, j (C / g) + i] for C / g rows of g groups."""
    if input.ndim <= 2:
        raise RuntimeError(f"channel_shuffle expects input with > 2 dims, but got input with sizes {list(input.shape)}")
    g = int(groups)
    if g <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{g}")
    n, c = input.shape[:2]
    if c % g:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels and {g} groups.")
    rest = tuple(input.shape[2:])
    return input.reshape((n, g, c // g) + rest).transpose(1, 2).reshape((n, c) + rest)


def _warn_align_corners() -> None:
    warnings.warn("Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
                  "Please specify align_corners=True if the old behavior is desired. See the documentation of "
                  "grid_sample for details.")


def _linspace(n: int, align_corners: bool, dtype: np.dtype) -> np.ndarray:
    """torch's ``linspace_from_neg_one``: n points over [-1, 1] (the pixel centres unless align_corners)."""
    if n <= 1:
        return np.zeros(1, dtype)
    step = dtype.type(2) / dtype.type(n - 1)
    i = np.arange(n)
    out = np.where(i < n // 2, dtype.type(-1) + step * i, dtype.type(1) - step * (n - 1 - i)).astype(dtype)
    return out if align_corners else (out * dtype.type(n - 1) / dtype.type(n)).astype(dtype)


def affine_grid(theta: Tensor, size: Any, align_corners: bool | None = None) -> Tensor:
    """The sampling grid (N, H, W, 2) (or (N, D, H, W, 3)) of the affine maps theta (N, 2, 3) (or (N, 3, 4)):
    grid[n, h, w] = theta[n] @ (x_w, y_h, 1)."""
    if align_corners is None:
        _warn_align_corners()
        align_corners = False
    if not theta.is_floating_point():
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    if len(size) == 4:
        if theta.ndim != 3 or theta.shape[-2] != 2 or theta.shape[-1] != 3:
            raise ValueError(f"Expected a batch of 2D affine matrices of shape Nx2x3 for size {size}. Got "
                             f"{theta.shape}.")
        spatial = size[-2:]
    elif len(size) == 5:
        if theta.ndim != 3 or theta.shape[-2] != 3 or theta.shape[-1] != 4:
            raise ValueError(f"Expected a batch of 3D affine matrices of shape Nx3x4 for size {size}. Got "
                             f"{theta.shape}.")
        spatial = size[-3:]
    else:
        raise NotImplementedError("affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
                                  f"respectively. Got size {size}.")
    if align_corners and min(spatial) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size grids when align_corners="
                      "True. This is not an issue for standard, non-unit-size grids.")
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    size = list(size)
    dtype = theta._data.dtype
    axes = [_linspace(n, align_corners, dtype) for n in spatial]
    mesh = np.meshgrid(*axes, indexing="ij")
    base = np.stack([m.reshape(-1) for m in reversed(mesh)] + [np.ones(mesh[0].size, dtype)], -1)
    grid = Tensor._make(base[None]).matmul(theta.transpose(1, 2))
    return grid.reshape([size[0]] + list(spatial) + [len(spatial)])


_A = -0.75


def _cubic_weights(t: Tensor) -> list:
    """torch's cubic convolution coefficients (A = -0.75) of the taps at -1, 0, 1, 2 for a fraction t."""
    x = t + 1
    c0 = ((x * _A - 5 * _A) * x + 8 * _A) * x - 4 * _A
    c1 = (t * (_A + 2) - (_A + 3)) * t * t + 1
    x = 1 - t
    c2 = (x * (_A + 2) - (_A + 3)) * x * x + 1
    x = 2 - t
    c3 = ((x * _A - 5 * _A) * x + 8 * _A) * x - 4 * _A
    return [c0, c1, c2, c3]


def _unnormalize(c: Tensor, size: int, align_corners: bool, nd: int) -> Tensor:
    """Grid coordinate in [-1, 1] -> pixel coordinate (torch's 2-D CPU kernel's and generic 3-D kernel's forms)."""
    if nd == 2:
        return (c + 1) * ((size - 1) / 2) if align_corners else (c + 1) * (size / 2) - 0.5
    return (c + 1) / 2 * (size - 1) if align_corners else ((c + 1) * size - 1) / 2


def _check_grid_sample(input: Tensor, grid: Tensor, mode: str, padding_mode: str) -> None:
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but "
                         f"got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError(f"nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
                         f"'reflection', but got: '{padding_mode}'")
    sizes = f"input with sizes {list(input.shape)} and grid with sizes {list(grid.shape)}"
    if input.dtype is not grid.dtype:
        raise RuntimeError(f"expected scalar type {_TYPE_NAME[input.dtype.name]} but found "
                           f"{_TYPE_NAME[grid.dtype.name]}")
    if input.ndim not in (4, 5) or input.ndim != grid.ndim:
        raise RuntimeError(f"grid_sampler(): expected {4 if input.ndim == 4 else 5}D input and grid with same number "
                           f"of dimensions, but got {sizes}")
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError(f"grid_sampler(): expected grid and input to have same batch size, but got {sizes}")
    if grid.shape[-1] != input.ndim - 2:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {input.ndim - 2} in last dimension, but got "
                           f"grid with sizes {list(grid.shape)}")
    for i in range(2, input.ndim):
        if input.shape[i] == 0:
            raise RuntimeError(f"grid_sampler(): expected input to have non-empty spatial dimensions, but input has "
                               f"sizes {list(input.shape)} with dimension {i} being empty")
    if mode == "bicubic" and input.ndim == 5:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    if not input.is_floating_point():
        raise RuntimeError(f'"grid_sampler_{input.ndim - 2}d_cpu" not implemented for '
                           f"'{_TYPE_NAME[input.dtype.name]}'")


def _gather_taps(flat: Tensor, taps: list, sizes: tuple, out_shape: tuple, weights: list) -> Tensor:
    """sum over taps of input[n, :, position] * weight: each tap is per-dim integer positions (out of range
    ones weigh nothing), each weight a (N, P) Tensor."""
    n, c = flat.shape[:2]
    strides = [int(np.prod(sizes[d + 1:])) for d in range(len(sizes))]
    total = None
    for pos, w in zip(taps, weights):
        inside = np.ones(pos[0].shape, bool)
        index = np.zeros(pos[0].shape, np.int64)
        for p, size, st in zip(pos, sizes, strides):
            inside &= (p >= 0) & (p < size)
            index += np.clip(p, 0, size - 1) * st
        idx = np.ascontiguousarray(np.broadcast_to(index.reshape(n, 1, -1), (n, c, index[0].size)))
        vals = Gather.apply(flat, 2, idx)
        if not inside.all():  # torch never reads these taps (so an inf or NaN there does not leak in)
            vals = vals.where(Tensor._make(inside.reshape(n, 1, -1)), 0.0)
        term = vals * w.reshape(n, 1, -1)
        total = term if total is None else total + term
    return total.reshape((n, c) + out_shape)


def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear", padding_mode: str = "zeros",
                align_corners: bool | None = None) -> Tensor:
    """Sample input (N, C, H, W) (or (N, C, D, H, W)) at the points grid (N, H_out, W_out, 2) (x, y in [-1, 1],
    or (x, y, z)) by bilinear, nearest or bicubic interpolation, outside points by the padding mode."""
    _check_grid_sample(input, grid, mode, padding_mode)
    if align_corners is None:
        _warn_align_corners()
        align_corners = False
    nd = input.ndim - 2
    sizes, out_shape = tuple(input.shape[2:]), tuple(grid.shape[1:-1])
    n = input.shape[0]
    flat = input.reshape(n, input.shape[1], -1)
    coords = grid.reshape(n, -1, nd).unbind(-1)[::-1]
    if mode == "bicubic":
        ix = [_unnormalize(coords[d], sizes[d], align_corners, nd) for d in range(nd)]
        lo = [np.floor(v._data) for v in ix]
        cubic = [_cubic_weights(v - Tensor._make(f)) for v, f in zip(ix, lo)]
        taps, weights = [], []
        for i, j in itertools.product(range(4), range(4)):
            pos = []
            for d, k in ((0, i), (1, j)):
                p, _ = pad_coordinates(lo[d] - 1 + k, sizes[d], padding_mode, align_corners)
                pos.append(np.trunc(p).astype(np.int64))
            taps.append(pos)
            weights.append(cubic[0][i] * cubic[1][j])
        return _gather_taps(flat, taps, sizes, out_shape, weights)
    ix = []
    for d in range(nd):
        v = _unnormalize(coords[d], sizes[d], align_corners, nd)
        if padding_mode != "zeros":
            value, slope = pad_coordinates(v._data, sizes[d], padding_mode, align_corners)
            v = PiecewiseLinear.apply(v, value, slope)
        ix.append(v)
    if mode == "nearest":
        pos = [np.rint(v._data).astype(np.int64) for v in ix]
        one = PiecewiseLinear.apply(ix[0], np.ones_like(ix[0]._data), np.zeros_like(ix[0]._data))
        return _gather_taps(flat, [pos], sizes, out_shape, [one])
    lo = [np.floor(v._data) for v in ix]
    frac = [v - Tensor._make(f) for v, f in zip(ix, lo)]
    taps, weights = [], []
    for corner in itertools.product((0, 1), repeat=nd):
        taps.append([(f + k).astype(np.int64) for f, k in zip(lo, corner)])
        ws = [fr if k else 1 - fr for fr, k in zip(frac, corner)]
        w = ws[0]
        for x in ws[1:]:
            w = w * x
        weights.append(w)
    return _gather_taps(flat, taps, sizes, out_shape, weights)
