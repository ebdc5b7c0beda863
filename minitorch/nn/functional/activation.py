"""Non-linear activations: relu, softmax/softmin/log_softmax, leaky/randomised/parametric relu, elu/selu/celu,
gelu, silu, mish, softplus, hardtanh/hardswish/hardsigmoid, glu, the shrinks and threshold, with in-place forms."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch import random as _random
from minitorch.ops import Elu, Gelu, Hardtanh, LeakyRelu, Silu, Softplus
from minitorch.ops.activation import Hardswish as HardswishOp
from minitorch._tensor import Tensor
from minitorch.autograd.inplace import run_inplace


def _in_place(input: Tensor, inplace: bool, fn: Any) -> Tensor:
    """``fn(input)``, or its result written into ``input`` (with torch's in-place autograd rules)."""
    return run_inplace(input, fn) if inplace else fn(input)


def _legacy_softmax_dim(ndim: int, name: str) -> int:
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as an argument.",
        stacklevel=3,
    )
    return 0 if ndim in (0, 1, 3) else 1


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0)."""
    return input.relu_() if inplace else input.relu()


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """exp(x_i) / sum_j exp(x_j) along ``dim``."""
    if dim is None:
        dim = _legacy_softmax_dim(input.ndim, "softmax")
    return input.softmax(dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """x_i - log(sum_j exp(x_j)) along ``dim``."""
    if dim is None:
        dim = _legacy_softmax_dim(input.ndim, "log_softmax")
    return input.log_softmax(dim, dtype=dtype)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x if x > 0 else negative_slope * x."""
    return _in_place(input, inplace, lambda x: LeakyRelu.apply(x, float(negative_slope)))


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x if x > 0 else alpha * (exp(x) - 1)."""
    return _in_place(input, inplace, lambda x: Elu.apply(x, float(alpha)))


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x) (Phi the standard normal CDF), or its tanh approximation with ``approximate='tanh'``."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return Gelu.apply(input, approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x) (the swish activation)."""
    return _in_place(input, inplace, Silu.apply)


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + exp(-x))."""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """The hyperbolic tangent."""
    return input.tanh()


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta x)) / beta, reverting to x where beta x > threshold."""
    return Softplus.apply(input, float(beta), float(threshold))


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """x clamped to [min_val, max_val]."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _in_place(input, inplace, lambda x: Hardtanh.apply(x, min_val, max_val))


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def _mask(input: Tensor, cond: Any) -> Tensor:
    """A constant boolean tensor (no gradient) from a numpy condition on ``input``'s values."""
    return Tensor._make(np.asarray(cond, dtype=np.bool_))


def _floats(input: Tensor, kernel: str) -> Tensor:
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_dtype.legacy_name(input.dtype)}'")
    return input


def relu_(input: Tensor) -> Tensor:
    """max(x, 0), in place."""
    return input.relu_()


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """leaky_relu, in place."""
    return leaky_relu(input, negative_slope, inplace=True)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """elu, in place."""
    return elu(input, alpha, inplace=True)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """hardtanh, in place."""
    return hardtanh(input, min_val, max_val, inplace=True)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """softmax(-x) along ``dim``."""
    if dim is None:
        dim = _legacy_softmax_dim(input.ndim, "softmin")
    if dtype is not None:
        input = input.to(dtype)
    return (-input).softmax(dim)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha) with the self-normalising constants alpha = 1.6733, scale = 1.0507."""
    _floats(input, "elu")
    return _in_place(input, inplace, lambda x: Elu.apply(x, _SELU_ALPHA) * _SELU_SCALE)


def selu_(input: Tensor) -> Tensor:
    """selu, in place."""
    return selu(input, inplace=True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """max(0, x) + min(0, alpha (exp(x / alpha) - 1)) = alpha * elu(x / alpha)."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")
    _floats(input, "elu")
    a = float(alpha)
    return _in_place(input, inplace, lambda x: Elu.apply(x / a, 1.0) * a)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """celu, in place."""
    return celu(input, alpha, inplace=True)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """a * sigmoid(b), where a and b are the two halves of ``input`` along ``dim``."""
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = dim + input.ndim if dim < 0 else dim
    if not 0 <= d < input.ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-input.ndim}, {input.ndim - 1}], "
                         f"but got {dim})")
    n = input.shape[d]
    if n % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {n}")
    _floats(input, "glu")
    a, b = input.narrow(d, 0, n // 2), input.narrow(d, n // 2, n // 2)
    return a * b.sigmoid()


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x where x > 0, else weight * x, with one weight per channel (dim 1) or one shared weight."""
    return input.prelu(weight)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """Randomised leaky relu: x where x >= 0, else a x with a ~ U(lower, upper) per element while training,
    and a = (lower + upper) / 2 otherwise."""
    _floats(input, "rrelu_with_noise_cpu")
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    data = input._data
    slopes = _random._rng().uniform(lower, upper, data.shape).astype(data.dtype)
    noise = Tensor._make(np.where(data <= 0, slopes, data.dtype.type(1)))
    return _in_place(input, inplace, lambda x: x * noise)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False) -> Tensor:
    """rrelu, in place."""
    return rrelu(input, lower, upper, training, inplace=True)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * relu6(x + 3) / 6;  dy/dx = 0 below -3, x / 3 + 1/2 on [-3, 3], 1 above (torch's kernel)."""
    _floats(input, "hardswish_cpu")
    return _in_place(input, inplace, HardswishOp.apply)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6;  dy/dx = 1/6 strictly inside (-3, 3), else 0."""
    _floats(input, "hardsigmoid_cpu")
    return _in_place(input, inplace, lambda x: Hardtanh.apply(x + 3, 0.0, 6.0) / 6)


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)) = -softplus(-x), computed stably."""
    _floats(input, "log_sigmoid_forward_cpu")
    return -Softplus.apply(-input, 1.0, float("inf"))


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * tanh(softplus(x))."""
    _floats(input, "mish_cpu")
    return _in_place(input, inplace, lambda x: x * Softplus.apply(x, 1.0, float("inf")).tanh())


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|)."""
    return input / (input.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x)."""
    return input - input.tanh()


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x where x > threshold, else ``value``; the gradient passes where x > threshold."""
    return _threshold(input, threshold, value, inplace)


def _threshold(input: Tensor, threshold: float, value: float, inplace: bool) -> Tensor:
    def fn(x: Tensor) -> Tensor:
        keep = ~(x._data <= threshold)  # NaN is kept, as torch's kernel
        if x._data.dtype.kind != "f":
            return Tensor._make(np.where(keep, x._data, value).astype(x._data.dtype))
        return x.where(_mask(x, keep), Tensor._make(np.asarray(value, x._data.dtype)))
    return _in_place(input, inplace, fn)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """threshold, in place."""
    return _threshold(input, threshold, value, True)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - lambd where x > lambd, x + lambd where x < -lambd, else 0."""
    _floats(input, "softshrink_cpu")
    if lambd < 0:
        raise RuntimeError(f"lambda must be in range [0, {float(np.finfo(input._data.dtype).max):g}] for input dtype "
                           f"{_dtype.legacy_name(input.dtype)}, but found {lambd:g}")
    d = input._data
    zero = Tensor._make(np.zeros((), d.dtype))
    inside = (d >= -lambd) & (d <= lambd)  # NaN is outside, and passes through as torch's kernel
    return zero.where(_mask(input, inside), (input - lambd).where(_mask(input, d > lambd), input + lambd))


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0."""
    return input.hardshrink(lambd)
