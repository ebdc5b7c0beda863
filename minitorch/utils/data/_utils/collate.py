"""Collation: turning a list of samples into one batch (``default_collate``) or converting one sample.

``default_collate`` follows torch's rules, recursing through dicts, namedtuples, tuples and lists:
tensors, numpy arrays and anything exposing ``__array__``/``__array_interface__`` (torch tensors,
PIL images) are stacked into one minitorch tensor with a new leading batch dimension; Python floats
become a float64 tensor, ints an int64 tensor, bools a bool tensor, numpy scalars keep their dtype;
strings and bytes stay a list.
"""
from __future__ import annotations

import collections.abc
import copy
import re
from typing import Any, Callable, Sequence

import numpy as np

from minitorch.ops.shape import stack
from minitorch._tensor import Tensor, _to_array

np_str_obj_array_pattern = re.compile(r"[SaUO]")

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
)


class CollateShapeError(RuntimeError):
    """A sample's array shape differs from the first sample's; ``position`` is its index in the batch."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


def _as_array(x: Any) -> np.ndarray:
    """A numpy array of a supported dtype from a tensor, array or array-like (no copy when possible)."""
    return x._data if isinstance(x, Tensor) else _to_array(np.asarray(x), None)


def _stack(tensors: list[Tensor]) -> Tensor:
    """``minitorch.stack`` of the samples (torch's dtype promotion); a shape mismatch names the sample."""
    try:
        return stack(tensors)
    except RuntimeError:
        shape = tensors[0].shape
        i = next((i for i, t in enumerate(tensors) if t.shape != shape), None)
        if i is None:
            raise
        raise CollateShapeError(f"default_collate: sample {i} of the batch has shape {list(tensors[i].shape)}, "
                                f"but sample 0 has shape {list(shape)}; samples must have equal shapes to be "
                                "stacked (pad them, or pass a custom collate_fn)", i) from None


def collate_tensor_fn(batch: list, *, collate_fn_map: dict | None = None) -> Tensor:
    """Stack minitorch tensors along a new first dimension."""
    return _stack(list(batch))


def collate_numpy_array_fn(batch: list, *, collate_fn_map: dict | None = None) -> Tensor:
    """Stack numpy arrays (string and object arrays are refused, as in torch)."""
    if np_str_obj_array_pattern.search(batch[0].dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(batch[0].dtype))
    return _stack([Tensor._make(_as_array(a)) for a in batch])


def collate_numpy_scalar_fn(batch: list, *, collate_fn_map: dict | None = None) -> Tensor:
    """A 1-d tensor of numpy scalars, keeping their dtype."""
    return Tensor._make(_to_array(np.array(batch), None))


def collate_float_fn(batch: list, *, collate_fn_map: dict | None = None) -> Tensor:
    """Python floats become a float64 tensor (torch's choice, not the default dtype)."""
    return Tensor._make(np.array(batch, dtype=np.float64))


def collate_int_fn(batch: list, *, collate_fn_map: dict | None = None) -> Tensor:
    """Python ints become int64 (bools: bool)."""
    return Tensor._make(_to_array(batch, None))


def collate_str_fn(batch: list, *, collate_fn_map: dict | None = None) -> list:
    """Strings and bytes stay a list."""
    return batch


def collate_array_like_fn(batch: list, *, collate_fn_map: dict | None = None) -> Tensor:
    """Objects exposing ``__array__`` or ``__array_interface__`` (torch tensors, PIL images) are stacked."""
    return collate_numpy_array_fn([np.asarray(x) for x in batch])


default_collate_fn_map: dict[Any, Callable] = {
    Tensor: collate_tensor_fn,
    np.ndarray: collate_numpy_array_fn,
    (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


def _rebuild_like(elem: Any, values: Any) -> Any:
    """``values`` (a dict for a mapping ``elem``, a list for a sequence) in ``elem``'s container type:
    a copy of a mutable ``elem`` updated in place, else ``type(elem)(values)``; plain ``values`` if that fails."""
    try:
        if isinstance(elem, collections.abc.MutableMapping):
            clone = copy.copy(elem)
            clone.update(values)
            return clone
        if isinstance(elem, collections.abc.MutableSequence):
            clone = copy.copy(elem)
            for i, value in enumerate(values):
                clone[i] = value
            return clone
        return type(elem)(values)
    except TypeError:
        return values


def _is_array_like(x: Any) -> bool:
    return hasattr(x, "__array__") or hasattr(x, "__array_interface__")


def collate(batch: Sequence, *, collate_fn_map: dict | None = None) -> Any:
    """Collate ``batch`` by the type of its first element: ``collate_fn_map`` (exact type, then
    ``isinstance`` in insertion order) for leaves, recursion for mappings and sequences."""
    elem = batch[0]
    elem_type = type(elem)
    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        for collate_type in collate_fn_map:
            if isinstance(elem, collate_type):
                return collate_fn_map[collate_type](batch, collate_fn_map=collate_fn_map)
    if _is_array_like(elem) and not isinstance(elem, (collections.abc.Mapping, str, bytes)):
        return collate_array_like_fn(batch)
    if isinstance(elem, collections.abc.Mapping):
        return _rebuild_like(elem, {key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
                                    for key in elem})
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return elem_type(*(collate(samples, collate_fn_map=collate_fn_map) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        for i, sample in enumerate(batch):
            if len(sample) != size:
                raise RuntimeError(f"each element in list of batch should be of equal size (sample {i} has "
                                   f"{len(sample)} elements, sample 0 has {size})")
        transposed = [collate(samples, collate_fn_map=collate_fn_map) for samples in zip(*batch)]
        return transposed if isinstance(elem, tuple) else _rebuild_like(elem, transposed)
    raise TypeError(default_collate_err_msg_format.format(elem_type))


def default_collate(batch: list) -> Any:
    """Stack a list of samples into a batch of minitorch tensors, keeping the samples' nesting."""
    return collate(batch, collate_fn_map=default_collate_fn_map)


def default_convert(data: Any) -> Any:
    """Convert one sample without batching: numpy arrays (and nested ones) become tensors."""
    elem_type = type(data)
    if isinstance(data, Tensor):
        return data
    if elem_type.__module__ == "numpy" and elem_type.__name__ not in ("str_", "bytes_"):
        if isinstance(data, np.ndarray) and np_str_obj_array_pattern.search(data.dtype.str) is not None:
            return data
        return Tensor._make(_to_array(np.asarray(data), None))
    if isinstance(data, collections.abc.Mapping):
        return _rebuild_like(data, {key: default_convert(data[key]) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return elem_type(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _rebuild_like(data, [default_convert(d) for d in data])
    return data
