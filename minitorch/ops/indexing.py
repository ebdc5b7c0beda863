"""Indexing, gathering and masking: x[i], x[i] = v, gather/scatter, index_select, masked_fill, where."""
from __future__ import annotations

import builtins
import warnings
from typing import Any, Sequence

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor, _dim, _to_array
from minitorch.autograd.function import Op
from minitorch.ops._adjoint import LinearMap
from minitorch.autograd.inplace import run_inplace
from minitorch.autograd.views import make_view
from minitorch.ops._args import _as_tensor, _broadcastable, _mismatch, _np
from minitorch.ops._util import unbroadcast


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


class Index(LinearMap):
    """y = x[idx];  dL/dx = zeros with the gradient added at idx (repeated indices accumulate): IndexGrad."""

    @staticmethod
    def kernel(x, idx):
        return x[idx]

    @staticmethod
    def adjoint_args(x, idx):
        return x.shape, idx

    def name(self) -> str:
        """torch's name for the last view op the index applies (Select, Slice, Unsqueeze) or Index/Alias."""
        shape, items = self.adjoint_call
        if _has_array(items):
            return "IndexBackward0"
        n_ell = len(shape) - sum(1 for i in items if i is not None and i is not Ellipsis)
        name, dim = "AliasBackward0", 0
        for it in items:
            if it is Ellipsis:
                dim += n_ell
            elif it is None:
                name = "UnsqueezeBackward0"
            elif isinstance(it, slice):
                if it.start not in (None, 0) or it.step not in (None, 1) or (
                        it.stop is not None and it.stop < shape[dim]):
                    name = "SliceBackward0"
                dim += 1
            else:
                name = "SelectBackward0"
                dim += 1
        return name


def _has_array(idx: tuple) -> bool:
    return any(isinstance(i, np.ndarray) for i in idx)


def _bool_to_int(idx: tuple) -> tuple:
    """Boolean masks as integer coordinates, which ``np.add.at`` accepts."""
    out = []
    for i in idx:
        if isinstance(i, np.ndarray) and i.dtype == np.bool_:
            out.extend(np.nonzero(i))
        else:
            out.append(i)
    return tuple(out)


class IndexGrad(LinearMap):
    """y = zeros(shape) with g added at idx (the backward of indexing);  dL/dg = dL/dy[idx]: Index."""

    @staticmethod
    def kernel(g, shape, idx):
        out = np.zeros(shape, g.dtype)
        if _has_array(idx):
            np.add.at(out, _bool_to_int(idx), g)
        else:
            out[idx] = g
        return out

    @staticmethod
    def adjoint_args(g, shape, idx):
        return (idx,)


Index.adjoint, IndexGrad.adjoint = IndexGrad, Index


class IndexPut(Op):
    """y = x with y[idx] = v;  dL/dx = the gradient with idx zeroed,  dL/dv = the gradient at idx."""

    @staticmethod
    def forward(ctx, x, idx, v):
        ctx.idx, ctx.v_shape = idx, np.shape(v)
        out = x.copy()
        out[idx] = v
        return out

    @staticmethod
    def backward(ctx, grad):
        nx, _, nv = ctx.needs_input_grad
        gx = gv = None
        if nx:
            keep = np.ones(grad.shape, grad._data.dtype)
            keep[ctx.idx] = 0
            gx = grad * Tensor._make(keep)
        if nv:
            gv = unbroadcast(grad[ctx.idx], ctx.v_shape)
        return gx, None, gv


def _gather_index(shape_idx: tuple, dim: int, idx: np.ndarray) -> tuple:
    grids = list(np.indices(shape_idx, sparse=True))
    grids[dim] = idx
    return tuple(grids)


class Gather(LinearMap):
    """y[i][j] = x[idx[i][j]][j] (for dim 0);  dL/dx = the gradient scatter-added at idx: ScatterAdd."""

    @staticmethod
    def kernel(x, dim, idx):
        return x[_gather_index(idx.shape, dim, idx)]

    @staticmethod
    def adjoint_args(x, dim, idx):
        return x.shape, dim, idx


class ScatterAdd(LinearMap):
    """y = zeros(shape) with g[i][j] added at [idx[i][j]][j] (the backward of gather);  dL/dg = gather: Gather."""

    @staticmethod
    def kernel(g, shape, dim, idx):
        out = np.zeros(shape, g.dtype)
        np.add.at(out, _gather_index(idx.shape, dim, idx), g)
        return out

    @staticmethod
    def adjoint_args(g, shape, dim, idx):
        return dim, idx


Gather.adjoint, ScatterAdd.adjoint = ScatterAdd, Gather


def _bool_mask(mask: Any, name: str) -> Tensor:
    m = mask if isinstance(mask, Tensor) else Tensor._make(np.asarray(mask))
    if m._data.dtype != np.bool_:
        raise RuntimeError(f"{name} only supports boolean masks, but got mask with dtype {m.dtype}")
    return m


_INDEX_DTYPES = (np.dtype(np.int64), np.dtype(np.int32), np.dtype(np.uint8), np.dtype(np.bool_))


def _index(index: Any, x: Tensor) -> tuple:
    """Translate a torch-style index to numpy's; report whether it is basic (a view)."""
    items = index if isinstance(index, tuple) else (index,)
    out, basic = [], True
    for it in items:
        if isinstance(it, Tensor):
            it = it._data
            if it.dtype not in _INDEX_DTYPES:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            if it.dtype == np.uint8:
                warnings.warn("indexing with dtype minitorch.uint8 is now deprecated, please use a dtype "
                              "minitorch.bool instead.", UserWarning, stacklevel=3)
                it = it.astype(np.bool_)
                basic = False
            elif it.ndim == 0 and it.dtype.kind == "i":
                it = builtins.int(it)
            else:
                basic = False
        elif isinstance(it, (list, np.ndarray)):
            it = np.asarray(it)
            if it.dtype.kind not in "iub":  # torch reads a list of floats as ints, as it reads [] (float64 here)
                it = it.astype(np.int64)
            basic = False
        elif isinstance(it, builtins.bool):
            basic = False
        elif isinstance(it, str):
            raise TypeError(f"new(): invalid data type '{type(it).__name__}'")
        elif not (it is None or it is Ellipsis or isinstance(it, (slice, builtins.int, np.integer))):
            raise IndexError(
                f"only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices "
                f"(got {type(it).__name__})"
            )
        elif isinstance(it, slice) and it.step is not None and it.step <= 0:
            raise ValueError("slice step cannot be zero" if it.step == 0 else "step must be greater than zero")
        out.append(it)
    return tuple(out), basic


_ZERO_DIM_INDEX = ("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to "
                   "convert a 0-dim tensor to a number")


def _index_item(it: Any) -> Any:
    """One index item as the error path reads it: an int, a bool, an index or mask array, or itself."""
    if isinstance(it, Tensor):
        it = it._data
        if it.ndim == 0 and it.dtype.kind == "i":
            return builtins.int(it)
    elif isinstance(it, list):
        it = np.asarray(it)
    if isinstance(it, np.ndarray):
        if it.dtype.kind == "f":
            it = it.astype(np.int64)
        elif it.dtype == np.uint8:
            it = it.astype(np.bool_)
        return builtins.bool(it) if it.ndim == 0 and it.dtype == np.bool_ else it
    return builtins.bool(it) if isinstance(it, np.bool_) else it


def _index_width(items: Sequence) -> int:
    """How many dims of the tensor an index uses (a mask uses one per dim; None, ``...`` and bools none)."""
    return builtins.sum(it.ndim if isinstance(it, np.ndarray) and it.dtype == np.bool_ else
                        0 if it is None or it is Ellipsis or isinstance(it, builtins.bool) else 1 for it in items)


def _one_ellipsis(index: Any, x: Tensor) -> tuple | None:
    """An index with several ``...`` as torch reads it (each stands for the dims the index leaves, and full
    slices past the last dim are no-ops), in numpy's terms; None for any other index."""
    if not isinstance(index, tuple) or builtins.sum(it is Ellipsis for it in index) < 2:
        return None
    fill = (slice(None),) * (x.ndim - _index_width([_index_item(it) for it in index]))
    out = [s for it in index for s in (fill if it is Ellipsis else (it,))]
    while out and isinstance(out[-1], slice) and out[-1] == slice(None) and \
            _index_width([_index_item(it) for it in out]) > x.ndim:
        out.pop()
    return tuple(out)


def _index_error(index: Any, x: Tensor, err: IndexError) -> IndexError:
    """torch's IndexError for an index numpy rejected (the error path only).

    The index is walked as torch applies it: the dims it uses are counted first; ints, slices and
    None apply in order (an int is checked against the dim it lands on in the result so far); masks
    are then checked against that result, index arrays broadcast together, and an out-of-range
    index names its position among the index arrays, as torch's kernel does.
    """
    shape = list(x._data.shape)
    if not shape and not isinstance(index, tuple):
        if isinstance(index, (builtins.int, np.integer)) and not isinstance(index, builtins.bool):
            return IndexError(_ZERO_DIM_INDEX)
        if isinstance(index, slice):
            return IndexError("slice() cannot be applied to a 0-dim tensor.")
    items = [_index_item(it) for it in (index if isinstance(index, tuple) else (index,))]
    used = _index_width(items)
    if used > len(shape):
        return IndexError(f"too many indices for tensor of dimension {len(shape)}")
    dim, arrays = 0, []
    for position, it in enumerate(items):
        if it is None or isinstance(it, builtins.bool):
            shape.insert(dim, 1)
            if it is not None:  # x[True] is x[None][[0]], x[False] is x[None][[]]
                arrays.append((np.zeros(builtins.int(it), np.int64), dim))
            dim += 1
        elif it is Ellipsis:
            dim += len(x.shape) - used
        elif isinstance(it, slice):
            dim += 1
        elif isinstance(it, np.ndarray):
            arrays.append((it, dim))
            dim += it.ndim if it.dtype == np.bool_ else 1
        else:
            if not -shape[dim] <= it < shape[dim]:  # torch names the int's place in the index
                return IndexError(f"index {it} is out of bounds for dimension {position} with size {shape[dim]}")
            del shape[dim]
    indices, sizes = [], []
    for a, d in arrays:
        if a.dtype == np.bool_:
            for j, n in enumerate(a.shape):
                if n != shape[d + j]:
                    return IndexError(f"The shape of the mask {list(a.shape)} at index {j} does not match the shape "
                                      f"of the indexed tensor {shape} at index {d + j}")
            indices.extend(np.nonzero(a))
            sizes.extend(shape[d:d + a.ndim])
        else:
            indices.append(a)
            sizes.append(shape[d])
    try:
        indices = np.broadcast_arrays(*indices)
    except ValueError:
        return IndexError("shape mismatch: indexing tensors could not be broadcast together with shapes "
                          + ", ".join(str(list(a.shape)) for a in indices))
    bad = [(a < -n) | (a >= n) for a, n in zip(indices, sizes)]
    hits = np.flatnonzero(np.logical_or.reduce(bad)) if bad else ()
    if len(hits):
        first = hits[0]
        k = next(k for k, b in enumerate(bad) if b.flat[first])
        return IndexError(f"index {indices[k].flat[first]} is out of bounds for dimension {k} with size {sizes[k]}")
    return IndexError(str(err).replace("axis", "dimension"))


def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:
    """``input`` where ``condition`` holds, else ``other`` (broadcast); ``where(cond)`` gives indices."""
    cond = condition if isinstance(condition, Tensor) else Tensor._make(np.array(_to_array(condition, None)))
    if input is None and other is None:
        return tuple(Tensor._make(i.astype(np.int64)) for i in np.nonzero(cond._data))
    if cond._data.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype {cond.dtype}")
    if isinstance(input, Tensor) and isinstance(other, Tensor):
        rt = _dtype.result_type(input, other)
        input, other = input.to(rt), other.to(rt)
    elif isinstance(input, Tensor):
        rt = _dtype.result_type(input, other)
        input = input.to(rt)
        other = np.asarray(other, rt.np)
    elif isinstance(other, Tensor):
        rt = _dtype.result_type(input, other)
        other = other.to(rt)
        input = np.asarray(input, rt.np)
    else:
        rt = _dtype.result_type(input, other)
        input, other = np.asarray(input, rt.np), np.asarray(other, rt.np)
    try:
        np.broadcast_shapes(cond.shape, np.shape(_np(input)), np.shape(_np(other)))
    except ValueError:
        raise RuntimeError(
            f"where: shapes of condition {list(cond.shape)}, input {list(np.shape(_np(input)))} and other "
            f"{list(np.shape(_np(other)))} cannot be broadcast together"
        ) from None
    input = input if isinstance(input, Tensor) else Tensor._make(input)
    other = other if isinstance(other, Tensor) else Tensor._make(other)
    return Where.apply(cond._data, input, other)


class IndexingMethods:
    """The Tensor methods of indexing, gathering and masking; minitorch/__init__.py joins them to Tensor."""

    def masked_fill(self, mask: "Tensor", value: Any) -> "Tensor":
        """Positions where ``mask`` is True take ``value``; the gradient flows elsewhere."""
        mask = _bool_mask(mask, "masked_fill")
        if isinstance(value, Tensor):
            if value.ndim != 0:
                raise RuntimeError(
                    f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.ndim} dimension(s)."
                )
            value = value.to(self.dtype)
        elif isinstance(value, complex) and self._data.dtype.kind != "b":
            raise RuntimeError(f"value cannot be converted to type {_dtype._C_TYPE[self.dtype.name]} without overflow")
        ms, xs = mask._data.shape, self._data.shape
        if ms != xs and not _broadcastable(ms, xs):
            raise RuntimeError(
                f"{_mismatch(ms, xs)}: masked_fill with a mask of shape {list(ms)} on an input of shape {list(xs)}"
            )
        x = self
        if ms != xs and np.broadcast_shapes(ms, xs) != xs:
            x = self.expand(np.broadcast_shapes(ms, xs))
        return MaskedFill.apply(x, mask._data, value)

    def where(self, condition: "Tensor", other: Any) -> "Tensor":
        """self where ``condition`` holds, else ``other``."""
        return where(condition, self, other)

    def narrow(self, dim: int, start: int, length: int) -> "Tensor":
        """The slice start:start+length along ``dim`` (a view); ``start`` may be a 0-dim integer tensor."""
        if self._data.ndim == 0:
            raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
        if isinstance(start, Tensor):
            if start.ndim != 0 or start._data.dtype.kind not in "iu":
                raise RuntimeError("start must be an 0-dim integral Tensor.")
            start = builtins.int(start._data)
        d = _dim(dim, self.ndim)
        size = self._data.shape[d]
        if length < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
        if not -size <= start <= size:
            raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
        if start < 0:
            start += size
        if start + length > size:
            raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
        idx = (slice(None),) * d + (slice(start, start + length),)
        return self[idx]

    def gather(self, dim: int, index: "Tensor") -> "Tensor":
        """out[i][j] = self[index[i][j]][j] for dim=0 (and so on for other dims)."""
        d = _dim(dim, self.ndim)
        idx = _np(index)
        if idx.size == 0 and (idx.ndim == self.ndim or self.ndim <= 1):  # torch checks nothing of an empty index
            return self.reshape(-1)[np.zeros(idx.shape, np.int64)]
        if idx.dtype.kind not in "iu":
            raise RuntimeError(f"gather(): Expected dtype int64 for index, got {index.dtype if isinstance(index, Tensor) else idx.dtype}")
        if self.ndim == 0 and idx.ndim <= 1:  # a 0-d tensor gathers as a 1-d one of size 1
            if idx.size and (idx.min() < 0 or idx.max() >= 1):
                raise RuntimeError(f"index {builtins.int(idx.max() if idx.max() >= 1 else idx.min())} is out of "
                                   "bounds for dimension 0 with size 1")
            return Gather.apply(self.reshape(1), 0, idx.reshape(-1).astype(np.int64)).reshape(idx.shape)
        if idx.ndim != self.ndim:
            raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
        for i in range(self.ndim):
            if i != d and idx.shape[i] > self._data.shape[i]:
                raise RuntimeError(
                    f"Size does not match at dimension {i} expected index {list(idx.shape)} to be smaller than "
                    f"self {list(self.shape)} apart from dimension {d}"
                )
        if idx.size and (idx.min() < 0 or idx.max() >= self._data.shape[d]):
            raise RuntimeError(
                f"index {builtins.int(idx.max() if idx.max() >= self._data.shape[d] else idx.min())} is out of "
                f"bounds for dimension {d} with size {self._data.shape[d]}"
            )
        return Gather.apply(self, d, idx)

    def index_select(self, dim: int, index: "Tensor") -> "Tensor":
        """The entries of ``index`` (a 0-D or 1-D integer tensor) along ``dim``."""
        d = _dim(dim, self.ndim)
        idx = _np(index)
        if idx.dtype.kind not in "iu":
            raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
        if idx.ndim > 1:
            raise IndexError("index_select(): Index is supposed to be a vector")
        size = self._data.shape[d] if self._data.ndim else 1
        if idx.size and (idx.min() < 0 or idx.max() >= size):
            raise IndexError("index out of range in self")
        if self._data.ndim == 0:  # a 0-d tensor selects as a 1-d one of size 1, and stays 0-d
            if idx.size != 1:
                raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {idx.size} value(s)")
            return self.reshape(1)[idx.reshape(-1).astype(np.int64)].reshape(())
        return self[(slice(None),) * d + (idx.reshape(-1).astype(np.int64, copy=False),)]

    def masked_select(self, mask: "Tensor") -> "Tensor":
        """The 1-D tensor of the values where ``mask`` (broadcast) is True."""
        mask = _bool_mask(mask, "masked_select")
        shape = np.broadcast_shapes(self.shape, mask.shape) or (1,)  # 0-d inputs select as 1-d ones
        return self.expand(shape)[mask.expand(shape)]

    def __getitem__(self, index: Any) -> "Tensor":
        idx, basic = _index(index, self)
        try:
            out = Index.apply(self, idx)
        except IndexError as e:
            single = _one_ellipsis(index, self)
            if single is None:
                raise _index_error(index, self, e) from None
            return self[single]
        if basic:
            return make_view(out, self, lambda b: b[idx])
        return out

    def __setitem__(self, index: Any, value: Any) -> None:
        idx, basic = _index(index, self)
        v = _np(value)
        try:
            run_inplace(self, lambda x: IndexPut.apply(x, idx, _as_tensor(value, self).to(self.dtype)),
                     lambda a: a.__setitem__(idx, v), value)
        except IndexError as e:
            single = _one_ellipsis(index, self)
            if single is None:
                raise _index_error(index, self, e) from None
            self[single] = value
        except ValueError:
            target, vs = self._data[idx].shape, np.shape(v)
            if basic:  # torch copies into the view: expand's error
                _as_tensor(value, self).expand(target)
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {list(vs)} cannot be broadcast to indexing result of shape "
                f"{list(target)}"
            ) from None

    def masked_fill_(self, mask: "Tensor", value: Any) -> "Tensor":
        """Write ``value`` where ``mask`` is True, in place."""
        mask = _bool_mask(mask, "masked_fill_")
        v = _np(value)
        return run_inplace(self, lambda x: x.masked_fill(mask, value),
                        lambda a: np.copyto(a, v, where=mask._data, casting="unsafe"), value)
