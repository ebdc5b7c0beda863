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
# torch's legacy tensor-type names (``x.type()``, ``minitorch.FloatTensor``)
LEGACY_NAMES = {float32: "FloatTensor", float64: "DoubleTensor", float16: "HalfTensor", int64: "LongTensor",
                int32: "IntTensor", int16: "ShortTensor", int8: "CharTensor", uint8: "ByteTensor", bool_: "BoolTensor"}

class memory_format:
    """How a copy lays out its memory: ``preserve_format`` (the source's stride order), ``contiguous_format``
    (row-major), ``channels_last`` (NHWC strides of a 4-d NCHW tensor), ``channels_last_3d`` (5-d NDHWC)."""

    __slots__ = ("name", "rank", "order")

    def __init__(self, name: str, rank: int | None = None, order: tuple | None = None):
        self.name, self.rank, self.order = name, rank, order

    def __repr__(self) -> str:
        return f"minitorch.{self.name}"

    def __reduce__(self):
        return (_format_by_name, (self.name,))

    def permutation(self, ndim: int) -> tuple | None:
        """The dim order whose row-major layout this format is (None for preserve_format); torch's error when the
        rank does not fit."""
        if self.rank is not None and ndim != self.rank:
            raise RuntimeError(f"required rank {self.rank} tensor to use {self.name} format")
        if self.name == "preserve_format":
            return None
        return self.order if self.order is not None else tuple(range(ndim))


class layout:
    """How a tensor's elements are stored; minitorch has only ``strided`` (dense, numpy)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"minitorch.{self.name}"

    def __reduce__(self):
        return (_strided, ())


def _strided() -> layout:
    return strided


strided = layout("strided")


def check_layout(value: Any) -> None:
    """torch's factory argument ``layout``: minitorch takes None or ``strided``."""
    if value is not None and value is not strided:
        raise RuntimeError(f"minitorch tensors are dense (minitorch.strided) only; got layout={value!r}")


preserve_format = memory_format("preserve_format")
contiguous_format = memory_format("contiguous_format")
channels_last = memory_format("channels_last", 4, (0, 2, 3, 1))
channels_last_3d = memory_format("channels_last_3d", 5, (0, 2, 3, 4, 1))
_FORMATS = {f.name: f for f in (preserve_format, contiguous_format, channels_last, channels_last_3d)}


def _format_by_name(name: str) -> memory_format:
    return _FORMATS[name]


def copy_in_format(a: np.ndarray, fmt: memory_format, dt: Any = None) -> np.ndarray:
    """A copy of ``a`` (as numpy dtype ``dt`` if given) laid out in memory format ``fmt``."""
    if not isinstance(fmt, memory_format):
        raise TypeError(f"memory_format must be minitorch.memory_format, not {type(fmt).__name__}")
    perm = fmt.permutation(a.ndim)
    if perm is None:
        return a.astype(dt if dt is not None else a.dtype, order="K", copy=True)
    inverse = tuple(_builtins.int(i) for i in np.argsort(perm))
    return np.array(a.transpose(perm), dtype=dt, order="C", copy=True).transpose(inverse)


def is_in_format(a: np.ndarray, fmt: memory_format) -> bool:
    """Whether ``a``'s memory is row-major in ``fmt``'s dim order (preserve_format: in plain row-major order)."""
    if not isinstance(fmt, memory_format):
        raise TypeError(f"memory_format must be minitorch.memory_format, not {type(fmt).__name__}")
    perm = fmt.permutation(a.ndim) if fmt is not preserve_format else None
    return a.flags.c_contiguous if perm is None else a.transpose(perm).flags.c_contiguous


def suggested_format(a: np.ndarray) -> memory_format:
    """torch's ``suggest_memory_format``: channels_last(_3d) where the strides are that format's (and not plain
    row-major), else contiguous_format."""
    for fmt in (channels_last, channels_last_3d):
        if a.ndim == fmt.rank and not a.flags.c_contiguous and is_in_format(a, fmt):
            return fmt
    return contiguous_format


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
