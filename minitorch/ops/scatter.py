"""Writing into tensors at indices: scatter, scatter_add, scatter_reduce, index_add/copy/fill/put/reduce,
masked_scatter, the *_scatter ops (select, slice, diagonal), and as_strided; with their in-place forms."""
from __future__ import annotations

import builtins
import warnings
from typing import Any, Sequence

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor, _dim
from minitorch.autograd.function import Op
from minitorch.autograd.inplace import run_inplace
from minitorch.autograd.views import make_view
from minitorch.ops._adjoint import LinearMap
from minitorch.ops._args import _broadcastable, _invalid_args, _mismatch
from minitorch.ops.indexing import Gather, IndexGrad, IndexPut, ScatterAdd, _gather_index, _index, where

_REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")


def _legacy(t: Tensor) -> str:
    return _dtype.legacy_name(t.dtype)


def _identity(reduce: str, dt: np.dtype) -> Any:
    """The value a reduction starts from (what a target holds before its first source when self is left out)."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    big = np.inf if dt.kind == "f" else (np.iinfo(dt).max if dt.kind in "iu" else True)
    if reduce == "amax":
        return -big if dt.kind == "f" else (np.iinfo(dt).min if dt.kind in "iu" else False)
    return big


def _targets(shape: tuple, dim: int, idx: np.ndarray) -> np.ndarray:
    """The bool mask of the positions of a tensor of ``shape`` that a scatter along ``dim`` at ``idx`` writes."""
    mask = np.zeros(shape, bool)
    mask[_gather_index(idx.shape, dim, idx)] = True
    return mask


class Scatter(Op):
    """y = x with y[idx[i][j]][j] = src[i][j] (dim 0; src a tensor or a number);
    dL/dx = the gradient with the written positions zeroed,  dL/dsrc = the gradient gathered at idx."""

    @staticmethod
    def forward(ctx, x, src, dim, idx):
        ctx.dim, ctx.idx = dim, idx
        ctx.keep = ~_targets(x.shape, dim, idx)
        out = x.copy()
        out[_gather_index(idx.shape, dim, idx)] = src
        return out

    @staticmethod
    def backward(ctx, grad):
        nx, ns = ctx.needs_input_grad[:2]
        gx = grad * Tensor._make(ctx.keep.astype(grad._data.dtype)) if nx else None
        gs = Gather.apply(grad, ctx.dim, ctx.idx) if ns else None
        return gx, gs, None, None


class ScatterLegacyReduce(Op):
    """y = x with src added to (or multiplied into) y at idx; torch defines no derivative for it."""

    @staticmethod
    def forward(ctx, x, src, dim, idx, reduce):
        out = x.copy()
        (np.add if reduce == "add" else np.multiply).at(out, _gather_index(idx.shape, dim, idx), src)
        return out

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::scatter is not implemented")


def _scatter_reduce(x: np.ndarray, src: np.ndarray, dim: int, idx: np.ndarray, reduce: str,
                    include_self: bool) -> np.ndarray:
    where = _gather_index(idx.shape, dim, idx)
    out = x.copy()
    if not include_self:
        out[where] = _identity(reduce, x.dtype)
    ufunc = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum, "amin": np.minimum}[reduce]
    ufunc.at(out, where, src)
    if reduce == "mean":
        count = np.full(x.shape, 1 if include_self else 0, np.int64)
        np.add.at(count, where, 1)
        count = np.maximum(count, 1)
        out = out // count.astype(out.dtype) if x.dtype.kind in "iu" else (out / count).astype(x.dtype)
    return out


class ScatterReduce(Op):
    """y = x with each src[i][j] reduced (sum, prod, mean, amax, amin) into y[idx[i][j]][j] (x itself counted
    when include_self). Gradients as torch's scatter_reduce_backward: sum: g and g gathered;  mean: g / count;
    prod: g * y / x and g * y / src (zeros handled by masking);  amax/amin: g shared evenly among the ties."""

    @staticmethod
    def forward(ctx, x, src, dim, idx, reduce, include_self):
        out = _scatter_reduce(x, src, dim, idx, reduce, include_self)
        ctx.args = dim, idx, reduce, include_self
        ctx.save_for_backward(x, src, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        dim, idx, reduce, include_self = ctx.args
        x, src, out = ctx.saved_tensors
        gather = (lambda t: Gather.apply(t, dim, idx))
        if reduce == "sum":
            gx, gs = grad, gather(grad)
        elif reduce == "mean":
            n = _scatter_reduce(np.full(x.shape, 1.0), np.ones(idx.shape), dim, idx, "sum", include_self)
            g = grad / Tensor._make(np.maximum(n, 1).astype(grad._data.dtype))
            gx, gs = g, gather(g)
        elif reduce == "prod":  # in Tensor ops of x, src and y, so that it differentiates again
            xd, sd = x._data, src._data
            masked_x = x.masked_fill(Tensor._make(xd == 0), 1)
            gx = grad * ScatterReduce.apply(masked_x, src, dim, idx, "prod", include_self) / masked_x
            src_zero = sd == 0
            zeros = _scatter_reduce(np.zeros(xd.shape), src_zero.astype(np.float64), dim, idx, "sum", True)
            single = Tensor._make(src_zero & (zeros[_gather_index(idx.shape, dim, idx)] == 1))
            masked_out = ScatterReduce.apply(x, src.masked_fill(single, 1), dim, idx, "prod", include_self)
            gs = where(single, gather(grad * masked_out),
                       gather(grad * out) / src.masked_fill(Tensor._make(src_zero), 1))
        else:
            od = out._data
            value = od[_gather_index(idx.shape, dim, idx)]
            x_is, s_is = (x._data == od), (src._data == value)
            n = _scatter_reduce(x_is.astype(grad._data.dtype), s_is.astype(grad._data.dtype), dim, idx, "sum", True)
            g = grad / Tensor._make(n)
            gx = g * Tensor._make(x_is.astype(g._data.dtype))
            gs = gather(g) * Tensor._make(s_is.astype(g._data.dtype))
        if not include_self:
            gx = gx * Tensor._make((~_targets(x.shape, dim, idx)).astype(grad._data.dtype))
        return gx, gs, None, None, None, None


def _index_array(index: Any, fn: str) -> np.ndarray:
    if not isinstance(index, Tensor):
        raise TypeError(f"{fn}(): argument 'index' must be Tensor, not {type(index).__name__}")
    idx = index._data
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{fn}(): Expected dtype int32/int64 for index")
    return idx.astype(np.int64, copy=False)


def _check_scatter(self: Tensor, dim: int, index: Any, src: Any, fn: str) -> tuple:
    """torch's checks of scatter/gather-style arguments; gives (dim, index array, src sliced to index's shape)."""
    idx = _index_array(index, fn)
    nd = builtins.max(self.ndim, 1)
    d = _dim(dim, self.ndim)
    if isinstance(src, Tensor) and src._data.dtype != self._data.dtype:
        raise RuntimeError(f"{fn}(): Expected self.dtype to be equal to src.dtype")
    if idx.size == 0:
        return d, None, src
    if builtins.max(idx.ndim, 1) != nd:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if isinstance(src, Tensor) and builtins.max(src.ndim, 1) != nd:
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    xs = self._data.shape if self.ndim else (1,)
    ix = idx.shape if idx.ndim else (1,)
    ss = (src._data.shape if src.ndim else (1,)) if isinstance(src, Tensor) else None
    for k in range(nd):
        if (k != d and ix[k] > xs[k]) or (ss is not None and ix[k] > ss[k]):
            tail = f" and to be no larger size than src {list(ss)}" if ss is not None else ""
            raise RuntimeError(f"Expected index {list(ix)} to be no larger than self {list(xs)} apart from "
                               f"dimension {d}{tail}")
    if idx.min() < 0 or idx.max() >= xs[d]:
        bad = builtins.int(idx.max() if idx.max() >= xs[d] else idx.min())
        raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {xs[d]}")
    idx = idx.reshape(ix)
    if isinstance(src, Tensor):
        s = src.reshape(ss) if src.ndim == 0 else src
        if s._data.shape != ix:
            s = s[tuple(slice(0, n) for n in ix)]
        src = s
    return d, idx, src


def _on(self: Tensor, f: Any) -> Tensor:
    """Run ``f`` on ``self`` seen as 1-d when it is 0-d, and give the result back in self's shape."""
    if self.ndim:
        return f(self)
    return f(self.reshape(1)).reshape(())


def _dim_index(self: Tensor, dim: int, index: Any, fn: str) -> tuple:
    """dim and 1-d index array of the index_* ops, with torch's checks."""
    if not isinstance(index, Tensor):
        raise TypeError(f"{fn}(): argument 'index' must be Tensor, not {type(index).__name__}")
    idx = index._data
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{fn}(): Expected dtype int32/int64 for index but got: {_legacy(index)}")
    if idx.ndim > 1:
        raise IndexError(f"{fn}(): Index is supposed to be a vector, but got dim: {idx.ndim} with type: "
                         f"{_legacy(index)} and size: {list(idx.shape)}")
    d = _dim(dim, self.ndim)
    n = self._data.shape[d] if self.ndim else 1
    idx = idx.reshape(-1).astype(np.int64)
    if idx.size and (idx.min() < -n or idx.max() >= n):
        bad = builtins.int(idx.max() if idx.max() >= n else idx.min())
        if fn == "index_reduce_":
            raise IndexError("index out of range in self")
        error = RuntimeError if fn == "index_add_" else IndexError
        raise error(f"index {bad} is out of bounds for dimension {d} with size {n}")
    return d, np.where(idx < 0, idx + n, idx)


def _check_source(self: Tensor, d: int, idx: np.ndarray, source: Tensor, fn: str) -> Tensor:
    if not isinstance(source, Tensor):
        raise TypeError(f"{fn}(): argument 'source' must be Tensor, not {type(source).__name__}")
    if source._data.dtype != self._data.dtype:
        raise RuntimeError(f"{fn}(): self ({_legacy(self)}) and source ({_legacy(source)}) must have the same "
                           "scalar type")
    src = source.reshape(1) if source.ndim == 0 else source
    if source.ndim and self.ndim and source.ndim != self.ndim:
        raise RuntimeError(f"source tensor shape must match self tensor shape, excluding the specified dimension. "
                           f"Got self.shape = {list(self.shape)} source.shape = {list(source.shape)}")
    ns = src._data.shape[d] if src.ndim > d else 1
    if ns != idx.size:
        raise RuntimeError(f"{fn}(): Number of indices ({idx.size}) should be equal to source.size(dim): ({ns}), "
                           f"for dim: {d}")
    want = self._data.shape[:d] + (idx.size,) + self._data.shape[d + 1:] if self.ndim else (idx.size,)
    if src._data.shape != want:
        raise RuntimeError(f"{fn}(): Source/destination tensor must have same slice shapes. Destination slice "
                           f"shape: {list(want)} and source slice shape: {list(src.shape)}")
    return src


class AsStridedPick(LinearMap):
    """y = s[out_pos] for the storage s = zeros with x written at in_pos;  the adjoint: AsStridedGrad."""

    @staticmethod
    def kernel(x, in_pos, out_pos, n):
        storage = np.zeros(n, x.dtype)
        storage[in_pos] = x
        return storage[out_pos]

    @staticmethod
    def adjoint_args(x, in_pos, out_pos, n):
        return in_pos, out_pos, n


class AsStridedGrad(LinearMap):
    """dL/dx = (zeros with g added at out_pos)[in_pos]: torch's as_strided_backward; the adjoint: AsStridedPick."""

    @staticmethod
    def kernel(g, in_pos, out_pos, n):
        storage = np.zeros(n, g.dtype)
        np.add.at(storage, out_pos, g)
        return storage[in_pos]

    @staticmethod
    def adjoint_args(g, in_pos, out_pos, n):
        return in_pos, out_pos, n


AsStridedPick.adjoint, AsStridedGrad.adjoint = AsStridedGrad, AsStridedPick


class AsStrided(Op):
    """y = the storage seen with ``size``/``stride`` from ``offset`` (a view);  dL/dx = AsStridedGrad(g)."""

    @staticmethod
    def forward(ctx, x, flat, size, stride, offset, in_pos, out_pos):
        ctx.call = in_pos, out_pos, flat.size
        item = flat.itemsize
        out = np.lib.stride_tricks.as_strided(flat[offset:] if flat.size > offset else flat[:0], size,
                                              tuple(s * item for s in stride))
        if np.unique(out_pos).size != out_pos.size:
            out.flags.writeable = False
        return out

    @staticmethod
    def backward(ctx, grad):
        return (AsStridedGrad.apply(grad, *ctx.call),) + (None,) * 6


def _positions(shape: tuple, stride: tuple, offset: int) -> np.ndarray:
    pos = np.full(shape, offset, np.int64)
    for k, (n, s) in enumerate(zip(shape, stride)):
        view = [1] * len(shape)
        view[k] = n
        pos = pos + (np.arange(n) * s).reshape(view)
    return pos


def _storage(t: Tensor) -> tuple:
    """The flat memory under ``t`` (its base's), t's offset in it and t's strides in elements. When that memory is
    not contiguous (a flipped result holds numpy's negative strides), a contiguous copy of t stands for it."""
    root = (t._base if t._base is not None else t)._data
    item = t._data.itemsize
    if root.flags.c_contiguous:
        flat = root.reshape(-1)
        own = (t._data.__array_interface__["data"][0] - flat.__array_interface__["data"][0]) // item \
            if t._data.size else 0
        return flat, own, tuple(s // item for s in t._data.strides)
    flat = np.ascontiguousarray(t._data).reshape(-1)
    return flat, 0, tuple(s // item for s in np.empty(t._data.shape, t._data.dtype).strides)


class ScatterMethods:
    """The Tensor methods of the scatter family; minitorch/__init__.py joins them to Tensor."""

    def scatter(self, dim: int, index: "Tensor", src: Any = None, *, value: Any = None,
                reduce: str | None = None) -> "Tensor":
        """self with src[i][j] (or ``value``) written at [index[i][j]][j] (dim 0); ``reduce`` adds or multiplies."""
        if src is None:
            if value is None:
                raise _invalid_args("scatter", (dim, index), (
                    "int dim, Tensor index, Tensor src", "int dim, Tensor index, Tensor src, *, str reduce",
                    "int dim, Tensor index, Number value", "int dim, Tensor index, Number value, *, str reduce"))
            src = value
        d, idx, s = _check_scatter(self, dim, index, src, "scatter")
        if reduce is not None and reduce not in ("add", "multiply"):
            raise RuntimeError("reduce argument must be either add or multiply.")
        if idx is None:
            return self.clone()
        raw = s if isinstance(s, Tensor) else np.asarray(s).astype(self._data.dtype)
        if reduce is not None:
            if isinstance(s, Tensor):
                warnings.warn("The reduce argument of torch.scatter with Tensor src is deprecated and will be removed "
                              "in a future PyTorch release. Use torch.scatter_reduce instead for more reduction "
                              "options.", UserWarning, stacklevel=2)
            return _on(self, lambda x: ScatterLegacyReduce.apply(x, raw, d, idx, reduce))
        return _on(self, lambda x: Scatter.apply(x, raw, d, idx))

    def scatter_add(self, dim: int, index: "Tensor", src: "Tensor") -> "Tensor":
        """self with src[i][j] added at [index[i][j]][j] (dim 0; repeated indices accumulate)."""
        d, idx, s = _check_scatter(self, dim, index, src, "scatter_add")
        if idx is None:
            return self.clone()
        return _on(self, lambda x: x + ScatterAdd.apply(s, x.shape, d, idx))

    def scatter_reduce(self, dim: int, index: "Tensor", src: "Tensor", reduce: str, *,
                       include_self: bool = True) -> "Tensor":
        """self with each src[i][j] reduced into [index[i][j]][j] by sum, prod, mean, amax or amin."""
        reduce = {"max": "amax", "min": "amin"}.get(reduce, reduce)  # torch's undocumented aliases
        if reduce not in _REDUCTIONS:
            raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
        d, idx, s = _check_scatter(self, dim, index, src, "scatter_reduce")
        if idx is None:
            return self.clone()
        return _on(self, lambda x: ScatterReduce.apply(x, s, d, idx, reduce, builtins.bool(include_self)))

    def index_add(self, dim: int, index: "Tensor", source: "Tensor", *, alpha: Any = 1) -> "Tensor":
        """self with alpha * source[..., i, ...] added at self[..., index[i], ...] along ``dim``."""
        d, idx = _dim_index(self, dim, index, "index_add_")
        src = _check_source(self, d, idx, source, "index_add_")
        src = src * alpha if alpha != 1 else src
        return _on(self, lambda x: x + IndexGrad.apply(src, x.shape, (slice(None),) * d + (idx,)))

    def index_copy(self, dim: int, index: "Tensor", source: "Tensor") -> "Tensor":
        """self with source[..., i, ...] copied to self[..., index[i], ...] along ``dim``."""
        d, idx = _dim_index(self, dim, index, "index_copy_")
        if source._data.dtype != self._data.dtype:
            raise RuntimeError(f"index_copy_(): self and source expected to have the same dtype, but got (self) "
                               f"{_legacy(self)} and (source) {_legacy(source)}")
        src = source.reshape(1) if source.ndim == 0 else source
        if source.ndim and self.ndim and source.ndim != self.ndim:
            raise IndexError(f"index_copy_(): When source and destination are not scalars, their dimensionality must "
                             f"match. Source dimensionality ({source.ndim}), destination dimensionality ({self.ndim})")
        ns = src._data.shape[d] if src.ndim > d else 1
        if ns != idx.size:
            raise IndexError(f"index_copy_(): Number of indices ({idx.size}) should be equal to source.size(dim) "
                             f"({ns})")
        return _on(self, lambda x: IndexPut.apply(x, (slice(None),) * d + (idx,), src))

    def index_fill(self, dim: int, index: "Tensor", value: Any) -> "Tensor":
        """self with ``value`` written at self[..., index[i], ...] along ``dim``."""
        if isinstance(value, Tensor) and value.ndim != 0:
            raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value.ndim} dimension(s).")
        d, idx = _dim_index(self, dim, index, "index_fill_")
        mask = np.zeros(self._data.shape if self.ndim else (1,), bool)
        mask[(slice(None),) * d + (idx,)] = True
        return self.masked_fill(Tensor._make(mask.reshape(self._data.shape)), value)

    def index_put(self, indices: Sequence[Any], values: "Tensor", accumulate: bool = False) -> "Tensor":
        """self with self[indices] = values (or += values when ``accumulate``: repeated indices add up)."""
        if not isinstance(indices, (tuple, list)):
            raise TypeError(f"index_put(): argument 'indices' must be tuple of Tensors, not {type(indices).__name__}")
        if values._data.dtype != self._data.dtype:
            raise RuntimeError(f"Index put requires the source and destination dtypes match, got {_legacy(self)} "
                               f"for the destination and {_legacy(values)} for the source.")
        idx, _ = _index(tuple(slice(None) if i is None else i for i in indices), self)
        idx = tuple(i.reshape(()) if isinstance(i, np.ndarray) and i.ndim == 0 and i.dtype != np.bool_ else i
                    for i in idx)
        try:
            target = self._data[idx].shape
        except IndexError as e:
            raise IndexError(str(e).replace("axis", "dimension")) from None
        if not _broadcastable(values._data.shape, target) or np.broadcast_shapes(values._data.shape, target) != target:
            raise RuntimeError(f"shape mismatch: value tensor of shape {list(values.shape)} cannot be broadcast to "
                               f"indexing result of shape {list(target)}")
        if accumulate:
            return self + IndexGrad.apply(values.expand(target), self._data.shape, idx)
        return IndexPut.apply(self, idx, values)

    def index_reduce(self, dim: int, index: "Tensor", source: "Tensor", reduce: str, *,
                     include_self: bool = True) -> "Tensor":
        """self with source[..., i, ...] reduced (prod, mean, amax, amin) into self[..., index[i], ...]."""
        if reduce not in ("prod", "mean", "amax", "amin"):
            raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got "
                               f"{reduce}.")
        warnings.warn("index_reduce() is in beta and the API may change at any time.", UserWarning, stacklevel=2)
        d, idx = _dim_index(self, dim, index, "index_reduce_")
        src = _check_source(self, d, idx, source, "index_reduce_")
        view = [1] * src.ndim
        view[d] = idx.size
        full = np.broadcast_to(idx.reshape(view), src._data.shape).copy()
        return _on(self, lambda x: ScatterReduce.apply(x, src, d, full, reduce, builtins.bool(include_self)))

    def masked_scatter(self, mask: "Tensor", source: "Tensor") -> "Tensor":
        """self with the True positions of ``mask`` (broadcast) filled, in order, by source's elements."""
        if mask._data.dtype != np.bool_:
            raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with dtype "
                               f"{_legacy(mask)}")
        if source._data.dtype != self._data.dtype:
            raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes but got"
                               f"{_legacy(self)} and {_legacy(source)}")
        if not _broadcastable(mask._data.shape, self._data.shape):
            raise RuntimeError(_mismatch(mask._data.shape, self._data.shape))
        shape = np.broadcast_shapes(mask._data.shape, self._data.shape)
        m = np.broadcast_to(mask._data, shape)
        k = builtins.int(m.sum())
        if source.numel() < k:
            raise RuntimeError("Number of elements of source < number of ones in mask")
        x = self.expand(shape) if shape != self._data.shape else self
        return IndexPut.apply(x, (m.copy(),), source.reshape(-1)[:k])

    def select_scatter(self, src: "Tensor", dim: int, index: int) -> "Tensor":
        """self with the slice at ``index`` along ``dim`` replaced by ``src``."""
        d = _dim(dim, self.ndim)
        n = self._data.shape[d]
        if not -n <= index < n:
            raise IndexError(f"select(): index {index} out of range for tensor of size {list(self.shape)} at "
                             f"dimension {d}")
        want = self._data.shape[:d] + self._data.shape[d + 1:]
        if src._data.shape != want:
            raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = {list(src.shape)}"
                               f", slice size = {list(want)}")
        return IndexPut.apply(self, (slice(None),) * d + (index % n,), src.to(self.dtype))

    def slice_scatter(self, src: "Tensor", dim: int = 0, start: int | None = None, end: int | None = None,
                      step: int = 1) -> "Tensor":
        """self with self[..., start:end:step, ...] (along ``dim``) replaced by ``src``."""
        d = _dim(dim, self.ndim)
        idx = (slice(None),) * d + (slice(start, end, step),)
        want = self._data[idx].shape
        if src._data.shape != want:
            raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = {list(src.shape)}"
                               f", slice size = {list(want)}")
        return IndexPut.apply(self, idx, src.to(self.dtype))

    def diagonal_scatter(self, src: "Tensor", offset: int = 0, dim1: int = 0, dim2: int = 1) -> "Tensor":
        """self with its diagonal (``offset``, in the plane ``dim1``/``dim2``) replaced by ``src``."""
        d1, d2 = _dim(dim1, self.ndim), _dim(dim2, self.ndim)
        if d1 == d2:
            raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
        n1, n2 = self._data.shape[d1], self._data.shape[d2]
        length = builtins.max(0, builtins.min(n1, n2 - offset) if offset >= 0 else builtins.min(n1 + offset, n2))
        rest = [s for k, s in enumerate(self._data.shape) if k not in (d1, d2)]
        want = tuple(rest) + (length,)
        if src._data.shape != want:
            raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = {list(src.shape)}"
                               f", slice size = {list(want)}")
        i = np.arange(length) + builtins.max(-offset, 0)
        j = np.arange(length) + builtins.max(offset, 0)
        moved = self.movedim((d1, d2), (-2, -1))
        out = IndexPut.apply(moved, (Ellipsis, i, j), src.to(self.dtype))
        return out.movedim((-2, -1), (d1, d2))

    def as_strided(self, size: Sequence[int], stride: Sequence[int], storage_offset: int | None = None) -> "Tensor":
        """A view of the storage under self with ``size`` and ``stride`` (in elements) from ``storage_offset``."""
        size, stride = tuple(builtins.int(s) for s in size), tuple(builtins.int(s) for s in stride)
        if len(size) != len(stride):
            raise RuntimeError("mismatch in length of strides and shape")
        for s in stride:
            if s < 0:
                raise RuntimeError("as_strided: Negative strides are not supported at the moment, got strides: "
                                   f"{list(stride)}")
        flat, own, strides = _storage(self)
        item = self._data.itemsize
        offset = own if storage_offset is None else builtins.int(storage_offset)
        in_pos = _positions(self._data.shape, strides, own)
        out_pos = _positions(size, stride, offset)
        if out_pos.size and out_pos.max() >= flat.size:
            raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, "
                               f"and itemsize {item} requiring a storage size of {(builtins.int(out_pos.max()) + 1) * item}"
                               f" are out of bounds for storage of size {flat.size * item}")
        out = AsStrided.apply(self, flat, size, stride, offset, in_pos, out_pos)
        return make_view(out, self, lambda b: b.as_strided(size, stride, offset))

    def scatter_(self, dim: int, index: "Tensor", src: Any = None, *, value: Any = None,
                 reduce: str | None = None) -> "Tensor":
        """In-place ``scatter``."""
        return run_inplace(self, lambda x: x.scatter(dim, index, src, value=value, reduce=reduce), None, src)

    def scatter_add_(self, dim: int, index: "Tensor", src: "Tensor") -> "Tensor":
        """In-place ``scatter_add``."""
        return run_inplace(self, lambda x: x.scatter_add(dim, index, src), None, src)

    def scatter_reduce_(self, dim: int, index: "Tensor", src: "Tensor", reduce: str, *,
                        include_self: bool = True) -> "Tensor":
        """In-place ``scatter_reduce``."""
        return run_inplace(self, lambda x: x.scatter_reduce(dim, index, src, reduce, include_self=include_self),
                           None, src)

    def index_add_(self, dim: int, index: "Tensor", source: "Tensor", *, alpha: Any = 1) -> "Tensor":
        """In-place ``index_add``."""
        return run_inplace(self, lambda x: x.index_add(dim, index, source, alpha=alpha), None, source)

    def index_copy_(self, dim: int, index: "Tensor", source: "Tensor") -> "Tensor":
        """In-place ``index_copy``."""
        return run_inplace(self, lambda x: x.index_copy(dim, index, source), None, source)

    def index_fill_(self, dim: int, index: "Tensor", value: Any) -> "Tensor":
        """In-place ``index_fill``."""
        return run_inplace(self, lambda x: x.index_fill(dim, index, value), None, value)

    def index_put_(self, indices: Sequence[Any], values: "Tensor", accumulate: bool = False) -> "Tensor":
        """In-place ``index_put``."""
        return run_inplace(self, lambda x: x.index_put(indices, values, accumulate), None, values)

    def index_reduce_(self, dim: int, index: "Tensor", source: "Tensor", reduce: str, *,
                      include_self: bool = True) -> "Tensor":
        """In-place ``index_reduce``."""
        return run_inplace(self, lambda x: x.index_reduce(dim, index, source, reduce, include_self=include_self),
                           None, source)

    def masked_scatter_(self, mask: "Tensor", source: "Tensor") -> "Tensor":
        """In-place ``masked_scatter`` (mask broadcast to self's shape)."""
        if not _broadcastable(mask._data.shape, self._data.shape) or \
                np.broadcast_shapes(mask._data.shape, self._data.shape) != self._data.shape:
            raise RuntimeError(_mismatch(mask._data.shape, self._data.shape))
        return run_inplace(self, lambda x: x.masked_scatter(mask, source), None, source)
