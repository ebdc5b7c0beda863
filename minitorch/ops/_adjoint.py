"""Pairs of linear ops, each the other's gradient: y = A x and its adjoint x' = A^T g.

Many kernels (im2col / col2im, resampling / its scatter, pooling routes / picks) are linear in
their one Tensor input, with the map A fixed by constant arguments (a window, indices, taps).
The gradient of y = A x is A^T g, and the gradient of x' = A^T g is A again, so a pair of
``LinearMap`` subclasses that name each other as ``adjoint`` is closed under differentiation:
``create_graph`` and double backward need nothing more. A subclass gives only its numpy
``kernel`` and, when its adjoint needs something of the input (its shape), ``adjoint_args``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch.autograd.function import Op
from minitorch._tensor import Tensor


class LinearMap(Op):
    """y = kernel(x, *args), linear in x for constant ``args``;  dL/dx = ``adjoint``(g, *adjoint_args(x, *args)).

    In array mode backward runs the adjoint's kernel on the gradient array; otherwise it applies the adjoint
    op, so that the gradient is recorded (and differentiable) under ``create_graph``."""

    adjoint: type[LinearMap]
    arrays_in_backward = True

    @staticmethod
    def kernel(x: np.ndarray, *args: Any) -> np.ndarray:
        """A x, in numpy."""
        raise NotImplementedError

    @staticmethod
    def adjoint_args(x: np.ndarray, *args: Any) -> tuple:
        """The constant arguments of ``adjoint`` for input ``x``: by default this op's own."""
        return args

    @staticmethod
    def forward(ctx, x, *args):
        op = type(ctx)
        ctx.adjoint_call = op.adjoint_args(x, *args)
        return op.kernel(x, *args)

    @staticmethod
    def backward(ctx, grad):
        adjoint, args = type(ctx).adjoint, ctx.adjoint_call
        g = adjoint.apply(grad, *args) if isinstance(grad, Tensor) else adjoint.kernel(np.asarray(grad), *args)
        return (g,) + (None,) * (len(ctx._next) - 1)
