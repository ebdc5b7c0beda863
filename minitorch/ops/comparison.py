"""Comparisons: == != < <= > >=, isclose/allclose, isnan/isinf/isfinite, maximum/minimum."""
from __future__ import annotations

import builtins
from typing import Any, Callable

import numpy as np

from minitorch._tensor import Tensor
from minitorch.autograd.function import Op
from minitorch.ops._args import _binary, _broadcastable, _invalid_args, _mismatch, _np, _tensor_arg
from minitorch.ops._util import _share


class Maximum(Op):
    """z = max(x, y);  dz/dx = 1 unless x < y, dz/dy = 1 unless x > y, each 1/2 on ties (so both inputs get the
    whole gradient where either is NaN, as torch's ``where(x == y, g / 2, g).masked_fill_(x < y, 0)``)."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return np.maximum(x, y)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return _split(ctx, grad, x, y, x._data < y._data, x._data > y._data)


class Minimum(Op):
    """z = min(x, y);  dz/dx = 1 unless x > y, dz/dy = 1 unless x < y, each 1/2 on ties (both get it at NaN)."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return np.minimum(x, y)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return _split(ctx, grad, x, y, x._data > y._data, x._data < y._data)


def _split(ctx, grad: Tensor, x: Tensor, y: Tensor, x_loses: np.ndarray, y_loses: np.ndarray) -> tuple:
    """The gradients of a binary max / min: 0 to the input that lost, half to each on a tie."""
    tie = x._data == y._data
    nx, ny = ctx.needs_input_grad
    return (_share(grad, x_loses, tie, x.shape) if nx else None, _share(grad, y_loses, tie, y.shape) if ny else None)


def _compare(a: Any, b: Any, fn: Callable, name: str) -> Tensor:
    """An elementwise comparison (no gradient), with torch's errors for a non-tensor input or shapes that do
    not broadcast."""
    if not isinstance(a, Tensor):
        raise _invalid_args(name, (a, b), ("Tensor input, Tensor other", "Tensor input, Number other"))
    o = b._data if isinstance(b, Tensor) else b
    try:
        return Tensor._make(np.asarray(fn(a._data, o)))
    except ValueError:
        raise RuntimeError(_mismatch(a._data.shape, np.shape(o))) from None


def maximum(input: Tensor, other: Tensor) -> Tensor:
    """The elementwise maximum of ``input`` and ``other``."""
    _tensor_arg(input, "maximum", "input", 1)
    return input.maximum(other)


def minimum(input: Tensor, other: Tensor) -> Tensor:
    """The elementwise minimum of ``input`` and ``other``."""
    _tensor_arg(input, "minimum", "input", 1)
    return input.minimum(other)


class ComparisonMethods:
    """The Tensor methods of comparisons; minitorch/__init__.py joins them to Tensor."""

    def __eq__(self, other: Any) -> "Tensor":  # type: ignore[override]
        return _compare(self, other, np.equal, "eq")

    def __ne__(self, other: Any) -> "Tensor":  # type: ignore[override]
        return _compare(self, other, np.not_equal, "ne")

    def __lt__(self, other: Any) -> "Tensor":
        return _compare(self, other, np.less, "lt")

    def __le__(self, other: Any) -> "Tensor":
        return _compare(self, other, np.less_equal, "le")

    def __gt__(self, other: Any) -> "Tensor":
        return _compare(self, other, np.greater, "gt")

    def __ge__(self, other: Any) -> "Tensor":
        return _compare(self, other, np.greater_equal, "ge")

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__

    def equal(self, other: "Tensor") -> bool:
        """True when both tensors have the same shape and values."""
        return self.shape == other.shape and builtins.bool(np.array_equal(self._data, other._data))

    def allclose(self, other: "Tensor", rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
        """True when |self - other| <= atol + rtol * |other| everywhere (shapes broadcast)."""
        return builtins.bool(self.isclose(other, rtol, atol, equal_nan)._data.all())

    def isclose(self, other: "Tensor", rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> "Tensor":
        """Elementwise |self - other| <= atol + rtol * |other| (NaNs equal when ``equal_nan``)."""
        _tensor_arg(self, "isclose", "input", 1)
        _tensor_arg(other, "isclose", "other", 2)
        if rtol < 0:
            raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
        if atol < 0:
            raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")
        o = _np(other)
        if not _broadcastable(self._data.shape, np.shape(o)):
            raise RuntimeError(_mismatch(self._data.shape, np.shape(o)))
        return Tensor._make(np.asarray(np.isclose(self._data, o, rtol=rtol, atol=atol, equal_nan=equal_nan)))

    def isnan(self) -> "Tensor":
        """Elementwise: is the value NaN."""
        return Tensor._make(np.isnan(self._data))

    def isinf(self) -> "Tensor":
        """Elementwise: is the value +inf or -inf."""
        return Tensor._make(np.isinf(self._data))

    def isfinite(self) -> "Tensor":
        """Elementwise: is the value neither inf nor NaN."""
        return Tensor._make(np.isfinite(self._data))

    def maximum(self, other: "Tensor") -> "Tensor":
        """The elementwise maximum of self and other (broadcast)."""
        _tensor_arg(other, "maximum", "other", 2)
        return _binary(Maximum, self, other)

    def minimum(self, other: "Tensor") -> "Tensor":
        """The elementwise minimum of self and other (broadcast)."""
        _tensor_arg(other, "minimum", "other", 2)
        return _binary(Minimum, self, other)
