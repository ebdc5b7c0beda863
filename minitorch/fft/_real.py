"""The real-output transforms of ``minitorch.fft``: a complex-to-real inverse FFT of a real half spectrum
(``C2R``) and its adjoint (``C2RAdjoint``), each the other's gradient."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.ops._adjoint import LinearMap
from minitorch.ops._args import _tensor_arg

_DUAL = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


class C2R(LinearMap):
    """y = irfftn(x, s, axes, norm) of a real x (the half spectrum along the last axis, imaginary parts 0).

    The map is real-linear, y = A x; its adjoint (``C2RAdjoint``) is the real part of the one-sided forward
    transform with the dual normalization, with the bins that stand for two conjugate bins (all but DC and
    Nyquist along the last axis) doubled, fitted back to x's shape."""

    @staticmethod
    def kernel(x, s, axes, norm):
        return np.fft.irfftn(x.astype(np.float64), s=s, axes=axes, norm=norm).astype(x.dtype)  # computed in double

    @staticmethod
    def adjoint_args(x, s, axes, norm):
        return tuple(x.shape), s, axes, norm


class C2RAdjoint(LinearMap):
    """x' = A^T g for A = ``C2R``(s, axes, norm) on inputs of shape ``in_shape``;  its gradient is A."""

    @staticmethod
    def kernel(g, in_shape, s, axes, norm):
        spec = np.fft.rfftn(g, s=s, axes=axes, norm=_DUAL[norm]).real
        last = axes[-1]
        n = s[-1]
        stop = spec.shape[last] - (1 if n % 2 == 0 else 0)
        index = [slice(None)] * spec.ndim
        index[last] = slice(1, stop)
        spec[tuple(index)] *= 2
        out = np.zeros(in_shape, dtype=g.dtype)
        region = tuple(slice(0, min(a, b)) for a, b in zip(in_shape, spec.shape))
        out[region] = spec[region]
        return out

    @staticmethod
    def adjoint_args(g, in_shape, s, axes, norm):
        return s, axes, norm


C2R.adjoint, C2RAdjoint.adjoint = C2RAdjoint, C2R


def _norm(norm: str | None) -> str:
    norm = norm or "backward"
    if norm not in _DUAL:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')
    return norm


def _dims(fn: str, input: Tensor, s: Sequence[int] | None, dim: Any, default_dims: Sequence[int] | None) -> tuple:
    """(s, dims) of an n-dimensional c2r transform, with -1 in ``s`` meaning the input's own length."""
    nd = input.dim()
    if dim is None:
        dims = list(default_dims) if default_dims is not None else (
            list(range(nd - len(s), nd)) if s is not None else list(range(nd)))
    else:
        dims = [dim] if isinstance(dim, int) else list(dim)
    for d in dims:
        if nd == 0:
            raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
        if not -max(nd, 1) <= d < max(nd, 1):
            raise IndexError(f"Dimension out of range (expected to be in range of [{-max(nd, 1)}, {max(nd, 1) - 1}], "
                             f"but got {d})")
    dims = [d % max(nd, 1) for d in dims]
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"{fn} dims must be unique")
    if s is not None and len(s) != len(dims):
        raise RuntimeError("When given, dim and shape arguments must have the same length")
    if not dims:
        raise RuntimeError(f"{fn} must transform at least one axis")
    sizes = []
    for i, d in enumerate(dims):
        last = i == len(dims) - 1
        own = 2 * (input.shape[d] - 1) if last else input.shape[d]
        size = own if s is None or s[i] == -1 else int(s[i])
        if size < 1:
            raise RuntimeError(f"Invalid number of data points ({size}) specified")
        sizes.append(size)
    return tuple(sizes), tuple(dims)


def _c2r(fn: str, input: Tensor, s: Any, dim: Any, norm: str | None, default_dims: Any, dual: bool) -> Tensor:
    _tensor_arg(input, f"fft_{fn}", "input", 1)
    x = input if input.dtype.is_floating_point else input.to(_dtype.get_default_dtype())
    sizes, dims = _dims(fn, x, s, dim, default_dims)
    norm = _norm(norm)
    return C2R.apply(x, sizes, dims, _DUAL[norm] if dual else norm)


def irfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """The inverse of rfft: the real signal of length ``n`` (default 2 (m - 1)) of a half spectrum."""
    return _c2r("irfft", input, None if n is None else [n], [dim], norm, None, False)


def irfft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),
           norm: str | None = None) -> Tensor:
    """``irfftn`` over the last two dims."""
    return _c2r("irfft2", input, s, dim, norm, None, False)


def irfftn(input: Tensor, s: Sequence[int] | None = None, dim: Any = None, norm: str | None = None) -> Tensor:
    """The inverse of rfftn: the real signal of a half spectrum (halved along the last of ``dim``)."""
    return _c2r("irfftn", input, s, dim, norm, None, False)


def hfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """The FFT of a Hermitian-symmetric signal given by its half ``input``: real, of length ``n``."""
    return _c2r("hfft", input, None if n is None else [n], [dim], norm, None, True)


def hfft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),
          norm: str | None = None) -> Tensor:
    """``hfftn`` over the last two dims."""
    return _c2r("hfft2", input, s, dim, norm, None, True)


def hfftn(input: Tensor, s: Sequence[int] | None = None, dim: Any = None, norm: str | None = None) -> Tensor:
    """The n-dimensional FFT of a Hermitian-symmetric signal given by its half (along the last of ``dim``)."""
    return _c2r("hfftn", input, s, dim, norm, None, True)


def _shift(input: Tensor, dim: Any, sign: int) -> Tensor:
    dims = list(range(input.dim())) if dim is None else [dim] if isinstance(dim, int) else list(dim)
    if not dims:
        return input
    shifts = [sign * (input.shape[d] // 2) for d in dims]
    return input.roll(shifts, dims)


def fftshift(input: Tensor, dim: Any = None) -> Tensor:
    """Roll each of ``dim`` (default all) by half its length, moving the zero frequency to the centre."""
    _tensor_arg(input, "fft_fftshift", "input", 1)
    return _shift(input, dim, 1)


def ifftshift(input: Tensor, dim: Any = None) -> Tensor:
    """The inverse of ``fftshift``."""
    _tensor_arg(input, "fft_ifftshift", "input", 1)
    return _shift(input, dim, -1)
