"""Arithmetic: + - * / // % ** @ and negation, with broadcasting."""
from __future__ import annotations

import math

import numpy as np

from minitorch.autograd.function import Op
from minitorch.ops._util import unbroadcast
from minitorch._tensor import Tensor


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
    z = np.power(x, np.where(negative, 0, y))
    fill = np.where(x == 1, 1, np.where(x == -1, 1 - 2 * (y & 1), 0))
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


class MatMul(Op):
    """Z = X @ Y;  dZ/dX = G @ Y^T,  dZ/dY = X^T @ G, with 1-D operands promoted and batch dims summed back."""

    _NAMES = {(2, 2): "MmBackward0", (1, 1): "DotBackward0", (2, 1): "MvBackward0", (1, 2): "SqueezeBackward4"}
    arrays_in_backward = True

    def name(self) -> str:
        """torch's node names: Mm for matrices, Dot and Mv for vectors, UnsafeView for batches."""
        return self._NAMES.get(self.ndims, "UnsafeViewBackward0")

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        ctx.ndims = x.ndim, y.ndim
        return np.matmul(x, y)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        if x.ndim == 2 and y.ndim == 2:
            return grad @ y.T if nx else None, x.T @ grad if ny else None
        if x.ndim == 1 and y.ndim == 1:
            return grad * y if nx else None, grad * x if ny else None
        x2 = x[None] if x.ndim == 1 else x
        y2 = y[..., None] if y.ndim == 1 else y
        g = grad
        if x.ndim == 1:
            g = g[..., None, :]
        if y.ndim == 1:
            g = g[..., None]
        gx = unbroadcast(g @ y2.mT, x2.shape).reshape(x.shape) if nx else None
        gy = unbroadcast(x2.mT @ g, y2.shape).reshape(y.shape) if ny else None
        return gx, gy
