"""torch's "other operations" that compose minitorch's ops: ``renorm``, the trapezoid rules (``trapezoid``,
``trapz``, ``cumulative_trapezoid``), ``cov``/``corrcoef`` and ``gradient`` (numpy.gradient's finite
differences). Each is differentiable through the ops it is made of."""
from __future__ import annotations

import numbers
import warnings
from typing import Any, Sequence

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.ops._args import _tensor_arg
from minitorch.ops.indexing import where
from minitorch.ops.shape import cat


def _float(x: Tensor) -> Tensor:
    return x if x.dtype.is_floating_point else x.to(_dtype.get_default_dtype())


def _wrap_dim(dim: int, ndim: int) -> int:
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


def renorm(input: Tensor, p: float, dim: int, maxnorm: float) -> Tensor:
    """Each slice ``input.select(dim, i)`` whose p-norm exceeds ``maxnorm`` scaled down to norm ``maxnorm``
    (by ``maxnorm / (norm + 1e-7)``, as torch)."""
    _tensor_arg(input, "renorm", "input", 1)
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                           f"{_dtype.legacy_name(input.dtype)}")
    if input.dim() < 2:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {input.dim()} dimensions")
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    dim = _wrap_dim(dim, input.dim())
    others = tuple(d for d in range(input.dim()) if d != dim)
    if p == float("inf"):
        norm = input.abs().amax(others, keepdim=True)
    else:
        norm = input.abs().pow(p).sum(others, keepdim=True).pow(1.0 / p)
    factor = where(norm > maxnorm, maxnorm / (norm + 1e-7), norm.new_ones(()))
    return input * factor


# --- the trapezoid rules ------------------------------------------------------------------------------------


def _intervals(fn: str, y: Tensor, x: Tensor | None, dx: Any, dim: int) -> tuple:
    """(the mean of each interval's end values, each interval's width or None for ``dx``, the wrapped dim)."""
    _tensor_arg(y, fn, "y", 1)
    dim = _wrap_dim(dim, y.dim())
    y = _float(y)
    n = y.shape[dim] if y.dim() else 1
    mid = (y.narrow(dim, 1, n - 1) + y.narrow(dim, 0, n - 1)) * 0.5 if n > 0 else y
    if x is None:
        return mid, None, dim
    if x.dim() == 1:
        if x.shape[0] != n:
            raise RuntimeError(f"{fn}: There must be one `x` value for each sample point")
        shape = [1] * y.dim()
        shape[dim] = n
        x = x.view(shape)
    width = x.diff(dim=dim)
    return mid, width, dim


def trapezoid(y: Tensor, x: Tensor | None = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """The trapezoid rule along ``dim``: with sample points ``x`` or a constant spacing ``dx`` (default 1)."""
    if x is not None and dx is not None:
        raise TypeError("trapezoid() received an invalid combination of arguments - got both x and dx")
    mid, width, dim = _intervals("trapezoid", y, x, dx, dim)
    if y.dim() and y.shape[dim] == 0:
        return mid.sum(dim) * 0
    if width is None:
        return mid.sum(dim) * (1 if dx is None else dx)
    return (mid * width).sum(dim)


def trapz(y: Tensor, x: Tensor | None = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """``trapezoid`` (torch's older name)."""
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y: Tensor, x: Tensor | None = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """The running trapezoid-rule integral along ``dim`` (one fewer element than ``y`` there)."""
    if x is not None and dx is not None:
        raise TypeError("cumulative_trapezoid() received an invalid combination of arguments - got both x and dx")
    mid, width, dim = _intervals("cumulative_trapezoid", y, x, dx, dim)
    if y.dim() and y.shape[dim] == 0:
        return mid
    area = mid * (1 if dx is None else dx) if width is None else mid * width
    return area.cumsum(dim)


# --- covariance ---------------------------------------------------------------------------------------------


def cov(input: Tensor, *, correction: int = 1, fweights: Tensor | None = None,
        aweights: Tensor | None = None) -> Tensor:
    """The covariance matrix of the variables in the rows of ``input`` (observations in the columns), with
    frequency weights ``fweights`` and observation weights ``aweights``."""
    _tensor_arg(input, "cov", "input", 1)
    if input.dim() > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an input with "
                           f"{input.dim()} dimensions")
    obs = _float(input)
    obs = obs.view(1, -1) if obs.dim() < 2 else obs
    n = obs.shape[1]
    w = None
    for name, wt, integral in (("fweights", fweights, True), ("aweights", aweights, False)):
        if wt is None:
            continue
        if wt.dim() > 1:
            raise RuntimeError(f"cov(): expected {name} to have one or fewer dimensions but got {name} with "
                               f"{wt.dim()} dimensions")
        if integral and (wt.dtype.is_floating_point or wt.dtype == _dtype.bool_):
            raise RuntimeError(f"cov(): expected fweights to have integral dtype but got fweights with "
                               f"{_dtype.legacy_name(wt.dtype)} dtype")
        if not integral and not wt.dtype.is_floating_point:
            raise RuntimeError(f"cov(): expected aweights to have floating point dtype but got aweights with "
                               f"{_dtype.legacy_name(wt.dtype)} dtype")
        if wt.numel() != n:
            raise RuntimeError(f"cov(): expected {name} to have the same numel as there are observations in the "
                               f"input but got {wt.numel()} != {n}")
        if bool((wt._data < 0).any()):
            raise RuntimeError(f"cov(): {name} cannot be negative")
        w = wt if w is None else w * wt
    if w is None:
        avg, w_sum = obs.mean(1), None
    else:
        w = w.to(obs.dtype) if not w.dtype.is_floating_point else w
        w_sum = w.sum()
        avg = (obs * w).sum(1) / w_sum
    if w is None:
        norm = float(n - correction)
    elif correction == 0:
        norm = w_sum
    elif aweights is None:
        norm = w_sum - correction
    else:
        norm = w_sum - correction * (w * aweights).sum() / w_sum
    if float(norm) <= 0:
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of "
                      "observations.", UserWarning, stacklevel=2)
        norm = 0.0 if not isinstance(norm, Tensor) else norm * 0
    centered = obs - avg.unsqueeze(1)
    c = centered.mm((centered if w is None else centered * w).t())
    return (c / norm).squeeze()


def corrcoef(input: Tensor) -> Tensor:
    """The Pearson correlation coefficients of the variables in the rows of ``input``, clipped to [-1, 1]."""
    _tensor_arg(input, "corrcoef", "input", 1)
    c = cov(input)
    if c.dim() == 0:
        return c / c
    std = c.diagonal().sqrt()
    c = c / std.unsqueeze(1) / std.unsqueeze(0)
    return c.clamp(-1, 1)


# --- gradient -----------------------------------------------------------------------------------------------


def _along(coef: np.ndarray, dim: int, ndim: int, dtype: Any) -> Tensor:
    shape = [1] * ndim
    shape[dim] = coef.shape[0]
    return Tensor._make(coef.astype(dtype.np).reshape(shape))


def _gradient_dim(f: Tensor, dim: int, coords: np.ndarray | None, h: float, edge_order: int) -> Tensor:
    """numpy.gradient's second-order central differences along ``dim`` (one-sided ``edge_order`` at the ends),
    at sample coordinates ``coords`` or with uniform spacing ``h``."""
    n, nd, dt = f.shape[dim], f.dim(), f.dtype

    def part(start: int, length: int) -> Tensor:
        return f.narrow(dim, start, length)

    if coords is None:
        interior = (part(2, n - 2) - part(0, n - 2)) / (2 * h)
        if edge_order == 1:
            first = (part(1, 1) - part(0, 1)) / h
            last = (part(n - 1, 1) - part(n - 2, 1)) / h
        else:
            first = (part(0, 1) * -1.5 + part(1, 1) * 2 - part(2, 1) * 0.5) / h
            last = (part(n - 3, 1) * 0.5 - part(n - 2, 1) * 2 + part(n - 1, 1) * 1.5) / h
        return cat([first, interior, last], dim)
    d = np.diff(coords.astype(np.float64))
    d1, d2 = d[:-1], d[1:]
    a, b, c = -d2 / (d1 * (d1 + d2)), (d2 - d1) / (d1 * d2), d1 / (d2 * (d1 + d2))
    interior = (part(0, n - 2) * _along(a, dim, nd, dt) + part(1, n - 2) * _along(b, dim, nd, dt)
                + part(2, n - 2) * _along(c, dim, nd, dt))
    if edge_order == 1:
        first = (part(1, 1) - part(0, 1)) / float(d[0])
        last = (part(n - 1, 1) - part(n - 2, 1)) / float(d[-1])
    else:
        x1, x2 = float(d[0]), float(d[1])
        first = (part(0, 1) * (-(2 * x1 + x2) / (x1 * (x1 + x2))) + part(1, 1) * ((x1 + x2) / (x1 * x2))
                 + part(2, 1) * (-x1 / (x2 * (x1 + x2))))
        x1, x2 = float(d[-2]), float(d[-1])
        last = (part(n - 3, 1) * (x2 / (x1 * (x1 + x2))) + part(n - 2, 1) * (-(x2 + x1) / (x1 * x2))
                + part(n - 1, 1) * ((2 * x2 + x1) / (x2 * (x1 + x2))))
    return cat([first, interior, last], dim)


def gradient(input: Tensor, *, spacing: Any = 1, dim: Any = None, edge_order: int = 1) -> tuple:
    """The gradient of ``input`` sampled on a grid, by central differences in the interior and one-sided
    differences (of order ``edge_order``) at the boundaries, along each of ``dim`` (default all dims).

    ``spacing``: one number for every dim, a list of numbers (one per dim), or a list of 1-D coordinate
    tensors (one per dim)."""
    _tensor_arg(input, "gradient", "input", 1)
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    dims = list(range(input.dim())) if dim is None else [dim] if isinstance(dim, int) else list(dim)
    dims = [_wrap_dim(d, input.dim()) for d in dims]
    for i, d in enumerate(dims):
        if d in dims[:i]:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    spacing = 1 if spacing is None else spacing
    if isinstance(spacing, (numbers.Number, Tensor)) and not (isinstance(spacing, Tensor) and spacing.dim() > 0):
        spacings: Sequence = [spacing] * len(dims)
    else:
        spacings = list(spacing)
        if len(spacings) != len(dims):
            raise RuntimeError(f"torch.gradient expected spacing to be unspecified, a scalar, or a list of length "
                               f"equal to 'self.dim() = {input.dim()}', since dim argument was not given, but got a "
                               f"list of length {len(spacings)}" if dim is None else
                               f"torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim "
                               f"arguments to have the same length, but got a spacing argument of length "
                               f"{len(spacings)} and a dim argument of length {len(dims)}.")
    for d in dims:
        if input.shape[d] < edge_order + 1:
            raise RuntimeError("torch.gradient expected each dimension size to be at least edge_order+1")
    f = _float(input)
    out = []
    for d, s in zip(dims, spacings):
        if isinstance(s, Tensor) and s.dim() == 1:
            if s.shape[0] != input.shape[d]:
                raise RuntimeError(f"torch.gradient expected each tensor to be on the same device and to have the "
                                   f"same size as the input along dim {d}, but got {s.shape[0]} and "
                                   f"{input.shape[d]}")
            out.append(_gradient_dim(f, d, s._data, 1.0, edge_order))
        else:
            out.append(_gradient_dim(f, d, None, float(s.item() if isinstance(s, Tensor) else s), edge_order))
    return tuple(out)


class OtherExtraMethods:
    """The Tensor methods of this family."""

    def renorm(self, p: float, dim: int, maxnorm: float) -> "Tensor":
        """Slices along ``dim`` with p-norm over ``maxnorm`` scaled down to it."""
        return renorm(self, p, dim, maxnorm)

    def renorm_(self, p: float, dim: int, maxnorm: float) -> "Tensor":
        """``renorm`` in place."""
        return self.copy_(renorm(self.clone(), p, dim, maxnorm))

    def cov(self, *, correction: int = 1, fweights: "Tensor | None" = None,
            aweights: "Tensor | None" = None) -> "Tensor":
        """The covariance matrix of the variables in the rows."""
        return cov(self, correction=correction, fweights=fweights, aweights=aweights)

    def corrcoef(self) -> "Tensor":
        """The Pearson correlation coefficients of the variables in the rows."""
        return corrcoef(self)
