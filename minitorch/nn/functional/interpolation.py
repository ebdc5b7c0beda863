"""``interpolate``: nearest, nearest-exact, (bi/tri)linear and bicubic resizing one axis at a time (antialiased
for bilinear / bicubic on request), antialiased Lanczos-3, and area resizing."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from minitorch.nn.functional.pooling import adaptive_avg_pool
from minitorch.ops.upsample import Resample, antialias_taps, cubic_taps, linear_taps, nearest_taps
from minitorch._tensor import Tensor

_LINEAR = {1: "linear", 2: "bilinear", 3: "trilinear"}
_MODES = ("nearest", "linear", "bilinear", "bicubic", "trilinear", "lanczos", "area", "nearest-exact")


def _sizes(input: Tensor, size: Any, scale_factor: Any, recompute_scale_factor: bool | None, nd: int) -> tuple:
    """(output sizes, scale factors or None) exactly as torch's ``interpolate`` derives them."""
    spatial = list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if recompute_scale_factor:
            raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
        sizes = tuple(size) if isinstance(size, (list, tuple)) else (size,) * nd
        if len(sizes) != nd:
            raise ValueError(
                f"Input and output must have the same number of spatial dimensions, but got input with spatial "
                f"dimensions of {spatial} and output size of {size}. Please provide input tensor in (N, C, d1, d2, "
                "...,dK) format and output size in (o1, o2, ...,oK) format."
            )
        if not all(isinstance(s, (int, np.integer)) for s in sizes):
            raise TypeError(f"expected size to be one of int or Tuple[int], but got size with types "
                            f"{[type(s) for s in sizes]}")
        return tuple(int(s) for s in sizes), None
    if scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    scales = tuple(scale_factor) if isinstance(scale_factor, (list, tuple)) else (scale_factor,) * nd
    if len(scales) != nd:
        raise ValueError(
            f"Input and scale_factor must have the same number of spatial dimensions, but got input with spatial "
            f"dimensions of {spatial} and scale_factor of shape {scale_factor}. Please provide input tensor in (N, "
            "C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format."
        )
    sizes = tuple(int(np.floor(float(i) * float(s))) for i, s in zip(spatial, scales))
    return sizes, None if recompute_scale_factor else tuple(float(s) for s in scales)


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resize (N, C, *spatial) to size or by scale_factor: nearest, nearest-exact, linear / bilinear /
    trilinear (matching the input rank), bicubic (4-D), area (adaptive average pooling); ``antialias``
    low-pass filters a bilinear / bicubic downscale as PIL does, and lanczos (4-D, antialias=True) is PIL's
    Lanczos-3 filter."""
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: linear | bilinear | "
                             "bicubic | trilinear")
    else:
        align_corners = bool(align_corners)
    nd = input.ndim - 2
    sizes, scales = (1,), None
    if nd in (1, 2, 3):
        sizes, scales = _sizes(input, size, scale_factor,
                               recompute_scale_factor or (mode == "area" and size is None), nd)
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.ndim == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a 4-D "
                         "tensor as input")
    if mode == "lanczos" and nd == 2:
        if align_corners:
            raise ValueError("Lanczos mode does not support align_corners=True")
        if not antialias:
            raise ValueError("Lanczos mode requires antialias=True")
    if mode in _LINEAR.values() and nd in _LINEAR and mode != _LINEAR[nd]:
        need = {v: k for k, v in _LINEAR.items()}[mode] + 2
        raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs {need}D input")
    if mode not in _MODES or nd not in (1, 2, 3) or (mode in ("bicubic", "lanczos") and nd != 2):
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for the modes: "
            f"{' | '.join(_MODES)} (got {mode})"
        )
    if min(sizes) <= 0 or 0 in input.shape[2:]:
        names = "DHW"[3 - nd:]
        raise RuntimeError(
            f"interpolate: Input and output sizes should be greater than 0, but got input "
            f"({', '.join(f'{n}: {s}' for n, s in zip(names, input.shape[2:]))}) output "
            f"({', '.join(f'{n}: {s}' for n, s in zip(names, sizes))})"
        )
    if not input.is_floating_point():
        raise RuntimeError(f"interpolate: expected a floating point input, but got input of dtype {input.dtype}")
    if mode == "area":
        return adaptive_avg_pool("adaptive_avg_pool", input, sizes, nd)
    x = input
    for j in range(nd - 1, -1, -1):
        n, scale = input.shape[2 + j], scales[j] if scales else None
        if antialias:
            if sizes[j] == n:
                continue
            taps = antialias_taps(n, sizes[j], scale, align_corners, input._data.dtype, mode)
        elif mode == "bicubic":
            taps = cubic_taps(n, sizes[j], scale, align_corners, input._data.dtype)
        elif mode.startswith("nearest"):
            taps = nearest_taps(n, sizes[j], scale, mode == "nearest-exact", nd == 2)
        else:
            taps = linear_taps(n, sizes[j], scale, align_corners, input._data.dtype)
        if sizes[j] != n or len(taps) > 1 or not np.array_equal(taps[0][0], np.arange(n)):
            x = Resample.apply(x, 2 + j, taps)
    return x.clone() if x is input else x


def upsample(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """Deprecated alias of ``interpolate`` (warns, as torch)."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:
    """Deprecated: ``interpolate(..., mode='nearest')`` (warns, as torch)."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:
    """Deprecated: ``interpolate(..., mode='bilinear', align_corners=True)`` (warns, as torch)."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
