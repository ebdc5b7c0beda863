"""Searching and counting: unique, unique_consecutive, bincount, histc, histogram, searchsorted, bucketize, isin,
nonzero, argwhere, count_nonzero. None of them is differentiable (their results are indices and counts, or, for
unique, values that torch does not differentiate either)."""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor, _dim, _dims
from minitorch.ops._args import _tensor_arg
from minitorch.ops.sorting import result_type

histogram_result = result_type("histogram", "hist", "bin_edges")


def _out(a: Any, dtype: Any = np.int64) -> Tensor:
    return Tensor._make(np.asarray(a, dtype))


def _unique_rows(a: np.ndarray, dim: int) -> tuple:
    """(unique slices along dim, inverse, counts), the slices in lexicographic order as torch."""
    n = a.shape[dim]
    moved = np.moveaxis(a, dim, 0).reshape(n, -1)
    if n == 0:
        return a, np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.lexsort(moved.T[::-1]) if moved.shape[1] else np.zeros(n, np.int64)
    srt = moved[order]
    new = np.ones(n, bool)
    new[1:] = (srt[1:] != srt[:-1]).any(axis=1) if moved.shape[1] else False
    group = np.cumsum(new) - 1
    inverse = np.empty(n, np.int64)
    inverse[order] = group
    counts = np.bincount(group).astype(np.int64)
    uniq = np.moveaxis(np.take(a, order[new], axis=dim), dim, dim)
    return uniq, inverse, counts


def _unique(x: Tensor, return_inverse: bool, return_counts: bool, dim: Any, consecutive: bool) -> Any:
    a = x._data
    if dim is None:
        flat = a.reshape(-1)
        if consecutive:
            new = np.ones(flat.size, bool)
            new[1:] = flat[1:] != flat[:-1]
            uniq = flat[new]
            inverse = (np.cumsum(new) - 1).reshape(a.shape)
            counts = np.diff(np.append(np.flatnonzero(new), flat.size))
        else:
            uniq, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True, equal_nan=False)
            inverse = inverse.reshape(a.shape)
    else:
        d = _dim(dim, a.ndim)
        if a.ndim == 0:
            raise IndexError(f"Dimension out of range (expected to be in range of [-1, 0], but got {dim})")
        if consecutive:
            n = a.shape[d]
            moved = np.moveaxis(a, d, 0).reshape(n, -1)
            new = np.ones(n, bool)
            if n > 1:
                new[1:] = (moved[1:] != moved[:-1]).any(axis=1) if moved.shape[1] else False
            uniq = np.take(a, np.flatnonzero(new), axis=d)
            inverse = np.cumsum(new) - 1
            counts = np.diff(np.append(np.flatnonzero(new), n))
        else:
            uniq, inverse, counts = _unique_rows(a, d)
    out = [Tensor._make(np.ascontiguousarray(uniq))]
    if return_inverse:
        out.append(_out(inverse))
    if return_counts:
        out.append(_out(counts))
    return out[0] if len(out) == 1 else tuple(out)


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,
           dim: int | None = None) -> Any:
    """The unique elements (or slices along ``dim``), sorted; optionally the inverse indices and the counts."""
    _tensor_arg(input, "unique", "input", 1)
    return _unique(input, return_inverse, return_counts, dim, False)


def unique_consecutive(input: Tensor, return_inverse: bool = False, return_counts: bool = False,
                       dim: int | None = None) -> Any:
    """Each run of equal consecutive elements (or slices along ``dim``) kept once."""
    _tensor_arg(input, "unique_consecutive", "input", 1)
    return _unique(input, return_inverse, return_counts, dim, True)


def _bincount(x: Tensor, weights: Tensor | None, minlength: int) -> Tensor:
    a = x._data
    if a.dtype.kind not in "iub":
        raise NotImplementedError(f"\"bincount_cpu\" not implemented for '{_dtype.legacy_name(x.dtype)}'")
    if a.ndim != 1:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if a.size and int(a.min()) < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is None:
        return _out(np.bincount(a.astype(np.int64), minlength=minlength))
    w = weights._data
    if w.ndim != 1 or w.shape[0] != a.shape[0]:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    dt = np.float32 if w.dtype == np.float32 else np.float64
    return _out(np.bincount(a.astype(np.int64), weights=w.astype(np.float64), minlength=minlength), dt)


def _range_of(a: np.ndarray, lo: Any, hi: Any, pad: float) -> tuple:
    """[lo, hi], the data's range when they are equal, widened by ``pad`` each side if still empty."""
    lo, hi = a.dtype.type(lo), a.dtype.type(hi)
    if lo == hi and a.size:
        lo, hi = a.min(), a.max()
    if lo == hi:
        lo, hi = lo - a.dtype.type(pad), hi + a.dtype.type(pad)
    return lo, hi


def _histc(x: Tensor, bins: int, min: Any, max: Any) -> Tensor:
    a = x._data
    if a.dtype.kind != "f":
        raise NotImplementedError(f"\"histogram_cpu\" not implemented for '{_dtype.legacy_name(x.dtype)}'")
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    if min > max:
        raise RuntimeError("torch.histc: max must be larger than min")
    if not (np.isfinite(min) and np.isfinite(max)):
        raise RuntimeError(f"torch.histc(): range of [{min}, {max}] is not finite")
    flat = a.reshape(-1)
    lo, hi = _range_of(flat, min, max, 1)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"torch.histc(): range of [{lo}, {hi}] is not finite")
    edges = np.linspace(lo, hi, bins + 1).astype(a.dtype)
    return _out(_count_in_bins(flat, edges, None), a.dtype)


def _count_in_bins(flat: np.ndarray, edges: np.ndarray, weight: np.ndarray | None) -> np.ndarray:
    """torch's histogramdd kernel for one dim with linear bins: pos = (x - lo) * bins / (hi - lo), moved one
    bin down or up where the edges disagree, the last edge inclusive; values outside (and NaN) are dropped."""
    bins = edges.size - 1
    lo, hi = edges[0], edges[-1]
    keep = (flat >= lo) & (flat <= hi)
    v = flat[keep]
    pos = ((v - lo) * bins / (hi - lo)).astype(np.int64)
    pos = np.clip(pos, 0, bins)
    pos = np.where(pos == bins, bins - 1, pos)
    pos = np.where(v < edges[pos], pos - 1, pos)
    pos = np.where((pos + 1 < bins) & (v >= edges[np.minimum(pos + 1, bins)]), pos + 1, pos)
    w = None if weight is None else weight.reshape(-1)[keep]
    return np.bincount(pos, weights=w, minlength=bins)[:bins]


def _histogram(x: Tensor, bins: Any, range: Any, weight: Tensor | None, density: bool) -> Any:
    a = x._data
    if a.dtype.kind != "f":
        raise NotImplementedError(f"\"histogram_cpu\" not implemented for '{_dtype.legacy_name(x.dtype)}'")
    flat = a.reshape(-1)
    w = None if weight is None else weight._data
    if isinstance(bins, Tensor):
        edges = bins._data.astype(a.dtype)
        hist = np.zeros(edges.size - 1, np.float64)
        if edges.size > 1:
            idx = np.searchsorted(edges, flat, side="right") - 1
            idx = np.where(flat == edges[-1], edges.size - 2, idx)
            ok = (idx >= 0) & (idx < edges.size - 1)
            hist = np.bincount(idx[ok], weights=None if w is None else w.reshape(-1)[ok], minlength=edges.size - 1)
    else:
        if bins <= 0:
            raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
        lo, hi = _range_of(flat, *(range if range is not None else (0, 0)), 0.5)
        edges = np.linspace(lo, hi, bins + 1).astype(a.dtype)
        hist = _count_in_bins(flat, edges, w)
    hist = hist.astype(a.dtype)
    if density:
        hist = hist / (hist.sum() * np.diff(edges))
    return histogram_result(_out(hist, a.dtype), _out(edges, a.dtype))


def _searchsorted(seq: Tensor, values: Any, out_int32: bool, right: bool | None, side: str | None,
                  sorter: Tensor | None) -> Tensor:
    if side is not None and side not in ("left", "right"):
        raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
    if side is not None and right is not None and right and side == "left":
        raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got side of left "
                           "while right was True")
    use_right = side == "right" if side is not None else bool(right)
    s = seq._data
    scalar = not isinstance(values, Tensor)
    v = np.asarray(values) if scalar else values._data
    if scalar and s.ndim != 1:
        raise RuntimeError("torch.searchsorted(): input value can be a scalar only when boundaries tensor dimension "
                           f"is 1, but we got boundaries tensor dim({s.ndim}) and input value's dim(0) numel(1)")
    if sorter is not None:
        if sorter._data.shape != s.shape:
            raise RuntimeError("torch.searchsorted(): boundary and sorter must have the same size, but got boundary "
                               f"tensor {list(s.shape)}and got sorter tensor {list(sorter._data.shape)}")
        srt = sorter._data
        if srt.size and (srt.min() < 0 or srt.max() >= s.shape[-1]):
            raise RuntimeError("torch.searchsorted(): sorter index out of range")
        s = np.take_along_axis(s, srt.astype(np.int64), axis=-1)
    if s.ndim != 1 and s.shape[:-1] != v.shape[:-1]:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions"
                           f" of boundaries tensor and input value tensor must match, but we got boundaries tensor "
                           f"{list(s.shape)} and input value tensor {list(v.shape)}")
    ct = np.result_type(s.dtype, v.dtype)
    s, v = s.astype(ct), v.astype(ct)
    how = "right" if use_right else "left"
    if s.ndim == 1:
        res = np.searchsorted(s, v, side=how)
    else:
        sr, vr = s.reshape(-1, s.shape[-1]), v.reshape(-1, v.shape[-1])
        res = np.stack([np.searchsorted(sr[i], vr[i], side=how) for i in range(sr.shape[0])]).reshape(v.shape) \
            if sr.shape[0] else np.zeros(v.shape, np.int64)
    return _out(res, np.int32 if out_int32 else np.int64)


def searchsorted(sorted_sequence: Tensor, input: Any, *, out_int32: bool = False, right: bool = False,
                 side: str | None = None, sorter: Tensor | None = None) -> Tensor:
    """For each value of ``input``, the index where it would be inserted into the innermost rows of
    ``sorted_sequence`` to keep them sorted (the first such index, or the last with ``right``/``side='right'``)."""
    _tensor_arg(sorted_sequence, "searchsorted", "sorted_sequence", 1)
    return _searchsorted(sorted_sequence, input, out_int32, right, side, sorter)


def bucketize(input: Any, boundaries: Tensor, *, out_int32: bool = False, right: bool = False) -> Tensor:
    """The index of the bucket of ``boundaries`` (1-d, sorted) each element of ``input`` falls in."""
    _tensor_arg(boundaries, "bucketize", "boundaries", 2)
    if boundaries._data.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries._data.ndim})")
    return _searchsorted(boundaries, input, out_int32, right, None, None)


def isin(elements: Any, test_elements: Any, *, assume_unique: bool = False, invert: bool = False) -> Tensor:
    """True where an element of ``elements`` is in ``test_elements`` (False with ``invert``); either may be
    a scalar."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError("isin() received an invalid combination of arguments - got "
                        f"({type(elements).__name__}, {type(test_elements).__name__}), but expected one of:\n"
                        " * (Tensor elements, Tensor test_elements, *, bool assume_unique = False, bool invert = "
                        "False, Tensor out = None)\n")
    e = elements._data if isinstance(elements, Tensor) else np.asarray(elements)
    t = test_elements._data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    if isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        t = np.asarray(test_elements, _dtype.result_type(elements, test_elements).np)
    elif isinstance(test_elements, Tensor) and not isinstance(elements, Tensor):
        e = np.asarray(elements, _dtype.result_type(test_elements, elements).np)
    ct = np.result_type(e.dtype, t.dtype)
    return _out(np.isin(e.astype(ct), t.astype(ct).reshape(-1), invert=invert), np.bool_)


def count_nonzero(input: Tensor, dim: Any = None) -> Tensor:
    """The number of non-zero elements (over ``dim``, int or tuple, or all)."""
    _tensor_arg(input, "count_nonzero", "input", 1)
    a = input._data
    axes = None if dim is None else _dims(dim, a.ndim)
    return _out(np.count_nonzero(a, axis=axes) if a.ndim else int(a != 0))


class SearchingMethods:
    """The Tensor methods of searching and counting; minitorch/__init__.py joins them to Tensor."""

    def unique(self, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,
               dim: int | None = None) -> Any:
        """The unique elements (see ``minitorch.unique``)."""
        return unique(self, sorted, return_inverse, return_counts, dim)

    def unique_consecutive(self, return_inverse: bool = False, return_counts: bool = False,
                           dim: int | None = None) -> Any:
        """Runs of equal consecutive elements kept once (see ``minitorch.unique_consecutive``)."""
        return unique_consecutive(self, return_inverse, return_counts, dim)

    def bincount(self, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
        """The count (or summed weight) of each value of a 1-d non-negative integer tensor."""
        return _bincount(self, weights, minlength)

    def histc(self, bins: int = 100, min: numbers.Real = 0, max: numbers.Real = 0) -> Tensor:
        """A histogram of ``bins`` equal-width bins over [min, max] (the data's range when min == max)."""
        return _histc(self, bins, min, max)

    def histogram(self, bins: Any = 100, *, range: Any = None, weight: Tensor | None = None,
                  density: bool = False) -> Any:
        """(hist, bin_edges): counts in ``bins`` equal bins (or between the given edges)."""
        return _histogram(self, bins, range, weight, density)

    def nonzero(self, *, as_tuple: bool = False) -> Any:
        """The indices of the non-zero elements: an (n, ndim) tensor, or one 1-d tensor per dim."""
        a = self._data
        if a.ndim == 0:
            n = int(a != 0)
            return (_out(np.zeros(n)),) if as_tuple else _out(np.zeros((n, 0)))
        idx = np.nonzero(a)
        return tuple(_out(i) for i in idx) if as_tuple else _out(np.stack(idx, axis=1))

    def argwhere(self) -> Tensor:
        """``nonzero()``: the (n, ndim) indices of the non-zero elements."""
        return self.nonzero()

    def count_nonzero(self, dim: Any = None) -> Tensor:
        """The number of non-zero elements (over ``dim``, or all)."""
        return count_nonzero(self, dim)
