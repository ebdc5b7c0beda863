"""``histogramdd``: the histogram of N-dimensional points (the rows of an (..., N) tensor) in a grid of bins,
each dim binned by torch's rule (every bin holds its left edge, the last also its right one; points outside
and NaNs are dropped). Counts take no gradient."""
from __future__ import annotations

import builtins
import operator
from collections import namedtuple
from typing import Any, Sequence

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.ops._args import _tensor_arg
from minitorch.ops.searching import _range_of

HistogramddResult = namedtuple("histogramdd", ["hist", "bin_edges"])


def _bin_of(v: np.ndarray, edges: np.ndarray, linear: bool) -> np.ndarray:
    """The bin of each value among ``edges`` (-1 outside): by position for equal-width bins (moved one down or
    up where the rounded edges disagree), by search among explicit edges."""
    bins = edges.size - 1
    idx = np.full(v.shape, -1, np.int64)
    if bins < 1:
        return idx
    keep = (v >= edges[0]) & (v <= edges[-1])
    x = v[keep]
    if linear:
        pos = np.clip(((x - edges[0]) * bins / (edges[-1] - edges[0])).astype(np.int64), 0, bins)
        pos = np.where(pos == bins, bins - 1, pos)
        pos = np.where(x < edges[pos], pos - 1, pos)
        pos = np.where((pos + 1 < bins) & (x >= edges[np.minimum(pos + 1, bins)]), pos + 1, pos)
    else:
        pos = np.minimum(np.searchsorted(edges, x, side="right") - 1, bins - 1)
    idx[keep] = pos
    return idx


def histogramdd(input: Tensor, bins: Any, *, range: Sequence[float] | None = None, weight: Tensor | None = None,
                density: bool = False) -> Any:
    """(hist, bin_edges) of the points in the rows of ``input``: ``bins`` an int (for every dim), N ints, or N
    1-D tensors of edges; ``range`` (lo_0, hi_0, lo_1, hi_1, ...) for the equal-width bins (default the data's);
    ``weight`` per point; ``density`` to normalize to a probability density over the grid."""
    _tensor_arg(input, "histogramdd", "input", 1)
    a = input._data
    if a.dtype.kind != "f":
        raise NotImplementedError(f"\"histogramdd\" not implemented for '{_dtype.legacy_name(input.dtype)}'")
    if a.ndim < 2:
        raise RuntimeError("torch.histogramdd: input tensor should have at least 2 dimensions")
    n = a.shape[-1]
    pts = a.reshape(-1, n)
    explicit = isinstance(bins, (list, tuple)) and bins and isinstance(bins[0], Tensor)
    counts = [bins] * n if isinstance(bins, int) else list(bins)
    if len(counts) != n:
        raise RuntimeError("histogramdd: The size of bins must be equal to the innermost dimension of the input.")
    if range is not None and len(range) != 2 * n:
        raise RuntimeError(f"torch.histogramdd: for a {n}-dimensional histogram range should have {2 * n} "
                           f"elements, but got {len(range)}")
    edges, flat, keep = [], np.zeros(pts.shape[0], np.int64), np.ones(pts.shape[0], bool)
    for d in builtins.range(n):  # (``range`` is the argument)
        col = pts[:, d]
        if explicit:
            e = counts[d]._data.astype(a.dtype)
        else:
            k = operator.index(counts[d])
            if k <= 0:
                raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {k} for dimension {d}")
            lo, hi = _range_of(col, *((range[2 * d], range[2 * d + 1]) if range is not None else (0, 0)), 0.5)
            e = np.linspace(lo, hi, k + 1).astype(a.dtype)
        idx = _bin_of(col, e, not explicit)
        keep &= idx >= 0
        flat = flat * max(e.size - 1, 0) + np.maximum(idx, 0)
        edges.append(e)
    shape = tuple(max(e.size - 1, 0) for e in edges)
    w = None if weight is None else weight._data.reshape(-1)[keep]
    hist = np.bincount(flat[keep], weights=w, minlength=int(np.prod(shape))).astype(a.dtype).reshape(shape)
    if density:
        widths = np.ones(shape)
        for d, e in enumerate(edges):
            view = [1] * n
            view[d] = shape[d]
            widths = widths * np.diff(e).reshape(view)
        hist = (hist / (hist.sum() * widths)).astype(a.dtype)
    return HistogramddResult(Tensor._make(hist), [Tensor._make(e) for e in edges])

