"""The fused affine map of ``nn.Linear``: one op for x W^T + b, forward and backward."""
from __future__ import annotations

import numpy as np

from minitorch.autograd.function import Op
from minitorch.ops._util import unbroadcast


class Linear(Op):
    """y = x W^T + b over the last dim of x (any number of leading dims, or none).

    With G the upstream gradient and rows = all leading dims flattened:
    dL/dx = G W,  dL/dW = G_rows^T x_rows,  dL/db = sum over rows of G (summed further if b was broadcast).
    The leading dims are folded into one matrix so each product is a single BLAS call.
    """

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        if x.ndim > 2:
            y = np.matmul(x.reshape(-1, x.shape[-1]), weight.T).reshape(x.shape[:-1] + (weight.shape[0],))
        else:
            y = np.matmul(x, weight.T)
        if bias is not None:
            ctx.bias_shape = bias.shape
            y += bias
        return y

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        out_features, in_features = weight.shape
        rows = grad.reshape(-1, out_features)
        gx = grad @ weight if need_x else None
        gw = rows.T @ x.reshape(-1, in_features) if need_w else None
        gb = unbroadcast(rows.sum(0), ctx.bias_shape) if need_b else None
        return gx, gw, gb
