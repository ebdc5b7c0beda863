"""minitorch: a from-scratch deep-learning framework on numpy, with PyTorch's API and semantics."""
from minitorch import _allocator
from minitorch._dtype import (
    bool_ as bool, double, dtype, float, float16, float32, float64, get_default_dtype, half, int, int8, int16,
    int32, int64, long, promote_types, result_type, set_default_dtype, short, uint8,
)
from minitorch._tensor import Size, Tensor, device
from minitorch import autograd
from minitorch.autograd import (
    enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad, set_grad_enabled,
)
from minitorch import ops
from minitorch.autograd.variable import VariableMethods
from minitorch.ops.activation import ActivationMethods
from minitorch.ops.arithmetic import ArithmeticMethods
from minitorch.ops.comparison import ComparisonMethods, maximum, minimum
from minitorch.ops.copy import CopyMethods
from minitorch.ops.indexing import IndexingMethods, where
from minitorch.ops.linalg import LinalgMethods
from minitorch.ops.logical import LogicalMethods
from minitorch.ops.pointwise import PointwiseMethods, clamp, clip
from minitorch.ops.reduction import ReductionMethods
from minitorch.ops.shape import ShapeMethods, broadcast_tensors, cat, concat, concatenate, stack, tril, triu
from minitorch.random import (
    Generator, RandomMethods, get_rng_state, initial_seed, manual_seed, seed, set_rng_state,
)
from minitorch.creation import (
    CreationMethods, arange, as_tensor, bernoulli, empty, empty_like, eye, from_numpy, full, full_like, is_tensor,
    linspace, logspace, multinomial, normal, numel, ones, ones_like, rand, rand_like, randint, randint_like, randn,
    randn_like, randperm, tensor, zeros, zeros_like,
)

# The one place Tensor gets its methods: each family's class stands in its file beside the ops it calls
# (``x * y`` is ArithmeticMethods.__mul__ in minitorch/ops/arithmetic.py, next to Mul and its backward).
Tensor._add_methods(
    VariableMethods, CopyMethods, ArithmeticMethods, LinalgMethods, ComparisonMethods, LogicalMethods,
    PointwiseMethods, ActivationMethods, ReductionMethods, ShapeMethods, IndexingMethods, RandomMethods,
    CreationMethods,
)

from minitorch import nn  # noqa: E402  (layers call Tensor methods at import time)
from minitorch.serialization import load, save  # noqa: E402
from minitorch import optim  # noqa: E402
from minitorch import utils  # noqa: E402

# Function forms of the Tensor methods: ``minitorch.exp(x)`` is ``x.exp()``.
_T = Tensor
abs, exp, log, log1p, sqrt, rsqrt, sign, sin, cos = _T.abs, _T.exp, _T.log, _T.log1p, _T.sqrt, _T.rsqrt, _T.sign, _T.sin, _T.cos
tanh, sigmoid, relu, neg, reciprocal, square = _T.tanh, _T.sigmoid, _T.relu, _T.neg, _T.reciprocal, _T.square
add, sub, mul, div, pow, matmul, mm, bmm, dot = _T.add, _T.sub, _T.mul, _T.div, _T.pow, _T.matmul, _T.mm, _T.bmm, _T.dot
sum, mean, prod, amax, amin, max, min = _T.sum, _T.mean, _T.prod, _T.amax, _T.amin, _T.max, _T.min
argmax, argmin, var, std, logsumexp, norm, cumsum = _T.argmax, _T.argmin, _T.var, _T.std, _T.logsumexp, _T.norm, _T.cumsum
reshape, flatten, unflatten, permute, transpose, t = _T.reshape, _T.flatten, _T.unflatten, _T.permute, _T.transpose, _T.t
squeeze, unsqueeze, split, chunk, unbind, gather = _T.squeeze, _T.unsqueeze, _T.split, _T.chunk, _T.unbind, _T.gather
narrow, index_select, masked_select, masked_fill, flip, movedim = (
    _T.narrow, _T.index_select, _T.masked_select, _T.masked_fill, _T.flip, _T.movedim)
softmax, log_softmax, allclose, isclose, equal = _T.softmax, _T.log_softmax, _T.allclose, _T.isclose, _T.equal
isnan, isinf, isfinite, logical_not, logical_and, logical_or = (
    _T.isnan, _T.isinf, _T.isfinite, _T.logical_not, _T.logical_and, _T.logical_or)
eq, ne, lt, le, gt, ge, any, all = _T.eq, _T.ne, _T.lt, _T.le, _T.gt, _T.ge, _T.any, _T.all
floor_divide, remainder, bitwise_and, bitwise_or, bitwise_xor, bitwise_not = (
    _T.floor_divide, _T.remainder, _T.bitwise_and, _T.bitwise_or, _T.bitwise_xor, _T.bitwise_not)
bitwise_left_shift, bitwise_right_shift = _T.bitwise_left_shift, _T.bitwise_right_shift
del _T

# torch's top-level forms of the convolution and shuffle functions (the same functions as nn.functional's)
_F = nn.functional
conv1d, conv2d, conv3d = _F.conv1d, _F.conv2d, _F.conv3d
conv_transpose1d, conv_transpose2d, conv_transpose3d = _F.conv_transpose1d, _F.conv_transpose2d, _F.conv_transpose3d
pixel_shuffle, pixel_unshuffle, channel_shuffle = _F.pixel_shuffle, _F.pixel_unshuffle, _F.channel_shuffle
del _F

__version__ = "0.1.0"

_allocator.tune()
