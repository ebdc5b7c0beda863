"""Shared helpers of the ops: undoing broadcasting in gradients."""
from __future__ import annotations

import warnings

import numpy as np

from minitorch.autograd.function import Op
from minitorch.tensor import Tensor

# torch computes log(0) = -inf, exp(1000) = inf, 1/0 = inf, sqrt(-1) = nan silently: numpy's floating-point
# RuntimeWarnings raised inside the ops are ignored once here, at no cost per op call.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"minitorch\.ops\.")


def sum_to_axes(shape: tuple, target: tuple) -> tuple:
    """The axes of ``shape`` to sum (keeping dims) so that it reduces to ``target``."""
    lead = len(shape) - len(target)
    return tuple(range(lead)) + tuple(
        i + lead for i, t in enumerate(target) if t == 1 and shape[i + lead] != 1
    )


class SumTo(Op):
    """y = the sum of x over the axes broadcasting stretched, shaped ``shape``; dy/dx = 1 (expand back)."""

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.shape
        axes = sum_to_axes(x.shape, shape)
        return np.sum(x, axis=axes, keepdims=True).reshape(shape) if axes else x.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.expand(ctx.in_shape), None


def unbroadcast(grad: Tensor, shape: tuple) -> Tensor:
    """Sum ``grad`` back to ``shape``: the gradient of a broadcast is the sum over its copies."""
    if grad._data.shape == shape:
        return grad
    return SumTo.apply(grad, tuple(shape))
