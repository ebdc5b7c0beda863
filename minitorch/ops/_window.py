"""Sliding windows on the spatial dims (1-D ops use a height of 1; 3-D ones add a depth), shared by
convolution and pooling.

A ``Window`` says where the kernel taps fall: output position (i, j, ...) reads the padded input at
``i * s_0 + a * d_0``, ``j * s_1 + b * d_1``, ... for each kernel offset (a, b, ...). For a fixed
offset those positions form one strided slice of the padded input, so every kernel here loops over
the kernel offsets and moves whole slices: no Python loop visits a pixel.

Convolutions lay their columns out on a *virtual output grid*: output position (i, j, ...) sits at
``sum(i_d * pitch_d)`` of a flat buffer of ``length = sum((o_d - 1) * pitch_d) + 1`` positions. A
``flat`` window (stride 1) takes the padded input's own strides as pitches: a kernel offset then reads
one contiguous run of the flattened padded input (positions past the output's edge are scratch,
computed and dropped), which copies several times faster than a strided slice with short rows.
Otherwise the pitches are the output's strides and the grid is the output itself.
"""
from __future__ import annotations

import functools
import itertools
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided


def _strides(shape: tuple) -> tuple:
    """C-order element strides of ``shape``."""
    out, step = [], 1
    for n in reversed(shape):
        out.append(step)
        step *= n
    return tuple(reversed(out))


class Window(NamedTuple):
    """Geometry of a sliding window: kernel, stride, dilation, padding (before, after per dim), sizes."""

    kernel: tuple
    stride: tuple
    dilation: tuple
    padding: tuple
    in_size: tuple
    out_size: tuple
    flat: bool = False
    batch_last: bool = False  # a convolution's columns ordered (positions, N): see ``ops.conv``

    @property
    def padded_size(self) -> tuple:
        """Each spatial size plus its padding before and after."""
        return _layout(self).padded

    @property
    def pitches(self) -> tuple:
        """Spacing of the virtual output grid per dim: the padded input's strides if flat, else the output's."""
        return _layout(self).pitches

    @property
    def length(self) -> int:
        """Positions of the flattened virtual output grid: sum((o_d - 1) * pitch_d) + 1."""
        return _layout(self).length

    def offsets(self) -> tuple:
        """(offset, slices): for each kernel offset (row-major), the slices of the padded input it reads."""
        return _layout(self).offsets

    def flat_offsets(self) -> tuple:
        """(offset, run): for each kernel offset of a flat window, the slice of the flattened input it reads."""
        return _layout(self).runs

    def inner(self) -> tuple:
        """The slices of the padded input that hold the unpadded input."""
        return tuple(slice(self.padding[2 * i], self.padding[2 * i] + n) for i, n in enumerate(self.in_size))


class _Layout(NamedTuple):
    padded: tuple
    pitches: tuple
    length: int
    offsets: tuple
    runs: tuple


@functools.lru_cache(maxsize=512)
def _layout(win: Window) -> _Layout:
    """A window's derived geometry, computed once per window (a model meets the same few windows at every
    step): padded size, pitches, length, the slices of each kernel offset and, for a flat window, its runs."""
    p = win.padding
    padded = tuple(n + p[2 * i] + p[2 * i + 1] for i, n in enumerate(win.in_size))
    pitches = _strides(padded if win.flat else win.out_size)
    length = 0 if 0 in win.out_size else sum((o - 1) * q for o, q in zip(win.out_size, pitches)) + 1
    kernel_offsets = tuple(itertools.product(*(range(k) for k in win.kernel)))
    axes = [[slice(a * d, a * d + s * (o - 1) + 1, s) for a in range(k)]
            for k, s, d, o in zip(win.kernel, win.stride, win.dilation, win.out_size)]
    offsets = tuple(zip(kernel_offsets, itertools.product(*axes)))
    runs = []
    if win.flat:
        for off in kernel_offsets:
            start = sum(a * d * q for a, d, q in zip(off, win.dilation, pitches))
            runs.append((off, slice(start, start + length)))
    return _Layout(padded, pitches, length, offsets, tuple(runs))


def planes(a: np.ndarray) -> np.ndarray:
    """View a (N, C, L) array as (N, C, 1, L) so that 1-D ops share the 2-D kernels."""
    return a[:, :, None, :] if a.ndim == 3 else a


def pad_planes(x: np.ndarray, win: Window, fill: float) -> np.ndarray:
    """x (A, B, *spatial) padded with ``fill`` as ``win`` says; x itself (no copy) when there is no padding."""
    if not any(win.padding):
        return x
    xp = np.full(x.shape[:2] + win.padded_size, fill, x.dtype)
    xp[(slice(None), slice(None)) + win.inner()] = x
    return xp


def grid(v: np.ndarray, win: Window) -> np.ndarray:
    """The (..., *out_size) output positions inside a contiguous (..., length) virtual grid (a view)."""
    if not win.flat:
        return v.reshape(v.shape[:-1] + tuple(win.out_size))
    strides = v.strides[:-1] + tuple(p * v.itemsize for p in win.pitches)
    return as_strided(v, v.shape[:-1] + tuple(win.out_size), strides)


def to_grid(y: np.ndarray, win: Window) -> np.ndarray:
    """y (A, B, *out_size) placed on a contiguous (A, B, length) virtual grid, zero between rows."""
    shape = y.shape[:2] + (win.length,)
    v = np.zeros(shape, y.dtype) if win.flat else np.empty(shape, y.dtype)
    grid(v, win)[...] = y
    return v


def im2col(xp: np.ndarray, win: Window, out: np.ndarray) -> None:
    """out[offset] = the inputs kernel offset reads, on the virtual grid.

    ``xp`` is a padded (A, B, *padded_size) stack, ``out`` a (*kernel, A, B, length) view of the
    column buffer (its memory order is the caller's choice).
    """
    nk = len(win.kernel)
    if win.flat:
        flat = xp.reshape(xp.shape[:2] + (-1,))
        for off, run in win.flat_offsets():
            out[off] = flat[:, :, run]
        return
    out = out.reshape(out.shape[:nk + 2] + tuple(win.out_size))
    for off, sl in win.offsets():
        out[off] = xp[(slice(None), slice(None)) + sl]


def col2im(cols: np.ndarray, win: Window) -> np.ndarray:
    """The adjoint of ``im2col``: xp (A, B, *padded_size) with each cols[offset] added back where it was read."""
    nk = len(win.kernel)
    xp = np.zeros(cols.shape[nk:nk + 2] + win.padded_size, cols.dtype)
    if win.flat:
        flat = xp.reshape(xp.shape[:2] + (-1,))
        for off, run in win.flat_offsets():
            flat[:, :, run] += cols[off]
        return xp
    cols = cols.reshape(cols.shape[:nk + 2] + tuple(win.out_size))
    for off, sl in win.offsets():
        xp[(slice(None), slice(None)) + sl] += cols[off]
    return xp
