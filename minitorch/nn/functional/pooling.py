"""Pooling: max, average, adaptive, fractional and power-average pools in 1-D, 2-D and 3-D, max unpooling,
with torch's argument rules and errors, then the ops of ``ops.pooling`` (adaptive average pooling is composed from Tensor ops)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from minitorch.autograd.grad_mode import is_grad_enabled
from minitorch.creation import rand
from minitorch.nn.functional.conv import check_kernel_dtype, make_window, ntuple
from minitorch.ops._window import Window
from minitorch.ops.unpool import MaxUnpool
from minitorch.ops.pooling import (
    AdaptiveMaxPool2D, AvgPool2D, MaxPool2DWithIndices, adaptive_argmax, as_planes, flat_index, fractional_starts,
    max_windows, out_shape, window_argmax, window_taps,
)
from minitorch._tensor import Tensor


def pool_size(size: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """Output length of a pooling window (torch's rule: with ceil_mode the last window must start
    inside the input or the left padding)."""
    span = size + 2 * p - d * (k - 1) - 1
    out = (span + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def _check_rank(fn: str, input: Tensor, nd: int, nonempty: bool = False) -> None:
    """Rank nd + 1 or nd + 2 and, with ``nonempty``, no empty non-batch dimension."""
    if nd == 3:
        if input.ndim not in (4, 5):
            raise RuntimeError("non-empty 4D or 5D (batch mode) tensor expected for input")
        return
    if input.ndim not in (nd + 1, nd + 2) or (nonempty and 0 in input.shape[input.ndim - nd - 1:]):
        raise RuntimeError(
            f"{fn}: Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with optional 0 dim batch size for input, "
            f"but got: {list(input.shape)}"
        )


def _max_pool1d_checks(k: int, s: int, p: int, d: int, size: int, ceil_mode: bool) -> None:
    """torch's own checks of ``max_pool1d``, in its order and words."""
    if k <= 0:
        raise RuntimeError(f"max_pool1d() kernel_size must be greater than zero, but got {k}")
    if s <= 0:
        raise RuntimeError(f"max_pool1d() stride must be greater than zero, but got {s}")
    if p < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but got padding={p} and "
                           f"kernel_size={k}")
    if d <= 0:
        raise RuntimeError(f"max_pool1d() dilation must be greater than zero, but got {d}")
    out = pool_size(size, k, s, p, d, ceil_mode)
    if out <= 0:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {out}")


def _pad_checks(k: tuple, s: tuple, p: tuple, d: tuple) -> None:
    """torch's ``pooling_output_shape`` checks, dim by dim: stride, padding, padding against the kernel."""
    for kk, ss, pp, dd in zip(k, s, p, d):
        if ss == 0:
            raise RuntimeError("stride should not be zero")
        if pp < 0:
            raise RuntimeError(f"pad must be non-negative, but got pad: {pp}")
        if pp > int(((kk - 1) * dd + 1) / 2):
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={pp}, "
                               f"kernel_size={kk} and dilation={dd}")


def _pool3d_checks(fn: str, input: Tensor, k: tuple, s: tuple, p: tuple, d: tuple, avg: bool) -> None:
    """torch's 3-D pool checks: output shapes dim by dim, then ``pool3d_shape_check``, in its order and words."""
    _pad_checks(k, s, p, d)
    (kt, kh, kw), (st, sh, sw), (pt, ph, pw), (dt, dh, dw) = k, s, p, d
    if min(k) <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kT: {kt} kH: {kh} kW: {kw}")
    if min(s) <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got dT: {st} dH: {sh} dW: {sw}")
    if min(d) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilationT: {dt} dilationH: {dh} "
                           f"dilationW: {dw}")
    for i in range(input.ndim):
        if input.shape[i] == 0 and (i > 0 or input.ndim == 4):
            raise RuntimeError(f"{fn}: Expected input's non-batch dimensions to have positive length, but input has a "
                               f"shape of {list(input.shape)} and non-batch dimension {input.shape[i]} has length "
                               "zero!")
    it, ih, iw = input.shape[-3:]
    if avg and (it < kt or ih < kh or iw < kw):
        raise RuntimeError(f"input image (T: {it} H: {ih} W: {iw}) smaller than kernel size (kT: {kt} kH: {kh} "
                           f"kW: {kw})")
    if kt // 2 < pt or kw // 2 < pw or kh // 2 < ph:
        raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got kT: {kt} kW: "
                           f"{kw} kH: {kh} padT: {pt} padW: {pw} padH: {ph}")


def _pool2d_checks(fn: str, k: tuple, s: tuple, p: tuple, d: tuple) -> None:
    """torch's checks of the 2-D pools (which 1-D average pooling runs over a height of 1), in its order:
    per dim stride, padding and effective kernel, then kernel, stride, dilation and padding overall."""
    _pad_checks(k, s, p, d)
    (kh, kw), (sh, sw), (dh, dw), (ph, pw) = ((1,) * (2 - len(k)) + k, (1,) * (2 - len(s)) + s,
                                              (1,) * (2 - len(d)) + d, (0,) * (2 - len(p)) + p)
    if min(kh, kw) <= 0:
        raise RuntimeError(f"{fn}: kernel size should be greater than zero, but got kH: {kh} kW: {kw}")
    if min(sh, sw) <= 0:
        raise RuntimeError(f"{fn}: stride should be greater than zero, but got dH: {sh} dW: {sw}")
    if min(dh, dw) <= 0:
        raise RuntimeError(f"{fn}: dilation should be greater than zero, but got dilationH: {dh} dilationW: {dw}")
    if pw > kw // 2 or ph > kh // 2:
        raise RuntimeError(f"{fn}: pad should be smaller than or equal to half of kernel size, but got padW = {pw}, "
                           f"padH = {ph}, kW = {kw}, kH = {kh}")


def pool_window(fn: str, input: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any,
                ceil_mode: bool, nd: int, own_1d_checks: bool, avg: bool = False) -> Window:
    """The checked window of a max or average pool (torch's errors, ceil_mode's extra right padding).

    ``own_1d_checks``: torch's ``max_pool1d`` without indices checks its arguments its own way; the other
    pools check them as the 2-D pools do; ``avg``: an average pool (3-D ones check the input covers the kernel)."""
    k = ntuple(kernel_size, nd, "kernel_size", fn)
    empty = stride is None or (isinstance(stride, Sequence) and len(stride) == 0)
    s = k if empty else ntuple(stride, nd, "stride", fn)
    p, d = ntuple(padding, nd, "padding", fn), ntuple(dilation, nd, "dilation", fn)
    size = tuple(input.shape[input.ndim - nd:])
    if own_1d_checks:
        _check_rank(fn, input, nd, nonempty=True)
        _max_pool1d_checks(k[0], s[0], p[0], d[0], size[0], ceil_mode)
    elif nd == 3:
        _pool3d_checks(fn, input, k, s, p, d, avg)
    else:
        _pool2d_checks(fn, k, s, p, d)
        _check_rank(fn, input, nd, nonempty=True)
    out = tuple(pool_size(i, kk, ss, pp, dd, ceil_mode) for i, kk, ss, pp, dd in zip(size, k, s, p, d))
    if min(out) < 1:
        c = input.shape[input.ndim - nd - 1]
        raise RuntimeError(f"{fn}: Given input size: ({'x'.join(map(str, (c,) + size))}). Calculated output size: "
                           f"({'x'.join(map(str, (c,) + out))}). Output size is too small")
    if avg:
        check_kernel_dtype("avg_pool3d_out_frame" if nd == 3 else "avg_pool2d", input, "int64")
    else:
        check_kernel_dtype("max_pool1d_impl" if own_1d_checks else f"max_pool{max(nd, 2)}d", input,
                           "none" if own_1d_checks else "all")
    pads = tuple((pp, pp + max(0, (o - 1) * ss + dd * (kk - 1) + 1 - i - 2 * pp))
                 for i, o, kk, ss, pp, dd in zip(size, out, k, s, p, d))
    return make_window(size, k, s, d, pads, out, allow_flat=False)


def max_pool(fn: str, input: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any, ceil_mode: bool,
             return_indices: bool, nd: int) -> Any:
    """Checked ``max_pool{nd}d``: the values, and with ``return_indices`` the flat positions of the maxima."""
    _check_rank(fn, input, nd)
    win = pool_window(fn, input, kernel_size, stride, padding, dilation, ceil_mode, nd,
                      nd == 1 and not return_indices)
    shape = out_shape(input._data, win, nd)
    if input.requires_grad and is_grad_enabled():
        out, best = MaxPool2DWithIndices.apply(input, win, nd)
        best = best._data
    else:
        values, best = max_windows(as_planes(input._data, win), win, return_indices)
        out = Tensor._make(values.reshape(shape))
    return (out, Tensor._make(flat_index(best, win).reshape(shape))) if return_indices else out


def _avg_counts(size: int, out: int, k: int, s: int, p: int, include_pad: bool) -> np.ndarray:
    """Per output position, torch's divisor along one dim: the window clipped to the padded input
    (count_include_pad) or to the input."""
    start = np.arange(out) * s - p
    end = np.minimum(start + k, size + p)
    return end - start if include_pad else np.minimum(end, size) - np.maximum(start, 0)


def avg_pool(fn: str, input: Tensor, kernel_size: Any, stride: Any, padding: Any, ceil_mode: bool,
             count_include_pad: bool, divisor_override: int | None, nd: int) -> Tensor:
    """Checked ``avg_pool{nd}d``: window sums over the zero-padded input, divided as torch divides."""
    _check_rank(fn, input, nd)
    win = pool_window(fn, input, kernel_size, stride, padding, 1, ceil_mode, nd, False, True)
    if divisor_override is not None:
        if divisor_override == 0:
            raise RuntimeError(f"{fn}: divisor must be not zero")
        divisor = np.asarray(divisor_override, input._data.dtype)
    else:
        divisor = np.ones((), np.int64)
        for i, (n, o, k, st) in enumerate(zip(win.in_size, win.out_size, win.kernel, win.stride)):
            divisor = np.multiply.outer(divisor, _avg_counts(n, o, k, st, win.padding[2 * i], count_include_pad))
        divisor = divisor.astype(input._data.dtype)
    return AvgPool2D.apply(input, win, divisor, nd)


def adaptive_size(fn: str, input: Tensor, output_size: Any, nd: int, is_max: bool = False) -> tuple:
    """Check the input of an adaptive pool and resolve ``output_size`` (None keeps the input's size), with
    torch's errors in torch's order."""
    if nd >= 2 and isinstance(output_size, Sequence) and input.ndim <= len(output_size):
        raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
    scalar = isinstance(output_size, (int, np.integer)) or output_size is None
    sizes = (output_size,) * nd if scalar else tuple(output_size)
    if nd >= 2 and len(sizes) != nd:
        raise RuntimeError(f"{fn}(): internal error: output_size.size() must be {nd}" if is_max
                           else f"{fn}: output_size must be {nd}")
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"{fn}(): Expected {nd + 1}D or {nd + 2}D tensor, but got {list(input.shape)}")
    if len(sizes) != nd:
        raise RuntimeError(f"{fn}() argument 'output_size' should contain one int (got {len(sizes)})")
    for i in range(input.ndim - nd - 1, input.ndim):
        if input.shape[i] == 0 and (i > 0 or input.ndim == nd + 1):
            raise RuntimeError(
                f"{fn}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes "
                f"{list(input.shape)} with dimension {i} being empty"
            )
    sizes = tuple(int(i) if o is None else o for o, i in zip(sizes, input.shape[input.ndim - nd:]))
    if any(o < 0 for o in sizes):
        if is_max:
            shape = tuple(input.shape[:input.ndim - nd]) + (1,) * (2 - nd) + sizes
            first = next(o for o in sizes if o < 0)
            raise RuntimeError(f"Trying to create tensor with negative dimension {first}: {list(shape)}")
        raise RuntimeError(f"{fn}: elements of output_size must be greater than or equal to 0 but received "
                           f"{{{', '.join(map(str, sizes))}}}")
    if not input.is_floating_point():
        raise RuntimeError(f"{fn}: expected a floating point input, but got input of dtype {input.dtype}")
    return sizes


def adaptive_max_pool(fn: str, input: Tensor, output_size: Any, return_indices: bool, nd: int) -> Any:
    """Checked ``adaptive_max_pool{nd}d``: the max of each adaptive window (and its flat position)."""
    sizes = adaptive_size(fn, input, output_size, nd, is_max=True)
    idx = adaptive_argmax(input._data, sizes)
    out = AdaptiveMaxPool2D.apply(input, idx, nd)
    return (out, Tensor._make(idx)) if return_indices else out


def _adaptive_mean(x: Tensor, dim: int, out: int) -> Tensor:
    """Average over the adaptive windows along one dim (a reshape-mean when they tile it exactly)."""
    size = x.shape[dim]
    if out == 0:
        return x.narrow(dim, 0, 0)
    if size % out == 0:
        return x.unflatten(dim, (out, size // out)).mean(dim + 1)
    pos, real = window_taps(size, out)
    taps = x.index_select(dim, Tensor._make(pos.reshape(-1))).unflatten(dim, pos.shape)
    trail = (1,) * (x.ndim - dim - 1)
    mask = Tensor._make(real.reshape(real.shape + trail))
    counts = Tensor._make(real.sum(1).reshape((out,) + trail).astype(x._data.dtype))
    return taps.where(mask, 0.0).sum(dim + 1) / counts


def adaptive_avg_pool(fn: str, input: Tensor, output_size: Any, nd: int) -> Tensor:
    """Checked ``adaptive_avg_pool{nd}d``, separably: window means along W, then along H."""
    sizes = adaptive_size(fn, input, output_size, nd)
    x = input
    for j in range(nd - 1, -1, -1):
        dim = input.ndim - nd + j
        if sizes[j] != x.shape[dim]:
            x = _adaptive_mean(x, dim, sizes[j])
    return x.clone() if x is input else x.contiguous()


def max_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """The max of each window of (N, C, L) (padding counts as -inf); with return_indices also its position."""
    return max_pool("max_pool1d", input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1)


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """The max of each window of (N, C, H, W); with return_indices also its flat position h * W + w."""
    return max_pool("max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2)


def avg_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """The mean of each window of (N, C, L) (zero padding counted unless count_include_pad=False)."""
    return avg_pool("avg_pool1d", input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1)


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """The sum of each window of (N, C, H, W) divided by its size (or by divisor_override)."""
    return avg_pool("avg_pool2d", input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                    divisor_override, 2)


def adaptive_avg_pool1d(input: Tensor, output_size: Any) -> Tensor:
    """Means over output_size windows [floor(i L / n), ceil((i + 1) L / n)) of (N, C, L)."""
    return adaptive_avg_pool("adaptive_avg_pool1d", input, output_size, 1)


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """Means over an output_size grid of adaptive windows of (N, C, H, W) (None keeps a dim's size)."""
    return adaptive_avg_pool("adaptive_avg_pool2d", input, output_size, 2)


def adaptive_max_pool1d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Maxima over output_size adaptive windows of (N, C, L); with return_indices also their positions."""
    return adaptive_max_pool("adaptive_max_pool1d", input, output_size, return_indices, 1)


def adaptive_max_pool2d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Maxima over an output_size grid of adaptive windows of (N, C, H, W); optionally their flat positions."""
    return adaptive_max_pool("adaptive_max_pool2d", input, output_size, return_indices, 2)


def _lp_root(out: Tensor, norm_type: float, count: int) -> Tensor:
    return (out.sign() * out.abs().relu()).mul(count).pow(1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type: float, kernel_size: int, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """(sum of x^p over each window)^(1/p), computed as torch does from avg_pool1d."""
    k = ntuple(kernel_size, 1, "kernel_size", "lp_pool1d")[0]
    out = avg_pool1d(input.pow(norm_type), k, stride, 0, ceil_mode)
    return _lp_root(out, norm_type, k)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """(sum of x^p over each window)^(1/p), computed as torch does from avg_pool2d."""
    kh, kw = ntuple(kernel_size, 2, "kernel_size", "lp_pool2d")
    out = avg_pool2d(input.pow(norm_type), (kh, kw), stride, 0, ceil_mode)
    return _lp_root(out, norm_type, kh * kw)


def max_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """The max of each window of (N, C, D, H, W); with return_indices also its flat position (d * H + h) * W + w."""
    return max_pool("max_pool3d", input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 3)


def avg_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """The sum of each window of (N, C, D, H, W) divided by its size (or by divisor_override)."""
    return avg_pool("avg_pool3d", input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                    divisor_override, 3)


def adaptive_avg_pool3d(input: Tensor, output_size: Any) -> Tensor:
    """Means over an output_size grid of adaptive windows of (N, C, D, H, W) (None keeps a dim's size)."""
    return adaptive_avg_pool("adaptive_avg_pool3d", input, output_size, 3)


def adaptive_max_pool3d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Maxima over an output_size grid of adaptive windows of (N, C, D, H, W); optionally their flat positions."""
    return adaptive_max_pool("adaptive_max_pool3d", input, output_size, return_indices, 3)


def lp_pool3d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """(sum of x^p over each window)^(1/p), computed as torch does from avg_pool3d."""
    kd, kh, kw = ntuple(kernel_size, 3, "kernel_size", "lp_pool3d")
    out = avg_pool3d(input.pow(norm_type), (kd, kh, kw), stride, 0, ceil_mode)
    return _lp_root(out, norm_type, kd * kh * kw)


def _unpool_output_size(input: Tensor, kernel_size: tuple, stride: tuple, padding: tuple,
                        output_size: Any) -> list:
    """torch's ``_unpool_output_size``: the default (i - 1) * s + k - 2p, or a checked output_size."""
    nd = len(kernel_size)
    default = [(input.shape[input.ndim - nd + d] - 1) * stride[d] + kernel_size[d] - 2 * padding[d] for d in range(nd)]
    if output_size is None:
        return default
    output_size = list(output_size)
    if len(output_size) == nd + 2:
        output_size = output_size[2:]
    if len(output_size) != nd:
        raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} elements, but it has a length "
                         f"of '{len(output_size)}'")
    for d in range(nd):
        lo, hi = default[d] - stride[d], default[d] + stride[d]
        if not lo < output_size[d] < hi:
            raise ValueError(f'invalid output_size "{output_size}" (dim {d} must be between {lo} and {hi})')
    return output_size


def max_unpool(fn: str, input: Tensor, indices: Tensor, kernel_size: Any, stride: Any, padding: Any,
               output_size: Any, nd: int) -> Tensor:
    """Checked ``max_unpool{nd}d``: input written at the flat positions ``indices`` of zeros(output size)."""
    k = ntuple(kernel_size, nd, "kernel_size", fn)
    s = k if stride is None else ntuple(stride, nd, "stride", fn)
    p = ntuple(padding, nd, "padding", fn)
    size = _unpool_output_size(input, k, s, p, output_size)
    kind = "max_unpooling3d" if nd == 3 else "max_unpooling2d"
    if indices.dtype.name != "int64":
        raise RuntimeError(f"elements in indices should be type int64 but got: {_TYPE_NAME.get(indices.dtype.name)}")
    if tuple(input.shape) != tuple(indices.shape):
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor ({list(input.shape)}) "
                           f"but got indices tensor with shape: {list(indices.shape)}")
    lo = 4 if nd == 3 else 3
    if input.ndim not in (lo, lo + 1):
        raise RuntimeError(f"Input to {kind} should be a {lo}d or {lo + 1}d Tensor, but got a tensor with "
                           f"{input.ndim} dimensions.")
    for i in range(1, input.ndim):
        if input.shape[i] == 0:
            raise RuntimeError(f"{kind}(): Expected input to have non-zero size for non-batch dimensions, but got "
                               f"{list(input.shape)} with dimension {i} being empty.")
    total = int(np.prod(size))
    idx = indices._data
    if idx.size and (idx.min() < 0 or idx.max() >= total):
        bad = int(idx[(idx < 0) | (idx >= total)].flat[0])
        raise RuntimeError(f"Found an invalid max index: {bad} (output volumes are of size "
                           f"{'x'.join(map(str, size))})")
    shape = tuple(input.shape[:input.ndim - nd]) + tuple(size)
    return MaxUnpool.apply(input, idx, shape, nd)


_TYPE_NAME = {"float16": "Half", "float32": "Float", "float64": "Double", "uint8": "Byte", "int8": "Char",
              "int16": "Short", "int32": "Int", "int64": "Long", "bool": "Bool"}


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Any = None) -> Tensor:
    """The partial inverse of max_pool1d: (N, C, L) values placed at their indices, zeros elsewhere."""
    return max_unpool("max_unpool1d", input, indices, kernel_size, stride, padding, output_size, 1)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Any = None) -> Tensor:
    """The partial inverse of max_pool2d: (N, C, H, W) values placed at their flat indices, zeros elsewhere."""
    return max_unpool("max_unpool2d", input, indices, kernel_size, stride, padding, output_size, 2)


def max_unpool3d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Any = None) -> Tensor:
    """The partial inverse of max_pool3d: (N, C, D, H, W) values placed at their flat indices, zeros elsewhere."""
    return max_unpool("max_unpool3d", input, indices, kernel_size, stride, padding, output_size, 3)


def fractional_max_pool(fn: str, input: Tensor, kernel_size: Any, output_size: Any, output_ratio: Any,
                        return_indices: bool, _random_samples: Tensor | None, nd: int) -> Any:
    """Checked ``fractional_max_pool{nd}d``: maxima over pseudo-random windows of size kernel_size whose starts
    follow from one sample u in [0, 1) per plane and dim (``_random_samples``, drawn when not given)."""
    if output_size is None and output_ratio is None:
        raise ValueError(f"{fn} requires specifying either an output_size or an output_ratio")
    spatial = tuple(input.shape[input.ndim - nd:]) if input.ndim >= nd else ()
    if output_size is None:
        ratio = (output_ratio,) * nd if isinstance(output_ratio, (int, float)) else tuple(output_ratio)
        if len(ratio) != nd:
            raise ValueError(f"{fn} requires output_ratio to either be a single Int or tuple of Ints.")
        output_size = [int(n * r) for n, r in zip(spatial, ratio)]
    if _random_samples is None and input.ndim < nd + 1:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(input.ndim, 1)}, "
                         f"{max(input.ndim, 1) - 1}], but got {-nd - 1})")
    k = ntuple(kernel_size, nd, "kernel_size", fn)
    out = ntuple(output_size, nd, "output_size", fn)
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"{fn}(): Expected {nd + 1}D or {nd + 2}D tensor, but got: {list(input.shape)}")
    for i in range(1, input.ndim):
        if input.shape[i] == 0:
            raise RuntimeError(f"{fn}(): Expected input to have non-zero size for non-batch dimensions, but got"
                               f"{list(input.shape)} with dimension {i} being empty.")
    names = ("time", "height", "width")[3 - nd:]
    for name, o, kk, n in zip(names, out, k, spatial):
        if o + kk - 1 > n:
            raise RuntimeError(f"{fn}(): pool {name} {kk} too large relative to input {name} {n}")
    if not input.is_floating_point():
        raise RuntimeError(f"{fn}: expected a floating point input, but got input of dtype {input.dtype}")
    if _random_samples is not None and _random_samples.requires_grad and is_grad_enabled():
        raise RuntimeError(f"The function '{fn}' is not differentiable with respect to argument 'random_samples'. "
                           "This input cannot have requires_grad True.")
    lead = tuple(input.shape[:input.ndim - nd])
    n_batch = 1 if input.ndim == nd + 1 else input.shape[0]
    if _random_samples is None:
        samples = rand(n_batch, lead[-1], nd, dtype=input.dtype)._data
    else:
        samples = _random_samples._data
        if samples.shape != (n_batch, lead[-1], nd):
            raise RuntimeError(f"{fn}(): expected _random_samples of size {[n_batch, lead[-1], nd]}, but got "
                               f"{list(samples.shape)}")
    samples = samples.reshape(-1, nd).astype(input._data.dtype, copy=False)
    # torch's sample 0 drives the last dim in 2-D (w, h) and the first in 3-D (t, h, w)
    order = list(range(nd))[::-1] if nd == 2 else list(range(nd))
    starts = [fractional_starts(samples[:, order[d]], n, o, kk) for d, (n, o, kk) in enumerate(zip(spatial, out, k))]
    idx = window_argmax(input._data.reshape((-1,) + spatial), starts, k).reshape(lead + out)
    result = AdaptiveMaxPool2D.apply(input, idx, nd)
    return (result, Tensor._make(idx)) if return_indices else result


def fractional_max_pool2d(input: Tensor, kernel_size: Any, output_size: Any = None, output_ratio: Any = None,
                          return_indices: bool = False, _random_samples: Tensor | None = None) -> Any:
    """Fractional max pooling of (N, C, H, W) (Graham, 2014); optionally with the maxima's flat positions."""
    return fractional_max_pool("fractional_max_pool2d", input, kernel_size, output_size, output_ratio,
                               return_indices, _random_samples, 2)


def fractional_max_pool3d(input: Tensor, kernel_size: Any, output_size: Any = None, output_ratio: Any = None,
                          return_indices: bool = False, _random_samples: Tensor | None = None) -> Any:
    """Fractional max pooling of (N, C, T, H, W); optionally with the maxima's flat positions."""
    return fractional_max_pool("fractional_max_pool3d", input, kernel_size, output_size, output_ratio,
                               return_indices, _random_samples, 3)
