"""Python data to numpy arrays as torch's ``tensor()`` converts it (floor 0, below the Tensor).

numpy's own conversion is the fast path; where it differs from torch's (ragged or mixed nesting,
strings, ints beyond int64, values that overflow the requested dtype) ``_from_python`` builds the
array value by value with torch's rules and errors. ``_to_integer`` is torch's scalar-to-integer
conversion, shared with ``full()``.
"""
from __future__ import annotations

import builtins
import math
import operator
from typing import Any, Callable

import numpy as np

from minitorch import _dtype
from minitorch._dtype import dtype as DType


def _int_bounds(t: type) -> tuple:
    info = np.iinfo(t)
    low = -builtins.int(info.max) if info.kind == "u" else builtins.int(info.min)
    return low, builtins.int(info.max), builtins.int(info.min)


# per integer dtype: the lowest Python int torch accepts (negatives wrap into unsigned dtypes), the highest,
# and the lowest float (a float must truncate into [min, max])
_INT_BOUNDS = {np.dtype(t): _int_bounds(t) for t in (np.uint8, np.int8, np.int16, np.int32, np.int64)}


def _fits(arr: np.ndarray, target: np.dtype) -> bool:
    """Whether the numbers of ``arr`` (read from Python data) convert to ``target`` without torch's overflow
    error; when not, the exact per-value path decides (and raises)."""
    bounds = _INT_BOUNDS.get(target)
    if bounds is None or arr.dtype == target or arr.dtype.kind == "b" or not arr.size:
        return True
    low, high, fmin = bounds
    if arr.dtype.kind == "f":
        return bool(fmin <= arr.min() and arr.max() < high + 1)
    return bool(low <= arr.min() and arr.max() <= high)


_MAX_DIMS = 64  # torch's limit on the nesting depth of tensor data


def _is_sequence(x: Any) -> bool:
    return isinstance(x, (list, tuple, range, str)) or (isinstance(x, np.ndarray) and x.ndim > 0)


def _from_python(data: Any, dt: DType | None) -> np.ndarray:
    """The array torch's ``tensor(data, dtype=dt)`` builds from nested sequences, raising torch's errors.

    The slow, exact path, taken only where numpy's conversion differs from torch's. As torch: the shape
    follows the first element at each depth, the dtype is inferred from every element (bool < int64 <
    the default float), then each value is stored, checking the lengths and converting each number.
    """
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    sizes, seq = [], data
    while _is_sequence(seq):
        sizes.append(len(seq))
        if len(sizes) > _MAX_DIMS:
            raise ValueError(f"too many dimensions '{type(seq).__name__}'")
        if not sizes[-1]:
            break
        seq = seq[0]
    target = (_dtype.to_dtype(dt) if dt is not None else _infer_dtype(data)).np
    flat: list = []
    if math.prod(sizes):
        _store(data, sizes, 0, _unpacker(target), flat)
    with np.errstate(over="ignore"):  # a float beyond float16/float32 is inf, as in torch
        return np.array(flat, target).reshape(sizes)


def _infer_dtype(obj: Any) -> DType:
    """torch's ``infer_scalar_type``: the dtype nested Python data makes (numpy values keep theirs)."""
    if isinstance(obj, (np.ndarray, np.generic)):
        return _dtype.from_numpy_dtype(obj.dtype)
    if isinstance(obj, builtins.float):
        return _dtype.get_default_dtype()
    if isinstance(obj, builtins.bool):
        return _dtype.bool_
    if isinstance(obj, builtins.int):
        return _dtype.int64
    if isinstance(obj, str):
        raise TypeError(f"new(): invalid data type '{type(obj).__name__}'")
    if isinstance(obj, complex):
        return _dtype.from_numpy_dtype(np.dtype(complex))  # raises: minitorch has no complex dtypes
    if _is_sequence(obj):
        out = None
        for x in obj:
            d = _infer_dtype(x)
            out = d if out is None else _dtype.promote_types(out, d)
        return out or _dtype.get_default_dtype()
    raise RuntimeError(f"Could not infer dtype of {type(obj).__name__}")


def _store(obj: Any, sizes: list, dim: int, unpack: Callable[[Any], Any], out: list) -> None:
    """Append the values of ``obj`` (at nesting depth ``dim``) to ``out``, with torch's errors for bad nesting."""
    if dim == len(sizes):
        out.append(unpack(obj))
        return
    if not _is_sequence(obj):
        raise TypeError("not a sequence")
    if len(obj) != sizes[dim]:
        raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {len(obj)})")
    for x in obj:
        _store(x, sizes, dim + 1, unpack, out)


def _unpack_float(v: Any) -> builtins.float:
    if isinstance(v, str) or not (hasattr(v, "__float__") or hasattr(v, "__index__")):
        raise TypeError(f"must be real number, not {type(v).__name__}")
    return builtins.float(v)


def _unpack_bool(v: Any) -> builtins.bool:
    return builtins.bool(v if isinstance(v, builtins.float) else operator.index(v))


def _unpacker(target: np.dtype) -> Callable[[Any], Any]:
    """How torch's ``tensor()`` converts one Python number to ``target`` (its errors included)."""
    if target.kind == "f":
        return _unpack_float
    if target.kind == "b":
        return _unpack_bool
    overflow = f"value cannot be converted to type {target.name} without overflow"

    def unpack(v: Any) -> builtins.int:
        if isinstance(v, builtins.float):
            return _to_integer(v, target, overflow)
        i = operator.index(v)
        if not -2**63 <= i < 2**63:
            raise ValueError("Overflow when unpacking long long")
        return _to_integer(i, target, overflow)

    return unpack


def _to_integer(v: builtins.int | builtins.float, target: np.dtype, overflow: str) -> builtins.int:
    """A Python number as integer dtype ``target`` holds it, as torch converts scalars: a float truncates and
    must fit; an int must fit, and a negative one wraps into an unsigned dtype (down to -max)."""
    low, high, fmin = _INT_BOUNDS[target]
    if isinstance(v, builtins.float):
        if not fmin <= v < high + 1:
            raise RuntimeError(overflow)
        return builtins.int(v)
    if not low <= v <= high:
        raise RuntimeError(overflow)
    return v % (high + 1) if target.kind == "u" else v
