"""Variable-length batches for the recurrent layers (``torch.nn.utils.rnn``).

A ``PackedSequence`` stores a batch of sequences sorted by decreasing length, time-major and
without padding: ``data`` holds, for t = 0, 1, ..., the step-t elements of the
``batch_sizes[t]`` sequences that are still running. ``sorted_indices`` remembers how the
original batch was reordered, ``unsorted_indices`` is its inverse.

Every conversion (pad -> pack, pack -> pad, list -> padded) is one gather of rows through an
integer index array built in numpy from the lengths, so gradients flow back to the inputs
through minitorch's differentiable indexing; padded places read from one extra row that holds
``padding_value``.
"""
from __future__ import annotations

from collections import abc as container_abcs
from collections import namedtuple
from typing import Any

import numpy as np

from minitorch import _dtype, creation
from minitorch.ops.shape import cat
from minitorch._tensor import Tensor

__all__ = [
    "PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence",
    "unpad_sequence", "pack_sequence", "unpack_sequence",
]


def _as_index(t: Tensor | None) -> np.ndarray | None:
    return None if t is None else np.asarray(t._data, dtype=np.int64)


def _long(a: np.ndarray) -> Tensor:
    return creation.tensor(np.asarray(a, dtype=np.int64))


class PackedSequence(namedtuple("PackedSequence", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])):
    """``(data, batch_sizes, sorted_indices, unsorted_indices)`` of a packed batch of sequences.

    Made by ``pack_padded_sequence`` / ``pack_sequence`` (not by hand); accepted by ``RNN``, ``LSTM``
    and ``GRU``. ``PackedSequence(data, batch_sizes, sorted_indices)`` fills ``unsorted_indices``
    with the inverse permutation; ``PackedSequence((data, batch_sizes))`` is also accepted.
    """

    __slots__ = ()

    def __new__(cls, data: Any, batch_sizes: Tensor | None = None, sorted_indices: Tensor | None = None,
                unsorted_indices: Tensor | None = None) -> "PackedSequence":
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:
            if not (isinstance(data, (list, tuple)) and len(data) == 2):
                raise AssertionError("Expected data to be a list or tuple of length 2")
            data, batch_sizes = data
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args: Any, **kwargs: Any) -> "PackedSequence":
        """``data.to(*args, **kwargs)``; ``self`` when that changes nothing (batch_sizes stay int64)."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        return type(self)(data, self.batch_sizes, self.sorted_indices, self.unsorted_indices)

    def cpu(self, *args: Any, **kwargs: Any) -> "PackedSequence":
        """``self`` (minitorch data always lives on the CPU)."""
        return self.to(*args, **kwargs)

    def cuda(self, *args: Any, **kwargs: Any) -> "PackedSequence":
        """``data.cuda()`` (which raises torch's 'not compiled with CUDA' error)."""
        return type(self)(self.data.cuda(*args, **kwargs), self.batch_sizes, self.sorted_indices,
                          self.unsorted_indices)

    def pin_memory(self) -> "PackedSequence":
        """The sequence with ``data`` (and the index tensors) in pinned memory."""
        pin = (lambda t: None if t is None else t.pin_memory())
        return type(self)(self.data.pin_memory(), self.batch_sizes, pin(self.sorted_indices),
                          pin(self.unsorted_indices))

    def double(self) -> "PackedSequence":
        return self.to(dtype=_dtype.float64)

    def float(self) -> "PackedSequence":
        return self.to(dtype=_dtype.float32)

    def half(self) -> "PackedSequence":
        return self.to(dtype=_dtype.float16)

    def long(self) -> "PackedSequence":
        return self.to(dtype=_dtype.int64)

    def int(self) -> "PackedSequence":
        return self.to(dtype=_dtype.int32)

    def short(self) -> "PackedSequence":
        return self.to(dtype=_dtype.int16)

    def char(self) -> "PackedSequence":
        return self.to(dtype=_dtype.int8)

    def byte(self) -> "PackedSequence":
        return self.to(dtype=_dtype.uint8)

    @property
    def is_cuda(self) -> bool:
        """Whether ``data`` is on a GPU (never, in minitorch)."""
        return self.data.is_cuda

    def is_pinned(self) -> bool:
        """Whether ``data`` is in pinned memory."""
        return self.data.is_pinned()


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The inverse of the 1-D index permutation ``permutation`` (None stays None)."""
    if permutation is None:
        return None
    perm = _as_index(permutation)
    out = np.empty_like(perm)
    out[perm] = np.arange(perm.size)
    return _long(out)


def _lengths_array(lengths: Any) -> np.ndarray:
    """``lengths`` (a list or a 1-D tensor) as int64, with torch's message for a tensor of another shape."""
    if isinstance(lengths, Tensor):
        if lengths.ndim != 1:
            raise RuntimeError(f"'lengths' argument should be a 1D CPU int64 tensor, but got {lengths.ndim}D cpu "
                               "Long tensor")
        return np.asarray(lengths._data).astype(np.int64)
    return np.asarray(lengths, dtype=np.float64).astype(np.int64).reshape(-1)


def _packed_positions(batch_sizes: np.ndarray) -> tuple:
    """(time index, batch index) of every row of a packed ``data``, in packed order."""
    t = np.repeat(np.arange(batch_sizes.size), batch_sizes)
    b = np.concatenate([np.arange(n) for n in batch_sizes]) if batch_sizes.size else np.zeros(0, np.int64)
    return t, b


def _batch_sizes(lengths: np.ndarray) -> np.ndarray:
    """batch_sizes[t] = how many of the (sorted) lengths exceed t."""
    return (lengths[None, :] > np.arange(int(lengths.max()))[:, None]).sum(1).astype(np.int64)


def pack_padded_sequence(input: Tensor, lengths: Any, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded batch ``input`` (T, B, *) (or (B, T, *) with ``batch_first``) of sequences of ``lengths``.

    With ``enforce_sorted`` the lengths must decrease; otherwise the batch is sorted first and the
    permutation kept in ``sorted_indices``. Steps beyond a sequence's length are dropped.
    """
    lengths = _lengths_array(lengths)
    sorted_indices = None
    batch_dim = 0 if batch_first else 1
    if not enforce_sorted:
        order = np.argsort(-lengths, kind="stable")
        lengths = lengths[order]
        sorted_indices = _long(order)
        input = input.index_select(batch_dim, sorted_indices)
    if input.ndim < 2:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(input.ndim, 1)}, "
                         f"{max(input.ndim, 1) - 1}], but got {batch_dim})")
    if batch_first:
        input = input.transpose(0, 1)
    if input.numel() == 0:
        raise RuntimeError("Cannot pack empty tensors.")
    batch = input.shape[1]
    if lengths.size != batch:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {lengths.size} "
                           f"(batch_size={batch})")
    if lengths[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' that "
                           "is <= 0")
    if np.any(lengths[1:] > lengths[:-1]):
        raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You "
                           "can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep "
                           "this requirement if you do not need ONNX exportability.")
    if lengths[0] > input.shape[0]:
        raise RuntimeError(f"pack_padded_sequence: the longest length {int(lengths[0])} exceeds the padded sequence "
                           f"length {input.shape[0]} of input of size {list(input.shape)}")
    batch_sizes = _batch_sizes(lengths)
    t, b = _packed_positions(batch_sizes)
    return PackedSequence(input[t, b], _long(batch_sizes), sorted_indices, None)


def _with_padding_row(data: Tensor, padding_value: float) -> Tensor:
    """``data`` (N, *) with one more row of ``padding_value`` (cast to data's dtype) at index N."""
    pad = creation.full((1,) + tuple(data.shape[1:]), padding_value, dtype=data.dtype)
    return cat([data, pad], 0)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple:
    """The inverse of ``pack_padded_sequence``: ``(padded (T, B, *), lengths)`` in the original batch order.

    T is the longest length, or ``total_length`` (which must not be shorter).
    """
    batch_sizes = _as_index(sequence.batch_sizes)
    max_seq_length = batch_sizes.size
    if total_length is not None:
        if total_length < max_seq_length:
            raise ValueError("Expected total_length to be at least the length of the longest sequence in input, "
                             f"but got total_length={total_length} and max sequence length being {max_seq_length}")
        max_seq_length = total_length
    batch = int(batch_sizes[0])
    lengths = (batch_sizes[None, :] > np.arange(batch)[:, None]).sum(1).astype(np.int64)
    n = sequence.data.shape[0]
    idx = np.full((max_seq_length, batch), n, dtype=np.int64)
    t, b = _packed_positions(batch_sizes)
    idx[t, b] = np.arange(t.size)
    unsorted = _as_index(sequence.unsorted_indices)
    if unsorted is not None:
        idx, lengths = idx[:, unsorted], lengths[unsorted]
    if batch_first:
        idx = idx.T
    return _with_padding_row(sequence.data, padding_value)[idx], _long(lengths)


def _shape_mismatch(first: tuple, seq: tuple) -> RuntimeError:
    """torch's broadcast-style message for a sequence whose trailing dims differ from the first one's."""
    for dim in range(len(first) - 1, -1, -1):
        if dim < len(seq) and first[dim] != seq[dim]:
            return RuntimeError(f"The size of tensor a ({first[dim]}) must match the size of tensor b ({seq[dim]}) "
                                f"at non-singleton dimension {dim}")
    return RuntimeError(f"pad_sequence: every sequence must have the trailing dimensions {list(first[1:])} of the "
                        f"first one, got a sequence of size {list(seq)}")


def pad_sequence(sequences: Any, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack the sequences (L_i, *) into one (T, B, *) tensor (B, T, * with ``batch_first``), T = max L_i,
    padded with ``padding_value`` on ``padding_side`` ('right' or 'left'). The result has the first
    sequence's dtype."""
    if not isinstance(sequences, container_abcs.Iterable):
        raise RuntimeError(f"pad_sequence: Expected iterable for input sequences, but got arg of type: "
                           f"{type(sequences)}")
    sequences = tuple(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    first = sequences[0]
    if first.ndim == 0:
        raise RuntimeError("pad_sequence: sequences must have at least one dimension (the length), got a 0-D tensor")
    trailing = tuple(first.shape[1:])
    for seq in sequences:
        if seq.ndim == 0 or tuple(seq.shape[1:]) != trailing:
            raise _shape_mismatch((seq.shape[0] if seq.ndim else 1,) + trailing, tuple(seq.shape))
    lengths = np.array([s.shape[0] for s in sequences], dtype=np.int64)
    max_len = int(lengths.max())
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    pad_row = int(offsets[-1])
    idx = np.full((max_len, len(sequences)), pad_row, dtype=np.int64)
    for b, length in enumerate(lengths):
        start = 0 if padding_side == "right" else max_len - length
        idx[start:start + length, b] = np.arange(offsets[b], offsets[b + 1])
    data = cat([s.to(first.dtype) for s in sequences], 0)
    out = _with_padding_row(data, padding_value)[idx.T if batch_first else idx]
    return out


def unpad_sequence(padded_sequences: Tensor, lengths: Any, batch_first: bool = False) -> list:
    """Split a padded batch (T, B, *) (or (B, T, *)) back into the list of sequences of ``lengths``.

    Unlike torch, the input is not transposed in place.
    """
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    lengths = _lengths_array(lengths)
    if lengths.size != padded_sequences.shape[0]:
        raise ValueError(f"unpad_sequence: got {lengths.size} lengths for a batch of {padded_sequences.shape[0]} "
                         "sequences")
    return [seq[:int(length)] for seq, length in zip(padded_sequences, lengths)]


def pack_sequence(sequences: list, enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of sequences (L_i, *): ``pack_padded_sequence(pad_sequence(sequences), lengths)``."""
    lengths = [v.shape[0] for v in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list:
    """The list of sequences (in their original order) that ``pack_sequence`` packed."""
    padded_sequences, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded_sequences, lengths, batch_first=True)
