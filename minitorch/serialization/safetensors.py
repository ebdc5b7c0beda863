"""The safetensors format, in minitorch's own code: ``save``/``load`` (bytes) and ``save_file``/``load_file``.

A file is an 8-byte little-endian header length ``N``, ``N`` bytes of UTF-8 JSON, then the data buffer.
The JSON maps each tensor's name to ``{"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}``
(offsets into the buffer) and may hold ``"__metadata__"``, a map of strings to strings. Data is
little-endian and C-ordered. The writer pads the header with spaces to a multiple of 8 bytes and lays
the tensors out by decreasing alignment, then name, as the ``safetensors`` package does.

Reading checks everything before it allocates: the header length (at most 100,000,000 bytes, inside the
file), the JSON (an object whose entries have exactly these fields, known dtypes, non-negative shapes),
and the offsets, which must tile the buffer exactly: sorted by position, each tensor starts where the
previous one ended, spans ``numel * itemsize`` bytes, and the last ends at the end of the file. A
broken file raises ``SafetensorError`` saying what is wrong.
"""
from __future__ import annotations

import io
import json
import math
import os
import struct
from typing import Any, BinaryIO

import numpy as np

from minitorch._tensor import Tensor

_MAX_HEADER = 100_000_000
_DTYPES = {"BOOL": np.bool_, "U8": np.uint8, "I8": np.int8, "I16": np.int16, "I32": np.int32, "I64": np.int64,
           "F16": np.float16, "F32": np.float32, "F64": np.float64}
_CODES = {np.dtype(v): k for k, v in _DTYPES.items()}
# dtypes of the format that minitorch has no tensors for
_MISSING = ("BF16", "U16", "U32", "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64")


class SafetensorError(Exception):
    """A safetensors file or buffer that breaks the format (named after the ``safetensors`` package's error)."""


def _header(raw: bytes, buffer_len: int) -> tuple[list, dict | None]:
    """The checked ``[(name, dtype, shape, begin, end)]`` (by position) and metadata of a JSON header."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SafetensorError("Error while deserializing header: InvalidHeader (the header is not UTF-8)") from None
    if not text.startswith("{"):
        raise SafetensorError("Error while deserializing header: InvalidHeaderStart (the header is not a JSON object)")
    try:
        header = json.loads(text)
    except (ValueError, RecursionError) as e:
        raise SafetensorError(f"Error while deserializing header: InvalidHeaderDeserialization ({e})") from None
    if not isinstance(header, dict):
        raise SafetensorError("Error while deserializing header: InvalidHeaderStart (the header is not a JSON object)")
    metadata = header.pop("__metadata__", None)
    if metadata is not None and not (isinstance(metadata, dict)
                                     and all(isinstance(v, str) for v in metadata.values())):
        raise SafetensorError("Error while deserializing header: __metadata__ must map strings to strings")
    entries = []
    for name, info in header.items():
        if not isinstance(info, dict) or set(info) != {"dtype", "shape", "data_offsets"}:
            raise SafetensorError(f"Error while deserializing header: tensor {name!r} must have exactly dtype, shape "
                                  "and data_offsets")
        code, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
        if code in _MISSING:
            raise SafetensorError(f"tensor {name!r} has dtype {code}, which minitorch does not support")
        if code not in _DTYPES:
            raise SafetensorError(f"Error while deserializing header: tensor {name!r} has unknown dtype {code!r:.40}")
        ok = lambda v: type(v) is int and v >= 0  # noqa: E731  (a JSON bool is not an int here)
        if not isinstance(shape, list) or not all(ok(d) for d in shape):
            raise SafetensorError(f"Error while deserializing header: tensor {name!r} has shape {shape!r:.60}")
        if not isinstance(offsets, list) or len(offsets) != 2 or not all(ok(o) for o in offsets):
            raise SafetensorError(f"Error while deserializing header: tensor {name!r} has data_offsets "
                                  f"{offsets!r:.60}")
        entries.append((name, np.dtype(_DTYPES[code]), tuple(shape), offsets[0], offsets[1]))
    entries.sort(key=lambda e: (e[3], e[4]))
    pos = 0
    for name, dtype, shape, begin, end in entries:
        if begin != pos or end < begin:
            raise SafetensorError(f"Error while deserializing header: InvalidOffset(\"{name}\") (data_offsets "
                                  f"[{begin}, {end}] do not start where the previous tensor ends, at {pos})")
        if end - begin != math.prod(shape) * dtype.itemsize:
            raise SafetensorError(f"Error while deserializing header: TensorInvalidInfo (tensor {name!r} of shape "
                                  f"{list(shape)} and dtype {_CODES[dtype]} spans {end - begin} bytes)")
        pos = end
    if pos != buffer_len:
        raise SafetensorError(f"Error while deserializing header: MetadataIncompleteBuffer (the tensors span {pos} "
                              f"bytes, the buffer holds {buffer_len})")
    return entries, metadata


def _read(f: BinaryIO, size: int) -> dict:
    head = f.read(8)
    if len(head) < 8:
        raise SafetensorError("Error while deserializing header: HeaderTooSmall (the file is shorter than 8 bytes)")
    n = struct.unpack("<Q", head)[0]
    if n > _MAX_HEADER:
        raise SafetensorError(f"Error while deserializing header: HeaderTooLarge (it declares {n} bytes, at most "
                              f"{_MAX_HEADER} are allowed)")
    if 8 + n > size:
        raise SafetensorError(f"Error while deserializing header: InvalidHeaderLength (it declares {n} bytes, the "
                              f"file holds {size - 8} after the length)")
    entries, _ = _header(f.read(n), size - 8 - n)
    out = {}
    for name, dtype, shape, begin, end in entries:
        arr = np.empty(shape, dtype)
        if f.readinto(arr.reshape(-1).view(np.uint8)) != end - begin:
            raise SafetensorError(f"the data of tensor {name!r} is truncated")
        if dtype == np.bool_:
            np.not_equal(arr.view(np.uint8), 0, out=arr)
        out[name] = arr
    return out


def _arrays(tensors: dict) -> dict:
    if not isinstance(tensors, dict):
        raise TypeError(f"tensors must be a dict of str to Tensor, got {type(tensors).__name__}")
    arrays = {}
    for name, t in tensors.items():
        if not isinstance(name, str) or name == "__metadata__":
            raise TypeError(f"tensor names must be strings other than '__metadata__', got {name!r:.40}")
        if not isinstance(t, (Tensor, np.ndarray)):
            raise TypeError(f"tensor {name!r} is a {type(t).__name__}, not a Tensor")
        arr = t._data if isinstance(t, Tensor) else t
        if arr.dtype not in _CODES:
            raise TypeError(f"tensor {name!r} has dtype {arr.dtype}, which safetensors files cannot hold")
        if not arr.flags.c_contiguous:
            raise ValueError(f"You are trying to save a non contiguous tensor: `{name}` which is not allowed. It "
                             "either means you are trying to save tensors which are reference of each other in which "
                             "case it's recommended to save only the full tensors, and reslice at load time, or "
                             "simply call `.contiguous()` on your tensor to pack it before saving.")
        arrays[name] = arr
    names = sorted(arrays)
    shared = [{a, b} for i, a in enumerate(names) for b in names[i + 1:]
              if arrays[a].size and arrays[b].size and np.may_share_memory(arrays[a], arrays[b])]
    if shared:
        raise RuntimeError(f"Some tensors share memory, this will lead to duplicate memory on disk and potential "
                           f"differences when loading them again: {shared}. Save clones (or only the full tensor "
                           "and re-slice it after loading).")
    return arrays


def _payload(tensors: dict, metadata: dict | None) -> tuple[bytes, list]:
    arrays = _arrays(tensors)
    if metadata is not None and not (isinstance(metadata, dict)
                                     and all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())):
        raise TypeError("metadata must be a dict of str to str")
    order = sorted(arrays, key=lambda k: (-arrays[k].itemsize, k))
    header: dict = {"__metadata__": metadata} if metadata else {}
    pos = 0
    for name in order:
        arr = arrays[name]
        header[name] = {"dtype": _CODES[arr.dtype], "shape": list(arr.shape), "data_offsets": [pos, pos + arr.nbytes]}
        pos += arr.nbytes
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    little = [arrays[k].astype(arrays[k].dtype.newbyteorder("<"), copy=False) for k in order]
    return struct.pack("<Q", len(raw)) + raw, little


def save(tensors: dict, metadata: dict | None = None) -> bytes:
    """The safetensors bytes of ``tensors`` (a dict of names to contiguous tensors that share no memory)."""
    head, arrays = _payload(tensors, metadata)
    return head + b"".join(a.tobytes() for a in arrays)


def save_file(tensors: dict, filename: str | os.PathLike, metadata: dict | None = None) -> None:
    """Write ``tensors`` (and the string map ``metadata``) to the safetensors file ``filename``."""
    head, arrays = _payload(tensors, metadata)
    with open(filename, "wb") as f:
        f.write(head)
        for a in arrays:
            f.write(memoryview(a.reshape(-1).view(np.uint8)))


def load(data: bytes) -> dict:
    """The tensors (a dict of names to Tensors) in safetensors bytes ``data``."""
    return {k: Tensor._make(v) for k, v in _read(io.BytesIO(bytes(data)), len(data)).items()}


def load_file(filename: str | os.PathLike, device: Any = "cpu") -> dict:
    """The tensors (a dict of names to Tensors) in the safetensors file ``filename``; ``device`` must be the cpu."""
    if str(device) != "cpu":
        raise RuntimeError(f"load_file: device={device!r} is not available; minitorch runs on the cpu")
    with open(filename, "rb") as f:
        return {k: Tensor._make(v) for k, v in _read(f, os.fstat(f.fileno()).st_size).items()}


def metadata_of(filename: str | os.PathLike) -> dict | None:
    """The ``__metadata__`` of a safetensors file (``safe_open(...).metadata()`` in the safetensors package)."""
    with open(filename, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        head = f.read(8)
        n = struct.unpack("<Q", head)[0] if len(head) == 8 else -1
        if not 0 <= n <= min(_MAX_HEADER, size - 8):
            raise SafetensorError("Error while deserializing header: InvalidHeaderLength")
        return _header(f.read(n), size - 8 - n)[1]
