"""Joining, splitting and rearranging: roll, rot90, tile, repeat_interleave, diff, the stack variants, splits,
meshgrid, atleast_nd, and the view aliases (select, ravel, moveaxis, swapdims); composites of the shape ops
except Roll, whose gradient is the opposite roll."""
from __future__ import annotations

import builtins
import operator
import warnings
from typing import Any, Sequence

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Size, Tensor, _dim, _shape_arg
from minitorch.autograd.function import Op
from minitorch.ops._args import _broadcastable, _int_arg, _mismatch
from minitorch.ops.shape import _promote_all, cat


class Roll(Op):
    """y = x shifted by ``shifts`` along ``dims`` (wrapping around);  dL/dx = the gradient rolled back."""

    @staticmethod
    def forward(ctx, x, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        if dims is None:
            return np.roll(x.reshape(-1), shifts).reshape(x.shape)
        return np.roll(x, shifts, dims)

    @staticmethod
    def backward(ctx, grad):
        back = tuple(-s for s in ctx.shifts) if ctx.dims is not None else -ctx.shifts
        return Roll.apply(grad, back, ctx.dims), None, None


def _int_list(v: Any) -> tuple:
    return (operator.index(v),) if not isinstance(v, (tuple, list)) else tuple(operator.index(s) for s in v)


def _tensors_arg(tensors: Any, fn: str) -> list:
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{fn}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    return _promote_all(tensors, fn)


def _atleast(n: int, tensors: tuple) -> Any:
    one = len(tensors) == 1 and isinstance(tensors[0], Tensor)
    ts = tensors[0] if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)) else tensors
    outs = []
    for t in ts:
        if t.ndim >= n:
            outs.append(t.view(t.shape))
        elif n == 1 or t.ndim == 0:
            outs.append(t.reshape((1,) * n))
        elif n == 2:  # 1-d -> (1, n)
            outs.append(t.unsqueeze(0))
        else:  # 3-d: (n,) -> (1, n, 1), (a, b) -> (a, b, 1)
            outs.append(t.unsqueeze(0).unsqueeze(-1) if t.ndim == 1 else t.unsqueeze(-1))
    return outs[0] if one else tuple(outs)


def atleast_1d(*tensors: Any) -> Any:
    """Each tensor viewed with at least one dimension (a 0-d tensor becomes shape (1,))."""
    return _atleast(1, tensors)


def atleast_2d(*tensors: Any) -> Any:
    """Each tensor viewed with at least two dimensions (new dims in front)."""
    return _atleast(2, tensors)


def atleast_3d(*tensors: Any) -> Any:
    """Each tensor viewed with at least three dimensions ((n,) -> (1, n, 1), (a, b) -> (a, b, 1))."""
    return _atleast(3, tensors)


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join along dim 1 (dim 0 for 1-d tensors), after atleast_1d."""
    ts = list(atleast_1d(_tensors_arg(tensors, "hstack")))
    if not ts:
        raise RuntimeError("hstack expects a non-empty TensorList")
    return cat(ts, 0 if ts[0].ndim == 1 else 1)


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join along dim 0, after atleast_2d."""
    ts = list(atleast_2d(_tensors_arg(tensors, "vstack")))
    if not ts:
        raise RuntimeError("vstack expects a non-empty TensorList")
    return cat(ts, 0)


row_stack = vstack


def dstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join along dim 2, after atleast_3d."""
    ts = list(atleast_3d(_tensors_arg(tensors, "dstack")))
    if not ts:
        raise RuntimeError("dstack expects a non-empty TensorList")
    return cat(ts, 2)


def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    """Join along dim 1; 0-d and 1-d tensors first become columns of shape (n, 1)."""
    ts = _tensors_arg(tensors, "column_stack")
    if not ts:
        raise RuntimeError("column_stack expects a non-empty TensorList")
    return cat([t.reshape(t.numel(), 1) if t.ndim <= 1 else t for t in ts], 1)


def broadcast_shapes(*shapes: Any) -> tuple:
    """The shape that tensors of ``shapes`` broadcast to (an int is a 1-d shape)."""
    out: tuple = ()
    for s in shapes:
        s = (s,) if isinstance(s, (builtins.int, np.integer)) else tuple(s)
        for v in s:
            if not isinstance(v, (builtins.int, np.integer)):
                raise RuntimeError("Input shapes should be of type ints, a tuple of ints, or a list of ints, got "
                                   f"{type(v).__name__}")
            if v < 0:
                raise ValueError("Attempting to broadcast a dimension with negative length!")
        if not _broadcastable(out, s):
            raise RuntimeError(f"Shape mismatch: objects cannot be broadcast to a single shape.  "
                               f"Mismatch is between {list(out)} and {list(s)}.")
        out = np.broadcast_shapes(out, s)
    return Size(out)


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple:
    """Coordinate grids of 0-d or 1-d tensors: ``indexing='ij'`` (the default) or ``'xy'`` (first two swapped)."""
    ts = list(tensors[0]) if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)) else list(tensors)
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                      UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}")
    if not ts:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for t in ts:
        if t.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t}")
    for t in ts[1:]:
        if t.dtype != ts[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    swap = indexing == "xy" and len(ts) >= 2
    if swap:
        ts[0], ts[1] = ts[1], ts[0]
    shape = tuple(t.numel() for t in ts)
    outs = []
    for i, t in enumerate(ts):
        view = [1] * len(ts)
        view[i] = -1
        outs.append(t.reshape(view).expand(shape))
    if swap:
        outs[0], outs[1] = outs[1], outs[0]
    return tuple(outs)


def _split_points(n: int, spec: Any, d: int) -> list:
    if isinstance(spec, Tensor):
        if spec._data.dtype.kind not in "iu":
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype of long, but got "
                               f"{_dtype.legacy_name(spec.dtype)}")
        if spec.ndim > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                               f"one-dimensional tensor, but got a tensor with {spec.ndim} dims")
        spec = builtins.int(spec._data) if spec.ndim == 0 else [builtins.int(v) for v in spec._data]
    if isinstance(spec, (builtins.int, np.integer)):
        k = builtins.int(spec)
        if k <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {k}")
        q, r = divmod(n, k)
        bounds = [0]
        for i in range(k):
            bounds.append(bounds[-1] + q + (1 if i < r else 0))
        return bounds
    pts = [0] + [builtins.int(operator.index(v)) for v in spec] + [n]
    return pts


class JoiningMethods:
    """The Tensor methods of joining, splitting and rearranging; minitorch/__init__.py joins them to Tensor."""

    def roll(self, shifts: Any, dims: Any = None) -> "Tensor":
        """Shift the elements along ``dims`` by ``shifts`` (wrapping around); with no dims, the flattened tensor."""
        sh = _int_list(shifts)
        if not sh:
            raise RuntimeError("`shifts` required")
        if dims is None or (isinstance(dims, (tuple, list)) and len(dims) == 0):
            if len(sh) != 1:
                raise RuntimeError(f"shifts and dimensions must align. shifts: {len(sh)}, dims:0")
            return Roll.apply(self, sh[0], None)
        ds = _int_list(dims)
        if len(sh) != len(ds):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(sh)}, dims:{len(ds)}")
        if self.ndim == 0:
            raise IndexError(f"Dimension specified as {ds[0]} but tensor has no dimensions")
        ds = tuple(_dim(d, self.ndim) for d in ds)
        return Roll.apply(self, sh, ds)

    def rot90(self, k: int = 1, dims: Sequence[int] = (0, 1)) -> "Tensor":
        """Rotate by 90 degrees ``k`` times in the plane of ``dims``, from the first towards the second."""
        dims = list(dims)
        if len(dims) != 2:
            raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
        if self.ndim < 2:
            raise RuntimeError(f"expected total dims >= 2, but got total dims = {self.ndim}")
        d0, d1 = _dim(dims[0], self.ndim), _dim(dims[1], self.ndim)
        if d0 == d1:
            raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {d0} and dim1 = {d1}")
        k = k % 4
        if k == 1:
            return self.flip([d1]).transpose(d0, d1)
        if k == 2:
            return self.flip([d0, d1])
        if k == 3:
            return self.flip([d0]).transpose(d0, d1)
        return self.clone()

    def tile(self, *dims: Any) -> "Tensor":
        """Repeat the tensor ``dims[i]`` times along dim i (missing leading reps count as 1)."""
        reps = _shape_arg(dims)
        if len(reps) < self.ndim:
            reps = (1,) * (self.ndim - len(reps)) + reps
        return self.repeat(reps)

    def repeat_interleave(self, repeats: Any = None, dim: int | None = None, *,
                          output_size: int | None = None) -> "Tensor":
        """Each element repeated ``repeats`` times (or ``repeats[i]`` times) along ``dim`` (the flattened tensor
        when dim is None); ``x.repeat_interleave()`` of an integer tensor gives the index that repeats arange."""
        if repeats is None:  # torch.repeat_interleave(repeats): self holds the counts
            counts = self._data
            if counts.ndim > 1:
                raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
            if counts.dtype.kind not in "iu":
                raise NotImplementedError(f"\"repeat_interleave_cpu\" not implemented for '{_dtype.legacy_name(self.dtype)}'")
            if counts.size and counts.min() < 0:
                raise RuntimeError("repeats can not be negative")
            return Tensor._make(np.repeat(np.arange(counts.size, dtype=counts.dtype), counts.reshape(-1)))
        x = self.reshape(-1) if dim is None else self
        d = 0 if dim is None else _dim(dim, self.ndim)
        n = x._data.shape[d] if x.ndim else 1
        if isinstance(repeats, Tensor):
            if repeats._data.dtype.kind not in "iu":
                raise RuntimeError("repeats has to be Long or Int tensor")
            if repeats.ndim > 1:
                raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
            r = repeats._data.reshape(-1).astype(np.int64)
            if r.size == 1:
                r = np.full(n, r[0])
            elif r.size != n:
                raise RuntimeError(f"repeats must have the same size as input along dim, but got repeats.size(0) = "
                                   f"{r.size} and input.size({d}) = {n}")
        else:
            r = np.full(n, _int_arg(repeats, "repeat_interleave", "repeats", 2), np.int64)
            if repeats < 0:
                raise RuntimeError("Repeats must be non-negative")
        if r.size and r.min() < 0:
            raise RuntimeError("repeats can not be negative")
        if output_size is not None and builtins.int(r.sum()) != output_size:
            raise RuntimeError(f"repeat_interleave: Invalid output_size, expected {builtins.int(r.sum())} but got "
                               f"{output_size}")
        idx = Tensor._make(np.repeat(np.arange(n), r))
        if x.ndim == 0:
            x = x.reshape(1)
        return x.index_select(d, idx)

    def ravel(self) -> "Tensor":
        """The tensor as 1-d (a view when the memory allows)."""
        return self.reshape(-1)

    def select(self, dim: int, index: int) -> "Tensor":
        """The slice at ``index`` along ``dim``, that dim removed (a view)."""
        if self.ndim == 0:
            raise IndexError("select() cannot be applied to a 0-dim tensor.")
        d = _dim(dim, self.ndim)
        if isinstance(index, Tensor):
            index = builtins.int(index._data)
        n = self._data.shape[d]
        if not -n <= index < n:
            raise IndexError(f"select(): index {index} out of range for tensor of size {list(self.shape)} at "
                             f"dimension {d}")
        return self[(slice(None),) * d + (index,)]

    def moveaxis(self, source: Any, destination: Any) -> "Tensor":
        """Alias of ``movedim``."""
        return self.movedim(source, destination)

    def swapdims(self, dim0: int, dim1: int) -> "Tensor":
        """Alias of ``transpose``."""
        return self.transpose(dim0, dim1)

    def fliplr(self) -> "Tensor":
        """Reversed along dim 1 (needs at least 2 dims)."""
        if self.ndim < 2:
            raise RuntimeError("Input must be >= 2-d.")
        return self.flip([1])

    def flipud(self) -> "Tensor":
        """Reversed along dim 0 (needs at least 1 dim)."""
        if self.ndim < 1:
            raise RuntimeError("Input must be >= 1-d.")
        return self.flip([0])

    def diff(self, n: int = 1, dim: int = -1, prepend: Any = None, append: Any = None) -> "Tensor":
        """The n-th forward difference along ``dim`` (``prepend``/``append`` joined first); bools use xor."""
        if self.ndim == 0:
            raise RuntimeError("diff expects input to be at least one-dimensional")
        if n < 0:
            raise RuntimeError(f"order must be non-negative but got {n}")
        d = _dim(dim, self.ndim)
        if n == 0:
            return self.clone()
        for extra, name in ((prepend, "prepend"), (append, "append")):
            if extra is not None and not isinstance(extra, Tensor):
                raise TypeError(f"diff(): argument '{name}' must be Tensor, not {type(extra).__name__}")
            if extra is not None and extra.ndim != self.ndim:
                raise RuntimeError("diff expects prepend or append to be the same dimension as input")
        parts = [t for t in (prepend, self, append) if t is not None]
        x = cat(parts, d) if len(parts) > 1 else self
        for _ in range(n):
            m = x._data.shape[d]
            if m == 0:
                break
            hi, lo = x.narrow(d, 1, m - 1), x.narrow(d, 0, m - 1)
            x = hi.ne(lo) if x._data.dtype == np.bool_ else hi - lo
        return x

    def tensor_split(self, indices_or_sections: Any, dim: int = 0) -> tuple:
        """Views split at the given indices, or into that many sections (the first n % k one longer)."""
        if self.ndim == 0:
            raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
        d = _dim(dim, self.ndim)
        n = self._data.shape[d]
        pts = _split_points(n, indices_or_sections, d)
        outs = []
        for a, b in zip(pts[:-1], pts[1:]):
            a, b = builtins.min(builtins.max(a if a >= 0 else a + n, 0), n), builtins.min(
                builtins.max(b if b >= 0 else b + n, 0), n)
            outs.append(self[(slice(None),) * d + (slice(a, builtins.max(a, b)),)])
        return tuple(outs)

    def split_with_sizes(self, split_sizes: Sequence[int], dim: int = 0) -> tuple:
        """Views of the listed sizes along ``dim`` (they must sum to its size)."""
        d = _dim(dim, self.ndim)
        sizes = [builtins.int(s) for s in split_sizes]
        for s in sizes:
            if s < 0:
                raise RuntimeError(f"split_with_sizes expects split_sizes have only non-negative entries, but got "
                                   f"split_sizes={sizes}")
        return self.split(sizes, d)

    def take(self, index: "Tensor") -> "Tensor":
        """The elements of the flattened tensor at ``index`` (the result has index's shape)."""
        if not isinstance(index, Tensor):
            raise TypeError(f"take(): argument 'index' (position 1) must be Tensor, not {type(index).__name__}")
        if index._data.dtype != np.int64:
            raise RuntimeError(f"take(): Expected a long tensor for index, but got {_dtype.legacy_name(index.dtype)}")
        n = self.numel()
        idx = index._data
        if idx.size and (idx.min() < -n or idx.max() >= n):
            bad = builtins.int(idx.max() if idx.max() >= n else idx.min())
            raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
        if n == 0 and idx.size:
            raise IndexError("take(): tried to take from an empty tensor.")
        return self.reshape(-1)[Tensor._make(np.where(idx < 0, idx + n, idx))]

    def take_along_dim(self, indices: "Tensor", dim: int | None = None) -> "Tensor":
        """``gather`` along ``dim`` with self and ``indices`` broadcast over the other dims (flattened if None)."""
        if indices._data.dtype.kind not in "iu" or indices._data.dtype == np.uint8:
            raise RuntimeError("torch.take_along_dim(): dtype of indices should be Long but got "
                               f"{_dtype.legacy_name(indices.dtype)}")
        if dim is None:
            return self.reshape(-1).gather(0, indices.reshape(-1))
        if self.ndim != indices.ndim:
            raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same number of "
                               f"dimensions, but got {self.ndim} dimensions for input, and {indices.ndim} "
                               "dimensions for indices")
        d = _dim(dim, self.ndim)
        s_self, s_idx = list(self.shape), list(indices.shape)
        s_self[d] = s_idx[d] = 1
        if not _broadcastable(tuple(s_self), tuple(s_idx)):
            raise RuntimeError(_mismatch(tuple(s_self), tuple(s_idx)))
        b = list(np.broadcast_shapes(tuple(s_self), tuple(s_idx)))
        bx, bi = list(b), list(b)
        bx[d], bi[d] = self._data.shape[d], indices._data.shape[d]
        idx = indices.expand(bi)
        n = self._data.shape[d]
        wrapped = Tensor._make(np.where(idx._data < 0, idx._data + n, idx._data).astype(np.int64))
        return self.expand(bx).gather(d, wrapped)
