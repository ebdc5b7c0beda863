"""torch's remaining pointwise functions: the NaN-ignoring ``fmax``/``fmin``, the integer ``gcd``/``lcm``, and
the complex-number functions as they act on real tensors (``conj`` and ``real`` are the tensor itself,
``angle`` is 0 or pi, ``imag`` is an error: minitorch has no complex dtypes)."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.autograd.function import Op
from minitorch.ops._args import _binary, _check_inplace_dtype, _tensor_arg
from minitorch.ops._elementwise import tensor_pair
from minitorch.ops._util import _share
from minitorch.autograd.inplace import run_inplace


class Fmax(Op):
    """z = fmax(x, y), the maximum ignoring a NaN (NaN only where both are);  dz/dx = 1 unless x < y,
    dz/dy = 1 unless x > y, 1/2 each on ties (torch's ``maximum`` gradient: both get it where either is NaN)."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.masks = _masks(x, y)
        return np.fmax(x, y)

    @staticmethod
    def backward(ctx, grad):
        less, greater, tie, sx, sy = ctx.masks
        return _pick(ctx, grad, less, greater, tie, sx, sy)


class Fmin(Op):
    """z = fmin(x, y), the minimum ignoring a NaN;  dz/dx = 1 unless x > y, dz/dy = 1 unless x < y, 1/2 each
    on ties (both get it where either is NaN)."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.masks = _masks(x, y)
        return np.fmin(x, y)

    @staticmethod
    def backward(ctx, grad):
        less, greater, tie, sx, sy = ctx.masks
        return _pick(ctx, grad, greater, less, tie, sx, sy)


def _masks(x: np.ndarray, y: np.ndarray) -> tuple:
    shape = np.broadcast_shapes(np.shape(x), np.shape(y))
    return (np.broadcast_to(x < y, shape), np.broadcast_to(x > y, shape), np.broadcast_to(x == y, shape),
            np.shape(x), np.shape(y))


def _pick(ctx: Any, grad: Any, x_loses: np.ndarray, y_loses: np.ndarray, tie: np.ndarray, sx: tuple,
          sy: tuple) -> tuple:
    """The gradient to the inputs of a binary max / min: none to the one that lost, half each on a tie."""
    nx, ny = ctx.needs_input_grad
    return (_share(grad, x_loses, tie, sx) if nx else None, _share(grad, y_loses, tie, sy) if ny else None)


class Angle(Op):
    """y = angle(x) of a real x: 0 for x >= 0, pi for x < 0 (NaN stays NaN);  dy/dx = 0."""

    @staticmethod
    def forward(ctx, x):
        return np.where(x < 0, np.asarray(math.pi, x.dtype), np.where(np.isnan(x), x, np.zeros((), x.dtype)))

    @staticmethod
    def backward(ctx, grad):
        return grad * 0


def fmax(input: Tensor, other: Tensor) -> Tensor:
    """The elementwise maximum, ignoring NaN (NaN only where both inputs are NaN)."""
    tensor_pair("fmax", input, other)
    return _binary(Fmax, input, other)


def fmin(input: Tensor, other: Tensor) -> Tensor:
    """The elementwise minimum, ignoring NaN (NaN only where both inputs are NaN)."""
    tensor_pair("fmin", input, other)
    return _binary(Fmin, input, other)


def _integer_pair(fn: str, input: Any, other: Any) -> tuple:
    tensor_pair(fn, input, other)
    rt = _dtype.result_type(input, other)
    if rt.is_floating_point or rt == _dtype.bool_:
        raise NotImplementedError(f"\"{fn}_cpu\" not implemented for '{_dtype.legacy_name(rt)}'")
    try:
        a, b = np.broadcast_arrays(input._data.astype(rt.np), other._data.astype(rt.np))
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({input.shape[-1]}) must match the size of tensor b "
                           f"({other.shape[-1]}) at non-singleton dimension") from None
    return a, b


def gcd(input: Tensor, other: Tensor) -> Tensor:
    """The elementwise greatest common divisor of two integer tensors (non-negative; gcd(0, 0) = 0)."""
    a, b = _integer_pair("gcd", input, other)
    return Tensor._make(np.gcd(a, b))


def lcm(input: Tensor, other: Tensor) -> Tensor:
    """The elementwise least common multiple of two integer tensors (non-negative; 0 if either is 0)."""
    a, b = _integer_pair("lcm", input, other)
    return Tensor._make(np.lcm(a, b))


def angle(input: Tensor) -> Tensor:
    """The argument of each element: of a real tensor, 0 for x >= 0 and pi for x < 0, as a float tensor."""
    _tensor_arg(input, "angle", "input", 1)
    x = input if input.dtype.is_floating_point else input.to(_dtype.get_default_dtype())
    return Angle.apply(x)


def _integer_inplace(self: Tensor, fn: Any, other: Tensor, name: str) -> Tensor:
    _check_inplace_dtype(self, other, name)
    return run_inplace(self, lambda x: fn(x, other), None, other)


class PointwiseExtraMethods:
    """The Tensor methods of this family."""

    def fmax(self, other: "Tensor") -> "Tensor":
        """The elementwise maximum, ignoring NaN."""
        return fmax(self, other)

    def fmin(self, other: "Tensor") -> "Tensor":
        """The elementwise minimum, ignoring NaN."""
        return fmin(self, other)

    def gcd(self, other: "Tensor") -> "Tensor":
        """The elementwise greatest common divisor."""
        return gcd(self, other)

    def lcm(self, other: "Tensor") -> "Tensor":
        """The elementwise least common multiple."""
        return lcm(self, other)

    def gcd_(self, other: "Tensor") -> "Tensor":
        """``gcd`` in place."""
        return _integer_inplace(self, gcd, other, "gcd_")

    def lcm_(self, other: "Tensor") -> "Tensor":
        """``lcm`` in place."""
        return _integer_inplace(self, lcm, other, "lcm_")

    def angle(self) -> "Tensor":
        """The argument of each element (0 or pi for a real tensor)."""
        return angle(self)

    def conj(self) -> "Tensor":
        """The complex conjugate: a real tensor itself."""
        return self

    def conj_physical(self) -> "Tensor":
        """The complex conjugate, materialized: a real tensor itself."""
        return self

    def conj_physical_(self) -> "Tensor":
        """``conj_physical`` in place: a real tensor is unchanged."""
        return self

    def resolve_conj(self) -> "Tensor":
        """The tensor with its conjugate bit resolved: a real tensor has none, and is returned."""
        return self

    def resolve_neg(self) -> "Tensor":
        """The tensor with its negative bit resolved: a real tensor has none, and is returned."""
        return self

    def is_conj(self) -> bool:
        """Whether the conjugate bit is set: never, minitorch's tensors are real."""
        return False

    def is_neg(self) -> bool:
        """Whether the negative bit is set: never."""
        return False

    @property
    def real(self) -> "Tensor":
        """The real part: a real tensor itself."""
        return self

    @property
    def imag(self) -> "Tensor":
        """The imaginary part, which real tensors do not have (torch's error)."""
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
