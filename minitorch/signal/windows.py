"""``minitorch.signal.windows``: torch.signal.windows' window functions (scipy.signal.windows' formulas).

Each takes the window length ``M`` and ``sym`` (True: a symmetric window for filter design; False: periodic,
for spectral analysis, as the first ``M`` points of a symmetric window of ``M + 1``), and returns a 1-D float
tensor computed in its ``dtype`` (float32 or float64) as torch does."""
from __future__ import annotations

import math
from typing import Any, Iterable

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor

__all__ = [
    "bartlett", "blackman", "cosine", "exponential", "gaussian", "general_cosine", "general_hamming", "hamming",
    "hann", "kaiser", "nuttall",
]


def _check(fn: str, M: int, dtype: Any, layout: Any) -> Any:
    dtype = dtype or _dtype.get_default_dtype()
    if M < 0:
        raise ValueError(f"{fn} requires non-negative window length, got M={M}")
    if layout is not None and layout is not _dtype.strided:
        raise ValueError(f"{fn} is implemented for strided tensors only, got: {layout}")
    if dtype not in (_dtype.float32, _dtype.float64):
        raise ValueError(f"{fn} expects float32 or float64 dtypes, got: torch.{dtype.name}")  # torch's words
    return dtype


def _out(values: np.ndarray, dtype: Any, requires_grad: bool) -> Tensor:
    t = Tensor._make(np.ascontiguousarray(values.astype(dtype.np)))
    return t.requires_grad_() if requires_grad else t


def _span(start: float, step: float, M: int, dtype: Any) -> np.ndarray:
    """``linspace(start, start + (M - 1) * step, M)`` in ``dtype``."""
    return np.linspace(start, start + (M - 1) * step, M).astype(dtype.np)


def exponential(M: int, *, center: float | None = None, tau: float = 1.0, sym: bool = True, dtype: Any = None,
                layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """exp(-|n - center| / tau)."""
    dtype = _check("exponential", M, dtype, layout)
    if tau <= 0:
        raise ValueError(f"Tau must be positive, got: {tau} instead.")
    if sym and center is not None:
        raise ValueError("Center must be None for symmetric windows")
    if M == 0:
        return _out(np.zeros(0), dtype, requires_grad)
    if center is None:
        center = (M if not sym and M > 1 else M - 1) / 2.0
    k = _span(-center / tau, 1 / tau, M, dtype)
    return _out(np.exp(-np.abs(k)), dtype, requires_grad)


def cosine(M: int, *, sym: bool = True, dtype: Any = None, layout: Any = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:
    """sin(pi (n + 1/2) / M) (the sine window)."""
    dtype = _check("cosine", M, dtype, layout)
    if M == 0:
        return _out(np.zeros(0), dtype, requires_grad)
    c = math.pi / (M + 1 if not sym and M > 1 else M)
    return _out(np.sin(_span(0.5 * c, c, M, dtype)), dtype, requires_grad)


def gaussian(M: int, *, std: float = 1.0, sym: bool = True, dtype: Any = None, layout: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    """exp(-(n - (M - 1) / 2)^2 / (2 std^2))."""
    dtype = _check("gaussian", M, dtype, layout)
    if std <= 0:
        raise ValueError(f"Standard deviation must be positive, got: {std} instead.")
    if M == 0:
        return _out(np.zeros(0), dtype, requires_grad)
    start = -(M if not sym and M > 1 else M - 1) / 2.0
    c = 1 / (std * math.sqrt(2))
    k = _span(start * c, c, M, dtype)
    return _out(np.exp(-(k * k)), dtype, requires_grad)


def kaiser(M: int, *, beta: float = 12.0, sym: bool = True, dtype: Any = None, layout: Any = None,
           device: Any = None, requires_grad: bool = False) -> Tensor:
    """I0(beta sqrt(1 - (2n / (M - 1) - 1)^2)) / I0(beta)."""
    dtype = _check("kaiser", M, dtype, layout)
    if beta < 0:
        raise ValueError(f"beta must be non-negative, got: {beta} instead.")
    if M <= 1:
        return _out(np.ones(M), dtype, requires_grad)
    b = dtype.np.type(beta)
    c = 2.0 * b / (M if not sym else M - 1)
    end = min(b, -b + (M - 1) * c)
    k = np.linspace(-b, end, M).astype(dtype.np)
    return _out(np.i0(np.sqrt(b * b - k * k)) / np.i0(b), dtype, requires_grad)


def general_cosine(M: int, *, a: Iterable, sym: bool = True, dtype: Any = None, layout: Any = None,
                   device: Any = None, requires_grad: bool = False) -> Tensor:
    """sum_i (-1)^i a_i cos(2 pi i n / (M - 1))."""
    dtype = _check("general_cosine", M, dtype, layout)
    if M <= 1:
        return _out(np.ones(M), dtype, requires_grad)
    if not isinstance(a, Iterable):
        raise TypeError("Coefficients must be a list/tuple")
    a = list(a)
    if not a:
        raise ValueError("Coefficients cannot be empty")
    k = _span(0.0, 2 * math.pi / (M if not sym else M - 1), M, dtype)
    coef = np.array([(-1) ** i * w for i, w in enumerate(a)], dtype=dtype.np)[:, None]
    i = np.arange(len(a), dtype=dtype.np)[:, None]
    return _out((coef * np.cos(i * k)).sum(0), dtype, requires_grad)


def general_hamming(M: int, *, alpha: float = 0.54, sym: bool = True, dtype: Any = None, layout: Any = None,
                    device: Any = None, requires_grad: bool = False) -> Tensor:
    """alpha - (1 - alpha) cos(2 pi n / (M - 1))."""
    return general_cosine(M, a=[alpha, 1.0 - alpha], sym=sym, dtype=dtype, layout=layout, device=device,
                          requires_grad=requires_grad)


def hamming(M: int, *, sym: bool = True, dtype: Any = None, layout: Any = None, device: Any = None,
            requires_grad: bool = False) -> Tensor:
    """The Hamming window: ``general_hamming`` with alpha 0.54."""
    return general_hamming(M, sym=sym, dtype=dtype, layout=layout, device=device, requires_grad=requires_grad)


def hann(M: int, *, sym: bool = True, dtype: Any = None, layout: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:
    """The Hann window: ``general_hamming`` with alpha 0.5."""
    return general_hamming(M, alpha=0.5, sym=sym, dtype=dtype, layout=layout, device=device,
                           requires_grad=requires_grad)


def blackman(M: int, *, sym: bool = True, dtype: Any = None, layout: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """The Blackman window: ``general_cosine`` with a = (0.42, 0.5, 0.08)."""
    dtype = _check("blackman", M, dtype, layout)
    return general_cosine(M, a=[0.42, 0.5, 0.08], sym=sym, dtype=dtype, layout=layout, device=device,
                          requires_grad=requires_grad)


def bartlett(M: int, *, sym: bool = True, dtype: Any = None, layout: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """The triangular window 1 - |2n / (M - 1) - 1|."""
    dtype = _check("bartlett", M, dtype, layout)
    if M <= 1:
        return _out(np.ones(M), dtype, requires_grad)
    k = _span(-1.0, 2 / (M if not sym else M - 1), M, dtype)
    return _out(1 - np.abs(k), dtype, requires_grad)


def nuttall(M: int, *, sym: bool = True, dtype: Any = None, layout: Any = None, device: Any = None,
            requires_grad: bool = False) -> Tensor:
    """The Nuttall window: ``general_cosine`` with a = (0.3635819, 0.4891775, 0.1365995, 0.0106411)."""
    return general_cosine(M, a=[0.3635819, 0.4891775, 0.1365995, 0.0106411], sym=sym, dtype=dtype, layout=layout,
                          device=device, requires_grad=requires_grad)
