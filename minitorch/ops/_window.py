"""Sliding windows on the (H, W) plane, shared by convolution and pooling (1-D ops use H = 1).

A ``Window`` says where the kernel taps fall: output pixel (i, j) reads the padded input at
row ``i * sh + a * dh`` and column ``j * sw + b * dw`` for each kernel offset (a, b). For a
fixed offset those positions form one strided slice of the padded plane, so every kernel
here loops over the kh x kw offsets and moves whole slices: no Python loop visits a pixel.

Convolutions lay their columns out on a *virtual output grid* of ``Ho`` rows spaced
``pitch`` apart, flattened to ``length = (Ho - 1) * pitch + Wo`` positions. A ``flat`` window
(stride 1) has the padded width ``Wp`` as pitch: a kernel offset then reads one contiguous
run of the flattened padded plane (positions past ``Wo`` in a row are scratch, computed and
dropped), which copies several times faster than a 2-D slice with short rows. Otherwise the
pitch is ``Wo`` and the grid is the output itself.
"""
from __future__ import annotations

from typing import Iterator, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided


class Window(NamedTuple):
    """Geometry of a sliding window: kernel, stride, dilation, padding (top, bottom, left, right), sizes."""

    kernel: tuple
    stride: tuple
    dilation: tuple
    padding: tuple
    in_size: tuple
    out_size: tuple
    flat: bool = False

    @property
    def padded_size(self) -> tuple:
        """(H + top + bottom, W + left + right)."""
        (h, w), (pt, pb, pl, pr) = self.in_size, self.padding
        return h + pt + pb, w + pl + pr

    @property
    def pitch(self) -> int:
        """Row spacing of the virtual output grid: Wp for a flat window, else Wo."""
        return self.padded_size[1] if self.flat else self.out_size[1]

    @property
    def length(self) -> int:
        """Positions of the flattened virtual output grid: (Ho - 1) * pitch + Wo."""
        ho, wo = self.out_size
        return (ho - 1) * self.pitch + wo if ho else 0

    def offsets(self) -> Iterator[tuple]:
        """(a, b, rows, cols): for each kernel offset, the slices of the padded plane it reads."""
        (kh, kw), (sh, sw), (dh, dw), (ho, wo) = self.kernel, self.stride, self.dilation, self.out_size
        for a in range(kh):
            rows = slice(a * dh, a * dh + sh * (ho - 1) + 1, sh)
            for b in range(kw):
                yield a, b, rows, slice(b * dw, b * dw + sw * (wo - 1) + 1, sw)

    def flat_offsets(self) -> Iterator[tuple]:
        """(a, b, run): for each kernel offset of a flat window, the slice of the flattened plane it reads."""
        (dh, dw), wp, length = self.dilation, self.padded_size[1], self.length
        for a in range(self.kernel[0]):
            for b in range(self.kernel[1]):
                start = a * dh * wp + b * dw
                yield a, b, slice(start, start + length)

    def inner(self) -> tuple:
        """The slices of the padded plane that hold the unpadded input."""
        (h, w), (pt, _, pl, _) = self.in_size, self.padding
        return slice(pt, pt + h), slice(pl, pl + w)


def planes(a: np.ndarray) -> np.ndarray:
    """View a (N, C, L) array as (N, C, 1, L) so that 1-D ops share the 2-D kernels."""
    return a[:, :, None, :] if a.ndim == 3 else a


def pad_planes(x: np.ndarray, win: Window, fill: float) -> np.ndarray:
    """x (A, B, H, W) padded with ``fill`` as ``win`` says; x itself (no copy) when there is no padding."""
    if not any(win.padding):
        return x
    xp = np.full(x.shape[:2] + win.padded_size, fill, x.dtype)
    xp[(slice(None), slice(None)) + win.inner()] = x
    return xp


def grid(v: np.ndarray, win: Window) -> np.ndarray:
    """The (..., Ho, Wo) output pixels inside a contiguous (..., length) virtual grid (a view)."""
    ho, wo = win.out_size
    if not win.flat:
        return v.reshape(v.shape[:-1] + (ho, wo))
    return as_strided(v, v.shape[:-1] + (ho, wo), v.strides[:-1] + (win.pitch * v.itemsize, v.itemsize))


def to_grid(y: np.ndarray, win: Window) -> np.ndarray:
    """y (A, B, Ho, Wo) placed on a contiguous (A, B, length) virtual grid, zero between rows."""
    ho, wo = win.out_size
    shape = y.shape[:2] + (win.length,)
    v = np.zeros(shape, y.dtype) if win.flat else np.empty(shape, y.dtype)
    grid(v, win)[...] = y
    return v


def im2col(xp: np.ndarray, win: Window, out: np.ndarray) -> None:
    """out[a, b] = the inputs kernel offset (a, b) reads, on the virtual grid.

    ``xp`` is a padded (A, B, Hp, Wp) plane stack, ``out`` a (kh, kw, A, B, length) view of the
    column buffer (its memory order is the caller's choice).
    """
    if win.flat:
        flat = xp.reshape(xp.shape[:2] + (xp.shape[2] * xp.shape[3],))
        for a, b, run in win.flat_offsets():
            out[a, b] = flat[:, :, run]
        return
    out = out.reshape(out.shape[:4] + tuple(win.out_size))
    for a, b, rows, cols in win.offsets():
        out[a, b] = xp[:, :, rows, cols]


def col2im(cols: np.ndarray, win: Window) -> np.ndarray:
    """The adjoint of ``im2col``: xp (A, B, Hp, Wp) with each cols[a, b] added back where it was read."""
    xp = np.zeros(cols.shape[2:4] + win.padded_size, cols.dtype)
    if win.flat:
        flat = xp.reshape(xp.shape[:2] + (xp.shape[2] * xp.shape[3],))
        for a, b, run in win.flat_offsets():
            flat[:, :, run] += cols[a, b]
        return xp
    cols = cols.reshape(cols.shape[:4] + tuple(win.out_size))
    for a, b, rows, c in win.offsets():
        xp[:, :, rows, c] += cols[a, b]
    return xp
