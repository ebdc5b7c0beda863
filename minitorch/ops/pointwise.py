"""Element-wise functions: exp, log, sqrt, trig, tanh, sigmoid, relu, clamp, max/min, where, casts."""
from __future__ import annotations

import numpy as np

from minitorch.autograd.function import Op
from minitorch.ops._util import _SMALL, nonzero, sigmoid, unbroadcast
from minitorch.tensor import Tensor


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
        return grad * y * y * y * -0.5


class Abs(Op):
    """y = |x|;  dy/dx = sign(x) (0 at 0)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.sign()


class Sign(Op):
    """y = sign(x);  dy/dx = 0."""

    @staticmethod
    def forward(ctx, x):
        ctx.shape = x.shape
        return np.sign(x)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0


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


class Tanh(Op):
    """y = tanh(x);  dy/dx = 1 - y^2."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x):
        y = np.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (1 - y * y)


class Sigmoid(Op):
    """y = 1 / (1 + exp(-x));  dy/dx = y (1 - y).

    For x below about -88 (float32) exp(-x) is inf and y is exactly 0, the correct limit and torch's
    value; no NaN can arise. (exp(-log(1 + exp(-x))) avoids the inf but costs three transcendental
    passes instead of one: 14x slower on 1e5 values.)
    """

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x):
        y = sigmoid(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y * (1 - y)


class Relu(Op):
    """y = max(x, 0);  dy/dx = 0 where y == 0, else 1 (so a NaN passes its gradient on, as in torch)."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x):
        if x.size > _SMALL:  # numpy vectorises the maximum of two arrays, not of an array and a scalar (3x)
            y = np.zeros_like(x)
            np.maximum(x, y, out=y)
        else:
            y = np.maximum(x, 0)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * nonzero(y)


class Clamp(Op):
    """y = min(max(x, lo), hi);  dy/dx = 1 where lo < x < hi, else 0 (0 on the bounds too, as in torch)."""

    def name(self) -> str:
        return "ClampBackward1"

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        return np.clip(x, lo, hi)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        mask = np.ones(x.shape, bool)
        if ctx.lo is not None:
            mask &= x._data > ctx.lo
        if ctx.hi is not None:
            mask &= x._data < ctx.hi
        return grad * Tensor._make(mask), None, None


class Maximum(Op):
    """z = max(x, y);  the gradient goes to the larger input, split evenly on ties."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return np.maximum(x, y)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return _split_by_mask(grad, x._data > y._data, x._data == y._data, x.shape, y.shape)


class Minimum(Op):
    """z = min(x, y);  the gradient goes to the smaller input, split evenly on ties."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return np.minimum(x, y)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return _split_by_mask(grad, x._data < y._data, x._data == y._data, x.shape, y.shape)


def _split_by_mask(grad: Tensor, wins: np.ndarray, ties: np.ndarray, sx: tuple, sy: tuple) -> tuple:
    dt = grad._data.dtype
    wx = Tensor._make(wins.astype(dt) + ties.astype(dt) * 0.5)
    wy = Tensor._make((~wins & ~ties).astype(dt) + ties.astype(dt) * 0.5)
    return unbroadcast(grad * wx, sx), unbroadcast(grad * wy, sy)


class Where(Op):
    """z = x where cond else y;  dz/dx = cond,  dz/dy = not cond (summed back over broadcast axes)."""

    @staticmethod
    def forward(ctx, cond, x, y):
        ctx.cond = cond
        ctx.shapes = np.shape(x), np.shape(y)
        out = np.where(cond, x, y)
        if isinstance(y, np.ndarray) and out.dtype != y.dtype and not isinstance(x, np.ndarray):
            out = out.astype(y.dtype)
        elif isinstance(x, np.ndarray) and out.dtype != x.dtype and not isinstance(y, np.ndarray):
            out = out.astype(x.dtype)
        return out

    @staticmethod
    def backward(ctx, grad):
        cond = Tensor._make(ctx.cond)
        _, nx, ny = ctx.needs_input_grad
        sx, sy = ctx.shapes
        gx = unbroadcast(grad * cond, sx) if nx else None
        gy = unbroadcast(grad * cond.logical_not(), sy) if ny else None
        return None, gx, gy


class MaskedFill(Op):
    """y = value where mask else x (mask broadcast to x's shape);  dy/dx = not mask,  dy/dvalue = the sum of the
    gradient where mask. ``mask`` comes as a numpy array, so the graph lists only x (and a tensor value)."""

    @staticmethod
    def forward(ctx, x, mask, value):
        ctx.mask = mask
        out = x.copy()
        np.copyto(out, value, where=mask, casting="unsafe")
        return out

    @staticmethod
    def backward(ctx, grad):
        mask = Tensor._make(ctx.mask)
        nx, _, nv = ctx.needs_input_grad
        gx = grad.masked_fill(mask, 0.0) if nx else None
        gv = grad.masked_fill(mask.logical_not(), 0.0).sum() if nv else None
        return gx, None, gv


class ToDtype(Op):
    """y = x converted to another dtype;  dy/dx = 1 (the gradient is converted back)."""

    def name(self) -> str:
        return "ToCopyBackward0"

    @staticmethod
    def forward(ctx, x, np_dtype):
        ctx.in_dtype = x.dtype
        return x.astype(np_dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.to(ctx.in_dtype), None


class Clone(Op):
    """y = a copy of x;  dy/dx = 1."""

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


class Cumsum(Op):
    """y_i = sum_{j <= i} x_j along dim;  dL/dx_j = sum_{i >= j} dL/dy_i (a reversed cumsum)."""

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        return np.cumsum(x, axis=dim, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.flip(ctx.dim).cumsum(ctx.dim).flip(ctx.dim), None
