"""Element-wise functions: exp, log, sqrt, trig, tanh, sigmoid, relu, clamp, max/min, where, casts."""
from __future__ import annotations

import numpy as np

from minitorch.autograd.function import Op
from minitorch.ops._util import _SMALL, nonzero, sigmoid, unbroadcast
from minitorch._dtype import result_type
from minitorch._tensor import Tensor, _broadcastable, _mismatch


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
    """y = 1 / (1 + exp(-x));  dy/dx = (1 - y) y (torch's order of the products).

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
        return grad * (1 - y) * y


class Relu(Op):
    """y = max(x, 0) (x itself on the tie, so relu(-0.0) = -0.0, as torch);
    dy/dx = 0 where y == 0, else 1 (so a NaN passes its gradient on, as in torch)."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x):
        if x.size > _SMALL:  # numpy vectorises the maximum of two arrays, not of an array and a scalar (3x)
            y = np.zeros_like(x)
            np.maximum(y, x, out=y)
        else:
            y = np.maximum(0, x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * nonzero(y)


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
    dt = result_type(x, lo, hi)
    return ClampTensor.apply(x.to(dt), lo.to(dt), hi.to(dt))


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


def _share(grad: Tensor, none: np.ndarray, half: np.ndarray, shape: tuple) -> Tensor:
    """``grad`` times a weight of 0 where ``none``, 1/2 where ``half``, 1 elsewhere, summed back to ``shape``."""
    weight = np.logical_not(none).astype(grad._data.dtype)
    if half.any():  # ties are rare: no pass over the weights without them
        weight[half] = 0.5
    return unbroadcast(grad * Tensor._make(weight), shape)


class Where(Op):
    """z = x where cond else y;  dL/dx = g where cond else 0,  dL/dy = 0 where cond else g (summed back over
    broadcast axes). A select, as torch's, not a product: an inf or NaN g does not leak into the unselected side."""

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
        cond = ctx.cond
        _, nx, ny = ctx.needs_input_grad
        sx, sy = ctx.shapes
        if np.isfinite(grad._data).all():  # then a product is the select, and numpy multiplies 10x faster
            gx = grad * Tensor._make(cond.astype(grad._data.dtype)) if nx else None
            gy = grad * Tensor._make(np.logical_not(cond).astype(grad._data.dtype)) if ny else None
        else:
            gx = MaskedFill.apply(grad, np.logical_not(cond), 0.0) if nx else None
            gy = MaskedFill.apply(grad, cond, 0.0) if ny else None
        return None, unbroadcast(gx, sx) if nx else None, unbroadcast(gy, sy) if ny else None


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
