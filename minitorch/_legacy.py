"""torch's legacy names, still in the tutorials: ``FloatTensor(2, 3)``, ``LongTensor([1, 2])``,
``isinstance(x, torch.FloatTensor)``, ``x.type()`` answering ``'torch.FloatTensor'``, and
``autograd.Variable`` (which returns a tensor, as torch's does since 0.4).

Each ``XTensor`` is a class only so that it can be called and named: ``XTensor(*sizes)`` is an
uninitialised tensor of its dtype, ``XTensor(data)`` a tensor built from data, ``XTensor(tensor)`` the same
storage when the dtype agrees (torch refuses another dtype), and ``isinstance(x, XTensor)`` asks for a
Tensor of that dtype.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Size, Tensor, _shape_arg, _to_array

TYPE_NAMES = _dtype.LEGACY_NAMES


class _LegacyTensorType(type):
    def __instancecheck__(cls, x: Any) -> bool:
        return isinstance(x, Tensor) and x.dtype == cls.dtype

    def __call__(cls, *args: Any, device: Any = None) -> Tensor:
        dt = cls.dtype
        if len(args) == 1 and isinstance(args[0], Tensor):
            if args[0].dtype != dt:
                raise TypeError(f"expected {dt} (got {args[0].dtype})")
            return args[0].detach()
        if len(args) == 1 and not isinstance(args[0], (int, np.integer, Size)):
            return Tensor._make(np.array(_to_array(args[0], dt), dt.np))
        shape = _shape_arg(args) if args else (0,)
        for s in shape:
            if s < 0:
                raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(shape)}")
        return Tensor._make(np.empty(shape, dt.np))

    def __repr__(cls) -> str:
        return f"<class 'minitorch.{cls.__name__}'>"


def _legacy(dt: _dtype.dtype) -> type:
    return _LegacyTensorType(TYPE_NAMES[dt], (), {"dtype": dt, "__module__": "minitorch",
                                                   "__doc__": f"``{TYPE_NAMES[dt]}(...)``: a {dt.name} tensor."})


FloatTensor, DoubleTensor, HalfTensor = _legacy(_dtype.float32), _legacy(_dtype.float64), _legacy(_dtype.float16)
LongTensor, IntTensor, ShortTensor = _legacy(_dtype.int64), _legacy(_dtype.int32), _legacy(_dtype.int16)
CharTensor, ByteTensor, BoolTensor = _legacy(_dtype.int8), _legacy(_dtype.uint8), _legacy(_dtype.bool_)
