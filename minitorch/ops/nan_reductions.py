"""Reductions that skip NaNs or return two results: nansum, nanmean, var_mean, std_mean, aminmax."""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor, _dim, _rdims
from minitorch.autograd.function import Op
from minitorch.ops._args import _invalid_args
from minitorch.ops.reduction import _expand_back
from minitorch.ops.sorting import result_type

aminmax_result = result_type("aminmax", "min", "max")


class Nansum(Op):
    """y = sum of the non-NaN x over dims;  dy/dx = 1 where x is not NaN, 0 where it is."""

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        ctx.kept = ~np.isnan(x) if x.dtype.kind == "f" else np.ones(x.shape, bool)
        return np.asarray(np.nansum(x, axis=dims, keepdims=keepdim), x.dtype)

    @staticmethod
    def backward(ctx, grad):
        g = _expand_back(grad, ctx.shape, ctx.dims, ctx.keepdim)
        return g * Tensor._make(ctx.kept.astype(grad._data.dtype)), None, None


_VAR_MEAN_SIGNATURES = ("Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False",
                        "Tensor input, tuple of ints dim = None, *, Number correction = None, bool keepdim = False",
                        "Tensor input, bool unbiased = True")


def _check_input(x: Any, fn: str) -> None:
    if not isinstance(x, Tensor):
        raise _invalid_args(fn, (x,), _VAR_MEAN_SIGNATURES)
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"{fn} only support floating point and complex dtypes")


def _var_args(dim: Any, unbiased: Any, keepdim: bool, correction: Any) -> tuple:
    """torch's overloads: ``(dim, unbiased, keepdim)``, ``(unbiased)`` and ``(dim, *, correction, keepdim)``."""
    if isinstance(dim, bool):  # var_mean(x, True): the unbiased overload
        dim, unbiased = None, dim
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    return dim, keepdim, correction


def var_mean(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
             correction: Any = None) -> tuple:
    """(var, mean) over ``dim`` with ``correction`` (1 by default; ``unbiased=False`` is 0)."""
    _check_input(input, "var_mean")
    dim, keepdim, correction = _var_args(dim, unbiased, keepdim, correction)
    return input.var(dim, keepdim=keepdim, correction=correction), input.mean(dim, keepdim=keepdim)


def std_mean(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
             correction: Any = None) -> tuple:
    """(std, mean) over ``dim`` with ``correction`` (1 by default; ``unbiased=False`` is 0)."""
    _check_input(input, "std_mean")
    dim, keepdim, correction = _var_args(dim, unbiased, keepdim, correction)
    return input.std(dim, keepdim=keepdim, correction=correction), input.mean(dim, keepdim=keepdim)


class NanReductionMethods:
    """The Tensor methods of the NaN-skipping and two-result reductions; minitorch/__init__.py joins them."""

    def nansum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        """The sum over ``dim`` (all dims by default) treating NaN as zero; integer and bool inputs give int64."""
        x = self if dtype is None else self.to(dtype)
        if x._data.dtype.kind in "biu" and dtype is None:
            x = x.to(_dtype.int64)
        return Nansum.apply(x, _rdims(dim, self.ndim), keepdim)

    def nanmean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        """The mean of the non-NaN elements over ``dim`` (nansum / the count of non-NaN elements)."""
        x = self if dtype is None else self.to(dtype)
        if x._data.dtype.kind != "f":
            raise RuntimeError("nanmean(): expected input to have floating point or complex dtype but got "
                               f"{_dtype.legacy_name(x.dtype)}")
        count = (~x.isnan()).sum(dim, keepdim=keepdim)
        return x.nansum(dim, keepdim=keepdim) / count.to(x.dtype)

    def aminmax(self, *, dim: int | None = None, keepdim: bool = False) -> Any:
        """(min, max) over ``dim`` (or all elements); ties share each gradient evenly as amin/amax."""
        if dim is None and self._data.size == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                               "identity.")
        if dim is not None and self._data.ndim and self._data.shape[_dim(dim, self.ndim)] == 0:
            raise IndexError(f"aminmax: Expected reduction dim {_dim(dim, self.ndim)} to have non-zero size.")
        d = () if dim is None else dim
        if dim is None and keepdim:
            return aminmax_result(self.amin(d, keepdim=True), self.amax(d, keepdim=True))
        if self._data.ndim == 0:
            return aminmax_result(self.clone(), self.clone())
        return aminmax_result(self.amin(d, keepdim=keepdim), self.amax(d, keepdim=keepdim))
