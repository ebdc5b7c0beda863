"""Sorting and selection along a dim: sort, argsort, msort, topk, kthvalue, median, nanmedian, mode, quantile.

Each selection is one gather of the input at the indices it chose (``_Select``), whose backward scatters the
gradient back to those indices (torch's ``value_selecting_reduction_backward``). The indices are torch's on CPU:
sort is stable; where several equal elements could be reported, the rows with such ties are re-run through the
algorithm torch's kernel uses (``minitorch/ops/_stl.py``).
"""
from __future__ import annotations

import collections
import numbers
from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor, _dim
from minitorch.autograd.function import Op
from minitorch.ops import _stl
from minitorch.ops.indexing import ScatterAdd, where


def result_type(name: str, *fields: str) -> type:
    """A named result like ``torch.return_types.<name>``: a tuple whose items also have names."""
    return collections.namedtuple(name, fields, module=__name__)


sort_result = result_type("sort", "values", "indices")
topk_result = result_type("topk", "values", "indices")
kthvalue_result = result_type("kthvalue", "values", "indices")
median_result = result_type("median", "values", "indices")
nanmedian_result = result_type("nanmedian", "values", "indices")
mode_result = result_type("mode", "values", "indices")


class _Select(Op):
    """v = x gathered at ``idx`` along dim (squeezed unless keepdim);  dL/dx = the gradient scatter-added at idx."""

    @staticmethod
    def forward(ctx, x, dim, idx, keepdim):
        ctx.shape, ctx.dim, ctx.idx, ctx.keepdim = x.shape, dim, idx, keepdim
        v = np.take_along_axis(x, idx, axis=dim)
        return v if keepdim else np.squeeze(v, dim)

    @staticmethod
    def backward(ctx, grad):
        g = grad if ctx.keepdim else grad.unsqueeze(ctx.dim)
        return ScatterAdd.apply(g, ctx.shape, ctx.dim, ctx.idx), None, None, None


class Sort(_Select):
    """values = x sorted along dim;  dL/dx = the gradient placed back at the sorted indices."""


class Topk(_Select):
    """values = the k largest (or smallest) of x along dim;  dL/dx = the gradient placed at their indices."""


class Kthvalue(_Select):
    """value = the k-th smallest of x along dim;  dL/dx = the gradient placed at its index."""


class Median(_Select):
    """value = the lower median of x along dim;  dL/dx = the gradient placed at its index."""

    def name(self) -> str:
        return "MedianBackward1"


class Nanmedian(_Select):
    """value = the lower median of the non-NaN x along dim;  dL/dx = the gradient placed at its index."""

    def name(self) -> str:
        return "NanmedianBackward1"


class Mode(_Select):
    """value = the most frequent x along dim;  dL/dx = the gradient placed at its index."""


class _MedianAll(Op):
    """m = the lower median of all of x;  dL/dx = the gradient shared evenly by the elements equal to m
    (by the NaNs when m is NaN): torch's ``evenly_distribute_backward``."""

    def name(self) -> str:
        return "NanmedianBackward0" if self.ignore_nan else "MedianBackward0"

    @staticmethod
    def forward(ctx, x, ignore_nan):
        ctx.ignore_nan = ignore_nan
        flat = x.reshape(-1)
        nan = np.isnan(flat) if flat.dtype.kind == "f" else np.zeros(flat.shape, bool)
        if flat.size == 0 or (nan.any() and not ignore_nan) or nan.all():
            m = np.asarray(np.nan if flat.dtype.kind == "f" or flat.size == 0 else flat[0], x.dtype)
        else:
            kept = np.sort(flat[~nan])
            m = np.asarray(kept[(kept.size - 1) // 2])
        hit = np.isnan(x) if m.dtype.kind == "f" and np.isnan(m) else x == m
        ctx.weights = hit / max(int(hit.sum()), 1)
        return m

    @staticmethod
    def backward(ctx, grad):
        return grad * Tensor._make(ctx.weights.astype(grad._data.dtype)), None


def _isnan(a: np.ndarray) -> np.ndarray:
    return np.isnan(a) if a.dtype.kind == "f" else np.zeros(a.shape, bool)


def _rows(a: np.ndarray, dim: int) -> np.ndarray:
    """``a`` with ``dim`` moved last and the other dims flattened: one row per selection."""
    return np.moveaxis(a, dim, -1).reshape(-1, a.shape[dim])


def _unrows(rows: np.ndarray, shape: tuple, dim: int) -> np.ndarray:
    """The inverse of ``_rows`` for rows of length ``rows.shape[1]``."""
    moved = tuple(s for i, s in enumerate(shape) if i != dim) + (rows.shape[1],)
    return np.moveaxis(rows.reshape(moved), -1, dim)


def _stable_argsort(a: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """torch's stable order: NaN is the largest value; equal elements keep their order (also descending)."""
    if not descending:
        return np.argsort(a, axis=dim, kind="stable")
    n = a.shape[dim]
    return (n - 1) - np.flip(np.argsort(np.flip(a, dim), axis=dim, kind="stable"), dim)


def _std_sort_idx(a: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """torch's order for ``stable=False``: std::sort of (value, index) pairs; it is the stable order except in
    rows longer than 16 with equal elements, which are re-run through std::sort."""
    order = _stable_argsort(a, dim, descending)
    n = a.shape[dim]
    if n <= 16:
        return order
    rows, orows = _rows(a, dim), _rows(order, dim)
    srt = np.take_along_axis(rows, orows, axis=1)
    tie = (srt[:, 1:] == srt[:, :-1]).any(1)
    if srt.dtype.kind == "f":
        tie |= np.isnan(srt).sum(1) > 1
    if not tie.any():
        return order
    nan = _isnan(rows)
    if descending:
        def less(x: tuple, y: tuple) -> bool:
            return (x[1] and not y[1]) or bool(x[0] > y[0])
    else:
        def less(x: tuple, y: tuple) -> bool:
            return (not x[1] and y[1]) or bool(x[0] < y[0])
    for r in np.flatnonzero(tie):
        items = [(v, bool(f), j) for j, (v, f) in enumerate(zip(rows[r].tolist(), nan[r].tolist()))]
        _stl.std_sort(items, 0, n, less)
        orows[r] = [it[2] for it in items]
    return _unrows(orows, a.shape, dim)


def _tied(row: np.ndarray, value: Any) -> bool:
    """More than one element of ``row`` equals ``value`` (NaNs equal each other)."""
    if row.dtype.kind == "f" and np.isnan(value):
        return int(np.isnan(row).sum()) > 1
    return int((row == value).sum()) > 1


def _as_tensor_result(cls: type, op: type, x: Tensor, dim: int, idx: np.ndarray, keepdim: bool) -> Any:
    """(values, indices) of a selection: values gathered at ``idx`` by ``op``; a 0-d input stays 0-d."""
    if x._data.ndim == 0:
        v = op.apply(x.unsqueeze(0), 0, idx, True)
        return cls(v.reshape(()) if idx.size == 1 else v, Tensor._make(np.zeros(() if idx.size == 1 else idx.shape,
                                                                                  np.int64)))
    v = op.apply(x, dim, idx, keepdim)
    return cls(v, Tensor._make(idx if keepdim else np.squeeze(idx, dim)))


def _no_bool(x: Tensor, kernel: str) -> None:
    if x._data.dtype == np.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _nonempty_dim(x: Tensor, dim: int, name: str) -> int:
    d = _dim(dim, x.ndim)
    if x._data.ndim and x._data.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return d


def _work(x: Tensor) -> np.ndarray:
    """The data as at least 1-d (a 0-d tensor is a row of one)."""
    return x._data.reshape(1) if x._data.ndim == 0 else x._data


def _median_idx(a: np.ndarray, dim: int, ignore_nan: bool) -> np.ndarray:
    """The index torch's median/nanmedian kernel reports along ``dim``: the first NaN for median, else the
    element at the median's place in the stable order (its std::nth_element breaks ties by index), except
    in an all-NaN row of nanmedian, where every pair is unordered and std::nth_element alone decides."""
    rows = _rows(a, dim)
    n = rows.shape[1]
    nan = _isnan(rows)
    num_nan = nan.sum(1)
    order = np.argsort(rows, axis=1, kind="stable")
    pos = np.maximum(n - num_nan - 1, 0) // 2 if ignore_nan else np.full(rows.shape[0], (n - 1) // 2)
    out = order[np.arange(rows.shape[0]), pos]
    if not ignore_nan:
        out = np.where(num_nan > 0, np.argmax(nan, axis=1), out)
    else:
        for r in np.flatnonzero(num_nan == n) if n > 1 else ():
            ids = list(range(n))
            _stl.nth_element(ids, 0, lambda i, j: False)
            out[r] = ids[0]
    return _unrows(out[:, None], a.shape, dim)


def _kth_idx(a: np.ndarray, dim: int, k: int) -> np.ndarray:
    """The index of the k-th smallest along ``dim`` as torch's quick_select reports it (NaN is the largest)."""
    rows = _rows(a, dim)
    order = np.argsort(rows, axis=1, kind="stable")
    out = order[:, k - 1].copy()
    for r in range(rows.shape[0]):
        row = rows[r]
        if _tied(row, row[out[r]]):
            nan = _isnan(row)
            items = [(row[j], bool(nan[j]), j) for j in range(row.size)]
            _stl.quick_select(items, k - 1, lambda x, y: (x[1] and not y[1]) or bool(x[0] > y[0]))
            out[r] = items[k - 1][2]
    return _unrows(out[:, None], a.shape, dim)


def _topk_idx(a: np.ndarray, dim: int, k: int, largest: bool, sorted_: bool) -> np.ndarray:
    """The indices torch's topk kernel reports: std::partial_sort when k * 64 <= n, else std::nth_element
    (and std::sort of the first k - 1 when ``sorted``); NaN is the largest value."""
    rows = _rows(a, dim)
    n = rows.shape[1]
    order = _stable_argsort(rows, 1, largest)[:, :k]
    out = order.copy()
    nan = _isnan(rows)
    for r in range(rows.shape[0]):
        row = rows[r]
        chosen = row[order[r]]
        head = np.concatenate([chosen, row[_stable_argsort(row, 0, largest)[k:k + 1]]])
        distinct = len(set(head.tolist())) == head.size and int(_isnan(head).sum()) <= 1
        if distinct and (sorted_ or k <= 1):
            continue
        items = [(row[j], bool(nan[r, j]), j) for j in range(n)]
        if largest:
            def less(x: tuple, y: tuple) -> bool:
                return (x[1] and not y[1]) or bool(x[0] > y[0])
        else:
            def less(x: tuple, y: tuple) -> bool:
                return (not x[1] and y[1]) or bool(x[0] < y[0])
        if k * 64 <= n:
            _stl.partial_sort(items, 0, k, n, less)
        elif k:
            _stl.nth_element(items, k - 1, less)
            if sorted_:
                _stl.std_sort(items, 0, k - 1, less)
        out[r] = [it[2] for it in items[:k]]
    return _unrows(out, a.shape, dim)


def _mode_idx(a: np.ndarray, dim: int) -> np.ndarray:
    """The mode's index as torch's kernel reports it: the last of its run after std::sort of (value, index)."""
    rows = _rows(a, dim)
    n = rows.shape[1]
    out = np.zeros(rows.shape[0], np.int64)
    for r in range(rows.shape[0]):
        items = [(v, j) for j, v in enumerate(rows[r].tolist())]
        _stl.std_sort(items, 0, n, lambda x, y: x[0] < y[0])
        best, freq, run = 0, 0, 0
        for i in range(n):
            run += 1
            if i == n - 1 or items[i][0] != items[i + 1][0]:
                if run > freq:
                    best, freq = items[i][1], run
                run = 0
        out[r] = best
    return _unrows(out[:, None], a.shape, dim)


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _q_array(x: Tensor, q: Any, name: str) -> tuple:
    """q as a 1-d array of x's dtype, and whether it was a scalar; torch's checks."""
    if isinstance(q, Tensor):
        if q._data.ndim > 1:
            raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
        if q.dtype != x.dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
        qa = q._data.reshape(-1)
        if qa.size and not bool(((qa >= 0) & (qa <= 1)).all()):
            raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
        return qa, q._data.ndim == 0
    if not isinstance(q, numbers.Real) or isinstance(q, bool):
        raise TypeError(f"{name}(): argument 'q' must be float or Tensor, not {type(q).__name__}")
    if not 0 <= q <= 1:
        raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {float(q)}")
    return np.asarray([q], x._data.dtype), True


def _quantile_order(a: np.ndarray, ranks: np.ndarray, nq: int) -> np.ndarray:
    """A permutation of each row of ``a`` (last dim) that puts the right elements at the ranks quantile reads.

    torch (2.14, CPU) sorts the row unless 4 nq^2 <= n; then it selects only the requested ranks, by
    std::nth_element at the middle rank, recursing into the lower and upper ranks (NaN is the largest). The two
    agree on values; they differ on which of several equal elements sits at a rank, i.e. takes the gradient."""
    n = a.shape[-1]
    if 4 * nq * nq > n:
        return _std_sort_idx(a, a.ndim - 1, False)
    order = np.argsort(a, axis=-1, kind="stable")
    rows, orows = a.reshape(-1, n), order.reshape(-1, n)
    wanted = np.concatenate([np.floor(ranks), np.ceil(ranks)], -1).astype(np.int64).reshape(rows.shape[0], -1)
    for r in range(rows.shape[0]):
        row, picks = rows[r], sorted(set(wanted[r].tolist()))
        if not any(_tied(row, row[orows[r, k]]) for k in picks):
            continue
        nan = _isnan(row)
        ids = list(range(n))

        def less(i: int, j: int, row: np.ndarray = row, nan: np.ndarray = nan) -> bool:
            return bool(row[i] < row[j]) or (bool(nan[j]) and not nan[i])

        def select(lo: int, hi: int, ks: list) -> None:
            if not ks or hi <= lo:
                return
            m = len(ks) // 2
            part = ids[lo:hi]
            _stl.nth_element(part, ks[m] - lo, less)
            ids[lo:hi] = part
            select(lo, ks[m], ks[:m])
            select(ks[m] + 1, hi, ks[m + 1:])

        select(0, n, picks)
        orows[r] = ids
    return order


def _quantile(x: Tensor, q: Any, dim: Any, keepdim: bool, interpolation: str, ignore_nan: bool) -> Tensor:
    """torch's quantile_compute: sort, ranks q * (n - 1) (of the non-NaN count for nanquantile), gather, lerp."""
    name = "nanquantile" if ignore_nan else "quantile"
    if x._data.dtype not in (np.float32, np.float64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    qa, scalar_q = _q_array(x, q, name)
    if x._data.size == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(f"{name}() interpolation must be one of linear, lower, higher, midpoint or nearest, "
                           f"but got {interpolation}")
    if dim is None:
        moved, lead, d = x.reshape(-1), (), None
    else:
        d = _dim(dim, x.ndim)
        moved = x.unsqueeze(0) if x.ndim == 0 else x.movedim(d, -1)
        lead = moved.shape[:-1]
    md = moved._data
    nan = _isnan(md)
    # the ranks are computed in float64 (exact to 2^53), the interpolation weight in the input's dtype
    qt = (q.reshape(-1) if isinstance(q, Tensor) else Tensor._make(qa)).to(_dtype.float64)
    if ignore_nan:
        ranks = qt * Tensor._make((np.sum(~nan, axis=-1, keepdims=True) - 1).astype(np.float64))
        ranks = ranks.masked_fill(Tensor._make(ranks._data < 0), 0.0)
    else:
        last = md.shape[-1] - 1
        ranks = (qt * float(last)).expand(*lead, qa.size).masked_fill(
            Tensor._make(np.broadcast_to(nan.any(-1, keepdims=True), lead + (qa.size,))), float(last))
    ranks = ranks.expand(*lead, qa.size)
    r = ranks._data
    if interpolation in ("lower", "higher", "nearest"):
        r = {"lower": np.floor, "higher": np.ceil, "nearest": np.round}[interpolation](r)
    s = Sort.apply(moved, md.ndim - 1, _quantile_order(md, r, qa.size), True)
    below = r.astype(np.int64)
    out = s.gather(-1, Tensor._make(below))
    if interpolation in ("linear", "midpoint"):
        w = Tensor._make(np.full(r.shape, 0.5, md.dtype)) if interpolation == "midpoint" else (
            ranks - Tensor._make(below.astype(r.dtype))).to(s.dtype)
        above = s.gather(-1, Tensor._make(np.ceil(r).astype(np.int64)))
        diff = above - out
        out = where(Tensor._make(np.abs(w._data) < 0.5), out + w * diff, above - diff * (1 - w))
    if d is None:
        out = out.reshape((1,) * x.ndim + (qa.size,)) if keepdim else out
    elif keepdim and x.ndim:
        out = out.unsqueeze(d)
    return out.squeeze(-1) if scalar_q else out.movedim(-1, 0)


class SortingMethods:
    """The Tensor methods of sorting and selection; minitorch/__init__.py joins them to Tensor."""

    def sort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Any:
        """(values, indices) of ``self`` sorted along ``dim``; torch's CPU sort is stable, NaN sorts as largest."""
        d = _dim(dim, self.ndim)
        a = _work(self)
        idx = (_stable_argsort if stable else _std_sort_idx)(a, d if self._data.ndim else 0, descending)
        if self._data.ndim == 0:
            return sort_result(Sort.apply(self.unsqueeze(0), 0, idx, True).squeeze(0),
                               Tensor._make(np.zeros((), np.int64)))
        return sort_result(Sort.apply(self, d, idx, True), Tensor._make(idx))

    def argsort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Tensor:
        """The indices that sort ``self`` along ``dim``."""
        d = _dim(dim, self.ndim)
        if self._data.ndim == 0:
            return Tensor._make(np.zeros((), np.int64))
        return Tensor._make((_stable_argsort if stable else _std_sort_idx)(self._data, d, descending))

    def msort(self) -> Tensor:
        """``self`` sorted along its first dim."""
        return self.sort(0).values

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:
        """(values, indices) of the ``k`` largest (or smallest) elements along ``dim``."""
        if self._data.dtype == np.bool_:
            raise RuntimeError("topk does not support bool dtypes on CPU")
        d = _dim(dim, self.ndim)
        n = self._data.shape[d] if self._data.ndim else 1
        if not 0 <= k <= n:
            raise RuntimeError("selected index k out of range")
        idx = _topk_idx(_work(self), d if self._data.ndim else 0, k, largest, sorted)
        return _as_tensor_result(topk_result, Topk, self, d, idx, True)

    def kthvalue(self, k: int, dim: int = -1, keepdim: bool = False) -> Any:
        """(value, index) of the ``k``-th smallest element along ``dim`` (NaN is the largest)."""
        _no_bool(self, "kthvalue_cpu")
        d = _nonempty_dim(self, dim, "kthvalue")
        n = self._data.shape[d] if self._data.ndim else 1
        if not 1 <= k <= n:
            raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
        idx = _kth_idx(_work(self), d if self._data.ndim else 0, k)
        return _as_tensor_result(kthvalue_result, Kthvalue, self, d, idx, keepdim)

    def median(self, dim: Any = None, keepdim: bool = False) -> Any:
        """The lower median of all elements, or (values, indices) along ``dim``; NaN if a NaN is present."""
        _no_bool(self, "median_cpu" if dim is None else "median_out")
        if dim is None:
            return _MedianAll.apply(self, False)
        d = _nonempty_dim(self, dim, "median")
        idx = _median_idx(_work(self), d if self._data.ndim else 0, False)
        return _as_tensor_result(median_result, Median, self, d, idx, keepdim)

    def nanmedian(self, dim: Any = None, keepdim: bool = False) -> Any:
        """``median`` of the non-NaN elements (NaN only where all are NaN)."""
        _no_bool(self, "median_cpu" if dim is None else "median_out")
        if dim is None:
            return _MedianAll.apply(self, True)
        d = _nonempty_dim(self, dim, "median")
        idx = _median_idx(_work(self), d if self._data.ndim else 0, True)
        return _as_tensor_result(nanmedian_result, Nanmedian, self, d, idx, keepdim)

    def mode(self, dim: int = -1, keepdim: bool = False) -> Any:
        """(values, indices) of the most frequent value along ``dim`` (the smallest of equally frequent ones)."""
        d = _dim(dim, self.ndim)
        if self._data.ndim and self._data.shape[d] == 0:
            raise IndexError(f"mode(): Expected reduction dim {d} to have non-zero size.")
        idx = _mode_idx(_work(self), d if self._data.ndim else 0)
        return _as_tensor_result(mode_result, Mode, self, d, idx, keepdim)

    def quantile(self, q: Any, dim: int | None = None, keepdim: bool = False, *,
                 interpolation: str = "linear") -> Tensor:
        """The ``q``-th quantiles along ``dim`` (of all elements by default); NaN where a NaN is present."""
        return _quantile(self, q, dim, keepdim, interpolation, False)

    def nanquantile(self, q: Any, dim: int | None = None, keepdim: bool = False, *,
                    interpolation: str = "linear") -> Tensor:
        """``quantile`` of the non-NaN elements."""
        return _quantile(self, q, dim, keepdim, interpolation, True)
