"""minitorch: a from-scratch deep-learning framework on numpy, with PyTorch's API and semantics."""
from minitorch import _allocator
from minitorch._dtype import (
    bool_ as bool, double, dtype, float, float16, float32, float64, get_default_dtype, half, int, int8, int16,
    int32, int64, long, promote_types, result_type, set_default_dtype, short, uint8,
)
from minitorch._dtype import (
    channels_last, channels_last_3d, contiguous_format, layout, memory_format, preserve_format, strided,
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
from minitorch.ops.copy import CopyMethods, fill
from minitorch.ops.indexing import IndexingMethods, where
from minitorch.ops.linalg import LinalgMethods, chain_matmul
from minitorch.ops.blas import (
    BlasMethods, block_diag, cartesian_prod, cdist, diag_embed, einsum, tensordot, tril_indices,
    triu_indices,
)
from minitorch.ops.logical import LogicalMethods
from minitorch.ops.pointwise import PointwiseMethods, clamp, clip
from minitorch.ops.reduction import ReductionMethods
from minitorch.ops.trigonometric import TrigonometricMethods, arctan2, atan2, deg2rad, rad2deg
from minitorch.ops.rounding import (
    RoundingMethods, copysign, fmod, frexp, heaviside, isneginf, isposinf, isreal, ldexp, nextafter, signbit,
)
from minitorch.ops.exponential import (
    ExponentialMethods, addcdiv, addcmul, float_power, hypot, lerp, logaddexp, logaddexp2, rsub, true_divide, xlogy,
)
from minitorch.ops.special import SpecialMethods, mvlgamma, polygamma_function as polygamma
from minitorch.ops.sorting import SortingMethods
from minitorch.ops.scan import ScanMethods
from minitorch.ops.searching import (
    SearchingMethods, bucketize, count_nonzero, isin, searchsorted, unique, unique_consecutive,
)
from minitorch.ops.nan_reductions import NanReductionMethods, std_mean, var_mean
from minitorch.ops.joining import (
    JoiningMethods, atleast_1d, atleast_2d, atleast_3d, broadcast_shapes, column_stack, dstack, hstack, meshgrid,
    row_stack, vstack,
)
from minitorch.ops.scatter import ScatterMethods
from minitorch.ops.shape import ShapeMethods, broadcast_tensors, cat, concat, concatenate, stack, tril, triu
from minitorch.random import (
    Generator, RandomMethods, get_rng_state, initial_seed, manual_seed, seed, set_rng_state,
)
from minitorch.creation import (
    CreationMethods, arange, as_tensor, bernoulli, empty, empty_like, empty_strided, eye, from_numpy, full, full_like,
    is_tensor, linspace, logspace, multinomial, normal, numel, ones, ones_like, rand, rand_like, randint, randint_like,
    randn, randn_like, randperm, tensor, zeros, zeros_like,
)

# The one place Tensor gets its methods: each family's class stands in its file beside the ops it calls
# (``x * y`` is ArithmeticMethods.__mul__ in minitorch/ops/arithmetic.py, next to Mul and its backward).
Tensor._add_methods(
    VariableMethods, CopyMethods, ArithmeticMethods, LinalgMethods, ComparisonMethods, LogicalMethods,
    PointwiseMethods, ActivationMethods, ReductionMethods, ShapeMethods, IndexingMethods, RandomMethods,
    CreationMethods, TrigonometricMethods, RoundingMethods, ExponentialMethods, SpecialMethods,
    SortingMethods, ScanMethods, SearchingMethods, NanReductionMethods, BlasMethods, JoiningMethods,
    ScatterMethods,
)
# torch's remaining op_db functions (issue 15), each family in its own ``*_extra`` file
from minitorch.ops.shape_extra import (  # noqa: E402
    ShapeExtraMethods, alias_copy, as_strided_copy, as_strided_scatter, combinations, constant_pad_nd, diagonal_copy,
    dsplit, empty_permuted, expand_copy, hsplit, narrow_copy, nonzero_static, permute_copy, put, scalar_tensor,
    split_with_sizes_copy, squeeze_copy, t_copy, transpose_copy, unbind_copy, unfold_copy, unravel_index,
    unsqueeze_copy, view_copy, vsplit,
)
from minitorch.ops.pointwise_extra import PointwiseExtraMethods, angle, fmax, fmin, gcd, lcm  # noqa: E402
from minitorch.ops.other_extra import (  # noqa: E402
    OtherExtraMethods, corrcoef, cov, cumulative_trapezoid, gradient, renorm, trapezoid, trapz,
)
from minitorch.ops.igamma import IgammaMethods, igamma, igammac  # noqa: E402
from minitorch.ops.histogramdd import histogramdd  # noqa: E402
Tensor._add_methods(ShapeExtraMethods, PointwiseExtraMethods, OtherExtraMethods, IgammaMethods)
conj, conj_physical, resolve_conj, resolve_neg, is_conj = (
    Tensor.conj, Tensor.conj_physical, Tensor.resolve_conj, Tensor.resolve_neg, Tensor.is_conj)


def real(input: Tensor) -> Tensor:
    """The real part of ``input``: a real tensor itself."""
    return input.real


unsafe_chunk, unsafe_split = Tensor.unsafe_chunk, Tensor.unsafe_split

from minitorch import linalg  # noqa: E402
from minitorch.linalg._lu import lu_unpack  # noqa: E402
from minitorch.linalg._composites import geqrf, householder_product as orgqr, ormqr  # noqa: E402
from minitorch.linalg._deprecated import lu, lu_solve, triangular_solve  # noqa: E402
from minitorch.linalg._spectral import pca_lowrank, svd_lowrank  # noqa: E402
from minitorch import nn  # noqa: E402  (layers call Tensor methods at import time)
from minitorch.serialization import load, load_file, safetensors, save, save_file  # noqa: E402
from minitorch import optim  # noqa: E402
from minitorch import utils  # noqa: E402
from minitorch import onnx  # noqa: E402
from minitorch import accelerator, amp, backends, cuda, distributed  # noqa: E402  (a CPU-only build's answers)
from minitorch.amp import autocast  # noqa: E402
from minitorch._threads import get_num_threads, set_num_threads  # noqa: E402
from minitorch._legacy import (  # noqa: E402  (torch's legacy tensor types)
    BoolTensor, ByteTensor, CharTensor, DoubleTensor, FloatTensor, HalfTensor, IntTensor, LongTensor, ShortTensor,
)
from minitorch import special  # noqa: E402
from minitorch import ao, quantization, sparse  # noqa: E402  (a dense, float framework's clear answers)
from minitorch.sparse import (  # noqa: E402
    SparseMethods, sparse_bsc_tensor, sparse_bsr_tensor, sparse_coo_tensor, sparse_csc_tensor,
    sparse_csr_tensor,
)
from minitorch.quantization import quantize_per_channel, quantize_per_tensor  # noqa: E402
from minitorch._compile import compile  # noqa: E402
Tensor._add_methods(SparseMethods)
from minitorch import testing  # noqa: E402  (assert_close, explained gradchecks; torch only when asked)
from minitorch import signal  # noqa: E402
from minitorch import masked  # noqa: E402
from minitorch import fft  # noqa: E402

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
tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, sinc = (
    _T.tan, _T.asin, _T.acos, _T.atan, _T.sinh, _T.cosh, _T.asinh, _T.acosh, _T.atanh, _T.sinc)
arcsin, arccos, arctan, arcsinh, arccosh, arctanh = _T.asin, _T.acos, _T.atan, _T.asinh, _T.acosh, _T.atanh
floor, ceil, round, trunc, fix, frac, nan_to_num, sgn, positive = (
    _T.floor, _T.ceil, _T.round, _T.trunc, _T.fix, _T.frac, _T.nan_to_num, _T.sgn, _T.positive)
expm1, exp2, log2, log10, logit = _T.expm1, _T.exp2, _T.log2, _T.log10, _T.logit
erf, erfc, erfinv, lgamma, digamma, i0 = _T.erf, _T.erfc, _T.erfinv, _T.lgamma, _T.digamma, _T.i0
multiply, subtract, divide, absolute, negative, logical_xor = (
    _T.multiply, _T.subtract, _T.divide, _T.absolute, _T.negative, _T.logical_xor)
greater, greater_equal, less, less_equal, not_equal = _T.greater, _T.greater_equal, _T.less, _T.less_equal, _T.not_equal
sort, argsort, msort, topk, kthvalue, median, nanmedian, mode = (
    _T.sort, _T.argsort, _T.msort, _T.topk, _T.kthvalue, _T.median, _T.nanmedian, _T.mode)
quantile, nanquantile, cumprod, cummax, cummin, logcumsumexp = (
    _T.quantile, _T.nanquantile, _T.cumprod, _T.cummax, _T.cummin, _T.logcumsumexp)
nansum, nanmean, aminmax, bincount, histc, histogram, nonzero, argwhere = (
    _T.nansum, _T.nanmean, _T.aminmax, _T.bincount, _T.histc, _T.histogram, _T.nonzero, _T.argwhere)
addmm, addmv, addr, addbmm, baddbmm, mv, outer, ger, inner, vdot = (
    _T.addmm, _T.addmv, _T.addr, _T.addbmm, _T.baddbmm, _T.mv, _T.outer, _T.ger, _T.inner, _T.vdot)
kron, trace, diag, diagonal, diagflat, cross, dist = _T.kron, _T.trace, _T.diag, _T.diagonal, _T.diagflat, _T.cross, _T.dist
det, logdet, slogdet, inverse, pinverse, cholesky, svd, qr, matrix_power = (
    _T.det, _T.logdet, _T.slogdet, _T.inverse, _T.pinverse, _T.cholesky, _T.svd, _T.qr, _T.matrix_power)
cholesky_solve, cholesky_inverse, matrix_exp = _T.cholesky_solve, _T.cholesky_inverse, _T.matrix_exp
roll, rot90, tile, repeat_interleave, ravel, select, diff = (
    _T.roll, _T.rot90, _T.tile, _T.repeat_interleave, _T.ravel, _T.select, _T.diff)
fliplr, flipud, tensor_split, split_with_sizes, take, take_along_dim = (
    _T.fliplr, _T.flipud, _T.tensor_split, _T.split_with_sizes, _T.take, _T.take_along_dim)
moveaxis, swapdims, swapaxes, broadcast_to, as_strided = _T.moveaxis, _T.swapdims, _T.swapaxes, _T.broadcast_to, _T.as_strided
scatter, scatter_add, scatter_reduce, index_add, index_copy, index_fill, index_put, index_reduce = (
    _T.scatter, _T.scatter_add, _T.scatter_reduce, _T.index_add, _T.index_copy, _T.index_fill, _T.index_put,
    _T.index_reduce)
masked_scatter, select_scatter, slice_scatter, diagonal_scatter, index_put_ = (
    _T.masked_scatter, _T.select_scatter, _T.slice_scatter, _T.diagonal_scatter, _T.index_put_)
del _T

# Function forms of the nn.functional activations, distances and norms that torch also exports at top level.
_F = nn.functional
selu, selu_, celu, celu_, rrelu, rrelu_ = _F.selu, _F.selu_, _F.celu, _F.celu_, _F.rrelu, _F.rrelu_
threshold, threshold_, prelu, hardshrink = _F.threshold, _F.threshold_, Tensor.prelu, Tensor.hardshrink
pdist, cosine_similarity, pairwise_distance, rms_norm, bilinear = (
    _F.pdist, _F.cosine_similarity, _F.pairwise_distance, _F.rms_norm, _F.bilinear)
# torch's top-level forms of the convolution and shuffle functions (the same functions as nn.functional's)
_F = nn.functional
conv1d, conv2d, conv3d = _F.conv1d, _F.conv2d, _F.conv3d
conv_transpose1d, conv_transpose2d, conv_transpose3d = _F.conv_transpose1d, _F.conv_transpose2d, _F.conv_transpose3d
pixel_shuffle, pixel_unshuffle, channel_shuffle = _F.pixel_shuffle, _F.pixel_unshuffle, _F.channel_shuffle
del _F

__version__ = "0.1.0"

_allocator.tune()
