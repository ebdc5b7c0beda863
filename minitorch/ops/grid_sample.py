"""The coordinate maps of ``grid_sample``: border clipping and reflection, as torch's CPU kernels compute them.

``grid_sample`` itself is composed in ``nn.functional.vision`` from Tensor ops (gather, products of
interpolation weights), so its gradients to the input and to the grid, and its double backward, come
from those ops. The padding modes are the one piece that is not a Tensor op: a piecewise linear map of
a source coordinate, applied by ``PiecewiseLinear`` with the value and the slope computed here.
"""
from __future__ import annotations

import numpy as np

from minitorch.autograd.function import Op
from minitorch._tensor import Tensor


class PiecewiseLinear(Op):
    """y = value, a piecewise linear function of x whose slope at x is ``slope``;  dL/dx = g * slope."""

    @staticmethod
    def forward(ctx, x, value, slope):
        ctx.slope = slope
        return value

    @staticmethod
    def backward(ctx, grad):
        return grad * Tensor._make(ctx.slope.astype(grad.dtype.name, copy=False)), None, None


def clip(v: np.ndarray, size: int) -> tuple:
    """(v clipped to [0, size - 1], slope): torch's ``clip_coordinates`` (the bounds count as outside)."""
    out = np.minimum(np.maximum(v, 0), size - 1).astype(v.dtype, copy=False)
    return out, ((out != 0) & (out != size - 1)).astype(v.dtype)


def reflect(v: np.ndarray, twice_low: int, twice_high: int) -> tuple:
    """(v reflected into [twice_low / 2, twice_high / 2], slope): torch's ``reflect_coordinates``."""
    if twice_low == twice_high:
        return np.zeros_like(v), np.zeros_like(v)
    t = v.dtype.type
    lo, span = t(twice_low / 2), t((twice_high - twice_low) / 2)
    double = span * t(2)
    shifted = v - lo
    sign = np.where(shifted < 0, t(-1), t(1))
    a = np.abs(shifted)
    extra = a - np.trunc(a / double) * double
    flip = extra > span
    return (np.where(flip, double - extra, extra) + lo).astype(v.dtype, copy=False), np.where(flip, -sign, sign)


def pad_coordinates(v: np.ndarray, size: int, padding_mode: str, align_corners: bool) -> tuple:
    """(source coordinate after the padding mode, slope): zeros keeps v; border clips; reflection reflects
    about the edge pixels' centres (align_corners) or outer edges, then clips."""
    if padding_mode == "zeros":
        return v, np.ones_like(v)
    slope = np.ones_like(v)
    if padding_mode == "reflection":
        v, slope = reflect(v, 0, 2 * (size - 1)) if align_corners else reflect(v, -1, 2 * size - 1)
    v, s = clip(v, size)
    return v, slope * s
