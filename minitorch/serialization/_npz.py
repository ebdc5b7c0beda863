"""The ``.npz`` checkpoint: ``minitorch.save``'s default format, read without ever executing code.

A checkpoint is a numpy ``.npz`` archive (a zip of uncompressed ``.npy`` arrays). Every tensor
and array of the saved object becomes one member (``a0``, ``a1``, ...); the member
``__minitorch_index__`` holds UTF-8 JSON describing the structure around them: dicts (keys may
be str, int, float, bool, None or tuples), lists, tuples, tensors (with ``requires_grad``, and
whether they were Parameters), numpy arrays and scalars, Python numbers, strings, bools and None.
State dicts of modules and optimisers are made of exactly these. A tensor that appears twice
is stored once and loads as one object.

Loading never executes code from the file: nothing is unpickled, and the archive is read by this
module, not by ``np.load``. A crafted or
damaged file raises ``RuntimeError("minitorch.load: <file> is corrupt or truncated, or not a minitorch
checkpoint (<what is wrong>)")``, never a RecursionError or an error from deep inside zipfile, numpy
or json. Every check on an array runs before its memory is allocated, so an array is never bigger
than the bytes the file holds for it (a header declaring 10**12 elements costs nothing). What is checked:

- the zip: readable, with its central directory intact; each member stored uncompressed and
  unencrypted, its stored size equal to its data size and lying inside the file; its CRC as it is read;
- each ``.npy`` header: version 1 or 2, at most 10000 bytes, in exactly the form ``numpy.save``
  writes it; a bool, integer, float or complex dtype (no objects, strings, records or datetimes); a
  shape of non-negative integers whose element count times the item size equals the bytes stored;
- the index member: a 1-d uint8 array of UTF-8 JSON holding a dict with the expected format and version;
  containers nested at most 100 deep (``save`` refuses deeper objects, so it never writes a file that
  ``load`` refuses); every entry an object with a known ``type`` whose fields have the JSON types
  ``save`` writes (a bool is not an int); dict items ``[key, value]`` pairs with hashable keys;
  every array it names present in the archive;
- tensors and Parameters: one of minitorch's dtypes in native byte order (numpy arrays keep any bool,
  integer, float or complex dtype, as ``save`` stores them); ``requires_grad`` only on floating
  dtypes; numpy scalars 0-d.
"""
from __future__ import annotations

import json
import math
import re
import struct
import zipfile
from collections import OrderedDict
from typing import Any, BinaryIO

import numpy as np

from minitorch import _dtype
from minitorch.nn.parameter import Parameter
from minitorch._tensor import Size, Tensor

_INDEX = "__minitorch_index__"
_FORMAT = "minitorch.save"
_VERSION = 1
_MAX_DEPTH = 100  # containers nested deeper than this are refused by save and load alike
_MAX_HEADER = 10000  # bytes; numpy's own limit on a .npy header
_NPY_HEADER = re.compile(r"\{'descr': '([^']*)', 'fortran_order': (True|False), 'shape': \(([^()]*)\), \} *\n")
_NPY_DESCR = re.compile(r"[<>|][biufc][0-9]{1,2}")
_CHUNK = 1 << 20  # bytes read at a time into an array
class _Encoder:
    """Turns an object into a JSON-able tree plus a dict of named arrays."""

    def __init__(self) -> None:
        self.arrays: dict = {}
        self._keys: dict = {}  # id(tensor or array) -> member name
        self._keep: list = []  # keeps memoised objects alive so their ids stay unique
        self._active: set = set()  # ids of the containers being encoded (cycle detection)

    def _member(self, obj: Any, arr: np.ndarray) -> str:
        key = self._keys.get(id(obj))
        if key is None:
            if arr.dtype.kind not in "biufc":
                raise TypeError(f"minitorch.save: cannot save an array of dtype {arr.dtype}")
            key = self._keys[id(obj)] = f"a{len(self.arrays)}"
            self.arrays[key] = arr
            self._keep.append(obj)
        return key

    def encode(self, obj: Any, where: str) -> dict:
        """The index node of ``obj`` (``where`` names its place in the saved object for error messages)."""
        if obj is None:
            return {"type": "none"}
        if isinstance(obj, bool):
            return {"type": "bool", "value": obj}
        if isinstance(obj, int):
            return {"type": "int", "value": obj}
        if isinstance(obj, float):
            return {"type": "float", "value": repr(obj)}
        if isinstance(obj, str):
            return {"type": "str", "value": obj}
        if isinstance(obj, Tensor):
            return {"type": "parameter" if isinstance(obj, Parameter) else "tensor",
                    "key": self._member(obj, obj._data), "requires_grad": obj.requires_grad}
        if isinstance(obj, np.ndarray):
            return {"type": "ndarray", "key": self._member(obj, obj)}
        if isinstance(obj, np.generic):
            return {"type": "npscalar", "key": self._member(obj, np.asarray(obj))}
        if isinstance(obj, _dtype.dtype):
            return {"type": "dtype", "value": obj.name}
        if isinstance(obj, (dict, list, tuple)):
            return self._container(obj, where)
        raise TypeError(
            f"minitorch.save: cannot save an object of type {type(obj).__name__} (at {where}); checkpoints hold "
            "tensors, numpy arrays, numbers, strings, bools, None and dicts/lists/tuples of them"
        )

    def _container(self, obj: Any, where: str) -> dict:
        if id(obj) in self._active:
            raise ValueError(f"minitorch.save: the object refers to itself (at {where}); cannot save a cycle")
        if len(self._active) >= _MAX_DEPTH:
            raise ValueError(f"minitorch.save: containers are nested more than {_MAX_DEPTH} deep (at {where})")
        self._active.add(id(obj))
        try:
            if isinstance(obj, dict):
                items = [[self.encode(k, f"{where} key {k!r}"), self.encode(v, f"{where}[{k!r}]")]
                         for k, v in obj.items()]
                return {"type": "ordereddict" if isinstance(obj, OrderedDict) else "dict", "items": items}
            kind = "size" if isinstance(obj, Size) else "tuple" if isinstance(obj, tuple) else "list"
            return {"type": kind, "items": [self.encode(v, f"{where}[{i}]") for i, v in enumerate(obj)]}
        finally:
            self._active.discard(id(obj))


class _BadFile(ValueError):
    """A checkpoint that breaks the format; ``load`` reports it as a RuntimeError naming the file."""


def _npy_header(f: BinaryIO, member: str, size: int) -> tuple[np.dtype, tuple, bool]:
    """Parse and check the header of the ``.npy`` member ``f`` (``size`` bytes in all): dtype, shape, fortran order."""
    head = f.read(10)
    version = head[6:8]
    if len(head) < 10 or head[:6] != b"\x93NUMPY" or version not in (b"\x01\x00", b"\x02\x00"):
        raise _BadFile(f"member {member} is not a version 1 or 2 .npy array")
    if version == b"\x01\x00":
        header_len, start = struct.unpack("<H", head[8:10])[0], 10
    else:
        length = head[8:10] + f.read(2)
        if len(length) < 4:
            raise _BadFile(f"member {member} is truncated")
        header_len, start = struct.unpack("<I", length)[0], 12
    if header_len > _MAX_HEADER or start + header_len > size:
        raise _BadFile(f"member {member} declares a {header_len}-byte .npy header in a {size}-byte member")
    text = f.read(header_len).decode("latin1")
    match = _NPY_HEADER.fullmatch(text)
    if match is None:
        raise _BadFile(f"member {member} has a .npy header numpy.save did not write: {text[:100]!r}")
    descr, fortran, dims = match.groups()
    try:
        if not _NPY_DESCR.fullmatch(descr):
            raise TypeError(descr)
        dtype = np.dtype(descr)
    except TypeError:
        raise _BadFile(f"member {member} has dtype {descr[:40]!r}; checkpoints hold only bool, integer, float and "
                       "complex arrays") from None
    items = [d.strip() for d in dims.split(",")]
    if items[-1] == "":
        items.pop()
    if not all(re.fullmatch(r"[0-9]{1,19}", d) for d in items):
        raise _BadFile(f"member {member} declares shape ({dims[:60]}); dimensions must be non-negative integers")
    shape = tuple(int(d) for d in items)
    declared, stored = math.prod(shape) * dtype.itemsize, size - start - header_len
    if declared != stored:
        raise _BadFile(f"member {member} declares shape {shape} of {dtype} ({declared} bytes) but stores {stored} "
                       "bytes of data")
    return dtype, shape, fortran == "True"


class _Archive:
    """The ``.npy`` members of a checkpoint zip; a member's bytes are read only once its header matches its size."""

    def __init__(self, zf: zipfile.ZipFile, end: int) -> None:
        self._zip = zf
        self.names = set(zf.namelist())
        self._end = end  # the archive's length: no member may reach past it
        self._arrays: dict = {}

    def _open(self, key: str) -> tuple[BinaryIO, str, int]:
        member = key + ".npy"
        if member not in self.names:
            raise _BadFile(f"the index refers to array {key!r}, which the archive does not hold")
        info = self._zip.getinfo(member)
        if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1:
            raise _BadFile(f"member {member} is compressed or encrypted; minitorch.save stores members as they are")
        if info.compress_size != info.file_size:
            raise _BadFile(f"member {member} stores {info.compress_size} bytes for {info.file_size} bytes of data")
        if info.header_offset + info.file_size > self._end:
            raise _BadFile(f"member {member} ({info.file_size} bytes at offset {info.header_offset}) reaches past "
                           f"the end of the {self._end}-byte archive")
        return self._zip.open(info), member, info.file_size

    def header(self, key: str) -> tuple[np.dtype, tuple]:
        """The checked dtype and shape of array ``key``, reading no data."""
        f, member, size = self._open(key)
        with f:
            dtype, shape, _ = _npy_header(f, member, size)
        return dtype, shape

    def array(self, key: str) -> np.ndarray:
        """Array ``key``, read into memory only after its header matched the member's size."""
        if key not in self._arrays:
            f, member, size = self._open(key)
            with f:
                dtype, shape, fortran = _npy_header(f, member, size)
                arr = np.empty(math.prod(shape), dtype)
                data, pos = arr.view(np.uint8), 0
                while pos < len(data):
                    n = f.readinto(data[pos:pos + _CHUNK])
                    if not n:
                        raise _BadFile(f"member {member} is truncated")
                    pos += n
            self._arrays[key] = arr.reshape(shape[::-1]).T if fortran else arr.reshape(shape)
        return self._arrays[key]


def _field(node: dict, name: str, kind: type) -> Any:
    """``node[name]``, checked to be a ``kind`` (a bool is not an int here)."""
    value = node.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _BadFile(f"an index entry of type {node['type']!r} has {name} of type {type(value).__name__}, "
                       f"expected {kind.__name__}")
    return value


class _Decoder:
    """Rebuilds the object from the JSON tree, checking every entry, and reading arrays from the archive."""

    def __init__(self, archive: _Archive) -> None:
        self.archive = archive
        self._tensors: dict = {}

    def _array(self, node: dict) -> np.ndarray:
        key = _field(node, "key", str)
        dtype, shape = self.archive.header(key)
        if node["type"] in ("tensor", "parameter"):
            try:
                floating = _dtype.from_numpy_dtype(dtype).is_floating_point
            except TypeError:
                raise _BadFile(f"array {key!r} is a tensor of dtype {dtype.str!r}, which minitorch does not "
                               "support") from None
            if _field(node, "requires_grad", bool) and not floating:
                raise _BadFile(f"array {key!r} is a tensor of dtype {dtype} marked requires_grad; only floating "
                               "point tensors can require gradients")
        if node["type"] == "npscalar" and shape != ():
            raise _BadFile(f"array {key!r} is a numpy scalar of shape {shape}")
        return self.archive.array(key)

    def _tensor(self, node: dict) -> Tensor:
        requires_grad = _field(node, "requires_grad", bool)
        memo = _field(node, "key", str)
        if memo not in self._tensors:
            arr = self._array(node)
            if node["type"] == "parameter":
                t = Parameter(Tensor._make(arr), requires_grad=requires_grad)
            else:
                t = Tensor._make(arr)
                if requires_grad:
                    t.requires_grad_()
            self._tensors[memo] = t
        return self._tensors[memo]

    def decode(self, node: Any, depth: int) -> Any:
        """The object an index node describes (``depth``: how many containers enclose it)."""
        if not isinstance(node, dict) or not isinstance(node.get("type"), str):
            raise _BadFile(f"an index entry is a {type(node).__name__}, not an object with a 'type'")
        kind = node["type"]
        if kind == "none":
            return None
        if kind in ("bool", "int", "str"):
            return _field(node, "value", {"bool": bool, "int": int, "str": str}[kind])
        if kind == "float":
            text = _field(node, "value", str)
            try:
                return float(text)
            except ValueError:
                raise _BadFile(f"a float entry holds {text[:40]!r}, not a number") from None
        if kind in ("tensor", "parameter"):
            return self._tensor(node)
        if kind == "ndarray":
            return self._array(node)
        if kind == "npscalar":
            return self._array(node)[()]
        if kind == "dtype":
            name = _field(node, "value", str)
            for d in _dtype.ALL:
                if d.name == name:
                    return d
            raise _BadFile(f"the dtype entry {name[:40]!r} names no minitorch dtype")
        if kind not in ("dict", "ordereddict", "list", "tuple", "size"):
            raise _BadFile(f"unknown entry type {kind[:40]!r} in the index")
        if depth >= _MAX_DEPTH:
            raise _BadFile(f"the index nests containers more than {_MAX_DEPTH} deep")
        items = _field(node, "items", list)
        if kind in ("dict", "ordereddict"):
            if not all(isinstance(p, list) and len(p) == 2 for p in items):
                raise _BadFile("a dict entry's items are not [key, value] pairs")
            pairs = [(self._key(k, depth + 1), self.decode(v, depth + 1)) for k, v in items]
            return OrderedDict(pairs) if kind == "ordereddict" else dict(pairs)
        values = [self.decode(v, depth + 1) for v in items]
        if kind == "size" and not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            raise _BadFile("a Size entry holds something other than ints")
        return {"list": list, "tuple": tuple, "size": Size}[kind](values)

    def _key(self, node: Any, depth: int) -> Any:
        key = self.decode(node, depth)
        key = tuple(key) if isinstance(key, list) else key
        try:
            hash(key)
        except TypeError:
            raise _BadFile(f"a dict key of type {type(key).__name__} is not hashable") from None
        return key


def read(zf: zipfile.ZipFile, end: int, name: str) -> Any:
    """The object in the open checkpoint ``zf`` (``end``: the length of the archive; ``name``: the file, for errors)."""
    archive = _Archive(zf, end)
    if _INDEX + ".npy" not in archive.names:
        raise RuntimeError(
            f"minitorch.load: {name} is a zip/npz archive but not a minitorch checkpoint (no {_INDEX} entry)"
        )
    dtype, shape = archive.header(_INDEX)
    if dtype != np.uint8 or len(shape) != 1:
        raise _BadFile(f"member {_INDEX}.npy is not a 1-d uint8 array")
    try:
        index = json.loads(archive.array(_INDEX).tobytes().decode("utf-8"))
    except RecursionError:
        raise _BadFile(f"the index nests deeper than minitorch.save writes ({_MAX_DEPTH} containers)") from None
    if not isinstance(index, dict) or index.get("format") != _FORMAT:
        raise RuntimeError(f"minitorch.load: {name} has an index that minitorch.save did not write")
    if index.get("version") != _VERSION:
        raise RuntimeError(
            f"minitorch.load: {name} uses checkpoint format version {index.get('version')!r:.40}, this minitorch "
            f"reads version {_VERSION}"
        )
    return _Decoder(archive).decode(index.get("root"), 0)


def arrays_of(obj: Any) -> dict:
    """The members of ``obj``'s checkpoint: its arrays and the JSON index (TypeError/ValueError if it cannot be one)."""
    enc = _Encoder()
    index = {"format": _FORMAT, "version": _VERSION, "root": enc.encode(obj, "root")}
    arrays = dict(enc.arrays)
    arrays[_INDEX] = np.frombuffer(json.dumps(index).encode("utf-8"), np.uint8)
    return arrays


def is_checkpoint(names: set) -> bool:
    """Whether a zip holding members ``names`` is a minitorch checkpoint."""
    return _INDEX + ".npy" in names
