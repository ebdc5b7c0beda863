"""Shape ops: views (reshape, permute, transpose, squeeze, expand), repeat, cat/stack/split, indexing, gather."""
from __future__ import annotations

import numpy as np

from minitorch.autograd.function import Op
from minitorch.ops._util import unbroadcast
from minitorch._tensor import Tensor


class View(Op):
    """y = x seen with another shape;  the gradient is reshaped back."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.in_shape), None


class Squeeze(View):
    """y = x without some size-1 dims;  the gradient is reshaped back."""


class Unsqueeze(View):
    """y = x with a new size-1 dim;  the gradient is reshaped back."""


class Permute(Op):
    """y = x with dims reordered;  the gradient is permuted by the inverse order."""

    @staticmethod
    def forward(ctx, x, dims):
        ctx.inverse = tuple(np.argsort(dims))
        return x.transpose(dims)

    @staticmethod
    def backward(ctx, grad):
        return grad.permute(ctx.inverse), None


class Transpose(Op):
    """y = x with dims d0 and d1 swapped;  the gradient is swapped back."""

    @staticmethod
    def forward(ctx, x, d0, d1):
        ctx.d = d0, d1
        return np.swapaxes(x, d0, d1)

    @staticmethod
    def backward(ctx, grad):
        return grad.transpose(*ctx.d), None, None


class T(Op):
    """y = x^T for a matrix (a 0-D or 1-D tensor is returned as is);  the gradient is transposed back."""

    @staticmethod
    def forward(ctx, x):
        return x.T

    @staticmethod
    def backward(ctx, grad):
        return grad.t()


class Flip(Op):
    """y = x reversed along dims;  the gradient is reversed back."""

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return np.flip(x, dims)

    @staticmethod
    def backward(ctx, grad):
        return grad.flip(ctx.dims), None


class Expand(Op):
    """y = x broadcast to a larger shape (no copy);  the gradient is summed over the copies."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.shape
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, grad):
        return unbroadcast(grad, ctx.in_shape), None


class Repeat(Op):
    """y = x tiled sizes[i] times along dim i;  dL/dx = the sum of the gradient over the tiles."""

    @staticmethod
    def forward(ctx, x, sizes):
        ctx.in_shape = x.shape
        return np.tile(x, sizes)

    @staticmethod
    def backward(ctx, grad):
        shape = (1,) * (grad.ndim - len(ctx.in_shape)) + tuple(ctx.in_shape)
        interleaved = []
        for g, s in zip(grad.shape, shape):
            interleaved += [g // s, s]
        g = grad.reshape(interleaved).sum(tuple(range(0, 2 * len(shape), 2)))
        return g.reshape(ctx.in_shape), None


class Cat(Op):
    """y = the inputs joined along dim;  each input's gradient is its slice of the output gradient."""

    @staticmethod
    def forward(ctx, dim, *xs):
        ctx.dim, ctx.sizes = dim, [x.shape[dim] for x in xs]
        return np.concatenate(xs, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return (None,) + grad.split(ctx.sizes, ctx.dim)


class Stack(Op):
    """y = the inputs stacked along a new dim;  each input's gradient is its slice of the output gradient."""

    @staticmethod
    def forward(ctx, dim, *xs):
        ctx.dim = dim
        return np.stack(xs, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return (None,) + grad.unbind(ctx.dim)


class Split(Op):
    """The pieces of x along dim (views);  dL/dx = the piece gradients joined back together."""

    @staticmethod
    def forward(ctx, x, sizes, dim):
        ctx.dim = dim
        return tuple(np.split(x, np.cumsum(sizes[:-1]), axis=dim))

    @staticmethod
    def backward(ctx, *grads):
        return Cat.apply(ctx.dim, *grads), None, None


class Index(Op):
    """y = x[idx];  dL/dx = zeros with the gradient added at idx (repeated indices accumulate)."""

    @staticmethod
    def forward(ctx, x, idx):
        ctx.shape, ctx.idx = x.shape, idx
        return x[idx]

    @staticmethod
    def backward(ctx, grad):
        return IndexGrad.apply(grad, ctx.shape, ctx.idx), None

    def name(self) -> str:
        """torch's name for the last view op the index applies (Select, Slice, Unsqueeze) or Index/Alias."""
        if _has_array(self.idx):
            return "IndexBackward0"
        items = self.idx
        n_ell = len(self.shape) - sum(1 for i in items if i is not None and i is not Ellipsis)
        name, dim = "AliasBackward0", 0
        for it in items:
            if it is Ellipsis:
                dim += n_ell
            elif it is None:
                name = "UnsqueezeBackward0"
            elif isinstance(it, slice):
                if it.start not in (None, 0) or it.step not in (None, 1) or (
                        it.stop is not None and it.stop < self.shape[dim]):
                    name = "SliceBackward0"
                dim += 1
            else:
                name = "SelectBackward0"
                dim += 1
        return name


def _has_array(idx: tuple) -> bool:
    return any(isinstance(i, np.ndarray) for i in idx)


def _bool_to_int(idx: tuple) -> tuple:
    """Boolean masks as integer coordinates, which ``np.add.at`` accepts."""
    out = []
    for i in idx:
        if isinstance(i, np.ndarray) and i.dtype == np.bool_:
            out.extend(np.nonzero(i))
        else:
            out.append(i)
    return tuple(out)


class IndexGrad(Op):
    """y = zeros(shape) with g added at idx (the backward of indexing);  dL/dg = dL/dy[idx]."""

    @staticmethod
    def forward(ctx, g, shape, idx):
        ctx.idx = idx
        out = np.zeros(shape, g.dtype)
        if _has_array(idx):
            np.add.at(out, _bool_to_int(idx), g)
        else:
            out[idx] = g
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.idx], None, None


class IndexPut(Op):
    """y = x with y[idx] = v;  dL/dx = the gradient with idx zeroed,  dL/dv = the gradient at idx."""

    @staticmethod
    def forward(ctx, x, idx, v):
        ctx.idx, ctx.v_shape = idx, np.shape(v)
        out = x.copy()
        out[idx] = v
        return out

    @staticmethod
    def backward(ctx, grad):
        nx, _, nv = ctx.needs_input_grad
        gx = gv = None
        if nx:
            keep = np.ones(grad.shape, grad._data.dtype)
            keep[ctx.idx] = 0
            gx = grad * Tensor._make(keep)
        if nv:
            gv = unbroadcast(grad[ctx.idx], ctx.v_shape)
        return gx, None, gv


class CopySlices(Op):
    """base' = base with the region seen by ``view_fn`` replaced by ``src`` (an in-place op on a view).

    dL/dbase = the gradient with that region zeroed;  dL/dsrc = view_fn(gradient).
    """

    def name(self) -> str:
        return "torch::autograd::CopySlices"

    @staticmethod
    def forward(ctx, base, src, view_fn):
        ctx.view_fn = view_fn
        out = base.copy()
        np.copyto(view_fn(Tensor._make(out))._data, src)
        return out

    @staticmethod
    def backward(ctx, grad):
        keep = np.ones(grad.shape, grad._data.dtype)
        ctx.view_fn(Tensor._make(keep))._data[...] = 0
        return grad * Tensor._make(keep), ctx.view_fn(grad), None


def _gather_index(shape_idx: tuple, dim: int, idx: np.ndarray) -> tuple:
    grids = list(np.indices(shape_idx, sparse=True))
    grids[dim] = idx
    return tuple(grids)


class Gather(Op):
    """y[i][j] = x[idx[i][j]][j] (for dim 0);  dL/dx = the gradient scatter-added at idx."""

    @staticmethod
    def forward(ctx, x, dim, idx):
        ctx.shape, ctx.dim, ctx.idx = x.shape, dim, idx
        return x[_gather_index(idx.shape, dim, idx)]

    @staticmethod
    def backward(ctx, grad):
        return ScatterAdd.apply(grad, ctx.shape, ctx.dim, ctx.idx), None, None


class ScatterAdd(Op):
    """y = zeros(shape) with g[i][j] added at [idx[i][j]][j] (the backward of gather);  dL/dg = gather."""

    @staticmethod
    def forward(ctx, g, shape, dim, idx):
        ctx.dim, ctx.idx = dim, idx
        out = np.zeros(shape, g.dtype)
        np.add.at(out, _gather_index(idx.shape, dim, idx), g)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad.gather(ctx.dim, Tensor._make(ctx.idx)), None, None, None
