"""Rounding and the sign/float-structure functions: floor, ceil, round (with ``decimals``), trunc/fix, frac,
fmod, copysign, nan_to_num, heaviside, nextafter, ldexp, frexp, sgn, positive, signbit, isposinf/isneginf/isreal."""
from __future__ import annotations

import collections
import numbers
from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.autograd.function import Op
from minitorch.autograd.inplace import run_inplace
from minitorch.ops._args import (
    _binary, _floating, _inplace_binary, _int_arg, _invalid_args, _not_for_bools, _tensor_arg,
)
from minitorch.ops.arithmetic import _no_integer_zero_division
from minitorch.ops._elementwise import float_inplace, tensor_pair
from minitorch.ops._util import unbroadcast

frexp_result = collections.namedtuple("frexp", ["mantissa", "exponent"])


def _zeros(grad: Tensor) -> Tensor:
    return Tensor._make(np.zeros(grad.shape, grad._data.dtype))


def _no_bool(x: Tensor, kernel: str) -> None:
    if x._data.dtype.kind == "b":
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


class Floor(Op):
    """y = floor(x);  dy/dx = 0."""

    @staticmethod
    def forward(ctx, x):
        return np.floor(x) if x.dtype.kind == "f" else x.copy()

    @staticmethod
    def backward(ctx, grad):
        return _zeros(grad)


class Ceil(Op):
    """y = ceil(x);  dy/dx = 0."""

    @staticmethod
    def forward(ctx, x):
        return np.ceil(x) if x.dtype.kind == "f" else x.copy()

    @staticmethod
    def backward(ctx, grad):
        return _zeros(grad)


class Trunc(Op):
    """y = trunc(x) (rounded towards zero);  dy/dx = 0."""

    @staticmethod
    def forward(ctx, x):
        return np.trunc(x) if x.dtype.kind == "f" else x.copy()

    @staticmethod
    def backward(ctx, grad):
        return _zeros(grad)


class Round(Op):
    """y = x rounded to the nearest integer, ties to even;  dy/dx = 0."""

    @staticmethod
    def forward(ctx, x):
        return np.rint(x) if x.dtype.kind == "f" else x.copy()

    @staticmethod
    def backward(ctx, grad):
        return _zeros(grad)


class RoundDecimals(Op):
    """y = rint(x * 10^d) / 10^d (d >= 0) or rint(x / 10^-d) * 10^-d (d < 0), as torch computes it;  dy/dx = 0."""

    def name(self) -> str:
        return "RoundBackward1"

    @staticmethod
    def forward(ctx, x, decimals):
        p = np.asarray(10.0 ** abs(decimals), x.dtype)
        return np.rint(x * p) / p if decimals >= 0 else np.rint(x / p) * p

    @staticmethod
    def backward(ctx, grad):
        return _zeros(grad), None


class Frac(Op):
    """y = x - trunc(x);  dy/dx = 1."""

    @staticmethod
    def forward(ctx, x):
        return x - np.trunc(x)

    @staticmethod
    def backward(ctx, grad):
        return grad


class Fmod(Op):
    """z = x - trunc(x / y) * y (the sign of x, C's fmod);  dz/dx = 1,  dz/dy = -trunc(x / y)."""

    def name(self) -> str:
        return "FmodBackward1"

    @staticmethod
    def forward(ctx, x, y):
        _no_integer_zero_division(x, y)
        ctx.save_for_backward(x, y)
        return np.fmod(x, y)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        gx = unbroadcast(grad, getattr(x, "shape", ())) if nx else None
        gy = unbroadcast(-grad * x.div(y, rounding_mode="trunc"), y.shape) if ny else None
        return gx, gy


class FmodScalar(Fmod):
    """z = fmod(x, c) for a Python number c;  dz/dx = 1."""

    def name(self) -> str:
        return "FmodBackward0"


class Copysign(Op):
    """z = |x| with the sign of y;  dz/dx = z / x (0 where x = 0),  dz/dy = 0."""

    @staticmethod
    def forward(ctx, x, y):
        z = np.copysign(x, y)
        ctx.save_for_backward(x, z)
        ctx.shapes = getattr(x, "shape", ()), getattr(y, "shape", ())
        return z

    @staticmethod
    def backward(ctx, grad):
        x, z = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        gx = unbroadcast(grad * (z / x).masked_fill(x == 0, 0.0), ctx.shapes[0]) if nx else None
        gy = Tensor._make(np.zeros(ctx.shapes[1], grad._data.dtype)) if ny else None
        return gx, gy


class NanToNum(Op):
    """y = x with NaN, +inf and -inf replaced by finite numbers;  dy/dx = 1 where x is finite, else 0."""

    @staticmethod
    def forward(ctx, x, nan, posinf, neginf):
        ctx.save_for_backward(x)
        info = np.finfo(x.dtype)
        return np.nan_to_num(x, nan=nan, posinf=info.max if posinf is None else posinf,
                             neginf=info.min if neginf is None else neginf)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * Tensor._make(np.isfinite(x._data).astype(grad._data.dtype)), None, None, None


class Sgn(Op):
    """y = sgn(x) (sign for real x);  dy/dx = 0."""

    @staticmethod
    def forward(ctx, x):
        return x.copy() if x.dtype.kind == "b" else np.nan_to_num(np.sign(x))

    @staticmethod
    def backward(ctx, grad):
        return _zeros(grad)


def _rounding_unary(op: Any, x: Tensor, kernel: str) -> Tensor:
    _tensor_arg(x, kernel.split("_")[0], "input", 1)
    _no_bool(x, f"{kernel}_vml_cpu")
    return op.apply(x)


def fmod(input: Tensor, other: Any) -> Tensor:
    """The C remainder of input / other (the sign of input), elementwise."""
    if not isinstance(input, Tensor) or not isinstance(other, (Tensor, numbers.Number)):
        raise _invalid_args("fmod", (input, other), ("Tensor input, Tensor other, *, Tensor out = None",
                                                     "Tensor input, Number other, *, Tensor out = None"))
    _not_for_bools("fmod_cpu", input, other)
    return _binary(Fmod, input, other, scalar_op=FmodScalar)


def copysign(input: Tensor, other: Any) -> Tensor:
    """|input| with the sign of other, elementwise (a float result)."""
    if not isinstance(input, Tensor) or not isinstance(other, (Tensor, numbers.Number)):
        raise _invalid_args("copysign", (input, other), ("Tensor input, Tensor other, *, Tensor out = None",
                                                         "Tensor input, Number other"))
    return _binary(Copysign, input, other, floating=True)


class Heaviside(Op):
    """z = 0 for x < 0, v at x = 0, 1 for x > 0; torch defines no derivative, so backward is an error, as there."""

    @staticmethod
    def forward(ctx, x, v):
        x, v = np.broadcast_arrays(x, v)
        return np.where(x == 0, v, x > 0).astype(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::heaviside is not implemented")


def heaviside(input: Tensor, values: Tensor) -> Tensor:
    """The Heaviside step: 0 for x < 0, ``values`` at 0, 1 for x > 0."""
    tensor_pair("heaviside", input, values, "values")
    if input.dtype is not values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    return _binary(Heaviside, input, values)


class Nextafter(Op):
    """z = the next float after x towards y (y itself where x = y);  dz/dx = 1 where x != y, else 0,
    dz/dy = 0 (torch's gradients)."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(np.not_equal(x, y))
        ctx.shapes = getattr(x, "shape", ()), getattr(y, "shape", ())
        return np.nextafter(x, y)

    @staticmethod
    def backward(ctx, grad):
        moved, = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        gx = unbroadcast(grad * moved, ctx.shapes[0]) if nx else None
        gy = Tensor._make(np.zeros(ctx.shapes[1], grad._data.dtype)) if ny else None
        return gx, gy


def nextafter(input: Tensor, other: Tensor) -> Tensor:
    """The next float after input in the direction of other, elementwise."""
    tensor_pair("nextafter", input, other)
    rt = _dtype.result_type(input, other)
    if not rt.is_floating_point:
        raise NotImplementedError(f"\"nextafter_cpu\" not implemented for '{_dtype.legacy_name(rt)}'")
    return _binary(Nextafter, input, other)


def ldexp(input: Tensor, other: Tensor) -> Tensor:
    """input * 2 ** other, elementwise (torch's composite, so its gradient is mul's and pow's)."""
    tensor_pair("ldexp", input, other)
    return _floating(input) * (2.0 ** other)


def frexp(input: Tensor) -> frexp_result:
    """(mantissa, exponent) with input = mantissa * 2 ** exponent, |mantissa| in [0.5, 1), exponent int32."""
    _tensor_arg(input, "frexp", "input", 1)
    if input._data.dtype.kind != "f":
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    e = np.frexp(input._data)[1]
    scale = Tensor._make(np.ldexp(np.ones((), input._data.dtype), -e))  # 2^-e: the mantissa's gradient is grad / 2^e
    return frexp_result(input * scale, Tensor._make(e.astype(np.int32)))


def _bool_map(x: Tensor, fn: str, f: Any) -> Tensor:
    _tensor_arg(x, fn, "input", 1)
    return Tensor._make(np.asarray(f(x._data), bool))


def isposinf(input: Tensor) -> Tensor:
    """True where input is +inf."""
    return _bool_map(input, "isposinf", lambda a: np.isposinf(a) if a.dtype.kind == "f" else np.zeros(a.shape, bool))


def isneginf(input: Tensor) -> Tensor:
    """True where input is -inf."""
    return _bool_map(input, "isneginf", lambda a: np.isneginf(a) if a.dtype.kind == "f" else np.zeros(a.shape, bool))


def isreal(input: Tensor) -> Tensor:
    """True everywhere for real dtypes (minitorch has no complex ones)."""
    return _bool_map(input, "isreal", lambda a: np.ones(a.shape, bool))


def signbit(input: Tensor) -> Tensor:
    """True where the sign bit is set (-0.0 included)."""
    return _bool_map(input, "signbit", lambda a: np.signbit(a) if a.dtype.kind != "b" else np.zeros(a.shape, bool))


class RoundingMethods:
    """The Tensor methods of rounding and sign functions; minitorch/__init__.py joins them to Tensor."""

    def floor(self) -> "Tensor":
        """The largest integer <= x, elementwise."""
        return _rounding_unary(Floor, self, "floor")

    def ceil(self) -> "Tensor":
        """The smallest integer >= x, elementwise."""
        return _rounding_unary(Ceil, self, "ceil")

    def trunc(self) -> "Tensor":
        """x rounded towards zero, elementwise."""
        return _rounding_unary(Trunc, self, "trunc")

    fix = trunc

    def round(self, *, decimals: int | None = None) -> "Tensor":
        """x rounded to ``decimals`` decimal places (0 when not given), ties to even. As in torch, an explicit
        ``decimals`` selects the float-only overload, even when it is 0."""
        if decimals is None:
            return _rounding_unary(Round, self, "round")
        decimals = _int_arg(decimals, "round", "decimals", 2)
        if self._data.dtype.kind != "f":
            raise NotImplementedError(f"\"round_cpu\" not implemented for '{_dtype.legacy_name(self.dtype)}'")
        return RoundDecimals.apply(self, decimals)

    def frac(self) -> "Tensor":
        """x - trunc(x), elementwise (floating dtypes only)."""
        _tensor_arg(self, "frac", "input", 1)
        if self._data.dtype.kind != "f":
            raise NotImplementedError(f"\"frac_cpu\" not implemented for '{_dtype.legacy_name(self.dtype)}'")
        return Frac.apply(self)

    def fmod(self, other: Any) -> "Tensor":
        """fmod(self, other)."""
        return fmod(self, other)

    def copysign(self, other: Any) -> "Tensor":
        """copysign(self, other)."""
        return copysign(self, other)

    def heaviside(self, values: "Tensor") -> "Tensor":
        """heaviside(self, values)."""
        return heaviside(self, values)

    def nextafter(self, other: "Tensor") -> "Tensor":
        """nextafter(self, other)."""
        return nextafter(self, other)

    def ldexp(self, other: "Tensor") -> "Tensor":
        """ldexp(self, other)."""
        return ldexp(self, other)

    def frexp(self) -> frexp_result:
        """frexp(self)."""
        return frexp(self)

    def nan_to_num(self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None) -> "Tensor":
        """NaN -> ``nan``, +inf -> ``posinf`` (default the dtype's max), -inf -> ``neginf`` (its min)."""
        _tensor_arg(self, "nan_to_num", "input", 1)
        if self._data.dtype.kind != "f":
            return self.clone()
        return NanToNum.apply(self, nan, posinf, neginf)

    def sgn(self) -> "Tensor":
        """The sign of x (x / |x| for complex numbers in torch), elementwise."""
        return Sgn.apply(self)

    def positive(self) -> "Tensor":
        """self itself (bools refused, as torch's unary +)."""
        if self._data.dtype.kind == "b":
            raise NotImplementedError("The `+` operator, on a bool tensor is not supported.")
        return self

    def signbit(self) -> "Tensor":
        """signbit(self)."""
        return signbit(self)

    def isposinf(self) -> "Tensor":
        """isposinf(self)."""
        return isposinf(self)

    def isneginf(self) -> "Tensor":
        """isneginf(self)."""
        return isneginf(self)

    def isreal(self) -> "Tensor":
        """isreal(self)."""
        return isreal(self)

    def floor_(self) -> "Tensor":
        """self = floor(self), in place."""
        return run_inplace(self, lambda x: x.floor(), None)

    def ceil_(self) -> "Tensor":
        """self = ceil(self), in place."""
        return run_inplace(self, lambda x: x.ceil(), None)

    def trunc_(self) -> "Tensor":
        """self = trunc(self), in place."""
        return run_inplace(self, lambda x: x.trunc(), None)

    fix_ = trunc_

    def round_(self, *, decimals: int | None = None) -> "Tensor":
        """self = round(self, decimals=decimals), in place."""
        return run_inplace(self, lambda x: x.round(decimals=decimals), None)

    def frac_(self) -> "Tensor":
        """self = frac(self), in place."""
        return run_inplace(self, lambda x: x.frac(), None)

    def fmod_(self, other: Any) -> "Tensor":
        """self = fmod(self, other), in place."""
        return _inplace_binary(self, other, "fmod_", fmod)

    def copysign_(self, other: Any) -> "Tensor":
        """self = copysign(self, other), in place."""
        return float_inplace(self, lambda x: copysign(x, other), other)

    def heaviside_(self, values: "Tensor") -> "Tensor":
        """self = heaviside(self, values), in place."""
        return run_inplace(self, lambda x: heaviside(x, values), None, values)

    def nextafter_(self, other: "Tensor") -> "Tensor":
        """self = nextafter(self, other), in place."""
        return float_inplace(self, lambda x: nextafter(x, other), other)

    def ldexp_(self, other: "Tensor") -> "Tensor":
        """self = ldexp(self, other), in place."""
        return float_inplace(self, lambda x: ldexp(x, other), other)

    def nan_to_num_(self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None) -> "Tensor":
        """self = nan_to_num(self, ...), in place."""
        return run_inplace(self, lambda x: x.nan_to_num(nan, posinf, neginf), None)

    def sgn_(self) -> "Tensor":
        """self = sgn(self), in place."""
        return run_inplace(self, lambda x: x.sgn(), None)
