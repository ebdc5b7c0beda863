"""torch.special's Bessel functions of real argument: J0, J1, Y0, Y1, K0, K1 (and e^x K0, e^x K1), the
spherical j0 and the Airy function Ai, from their integral representations.

For |x| <= 25 each is a quadrature of an integral representation whose integrand is analytic (so Gauss-Legendre
converges exponentially fast):

    J_v(x) = 1/pi int_0^pi cos(v t - x sin t) dt - sin(v pi)/pi int_0^inf exp(-x sinh t - v t) dt
    Y_n(x) = 1/pi int_0^pi sin(x sin t - n t) dt - 1/pi int_0^inf (e^(n t) + (-1)^n e^(-n t)) exp(-x sinh t) dt
    K_v(x) = int_0^inf exp(-x cosh t) cosh(v t) dt

and beyond it Hankel's asymptotic expansions (K's integral holds for every x > 0). Computed in float64; torch
defines no derivatives for these functions, so they return tensors outside the graph."""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.ops._args import _tensor_arg

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(160)
_SMALL = 25.0  # quadrature below, asymptotic expansion above
_CHUNK = 4096


def _legendre(f: Callable[[np.ndarray, np.ndarray], np.ndarray], x: np.ndarray, lo: np.ndarray,
              hi: np.ndarray) -> np.ndarray:
    """int_lo^hi f(x, t) dt for each element of x (Gauss-Legendre), in chunks of elements."""
    out = np.empty_like(x)
    for s in range(0, x.size, _CHUNK):
        xs, a, b = x[s:s + _CHUNK, None], lo[s:s + _CHUNK, None], hi[s:s + _CHUNK, None]
        t = (b - a) / 2 * _NODES + (a + b) / 2
        out[s:s + _CHUNK] = ((b - a) / 2 * (f(xs, t) * _WEIGHTS).sum(1, keepdims=True)).ravel()
    return out


def _tail_end(x: np.ndarray) -> np.ndarray:
    """Where exp(-x sinh t) (and exp(-x (cosh t - 1))) has fallen below 1e-18: t = asinh(42 / x)."""
    return np.arcsinh(42.0 / x) + 1.0


def _hankel(v: float, x: np.ndarray) -> tuple:
    """(J_v, Y_v) for large positive x by Hankel's expansions P, Q (20 terms)."""
    mu = 4.0 * v * v
    p, q = np.ones_like(x), np.zeros_like(x)
    term = np.ones_like(x)
    for k in range(1, 40):
        term = term * (mu - (2 * k - 1) ** 2) / (k * 8.0 * x)
        if k % 2:
            q += term * (-1) ** (k // 2)
        else:
            p += term * (-1) ** (k // 2)
    chi = x - (v / 2 + 0.25) * math.pi
    amp = np.sqrt(2.0 / (math.pi * x))
    return amp * (p * np.cos(chi) - q * np.sin(chi)), amp * (p * np.sin(chi) + q * np.cos(chi))


def _bessel_j(v: float, x: np.ndarray) -> np.ndarray:
    """J_v(x) for x >= 0 (the power series below 1, where the quadrature would cancel)."""
    out = np.empty_like(x)
    tiny = x < 1.0
    h = x[tiny] / 2
    term = h ** v / math.gamma(v + 1)
    series = term.copy()
    for k in range(1, 18):
        term = -term * h * h / (k * (k + v))
        series += term
    out[tiny] = series
    small = (x <= _SMALL) & ~tiny
    xs = x[small]
    zeros, pis = np.zeros_like(xs), np.full_like(xs, math.pi)
    val = _legendre(lambda a, t: np.cos(v * t - a * np.sin(t)), xs, zeros, pis) / math.pi
    if v != int(v):
        with np.errstate(all="ignore"):
            tail = _legendre(lambda a, t: np.exp(-a * np.sinh(t) - v * t), xs, zeros, _tail_end(xs))
        val = val - math.sin(v * math.pi) / math.pi * tail
    out[small] = val
    big = x > _SMALL
    out[big] = _hankel(v, x[big])[0]
    return out


def _bessel_y(n: int, x: np.ndarray) -> np.ndarray:
    """Y_n(x) for x > 0, n = 0 or 1."""
    out = np.empty_like(x)
    small = x <= _SMALL
    xs = x[small]
    zeros, pis = np.zeros_like(xs), np.full_like(xs, math.pi)
    first = _legendre(lambda a, t: np.sin(a * np.sin(t) - n * t), xs, zeros, pis)
    with np.errstate(all="ignore"):
        tail = _legendre(lambda a, t: (np.exp(n * t) + (-1) ** n * np.exp(-n * t)) * np.exp(-a * np.sinh(t)),
                         xs, zeros, _tail_end(xs))
    out[small] = (first - tail) / math.pi
    out[~small] = _hankel(n, x[~small])[1]
    return out


def _bessel_k_scaled(v: float, x: np.ndarray) -> np.ndarray:
    """e^x K_v(x) for x > 0."""
    with np.errstate(all="ignore"):
        return _legendre(lambda a, t: np.exp(-a * (np.cosh(t) - 1)) * np.cosh(v * t), x, np.zeros_like(x),
                         _tail_end(x))


def _unary(fn: str, input: Tensor, compute: Callable[[np.ndarray], np.ndarray]) -> Tensor:
    _tensor_arg(input, f"special_{fn}", "input", 1)
    rt = input.dtype if input.dtype.is_floating_point else _dtype.get_default_dtype()
    x = input._data.astype(np.float64).ravel()
    with np.errstate(all="ignore"):
        out = compute(x)
    return Tensor._make(np.array(out.reshape(input.shape), dtype=rt.np))


def _where_finite(x: np.ndarray, value: Callable[[np.ndarray], np.ndarray], mask: np.ndarray) -> np.ndarray:
    out = np.full_like(x, np.nan)
    out[mask] = value(x[mask])
    return out


def _j(v: int) -> Callable[[np.ndarray], np.ndarray]:
    def compute(x: np.ndarray) -> np.ndarray:
        out = _where_finite(np.abs(x), lambda a: _bessel_j(v, a), np.isfinite(x))  # NaN at +-inf, as torch
        return out * np.sign(x) if v % 2 else out  # J1 is odd
    return compute


def _y(n: int) -> Callable[[np.ndarray], np.ndarray]:
    def compute(x: np.ndarray) -> np.ndarray:
        out = _where_finite(x, lambda a: _bessel_y(n, a), np.isfinite(x) & (x > 0))
        out[x == 0] = -np.inf
        return out
    return compute


def _k(v: int, scaled: bool) -> Callable[[np.ndarray], np.ndarray]:
    def compute(x: np.ndarray) -> np.ndarray:
        out = _where_finite(x, lambda a: _bessel_k_scaled(v, a) * (1.0 if scaled else np.exp(-a)),
                            np.isfinite(x) & (x > 0))
        out[x == 0] = np.inf
        out[x == np.inf] = 0.0
        return out
    return compute


def bessel_j0(input: Tensor) -> Tensor:
    """The Bessel function of the first kind of order 0."""
    return _unary("bessel_j0", input, _j(0))


def bessel_j1(input: Tensor) -> Tensor:
    """The Bessel function of the first kind of order 1."""
    return _unary("bessel_j1", input, _j(1))


def bessel_y0(input: Tensor) -> Tensor:
    """The Bessel function of the second kind of order 0 (NaN for x < 0, -inf at 0)."""
    return _unary("bessel_y0", input, _y(0))


def bessel_y1(input: Tensor) -> Tensor:
    """The Bessel function of the second kind of order 1 (NaN for x < 0, -inf at 0)."""
    return _unary("bessel_y1", input, _y(1))


def modified_bessel_k0(input: Tensor) -> Tensor:
    """The modified Bessel function of the second kind of order 0 (NaN for x < 0, inf at 0)."""
    return _unary("modified_bessel_k0", input, _k(0, False))


def modified_bessel_k1(input: Tensor) -> Tensor:
    """The modified Bessel function of the second kind of order 1 (NaN for x < 0, inf at 0)."""
    return _unary("modified_bessel_k1", input, _k(1, False))


def scaled_modified_bessel_k0(input: Tensor) -> Tensor:
    """e^x K_0(x)."""
    return _unary("scaled_modified_bessel_k0", input, _k(0, True))


def scaled_modified_bessel_k1(input: Tensor) -> Tensor:
    """e^x K_1(x)."""
    return _unary("scaled_modified_bessel_k1", input, _k(1, True))


def _spherical_j0(x: np.ndarray) -> np.ndarray:
    x2 = x * x
    series = 1 + x2 * (-1 / 6 + x2 * (1 / 120 + x2 * (-1 / 5040 + x2 * (1 / 362880 + x2 * (
        -1 / 39916800 + x2 * (1 / 6227020800))))))
    out = np.where(np.abs(x) < 0.5, series, np.sin(x) / np.where(x == 0, 1.0, x))
    return np.where(np.isinf(x), 0.0, out)


def spherical_bessel_j0(input: Tensor) -> Tensor:
    """The spherical Bessel function of the first kind of order 0, sin(x) / x."""
    return _unary("spherical_bessel_j0", input, _spherical_j0)


_AI0, _DAI0 = 0.355028053887817239, -0.258819403792806798  # Ai(0) = 1 / (3^(2/3) Gamma(2/3)), Ai'(0)


def _airy_series(x: np.ndarray) -> np.ndarray:
    """Ai's Maclaurin series Ai(0) f(x) + Ai'(0) g(x), f = 1 + x^3/6 + ..., g = x + x^4/12 + ... (|x| <= 2)."""
    f, g = np.ones_like(x), x.copy()
    tf, tg = np.ones_like(x), x.copy()
    x3 = x ** 3
    for k in range(1, 25):
        tf = tf * x3 / ((3 * k - 1) * (3 * k))
        tg = tg * x3 / ((3 * k) * (3 * k + 1))
        f += tf
        g += tg
    return _AI0 * f + _DAI0 * g


def _airy(x: np.ndarray) -> np.ndarray:
    out = np.full_like(x, np.nan)
    near = np.abs(x) <= 2
    out[near] = _airy_series(x[near])
    pos, neg = np.isfinite(x) & (x > 2), np.isfinite(x) & (x < -2)
    a = x[pos]
    zeta = 2.0 / 3.0 * a ** 1.5
    # Ai(x) = sqrt(x / 3) K_{1/3}(zeta) / pi, K from its integral, scaled by exp(-zeta)
    out[pos] = np.sqrt(a / 3.0) * _bessel_k_scaled(1.0 / 3.0, zeta) * np.exp(-zeta) / math.pi
    b = -x[neg]
    zeta = 2.0 / 3.0 * b ** 1.5
    # Ai(-x) = sqrt(x) / 3 (J_{1/3}(zeta) + J_{-1/3}(zeta))
    out[neg] = np.sqrt(b) / 3.0 * (_bessel_j(1.0 / 3.0, zeta) + _bessel_j(-1.0 / 3.0, zeta))
    return out


def airy_ai(input: Tensor) -> Tensor:
    """The Airy function Ai(x)."""
    return _unary("airy_ai", input, _airy)
