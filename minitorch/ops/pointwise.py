"""Element-wise math: exp, log, sqrt, rsqrt, abs, sign, trig, clamp; and torch's aliases and in-place forms of
the elementwise operators (multiply, greater, logical_xor, eq_, sin_...)."""
from __future__ import annotations

import builtins
import numbers
from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.autograd.function import Op
from minitorch.autograd.inplace import run_inplace
from minitorch.ops._args import (
    _as_tensor, _broadcastable, _floating, _inplace_binary, _invalid_args, _mismatch, _np, _tensor_arg,
)
from minitorch.ops._elementwise import float_inplace
from minitorch.ops._util import _share


class Exp(Op):
    """y = exp(x);  dy/dx = y."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x):
        y = np.exp(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y


class Log(Op):
    """y = log(x);  dy/dx = 1 / x."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x


class Log1p(Op):
    """y = log(1 + x);  dy/dx = 1 / (1 + x)."""

    arrays_in_backward = True

    def name(self) -> str:
        return "Log1PBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log1p(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (x + 1)


class Sqrt(Op):
    """y = sqrt(x);  dy/dx = 1 / (2 y)."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x):
        y = np.sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad / (y * 2)


class Rsqrt(Op):
    """y = 1 / sqrt(x);  dy/dx = -y^3 / 2."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x):
        y = 1 / np.sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * -0.5 * (y * y * y)


class Abs(Op):
    """y = |x|;  dy/dx = sign(x) (0 at 0 and at NaN, torch's sgn)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.sign()


class Sign(Op):
    """y = sign(x) (0 at NaN, and x itself for bools, as torch);  dy/dx = 0 (zeros, even where the incoming
    gradient is NaN)."""

    @staticmethod
    def forward(ctx, x):
        return x.copy() if x.dtype.kind == "b" else np.nan_to_num(np.sign(x))

    @staticmethod
    def backward(ctx, grad):
        return Tensor._make(np.zeros(grad.shape, grad._data.dtype))


class Sin(Op):
    """y = sin(x);  dy/dx = cos(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.cos()


class Cos(Op):
    """y = cos(x);  dy/dx = -sin(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return -grad * x.sin()


class Clamp(Op):
    """y = min(max(x, lo), hi) for Python-number bounds;  dy/dx = 1 where lo < x < hi, else 0 (0 on the bounds
    and at NaN too, as in torch)."""

    def name(self) -> str:
        return "ClampBackward1"

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        # As torch: one bound keeps x on a tie (clamp(-0.0, min=0) is -0.0), two return the bound (as np.clip).
        if hi is None:
            return np.maximum(lo, x)
        return np.minimum(hi, x) if lo is None else np.clip(x, lo, hi)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        mask = np.ones(x.shape, bool)
        if ctx.lo is not None:
            mask &= x._data > ctx.lo
        if ctx.hi is not None:
            mask &= x._data < ctx.hi
        return grad * Tensor._make(mask.astype(grad._data.dtype)), None, None


class ClampTensor(Op):
    """y = min(max(x, lo), hi) for tensor bounds (torch's ``ClampBackward0``). The gradient goes to whichever of
    x, lo, hi the output equals, by torch's rules: x keeps it unless x < lo or x > hi (so a NaN x keeps it);
    hi takes it where hi < lo; a tie of x with one bound (lo < hi) splits it evenly; x = lo = hi gives it to x."""

    def name(self) -> str:
        return "ClampBackward0"

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x, lo, hi)
        return np.minimum(np.maximum(x, lo), hi)

    @staticmethod
    def backward(ctx, grad):
        x, lo, hi = ctx.saved_tensors
        xa, la, ha = x._data, lo._data, hi._data
        nx, nl, nh = ctx.needs_input_grad
        below, above, ordered = xa < la, xa > ha, la < ha
        at_lo, at_hi = ordered & (xa == la), ordered & (xa == ha)
        gx = _share(grad, below | above, at_lo | at_hi, x.shape) if nx else None
        gl = _share(grad, ~((below & (la <= ha)) | at_lo), at_lo, lo.shape) if nl else None
        gh = _share(grad, ~((above & (la <= ha)) | (la > ha) | at_hi), at_hi, hi.shape) if nh else None
        return gx, gl, gh


def clamp_tensors(x: Tensor, lo: Tensor, hi: Tensor) -> Tensor:
    """x clamped to [lo, hi] elementwise with tensor bounds, broadcast and in the three's promoted dtype."""
    shape = x.shape
    for other in (lo.shape, hi.shape):
        if not _broadcastable(shape, other):
            raise RuntimeError(_mismatch(shape, other))
        shape = np.broadcast_shapes(shape, other)
    dt = _dtype.result_type(x, lo, hi)
    if dt is _dtype.bool_:
        raise NotImplementedError("\"clamp_cpu\" not implemented for 'Bool'")
    return ClampTensor.apply(x.to(dt), lo.to(dt), hi.to(dt))


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """``input`` limited to [min, max], elementwise."""
    return input.clamp(min, max)


clip = clamp


def _comparison_inplace(self: Tensor, other: Any, name: str) -> Tensor:
    """self = name(self, other) (a bool result) written in self's dtype. As in torch, the comparisons record a zero
    gradient, and the logical ops record nothing (self keeps its history)."""
    def compute(x: Tensor) -> Tensor:
        result = getattr(x, name)(*(() if other is None else (other,))).to(x.dtype)
        return x * 0 + result if x._data.dtype.kind == "f" and not name.startswith("logical") else result
    return run_inplace(self, compute, None, *(() if other is None else (other,)))


class PointwiseMethods:
    """The Tensor methods of pointwise math; minitorch/__init__.py joins them to Tensor."""

    def __abs__(self) -> "Tensor":
        return self.abs()

    def exp(self) -> "Tensor":
        """e ** x, elementwise."""
        return Exp.apply(_floating(self))

    def log(self) -> "Tensor":
        """The natural logarithm, elementwise."""
        return Log.apply(_floating(self))

    def log1p(self) -> "Tensor":
        """log(1 + x), elementwise (accurate for small x)."""
        return Log1p.apply(_floating(self))

    def sqrt(self) -> "Tensor":
        """The square root, elementwise."""
        return Sqrt.apply(_floating(self))

    def rsqrt(self) -> "Tensor":
        """1 / sqrt(x), elementwise."""
        return Rsqrt.apply(_floating(self))

    def abs(self) -> "Tensor":
        """|x|, elementwise."""
        if self._data.dtype.kind == "b":
            raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
        return Abs.apply(self)

    def sign(self) -> "Tensor":
        """-1, 0 or 1 by the sign of x, elementwise."""
        return Sign.apply(self)

    def sin(self) -> "Tensor":
        """sin(x), elementwise."""
        return Sin.apply(_floating(self))

    def cos(self) -> "Tensor":
        """cos(x), elementwise."""
        return Cos.apply(_floating(self))

    def clamp(self, min: Any = None, max: Any = None) -> "Tensor":
        """Limit values to [min, max]; the gradient passes where min <= x <= max."""
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        for name, bound in (("min", min), ("max", max)):
            if not (bound is None or isinstance(bound, (numbers.Number, Tensor))):
                raise TypeError(f"clamp(): argument '{name}' must be a Number or a Tensor, not {type(bound).__name__}")
        if isinstance(min, Tensor) or isinstance(max, Tensor):  # one tensor bound: torch's gradient is maximum's
            if max is None:
                return self.maximum(_as_tensor(min, self))
            if min is None:
                return self.minimum(_as_tensor(max, self))
            return clamp_tensors(self, _as_tensor(min, self), _as_tensor(max, self))
        x = self
        if (isinstance(min, builtins.float) or isinstance(max, builtins.float)) and self._data.dtype.kind != "f":
            x = self.to(_dtype.get_default_dtype())
        return Clamp.apply(x, min, max)

    clip = clamp

    def clamp_min(self, min: Any) -> "Tensor":
        """max(x, min), elementwise."""
        if not isinstance(self, Tensor):
            raise _invalid_args("clamp_min", (self, min), ("Tensor input, Tensor min", "Tensor input, Number min"))
        return self.clamp(min=min)

    def clamp_max(self, max: Any) -> "Tensor":
        """min(x, max), elementwise."""
        if not isinstance(self, Tensor):
            raise _invalid_args("clamp_max", (self, max), ("Tensor input, Tensor max", "Tensor input, Number max"))
        return self.clamp(max=max)

    def sqrt_(self) -> "Tensor":
        """self = sqrt(self), in place."""
        return run_inplace(self, lambda x: x.sqrt(), lambda a: np.sqrt(a, out=a))

    def exp_(self) -> "Tensor":
        """self = exp(self), in place."""
        return run_inplace(self, lambda x: x.exp(), lambda a: np.exp(a, out=a))

    def abs_(self) -> "Tensor":
        """self = |self|, in place."""
        return run_inplace(self, lambda x: x.abs(), lambda a: np.abs(a, out=a))

    def clamp_(self, min: Any = None, max: Any = None) -> "Tensor":
        """Clamp in place."""
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        return run_inplace(self, lambda x: x.clamp(min, max), lambda a: np.clip(a, _np(min), _np(max), out=a), min, max)

    clip_ = clamp_

    def sin_(self) -> "Tensor":
        """self = sin(self), in place."""
        return float_inplace(self, lambda x: x.sin())

    def cos_(self) -> "Tensor":
        """self = cos(self), in place."""
        return float_inplace(self, lambda x: x.cos())

    def log_(self) -> "Tensor":
        """self = log(self), in place."""
        return float_inplace(self, lambda x: x.log())

    def log1p_(self) -> "Tensor":
        """self = log1p(self), in place."""
        return float_inplace(self, lambda x: x.log1p())

    def rsqrt_(self) -> "Tensor":
        """self = rsqrt(self), in place."""
        return float_inplace(self, lambda x: x.rsqrt())

    def reciprocal_(self) -> "Tensor":
        """self = 1 / self, in place."""
        return float_inplace(self, lambda x: x.reciprocal())

    def square_(self) -> "Tensor":
        """self = self * self, in place."""
        return self.mul_(self.clone())

    def sign_(self) -> "Tensor":
        """self = sign(self), in place."""
        return run_inplace(self, lambda x: x.sign(), None)

    def absolute(self) -> "Tensor":
        """|x| (the alias of abs)."""
        return self.abs()

    def absolute_(self) -> "Tensor":
        """self = |self|, in place."""
        return self.abs_()

    def negative(self) -> "Tensor":
        """-x (the alias of neg)."""
        return self.neg()

    def negative_(self) -> "Tensor":
        """self = -self, in place."""
        return self.neg_()

    def multiply(self, other: Any) -> "Tensor":
        """self * other (the alias of mul)."""
        return self.mul(other)

    def multiply_(self, other: Any) -> "Tensor":
        """self *= other, in place."""
        return self.mul_(other)

    def subtract(self, other: Any, *, alpha: Any = 1) -> "Tensor":
        """self - alpha * other (the alias of sub)."""
        return self.sub(other, alpha=alpha)

    def subtract_(self, other: Any, *, alpha: Any = 1) -> "Tensor":
        """self -= alpha * other, in place."""
        return self.sub_(other, alpha=alpha)

    def divide(self, other: Any, *, rounding_mode: str | None = None) -> "Tensor":
        """self / other (the alias of div)."""
        return self.div(other, rounding_mode=rounding_mode)

    def divide_(self, other: Any, *, rounding_mode: str | None = None) -> "Tensor":
        """self /= other, in place."""
        if rounding_mode is None:
            return self.div_(other)
        return _inplace_binary(self, other, "div_", lambda x, o: x.div(o, rounding_mode=rounding_mode))

    def greater(self, other: Any) -> "Tensor":
        """self > other (the alias of gt)."""
        return self.gt(other)

    def greater_equal(self, other: Any) -> "Tensor":
        """self >= other (the alias of ge)."""
        return self.ge(other)

    def less(self, other: Any) -> "Tensor":
        """self < other (the alias of lt)."""
        return self.lt(other)

    def less_equal(self, other: Any) -> "Tensor":
        """self <= other (the alias of le)."""
        return self.le(other)

    def not_equal(self, other: Any) -> "Tensor":
        """self != other (the alias of ne)."""
        return self.ne(other)

    def logical_xor(self, other: "Tensor") -> "Tensor":
        """Elementwise logical XOR (nonzero is True)."""
        _tensor_arg(self, "logical_xor", "input", 1)
        _tensor_arg(other, "logical_xor", "other", 2)
        if not _broadcastable(self.shape, other.shape):
            raise RuntimeError(_mismatch(self.shape, other.shape))
        return Tensor._make(np.logical_xor(self._data, other._data))

    def eq_(self, other: Any) -> "Tensor":
        """self = (self == other) in self's dtype, in place (a zero gradient)."""
        return _comparison_inplace(self, other, "eq")

    def ne_(self, other: Any) -> "Tensor":
        """self = (self != other) in self's dtype, in place."""
        return _comparison_inplace(self, other, "ne")

    def lt_(self, other: Any) -> "Tensor":
        """self = (self < other) in self's dtype, in place."""
        return _comparison_inplace(self, other, "lt")

    def le_(self, other: Any) -> "Tensor":
        """self = (self <= other) in self's dtype, in place."""
        return _comparison_inplace(self, other, "le")

    def gt_(self, other: Any) -> "Tensor":
        """self = (self > other) in self's dtype, in place."""
        return _comparison_inplace(self, other, "gt")

    def ge_(self, other: Any) -> "Tensor":
        """self = (self >= other) in self's dtype, in place."""
        return _comparison_inplace(self, other, "ge")

    def logical_and_(self, other: "Tensor") -> "Tensor":
        """self = logical_and(self, other) in self's dtype, in place."""
        return _comparison_inplace(self, other, "logical_and")

    def logical_or_(self, other: "Tensor") -> "Tensor":
        """self = logical_or(self, other) in self's dtype, in place."""
        return _comparison_inplace(self, other, "logical_or")

    def logical_xor_(self, other: "Tensor") -> "Tensor":
        """self = logical_xor(self, other) in self's dtype, in place."""
        return _comparison_inplace(self, other, "logical_xor")

    def logical_not_(self) -> "Tensor":
        """self = logical_not(self) in self's dtype, in place."""
        return _comparison_inplace(self, None, "logical_not")

    def bitwise_not_(self) -> "Tensor":
        """self = ~self, in place."""
        return run_inplace(self, lambda x: ~x, None)

    greater_, greater_equal_, less_, less_equal_, not_equal_ = gt_, ge_, lt_, le_, ne_
