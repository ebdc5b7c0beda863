"""Arithmetic: + - * / // % ** and negation, with broadcasting, and their in-place forms."""
from __future__ import annotations

import builtins
import math
import numbers
import operator
from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.autograd.function import Op
from minitorch.autograd.inplace import run_inplace
from minitorch.ops._args import (
    _PY_NUMBERS, _binary, _binary_dtype, _check_inplace_dtype, _floating, _inplace_binary, _invalid_args, _no_bool_sub, _not_for_bools, _np, _number_or_tensor, _self_is_tensor,
)
from minitorch.ops._util import unbroadcast

# getattr(x, "shape", ()) below: an operand's shape (array or Tensor), or () for a Python number.


class Add(Op):
    """z = x + y;  dz/dx = 1,  dz/dy = 1 (summed back over broadcast axes)."""

    arrays_in_backward = True
    scalars_are_inputs = True

    @staticmethod
    def forward(ctx, x, y):
        ctx.shapes = getattr(x, "shape", ()), getattr(y, "shape", ())
        return x + y

    @staticmethod
    def backward(ctx, grad):
        sx, sy = ctx.shapes
        nx, ny = ctx.needs_input_grad
        return unbroadcast(grad, sx) if nx else None, unbroadcast(grad, sy) if ny else None


class AddScalar(Op):
    """z = x + c for a Python number c;  dz/dx = 1. torch records it as ``AddBackward0`` too."""

    arrays_in_backward = True
    scalars_are_inputs = True

    def name(self) -> str:
        return "AddBackward0"

    @staticmethod
    def forward(ctx, x, c):
        return x + c

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class Sub(Op):
    """z = x - y;  dz/dx = 1,  dz/dy = -1."""

    arrays_in_backward = True
    scalars_are_inputs = True

    @staticmethod
    def forward(ctx, x, y):
        ctx.shapes = getattr(x, "shape", ()), getattr(y, "shape", ())
        return x - y

    @staticmethod
    def backward(ctx, grad):
        sx, sy = ctx.shapes
        nx, ny = ctx.needs_input_grad
        return unbroadcast(grad, sx) if nx else None, unbroadcast(-grad, sy) if ny else None


class Mul(Op):
    """z = x * y;  dz/dx = y,  dz/dy = x (summed back over broadcast axes).

    Like torch, only the operand that the other's gradient needs is saved, so ``x`` may be changed
    in place after ``x * 2`` without breaking backward.
    """

    arrays_in_backward = True
    scalars_are_inputs = True

    @staticmethod
    def forward(ctx, x, y):
        needs = ctx.needs_input_grad
        if needs:  # recording
            ctx.save_for_backward(x if needs[1] else None, y if needs[0] else None)
            ctx.shapes = getattr(x, "shape", ()), getattr(y, "shape", ())
        return x * y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        (sx, sy), (nx, ny) = ctx.shapes, ctx.needs_input_grad
        return unbroadcast(grad * y, sx) if nx else None, unbroadcast(grad * x, sy) if ny else None


class MulScalar(Op):
    """z = x * c for a Python number c;  dz/dx = c. torch records it as ``MulBackward0`` too."""

    arrays_in_backward = True
    scalars_are_inputs = True

    def name(self) -> str:
        return "MulBackward0"

    @staticmethod
    def forward(ctx, x, c):
        ctx.c = c
        return x * c

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.c, None


class Div(Op):
    """z = x / y;  dz/dx = 1 / y,  dz/dy = -(x / y) / y (torch's order: a tiny y gives -inf, not x / 0)."""

    arrays_in_backward = True
    scalars_are_inputs = True

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x / y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        gx = unbroadcast(grad / y, getattr(x, "shape", ())) if nx else None
        gy = unbroadcast(_div_grad_y(grad, x, y), getattr(y, "shape", ())) if ny else None
        return gx, gy


def _div_grad_y(grad, x, y):
    """-grad * ((x / y) / y), in torch's order; on arrays in place, so it costs no more than -grad * x / (y * y)."""
    if not isinstance(grad, np.ndarray):  # Tensors: the differentiable form (create_graph)
        return -grad * (x / y / y)
    q = np.divide(x, y, out=np.empty(grad.shape, grad.dtype))
    q /= y
    q *= grad
    return np.negative(q, out=q)


class Reciprocal(Op):
    """z = 1 / x;  dz/dx = -z^2. torch computes ``c / x`` as ``reciprocal(x) * c``, and so does minitorch."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x):
        z = np.reciprocal(x)
        ctx.save_for_backward(z)
        return z

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return -grad * (z * z)


def _no_integer_zero_division(x, y) -> None:
    """Integer division by zero is an error in torch (numpy would give 0 with a warning), unless the result is empty."""
    if np.result_type(x, y).kind in "iu" and np.size(x) and np.size(y) and not np.all(y):
        raise RuntimeError("ZeroDivisionError")


class FloorDivide(Op):
    """z = floor(x / y); the gradient is zero almost everywhere (torch gives none)."""

    @staticmethod
    def forward(ctx, x, y):
        _no_integer_zero_division(x, y)
        return np.floor_divide(x, y)

    @staticmethod
    def backward(ctx, grad):
        return None, None


def _trunc_divide(x, y):
    """C's truncating division: trunc(x / y) for floats; for integers, exactly (no float round trip)."""
    if np.result_type(x, y).kind == "f":
        return np.trunc(np.true_divide(x, y))
    q = np.floor_divide(x, y)
    return q + ((np.remainder(x, y) != 0) & ((np.asarray(x) < 0) != (np.asarray(y) < 0)))


class DivTrunc(Op):
    """z = trunc(x / y) (``div(rounding_mode='trunc')``);  dz/dx = dz/dy = 0: torch's DivBackward2 gives zero
    gradients, and the output requires grad as torch's does."""

    scalars_are_inputs = True

    def name(self) -> str:
        return "DivBackward2"

    @classmethod
    def forward(cls, ctx, x, y):
        _no_integer_zero_division(x, y)
        ctx.sx, ctx.sy = np.shape(x), np.shape(y)
        return np.asarray(cls.divide(x, y))

    divide = staticmethod(_trunc_divide)

    @staticmethod
    def backward(ctx, grad):
        nx, ny = ctx.needs_input_grad
        zero = grad * 0
        return unbroadcast(zero, ctx.sx) if nx else None, unbroadcast(zero, ctx.sy) if ny else None


class DivFloor(DivTrunc):
    """z = floor(x / y) (``div(rounding_mode='floor')``, Python's floor division);  zero gradients, as DivTrunc."""

    divide = staticmethod(np.floor_divide)


_Rounded = {"trunc": DivTrunc, "floor": DivFloor}


class Remainder(Op):
    """z = x - floor(x / y) * y (sign of y, like Python's %; a zero result keeps the sign of x, as torch's
    fmod-based kernel gives);  dz/dx = 1,  dz/dy = -floor(x / y)."""

    scalars_are_inputs = True

    @staticmethod
    def forward(ctx, x, y):
        _no_integer_zero_division(x, y)
        ctx.save_for_backward(x, y)
        z = np.remainder(x, y)
        if z.dtype.kind == "f":
            zero = z == 0
            if zero.any():
                z = np.where(zero, np.copysign(z, x), z)
        return z

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        gx = unbroadcast(grad, getattr(x, "shape", ())) if nx else None
        gy = unbroadcast(-grad * (x // y), getattr(y, "shape", ())) if ny else None
        return gx, gy


class Neg(Op):
    """z = -x;  dz/dx = -1."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x):
        return -x

    @staticmethod
    def backward(ctx, grad):
        return -grad


def _pow_scalar(x: np.ndarray, c: float) -> np.ndarray:
    """x ** c for a float array and a Python number, with torch's exact forms for the common exponents."""
    if c == 2:
        return x * x
    if c == 3:
        return x * x * x
    if c == 0.5:
        return np.sqrt(x)
    if c == -0.5:
        return 1 / np.sqrt(x)
    if c == -1:
        return 1 / x
    if c == -2:
        return 1 / (x * x)
    return np.power(x, c)


def _int_pow(x, y) -> np.ndarray:
    """Integer x ** y where some y < 0, as torch: 1 for x = 1, +-1 for x = -1 (by y's parity), else 0."""
    negative = y < 0
    z = np.asarray(np.power(x, np.where(negative, 0, y)))  # a 0-d result is a numpy scalar
    fill = np.where(x == 1, 1, np.where(x == -1, 1 - 2 * (y & 1), 0))
    if z.ndim == 0:
        return np.asarray(fill if negative else z, z.dtype)
    np.copyto(z, fill, where=negative, casting="unsafe")
    return z


class Pow(Op):
    """z = x ** y;  dz/dx = y * x ** (y - 1) (0 where y = 0),  dz/dy = z * log(x) (0 where x = 0 and y >= 0;
    -inf where x = 0 and y < 0, as torch's pow_backward_exponent)."""

    @staticmethod
    def forward(ctx, x, y):
        if type(y) in (int, float) and x.dtype.kind == "f":
            z = _pow_scalar(x, y)
        else:
            try:
                z = np.power(x, y)
            except ValueError:  # numpy refuses integers to negative integer powers; torch defines them
                z = _int_pow(x, y)
        ctx.save_for_backward(x, y, z)
        return z

    @staticmethod
    def backward(ctx, grad):
        x, y, z = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        gx = gy = None
        if nx:
            if isinstance(y, Tensor):
                gx = unbroadcast((grad * (y * x ** (y - 1))).masked_fill(y == 0, 0.0), x.shape)
            elif y == 0:
                gx = Tensor._make(np.zeros(x.shape, grad._data.dtype))
            else:
                gx = grad * (y * x ** (y - 1))
        if ny:
            if isinstance(x, Tensor):
                d = (z * x.log()).masked_fill((x == 0) & (y >= 0), 0.0)
            else:
                log_x = math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)
                d = z * log_x if x != 0 else (z * log_x).masked_fill(y >= 0, 0.0)
            gy = unbroadcast(grad * d, y.shape)
        return gx, gy


class ArithmeticMethods:
    """The Tensor methods of arithmetic operators and their in-place forms; minitorch/__init__.py joins them to Tensor."""

    def __add__(self, other: Any) -> "Tensor":
        if type(other) in _PY_NUMBERS and self._data.dtype.kind == "f":  # the hot path: nothing to promote
            return AddScalar.apply(self, other)
        return _binary(Add, self, other, scalar_op=AddScalar)

    def __radd__(self, other: Any) -> "Tensor":  # c + x = x + c, and torch lists x first
        _self_is_tensor(self, "__radd__")
        return _binary(Add, self, other, scalar_op=AddScalar)

    def __sub__(self, other: Any) -> "Tensor":
        _no_bool_sub(self, other)
        return _binary(Sub, self, other)

    def __rsub__(self, other: Any) -> "Tensor":
        _self_is_tensor(self, "__rsub__")
        _no_bool_sub(self, other)
        return _binary(Sub, other, self)

    def __mul__(self, other: Any) -> "Tensor":
        if type(other) in _PY_NUMBERS and self._data.dtype.kind == "f":  # the hot path: nothing to promote
            return MulScalar.apply(self, other)
        return _binary(Mul, self, other, scalar_op=MulScalar)

    def __rmul__(self, other: Any) -> "Tensor":  # c * x = x * c, and torch lists x first
        _self_is_tensor(self, "__rmul__")
        return _binary(Mul, self, other, scalar_op=MulScalar)

    def __truediv__(self, other: Any) -> "Tensor":
        return _binary(Div, self, other, floating=True)

    def __rtruediv__(self, other: Any) -> "Tensor":  # c / x = reciprocal(x) * c, the values torch computes
        if isinstance(other, numbers.Real):
            return Reciprocal.apply(_floating(self)) * other
        return _binary(Div, other, self, floating=True)

    def __floordiv__(self, other: Any) -> "Tensor":
        _not_for_bools("div_floor_cpu", self, other)
        return _binary(FloorDivide, self, other)

    def __rfloordiv__(self, other: Any) -> "Tensor":
        _not_for_bools("div_floor_cpu", self, other)
        return _binary(FloorDivide, other, self)

    def __mod__(self, other: Any) -> "Tensor":
        _not_for_bools("remainder_cpu", self, other)
        return _binary(Remainder, self, other)

    def __rmod__(self, other: Any) -> "Tensor":
        _self_is_tensor(self, "__rmod__")
        _not_for_bools("remainder_cpu", self, other)
        return _binary(Remainder, other, self)

    def __pow__(self, other: Any) -> "Tensor":
        if isinstance(other, builtins.bool) and self._data.dtype.kind == "b":
            return Tensor._make(self._data | (not other))  # x ** True = x, x ** False = True, as in torch
        _not_for_bools("pow", self, other)
        if self._data.dtype.kind in "iub" and isinstance(other, (builtins.int, np.integer)) and other < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        return _binary(Pow, self, other)

    def __rpow__(self, other: Any) -> "Tensor":
        _self_is_tensor(self, "__rpow__")
        _not_for_bools("pow", self, other)
        return _binary(Pow, other, self)

    def __neg__(self) -> "Tensor":
        if self._data.dtype.kind == "b":
            raise NotImplementedError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, "
                "use the `~` or `logical_not()` operator instead."
            )
        return Neg.apply(self)

    def __pos__(self) -> "Tensor":
        return self

    def floor_divide(self, other: Any) -> "Tensor":
        """self // other: the quotient rounded down (no gradient)."""
        _number_or_tensor(self, other, "floor_divide")
        return self // other

    def remainder(self, other: Any) -> "Tensor":
        """self % other, with the sign of ``other`` (Python's modulus)."""
        _number_or_tensor(self, other, "remainder")
        return self % other

    def add(self, other: Any, *, alpha: Any = 1) -> "Tensor":
        """self + alpha * other."""
        return self + (other * alpha if alpha != 1 else other)

    def sub(self, other: Any, *, alpha: Any = 1) -> "Tensor":
        """self - alpha * other."""
        return self - (other * alpha if alpha != 1 else other)

    def mul(self, other: Any) -> "Tensor":
        """self * other (broadcast)."""
        return self * other

    def div(self, other: Any, *, rounding_mode: str | None = None) -> "Tensor":
        """True division, or ``rounding_mode='floor'`` / ``'trunc'`` (no gradient for those)."""
        if rounding_mode is None:
            return self / other
        if rounding_mode in ("floor", "trunc"):
            return _binary(_Rounded[rounding_mode], self, other)
        raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")

    def pow(self, exponent: Any) -> "Tensor":
        """self ** exponent (broadcast); as a function, one of the two must be a tensor."""
        if not isinstance(self, Tensor) and not isinstance(exponent, Tensor):
            raise _invalid_args("pow", (self, exponent), (
                "Tensor input, Tensor exponent", "Number self, Tensor exponent", "Tensor input, Number exponent"))
        return self ** exponent

    def neg(self) -> "Tensor":
        """-self."""
        return -self

    def reciprocal(self) -> "Tensor":
        """1 / self."""
        return Reciprocal.apply(_floating(self))

    def square(self) -> "Tensor":
        """self * self (bool squares to int64, as torch's pow(self, 2))."""
        return (self.to(_dtype.int64) if self._data.dtype.kind == "b" else self) * self

    def add_(self, other: Any, *, alpha: Any = 1) -> "Tensor":
        """self += alpha * other, in place."""
        _check_inplace_dtype(self, other, "add_")
        if alpha != 1:
            other = other * alpha
        o = _np(other)
        return run_inplace(self, lambda x: x + other, lambda a: np.add(a, o, out=a, casting="unsafe"), other)

    def sub_(self, other: Any, *, alpha: Any = 1) -> "Tensor":
        """self -= alpha * other, in place."""
        _no_bool_sub(self, other)
        _check_inplace_dtype(self, other, "sub_")
        if alpha != 1:
            other = other * alpha
        o = _np(other)
        return run_inplace(self, lambda x: x - other, lambda a: np.subtract(a, o, out=a, casting="unsafe"), other)

    def mul_(self, other: Any) -> "Tensor":
        """self *= other, in place."""
        _check_inplace_dtype(self, other, "mul_")
        o = _np(other)
        return run_inplace(self, lambda x: x * other, lambda a: np.multiply(a, o, out=a, casting="unsafe"), other)

    def div_(self, other: Any) -> "Tensor":
        """self /= other, in place."""
        _check_inplace_dtype(self, other, "div_", floating=True)
        o = _np(other)
        return run_inplace(self, lambda x: x / other, lambda a: np.divide(a, o, out=a, casting="unsafe"), other)

    def pow_(self, exponent: Any) -> "Tensor":
        """self **= exponent, in place."""
        _check_inplace_dtype(self, exponent, "pow_")
        if self._data.dtype.kind != "f":  # integer powers follow ``**``'s rules (negative exponents)
            return run_inplace(self, lambda x: x ** exponent, None, exponent)
        o = _np(exponent)
        return run_inplace(self, lambda x: x ** exponent, lambda a: np.power(a, o, out=a, casting="unsafe"), exponent)

    def floor_divide_(self, other: Any) -> "Tensor":
        """self //= other, in place."""
        return _inplace_binary(self, other, "floor_divide_", operator.floordiv)

    def remainder_(self, other: Any) -> "Tensor":
        """self %= other, in place."""
        return _inplace_binary(self, other, "remainder_", operator.mod)

    # The augmented assignments are the in-place ops, as in torch: ``p -= lr * g`` writes into ``p``.
    # (torch has no ``__imatmul__``: ``a @= b`` rebinds ``a`` to a new tensor, here too.)
    __iadd__, __isub__, __imul__, __itruediv__, __ipow__ = add_, sub_, mul_, div_, pow_

    __ifloordiv__, __imod__ = floor_divide_, remainder_

    def addcmul_(self, tensor1: "Tensor", tensor2: "Tensor", *, value: Any = 1) -> "Tensor":
        """self += value * tensor1 * tensor2."""
        return self.add_(tensor1 * tensor2 * value if value != 1 else tensor1 * tensor2)

    def addcdiv_(self, tensor1: "Tensor", tensor2: "Tensor", *, value: Any = 1) -> "Tensor":
        """self += value * tensor1 / tensor2."""
        return self.add_(tensor1 / tensor2 * value if value != 1 else tensor1 / tensor2)

    def lerp_(self, end: "Tensor", weight: Any) -> "Tensor":
        """self += weight * (end - self)."""
        return self.add_((end - self) * weight)

    def neg_(self) -> "Tensor":
        """self = -self, in place."""
        return self.mul_(-1)
