"""Exponentials and logarithms beyond exp and log: expm1, exp2, log2, log10, logaddexp(2), xlogy/xlog1py, logit,
float_power, hypot; and the composite arithmetic of torch's namespace: true_divide, rsub, lerp, addcmul, addcdiv."""
from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.autograd.function import Op
from minitorch.autograd.inplace import run_inplace
from minitorch.ops._args import _binary, _floating, _invalid_args, _tensor_arg
from minitorch.ops._elementwise import float_binary, float_inplace, float_unary
from minitorch.ops._util import unbroadcast

_LN2, _LN10 = math.log(2.0), math.log(10.0)


class Expm1(Op):
    """y = exp(x) - 1;  dy/dx = y + 1."""

    @staticmethod
    def forward(ctx, x):
        y = np.expm1(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (y + 1)


class Exp2(Op):
    """y = 2^x;  dy/dx = y ln 2."""

    @staticmethod
    def forward(ctx, x):
        y = np.exp2(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y * _LN2


class Log2(Op):
    """y = log2(x);  dy/dx = 1 / (x ln 2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log2(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (x * _LN2)


class Log10(Op):
    """y = log10(x);  dy/dx = 1 / (x ln 10)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log10(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (x * _LN10)


class Logaddexp(Op):
    """z = log(e^x + e^y);  dz/dx = 1 / (1 + e^(y - x)),  dz/dy = 1 / (1 + e^(x - y))."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return np.logaddexp(x, y)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        gx = unbroadcast(grad / ((y - x).exp() + 1), x.shape) if nx else None
        gy = unbroadcast(grad / ((x - y).exp() + 1), y.shape) if ny else None
        return gx, gy


class Logaddexp2(Op):
    """z = log2(2^x + 2^y);  dz/dx = 1 / (1 + 2^(y - x)),  dz/dy = 1 / (1 + 2^(x - y))."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return np.logaddexp2(x, y)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        gx = unbroadcast(grad / ((y - x).exp2() + 1), x.shape) if nx else None
        gy = unbroadcast(grad / ((x - y).exp2() + 1), y.shape) if ny else None
        return gx, gy


def _xlog_kernel(x: Any, y: Any, log: Any) -> np.ndarray:
    """x * log(y), 0 where x = 0, NaN where y is NaN (torch's xlogy/xlog1py kernels)."""
    dt = (x if isinstance(x, np.ndarray) else y).dtype
    x, y = np.asarray(x, dt), np.asarray(y, dt)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(x == 0, np.zeros((), dt), x * log(y))
    return np.where(np.isnan(y), np.asarray(np.nan, dt), z).astype(dt, copy=False)


class Xlogy(Op):
    """z = x log(y) (0 where x = 0 unless y is NaN);  dz/dx = log(y) (0 where x = 0 and y <= 0, as torch's
    xlogy(grad, y) masked),  dz/dy = x / y."""

    scalars_are_inputs = True
    _log, _edge, _shift = staticmethod(np.log), 0.0, 0.0

    def name(self) -> str:
        return "XlogyBackward0"

    @classmethod
    def forward(cls, ctx, x, y):
        ctx.save_for_backward(x, y)
        return _xlog_kernel(x, y, cls._log)

    @classmethod
    def backward(cls, ctx, grad):
        x, y = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        gx = gy = None
        if nx:
            mask = (x == 0) & (y <= cls._edge) if isinstance(y, Tensor) else ((x == 0) if y <= cls._edge else None)
            g = cls.kernel(grad, y)
            gx = unbroadcast(g.masked_fill(mask, 0.0) if mask is not None else g, x.shape)
        if ny:
            gy = unbroadcast(grad * x / (y + cls._shift if cls._shift else y), y.shape)
        return gx, gy

    @staticmethod
    def kernel(a: Any, b: Any) -> Tensor:
        return xlogy(a, b)


class Xlog1py(Xlogy):
    """z = x log(1 + y) (0 where x = 0 unless y is NaN);  dz/dx = log1p(y) (0 where x = 0 and y <= -1),
    dz/dy = x / (1 + y)."""

    _log, _edge, _shift = staticmethod(np.log1p), -1.0, 1.0

    def name(self) -> str:
        return "SpecialXlog1PyBackward0"

    @staticmethod
    def kernel(a: Any, b: Any) -> Tensor:
        return xlog1py(a, b)


class Logit(Op):
    """y = log(p / (1 - p)) with p = clamp(x, eps, 1 - eps) when eps is given;  dy/dx = 1 / (x (1 - x)), NaN
    outside [0, 1] without eps and 0 outside [eps, 1 - eps] with it (torch's logit_backward)."""

    @staticmethod
    def forward(ctx, x, eps):
        ctx.save_for_backward(x)
        ctx.eps = eps
        p = x if eps is None else np.where(x < eps, eps, np.where(x > 1 - eps, 1 - eps, x)).astype(x.dtype)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(p / (1 - p))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        eps = ctx.eps
        d = grad / (x * (-x + 1))
        if eps is None:
            return d.masked_fill((x < 0) | (x > 1), math.nan), None
        return d.masked_fill((x < eps) | (x > 1 - eps), 0.0), None


class Hypot(Op):
    """z = sqrt(x^2 + y^2);  dz/dx = x / z,  dz/dy = y / z."""

    @staticmethod
    def forward(ctx, x, y):
        z = np.hypot(x, y)
        ctx.save_for_backward(x, y, z)
        return z

    @staticmethod
    def backward(ctx, grad):
        x, y, z = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        gx = unbroadcast(grad * x / z, x.shape) if nx else None
        gy = unbroadcast(grad * y / z, y.shape) if ny else None
        return gx, gy


class Lerp(Op):
    """z = x + w (e - x) (computed as e - (e - x)(1 - w) where |w| >= 0.5, as torch);  dz/dx = 1 - w,  dz/de = w,
    dz/dw = e - x."""

    scalars_are_inputs = True

    def name(self) -> str:
        return "LerpBackward1"

    @staticmethod
    def forward(ctx, x, e, w):
        ctx.save_for_backward(x, e, w)
        ctx.shapes = x.shape, e.shape, getattr(w, "shape", None)
        d = e - x
        return np.where(np.abs(w) < 0.5, x + w * d, e - d * (1 - w))

    @staticmethod
    def backward(ctx, grad):
        x, e, w = ctx.saved_tensors
        nx, ne, nw = ctx.needs_input_grad
        gx = unbroadcast(grad * (-w + 1), ctx.shapes[0]) if nx else None
        ge = unbroadcast(grad * w, ctx.shapes[1]) if ne else None
        gw = unbroadcast(grad * (e - x), ctx.shapes[2]) if nw and ctx.shapes[2] is not None else None
        return gx, ge, gw


class LerpScalar(Lerp):
    """Lerp with a Python-number weight (torch's ``LerpBackward0``)."""

    def name(self) -> str:
        return "LerpBackward0"


def _tensor_or_number(fn: str, input: Any, other: Any) -> None:
    if not (isinstance(input, Tensor) or isinstance(other, Tensor)) or not all(
            isinstance(a, (Tensor, numbers.Number)) for a in (input, other)):
        raise _invalid_args(fn, (input, other), ("Tensor input, Tensor other, *, Tensor out = None",
                                                  "Number self, Tensor other", "Tensor input, Number other"))


class _XlogyScalarSelf(Xlogy):
    def name(self) -> str:
        return "XlogyBackward1"


class _XlogyScalarOther(Xlogy):
    def name(self) -> str:
        return "XlogyBackward2"


class _Xlog1pyScalarSelf(Xlog1py):
    def name(self) -> str:
        return "SpecialXlog1PyBackward1"


class _Xlog1pyScalarOther(Xlog1py):
    def name(self) -> str:
        return "SpecialXlog1PyBackward2"


def xlogy(input: Any, other: Any) -> Tensor:
    """input * log(other), 0 where input = 0 (unless other is NaN); a float result."""
    _tensor_or_number("xlogy", input, other)
    if not isinstance(input, Tensor):
        return _binary(_XlogyScalarSelf, input, other, floating=True)
    return _binary(Xlogy, input, other, floating=True, scalar_op=_XlogyScalarOther)


def xlog1py(input: Any, other: Any) -> Tensor:
    """input * log1p(other), 0 where input = 0 (unless other is NaN); a float result."""
    _tensor_or_number("special_xlog1py", input, other)
    if not isinstance(input, Tensor):
        return _binary(_Xlog1pyScalarSelf, input, other, floating=True)
    return _binary(Xlog1py, input, other, floating=True, scalar_op=_Xlog1pyScalarOther)


def logaddexp(input: Tensor, other: Tensor) -> Tensor:
    """log(exp(input) + exp(other)), without overflow."""
    return float_binary(Logaddexp, "logaddexp", input, other, ints=False)


def logaddexp2(input: Tensor, other: Tensor) -> Tensor:
    """log2(2^input + 2^other), without overflow."""
    return float_binary(Logaddexp2, "logaddexp2", input, other, ints=False)


def hypot(input: Tensor, other: Tensor) -> Tensor:
    """sqrt(input^2 + other^2), without overflow."""
    return float_binary(Hypot, "hypot", input, other, ints=False)


def float_power(input: Any, exponent: Any) -> Tensor:
    """input ** exponent computed in double precision (float64 result)."""
    _tensor_or_number("float_power", input, exponent)
    to64 = lambda a: a.to(_dtype.float64) if isinstance(a, Tensor) else float(a)  # noqa: E731
    return to64(input) ** to64(exponent)


def true_divide(input: Any, other: Any) -> Tensor:
    """input / other (true division, the alias of div)."""
    _tensor_or_number("true_divide", input, other)
    return input / other


def rsub(input: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    """other - alpha * input."""
    _tensor_arg(input, "rsub", "input", 1)
    return other - (input * alpha if alpha != 1 else input)


def lerp(input: Tensor, end: Tensor, weight: Any) -> Tensor:
    """input + weight * (end - input), the linear interpolation."""
    _tensor_arg(input, "lerp", "input", 1)
    _tensor_arg(end, "lerp", "end", 2)
    for name, t in (("end", end), ("weight", weight)):
        if isinstance(t, Tensor) and t.dtype is not input.dtype:
            raise RuntimeError(f"expected dtype {_dtype._C_TYPE[input.dtype.name]} for `{name}` but got dtype "
                               f"{_dtype._C_TYPE[t.dtype.name]}")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"lerp_kernel_scalar\" not implemented for '{_dtype.legacy_name(input.dtype)}'")
    shapes = [input.shape, end.shape] + ([weight.shape] if isinstance(weight, Tensor) else [])
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise RuntimeError(f"shapes {', '.join(str(list(s)) for s in shapes)} cannot be broadcast together") from None
    return (Lerp if isinstance(weight, Tensor) else LerpScalar).apply(input, end, weight)


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """input + value * tensor1 * tensor2."""
    for i, (n, t) in enumerate((("input", input), ("tensor1", tensor1), ("tensor2", tensor2))):
        _tensor_arg(t, "addcmul", n, i + 1)
    if input._data.dtype.kind == "b" and tensor1._data.dtype.kind == "b" and tensor2._data.dtype.kind == "b":
        raise NotImplementedError("\"addcmul_cpu_out\" not implemented for 'Bool'")
    prod = tensor1 * tensor2
    return input + (prod * value if value != 1 else prod)


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """input + value * tensor1 / tensor2 (integer tensors refused, as torch)."""
    for i, (n, t) in enumerate((("input", input), ("tensor1", tensor1), ("tensor2", tensor2))):
        _tensor_arg(t, "addcdiv", n, i + 1)
    if not tensor1.dtype.is_floating_point and not tensor2.dtype.is_floating_point:
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a "
            "true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as "
            "(input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as "
            "(input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter "
            "implementation: (input + value * tensor1 / tensor2), for all dtypes.")
    q = tensor1 / tensor2
    return input + (q * value if value != 1 else q)


class ExponentialMethods:
    """The Tensor methods of the exponential family; minitorch/__init__.py joins them to Tensor."""

    def expm1(self) -> "Tensor":
        """exp(x) - 1, elementwise (accurate for small x)."""
        return float_unary(Expm1, self)

    def exp2(self) -> "Tensor":
        """2 ** x, elementwise."""
        return float_unary(Exp2, self)

    def log2(self) -> "Tensor":
        """The base-2 logarithm, elementwise."""
        return float_unary(Log2, self)

    def log10(self) -> "Tensor":
        """The base-10 logarithm, elementwise."""
        return float_unary(Log10, self)

    def logit(self, eps: float | None = None) -> "Tensor":
        """log(p / (1 - p)), with p clamped to [eps, 1 - eps] when ``eps`` is given."""
        return float_unary(Logit, self, eps)

    def logaddexp(self, other: "Tensor") -> "Tensor":
        """logaddexp(self, other)."""
        return logaddexp(self, other)

    def logaddexp2(self, other: "Tensor") -> "Tensor":
        """logaddexp2(self, other)."""
        return logaddexp2(self, other)

    def xlogy(self, other: Any) -> "Tensor":
        """xlogy(self, other)."""
        return xlogy(self, other)

    def hypot(self, other: "Tensor") -> "Tensor":
        """hypot(self, other)."""
        return hypot(self, other)

    def float_power(self, exponent: Any) -> "Tensor":
        """float_power(self, exponent)."""
        return float_power(self, exponent)

    def true_divide(self, other: Any) -> "Tensor":
        """self / other."""
        return true_divide(self, other)

    def lerp(self, end: "Tensor", weight: Any) -> "Tensor":
        """lerp(self, end, weight)."""
        return lerp(self, end, weight)

    def addcmul(self, tensor1: "Tensor", tensor2: "Tensor", *, value: Any = 1) -> "Tensor":
        """self + value * tensor1 * tensor2."""
        return addcmul(self, tensor1, tensor2, value=value)

    def addcdiv(self, tensor1: "Tensor", tensor2: "Tensor", *, value: Any = 1) -> "Tensor":
        """self + value * tensor1 / tensor2."""
        return addcdiv(self, tensor1, tensor2, value=value)

    def expm1_(self) -> "Tensor":
        """self = expm1(self), in place."""
        return float_inplace(self, lambda x: x.expm1())

    def exp2_(self) -> "Tensor":
        """self = exp2(self), in place."""
        return float_inplace(self, lambda x: x.exp2())

    def log2_(self) -> "Tensor":
        """self = log2(self), in place."""
        return float_inplace(self, lambda x: x.log2())

    def log10_(self) -> "Tensor":
        """self = log10(self), in place."""
        return float_inplace(self, lambda x: x.log10())

    def logit_(self, eps: float | None = None) -> "Tensor":
        """self = logit(self, eps), in place."""
        return float_inplace(self, lambda x: x.logit(eps))

    def xlogy_(self, other: Any) -> "Tensor":
        """self = xlogy(self, other), in place."""
        return float_inplace(self, lambda x: xlogy(x, other), other)

    def hypot_(self, other: "Tensor") -> "Tensor":
        """self = hypot(self, other), in place."""
        return float_inplace(self, lambda x: hypot(x, other), other)

    def true_divide_(self, other: Any) -> "Tensor":
        """self /= other, in place."""
        return self.div_(other)

    def float_power_(self, exponent: Any) -> "Tensor":
        """self = float_power(self, exponent), in place (self must be float64)."""
        if self.dtype is not _dtype.float64:
            raise RuntimeError(f"the base given to float_power_ has dtype {_dtype.legacy_name(self.dtype)} but the "
                               "operation's result requires dtype Double")
        return run_inplace(self, lambda x: float_power(x, exponent), None, exponent)
