"""torch.special's orthogonal polynomials P_n(x): Chebyshev T, U, V, W (and their shifted forms on [0, 1]),
Hermite H and He, Laguerre L and Legendre P, each by its three-term recurrence (with torch's closed forms
and endpoint values), elementwise over broadcast ``input`` and ``n``.

``n`` is truncated to an integer; P_n = 0 for n < 0. torch defines no derivative for these functions, so
they return tensors outside the graph."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor


def _operands(fn: str, input: Any, n: Any) -> tuple:
    """(x, n as int64, n's NaN mask, the result dtype): both broadcast, ints and bools promoted to float."""
    if not isinstance(input, Tensor) and not isinstance(n, Tensor):
        raise TypeError(f"special_{fn}() received an invalid combination of arguments - got "
                        f"({type(input).__name__}, {type(n).__name__}), but expected one of:\n"
                        f" * (Tensor input, Tensor n)\n * (Number x, Tensor n)\n * (Tensor x, Number n)\n")
    rt = _dtype.result_type(input, n)
    if not rt.is_floating_point:
        rt = _dtype.get_default_dtype()
    x = np.asarray(input._data if isinstance(input, Tensor) else input).astype(rt.np)
    nf = np.asarray(n._data if isinstance(n, Tensor) else n).astype(np.float64)
    x, nf = np.broadcast_arrays(x, nf)
    bad = ~np.isfinite(nf)
    ni = np.where(bad, -1, np.trunc(np.where(bad, 0, nf))).astype(np.int64)
    return x, ni, rt


def _recurrence(x: np.ndarray, n: np.ndarray, p0: np.ndarray, p1: np.ndarray,
                step: Callable[[int, np.ndarray, np.ndarray], np.ndarray], first: int = 2) -> np.ndarray:
    """P_n from P_0 = p0, P_1 = p1 and P_k = step(k, P_{k-1}, P_{k-2}) for k = first.. (k counts the degree)."""
    out = np.where(n == 0, p0, p1).astype(x.dtype)
    top = int(n.max(initial=0))
    p, q = p0.astype(x.dtype), p1.astype(x.dtype)
    with np.errstate(all="ignore"):
        for k in range(2, top + 1):
            r = step(k, q, p)
            p, q = q, r
            out = np.where(n == k, r, out)
            if np.isnan(q).all():
                out = np.where(n > k, q, out)
                break
    return np.where(n < 0, x.dtype.type(0), out)


def _result(values: np.ndarray, rt: Any) -> Tensor:
    return Tensor._make(np.array(values, dtype=rt.np))


def _chebyshev(x: np.ndarray, n: np.ndarray, p1: np.ndarray) -> np.ndarray:
    return _recurrence(x, n, np.ones_like(x), p1, lambda k, q, p: (x + x) * q - p)


def chebyshev_polynomial_t(input: Any, n: Any) -> Tensor:
    """The Chebyshev polynomial of the first kind T_n(x) (cos(n acos x) on [-1, 1])."""
    x, n, rt = _operands("chebyshev_polynomial_t", input, n)
    with np.errstate(all="ignore"):
        v = _chebyshev(x, n, x)
        v = np.where((n > 6) & (np.abs(x) < 1), np.cos(n * np.arccos(x)), v)
        v = np.where((np.abs(x) == 1) & (n >= 0), np.where((x > 0) | (n % 2 == 0), 1, -1), v)
    return _result(v, rt)


def chebyshev_polynomial_u(input: Any, n: Any) -> Tensor:
    """The Chebyshev polynomial of the second kind U_n(x) (sin((n + 1) t) / sin t, x = cos t)."""
    x, n, rt = _operands("chebyshev_polynomial_u", input, n)
    with np.errstate(all="ignore"):
        v = _chebyshev(x, n, x + x)
        t = np.arccos(x)
        closed = np.where(np.sin(t) != 0, np.sin((n + 1) * t) / np.sin(t), (n + 1) * np.cos((n + 1) * t) / x)
        v = np.where((n > 8) & (np.abs(x) < 1), closed, v)
        v = np.where((np.abs(x) == 1) & (n >= 0), np.where((x > 0) | (n % 2 == 0), n + 1, -(n + 1)), v)
    return _result(v, rt)


def chebyshev_polynomial_v(input: Any, n: Any) -> Tensor:
    """The Chebyshev polynomial of the third kind V_n(x) (cos((n + 1/2) t) / cos(t / 2), x = cos t)."""
    x, n, rt = _operands("chebyshev_polynomial_v", input, n)
    with np.errstate(all="ignore"):
        v = _chebyshev(x, n, x + x - 1)
        t = np.arccos(x)
        odd_end = np.where(n % 2 == 0, n + n + 1, -(n + n + 1))
        closed = np.where(np.sin(t / 2) != 1, np.cos((n + 0.5) * t) / np.cos(t / 2), odd_end)
        v = np.where((n > 8) & (np.abs(x) < 1), closed, v)
        v = np.where((np.abs(x) == 1) & (n >= 0), np.where(x > 0, 1, odd_end), v)
    return _result(v, rt)


def chebyshev_polynomial_w(input: Any, n: Any) -> Tensor:
    """The Chebyshev polynomial of the fourth kind W_n(x) (sin((n + 1/2) t) / sin(t / 2), x = cos t)."""
    x, n, rt = _operands("chebyshev_polynomial_w", input, n)
    with np.errstate(all="ignore"):
        v = _chebyshev(x, n, x + x + 1)
        t = np.arccos(x)
        end = np.where(x > 0, n + n + 1, np.where(n % 2 == 0, 1, -1))
        closed = np.where(np.cos(t / 2) != 1, np.sin((n + 0.5) * t) / np.sin(t / 2), end)
        v = np.where((n > 8) & (np.abs(x) < 1), closed, v)
        v = np.where((np.abs(x) == 1) & (n >= 0), end, v)
    return _result(v, rt)


def _shifted(fn: Callable[[Any, Any], Tensor], name: str, input: Any, n: Any) -> Tensor:
    x, ni, rt = _operands(name, input, n)
    return fn(Tensor._make(x + x - 1), Tensor._make(np.where(ni < 0, -1, ni)))


def shifted_chebyshev_polynomial_t(input: Any, n: Any) -> Tensor:
    """T*_n(x) = T_n(2x - 1), the Chebyshev polynomial of the first kind on [0, 1]."""
    return _shifted(chebyshev_polynomial_t, "shifted_chebyshev_polynomial_t", input, n)


def shifted_chebyshev_polynomial_u(input: Any, n: Any) -> Tensor:
    """U*_n(x) = U_n(2x - 1)."""
    return _shifted(chebyshev_polynomial_u, "shifted_chebyshev_polynomial_u", input, n)


def shifted_chebyshev_polynomial_v(input: Any, n: Any) -> Tensor:
    """V*_n(x) = V_n(2x - 1)."""
    return _shifted(chebyshev_polynomial_v, "shifted_chebyshev_polynomial_v", input, n)


def shifted_chebyshev_polynomial_w(input: Any, n: Any) -> Tensor:
    """W*_n(x) = W_n(2x - 1)."""
    return _shifted(chebyshev_polynomial_w, "shifted_chebyshev_polynomial_w", input, n)


def _hermite_limit(dtype: np.dtype) -> int:
    return 128 if dtype == np.float32 else 512


def hermite_polynomial_h(input: Any, n: Any) -> Tensor:
    """The physicists' Hermite polynomial H_n(x): H_k = 2x H_{k-1} - 2(k - 1) H_{k-2} (NaN beyond torch's
    degree limit, 512 in float64 and 128 in float32)."""
    x, n, rt = _operands("hermite_polynomial_h", input, n)
    v = _recurrence(x, np.where(n > _hermite_limit(x.dtype), -1, n), np.ones_like(x), x + x,
                    lambda k, q, p: (x + x) * q - 2 * (k - 1) * p)
    return _result(np.where(n > _hermite_limit(x.dtype), np.nan, v), rt)


def hermite_polynomial_he(input: Any, n: Any) -> Tensor:
    """The probabilists' Hermite polynomial He_n(x): He_k = x He_{k-1} - (k - 1) He_{k-2}."""
    x, n, rt = _operands("hermite_polynomial_he", input, n)
    v = _recurrence(x, np.where(n > _hermite_limit(x.dtype), -1, n), np.ones_like(x), x,
                    lambda k, q, p: x * q - (k - 1) * p)
    return _result(np.where(n > _hermite_limit(x.dtype), np.nan, v), rt)


def laguerre_polynomial_l(input: Any, n: Any) -> Tensor:
    """The Laguerre polynomial L_n(x): k L_k = (2k - 1 - x) L_{k-1} - (k - 1) L_{k-2} (1 at x = 0)."""
    x, n, rt = _operands("laguerre_polynomial_l", input, n)
    v = _recurrence(x, n, np.ones_like(x), 1 - x, lambda k, q, p: ((2 * (k - 1) + (1 - x)) * q - (k - 1) * p) / k)
    return _result(np.where((x == 0) & (n >= 0), 1, v), rt)


def legendre_polynomial_p(input: Any, n: Any) -> Tensor:
    """The Legendre polynomial P_n(x): k P_k = (2k - 1) x P_{k-1} - (k - 1) P_{k-2}."""
    x, n, rt = _operands("legendre_polynomial_p", input, n)
    v = _recurrence(x, n, np.ones_like(x), x, lambda k, q, p: ((2 * k - 1) * x * q - (k - 1) * p) / k)
    v = np.where((np.abs(x) == 1) & (n >= 0), np.where((x > 0) | (n % 2 == 0), 1, -1), v)
    return _result(v, rt)
