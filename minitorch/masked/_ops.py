"""torch.masked's operations on strided tensors (floor 3: they call ``nn.functional`` and ``linalg``).

Each replaces the masked-out elements of ``input`` (``mask`` broadcast to its shape, as bools) by the
identity of its reduction (0 for sums, 1 for products, -inf for maxima...) with a ``where``, so gradients
reach only the masked-in elements, and then runs the plain operation. ``mean``, ``var`` and ``std`` divide
by the count of masked-in elements (NaN where there are none)."""
from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.linalg import vector_norm
from minitorch.nn.functional import log_softmax as _log_softmax, softmax as _softmax, softmin as _softmin
from minitorch.ops.indexing import where
from minitorch.ops.exponential import logaddexp as _logaddexp

_SMALL_INTS = ("uint8", "bool", "int8", "int16", "int32")


def _canonical_dim(dim: Any, ndim: int) -> tuple:
    """``dim`` as a sorted tuple of non-negative dims (None or () = every dim), with torch's errors."""
    if dim is None or dim == ():
        return tuple(range(ndim))
    n = builtins.max(ndim, 1)
    out: list = []
    for d in ((dim,) if isinstance(dim, int) else dim):
        if d in out:
            raise RuntimeError(f"dim={d} appears multiple times in the list of dims")
        if d >= n or d < -n:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")
        out.append(d % n)
    return tuple(sorted(out))


def _input_mask(input: Tensor, mask: Tensor) -> Tensor:
    if mask.dim() > input.dim():
        raise IndexError("_input_mask expected broadcastable mask (got mask dimensionality higher than of the input)")
    return Tensor._make(np.broadcast_to(mask._data, tuple(input.shape)).astype(bool))


def _identity(op: str, input: Tensor, ord: Any = 2) -> Any:
    dt = input._data.dtype
    floating = dt.kind == "f"
    if op in ("sum", "cumsum"):
        return 0
    if op in ("prod", "cumprod"):
        return 1
    if op in ("amax", "argmax", "logaddexp", "logsumexp"):
        return -np.inf if floating else (np.iinfo(dt).min if dt.kind in "iu" else None)
    if op in ("amin", "argmin"):
        return np.inf if floating else (np.iinfo(dt).max if dt.kind in "iu" else None)
    if op == "norm":
        return np.inf if ord == float("-inf") else 0
    if op == "median":
        return np.nan
    raise NotImplementedError(f"identity of {op} on {input.dtype} input")


def _combine(op: str, input: Tensor, mask: Tensor | None, ord: Any = 2) -> Tensor:
    """``input`` with its masked-out elements replaced by the identity of ``op``."""
    if mask is None:
        return input
    fill = _identity(op, input, ord)
    if fill is None:
        raise NotImplementedError(f"identity of {op} on {input.dtype} input")
    return where(_input_mask(input, mask), input, Tensor._make(np.asarray(fill, dtype=input._data.dtype)))


def _sum_dtype(input: Tensor, dtype: Any) -> Any:
    if dtype is not None:
        return dtype
    return _dtype.int64 if str(input.dtype).split(".")[-1] in _SMALL_INTS else input.dtype


def sum(input: Tensor, dim: Any = None, *, keepdim: bool = False, dtype: Any = None,
        mask: Tensor | None = None) -> Tensor:
    """The sum of the masked-in elements over ``dim`` (0 where none is)."""
    dims = _canonical_dim(dim, input.dim())
    return _combine("sum", input, mask).sum(dims, keepdim=bool(keepdim), dtype=_sum_dtype(input, dtype))


def prod(input: Tensor, dim: Any = None, *, keepdim: bool = False, dtype: Any = None,
         mask: Tensor | None = None) -> Tensor:
    """The product of the masked-in elements over ``dim`` (1 where none is)."""
    dims = _canonical_dim(dim, input.dim())
    out = _combine("prod", input, mask).to(_sum_dtype(input, dtype))
    for d in reversed(dims):
        out = out.prod(d, keepdim=bool(keepdim))
    return out


def cumsum(input: Tensor, dim: int, *, dtype: Any = None, mask: Tensor | None = None) -> Tensor:
    """The running sum along ``dim``, masked-out elements counting as 0."""
    dtype = dtype or input.dtype
    d = _canonical_dim(dim, input.dim())[0]
    return _combine("sum", input, mask).cumsum(d, dtype=dtype).to(dtype)


def cumprod(input: Tensor, dim: int, *, dtype: Any = None, mask: Tensor | None = None) -> Tensor:
    """The running product along ``dim``, masked-out elements counting as 1."""
    dtype = dtype or input.dtype
    d = _canonical_dim(dim, input.dim())[0]
    return _combine("prod", input, mask).cumprod(d, dtype=dtype).to(dtype)


def amax(input: Tensor, dim: Any = None, *, keepdim: bool = False, dtype: Any = None,
         mask: Tensor | None = None) -> Tensor:
    """The maximum of the masked-in elements over ``dim`` (-inf where none is)."""
    x = _combine("amax", input, mask)
    return x.amax(_canonical_dim(dim, x.dim()), bool(keepdim)).to(dtype or input.dtype)


def amin(input: Tensor, dim: Any = None, *, keepdim: bool = False, dtype: Any = None,
         mask: Tensor | None = None) -> Tensor:
    """The minimum of the masked-in elements over ``dim`` (inf where none is)."""
    x = _combine("amin", input, mask)
    return x.amin(_canonical_dim(dim, x.dim()), bool(keepdim)).to(dtype or input.dtype)


def argmax(input: Tensor, dim: int | None = None, *, keepdim: bool = False, dtype: Any = None,
           mask: Tensor | None = None) -> Tensor:
    """The index of the maximum masked-in element along ``dim``."""
    return _combine("argmax", input, mask).argmax(dim, bool(keepdim)).to(dtype or input.dtype)


def argmin(input: Tensor, dim: int | None = None, *, keepdim: bool = False, dtype: Any = None,
           mask: Tensor | None = None) -> Tensor:
    """The index of the minimum masked-in element along ``dim``."""
    return _combine("argmin", input, mask).argmin(dim, bool(keepdim)).to(dtype or input.dtype)


def _count(input: Tensor, dim: Any, keepdim: bool, mask: Tensor | None) -> Tensor:
    ones = Tensor._make(np.ones(tuple(input.shape), dtype=np.int64))
    return sum(ones if mask is None else _input_mask(input, mask), dim, keepdim=keepdim)


def mean(input: Tensor, dim: Any = None, *, keepdim: bool = False, dtype: Any = None,
         mask: Tensor | None = None) -> Tensor:
    """The mean of the masked-in elements over ``dim`` (NaN where none is)."""
    source = "Optional" if dtype is not None else "Input"
    dtype = dtype or input.dtype
    if not dtype.is_floating_point:
        raise ValueError(f"mean(): Could not infer output dtype. {source} dtype must be either a floating point or "
                         f"complex dtype. Got: {dtype}")
    total = sum(input, dim, keepdim=keepdim, dtype=dtype, mask=mask)
    return total / _count(input, dim, bool(keepdim), mask)


def median(input: Tensor, dim: int = -1, *, keepdim: bool = False, dtype: Any = None,
           mask: Tensor | None = None) -> Tensor:
    """The median of the masked-in elements along ``dim`` (NaN where none is)."""
    dtype = dtype or input.dtype
    d = _canonical_dim(dim, input.dim())[0]
    is_float = input.dtype.is_floating_point
    x = input if is_float else input.to(_dtype.float32)
    out = _combine("median", x, mask).nanmedian(d, keepdim).values
    if is_float:
        return out
    if bool(out.isnan().any()):
        raise ValueError("masked median expects no fully masked out rows if dtype is not floating point")
    return out.to(dtype)


def logsumexp(input: Tensor, dim: Any = None, *, keepdim: bool = False, dtype: Any = None,
              mask: Tensor | None = None) -> Tensor:
    """log(sum(exp(x))) of the masked-in elements over ``dim`` (-inf where none is)."""
    dims = _canonical_dim(dim, input.dim())
    return _combine("logsumexp", input, mask).logsumexp(dims, keepdim=keepdim).to(dtype or input.dtype)


def logaddexp(input: Tensor, other: Tensor, *, dtype: Any = None, input_mask: Tensor | None = None,
              other_mask: Tensor | None = None) -> Tensor:
    """log(exp(input) + exp(other)), masked-out elements of either counting as -inf."""
    x, y = _combine("logaddexp", input, input_mask), _combine("logaddexp", other, other_mask)
    return _logaddexp(x, y).to(dtype or input.dtype)


def norm(input: Tensor, ord: Any = 2.0, dim: Any = None, *, keepdim: bool = False, dtype: Any = None,
         mask: Tensor | None = None) -> Tensor:
    """The vector ``ord``-norm of the masked-in elements over ``dim``."""
    x = _combine("norm", input, mask, ord)
    return vector_norm(x, ord, _canonical_dim(dim, input.dim()), bool(keepdim), dtype=dtype or input.dtype)


def _std_var(input: Tensor, dim: Any, unbiased: bool | None, correction: Any, keepdim: bool, dtype: Any,
             mask: Tensor | None, take_sqrt: bool) -> Tensor:
    if unbiased is not None and correction is not None:
        raise AssertionError("Only one of unbiased and correction may be given")
    corr = 1.0 if unbiased is None else (1.0 if unbiased else 0.0)
    if correction is not None:
        corr = float(correction)
    if dtype is None:
        dtype = input.dtype if input.dtype.is_floating_point else _dtype.float32
    compute = dtype if dtype.is_floating_point else _dtype.float32
    count = _count(input, dim, True, mask)
    centered = input - sum(input, dim, keepdim=True, dtype=dtype, mask=mask) / count
    total = sum(centered * centered, dim, keepdim=keepdim, dtype=compute, mask=mask)
    if not keepdim:
        count = count.reshape(total.shape)
    if corr != 0:
        count = count.to(compute) - corr
        count = count.maximum(count.new_zeros(()))
    out = (total / count).to(dtype)
    return out.sqrt() if take_sqrt else out


def var(input: Tensor, dim: Any = None, unbiased: bool | None = None, *, correction: Any = None, keepdim: bool = False,
        dtype: Any = None, mask: Tensor | None = None) -> Tensor:
    """The variance of the masked-in elements over ``dim`` (NaN where too few are)."""
    return _std_var(input, dim, unbiased, correction, keepdim, dtype, mask, False)


def std(input: Tensor, dim: Any = None, unbiased: bool | None = None, *, correction: Any = None, keepdim: bool = False,
        dtype: Any = None, mask: Tensor | None = None) -> Tensor:
    """The standard deviation of the masked-in elements over ``dim``."""
    return _std_var(input, dim, unbiased, correction, keepdim, dtype, mask, True)


def softmax(input: Tensor, dim: int, *, dtype: Any = None, mask: Tensor | None = None) -> Tensor:
    """softmax along ``dim`` over the masked-in elements (masked-out ones get 0)."""
    d = _canonical_dim(dim, input.dim())[0]
    return _softmax(_combine("amax", input, mask), d, dtype=dtype or input.dtype)


def log_softmax(input: Tensor, dim: int, *, dtype: Any = None, mask: Tensor | None = None) -> Tensor:
    """log_softmax along ``dim`` over the masked-in elements (masked-out ones get -inf)."""
    d = _canonical_dim(dim, input.dim())[0]
    return _log_softmax(_combine("amax", input, mask), d, dtype=dtype or input.dtype)


def softmin(input: Tensor, dim: int, *, dtype: Any = None, mask: Tensor | None = None) -> Tensor:
    """softmin along ``dim`` over the masked-in elements (masked-out ones get 0)."""
    d = _canonical_dim(dim, input.dim())[0]
    return _softmin(_combine("amin", input, mask), d, dtype=dtype or input.dtype)


def normalize(input: Tensor, ord: float, dim: int, *, eps: float = 1e-12, dtype: Any = None,
              mask: Tensor | None = None) -> Tensor:
    """The masked-in elements divided by their ``ord``-norm along ``dim`` (at least ``eps``); masked-out ones 0."""
    dtype = dtype or input.dtype
    x = _combine("sum", input, mask)
    nrm = norm(input, ord, dim, keepdim=True, dtype=dtype, mask=mask)
    return x / nrm.maximum(nrm.new_full((), eps))
