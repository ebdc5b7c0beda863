"""Scans along a dim: cumprod, cummax, cummin, logcumsumexp (cumsum is in reduction.py)."""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor, _dim
from minitorch.autograd.function import Op
from minitorch.autograd.inplace import run_inplace
from minitorch.ops.indexing import ScatterAdd, where
from minitorch.ops.sorting import result_type

cummax_result = result_type("cummax", "values", "indices")
cummin_result = result_type("cummin", "values", "indices")


def _reversed_cumsum(a: Any, dim: int) -> Any:
    if isinstance(a, Tensor):
        return a.flip(dim).cumsum(dim).flip(dim)
    return np.flip(np.cumsum(np.flip(a, dim), axis=dim), dim)


def _cumprod_grad_arrays(x: np.ndarray, y: np.ndarray, g: np.ndarray, dim: int) -> np.ndarray:
    """dL/dx_j = sum_{i >= j} g_i prod_{k <= i, k != j} x_k, in O(n) (torch's cumprod_backward without grad mode):
    before the first zero z1 it is reversed_cumsum(g y)_j / x_j; at z1 it is
    prod_{k < z1} x_k * sum_{z1 <= i < z2} g_i prod_{z1 < k <= i} x_k; after z1 it is 0."""
    zero = x == 0
    if not zero.any():
        return _reversed_cumsum(g * y, dim) / x
    count = np.cumsum(zero, axis=dim)
    before = count == 0
    one = x.dtype.type(1)
    out = np.where(before, _reversed_cumsum(g * y, dim) / np.where(before, x, one), 0).astype(x.dtype)
    first = zero & (count == 1)
    between = (count == 1) & ~zero
    pre = np.prod(np.where(before, x, one), axis=dim, keepdims=True)
    part = np.sum(np.cumprod(np.where(between, x, one), axis=dim) * np.where(count == 1, g, 0), axis=dim,
                  keepdims=True)
    return np.where(first, pre * part, out)


def _cumprod_grad_tensors(x: Tensor, y: Tensor, g: Tensor, dim: int) -> Tensor:
    """The same gradient as differentiable Tensor ops (for create_graph): without zeros
    reversed_cumsum(g y) / x; with zeros the O(n^2) sum over j of g_i * cumprod(x with x_j := 1)_i for i >= j,
    which is smooth in every x (torch's second-order path)."""
    if not bool((x._data == 0).any()):
        return _reversed_cumsum(g * y, dim) / x
    n = x.shape[dim]
    xs, gs = x.movedim(dim, -1), g.movedim(dim, -1)
    eye = Tensor._make(np.eye(n, dtype=bool))
    rows = where(eye, Tensor._make(np.ones((), x._data.dtype)), xs.unsqueeze(-2).expand(*xs.shape[:-1], n, n))
    upper = Tensor._make(np.triu(np.ones((n, n), x._data.dtype)))
    out = (Cumprod.apply(rows, rows.ndim - 1) * gs.unsqueeze(-2) * upper).sum(-1)
    return out.movedim(-1, dim)


class Cumprod(Op):
    """y_i = prod_{j <= i} x_j along dim;  dL/dx_j = sum_{i >= j} dL/dy_i prod_{k <= i, k != j} x_k
    (zeros handled as torch's cumprod_backward)."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        y = np.cumprod(x, axis=dim, dtype=x.dtype)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        if x.ndim == 0 or x.shape[ctx.dim] <= 1:
            return grad, None
        if isinstance(grad, Tensor):
            return _cumprod_grad_tensors(x, y, grad, ctx.dim), None
        return _cumprod_grad_arrays(x, y, grad, ctx.dim), None


class _CumExtremum(Op):
    """y_i = max (or min) of x_j for j <= i;  dL/dx = dL/dy scatter-added at the running arg-extremum."""

    @staticmethod
    def forward(ctx, x, dim, values, idx):
        ctx.shape, ctx.dim, ctx.idx = x.shape, dim, idx
        return values

    @staticmethod
    def backward(ctx, grad):
        return ScatterAdd.apply(grad, ctx.shape, ctx.dim, ctx.idx), None, None, None


class Cummax(_CumExtremum):
    """y_i = max_{j <= i} x_j;  dL/dx = dL/dy scatter-added at the running argmax."""


class Cummin(_CumExtremum):
    """y_i = min_{j <= i} x_j;  dL/dx = dL/dy scatter-added at the running argmin."""


def _cum_extremum(x: Tensor, dim: int, largest: bool) -> Any:
    """torch's cummax/cummin kernel: an element replaces the running value when it is a NaN, or when the
    running value is not NaN and the element is >= (<=) it, so ties report the last index."""
    d = _dim(dim, x.ndim)
    a = x._data.reshape(1) if x._data.ndim == 0 else x._data
    if a.dtype == np.bool_:
        values = (np.logical_or if largest else np.logical_and).accumulate(a, axis=d)
    else:
        values = (np.maximum if largest else np.minimum).accumulate(a, axis=d)
    hit = (a == values) | (np.isnan(a) if a.dtype.kind == "f" else False)
    shape = [1] * a.ndim
    shape[d] = a.shape[d] if a.ndim else 1
    pos = np.arange(a.shape[d] if a.ndim else 1).reshape(shape)
    idx = np.maximum.accumulate(np.where(hit, pos, 0), axis=d).astype(np.int64) if a.size else \
        np.zeros(a.shape, np.int64)
    op, cls = (Cummax, cummax_result) if largest else (Cummin, cummin_result)
    if x._data.ndim == 0:
        return cls(op.apply(x.unsqueeze(0), 0, values, idx).squeeze(0), Tensor._make(np.zeros((), np.int64)))
    return cls(op.apply(x, d, values, idx), Tensor._make(idx))


class Logcumsumexp(Op):
    """y_i = log sum_{j <= i} exp(x_j);  dL/dx_j = sum_{i >= j} dL/dy_i exp(x_j - y_i), computed in log space
    for the positive and negative parts of the gradient as torch's logcumsumexp_backward."""

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        y = np.logaddexp.accumulate(x, axis=dim) if x.size else x.copy()
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        d = ctx.dim
        lowest = Tensor._make(np.asarray(np.finfo(grad._data.dtype).min, grad._data.dtype))
        log_abs = grad.abs().log()

        def reverse_lcse(t: Tensor) -> Tensor:
            return Logcumsumexp.apply(t.flip(d), d).flip(d)

        pos = (reverse_lcse(where(grad > 0, log_abs, lowest) - y) + x).exp()
        neg = (reverse_lcse(where(grad < 0, log_abs, lowest) - y) + x).exp()
        return pos - neg, None


class ScanMethods:
    """The Tensor methods of the scans; minitorch/__init__.py joins them to Tensor."""

    def cumprod(self, dim: int, *, dtype: Any = None) -> Tensor:
        """The cumulative product along ``dim``; integer and bool inputs give int64."""
        x = self if dtype is None else self.to(dtype)
        if x._data.dtype.kind in "biu" and dtype is None:
            x = x.to(_dtype.int64)
        d = _dim(dim, self.ndim)
        if x._data.ndim == 0:
            return Cumprod.apply(x.unsqueeze(0), 0).squeeze(0)
        return Cumprod.apply(x, d)

    def cumsum_(self, dim: int, *, dtype: Any = None) -> Tensor:
        """In-place ``cumsum``."""
        return run_inplace(self, lambda x: x.cumsum(dim, dtype=dtype).to(self.dtype))

    def cumprod_(self, dim: int, *, dtype: Any = None) -> Tensor:
        """In-place ``cumprod``."""
        return run_inplace(self, lambda x: x.cumprod(dim, dtype=dtype).to(self.dtype))

    def cummax(self, dim: int) -> Any:
        """(values, indices) of the running maximum along ``dim``."""
        return _cum_extremum(self, dim, True)

    def cummin(self, dim: int) -> Any:
        """(values, indices) of the running minimum along ``dim``."""
        return _cum_extremum(self, dim, False)

    def logcumsumexp(self, dim: int) -> Tensor:
        """log(cumsum(exp(x))) along ``dim``, computed stably; integer inputs give the default float dtype."""
        x = self if self._data.dtype.kind == "f" else self.to(_dtype.get_default_dtype())
        d = _dim(dim, self.ndim)
        if x._data.ndim == 0:
            return Logcumsumexp.apply(x.unsqueeze(0), 0).squeeze(0)
        return Logcumsumexp.apply(x, d)
