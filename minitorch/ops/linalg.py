"""Matrix products: matmul (``@``), mm, bmm, dot."""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.autograd.function import Op
from minitorch.ops._args import _as_tensor
from minitorch.ops._util import unbroadcast


class MatMul(Op):
    """Z = X @ Y;  dZ/dX = G @ Y^T,  dZ/dY = X^T @ G, with 1-D operands promoted and batch dims summed back."""

    _NAMES = {(2, 2): "MmBackward0", (1, 1): "DotBackward0", (2, 1): "MvBackward0", (1, 2): "SqueezeBackward4"}
    arrays_in_backward = True

    def name(self) -> str:
        """torch's node names: Mm for matrices, Dot and Mv for vectors, UnsafeView for batches."""
        return self._NAMES.get(self.ndims, "UnsafeViewBackward0")

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        ctx.ndims = x.ndim, y.ndim
        return np.matmul(x, y)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        nx, ny = ctx.needs_input_grad
        if x.ndim == 2 and y.ndim == 2:
            return grad @ y.T if nx else None, x.T @ grad if ny else None
        if x.ndim == 1 and y.ndim == 1:
            return grad * y if nx else None, grad * x if ny else None
        x2 = x[None] if x.ndim == 1 else x
        y2 = y[..., None] if y.ndim == 1 else y
        g = grad
        if x.ndim == 1:
            g = g[..., None, :]
        if y.ndim == 1:
            g = g[..., None]
        gx = unbroadcast(g @ y2.mT, x2.shape).reshape(x.shape) if nx else None
        gy = unbroadcast(x2.mT @ g, y2.shape).reshape(y.shape) if ny else None
        return gx, gy


class LinalgMethods:
    """The Tensor methods of matrix products; minitorch/__init__.py joins them to Tensor."""

    def __matmul__(self, other: Any) -> "Tensor":
        return self.matmul(other)

    def __rmatmul__(self, other: Any) -> "Tensor":
        return _as_tensor(other, self).matmul(self)

    def matmul(self, other: "Tensor") -> "Tensor":
        """Matrix product with torch's rules for 1-D operands and batch broadcasting."""
        other = _as_tensor(other, self)
        a, b = self._data, other._data
        if a.ndim == 0 or b.ndim == 0:
            raise RuntimeError(
                f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D"
            )
        k1 = a.shape[-1]
        k2 = b.shape[-2] if b.ndim > 1 else b.shape[0]
        if k1 != k2:
            s1 = "x".join(map(str, a.shape if a.ndim > 1 else (1,) + a.shape))
            s2 = "x".join(map(str, b.shape if b.ndim > 1 else b.shape + (1,)))
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({s1} and {s2})")
        if a.dtype != b.dtype:
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {self.dtype} != {other.dtype}")
        if a.ndim > 2 or b.ndim > 2:
            try:
                np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
            except ValueError:
                raise RuntimeError(
                    f"The batch dimensions of {list(a.shape)} and {list(b.shape)} cannot be broadcast in matmul"
                ) from None
        return MatMul.apply(self, other)

    def mm(self, mat2: "Tensor") -> "Tensor":
        """The matrix product of two 2-D tensors."""
        if self.ndim != 2:
            raise RuntimeError("self must be a matrix")
        if _as_tensor(mat2, self).ndim != 2:
            raise RuntimeError("mat2 must be a matrix")
        return self.matmul(mat2)

    def bmm(self, mat2: "Tensor") -> "Tensor":
        """Batched matrix product of two 3-D tensors with the same batch size."""
        mat2 = _as_tensor(mat2, self)
        if self.ndim != 3:
            raise RuntimeError("batch1 must be a 3D tensor")
        if mat2.ndim != 3:
            raise RuntimeError("batch2 must be a 3D tensor")
        b, _, k = self._data.shape
        if mat2._data.shape[:2] != (b, k):
            raise RuntimeError(
                f"Expected size for first two dimensions of batch2 tensor to be: [{b}, {k}] but got: "
                f"{list(mat2._data.shape[:2])}."
            )
        return self.matmul(mat2)

    def dot(self, other: "Tensor") -> "Tensor":
        """The inner product sum(self * other) of two 1-D tensors."""
        if self.ndim != 1 or other.ndim != 1:
            raise RuntimeError(f"1D tensors expected, but got {self.ndim}D and {other.ndim}D tensors")
        if self.dtype is not other.dtype:
            raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                               f"{_dtype.legacy_name(self.dtype)} and {_dtype.legacy_name(other.dtype)}")
        n, m = self._data.size, other._data.size
        if n != m:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same "
                               f"number of elements, but got {n} and {m} elements respectively")
        return self.matmul(other)
