"""Convolution: one GEMM per group on im2col columns, backward by col2im (1-D, 2-D and 3-D).

Three ops close the convolution family under differentiation (so ``create_graph`` and
gradgradcheck work): with y = conv(x, w),

* ``Convolution``          y = conv(x, w) + b
* ``ConvolutionTranspose`` x' = conv^T(y', w) + b, the adjoint in x (grad_input, and the
  forward of ``conv_transpose``)
* ``ConvolutionWeight``    w' = the adjoint in w of conv(x, .) applied to y' (grad_weight)

Each is linear in each argument, so each one's backward is built from the other two.
``Im2Col``/``Col2Im`` (``unfold``/``fold``) are the same column machinery, batch first: a
``LinearMap`` pair, each the other's gradient.

Layout: columns are channel first, (C, *kernel, N, positions), so a group's product is a
single (O/g, C/g*prod(kernel)) @ (C/g*prod(kernel), N*positions) GEMM with no transpose of the buffer.
A ``batch_last`` window (short output rows, see ``make_window``) orders the positions (positions, N)
instead: the batch becomes one more spatial dim of kernel size 1 (``_batch_inside``), so a kernel offset
reads runs of a whole output row times the batch, not one short row, and the grid has no scratch columns.
"""
from __future__ import annotations

import math

import numpy as np

from minitorch.autograd.function import Op
from minitorch.ops._adjoint import LinearMap
from minitorch.ops._conv_kernels import columns_matmul, weight_matmul
from minitorch.ops._window import Window, col2im, grid, im2col, pad_planes, planes, to_grid
from minitorch._tensor import Tensor


def _kernel_first(nk: int) -> tuple:
    """The axes that view a (C, *kernel, N, L) buffer as (*kernel, C, N, L)."""
    return tuple(range(1, nk + 1)) + (0, nk + 1, nk + 2)


def _batch_inside(win: Window, n: int) -> Window:
    """A ``batch_last`` window's geometry over (*spatial, N): the batch as a trailing dim of kernel 1."""
    return Window(win.kernel + (1,), win.stride + (1,), win.dilation + (1,), win.padding + (0, 0),
                  win.in_size + (n,), win.out_size + (n,))


def _column_window(win: Window, n: int) -> Window:
    """The window the column kernels use for a batch of n: ``win`` itself, or ``_batch_inside``'s."""
    return _batch_inside(win, n) if win.batch_last else win


def _stacked(a4: np.ndarray, win: Window) -> tuple:
    """An (N, C, *spatial) array as the (A, C, *spatial') stack the column kernels read, with its window:
    itself, or for a ``batch_last`` window a (1, C, *spatial, N) view with ``_batch_inside``'s window."""
    ws = _column_window(win, a4.shape[0])
    return (np.moveaxis(a4, 0, -1)[None] if win.batch_last else a4), ws


def _unstacked(v: np.ndarray, win: Window) -> np.ndarray:
    """Planes (C, A, *spatial') of ``_stacked``'s layout as (C, N, *spatial) (a view)."""
    return np.moveaxis(v[:, 0], -1, 1) if win.batch_last else v


def _columns(x4: np.ndarray, win: Window, groups: int) -> np.ndarray:
    """im2col of x (N, C, *spatial): (groups, C/g * prod(kernel), positions), channel first."""
    xs, ws = _stacked(x4, win)
    a, c = xs.shape[:2]
    nk = len(ws.kernel)
    xp = pad_planes(xs.swapaxes(0, 1), ws, 0)
    if win.batch_last:  # the runs are long only in memory order
        xp = np.ascontiguousarray(xp)
    buf = np.empty((c,) + tuple(ws.kernel) + (a, ws.length), x4.dtype)
    im2col(xp, ws, buf.transpose(_kernel_first(nk)))
    return buf.reshape(groups, c // groups * math.prod(ws.kernel), a * ws.length)


def _on_grid(g4: np.ndarray, win: Window, groups: int) -> np.ndarray:
    """An output-shaped (N, O, *out_size) gradient as (groups, O/g, positions) on the virtual grid."""
    gs, ws = _stacked(g4, win)
    a, o = gs.shape[:2]
    return to_grid(gs.swapaxes(0, 1), ws).reshape(groups, o // groups, a * ws.length)


def _finish(v: np.ndarray, b: np.ndarray | None, ndim: int) -> np.ndarray:
    """(C, N, *spatial) channel-first planes -> a contiguous (N, C, *spatial) result (+ bias); a 1-D result
    (``ndim`` 3) drops the height of 1."""
    out = np.empty((v.shape[1], v.shape[0]) + v.shape[2:], v.dtype)
    if b is None:
        out[...] = v.swapaxes(0, 1)
    else:
        np.add(v.swapaxes(0, 1), b.reshape((-1,) + (1,) * (v.ndim - 2)), out=out)
    return out[:, :, 0, :] if ndim == 3 else out


def conv_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, win: Window, groups: int) -> tuple:
    """y[n, o, i, j] = b[o] + sum_{c in o's group, a, b'} w[o, c, a, b'] xp[n, c, i sh + a dh, j sw + b' dw].

    Returns y and the im2col columns (reused by the weight gradient).
    """
    x4, w4 = planes(x), planes(w)
    o = w4.shape[0]
    cols = _columns(x4, win, groups)
    ws = _column_window(win, x4.shape[0])
    y = columns_matmul(w4.reshape(groups, o // groups, -1), cols).reshape(o, -1, ws.length)
    if b is not None:  # over the whole grid: one contiguous pass, not one per short output row (LeNet-5's
        y += b[:, None, None]  # first layer: 0.20 -> 0.12 ms with the copy that follows)
    return _finish(_unstacked(grid(y, ws), win), None, x.ndim), cols


def conv_input(g: np.ndarray, w: np.ndarray, b: np.ndarray | None, win: Window, groups: int,
               g_grid: np.ndarray | None = None) -> np.ndarray:
    """The adjoint of ``conv_forward`` in x: col2im(w^T g) cropped to the input (+ b): (N, C, H, W).

    ``g_grid`` (optional) is ``_on_grid`` of g, reused.
    """
    g4, w4 = planes(g), planes(w)
    o, cg = w4.shape[:2]
    c = cg * groups
    ws = _column_window(win, g4.shape[0])
    wt = w4.reshape(groups, o // groups, -1).transpose(0, 2, 1)
    if g_grid is None:
        g_grid = _on_grid(g4, win, groups)
    cols = columns_matmul(wt, g_grid).reshape((c,) + tuple(ws.kernel) + (-1, ws.length))
    xp = col2im(cols.transpose(_kernel_first(len(ws.kernel))), ws)
    return _finish(_unstacked(xp[(slice(None), slice(None)) + ws.inner()], win), b, g.ndim)


def conv_weight(x: np.ndarray, g: np.ndarray, win: Window, groups: int, cols: np.ndarray | None = None,
                g_grid: np.ndarray | None = None) -> np.ndarray:
    """The adjoint of ``conv_forward`` in w: dw[o, c, a, b'] = sum_{n, i, j} g[n, o, i, j] xp[n, c, i sh + a dh, ...].

    ``cols`` and ``g_grid`` (optional) are x's im2col and g's ``_on_grid``, reused.
    """
    x4, g4 = planes(x), planes(g)
    if cols is None:
        cols = _columns(x4, win, groups)
    if g_grid is None:
        g_grid = _on_grid(g4, win, groups)
    gw = weight_matmul(g_grid, cols)
    kernel = tuple(win.kernel) if x.ndim == len(win.kernel) + 2 else tuple(win.kernel)[1:]
    shape = (g4.shape[1], x4.shape[1] // groups) + kernel
    return gw.reshape(shape)


def _bias_grad(grad: Tensor) -> Tensor:
    return grad.sum((0,) + tuple(range(2, grad.ndim)))


class Convolution(Op):
    """y = conv(x, w) + b (cross-correlation, as torch).

    dL/dx = conv^T(g, w) (``ConvolutionTranspose``), dL/dw = ``ConvolutionWeight``(x, g),
    dL/db = sum of g over batch and space.
    """

    @staticmethod
    def forward(ctx, x, w, b, win, groups):
        ctx.win, ctx.groups = win, groups
        y, cols = conv_forward(x, w, b, win, groups)
        ctx.save_for_backward(x, w, cols)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, w, cols = ctx.saved_tensors
        nx, nw, nb = ctx.needs_input_grad[:3]
        win, groups = ctx.win, ctx.groups
        g_grid = _on_grid(planes(grad._data), win, groups) if nx and nw else None
        gx = ConvolutionTranspose.apply(grad, w, None, win, groups, g_grid) if nx else None
        gw = ConvolutionWeight.apply(x, grad, win, groups, cols._data, g_grid) if nw else None
        return gx, gw, _bias_grad(grad) if nb else None, None, None


class ConvolutionTranspose(Op):
    """z = conv^T(y, w) + b: the adjoint of ``Convolution`` in its input (torch's conv_transpose).

    z is linear in y and w: dL/dy = conv(gz, w), dL/dw = ``ConvolutionWeight``(gz, y),
    dL/db = sum of gz over batch and space. ``y_grid`` (optional) is y on the virtual grid, reused.
    """

    def name(self) -> str:
        return "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, y, w, b, win, groups, y_grid):
        ctx.win, ctx.groups = win, groups
        ctx.save_for_backward(y, w)
        return conv_input(y, w, b, win, groups, y_grid)

    @staticmethod
    def backward(ctx, grad):
        y, w = ctx.saved_tensors
        ny, nw, nb = ctx.needs_input_grad[:3]
        win, groups = ctx.win, ctx.groups
        gy = Convolution.apply(grad, w, None, win, groups) if ny else None
        gw = ConvolutionWeight.apply(grad, y, win, groups, None, None) if nw else None
        return gy, gw, _bias_grad(grad) if nb else None, None, None, None


class ConvolutionWeight(Op):
    """v = dW <g, conv(x, W)>, the weight gradient of a convolution (bilinear in x and g).

    dL/dx = conv^T(g, gv), dL/dg = conv(x, gv). ``cols`` and ``g_grid`` (optional) are x's im2col and
    g on the virtual grid, reused.
    """

    @staticmethod
    def forward(ctx, x, g, win, groups, cols, g_grid):
        ctx.win, ctx.groups = win, groups
        ctx.save_for_backward(x, g)
        return conv_weight(x, g, win, groups, cols, g_grid)

    @staticmethod
    def backward(ctx, grad):
        x, g = ctx.saved_tensors
        nx, ng = ctx.needs_input_grad[:2]
        win, groups = ctx.win, ctx.groups
        gx = ConvolutionTranspose.apply(g, grad, None, win, groups, None) if nx else None
        gg = Convolution.apply(x, grad, None, win, groups) if ng else None
        return gx, gg, None, None, None, None


class Im2Col(LinearMap):
    """cols[n, (c, a, b), (i, j)] = xp[n, c, i sh + a dh, j sw + b dw] (``unfold``);  dL/dx = Col2Im(g)."""

    @staticmethod
    def kernel(x, win):
        n, c = x.shape[:2]
        kh, kw = win.kernel
        buf = np.empty((n, c, kh, kw, win.length), x.dtype)
        im2col(pad_planes(x, win, 0), win, buf.transpose(2, 3, 0, 1, 4))
        return buf.reshape(n, c * kh * kw, win.length)


class Col2Im(LinearMap):
    """x[n, c, h, w] = the sum of the column entries that read (h, w) (``fold``);  dL/dcols = Im2Col(g)."""

    @staticmethod
    def kernel(cols, win):
        n = cols.shape[0]
        kh, kw = win.kernel
        c = cols.shape[1] // (kh * kw)
        xp = col2im(cols.reshape(n, c, kh, kw, cols.shape[2]).transpose(2, 3, 0, 1, 4), win)
        return np.ascontiguousarray(xp[(slice(None), slice(None)) + win.inner()])


Im2Col.adjoint, Col2Im.adjoint = Col2Im, Im2Col
