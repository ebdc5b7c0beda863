"""Logical and bitwise ops: logical_not/and/or, & | ^ ~ << >> (no gradients: integer and bool values)."""
from __future__ import annotations

import operator
from typing import Any, Callable

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.ops._args import _as_tensor, _inplace_binary, _np, _number_or_tensor, _tensor_arg


def _integer_result(kernel: str, a: Tensor, b: Any) -> "_dtype.dtype":
    """The result dtype of a bitwise op; torch has no float kernel for these."""
    rt = _dtype.result_type(a, b)
    if rt.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_dtype.legacy_name(rt)}\'')
    return rt


def _bitwise(fn: Callable, kernel: str, a: Tensor, b: Any) -> Tensor:
    _tensor_arg(a, fn.__name__, "input", 1)
    rt = _integer_result(kernel, a, b).np
    return Tensor._make(np.asarray(fn(a._data.astype(rt, copy=False), np.asarray(_np(b)).astype(rt, copy=False))))


def _shift(a: Tensor, b: Any, left: bool) -> Tensor:
    """a << b or a >> b as torch computes them: counts outside [0, bits) shift everything out."""
    rt = _integer_result("lshift_cpu" if left else "rshift_cpu", a, b).np
    if rt == np.bool_:
        rt = np.dtype(np.int64)
    x, n = a._data.astype(rt, copy=False), np.asarray(_np(b)).astype(rt, copy=False)
    bits = rt.itemsize * 8
    outside = (n < 0) | (n >= bits)
    if left:
        out = np.where(outside, 0, np.left_shift(x, np.where(outside, 0, n)))
    else:
        fill = bits - 1 if rt.kind == "i" else 0
        out = np.where(outside & (rt.kind == "u"), 0, np.right_shift(x, np.where(outside, fill, n)))
    return Tensor._make(np.asarray(out, rt))


class LogicalMethods:
    """The Tensor methods of logical and bitwise operators; minitorch/__init__.py joins them to Tensor."""

    def __invert__(self) -> "Tensor":
        if self._data.dtype.kind == "f":
            raise NotImplementedError(f'"bitwise_not_cpu" not implemented for \'{_dtype.legacy_name(self.dtype)}\'')
        return Tensor._make(~self._data)

    def __and__(self, other: Any) -> "Tensor":
        return _bitwise(np.bitwise_and, "bitwise_and_cpu", self, other)

    def __or__(self, other: Any) -> "Tensor":
        return _bitwise(np.bitwise_or, "bitwise_or_cpu", self, other)

    def __xor__(self, other: Any) -> "Tensor":
        return _bitwise(np.bitwise_xor, "bitwise_xor_cpu", self, other)

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    def __lshift__(self, other: Any) -> "Tensor":
        return _shift(self, other, left=True)

    def __rshift__(self, other: Any) -> "Tensor":
        return _shift(self, other, left=False)

    def __rlshift__(self, other: Any) -> "Tensor":
        return _shift(_as_tensor(other, self), self, left=True)

    def __rrshift__(self, other: Any) -> "Tensor":
        return _shift(_as_tensor(other, self), self, left=False)

    def bitwise_and(self, other: Any) -> "Tensor":
        """self & other, for integer and bool tensors."""
        _number_or_tensor(self, other, "bitwise_and")
        return self & other

    def bitwise_or(self, other: Any) -> "Tensor":
        """self | other, for integer and bool tensors."""
        _number_or_tensor(self, other, "bitwise_or")
        return self | other

    def bitwise_xor(self, other: Any) -> "Tensor":
        """self ^ other, for integer and bool tensors."""
        _number_or_tensor(self, other, "bitwise_xor")
        return self ^ other

    def bitwise_not(self) -> "Tensor":
        """~self, for integer and bool tensors."""
        return ~self

    def bitwise_left_shift(self, other: Any) -> "Tensor":
        """self << other: shifts of a negative count or of the dtype's width or more give 0."""
        _number_or_tensor(self, other, "bitwise_left_shift")
        return self << other

    def bitwise_right_shift(self, other: Any) -> "Tensor":
        """self >> other (arithmetic): out-of-range counts give the sign fill, 0 or -1."""
        _number_or_tensor(self, other, "bitwise_right_shift")
        return self >> other

    def logical_not(self) -> "Tensor":
        """Elementwise logical NOT (nonzero is True)."""
        return Tensor._make(np.logical_not(self._data))

    def logical_and(self, other: "Tensor") -> "Tensor":
        """Elementwise logical AND (nonzero is True)."""
        _tensor_arg(self, "logical_and", "input", 1)
        _tensor_arg(other, "logical_and", "other", 2)
        return Tensor._make(np.logical_and(self._data, _np(other)))

    def logical_or(self, other: "Tensor") -> "Tensor":
        """Elementwise logical OR (nonzero is True)."""
        _tensor_arg(self, "logical_or", "input", 1)
        _tensor_arg(other, "logical_or", "other", 2)
        return Tensor._make(np.logical_or(self._data, _np(other)))

    def bitwise_and_(self, other: Any) -> "Tensor":
        """self &= other, in place."""
        return _inplace_binary(self, other, "bitwise_and_", operator.and_)

    def bitwise_or_(self, other: Any) -> "Tensor":
        """self |= other, in place."""
        return _inplace_binary(self, other, "bitwise_or_", operator.or_)

    def bitwise_xor_(self, other: Any) -> "Tensor":
        """self ^= other, in place."""
        return _inplace_binary(self, other, "bitwise_xor_", operator.xor)

    def bitwise_left_shift_(self, other: Any) -> "Tensor":
        """self <<= other, in place."""
        return _inplace_binary(self, other, "bitwise_left_shift_", operator.lshift)

    def bitwise_right_shift_(self, other: Any) -> "Tensor":
        """self >>= other, in place."""
        return _inplace_binary(self, other, "bitwise_right_shift_", operator.rshift)

    __ilshift__, __irshift__ = bitwise_left_shift_, bitwise_right_shift_

    __iand__, __ior__, __ixor__ = bitwise_and_, bitwise_or_, bitwise_xor_
