"""Trigonometric and hyperbolic functions beyond sin and cos: tan, the inverses, atan2, sinh... atanh,
deg2rad/rad2deg and sinc, with torch's derivatives (derivatives.yaml), in-place forms and numpy's arc aliases."""
from __future__ import annotations

import math
import numpy as np

from minitorch._tensor import Tensor
from minitorch.autograd.function import Op
from minitorch.ops._args import _floating, _tensor_arg
from minitorch.ops._elementwise import float_binary, float_inplace, float_unary
from minitorch.ops._util import unbroadcast


class Tan(Op):
    """y = tan(x);  dy/dx = 1 + y^2."""

    @staticmethod
    def forward(ctx, x):
        y = np.tan(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (y * y + 1)


class Asin(Op):
    """y = asin(x);  dy/dx = 1 / sqrt(1 - x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arcsin(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (-x * x + 1).rsqrt()


class Acos(Op):
    """y = acos(x);  dy/dx = -1 / sqrt(1 - x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arccos(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * -(-x * x + 1).rsqrt()


class Atan(Op):
    """y = atan(x);  dy/dx = 1 / (1 + x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arctan(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (x * x + 1)


class Atan2(Op):
    """z = atan2(y, x) (the angle of the point (x, y));  dz/dy = x / (x^2 + y^2),  dz/dx = -y / (x^2 + y^2)
    (both 0 at the origin)."""

    @staticmethod
    def forward(ctx, y, x):
        ctx.save_for_backward(y, x)
        return np.arctan2(y, x)

    @staticmethod
    def backward(ctx, grad):
        y, x = ctx.saved_tensors
        ny, nx = ctx.needs_input_grad
        denom = y * y + x * x
        recip = denom.reciprocal().masked_fill(denom == 0, 0.0)  # torch's gradient at the origin is 0
        gy = unbroadcast(grad * x * recip, y.shape) if ny else None
        gx = unbroadcast(grad * -y * recip, x.shape) if nx else None
        return gy, gx


class Sinh(Op):
    """y = sinh(x);  dy/dx = cosh(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sinh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.cosh()


class Cosh(Op):
    """y = cosh(x);  dy/dx = sinh(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cosh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.sinh()


class Asinh(Op):
    """y = asinh(x);  dy/dx = 1 / sqrt(x^2 + 1)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arcsinh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x * x + 1).rsqrt()


class Acosh(Op):
    """y = acosh(x);  dy/dx = 1 / sqrt(x^2 - 1)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arccosh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x * x - 1).rsqrt()


class Atanh(Op):
    """y = atanh(x);  dy/dx = 1 / (1 - x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arctanh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (-x * x + 1).reciprocal()


class Sinc(Op):
    """y = sin(pi x) / (pi x) (1 at 0);  dy/dx = (pi x cos(pi x) - sin(pi x)) / (pi x^2) (0 at 0)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        px = x * np.asarray(math.pi, x.dtype)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(x == 0, np.asarray(1, x.dtype), np.sin(px) / px)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        px = x * math.pi
        d = (px * px.cos() - px.sin()) / (px * x)
        return grad * d.masked_fill(x == 0, 0.0)


def atan2(input: Tensor, other: Tensor) -> Tensor:
    """The angle of (other, input) in radians, elementwise: atan(input / other) in the right quadrant."""
    return float_binary(Atan2, "atan2", input, other)


arctan2 = atan2


def deg2rad(input: Tensor) -> Tensor:
    """Degrees to radians."""
    _tensor_arg(input, "deg2rad", "input", 1)
    return _floating(input) * (math.pi / 180)


def rad2deg(input: Tensor) -> Tensor:
    """Radians to degrees."""
    _tensor_arg(input, "rad2deg", "input", 1)
    return _floating(input) * (180 / math.pi)


class TrigonometricMethods:
    """The Tensor methods of the trigonometric family; minitorch/__init__.py joins them to Tensor."""

    def tan(self) -> "Tensor":
        """tan(x), elementwise."""
        return float_unary(Tan, self)

    def asin(self) -> "Tensor":
        """The inverse sine, elementwise (NaN outside [-1, 1])."""
        return float_unary(Asin, self)

    def acos(self) -> "Tensor":
        """The inverse cosine, elementwise (NaN outside [-1, 1])."""
        return float_unary(Acos, self)

    def atan(self) -> "Tensor":
        """The inverse tangent, elementwise."""
        return float_unary(Atan, self)

    def sinh(self) -> "Tensor":
        """The hyperbolic sine, elementwise."""
        return float_unary(Sinh, self)

    def cosh(self) -> "Tensor":
        """The hyperbolic cosine, elementwise."""
        return float_unary(Cosh, self)

    def asinh(self) -> "Tensor":
        """The inverse hyperbolic sine, elementwise."""
        return float_unary(Asinh, self)

    def acosh(self) -> "Tensor":
        """The inverse hyperbolic cosine, elementwise (NaN below 1)."""
        return float_unary(Acosh, self)

    def atanh(self) -> "Tensor":
        """The inverse hyperbolic tangent, elementwise (NaN outside [-1, 1])."""
        return float_unary(Atanh, self)

    def sinc(self) -> "Tensor":
        """The normalized sinc, sin(pi x) / (pi x), elementwise."""
        return float_unary(Sinc, self)

    def atan2(self, other: "Tensor") -> "Tensor":
        """atan2(self, other), elementwise."""
        return atan2(self, other)

    def deg2rad(self) -> "Tensor":
        """Degrees to radians."""
        return deg2rad(self)

    def rad2deg(self) -> "Tensor":
        """Radians to degrees."""
        return rad2deg(self)

    def tan_(self) -> "Tensor":
        """self = tan(self), in place."""
        return float_inplace(self, lambda x: x.tan())

    def asin_(self) -> "Tensor":
        """self = asin(self), in place."""
        return float_inplace(self, lambda x: x.asin())

    def acos_(self) -> "Tensor":
        """self = acos(self), in place."""
        return float_inplace(self, lambda x: x.acos())

    def atan_(self) -> "Tensor":
        """self = atan(self), in place."""
        return float_inplace(self, lambda x: x.atan())

    def sinh_(self) -> "Tensor":
        """self = sinh(self), in place."""
        return float_inplace(self, lambda x: x.sinh())

    def cosh_(self) -> "Tensor":
        """self = cosh(self), in place."""
        return float_inplace(self, lambda x: x.cosh())

    def asinh_(self) -> "Tensor":
        """self = asinh(self), in place."""
        return float_inplace(self, lambda x: x.asinh())

    def acosh_(self) -> "Tensor":
        """self = acosh(self), in place."""
        return float_inplace(self, lambda x: x.acosh())

    def atanh_(self) -> "Tensor":
        """self = atanh(self), in place."""
        return float_inplace(self, lambda x: x.atanh())

    def sinc_(self) -> "Tensor":
        """self = sinc(self), in place."""
        return float_inplace(self, lambda x: x.sinc())

    def atan2_(self, other: "Tensor") -> "Tensor":
        """self = atan2(self, other), in place."""
        return float_inplace(self, lambda x: atan2(x, other), other)

    def deg2rad_(self) -> "Tensor":
        """self = deg2rad(self), in place."""
        return float_inplace(self, lambda x: deg2rad(x))

    def rad2deg_(self) -> "Tensor":
        """self = rad2deg(self), in place."""
        return float_inplace(self, lambda x: rad2deg(x))

    arcsin, arccos, arctan, arcsinh, arccosh, arctanh, arctan2 = asin, acos, atan, asinh, acosh, atanh, atan2
    arcsin_, arccos_, arctan_, arcsinh_, arccosh_, arctanh_, arctan2_ = (
        asin_, acos_, atan_, asinh_, acosh_, atanh_, atan2_)

