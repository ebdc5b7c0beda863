"""The constant pad op of ``F.pad`` (the other modes are index maps, composed in ``nn.functional.padding``)."""
from __future__ import annotations

import numpy as np

from minitorch.autograd.function import Op


def pad_regions(shape: tuple, pad: tuple) -> tuple:
    """(output shape, source slices, destination slices) of a constant pad; negative pads crop."""
    new, src, dst = list(shape), [slice(None)] * len(shape), [slice(None)] * len(shape)
    for i in range(len(pad) // 2):
        d = len(shape) - 1 - i
        before, after = pad[2 * i], pad[2 * i + 1]
        new[d] = shape[d] + before + after
        src[d] = slice(max(-before, 0), shape[d] - max(-after, 0))
        dst[d] = slice(max(before, 0), new[d] - max(after, 0))
    return tuple(new), tuple(src), tuple(dst)


class ConstantPadNd(Op):
    """y = x with pad[2i] / pad[2i + 1] entries of ``value`` before / after dim -1 - i (negative pads crop).

    dL/dx = the gradient cropped back: a constant pad by the negated pads.
    """

    @staticmethod
    def forward(ctx, x, pad, value):
        ctx.pad = pad
        shape, src, dst = pad_regions(x.shape, pad)
        out = np.full(shape, value, x.dtype)
        out[dst] = x[src]
        return out

    @staticmethod
    def backward(ctx, grad):
        return ConstantPadNd.apply(grad, tuple(-p for p in ctx.pad), 0), None, None
