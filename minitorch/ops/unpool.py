"""Max unpooling: the values of a max pool written back at the positions its indices name."""
from __future__ import annotations

import numpy as np

from minitorch.autograd.function import Op
from minitorch.ops.pooling import ArgmaxGather


class MaxUnpool(Op):
    """y = zeros(shape), then y[plane].flat[idx[plane]] = x[plane] (a later write wins, as torch's loop);
    dL/dx = g read back at idx (``ArgmaxGather``), torch's ``max_unpool`` backward."""

    @staticmethod
    def forward(ctx, x, idx, shape, nd):
        ctx.idx, ctx.nd = idx, nd
        n_planes = int(np.prod(shape[:len(shape) - nd]))
        size = int(np.prod(shape[len(shape) - nd:]))
        out = np.zeros((n_planes, size), x.dtype)
        rows = np.arange(n_planes)[:, None]
        out[rows, idx.reshape(n_planes, -1)] = x.reshape(n_planes, -1)
        return out.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return ArgmaxGather.apply(grad, ctx.idx, ctx.nd), None, None, None
