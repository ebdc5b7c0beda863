"""Conversions and copies: to(dtype), float()/long()..., clone, contiguous, copy_, fill_, zero_."""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor, device
from minitorch.autograd.function import Op
from minitorch.autograd.inplace import run_inplace
from minitorch.ops.indexing import where
from minitorch.ops._args import _as_tensor, _mismatch, _np


class ToDtype(Op):
    """y = x converted to another dtype;  dy/dx = 1 (the gradient is converted back)."""

    def name(self) -> str:
        return "ToCopyBackward0"

    @staticmethod
    def forward(ctx, x, np_dtype):
        ctx.in_dtype = x.dtype
        return x.astype(np_dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.to(ctx.in_dtype), None


class Clone(Op):
    """y = a copy of x;  dy/dx = 1."""

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


def _overwrite(x: Tensor, value: Tensor) -> Tensor:
    """``value`` broadcast to ``x``'s shape, linked to ``x`` with a zero gradient (never ``x * 0 + value``,
    which turns inf/NaN in ``x`` into NaN)."""
    return where(Tensor._make(np.ones(x._data.shape, bool)), value, x)


class CopyMethods:
    """The Tensor methods of dtype conversion and copies; minitorch/__init__.py joins them to Tensor."""

    def to(self, *args: Any, **kwargs: Any) -> "Tensor":
        """``to(dtype)``, ``to(device)``, ``to(other)``; returns self when nothing changes."""
        dt = kwargs.pop("dtype", None)
        kwargs.pop("non_blocking", None)
        copy = kwargs.pop("copy", False)
        if "device" in kwargs:
            device(kwargs.pop("device"))
        if kwargs:
            raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
        for a in args:
            if isinstance(a, Tensor):
                dt = a.dtype
            elif isinstance(a, (str, device)):
                device(str(a))
            elif a is not None:
                dt = _dtype.to_dtype(a)
        if dt is None or _dtype.to_dtype(dt) is self.dtype:
            return self.clone() if copy else self
        return ToDtype.apply(self, _dtype.to_dtype(dt).np)

    def type(self, dtype: Any = None) -> Any:
        """The type name (``'torch.FloatTensor'``...), or a copy converted to ``dtype``."""
        if dtype is None:
            return f"minitorch.{self.dtype.name}"
        return self.to(dtype)

    def float(self) -> "Tensor":
        """A float32 copy (self when already float32)."""
        return self.to(_dtype.float32)

    def double(self) -> "Tensor":
        """A float64 copy (self when already float64)."""
        return self.to(_dtype.float64)

    def half(self) -> "Tensor":
        """A float16 copy (self when already float16)."""
        return self.to(_dtype.float16)

    def long(self) -> "Tensor":
        """An int64 copy (self when already int64)."""
        return self.to(_dtype.int64)

    def int(self) -> "Tensor":
        """An int32 copy (self when already int32)."""
        return self.to(_dtype.int32)

    def bool(self) -> "Tensor":
        """A bool copy (self when already bool)."""
        return self.to(_dtype.bool_)

    def cpu(self) -> "Tensor":
        """Self: the tensor already lives on the CPU."""
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> "Tensor":
        """Raises: minitorch has no CUDA device."""
        raise RuntimeError("minitorch runs on the CPU only (numpy); there is no CUDA device")

    def contiguous(self) -> "Tensor":
        """Self when already C-contiguous, else a contiguous copy."""
        return self if self._data.flags.c_contiguous else self.clone()

    def clone(self) -> "Tensor":
        """A copy with its own memory (gradient flows back unchanged)."""
        return Clone.apply(self)

    def zero_(self) -> "Tensor":
        """Fill with zeros in place."""
        return run_inplace(self, lambda x: _overwrite(x, Tensor._make(np.zeros((), x._data.dtype))), lambda a: a.fill(0))

    def fill_(self, value: Any) -> "Tensor":
        """Fill with ``value`` in place (a number or a 0-d tensor)."""
        if isinstance(value, Tensor) and value._data.ndim:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} dimensions.")
        if not isinstance(value, (Tensor, numbers.Number)):
            raise TypeError(f"fill_(): argument 'value' must be Number, not {type(value).__name__}")
        v = _np(value)
        return run_inplace(self, lambda x: _overwrite(x, _as_tensor(value, self).to(self.dtype)),
                        lambda a: a.fill(v), value)

    def copy_(self, src: "Tensor") -> "Tensor":
        """Copy values from ``src`` (broadcast to this shape) into this tensor."""
        src = _as_tensor(src, self)
        try:
            np.broadcast_to(src._data, self._data.shape)
        except ValueError:
            raise RuntimeError(
                f"{_mismatch(self._data.shape, src._data.shape)}: copy_ from {list(src.shape)} to {list(self.shape)}"
            ) from None
        return run_inplace(self, lambda x: _overwrite(x, src.to(self.dtype)),
                        lambda a: np.copyto(a, src._data, casting="unsafe"), src)
