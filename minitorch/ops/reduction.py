"""Reductions over dims: sum, mean, prod, amax/amin (max/min with dim are built on gather)."""
from __future__ import annotations

import numbers
import warnings
from typing import Any, Callable, NamedTuple

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor, _dim, _dims, _rdims
from minitorch.autograd.function import Op
from minitorch.ops._args import _float_only, _floating, _invalid_args
from minitorch.ops._util import expand_to
from minitorch.ops.indexing import ScatterAdd


class MinMaxResult(NamedTuple):
    """What ``max(dim)`` / ``min(dim)`` return: ``(values, indices)``."""

    values: Tensor
    indices: Tensor


def _div_or_zero(num: Tensor, den: Tensor, scale: float = 1.0) -> Tensor:
    """num / (den * scale) where den != 0, and 0 where den == 0 (the gradient of a norm at zero, as torch)."""
    zero = den == 0
    return (num / (den.masked_fill(zero, 1.0) * scale)).masked_fill(zero, 0.0)


def _expand_back(grad: Any, shape: tuple, dims: tuple, keepdim: bool) -> Any:
    """Broadcast a reduced gradient (array or Tensor) back over the reduced dims."""
    if not keepdim and len(dims) != len(shape) and dims != tuple(range(len(dims))):  # put the 1s back
        grad = grad.reshape(tuple(1 if i in dims else s for i, s in enumerate(shape)))
    return grad if grad.shape == shape else expand_to(grad, shape)


def _over_dims_name(ctx, base: str) -> str:
    """torch names a full reduction ``<Op>Backward0`` and one over given dims ``<Op>Backward1``."""
    full = len(ctx.dims) == len(ctx.shape) and not ctx.keepdim
    return f"{base}Backward{0 if full else 1}"


class Sum(Op):
    """y = sum of x over dims;  dy/dx = 1 (the gradient is broadcast back)."""

    arrays_in_backward = True

    def name(self) -> str:
        return _over_dims_name(self, "Sum")

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        return np.add.reduce(x, axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad):
        return _expand_back(grad, ctx.shape, ctx.dims, ctx.keepdim), None, None


class Mean(Op):
    """y = sum of x over dims / N;  dy/dx = 1 / N."""

    arrays_in_backward = True

    def name(self) -> str:
        return _over_dims_name(self, "Mean")

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        n = 1
        for d in dims:
            n *= x.shape[d]
        ctx.n = n
        if n == 0:
            return np.full(np.sum(x, axis=dims, keepdims=keepdim).shape, np.nan, x.dtype)
        return np.mean(x, axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad):
        return _expand_back(grad / ctx.n, ctx.shape, ctx.dims, ctx.keepdim), None, None


class Prod(Op):
    """y = prod of x over dims;  dy/dx_i = prod_{j != i} x_j (computed safely where x has zeros)."""

    def name(self) -> str:
        return _over_dims_name(self, "Prod")

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        y = np.prod(x, axis=dims, keepdims=keepdim, dtype=np.bool_ if x.dtype == np.bool_ else None)  # bool: all()
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        dims, keepdim = ctx.dims, ctx.keepdim
        g = _expand_back(grad, x.shape, dims, keepdim)
        out = _expand_back(y, x.shape, dims, keepdim)
        nonzero = x != 0
        if bool(nonzero.all()):
            return g * out / x, None, None
        x_safe = x.masked_fill(~nonzero, 1.0)
        zeros = (~nonzero).sum(dims, keepdim=True)
        others_of_zero = Prod.apply(x_safe, dims, True) * (zeros == 1)
        others = (out / x_safe).where(nonzero, others_of_zero.expand(x.shape))
        return g * others, None, None


class _Extremum(Op):
    """y = max (or min) over dims;  dy/dx = 1 / k at the k positions that attain it, 0 elsewhere."""

    fn = staticmethod(np.amax)

    @classmethod
    def forward(cls, ctx, x, dims, keepdim):
        y = cls.fn(x, axis=dims, keepdims=True)
        ctx.save_for_backward(x)
        ctx.y, ctx.dims, ctx.keepdim = y, dims, keepdim
        return y if keepdim else np.squeeze(y, axis=dims)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        hit = (x._data == ctx.y).astype(x._data.dtype)
        weights = Tensor._make(hit / np.sum(hit, axis=ctx.dims, keepdims=True))
        return _expand_back(grad, x.shape, ctx.dims, ctx.keepdim) * weights, None, None


class Amax(_Extremum):
    fn = staticmethod(np.amax)


class Amin(_Extremum):
    fn = staticmethod(np.amin)


class MaxAll(Amax):
    """y = max of all of x (``x.max()``);  the gradient is shared evenly by the positions that attain it."""

    def name(self) -> str:
        return "MaxBackward1"


class MinAll(Amin):
    """y = min of all of x (``x.min()``);  the gradient is shared evenly by the positions that attain it."""

    def name(self) -> str:
        return "MinBackward1"


class Max(Op):
    """(values, indices) = max of x along dim;  dL/dx = the values' gradient placed at the indices."""

    argfn = staticmethod(np.argmax)

    @classmethod
    def forward(cls, ctx, x, dim, keepdim):
        idx = np.expand_dims(cls.argfn(x, axis=dim), dim)
        values = np.take_along_axis(x, idx, axis=dim)
        ctx.shape, ctx.dim, ctx.idx, ctx.keepdim = x.shape, dim, idx, keepdim
        if not keepdim:
            values, idx = values.squeeze(dim), idx.squeeze(dim)
        return values, idx.astype(np.int64, copy=False)

    @staticmethod
    def backward(ctx, grad, _grad_indices):
        g = grad if ctx.keepdim else grad.unsqueeze(ctx.dim)
        return ScatterAdd.apply(g, ctx.shape, ctx.dim, ctx.idx), None, None


class Min(Max):
    """(values, indices) = min of x along dim;  dL/dx = the values' gradient placed at the indices."""

    argfn = staticmethod(np.argmin)


def _centered_sq_sum(x: np.ndarray, dims: tuple, keepdim: bool, correction: float) -> tuple:
    """(sum((x - mean)^2) / (N - correction) over dims, N - correction)."""
    n = 1
    for d in dims:
        n *= x.shape[d]
    centered = x - np.mean(x, axis=dims, keepdims=True)
    centered -= np.mean(centered, axis=dims, keepdims=True)  # a second pass: constant inputs give exactly 0
    denom = max(n - correction, 0)
    if denom == 0:
        warnings.warn("var(): degrees of freedom is <= 0. Correction should be strictly less than the reduction "
                      "factor (input numel divided by output numel).", UserWarning, stacklevel=5)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.sum(centered * centered, axis=dims, keepdims=keepdim) / x.dtype.type(denom)), denom


class Var(Op):
    """v = sum((x - mean)^2) / (N - correction) over dims;  dv/dx = 2 (x - mean) / (N - correction)."""

    @staticmethod
    def forward(ctx, x, dims, keepdim, correction):
        v, ctx.denom = _centered_sq_sum(x, dims, keepdim, correction)
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        ctx.save_for_backward(x)
        return v

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        g = _expand_back(grad, ctx.shape, ctx.dims, ctx.keepdim)
        return g * (x - x.mean(ctx.dims, keepdim=True)) * (2.0 / ctx.denom if ctx.denom else np.nan), None, None, None


class Std(Op):
    """s = sqrt(var(x)) over dims;  ds/dx = (x - mean) / ((N - correction) s), taken as 0 where s = 0 (as torch)."""

    @staticmethod
    def forward(ctx, x, dims, keepdim, correction):
        v, ctx.denom = _centered_sq_sum(x, dims, keepdim, correction)
        s = np.sqrt(v)
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        ctx.save_for_backward(x, s)
        return s

    @staticmethod
    def backward(ctx, grad):
        x, s = ctx.saved_tensors
        g = _expand_back(grad, ctx.shape, ctx.dims, ctx.keepdim)
        s = _expand_back(s, ctx.shape, ctx.dims, ctx.keepdim)
        scale = _div_or_zero(g, s, ctx.denom or np.nan)
        return scale * (x - x.mean(ctx.dims, keepdim=True)), None, None, None


class Logsumexp(Op):
    """y = log(sum(exp(x))) over dims, computed as m + log(sum(exp(x - m))) with m = max(x) (finite);
    dy/dx = exp(x - y) = softmax(x) over dims."""

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        if x.size:
            m = np.max(x, axis=dims, keepdims=True)
            m = np.where(np.isfinite(m), m, 0).astype(x.dtype)
        else:
            m = np.zeros((1,) * x.ndim, x.dtype)
        with np.errstate(divide="ignore"):
            y = np.log(np.sum(np.exp(x - m), axis=dims, keepdims=True)) + m
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        y = np.asarray(y if keepdim else np.squeeze(y, axis=dims))
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        g = _expand_back(grad, ctx.shape, ctx.dims, ctx.keepdim)
        return g * (x - _expand_back(y, ctx.shape, ctx.dims, ctx.keepdim)).exp(), None, None


class Norm(Op):
    """n = sqrt(sum(x^2)) over dims (the 2-norm);  dn/dx = x / n, taken as 0 where n = 0 (as torch)."""

    def name(self) -> str:
        return "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        n = np.asarray(np.sqrt(np.sum(x * x, axis=dims, keepdims=keepdim)))
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        ctx.save_for_backward(x, n)
        return n

    @staticmethod
    def backward(ctx, grad):
        x, n = ctx.saved_tensors
        g = _expand_back(grad, ctx.shape, ctx.dims, ctx.keepdim)
        n = _expand_back(n, ctx.shape, ctx.dims, ctx.keepdim)
        return _div_or_zero(g * x, n), None, None


class Cumsum(Op):
    """y_i = sum_{j <= i} x_j along dim;  dL/dx_j = sum_{i >= j} dL/dy_i (a reversed cumsum). A 0-dim x is its
    own cumsum (dim None), with the gradient passed through."""

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        return x.copy() if dim is None else np.cumsum(x, axis=dim, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad):
        if ctx.dim is None:
            return grad, None
        return grad.flip(ctx.dim).cumsum(ctx.dim).flip(ctx.dim), None


_EXTREME_SIGNATURES = ("Tensor input, *, Tensor out = None", "Tensor input, Tensor other, *, Tensor out = None",
                       "Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None")


_STD_VAR_DTYPES = "std and var only support floating point and complex dtypes"
_VAR_SIGNATURES = ("tuple of ints dim, bool unbiased = True, bool keepdim = False",
                   "tuple of ints dim = None, *, Number correction = None, bool keepdim = False",
                   "bool unbiased = True")


def _var_args(x: Tensor, dim: Any, unbiased: Any, keepdim: Any, correction: Any, name: str) -> tuple:
    """(dims, correction) of torch's three std/var overloads: a bool first argument is ``unbiased``;
    ``unbiased`` and ``correction`` exclude each other; ``keepdim`` is a bool."""
    if isinstance(dim, bool):
        if unbiased is not None or correction is not None or keepdim is not False:
            raise _invalid_args(name, (dim,) + ((unbiased,) if unbiased is not None else ()), _VAR_SIGNATURES)
        dim, unbiased = None, dim
    bad_unbiased = unbiased is not None and not isinstance(unbiased, (bool, np.bool_))
    bad_correction = correction is not None and not isinstance(correction, numbers.Real)
    if (unbiased is not None and correction is not None) or bad_unbiased or bad_correction \
            or not isinstance(keepdim, (bool, np.bool_)):
        given = [a for a in (dim, unbiased) if a is not None]
        raise _invalid_args(name, tuple(given), _VAR_SIGNATURES)
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    return _rdims(dim, x.ndim), correction


def _reduce_dims(x: Tensor, dim: Any, name: str) -> tuple:
    if x._data.size == 0 and (dim is None or (isinstance(dim, (tuple, list)) and not dim)):
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                           "reduction dim with the 'dim' argument.")
    dims = _rdims(None if dim == () else dim, x.ndim)
    for d in dims:
        if x._data.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return dims


def _extreme(x: Tensor, dim: int, keepdim: bool, op: Any, name: str) -> Any:
    from minitorch.ops.reduction import MinMaxResult

    d = _dim(dim, x.ndim)
    if x._data.ndim == 0:
        return MinMaxResult(x.clone(), Tensor._make(np.zeros((), np.int64)))
    if x._data.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return MinMaxResult(*op.apply(x, d, keepdim))


def _arg_extreme(x: Tensor, dim: Any, keepdim: bool, argfn: Callable, name: str) -> Tensor:
    if x._data.dtype == np.bool_:
        raise RuntimeError(f"{name}(): does not support bool input")
    if dim is None:
        if x._data.size == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        out = np.asarray(argfn(x._data.reshape(-1)), np.int64)
        return Tensor._make(out.reshape((1,) * x.ndim) if keepdim else out)
    d = _dim(dim, x.ndim)
    if x.ndim and x._data.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    out = np.asarray(argfn(x._data, axis=d) if x.ndim else 0, np.int64)
    return Tensor._make(np.expand_dims(out, d) if keepdim and x.ndim else out)


class ReductionMethods:
    """The Tensor methods of reductions; minitorch/__init__.py joins them to Tensor."""

    def any(self, dim: Any = None, keepdim: bool = False) -> "Tensor":
        """True where any element (over ``dim``, or all) is nonzero."""
        return Tensor._make(np.asarray(np.any(self._data, axis=None if dim is None else _dims(dim, self.ndim), keepdims=keepdim)))

    def all(self, dim: Any = None, keepdim: bool = False) -> "Tensor":
        """True where every element (over ``dim``, or all) is nonzero."""
        return Tensor._make(np.asarray(np.all(self._data, axis=None if dim is None else _dims(dim, self.ndim), keepdims=keepdim)))

    def sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> "Tensor":
        """The sum over ``dim`` (all dims by default); integer and bool inputs sum as int64."""
        x = self if dtype is None else self.to(dtype)
        if x._data.dtype.kind in "biu" and dtype is None:
            x = x.to(_dtype.int64)
        dims = tuple(range(self._data.ndim)) if dim is None else _rdims(dim, self._data.ndim)
        return Sum.apply(x, dims, keepdim)

    def mean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> "Tensor":
        """The mean over ``dim`` (all dims by default) of a floating tensor."""
        given = _dtype.to_dtype(dtype) if dtype is not None else self.dtype
        if not given.is_floating_point:
            raise RuntimeError(
                f"mean(): could not infer output dtype. {'Input' if dtype is None else 'Optional'} dtype must be "
                f"either a floating point or complex dtype. Got: {_dtype.legacy_name(given)}"
            )
        x = self if dtype is None else self.to(given)
        return Mean.apply(x, _rdims(dim, self.ndim), keepdim)

    def prod(self, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> "Tensor":
        """The product over ``dim`` (all elements by default)."""
        x = self if dtype is None else self.to(dtype)
        if x._data.dtype.kind in "biu" and dtype is None:
            x = x.to(_dtype.int64)
        return Prod.apply(x, _dims(dim, self.ndim), keepdim)

    def amax(self, dim: Any = (), keepdim: bool = False) -> "Tensor":
        """The maximum over ``dim`` (all dims by default); ties share the gradient evenly."""
        return Amax.apply(self, _reduce_dims(self, dim, "amax"), keepdim)

    def amin(self, dim: Any = (), keepdim: bool = False) -> "Tensor":
        """The minimum over ``dim`` (all dims by default); ties share the gradient evenly."""
        return Amin.apply(self, _reduce_dims(self, dim, "amin"), keepdim)

    def max(self, dim: Any = None, keepdim: bool = False) -> Any:
        """``max()`` is the largest value; ``max(dim)`` is ``(values, indices)``; ``max(other)`` is ``maximum``."""
        if not isinstance(self, Tensor):
            raise _invalid_args("max", (self, dim) if dim is not None else (self,), _EXTREME_SIGNATURES)
        if isinstance(dim, Tensor):
            return self.maximum(dim)
        if dim is None:
            return MaxAll.apply(self, _reduce_dims(self, (), "max"), False)
        return _extreme(self, dim, keepdim, Max, "max")

    def min(self, dim: Any = None, keepdim: bool = False) -> Any:
        """``min()`` is the smallest value; ``min(dim)`` is ``(values, indices)``; ``min(other)`` is ``minimum``."""
        if not isinstance(self, Tensor):
            raise _invalid_args("min", (self, dim) if dim is not None else (self,), _EXTREME_SIGNATURES)
        if isinstance(dim, Tensor):
            return self.minimum(dim)
        if dim is None:
            return MinAll.apply(self, _reduce_dims(self, (), "min"), False)
        return _extreme(self, dim, keepdim, Min, "min")

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> "Tensor":
        """The index of the largest value (over ``dim``, or of the flattened tensor)."""
        return _arg_extreme(self, dim, keepdim, np.argmax, "argmax")

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> "Tensor":
        """The index of the smallest value (over ``dim``, or of the flattened tensor)."""
        return _arg_extreme(self, dim, keepdim, np.argmin, "argmin")

    def var(self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: Any = None) -> "Tensor":
        """sum((x - mean)^2) / (N - correction); torch's overloads ``var(unbiased)``, ``var(dim, unbiased,
        keepdim)`` and ``var(dim, *, correction, keepdim)``; ``correction`` defaults to 1 (``unbiased=True``)."""
        dims, correction = _var_args(self, dim, unbiased, keepdim, correction, "var")
        return Var.apply(_float_only(self, "var", _STD_VAR_DTYPES), dims, keepdim, correction)

    def std(self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: Any = None) -> "Tensor":
        """The square root of ``var`` (the same overloads)."""
        dims, correction = _var_args(self, dim, unbiased, keepdim, correction, "std")
        return Std.apply(_float_only(self, "std", _STD_VAR_DTYPES), dims, keepdim, correction)

    def logsumexp(self, dim: Any, keepdim: bool = False) -> "Tensor":
        """log(sum(exp(x))) along ``dim``, computed as m + log(sum(exp(x - m))) with m = max(x)."""
        return Logsumexp.apply(_floating(self), _rdims(dim, self.ndim), keepdim)

    def norm(self, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None) -> "Tensor":
        """torch.norm: 'fro' (over at most two dims) and numbers are vector norms over ``dim`` (all when None);
        'nuc' and 'fro' over two dims are matrix norms."""
        from minitorch.ops import linalg  # the norms live with linalg, which is built on this file's reductions
        if isinstance(p, str):
            if p == "fro" and (dim is None or isinstance(dim, (int, np.integer)) or len(dim) <= 2):
                return linalg.vector_norm(self, 2, dim, keepdim, dtype=dtype)
            return linalg.matrix_norm(self, p, tuple(range(self.ndim)) if dim is None else dim, keepdim, dtype=dtype)
        return linalg.vector_norm(self, 2 if p is None else p, dim, keepdim, dtype=dtype)

    def cumsum(self, dim: int, *, dtype: Any = None) -> "Tensor":
        """The cumulative sum along ``dim``, in ``dtype`` if given (the input is cast first, as torch);
        integer and bool inputs sum as int64."""
        d = _dim(dim, self.ndim)
        if dtype is not None:
            x = self.to(dtype)
        else:
            x = self if self._data.dtype.kind == "f" else self.to(_dtype.int64)
        return Cumsum.apply(x, d if self.ndim else None)
