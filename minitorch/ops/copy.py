"""Conversions and copies: to(dtype), float()/long()..., clone, contiguous, copy_, fill_, zero_."""
from __future__ import annotations

import builtins
import numbers
from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import NOT_COMPILED_WITH_CUDA, Tensor, _shape_arg, device, require_cpu
from minitorch.autograd.function import Op
from minitorch.autograd.inplace import run_inplace
from minitorch.ops.indexing import where
from minitorch.ops._args import _as_tensor, _mismatch, _np


class ToDtype(Op):
    """y = x converted to another dtype;  dy/dx = 1 (the gradient is converted back)."""

    def name(self) -> str:
        return "ToCopyBackward0"

    @staticmethod
    def forward(ctx, x, np_dtype, fmt=_dtype.preserve_format):
        ctx.in_dtype = x.dtype
        return _dtype.copy_in_format(x, fmt, np_dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.to(ctx.in_dtype), None, None


class Clone(Op):
    """y = a copy of x in a memory format (by default the stride order of x, as torch's preserve_format);
    dy/dx = 1."""

    @staticmethod
    def forward(ctx, x, fmt=_dtype.preserve_format):
        return _dtype.copy_in_format(x, fmt)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class Fill(Op):
    """y = value everywhere, in the shape and dtype of x (``minitorch.fill``);  dy/dx = 0,  dy/dvalue = sum of
    the gradient (torch's FillBackward0 for a number, FillBackward1 for a 0-dim tensor)."""

    def name(self) -> str:
        return "FillBackward1" if self.tensor_value else "FillBackward0"

    @staticmethod
    def forward(ctx, x, value):
        ctx.tensor_value = isinstance(value, np.ndarray)
        return np.full(x.shape, value, x.dtype)

    @staticmethod
    def backward(ctx, grad):
        nx, nv = ctx.needs_input_grad
        return grad * 0 if nx else None, grad.sum() if nv else None


def fill(input: Tensor, value: Any) -> Tensor:
    """A new tensor like ``input`` filled with ``value`` (a number or a 0-dim tensor)."""
    _fill_value_check(value, "fill_")  # torch's messages name fill_ for both
    return Fill.apply(input, value)


def _fill_value_check(value: Any, fn: str) -> None:
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError(f"{fn} only supports 0-dimension value tensor but got tensor with {value.ndim} dimensions.")
    if not isinstance(value, (Tensor, numbers.Number)):
        raise TypeError(f"{fn}(): argument 'value' must be Number, not {type(value).__name__}")


def _overwrite(x: Tensor, value: Tensor) -> Tensor:
    """``value`` broadcast to ``x``'s shape, linked to ``x`` with a zero gradient (never ``x * 0 + value``,
    which turns inf/NaN in ``x`` into NaN)."""
    return where(Tensor._make(np.ones(x._data.shape, bool)), value, x)


class CopyMethods:
    """The Tensor methods of dtype conversion and copies; minitorch/__init__.py joins them to Tensor."""

    def to(self, *args: Any, **kwargs: Any) -> "Tensor":
        """``to(dtype)``, ``to(device)``, ``to(other)`` (with ``non_blocking``, ``copy``, ``memory_format``);
        returns self when the dtype stays and ``memory_format`` is preserve_format or the one torch suggests for
        this tensor's strides (so ``to(memory_format=contiguous_format)`` of a strided view is the view, as torch)."""
        dt = kwargs.pop("dtype", None)
        kwargs.pop("non_blocking", None)
        copy = kwargs.pop("copy", False)
        fmt = kwargs.pop("memory_format", _dtype.preserve_format)
        if "device" in kwargs:
            require_cpu(kwargs.pop("device"))
        if kwargs:
            raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
        flags = [a for a in args if isinstance(a, builtins.bool)]  # to(dtype, non_blocking, copy)
        if len(flags) > 1:
            copy = flags[1]
        for a in args:
            if isinstance(a, builtins.bool):
                continue
            if isinstance(a, Tensor):
                dt = a.dtype
            elif isinstance(a, (str, device)):
                require_cpu(a)
            elif a is not None:
                dt = _dtype.to_dtype(a)
        dt = self.dtype if dt is None else _dtype.to_dtype(dt)
        keep = fmt is _dtype.preserve_format or fmt is _dtype.suggested_format(self._data)
        if dt is self.dtype and not copy and keep:
            return self
        return ToDtype.apply(self, dt.np, fmt)

    def type(self, dtype: Any = None, non_blocking: bool = False, **kwargs: Any) -> Any:
        """torch's legacy type name (``'torch.FloatTensor'``...), or a copy converted to ``dtype`` (a dtype,
        a legacy class such as ``minitorch.LongTensor``, or its name ``'torch.LongTensor'``)."""
        if dtype is None:
            return "torch." + _dtype.LEGACY_NAMES[self.dtype]
        if isinstance(dtype, str):
            names = {f"torch.{n}": d for d, n in _dtype.LEGACY_NAMES.items()}
            if dtype not in names:
                raise ValueError(f"invalid type: '{dtype}'")
            dtype = names[dtype]
        elif isinstance(dtype, builtins.type) and isinstance(getattr(dtype, "dtype", None), _dtype.dtype):
            dtype = dtype.dtype
        return self.to(dtype)

    def float(self, memory_format: Any = _dtype.preserve_format) -> "Tensor":
        """A float32 copy (self when already float32)."""
        return self.to(_dtype.float32, memory_format=memory_format)

    def double(self, memory_format: Any = _dtype.preserve_format) -> "Tensor":
        """A float64 copy (self when already float64)."""
        return self.to(_dtype.float64, memory_format=memory_format)

    def half(self, memory_format: Any = _dtype.preserve_format) -> "Tensor":
        """A float16 copy (self when already float16)."""
        return self.to(_dtype.float16, memory_format=memory_format)

    def bfloat16(self, memory_format: Any = _dtype.preserve_format) -> "Tensor":
        """Raises: numpy, minitorch's storage, has no bfloat16."""
        raise TypeError("bfloat16(): minitorch has no bfloat16 dtype (numpy, its storage, has no bfloat16); "
                        "use half() or float()")

    def long(self, memory_format: Any = _dtype.preserve_format) -> "Tensor":
        """An int64 copy (self when already int64)."""
        return self.to(_dtype.int64, memory_format=memory_format)

    def int(self, memory_format: Any = _dtype.preserve_format) -> "Tensor":
        """An int32 copy (self when already int32)."""
        return self.to(_dtype.int32, memory_format=memory_format)

    def short(self, memory_format: Any = _dtype.preserve_format) -> "Tensor":
        """An int16 copy (self when already int16)."""
        return self.to(_dtype.int16, memory_format=memory_format)

    def char(self, memory_format: Any = _dtype.preserve_format) -> "Tensor":
        """An int8 copy (self when already int8)."""
        return self.to(_dtype.int8, memory_format=memory_format)

    def byte(self, memory_format: Any = _dtype.preserve_format) -> "Tensor":
        """A uint8 copy (self when already uint8)."""
        return self.to(_dtype.uint8, memory_format=memory_format)

    def bool(self, memory_format: Any = _dtype.preserve_format) -> "Tensor":
        """A bool copy (self when already bool)."""
        return self.to(_dtype.bool_, memory_format=memory_format)

    def cpu(self) -> "Tensor":
        """Self: the tensor already lives on the CPU."""
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> "Tensor":
        """Raises torch's "not compiled with CUDA" error: minitorch has no CUDA device."""
        raise AssertionError(NOT_COMPILED_WITH_CUDA)

    def contiguous(self, memory_format: Any = _dtype.contiguous_format) -> "Tensor":
        """Self when already contiguous in ``memory_format``, else a copy that is."""
        if _dtype.is_in_format(self._data, memory_format):
            return self
        if memory_format is _dtype.preserve_format:
            raise RuntimeError("preserve memory format is unsupported by the contiguous operator")
        return self.clone(memory_format=memory_format)

    def clone(self, *, memory_format: Any = _dtype.preserve_format) -> "Tensor":
        """A copy with its own memory, laid out in ``memory_format`` (gradient flows back unchanged)."""
        return Clone.apply(self, memory_format)

    def zero_(self) -> "Tensor":
        """Fill with zeros in place."""
        return run_inplace(self, lambda x: _overwrite(x, Tensor._make(np.zeros((), x._data.dtype))), lambda a: a.fill(0))

    def fill_(self, value: Any) -> "Tensor":
        """Fill with ``value`` in place (a number or a 0-d tensor)."""
        _fill_value_check(value, "fill_")
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

    def resize_(self, *sizes: Any, memory_format: Any = None) -> "Tensor":
        """Give this tensor the shape ``sizes`` in place: the first elements keep their values (in row-major order),
        new ones are uninitialised (here: zero). A shrink of contiguous memory keeps sharing it; growing a view
        gives it memory of its own (torch grows the shared storage)."""
        if self._requires_grad:
            raise RuntimeError("cannot resize variables that require grad")
        shape = _shape_arg(sizes)
        if any(s < 0 for s in shape):
            raise RuntimeError(f"Trying to create tensor with negative dimension {min(shape)}: {list(shape)}")
        n = int(np.prod(shape))
        old = self._data
        if n <= old.size and old.flags.c_contiguous:
            new = old.reshape(-1)[:n].reshape(shape)
        else:  # new memory: a view that grows stops sharing its base's (numpy cannot grow a base in place)
            new = np.zeros(shape, old.dtype)
            k = min(n, old.size)
            new.reshape(-1)[:k] = old.reshape(-1)[:k]
            if self._base is not None:
                self._base, self._vc = None, [self._vc[0]]
        if memory_format is not None and memory_format is not _dtype.contiguous_format:
            new = _dtype.copy_in_format(new, memory_format)
        self._data = new
        self._vc[0] += 1
        return self

    def resize_as_(self, the_template: "Tensor", *, memory_format: Any = None) -> "Tensor":
        """``resize_`` to the shape of ``the_template``."""
        return self.resize_(the_template.shape, memory_format=memory_format)
