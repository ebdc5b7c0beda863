"""Activations: relu, sigmoid, tanh, softmax/log_softmax, leaky_relu, elu, gelu, silu, softplus, hardtanh,
hardswish, and the Tensor methods prelu and hardshrink.

Each backward is written in Tensor ops, so it is differentiable again (create_graph). Softmax and
log-softmax are single ops with hand-derived backwards (the composed forms are their test oracle);
GELU and SiLU, the activations of large models, get their derivative from one fused op
(``GeluGrad``, ``SiluGrad``) so the usual backward costs one numpy pass.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor, _dim
from minitorch.autograd.function import Op
from minitorch.autograd.inplace import run_inplace
from minitorch.ops._args import _float_only, _floating
from minitorch.ops._util import exp, nonzero, sigmoid, sum_keepdim
from minitorch.ops.special import Erf, erf


class Softmax(Op):
    """y = exp(x - max) / sum(exp(x - max)) along dim;  dL/dx = y * (g - sum(g * y))."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, dim):
        if x.size == 0:  # a zero-size dimension: nothing to normalise (numpy's max has no identity)
            ctx.dim = dim
            ctx.save_for_backward(x)
            return x.copy()
        e = np.exp(x - np.max(x, axis=dim, keepdims=True))
        y = e / np.sum(e, axis=dim, keepdims=True)
        ctx.dim = dim
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return y * (grad - sum_keepdim(grad * y, ctx.dim)), None


def log_softmax(x: np.ndarray, dim: int | None) -> np.ndarray:
    """(x - m) - log(sum exp(x - m)) along ``dim``, m = max(x): never overflows."""
    if x.size == 0:
        return x.copy()
    shifted = x - np.maximum.reduce(x, axis=dim, keepdims=True)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=dim, keepdims=True))


class LogSoftmax(Op):
    """y = x - logsumexp(x) along dim (shifted by the max for stability);  dL/dx = g - exp(y) * sum(g)."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, dim):
        y = log_softmax(x, dim)
        ctx.dim = dim
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad - exp(y) * sum_keepdim(grad, ctx.dim), None


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
        y = np.maximum(0, x)  # x second: on a tie (x = -0.0) numpy returns its second argument
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * nonzero(y)


_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TANH_K = math.sqrt(2.0 / math.pi)
_TANH_C = 0.044715


def _const(mask: np.ndarray, dtype: np.dtype) -> Tensor:
    return Tensor._make(mask.astype(dtype, copy=False))


class LeakyRelu(Op):
    """y = x if x > 0 else slope * x;  dy/dx = 1 if x > 0 else slope.

    For 0 < slope <= 1 this is max(x, slope * x) (NaN and -0.0 come out as torch's). Neither pass uses
    ``np.where``, whose element-by-element branch on a random mask is 10-17x slower than these loops."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, slope):
        ctx.save_for_backward(x)
        ctx.slope = slope
        y = x * x.dtype.type(slope)
        if 0 < slope <= 1:  # (at slope 0, inf * 0 would be NaN)
            return np.maximum(x, y, out=y)
        return np.where(x > 0, x, y)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        xa = x._data if isinstance(x, Tensor) else x
        up = xa > 0
        d = np.multiply(np.logical_not(up), xa.dtype.type(ctx.slope))  # slope or 0, then + 1 or 0: exact
        np.add(d, up, out=d)
        return grad * d, None  # a constant: d2y/dx2 = 0


class Elu(Op):
    """y = x if x > 0 else alpha (exp(x) - 1);  dy/dx = 1 if x > 0 else alpha exp(x) (so NaN at NaN, and
    elu(-0.0) = -0.0, as torch's vectorised kernel, which runs on every full block of 16 values)."""

    @staticmethod
    def forward(ctx, x, alpha):
        ctx.save_for_backward(x)
        ctx.alpha = alpha
        return np.where(x > 0, x, np.expm1(np.minimum(0, x)) * x.dtype.type(alpha))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        negative = Tensor._make(~(x._data > 0))
        slope = (x.clamp(max=0).exp() * ctx.alpha).where(negative, 1.0)
        return grad * slope, None


def _gelu_inner(x: np.ndarray, approximate: str) -> np.ndarray:
    """The S-shaped factor of gelu: erf(x / sqrt 2) (exact) or tanh(sqrt(2/pi) (x + 0.044715 x^3))."""
    if approximate == "tanh":
        return np.tanh(_TANH_K * (x + _TANH_C * x * x * x))
    return erf(x * _SQRT_HALF)


def _gelu_grad(x: np.ndarray, approximate: str, inner: np.ndarray) -> np.ndarray:
    """d gelu / dx from x and ``_gelu_inner(x)``: Phi(x) + x phi(x), or the derivative of the tanh form."""
    if approximate == "tanh":
        return 0.5 * (1 + inner) + 0.5 * x * (1 - inner * inner) * (_TANH_K * (1 + 3 * _TANH_C * x * x))
    return 0.5 * (1 + inner) + x * np.exp(-0.5 * x * x) * _INV_SQRT_2PI


class Gelu(Op):
    """y = x (1 + s) / 2 with s = erf(x / sqrt 2) (y = x Phi(x)) or, with approximate='tanh',
    s = tanh(sqrt(2/pi) (x + 0.044715 x^3));  dy/dx from ``GeluGrad``, which reuses s."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, approximate):
        inner = _gelu_inner(x, approximate)
        ctx.save_for_backward(x, inner)
        ctx.approximate = approximate
        return x * 0.5 * (1 + inner)

    @staticmethod
    def backward(ctx, grad):
        x, inner = ctx.saved_tensors
        if isinstance(x, Tensor):  # differentiable, for create_graph
            return grad * GeluGrad.apply(x, ctx.approximate, inner._data), None
        return grad * _gelu_grad(x, ctx.approximate, inner).astype(x.dtype, copy=False), None


class GeluGrad(Op):
    """y = gelu'(x) (given the forward's s);  dy/dx = gelu''(x): phi(x) (2 - x^2) exact, or the tanh
    form's second derivative."""

    @staticmethod
    def forward(ctx, x, approximate, inner):
        ctx.save_for_backward(x)
        ctx.approximate = approximate
        return _gelu_grad(x, approximate, inner).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        if ctx.approximate == "tanh":
            du = (x * x * (3 * _TANH_C) + 1) * _TANH_K
            t = ((x * x * _TANH_C + 1) * x * _TANH_K).tanh()
            sech2 = 1 - t * t
            second = sech2 * du + x * sech2 * (x * (3 * _TANH_K * _TANH_C) - t * du * du)
        else:
            second = (x * x * -0.5).exp() * _INV_SQRT_2PI * (2 - x * x)
        return grad * second, None, None


def gelu_composed(x: Tensor, approximate: str = "none") -> Tensor:
    """GELU from primitive Tensor ops (the test oracle of the fused ``Gelu``)."""
    if approximate == "tanh":
        return x * 0.5 * (((x * x * x) * _TANH_C + x) * _TANH_K).tanh().add(1)
    return x * 0.5 * (Erf.apply(x * _SQRT_HALF) + 1)


def _softplus(z: np.ndarray) -> np.ndarray:
    """log(1 + exp(z)) without overflow: max(z, 0) + log1p(exp(-|z|))."""
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


class Silu(Op):
    """y = x sigmoid(x);  dy/dx from ``SiluGrad``."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * sigmoid(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * SiluGrad.apply(x)


class SiluGrad(Op):
    """y = s (1 + x (1 - s)) with s = sigmoid(x);  dy/dx = s (1 - s) (2 + x (1 - 2 s))."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        s = sigmoid(x)
        return s * (1 + x * (1 - s))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        s = x.sigmoid()
        return grad * s * (1 - s) * (x * (1 - s * 2) + 2)


class Softplus(Op):
    """y = log(1 + exp(beta x)) / beta, or x where beta x > threshold;
    dy/dx = sigmoid(beta x), or 1 where beta x > threshold."""

    @staticmethod
    def forward(ctx, x, beta, threshold):
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        bx = x * x.dtype.type(beta)
        return np.where(bx > threshold, x, _softplus(bx) / x.dtype.type(beta))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * SoftplusGrad.apply(x, ctx.beta, ctx.threshold), None, None


class SoftplusGrad(Op):
    """y = sigmoid(beta x), or 1 where beta x > threshold;  dy/dx = beta s (1 - s), or 0 there."""

    @staticmethod
    def forward(ctx, x, beta, threshold):
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        bx = x * x.dtype.type(beta)
        return np.where(bx > threshold, x.dtype.type(1), sigmoid(bx))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        bx = x * ctx.beta
        s = bx.sigmoid()
        below = _const(bx._data <= ctx.threshold, x._data.dtype)
        return grad * s * (1 - s) * below * ctx.beta, None, None


class Hardtanh(Op):
    """y = min(max(x, lo), hi);  dy/dx = 1 strictly inside (lo, hi), else 0 (0 at NaN too: torch's vectorised
    kernel, which every tensor but a few tail elements goes through)."""

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        return np.clip(x, x.dtype.type(lo), x.dtype.type(hi))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        inside = (x._data > ctx.lo) & (x._data < ctx.hi)
        return grad * _const(inside, x._data.dtype), None, None


class Hardswish(Op):
    """y = x relu6(x + 3) / 6;  dy/dx = 0 for x <= -3, x / 3 + 1/2 for -3 < x < 3, 1 for x >= 3 (torch's
    kernel), so d2y/dx2 = 1/3 on (-3, 3)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * np.clip(x + 3, 0, 6) / x.dtype.type(6)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        inside = (x._data > -3) & (x._data < 3)
        slope = (x / 3 + 0.5).where(Tensor._make(inside), Tensor._make(np.asarray(x._data >= 3, x._data.dtype)))
        return grad * slope


class ActivationMethods:
    """The Tensor methods of activations; minitorch/__init__.py joins them to Tensor."""

    def tanh(self) -> "Tensor":
        """tanh(x), elementwise."""
        return Tanh.apply(_floating(self))

    def sigmoid(self) -> "Tensor":
        """1 / (1 + exp(-x)), elementwise."""
        return Sigmoid.apply(_floating(self))

    def relu(self) -> "Tensor":
        """max(x, 0), elementwise."""
        if self._data.dtype.kind == "b":
            raise NotImplementedError("Boolean inputs not supported for relu")
        return Relu.apply(self)

    def softmax(self, dim: int, dtype: Any = None) -> "Tensor":
        """exp(x) / sum(exp(x)) along ``dim``, computed stably."""
        x = _float_only(self if dtype is None else self.to(dtype), "softmax_lastdim_kernel_impl")
        d = _dim(dim, self.ndim)
        return Softmax.apply(x, d if self._data.ndim else None)

    def log_softmax(self, dim: int, dtype: Any = None) -> "Tensor":
        """x - logsumexp(x) along ``dim``."""
        x = _float_only(self if dtype is None else self.to(dtype), "log_softmax_lastdim_kernel_impl")
        d = _dim(dim, self.ndim)
        return LogSoftmax.apply(x, d if self._data.ndim else None)

    def prelu(self, weight: "Tensor") -> "Tensor":
        """x where x > 0, else weight * x, with one weight per channel (dim 1) or one shared weight;
        composed (where of x and w x), so dL/dx = g or w g and dL/dw = sum of g x where x <= 0."""
        if self.ndim == 0 and weight.numel() != 1:
            raise RuntimeError("Not allow zero-dim input tensor.")
        if weight.ndim > 1:
            raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.ndim}")
        channels = self.shape[1] if self.ndim > 1 else 1
        if weight.numel() != 1 and weight.numel() != channels:
            raise RuntimeError(
                f"Mismatch of parameter numbers and input channel size. Found parameter numbers = {weight.numel()} "
                f"and channel size = {channels}."
            )
        _float_only(self, "prelu_cpu")
        if weight.dtype != self.dtype:
            raise RuntimeError(f"prelu: Type promoting not supported. Got {_dtype.legacy_name(self.dtype)} and "
                               f"{_dtype.legacy_name(weight.dtype)}")
        if weight.numel() == 1 or self.ndim < 2:
            w = weight.reshape(())
        else:
            w = weight.reshape((1, channels) + (1,) * (self.ndim - 2))
        return self.where(Tensor._make(self._data > 0), w * self)

    def hardshrink(self, lambd: float = 0.5) -> "Tensor":
        """x where |x| > lambd, else 0 (composed: the gradient passes where |x| > lambd)."""
        d = _float_only(self, "hardshrink_cpu")._data
        inside = (d >= -lambd) & (d <= lambd)  # NaN is outside, and passes through as torch's kernel
        return self.where(Tensor._make(~inside), Tensor._make(np.zeros((), d.dtype)))

    def relu_(self) -> "Tensor":
        """self = max(self, 0), in place."""
        return run_inplace(self, lambda x: x.relu(), lambda a: np.maximum(a, 0, out=a))

    def sigmoid_(self) -> "Tensor":
        """self = sigmoid(self), in place."""
        return run_inplace(self, lambda x: x.sigmoid())

    def tanh_(self) -> "Tensor":
        """self = tanh(self), in place."""
        return run_inplace(self, lambda x: x.tanh(), lambda a: np.tanh(a, out=a))
