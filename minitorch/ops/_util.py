"""Shared helpers of the ops: undoing broadcasting in gradients, and the few operations whose
spelling differs between numpy arrays and Tensors, so one backward serves both (``Op.arrays_in_backward``)."""
from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from minitorch.autograd.function import Op
from minitorch._tensor import Tensor

# torch computes log(0) = -inf, exp(1000) = inf, 1/0 = inf, sqrt(-1) = nan silently: numpy's floating-point
# RuntimeWarnings raised inside the ops (and the in-place kernels of minitorch._tensor) are ignored once
# here, at no cost per op call.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"minitorch\.(ops\.|_tensor$|autograd\.)")


def sum_to_axes(shape: tuple, target: tuple) -> tuple:
    """The axes of ``shape`` to sum (keeping dims) so that it reduces to ``target``."""
    lead = len(shape) - len(target)
    return tuple(range(lead)) + tuple(
        i + lead for i, t in enumerate(target) if t == 1 and shape[i + lead] != 1
    )


class SumTo(Op):
    """y = the sum of x over the axes broadcasting stretched, shaped ``shape``; dy/dx = 1 (expand back)."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.shape
        axes = sum_to_axes(x.shape, shape)
        return np.sum(x, axis=axes, keepdims=True).reshape(shape) if axes else x.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return expand_to(grad, ctx.in_shape), None


def unbroadcast(grad: Any, shape: tuple) -> Any:
    """Sum ``grad`` back to ``shape``: the gradient of a broadcast is the sum over its copies."""
    if grad.shape == shape:
        return grad
    if not isinstance(grad, Tensor):  # an ndarray, or the numpy scalar that 0-d arithmetic returns
        axes = sum_to_axes(grad.shape, shape)
        return np.add.reduce(grad, axis=axes, keepdims=True).reshape(shape) if axes else grad.reshape(shape)
    return SumTo.apply(grad, tuple(shape))


_SMALL = 4096  # below this many elements, filling a new array is cheaper than numpy's broadcast_to


def expand_to(grad: Any, shape: tuple) -> Any:
    """``grad`` broadcast to ``shape``: a view (no copy), or for small arrays a filled copy."""
    if isinstance(grad, Tensor):
        return grad.expand(shape)
    if math.prod(shape) > _SMALL:
        return np.broadcast_to(grad, shape)
    out = np.empty(shape, grad.dtype)
    out[...] = grad
    return out


def sum_keepdim(x: Any, dim: Any) -> Any:
    """The sum of ``x`` over ``dim``, keeping it as a size-1 dim."""
    if not isinstance(x, Tensor):
        return np.add.reduce(x, axis=dim, keepdims=True)
    return x.sum(dim, keepdim=True)


def subtract_at(a: Any, index: tuple, v: Any) -> Any:
    """``a`` with ``v`` (shaped like ``a`` with dim 1 of size 1) subtracted at the elements ``a[index]``.

    ``index`` picks one element per position along dim 1 (class indices). An ndarray is changed in
    place; a Tensor gets a differentiable ``a - onehot * v``.
    """
    if not isinstance(a, Tensor):
        a[index] -= v.reshape(v.shape[:1] + v.shape[2:])
        return a
    onehot = np.zeros(a.shape, a._data.dtype)
    onehot[index] = 1
    return a - Tensor._make(onehot) * v


def sigmoid(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """sigma(x) = 1 / (1 + exp(-x)) in one exp pass, into ``out`` (which may be ``x``) or a new array.

    exp(-x) = inf gives exactly 0, the right limit (the overflow warning is silenced for the ops)."""
    out = np.negative(x, out=np.empty_like(x) if out is None else out)
    np.exp(out, out=out)
    out += 1
    return np.reciprocal(out, out=out)


def nonzero(x: Any) -> Any:
    """The mask x != 0 (NaN counts as non-zero), as bools."""
    return x != 0 if isinstance(x, Tensor) else x.astype(bool)


def exp(x: Any) -> Any:
    """e^x of an array or a Tensor."""
    return x.exp() if isinstance(x, Tensor) else np.exp(x)


def swap_dims(x: Any, d0: int, d1: int) -> Any:
    """x with dims d0 and d1 swapped (a view), of an array or a Tensor."""
    return x.transpose(d0, d1) if isinstance(x, Tensor) else np.swapaxes(x, d0, d1)


def permute(x: Any, dims: tuple) -> Any:
    """x with its dims in the order ``dims`` (a view), of an array or a Tensor."""
    return x.permute(dims) if isinstance(x, Tensor) else x.transpose(dims)


def log(x: Any) -> Any:
    """The natural log of an array or a Tensor (-inf at 0, as torch)."""
    return x.log() if isinstance(x, Tensor) else np.log(x)


def clamp_min(x: Any, low: float) -> Any:
    """max(x, low) element-wise, of an array or a Tensor."""
    return x.clamp(min=low) if isinstance(x, Tensor) else np.maximum(x, x.dtype.type(low))


def _share(grad: Tensor, none: np.ndarray, half: np.ndarray, shape: tuple) -> Tensor:
    """``grad`` times a weight of 0 where ``none``, 1/2 where ``half``, 1 elsewhere, summed back to ``shape``."""
    weight = np.logical_not(none).astype(grad._data.dtype)
    if half.any():  # ties are rare: no pass over the weights without them
        weight[half] = 0.5
    return unbroadcast(grad * Tensor._make(weight), shape)
