"""Pooling ops: max, average and adaptive max, by strided window slices (no loop over pixels).

Every pool works plane by plane, so the ops view the input as (planes, 1, *spatial) whatever its
leading dims ((C, H, W), (N, C, H, W), (N, C, D, H, W), and (N, C, L) for 1-D with H = 1). A max pool takes
the elementwise maximum of the strided slices (one per kernel offset) of the (-inf padded) input and records
which kernel offset held it; its gradient is routed back to that tap slice by slice
(``MaxPool2DWithIndicesBackward``), whose own gradient reads it back (``MaxPoolPick``), so
double backward works. Adaptive max pools use flat positions instead (``ArgmaxScatter`` /
``ArgmaxGather``), and average pools are linear too: each of these pairs is a ``LinearMap``
and its adjoint, each the other's gradient.
"""
from __future__ import annotations

import numpy as np

from minitorch.autograd.function import Op
from minitorch.ops._adjoint import LinearMap
from minitorch.ops._window import Window, col2im, pad_planes


def as_planes(x: np.ndarray, win: Window) -> np.ndarray:
    """x (..., *spatial) (or (..., L) with H = 1) as a (planes, 1, *spatial) stack."""
    return x.reshape((-1, 1) + tuple(win.in_size))


def out_shape(x: np.ndarray, win: Window, nd: int) -> tuple:
    """x's leading dims followed by the pooled spatial size (nd spatial dims)."""
    return x.shape[:x.ndim - nd] + tuple(win.out_size)[len(win.out_size) - nd:]


def _inside(win: Window, off: tuple) -> list:
    """Per spatial dim, which output positions' tap at kernel offset ``off`` falls inside the unpadded input."""
    out = []
    for i, (n, o, s, d, a) in enumerate(zip(win.in_size, win.out_size, win.stride, win.dilation, off)):
        pos = np.arange(o) * s + a * d - win.padding[2 * i]
        out.append((pos >= 0) & (pos < n))
    return out


def outer_and(masks: list) -> np.ndarray:
    """The outer logical and of 1-D masks: out[i, j, ...] = masks[0][i] & masks[1][j] & ..."""
    out = np.ones((), bool)
    for m in masks:
        out = np.logical_and.outer(out, m)
    return out


def _valid(win: Window) -> list:
    """Per kernel offset, the out_size mask of windows whose tap falls inside the unpadded input."""
    masks = []
    for off, _ in win.offsets():
        axes = _inside(win, off)
        masks.append(outer_and(axes))
    return masks


def max_windows(x4: np.ndarray, win: Window, with_offsets: bool) -> tuple:
    """(max of each window, which kernel offset holds it or None): the first maximum in window order,
    the last NaN if there is one (torch's rule), never a padded position."""
    xp = pad_planes(x4, win, -np.inf if x4.dtype.kind == "f" else np.iinfo(x4.dtype).min)
    taps = [xp[(slice(None), slice(None)) + sl] for _, sl in win.offsets()]
    out = np.array(taps[0])
    if not with_offsets:
        for t in taps[1:]:
            np.maximum(out, t, out=out)
        return out, None
    best = np.zeros(out.shape, np.uint8 if len(taps) < 256 else np.int32)
    valid = _valid(win) if any(win.padding) else None
    if valid is None:  # a tap strictly above the running maximum takes it over (a tie keeps the first)
        beats, k_or_0 = np.empty(out.shape, bool), np.empty_like(best)
        for k, t in enumerate(taps[1:], 1):
            np.greater(t, out, out=beats)
            np.multiply(beats, best.dtype.type(k), out=k_or_0)
            np.maximum(best, k_or_0, out=best)  # k is above every earlier offset (a masked copy is 10x slower)
            np.maximum(out, t, out=out)
    else:  # the first tap equal to the maximum that is not padding (which can equal an all -inf window)
        for t in taps[1:]:
            np.maximum(out, t, out=out)
        hit, step = np.empty(out.shape, bool), np.empty_like(best)
        for k in range(len(taps) - 1, -1, -1):  # the lowest matching offset is written last
            np.equal(taps[k], out, out=hit)
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
    """torch's max-pool index (h * W + w in 2-D, (d * H + h) * W + w in 3-D; unpadded input) from the
    winning kernel offset of each window."""
    strides = [int(np.prod(win.in_size[i + 1:])) for i in range(len(win.in_size))]
    offsets = np.array([sum(a * d * st for a, d, st in zip(off, win.dilation, strides)) for off, _ in win.offsets()],
                       np.int64)
    base = np.zeros((), np.int64)
    for i, (o, s, st) in enumerate(zip(win.out_size, win.stride, strides)):
        base = np.add.outer(base, (np.arange(o) * s - win.padding[2 * i]) * st)
    return offsets.take(best) + base


def _overlapping(win: Window) -> bool:
    return any(s < d * (k - 1) + 1 for s, d, k in zip(win.stride, win.dilation, win.kernel))


def _tiles(win: Window) -> bool:
    """Whether the windows cover the input exactly once (no padding, kernel = stride, no remainder)."""
    return not any(win.padding) and all(
        d == 1 and k == s and o * s == n for d, k, s, o, n in zip(win.dilation, win.kernel, win.stride, win.out_size,
                                                                  win.in_size))


def _route(g: np.ndarray, best: np.ndarray, win: Window, shape: tuple) -> np.ndarray:
    """zeros(shape), then each window's g added at its winning tap (slice by slice, as the forward read).

    g * mask is the fast form of where(mask, g, 0); it is only used when g is finite (inf * 0 is NaN). Then
    each tap's slice is written whole, so where the windows tile the input the zeros need not be filled first.
    """
    g4 = g.reshape((-1, 1) + tuple(win.out_size))
    best = best.reshape(g4.shape)
    overlap, finite = _overlapping(win), bool(np.isfinite(g4).all())
    xp = (np.empty if finite and _tiles(win) else np.zeros)((g4.shape[0], 1) + win.padded_size, g.dtype)
    for k, (_, sl) in enumerate(win.offsets()):
        target = xp[(slice(None), slice(None)) + sl]
        if overlap or not finite:
            target += g4 * (best == k) if finite else np.where(best == k, g4, 0)
        else:
            np.multiply(g4, best == k, out=target)
    inner = xp[(slice(None), slice(None)) + win.inner()]
    return (np.ascontiguousarray(inner) if any(win.padding) else inner).reshape(shape)


def _pick(x: np.ndarray, best: np.ndarray, win: Window) -> np.ndarray:
    """Each window's value at its winning tap (the adjoint of ``_route``)."""
    xp = pad_planes(as_planes(x, win), win, 0)
    best = best.reshape((-1, 1) + tuple(win.out_size))
    out = np.zeros(best.shape, x.dtype)
    for k, (_, sl) in enumerate(win.offsets()):
        np.copyto(out, xp[(slice(None), slice(None)) + sl], where=best == k)
    return out


class MaxPool2DWithIndices(Op):
    """y = the max of each window (padding counts as -inf), and which kernel offset holds it.

    dL/dx = the gradient routed to each window's argmax (``MaxPool2DWithIndicesBackward``).
    """

    @staticmethod
    def forward(ctx, x, win, nd):
        ctx.set_materialize_grads(False)
        out, best = max_windows(as_planes(x, win), win, True)
        shape = out_shape(x, win, nd)
        ctx.best, ctx.win, ctx.shape = best.reshape(shape), win, x.shape
        return out.reshape(shape), ctx.best

    @staticmethod
    def backward(ctx, grad, _):
        if grad is None:
            return None, None, None
        return MaxPool2DWithIndicesBackward.apply(grad, ctx.best, ctx.win, ctx.shape), None, None


class MaxPool2DWithIndicesBackward(LinearMap):
    """x' = zeros(shape), then each window's g added at its argmax tap;
    dL/dg = gx' read back at the argmax taps (``MaxPoolPick``)."""

    @staticmethod
    def kernel(g, best, win, shape):
        return _route(g, best, win, shape)

    @staticmethod
    def adjoint_args(g, best, win, shape):
        return best, win


class MaxPoolPick(LinearMap):
    """y = x at each window's argmax tap;  dL/dx = g routed back (``MaxPool2DWithIndicesBackward``)."""

    @staticmethod
    def kernel(x, best, win):
        return _pick(x, best, win).reshape(best.shape)

    @staticmethod
    def adjoint_args(x, best, win):
        return best, win, x.shape


MaxPool2DWithIndicesBackward.adjoint, MaxPoolPick.adjoint = MaxPoolPick, MaxPool2DWithIndicesBackward


def _scatter(g: np.ndarray, idx: np.ndarray, shape: tuple, nd: int) -> np.ndarray:
    """zeros(shape) with g added at the flat positions idx of each of the leading planes."""
    hw = int(np.prod(shape[len(shape) - nd:]))
    n_planes = int(np.prod(shape[:len(shape) - nd]))
    flat = idx.reshape(n_planes, int(np.prod(idx.shape[idx.ndim - nd:]))) + (np.arange(n_planes) * hw)[:, None]
    out = np.bincount(flat.ravel(), g.reshape(-1), n_planes * hw)
    return out.astype(g.dtype, copy=False).reshape(shape)


def _gather(x: np.ndarray, idx: np.ndarray, nd: int) -> np.ndarray:
    """x at the flat positions idx of each of the leading planes."""
    n_planes, hw = int(np.prod(x.shape[:x.ndim - nd])), int(np.prod(x.shape[x.ndim - nd:]))
    picks = idx.reshape(n_planes, int(np.prod(idx.shape[idx.ndim - nd:])))
    return np.take_along_axis(x.reshape(n_planes, hw), picks, 1).reshape(idx.shape)


class ArgmaxScatter(LinearMap):
    """y = zeros(shape), then y[plane].flat[idx[plane]] += g[plane] (the gradient of an adaptive max pool);
    dL/dg = the gradient read back at idx (``ArgmaxGather``)."""

    @staticmethod
    def kernel(g, idx, shape, nd):
        return _scatter(g, idx, shape, nd)

    @staticmethod
    def adjoint_args(g, idx, shape, nd):
        return idx, nd


class ArgmaxGather(LinearMap):
    """y[plane] = x[plane].flat[idx[plane]];  dL/dx = the gradient scattered back (``ArgmaxScatter``)."""

    @staticmethod
    def kernel(x, idx, nd):
        return _gather(x, idx, nd)

    @staticmethod
    def adjoint_args(x, idx, nd):
        return idx, x.shape, nd


ArgmaxScatter.adjoint, ArgmaxGather.adjoint = ArgmaxGather, ArgmaxScatter


class AdaptiveMaxPool2D(ArgmaxGather):
    """y = x at the argmax of each adaptive window (found by ``adaptive_argmax``);  dL/dx = g scattered there."""


class AvgPool2D(LinearMap):
    """y = (the sum of each window of the zero-padded x) / divisor (integers: the quotient truncated toward
    zero, as C divides);  dL/dx = ``AvgPool2DBackward``(g)."""

    @staticmethod
    def kernel(x, win, divisor, nd):
        xp = pad_planes(as_planes(x, win), win, 0)
        taps = [xp[(slice(None), slice(None)) + sl] for _, sl in win.offsets()]
        out = np.array(taps[0])
        for t in taps[1:]:
            out += t
        if out.dtype.kind == "f":
            out /= divisor
        else:
            out = np.sign(out) * np.sign(divisor) * (np.abs(out) // np.abs(divisor))
        return out.reshape(out_shape(x, win, nd))

    @staticmethod
    def adjoint_args(x, win, divisor, nd):
        return win, divisor, x.shape, nd


class AvgPool2DBackward(LinearMap):
    """x' = each window's g / divisor added back over the window (the adjoint of ``AvgPool2D``);
    dL/dg = ``AvgPool2D``(gx')."""

    @staticmethod
    def kernel(g, win, divisor, shape, nd):
        share = (g.reshape((-1, 1) + tuple(win.out_size)) / divisor).reshape(-1, 1, win.length)
        xp = col2im(np.broadcast_to(share, tuple(win.kernel) + share.shape), win)
        return np.ascontiguousarray(xp[(slice(None), slice(None)) + win.inner()]).reshape(shape)

    @staticmethod
    def adjoint_args(g, win, divisor, shape, nd):
        return win, divisor, nd


AvgPool2D.adjoint, AvgPool2DBackward.adjoint = AvgPool2DBackward, AvgPool2D


def adaptive_ranges(size: int, out: int) -> tuple:
    """Window i of an adaptive pool covers [floor(i * size / out), ceil((i + 1) * size / out))."""
    i = np.arange(out)
    return (i * size) // out, -((-(i + 1) * size) // out)


def window_taps(size: int, out: int) -> tuple:
    """(positions (out, kmax) clipped into range, mask of the real ones) of each adaptive window."""
    start, end = adaptive_ranges(size, out)
    kmax = int((end - start).max())
    pos = start[:, None] + np.arange(kmax)
    real = pos < end[:, None]
    return np.where(real, pos, start[:, None]), real


def adaptive_argmax(x: np.ndarray, out: tuple) -> np.ndarray:
    """Flat position (h * W + w in 2-D) of the max of each adaptive window of the (..., *spatial) planes of x
    (the first maximum in window order, the last NaN if there is one, as torch)."""
    nd = len(out)
    size, lead = x.shape[x.ndim - nd:], x.shape[:x.ndim - nd]
    if 0 in out:
        return np.zeros(lead + tuple(out), np.int64)
    taps = [window_taps(n, o) for n, o in zip(size, out)]
    ks = tuple(pos.shape[1] for pos, _ in taps)
    index = np.ix_(*[pos.reshape(-1) for pos, _ in taps])
    vals = x.reshape((-1,) + tuple(size))[(slice(None),) + index]
    vals = vals.reshape((vals.shape[0],) + tuple(v for o, k in zip(out, ks) for v in (o, k)))
    real = outer_and([r.reshape(-1) for _, r in taps])
    vals = np.where(real.reshape(vals.shape[1:]), vals, -np.inf)
    order = (0,) + tuple(range(1, 2 * nd, 2)) + tuple(range(2, 2 * nd + 1, 2))
    vals = vals.transpose(order).reshape((vals.shape[0],) + tuple(out) + (-1,))
    best = vals.argmax(-1)
    nan = np.isnan(vals)
    if nan.any():
        best = np.where(nan.any(-1), vals.shape[-1] - 1 - nan[..., ::-1].argmax(-1), best)
    idx = np.zeros(best.shape, np.int64)
    for d, ((pos, _), off) in enumerate(zip(taps, np.unravel_index(best, ks))):
        o = np.arange(out[d]).reshape((-1,) + (1,) * (nd - 1 - d))
        idx += pos[o, off] * int(np.prod(size[d + 1:]))
    return idx.reshape(lead + tuple(out))


def fractional_starts(samples: np.ndarray, size: int, out: int, k: int) -> np.ndarray:
    """torch's ``generate_intervals``: window starts int((i + u) a) - int(u a), a = (size - k) / (out - 1), the last
    one at size - k, for each plane's sample u (computed in the input's precision)."""
    t = samples.dtype.type
    starts = np.zeros(samples.shape + (out,), np.int64)
    if out > 1:
        alpha = t(size - k) / t(out - 1)
        i = np.arange(out - 1, dtype=samples.dtype)
        starts[..., :-1] = np.trunc((i + samples[..., None]) * alpha).astype(np.int64) - \
            np.trunc(samples * alpha).astype(np.int64)[..., None]
    if out > 0:
        starts[..., -1] = size - k
    return starts


def window_argmax(x: np.ndarray, starts: list, kernel: tuple) -> np.ndarray:
    """Flat position of the max of each window of the (P, *spatial) planes of x, window d of plane p starting at
    starts[d][p] with length kernel[d] (the first maximum in window order, the last NaN, as torch)."""
    nd, size = len(kernel), x.shape[1:]
    strides = [int(np.prod(size[d + 1:])) for d in range(nd)]
    flat = np.zeros((x.shape[0],) + (1,) * (2 * nd), np.int64)
    for d, (st, k) in enumerate(zip(starts, kernel)):
        pos = st[:, :, None] + np.arange(k)  # (P, out_d, k_d)
        shape = [x.shape[0]] + [1] * (2 * nd)
        shape[1 + d], shape[1 + nd + d] = pos.shape[1], k
        flat = flat + (pos * strides[d]).reshape(shape)
    out_shape = flat.shape[1:nd + 1]
    flat = flat.reshape(flat.shape[:nd + 1] + (-1,))
    vals = np.take_along_axis(x.reshape(x.shape[0], -1), flat.reshape(x.shape[0], -1), 1).reshape(flat.shape)
    best = vals.argmax(-1)
    nan = np.isnan(vals)
    if nan.any():
        best = np.where(nan.any(-1), vals.shape[-1] - 1 - nan[..., ::-1].argmax(-1), best)
    return np.take_along_axis(flat, best[..., None], -1)[..., 0].reshape((x.shape[0],) + tuple(out_shape))
