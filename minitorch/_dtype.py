"""Data types and PyTorch's type-promotion rules.

A ``dtype`` names a numpy dtype the way torch names its own (``minitorch.float32``).
Promotion follows ``torch.result_type``: categories rank bool < integer < floating;
within the highest category present, dimensioned tensors outrank zero-dim tensors,
which outrank Python scalars, and a Python float meeting an integer tensor takes the
default float dtype (float32), not numpy's float64.
"""
from __future__ import annotations

import builtins as _builtins
from typing import Any

import numpy as np


class dtype:
    """A tensor element type: ``minitorch.float32``, ``minitorch.int64``, ``minitorch.bool``..."""

    __slots__ = ("name", "np", "is_floating_point", "is_signed", "itemsize")

    def __init__(self, name: str, np_dtype: Any):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.is_floating_point = self.np.kind == "f"
        self.is_signed = self.np.kind in "fi"
        self.itemsize = self.np.itemsize

    def __repr__(self) -> str:
        return f"minitorch.{self.name}"

    def __reduce__(self):
        return (_by_name, (self.name,))


float16 = dtype("float16", np.float16)
float32 = dtype("float32", np.float32)
float64 = dtype("float64", np.float64)
uint8 = dtype("uint8", np.uint8)
int8 = dtype("int8", np.int8)
int16 = dtype("int16", np.int16)
int32 = dtype("int32", np.int32)
int64 = dtype("int64", np.int64)
bool_ = dtype("bool", np.bool_)

half, float, double = float16, float32, float64
short, int, long = int16, int32, int64

ALL = (float16, float32, float64, uint8, int8, int16, int32, int64, bool_)
_FROM_NUMPY = {d.np: d for d in ALL}
_NAMES = {d.name: d for d in ALL}

_default_float = [float32]


def _by_name(name: str) -> dtype:
    return _NAMES[name]


def get_default_dtype() -> dtype:
    """The dtype of float tensors created from Python floats (float32 unless changed)."""
    return _default_float[0]


def set_default_dtype(d: dtype) -> None:
    """Set the default floating dtype (float32 or float64), like ``torch.set_default_dtype``."""
    d = to_dtype(d)
    if not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default_float[0] = d


def from_numpy_dtype(np_dtype: np.dtype) -> dtype:
    """The minitorch dtype of a numpy dtype; a clear TypeError for unsupported ones."""
    try:
        return _FROM_NUMPY[np_dtype]
    except KeyError:
        raise TypeError(
            f"numpy dtype {np_dtype} is not supported; minitorch supports "
            + ", ".join(d.name for d in ALL)
        ) from None


def to_dtype(d: Any) -> dtype:
    """Accept a minitorch dtype, a numpy dtype (or type), or a Python type (float, int, bool)."""
    if isinstance(d, dtype):
        return d
    if d is _builtins.float:
        return float64
    if d is _builtins.int:
        return int64
    if d is _builtins.bool:
        return bool_
    try:
        return from_numpy_dtype(np.dtype(d))
    except TypeError:
        raise TypeError(f"dtype must be a minitorch dtype, got {d!r}") from None


def _category(d: dtype) -> _builtins.int:
    return 2 if d.is_floating_point else (0 if d is bool_ else 1)


def promote_types(a: dtype, b: dtype) -> dtype:
    """``torch.promote_types``: the smallest dtype both ``a`` and ``b`` convert to safely."""
    if a is b:
        return a
    ca, cb = _category(a), _category(b)
    if ca != cb:
        return a if ca > cb else b
    return _FROM_NUMPY[np.promote_types(a.np, b.np)]


def scalar_dtype(value: Any) -> dtype:
    """The dtype torch gives a Python scalar that takes part in an operation."""
    if isinstance(value, _builtins.bool):
        return bool_
    if isinstance(value, _builtins.int):
        return int64
    return get_default_dtype()


def _combine(higher: dtype | None, lower: dtype | None) -> dtype | None:
    """torch's ``combine_categories``: a lower-priority group only promotes across categories."""
    if higher is None:
        return lower
    if lower is None or higher.is_floating_point:
        return higher
    if higher is bool_ or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def result_type(*operands: Any) -> dtype:
    """``torch.result_type`` over tensors (anything with ``.dtype`` and ``.ndim``) and scalars."""
    dim = zero = wrapped = None
    for x in operands:
        if hasattr(x, "ndim") and hasattr(x, "dtype"):
            d = x.dtype if isinstance(x.dtype, dtype) else from_numpy_dtype(np.dtype(x.dtype))
            if x.ndim > 0:
                dim = d if dim is None else promote_types(dim, d)
            else:
                zero = d if zero is None else promote_types(zero, d)
        else:
            d = scalar_dtype(x)
            wrapped = d if wrapped is None else promote_types(wrapped, d)
    return _combine(dim, _combine(zero, wrapped))


_LEGACY = {"float16": "Half", "float32": "Float", "float64": "Double", "uint8": "Byte", "int8": "Char",
           "int16": "Short", "int32": "Int", "int64": "Long", "bool": "Bool"}


def legacy_name(d: dtype) -> str:
    """torch's scalar-type name used in error messages (Float, Double, Long...)."""
    return _LEGACY[d.name]


# The element type names torch's scalar-conversion messages print.
_C_TYPE = {"float16": "c10::Half", "float32": "float", "float64": "double", "uint8": "uint8_t", "int8": "int8_t",
           "int16": "int16_t", "int32": "int", "int64": "int64_t", "bool": "bool"}
