"""torch's remaining view and shape functions, composed of minitorch's views: the ``*_copy`` forms of the
views (a fresh tensor with the view's values, differentiable like the view), ``hsplit``/``vsplit``/``dsplit``,
the ``unsafe_`` splits, ``sum_to_size``, ``Tensor.H``, ``combinations``, ``unravel_index``, ``put``,
``nonzero_static``, ``constant_pad_nd``, ``as_strided_scatter``, ``scalar_tensor`` and ``empty_permuted``.

Their gradients are those of the ops they are composed of (views, indexing, ``clone``), so no new ``Op``
is needed here."""
from __future__ import annotations

import itertools
from typing import Any, Sequence

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.ops._args import _tensor_arg
from minitorch.ops.padding import ConstantPadNd, pad_regions


def _sizes(size: Any) -> tuple:
    """``f(2, 3)`` and ``f((2, 3))`` both as ``(2, 3)``."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(size[0])
    return tuple(size)


# --- the *_copy forms of the views --------------------------------------------------------------------------


def expand_copy(input: Tensor, size: Sequence[int], *, implicit: bool = False) -> Tensor:
    """``input.expand(size)`` as a new tensor."""
    return input.expand(*size).clone()


def diagonal_copy(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """``input.diagonal(offset, dim1, dim2)`` as a new tensor."""
    return input.diagonal(offset, dim1, dim2).clone()


def alias_copy(input: Tensor) -> Tensor:
    """A copy of ``input`` (the copy form of an alias)."""
    _tensor_arg(input, "alias_copy", "input", 1)
    return input.clone()


def as_strided_copy(input: Tensor, size: Sequence[int], stride: Sequence[int],
                    storage_offset: int | None = None) -> Tensor:
    """``input.as_strided(size, stride, storage_offset)`` as a new tensor."""
    return input.as_strided(size, stride, storage_offset).clone()


def narrow_copy(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """``input.narrow(dim, start, length)`` as a new tensor (with the errors of torch's own kernel)."""
    _tensor_arg(input, "narrow_copy", "input", 1)
    if input.dim() == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if dim >= input.dim():
        raise RuntimeError("Expected dim < static_cast<int64_t>(self_sizes.size()) to be true, but got false.")
    if dim >= 0 or dim >= -input.dim():
        size = input.shape[dim]
        if 0 <= start <= size and not 0 <= start + length <= size:
            raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return input.narrow(dim, start, length).clone()


def view_copy(input: Tensor, size: Any) -> Tensor:
    """``input.view(size)`` (a shape or a dtype) as a new tensor."""
    return input.view(size).clone()


def permute_copy(input: Tensor, dims: Sequence[int]) -> Tensor:
    """``input.permute(dims)`` as a new tensor."""
    return input.permute(*dims).clone()


def split_with_sizes_copy(input: Tensor, split_sizes: Sequence[int], dim: int = 0) -> list:
    """``input.split_with_sizes(split_sizes, dim)`` as a list of new tensors."""
    return [t.clone() for t in input.split_with_sizes(split_sizes, dim)]


def unbind_copy(input: Tensor, dim: int = 0) -> tuple:
    """``input.unbind(dim)`` as new tensors."""
    return tuple(t.clone() for t in input.unbind(dim))


def unfold_copy(input: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """``input.unfold(dimension, size, step)`` as a new tensor."""
    return input.unfold(dimension, size, step).clone()


def squeeze_copy(input: Tensor, dim: Any = None) -> Tensor:
    """``input.squeeze(dim)`` as a new tensor."""
    return input.squeeze(dim).clone()


def unsqueeze_copy(input: Tensor, dim: int) -> Tensor:
    """``input.unsqueeze(dim)`` as a new tensor."""
    return input.unsqueeze(dim).clone()


def transpose_copy(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """``input.transpose(dim0, dim1)`` as a new tensor."""
    return input.transpose(dim0, dim1).clone()


def t_copy(input: Tensor) -> Tensor:
    """``input.t()`` as a new tensor."""
    return input.t().clone()


# --- splits -------------------------------------------------------------------------------------------------


def _directional_split(fn: str, input: Tensor, indices_or_sections: Any, dim: int, min_dims: int) -> tuple:
    _tensor_arg(input, fn, "input", 1)
    if input.dim() < min_dims:
        raise RuntimeError(f"torch.{fn} requires a tensor with at least {min_dims} dimension, but got a tensor with "
                           f"{input.dim()} dimensions!")
    if not isinstance(indices_or_sections, (int, list, tuple, Tensor)):
        raise TypeError(f"{fn}() received an invalid combination of arguments - got (Tensor, "
                        f"{type(indices_or_sections).__name__}), but expected one of:\n"
                        " * (Tensor input, int sections)\n"
                        f" * (Tensor input, tuple of ints indices)\n")
    if isinstance(indices_or_sections, int) and not isinstance(indices_or_sections, bool):
        size = input.shape[dim]
        if indices_or_sections == 0 or size % indices_or_sections:
            raise RuntimeError(f"torch.{fn} attempted to split along dimension {dim}, but the size of the dimension "
                               f"{size} is not divisible by the split_size {indices_or_sections}!")
    return input.tensor_split(indices_or_sections, dim)


def hsplit(input: Tensor, indices_or_sections: Any) -> tuple:
    """Split along dim 1 (dim 0 of a 1-D tensor) into equal sections or at indices."""
    dim = 0 if isinstance(input, Tensor) and input.dim() == 1 else 1
    return _directional_split("hsplit", input, indices_or_sections, dim, 1)


def vsplit(input: Tensor, indices_or_sections: Any) -> tuple:
    """Split along dim 0 (of a tensor of 2 dims or more) into equal sections or at indices."""
    return _directional_split("vsplit", input, indices_or_sections, 0, 2)


def dsplit(input: Tensor, indices_or_sections: Any) -> tuple:
    """Split along dim 2 (of a tensor of 3 dims or more) into equal sections or at indices."""
    return _directional_split("dsplit", input, indices_or_sections, 2, 3)


# --- indexing composites ------------------------------------------------------------------------------------


def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    """The length-``r`` combinations of a 1-D tensor's elements, one per row (``itertools.combinations``, or
    ``combinations_with_replacement``)."""
    _tensor_arg(input, "combinations", "input", 1)
    if input.dim() != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return input[:0]
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    idx = np.array(list(pick(range(input.shape[0]), r)), dtype=np.int64).reshape(-1, r)
    return input[Tensor._make(idx)]


def unravel_index(indices: Tensor, shape: Any) -> tuple:
    """Flat indices as a tuple of coordinate tensors into a tensor of ``shape``."""
    if indices.dtype.is_floating_point or indices.dtype == _dtype.bool_:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    if isinstance(shape, int) and not isinstance(shape, bool):
        shape = (shape,)
    elif not isinstance(shape, (tuple, list)):
        raise TypeError(f"expected 'shape' to be int or sequence of ints, but got {type(shape)}")
    for d in shape:
        if not isinstance(d, int):
            raise TypeError(f"expected 'shape' sequence to only contain ints, but got {type(d)}")
    shape = tuple(shape)
    if any(d < 0 for d in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {shape}")
    if not all(d > 0 for d in shape) and indices.numel() != 0:
        raise ValueError(f"'shape' cannot have zero dimensions when 'indices' is non-empty, but got {shape}")
    coefs = np.cumprod((shape[1:] + (1,))[::-1])[::-1].astype(np.int64)
    flat = indices._data.astype(np.int64)[..., None]
    coords = np.floor_divide(flat, coefs) % np.array(shape, dtype=np.int64)
    return tuple(Tensor._make(np.array(coords[..., i])) for i in range(len(shape)))


def _put_index(input: Tensor, index: Tensor, source: Tensor) -> Tensor:
    if index.dtype != _dtype.int64:
        raise RuntimeError(f"put_(): Expected a long tensor for index, but got {index.dtype}")
    if input.dtype != source.dtype:
        raise RuntimeError(f"put_(): self ({input.dtype}) and source ({source.dtype}) must have the same scalar type")
    if index.numel() != source.numel():
        raise IndexError(f"put_(): Expected source and index to have the same number of elements, but got "
                         f"source.numel() = {source.numel()}, index.numel() = {index.numel()}")
    n = input.numel()
    flat = index._data.reshape(-1)
    bad = flat[(flat >= n) | (flat < -n)]
    if bad.size:
        raise IndexError(f"out of range: tried to access index {int(bad[0])} on a tensor of {n} elements.")
    return Tensor._make(np.where(flat < 0, flat + n, flat))


def put(input: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """``input`` with the elements at the flat ``index`` replaced by (``accumulate``: increased by) ``source``."""
    _tensor_arg(input, "put", "input", 1)
    idx = _put_index(input, index, source)
    flat = input.reshape(-1).index_put((idx,), source.reshape(-1), accumulate)
    return flat.view(input.shape)


def nonzero_static(input: Tensor, *, size: int, fill_value: int = -1) -> Tensor:
    """``nonzero(input)`` truncated or padded with ``fill_value`` rows to exactly ``size`` rows."""
    _tensor_arg(input, "nonzero_static", "input", 1)
    if not isinstance(size, int) or size < 0:
        raise RuntimeError("nonzero_static: 'size' must be an non-negative integer")
    nz = np.argwhere(input._data)[:size]
    out = np.full((size, input.dim()), fill_value, dtype=np.int64)
    out[:len(nz)] = nz
    return Tensor._make(out)


def constant_pad_nd(input: Tensor, pad: Sequence[int], value: float = 0) -> Tensor:
    """Pad (negative: crop) the last dims by (before, after) pairs from the last dim backwards, with ``value``."""
    _tensor_arg(input, "constant_pad_nd", "input", 1)
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise RuntimeError(f"Length of pad must be even but instead it equals {len(pad)}")
    if len(pad) // 2 > input.dim():
        raise RuntimeError(f"Length of pad should be no more than twice the number of dimensions of the input. "
                           f"Pad length is {len(pad)} while the input has {input.dim()} dimensions.")
    shape, _, _ = pad_regions(tuple(input.shape), pad)
    for i, s in enumerate(shape):
        if s < 0:
            raise RuntimeError(f"The input size {input.shape[i]}, plus negative padding "
                               f"{pad[2 * (input.dim() - 1 - i)]} and {pad[2 * (input.dim() - 1 - i) + 1]} resulted "
                               f"in a negative output size, which is invalid. Check dimension {i} of your input.")
    return ConstantPadNd.apply(input, pad, value)


def as_strided_scatter(input: Tensor, src: Tensor, size: Sequence[int], stride: Sequence[int],
                       storage_offset: int | None = None) -> Tensor:
    """A copy of ``input`` with ``src`` written into its ``as_strided(size, stride, storage_offset)`` view."""
    _tensor_arg(input, "as_strided_scatter", "input", 1)
    if tuple(src.shape) != tuple(size):
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = {list(src.shape)}, "
                           f"slice size = {list(size)}")
    n = input.numel()
    flat = input.reshape(-1)
    offset = 0 if storage_offset is None else storage_offset
    pos = np.full(tuple(size), offset, dtype=np.int64)
    for d, (sz, st) in enumerate(zip(size, stride)):
        shape = [1] * len(size)
        shape[d] = sz
        pos = pos + (np.arange(sz, dtype=np.int64) * st).reshape(shape)
    if pos.size and (pos.max() >= n or pos.min() < 0):
        item = input._data.itemsize
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, and "
                           f"itemsize {item} requiring a storage size of {(int(pos.max()) + 1) * item} are out of "
                           f"bounds for storage of size {n * item}")
    # where two view elements share one memory location, the last written wins (as in torch's copy)
    last = np.zeros(pos.shape, dtype=bool).reshape(-1)
    _, first_rev = np.unique(pos.reshape(-1)[::-1], return_index=True)
    last[pos.size - 1 - first_rev] = True
    keep = Tensor._make(np.nonzero(last)[0])
    where = Tensor._make(pos.reshape(-1)[last])
    return flat.index_put((where,), src.reshape(-1).index_select(0, keep)).view(input.shape)


# --- creation -----------------------------------------------------------------------------------------------


def scalar_tensor(s: Any, *, dtype: Any = None, layout: Any = None, device: Any = None, requires_grad: bool = False,
                  pin_memory: bool = False) -> Tensor:
    """A 0-dim tensor holding the number ``s`` (of the default float dtype unless ``dtype`` is given)."""
    dt = dtype or _dtype.get_default_dtype()
    out = Tensor._make(np.asarray(s, dtype=dt.np))
    return out.requires_grad_() if requires_grad else out


def empty_permuted(size: Sequence[int], physical_layout: Sequence[int], *, dtype: Any = None, layout: Any = None,
                   device: Any = None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """An uninitialized tensor of shape ``size`` laid out in memory in the dim order ``physical_layout``."""
    size, physical_layout = tuple(size), tuple(physical_layout)
    n = len(size)
    if n != len(physical_layout):
        raise RuntimeError("Number of dimensions in size does not match the length of the physical_layout")
    for d in physical_layout:
        if not -max(n, 1) <= d < max(n, 1):
            raise RuntimeError(f"Dimension out of range (expected to be in range of [{-max(n, 1)}, {max(n, 1) - 1}], "
                               f"but got {d})")
    physical_layout = tuple(d % max(n, 1) for d in physical_layout)
    if len(set(physical_layout)) != n:
        raise RuntimeError("Duplicate dim not allowed")
    dt = dtype or _dtype.get_default_dtype()
    inverse = np.argsort(physical_layout)
    data = np.empty(tuple(size[d] for d in physical_layout), dtype=dt.np).transpose(inverse)
    out = Tensor._make(data)
    return out.requires_grad_() if requires_grad else out


class ShapeExtraMethods:
    """The Tensor methods of this family."""

    def sum_to_size(self, *size: Any) -> "Tensor":
        """Sum (over broadcast dims) down to ``size``, which must broadcast to this tensor's shape."""
        size = _sizes(size)
        shape = tuple(self.shape)
        ok = len(size) <= len(shape) and all(s == 1 or s == t for s, t in zip(size[::-1], shape[::-1]))
        if not ok:
            raise RuntimeError(f"size {{{list(size)}}} is not expandable to size {{{list(shape)}}}.")
        if size == shape and shape:  # (torch sums a 0-dim tensor all the same: bool -> int64)
            return self
        lead = len(shape) - len(size)
        dims = tuple(range(lead)) + tuple(lead + d for d, s in enumerate(size) if s == 1 and shape[lead + d] != 1)
        return self.sum(dims, keepdim=True).reshape(size)

    @property
    def H(self) -> "Tensor":
        """The conjugate transpose of a matrix (of a real tensor: its transpose); a 0-dim tensor is its own."""
        if self.dim() not in (0, 2):
            raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {self.dim()}-D tensor.")
        return self.t() if self.dim() == 2 else self

    def unsafe_chunk(self, chunks: int, dim: int = 0) -> tuple:
        """``chunk`` (torch's form that skips the views' autograd checks)."""
        return self.chunk(chunks, dim)

    def unsafe_split(self, split_size: Any, dim: int = 0) -> tuple:
        """``split`` (torch's form that skips the views' autograd checks)."""
        return self.split(split_size, dim)

    def unsafe_split_with_sizes(self, split_sizes: Sequence[int], dim: int = 0) -> tuple:
        """``split_with_sizes`` (torch's form that skips the views' autograd checks)."""
        return self.split_with_sizes(split_sizes, dim)

    def hsplit(self, indices_or_sections: Any) -> tuple:
        """Split along dim 1 (dim 0 of a 1-D tensor)."""
        return hsplit(self, indices_or_sections)

    def vsplit(self, indices_or_sections: Any) -> tuple:
        """Split along dim 0."""
        return vsplit(self, indices_or_sections)

    def dsplit(self, indices_or_sections: Any) -> tuple:
        """Split along dim 2."""
        return dsplit(self, indices_or_sections)

    def narrow_copy(self, dim: int, start: int, length: int) -> "Tensor":
        """``narrow`` as a new tensor."""
        return narrow_copy(self, dim, start, length)

    def put(self, index: "Tensor", source: "Tensor", accumulate: bool = False) -> "Tensor":
        """``self`` with the elements at the flat ``index`` replaced by (``accumulate``: increased by) ``source``."""
        return put(self, index, source, accumulate)

    def put_(self, index: "Tensor", source: "Tensor", accumulate: bool = False) -> "Tensor":
        """``put`` in place."""
        return self.copy_(put(self, index, source, accumulate))

    def __rdiv__(self, other: Any) -> "Tensor":
        """other / self, as torch's ``self.reciprocal() * other``."""
        return self.reciprocal() * other
