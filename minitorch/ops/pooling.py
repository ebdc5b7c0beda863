"""Pooling: max (with torch's flat indices), average, adaptive max/average, by strided window slices.

Every pool works plane by plane, so the ops view the input as (planes, 1, H, W) whatever its
leading dims ((C, H, W), (N, C, H, W), and (N, C, L) for 1-D with H = 1). A max pool takes
the elementwise maximum of the kh x kw strided slices of the (-inf padded) input, then finds
which offset held it; its gradient is scattered to those positions (``ArgmaxScatter``), whose
own gradient is a gather (``ArgmaxGather``), so double backward works.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from minitorch.autograd.function import Op
from minitorch.autograd.grad_mode import is_grad_enabled
from minitorch.ops._window import Window, col2im, pad_planes, pool_size
from minitorch.ops.conv import make_window, ntuple
from minitorch.tensor import Tensor


def _as_planes(x: np.ndarray, win: Window) -> np.ndarray:
    return x.reshape((-1, 1) + tuple(win.in_size))


def _out_shape(x: np.ndarray, win: Window, nd: int) -> tuple:
    return x.shape[:x.ndim - nd] + tuple(win.out_size)[2 - nd:]


def _valid(win: Window) -> list:
    """Per kernel offset, the (Ho, Wo) mask of windows whose tap falls inside the unpadded input."""
    (h, w), (pt, _, pl, _) = win.in_size, win.padding
    (ho, wo), (sh, sw), (dh, dw) = win.out_size, win.stride, win.dilation
    masks = []
    for a, b, _, _ in win.offsets():
        rows = np.arange(ho) * sh + a * dh - pt
        cols = np.arange(wo) * sw + b * dw - pl
        masks.append(((rows >= 0) & (rows < h))[:, None] & ((cols >= 0) & (cols < w))[None, :])
    return masks


def max_windows(x4: np.ndarray, win: Window, with_offsets: bool) -> tuple:
    """(max of each window, which kernel offset holds it or None): the first maximum in window order,
    the last NaN if there is one (torch's rule), never a padded position."""
    xp = pad_planes(x4, win, -np.inf)
    taps = [xp[:, :, rows, cols] for _, _, rows, cols in win.offsets()]
    out = np.array(taps[0])
    for t in taps[1:]:
        np.maximum(out, t, out=out)
    if not with_offsets:
        return out, None
    valid = _valid(win) if any(win.padding) else None
    best = np.zeros(out.shape, np.uint8 if len(taps) < 256 else np.int32)
    hit, step = np.empty(out.shape, bool), np.empty_like(best)
    for k in range(len(taps) - 1, -1, -1):  # the lowest matching offset is written last
        np.equal(taps[k], out, out=hit)
        if valid is not None:
            hit &= valid[k]
        np.subtract(best, k, out=step)
        step *= hit
        best -= step
    if out.dtype.kind == "f" and np.isnan(out).any():
        for k, t in enumerate(taps):
            nan = np.isnan(t)
            np.putmask(best, nan & valid[k] if valid is not None else nan, k)
    return out, best


def flat_index(best: np.ndarray, win: Window) -> np.ndarray:
    """torch's max-pool index h * W + w (unpadded input) from the winning kernel offset of each window."""
    (h, w), (pt, _, pl, _) = win.in_size, win.padding
    (ho, wo), (sh, sw), (dh, dw) = win.out_size, win.stride, win.dilation
    offsets = np.array([a * dh * w + b * dw for a, b, _, _ in win.offsets()], np.int64)
    base = (np.arange(ho) * sh - pt)[:, None] * w + (np.arange(wo) * sw - pl)[None, :]
    return offsets.take(best) + base


def _overlapping(win: Window) -> bool:
    return any(s < d * (k - 1) + 1 for s, d, k in zip(win.stride, win.dilation, win.kernel))


def _route(g: np.ndarray, best: np.ndarray, win: Window, shape: tuple) -> np.ndarray:
    """zeros(shape), then each window's g added at its winning tap (slice by slice, as the forward read)."""
    g4 = g.reshape((-1, 1) + tuple(win.out_size))
    best = best.reshape(g4.shape)
    xp = np.zeros((g4.shape[0], 1) + win.padded_size, g.dtype)
    overlap = _overlapping(win)
    for k, (_, _, rows, cols) in enumerate(win.offsets()):
        if overlap:
            xp[:, :, rows, cols] += g4 * (best == k)
        else:
            np.multiply(g4, best == k, out=xp[:, :, rows, cols])
    inner = xp[(slice(None), slice(None)) + win.inner()]
    return (np.ascontiguousarray(inner) if any(win.padding) else inner).reshape(shape)


def _pick(x: np.ndarray, best: np.ndarray, win: Window) -> np.ndarray:
    """Each window's value at its winning tap (the adjoint of ``_route``)."""
    xp = pad_planes(_as_planes(x, win), win, 0)
    best = best.reshape((-1, 1) + tuple(win.out_size))
    out = np.zeros(best.shape, x.dtype)
    for k, (_, _, rows, cols) in enumerate(win.offsets()):
        np.copyto(out, xp[:, :, rows, cols], where=best == k)
    return out


class MaxPool2DWithIndices(Op):
    """y = the max of each window (padding counts as -inf), and which kernel offset holds it.

    dL/dx = the gradient routed to each window's argmax (``MaxPool2DWithIndicesBackward``).
    """

    @staticmethod
    def forward(ctx, x, win, nd):
        ctx.set_materialize_grads(False)
        out, best = max_windows(_as_planes(x, win), win, True)
        shape = _out_shape(x, win, nd)
        ctx.best, ctx.win, ctx.shape = best.reshape(shape), win, x.shape
        return out.reshape(shape), ctx.best

    @staticmethod
    def backward(ctx, grad, _):
        if grad is None:
            return None, None, None
        return MaxPool2DWithIndicesBackward.apply(grad, ctx.best, ctx.win, ctx.shape), None, None


class MaxPool2DWithIndicesBackward(Op):
    """x' = zeros, then each window's g added at its argmax tap;  dL/dg = gx' read back at the argmax taps."""

    @staticmethod
    def forward(ctx, g, best, win, shape):
        ctx.best, ctx.win = best, win
        return _route(g, best, win, shape)

    @staticmethod
    def backward(ctx, grad):
        return MaxPoolPick.apply(grad, ctx.best, ctx.win), None, None, None


class MaxPoolPick(Op):
    """y = x at each window's argmax tap (the adjoint of ``MaxPool2DWithIndicesBackward``);  dL/dx = g routed back."""

    @staticmethod
    def forward(ctx, x, best, win):
        ctx.best, ctx.win, ctx.shape = best, win, x.shape
        return _pick(x, best, win).reshape(best.shape)

    @staticmethod
    def backward(ctx, grad):
        return MaxPool2DWithIndicesBackward.apply(grad, ctx.best, ctx.win, ctx.shape), None, None


def _scatter(g: np.ndarray, idx: np.ndarray, shape: tuple, nd: int) -> np.ndarray:
    """zeros(shape) with g added at the flat positions idx of each of the leading planes."""
    hw = int(np.prod(shape[len(shape) - nd:]))
    n_planes = int(np.prod(shape[:len(shape) - nd]))
    flat = idx.reshape(n_planes, -1) + (np.arange(n_planes, dtype=np.int64) * hw)[:, None]
    out = np.bincount(flat.ravel(), g.reshape(-1), n_planes * hw)
    return out.astype(g.dtype, copy=False).reshape(shape)


def _gather(x: np.ndarray, idx: np.ndarray, nd: int) -> np.ndarray:
    """x at the flat positions idx of each of the leading planes."""
    n_planes = int(np.prod(x.shape[:x.ndim - nd]))
    return np.take_along_axis(x.reshape(n_planes, -1), idx.reshape(n_planes, -1), 1).reshape(idx.shape)


class ArgmaxScatter(Op):
    """y = zeros(shape), then y[plane].flat[idx[plane]] += g[plane] (the gradient of an adaptive max pool).

    dL/dg = the gradient read back at idx (``ArgmaxGather``).
    """

    @staticmethod
    def forward(ctx, g, idx, shape, nd):
        ctx.idx, ctx.nd = idx, nd
        return _scatter(g, idx, shape, nd)

    @staticmethod
    def backward(ctx, grad):
        return ArgmaxGather.apply(grad, ctx.idx, ctx.nd), None, None, None


class ArgmaxGather(Op):
    """y[plane] = x[plane].flat[idx[plane]];  dL/dx = the gradient scattered back (``ArgmaxScatter``)."""

    @staticmethod
    def forward(ctx, x, idx, nd):
        ctx.idx, ctx.shape, ctx.nd = idx, x.shape, nd
        return _gather(x, idx, nd)

    @staticmethod
    def backward(ctx, grad):
        return ArgmaxScatter.apply(grad, ctx.idx, ctx.shape, ctx.nd), None, None


class AdaptiveMaxPool2D(ArgmaxGather):
    """y = x at the argmax of each adaptive window (found by ``adaptive_argmax``);  dL/dx = g scattered there."""


class AvgPool2D(Op):
    """y = (the sum of each window of the zero-padded x) / divisor;  dL/dx = ``AvgPool2DBackward``(g)."""

    @staticmethod
    def forward(ctx, x, win, divisor, nd):
        ctx.win, ctx.divisor, ctx.shape, ctx.nd = win, divisor, x.shape, nd
        xp = pad_planes(_as_planes(x, win), win, 0)
        taps = [xp[:, :, rows, cols] for _, _, rows, cols in win.offsets()]
        out = np.array(taps[0])
        for t in taps[1:]:
            out += t
        out /= divisor
        return out.reshape(_out_shape(x, win, nd))

    @staticmethod
    def backward(ctx, grad):
        return AvgPool2DBackward.apply(grad, ctx.win, ctx.divisor, ctx.shape, ctx.nd), None, None, None


class AvgPool2DBackward(Op):
    """x' = each window's g / divisor added back over the window (the adjoint of ``AvgPool2D``).

    It is linear in g: dL/dg = ``AvgPool2D``(gx').
    """

    @staticmethod
    def forward(ctx, g, win, divisor, shape, nd):
        ctx.win, ctx.divisor, ctx.nd = win, divisor, nd
        share = (g.reshape((-1, 1) + tuple(win.out_size)) / divisor).reshape(-1, 1, win.length)
        xp = col2im(np.broadcast_to(share, tuple(win.kernel) + share.shape), win)
        return np.ascontiguousarray(xp[(slice(None), slice(None)) + win.inner()]).reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return AvgPool2D.apply(grad, ctx.win, ctx.divisor, ctx.nd), None, None, None, None


# ---------------------------------------------------------------------------------- entry points
def _check_input(fn: str, input: Tensor, nd: int) -> None:
    """Rank nd + 1 or nd + 2, floating, and no empty non-batch dimension."""
    if input.ndim not in (nd + 1, nd + 2) or 0 in input.shape[input.ndim - nd - 1:]:
        raise RuntimeError(
            f"{fn}: Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with optional 0 dim batch size for input, "
            f"but got: {list(input.shape)}"
        )
    if not input.is_floating_point():
        raise RuntimeError(f"{fn}: expected a floating point input, but got input of dtype {input.dtype}")


def pool_window(fn: str, input: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any,
                ceil_mode: bool, nd: int, is_max: bool) -> Window:
    """The checked window of a max or average pool (torch's errors, ceil_mode's extra right padding)."""
    k = ntuple(kernel_size, nd, "kernel_size", fn)
    empty = stride is None or (isinstance(stride, Sequence) and len(stride) == 0)
    s = k if empty else ntuple(stride, nd, "stride", fn)
    p, d = ntuple(padding, nd, "padding", fn), ntuple(dilation, nd, "dilation", fn)
    if min(k) <= 0:
        raise RuntimeError(f"{fn}: kernel_size must be greater than zero, but got kernel_size={k}")
    if min(s) <= 0:
        raise RuntimeError(f"{fn}: stride should be greater than zero, but got stride={s}")
    if min(d) <= 0:
        raise RuntimeError(f"{fn}: dilation should be greater than zero, but got dilation={d}")
    if min(p) < 0:
        raise RuntimeError(f"{fn}: pad must be non-negative, but got pad={p}")
    for kk, pp, dd in zip(k, p, d):
        if is_max and pp > ((kk - 1) * dd + 1) // 2:
            raise RuntimeError(f"{fn}: pad should be at most half of effective kernel size, but got pad={pp}, "
                               f"kernel_size={kk} and dilation={dd}")
        if pp > kk // 2:
            raise RuntimeError(f"{fn}: pad should be at most half of kernel size, but got pad={pp} and "
                               f"kernel_size={kk}")
    size = tuple(input.shape[input.ndim - nd:])
    out = tuple(pool_size(i, kk, ss, pp, dd, ceil_mode) for i, kk, ss, pp, dd in zip(size, k, s, p, d))
    if min(out) < 1:
        c = input.shape[input.ndim - nd - 1]
        raise RuntimeError(f"{fn}: Given input size: ({'x'.join(map(str, (c,) + size))}). Calculated output size: "
                           f"({'x'.join(map(str, (c,) + out))}). Output size is too small")
    pads = tuple((pp, pp + max(0, (o - 1) * ss + dd * (kk - 1) + 1 - i - 2 * pp))
                 for i, o, kk, ss, pp, dd in zip(size, out, k, s, p, d))
    return make_window(size, k, s, d, pads, out, allow_flat=False)


def max_pool(fn: str, input: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any, ceil_mode: bool,
             return_indices: bool, nd: int) -> Any:
    """Checked ``max_pool{nd}d``: the values, and with ``return_indices`` the flat positions of the maxima."""
    _check_input(fn, input, nd)
    win = pool_window(fn, input, kernel_size, stride, padding, dilation, ceil_mode, nd, True)
    shape = _out_shape(input._data, win, nd)
    if input.requires_grad and is_grad_enabled():
        out, best = MaxPool2DWithIndices.apply(input, win, nd)
        best = best._data
    else:
        values, best = max_windows(_as_planes(input._data, win), win, return_indices)
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
    _check_input(fn, input, nd)
    win = pool_window(fn, input, kernel_size, stride, padding, 1, ceil_mode, nd, False)
    if divisor_override is not None:
        if divisor_override == 0:
            raise RuntimeError(f"{fn}: divisor must be not zero")
        divisor = np.asarray(divisor_override, input._data.dtype)
    else:
        (h, w), (pt, _, pl, _), (ho, wo) = win.in_size, win.padding, win.out_size
        rows = _avg_counts(h, ho, win.kernel[0], win.stride[0], pt, count_include_pad)
        cols = _avg_counts(w, wo, win.kernel[1], win.stride[1], pl, count_include_pad)
        divisor = np.outer(rows, cols).astype(input._data.dtype)
    return AvgPool2D.apply(input, win, divisor, nd)


def adaptive_size(fn: str, input: Tensor, output_size: Any, nd: int) -> tuple:
    """Check the input of an adaptive pool and resolve ``output_size`` (None keeps the input's size)."""
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"{fn}(): Expected {nd + 1}D or {nd + 2}D tensor, but got {list(input.shape)}")
    for i in range(input.ndim - nd - 1, input.ndim):
        if input.shape[i] == 0 and (i > 0 or input.ndim == nd + 1):
            raise RuntimeError(
                f"{fn}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes "
                f"{list(input.shape)} with dimension {i} being empty"
            )
    if isinstance(output_size, (int, np.integer)) or output_size is None:
        output_size = (output_size,) * nd
    sizes = tuple(output_size)
    if len(sizes) != nd:
        raise RuntimeError(f"{fn}: output_size must have {nd} elements, but got {list(sizes)}")
    sizes = tuple(int(i) if o is None else o for o, i in zip(sizes, input.shape[input.ndim - nd:]))
    if any(o < 0 for o in sizes):
        raise RuntimeError(f"{fn}: elements of output_size must be greater than or equal to 0 but received "
                           f"{{{', '.join(map(str, sizes))}}}")
    if not input.is_floating_point():
        raise RuntimeError(f"{fn}: expected a floating point input, but got input of dtype {input.dtype}")
    return sizes


def adaptive_ranges(size: int, out: int) -> tuple:
    """Window i of an adaptive pool covers [floor(i * size / out), ceil((i + 1) * size / out))."""
    i = np.arange(out)
    return (i * size) // out, -((-(i + 1) * size) // out)


def _window_taps(size: int, out: int) -> tuple:
    """(positions (out, kmax) clipped into range, mask of the real ones) of each adaptive window."""
    start, end = adaptive_ranges(size, out)
    kmax = int((end - start).max())
    pos = start[:, None] + np.arange(kmax)
    real = pos < end[:, None]
    return np.where(real, pos, start[:, None]), real


def adaptive_argmax(x: np.ndarray, out: tuple) -> np.ndarray:
    """Flat position h * W + w of the max of each adaptive window of the (..., H, W) planes of x
    (the first maximum in window order, the last NaN if there is one, as torch)."""
    (h, w), (ho, wo) = x.shape[-2:], out
    lead = x.shape[:-2]
    if ho == 0 or wo == 0:
        return np.zeros(lead + out, np.int64)
    rows, real_r = _window_taps(h, ho)
    cols, real_c = _window_taps(w, wo)
    kh, kw = rows.shape[1], cols.shape[1]
    vals = x.reshape((-1, h, w))[:, rows[:, :, None, None], cols[None, None, :, :]]
    vals = np.where(real_r[:, :, None, None] & real_c[None, None, :, :], vals, -np.inf)
    vals = vals.transpose(0, 1, 3, 2, 4).reshape(vals.shape[0], ho, wo, kh * kw)
    best = vals.argmax(-1)
    nan = np.isnan(vals)
    if nan.any():
        best = np.where(nan.any(-1), kh * kw - 1 - nan[..., ::-1].argmax(-1), best)
    a, b = np.divmod(best, kw)
    idx = rows[np.arange(ho)[:, None], a] * w + cols[np.arange(wo)[None, :], b]
    return idx.reshape(lead + out).astype(np.int64)


def adaptive_max_pool(fn: str, input: Tensor, output_size: Any, return_indices: bool, nd: int) -> Any:
    """Checked ``adaptive_max_pool{nd}d``: the max of each adaptive window (and its flat position)."""
    sizes = adaptive_size(fn, input, output_size, nd)
    x = input._data if nd == 2 else input._data[..., None, :]
    idx = adaptive_argmax(x, (1,) * (2 - nd) + sizes)
    idx = idx if nd == 2 else idx[..., 0, :]
    out = AdaptiveMaxPool2D.apply(input, idx, nd)
    return (out, Tensor._make(idx)) if return_indices else out


def _adaptive_mean(x: Tensor, dim: int, out: int) -> Tensor:
    """Average over the adaptive windows along one dim (a reshape-mean when they tile it exactly)."""
    size = x.shape[dim]
    if out == 0:
        return x.narrow(dim, 0, 0)
    if size % out == 0:
        return x.unflatten(dim, (out, size // out)).mean(dim + 1)
    pos, real = _window_taps(size, out)
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
