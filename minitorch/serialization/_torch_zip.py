"""PyTorch's file formats: the zip written by ``torch.save`` (read and written) and its legacy pickle stream (read).

The zip (``torch.save``'s default since 1.6) holds, under one top-level folder: ``data.pkl``, the pickled
object, in which each tensor is a call of ``torch._utils._rebuild_tensor_v2(storage, offset, size,
stride, requires_grad, hooks)`` and each storage a persistent id ``('storage', torch.FloatStorage,
key, location, numel)``; ``data/<key>``, the bytes of each storage; ``byteorder`` (``little`` or
``big``); ``version``; and ``.format_version`` / ``.storage_alignment`` (storages start at multiples of
64 bytes, so they can be memory-mapped). Every member is stored uncompressed.

The legacy stream (``_use_new_zipfile_serialization=False``) is five pickles in a row, a magic number,
the protocol version 1001, a dict of system information, the object and the list of storage keys,
followed by each storage as an 8-byte element count and its bytes.

Tensors are rebuilt as strided views of their storage, so tensors that shared a storage when saved
share memory when loaded. Writing walks the object with the standard library's Python pickler, whose
``save`` writes torch's global names (``torch._utils _rebuild_tensor_v2``, ``torch FloatStorage``,
``torch float32``) into the pickle without importing torch.
"""
from __future__ import annotations

import io
import pickle
import struct
import sys
import zipfile
from collections import OrderedDict
from typing import Any, BinaryIO, Callable

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Size, Tensor, device
from minitorch.nn.parameter import Parameter
from minitorch.serialization import _unpickler
from minitorch.serialization._unpickler import Storage, StorageType

_ALIGN = 64
_MAX_VERSION = 10  # the newest zip format version torch's reader accepts is below this
_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_LEGACY_PROTOCOL = 1001
_CHUNK = 1 << 20


class BadFile(Exception):
    """A file that breaks torch's format; ``load`` reports it as a RuntimeError naming the file."""


# ------------------------------------------------------------------------------------------ reading
class Loader:
    """Reads storages for the unpickler (``persistent_load``) and picks the unpickler ``weights_only`` asks for."""

    def __init__(self, name: str, map_location: Any, weights_only: bool, pickle_module: Any, load_args: dict):
        self.name, self.map_location = name, map_location
        self.weights_only, self.pickle_module, self.load_args = weights_only, pickle_module, load_args
        self.storages: dict = {}
        self.swap = False  # the file's byte order is not this machine's

    def unpickle(self, f: BinaryIO, persistent_load: Callable | None) -> Any:
        if self.weights_only:
            encoding = self.load_args.get("encoding", "utf-8")
            return _unpickler.WeightsUnpickler(f, persistent_load, encoding=encoding).load()
        cls = _unpickler.mapping_unpickler(self.pickle_module.Unpickler)
        return cls(f, persistent_load, **self.load_args).load()

    def storage_args(self, pid: tuple, length: int) -> tuple[str, np.dtype, int, bool]:
        """Check a persistent id ``('storage', type, key, location, numel, ...)`` of ``length`` fields."""
        kind = pid[0] if pid else None
        kind = kind.decode("ascii", "replace") if isinstance(kind, bytes) else kind
        if len(pid) != length or type(kind) is not str or kind != "storage":
            raise pickle.UnpicklingError(f"unsupported persistent id {pid!r:.100}")
        storage_type, key, location, numel = pid[1:5]
        if type(storage_type) is not StorageType:
            raise pickle.UnpicklingError(f"a storage of type {storage_type!r:.60} is not one of torch's storage types")
        if type(key) is not str or type(location) is not str or type(numel) is not int or numel < 0:
            raise pickle.UnpicklingError(f"the storage persistent id {pid!r:.100} is malformed")
        self._check_location(location)
        dtype = storage_type.dtype if storage_type.dtype is not None else np.dtype(np.uint8)
        return key, dtype, numel, storage_type.dtype is not None

    def _check_location(self, location: str) -> None:
        target = self.map_location
        if isinstance(target, dict):
            target = target.get(location, location)
        elif callable(target):
            return  # the callable decides where each storage goes
        elif target is None:
            target = location
        if str(target).split(":")[0] != "cpu":
            raise RuntimeError(
                f"Attempting to deserialize object on a {location.split(':')[0].upper()} device ({location}) but "
                "minitorch runs only on the cpu. If you are running on a CPU-only machine, please use minitorch.load "
                "with map_location=minitorch.device('cpu') to map your storages to the CPU."
            )

    def finish(self, arr: np.ndarray) -> np.ndarray:
        """A storage array as read: in this machine's byte order, bools only 0 or 1."""
        if self.swap:
            arr.byteswap(inplace=True)
        if arr.dtype == np.bool_:
            u = arr.view(np.uint8)
            np.not_equal(u, 0, out=arr)
        return arr


def _member(zf: zipfile.ZipFile, name: str, end: int) -> zipfile.ZipInfo:
    info = zf.getinfo(name)
    if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1:
        raise BadFile(f"member {name} is compressed or encrypted; torch.save stores members as they are")
    if info.compress_size != info.file_size or info.header_offset + info.file_size > end:
        raise BadFile(f"member {name} ({info.file_size} bytes at offset {info.header_offset}) does not fit in the "
                      f"{end}-byte archive")
    return info


def _read_into(f: BinaryIO, arr: np.ndarray, what: str) -> None:
    data, pos = arr.reshape(-1).view(np.uint8), 0
    while pos < len(data):
        n = f.readinto(data[pos:pos + _CHUNK])
        if not n:
            raise BadFile(f"{what} is truncated")
        pos += n


def is_torch_zip(names: list) -> bool:
    """Whether a zip with members ``names`` is a ``torch.save`` file."""
    return any(n.endswith("/data.pkl") and n.count("/") == 1 for n in names)


def read_zip(zf: zipfile.ZipFile, end: int, loader: Loader, mmap_path: str | None) -> Any:
    """The object in the ``torch.save`` zip ``zf`` (``end``: its length; ``mmap_path``: map storages from this file)."""
    names = set(zf.namelist())
    pkls = [n for n in names if n.endswith("/data.pkl") and n.count("/") == 1]
    if len(pkls) != 1:
        raise BadFile(f"the archive holds {len(pkls)} data.pkl records, torch.save writes one")
    prefix = pkls[0][:-len("data.pkl")]
    if prefix + "constants.pkl" in names:
        raise RuntimeError(f"minitorch.load: {loader.name} is a TorchScript archive, which minitorch cannot run")

    def small(record: str, limit: int = 64) -> bytes | None:
        if prefix + record not in names:
            return None
        info = _member(zf, prefix + record, end)
        if info.file_size > limit:
            raise BadFile(f"record {record} is {info.file_size} bytes long")
        return zf.read(info)

    version = small("version") or small(".data/version")
    if version is None or not version.strip().isdigit() or not 1 <= int(version) <= _MAX_VERSION:
        raise BadFile(f"the archive has format version {version!r:.40}, minitorch reads versions 1 to {_MAX_VERSION}")
    order = small("byteorder") or b"little"
    if order not in (b"little", b"big"):
        raise BadFile(f"Unknown endianness type: {order.decode('latin1')!r}")
    loader.swap = order.decode() != sys.byteorder

    def persistent_load(pid: tuple) -> Storage:
        key, dtype, numel, typed = loader.storage_args(pid, 5)
        if key not in loader.storages:
            record = f"{prefix}data/{key}"
            if record not in names:
                raise BadFile(f"the pickle refers to storage {key!r:.40}, which the archive does not hold")
            info = _member(zf, record, end)
            if info.file_size != numel * dtype.itemsize:
                raise BadFile(f"storage {key!r:.40} holds {info.file_size} bytes, not the {numel * dtype.itemsize} "
                              f"bytes of {numel} {dtype} elements")
            loader.storages[key] = Storage(loader.finish(_storage_data(zf, info, dtype, numel, mmap_path)), typed)
        storage = loader.storages[key]
        if storage.array.dtype != dtype or len(storage.array) != numel:
            raise pickle.UnpicklingError(f"storage {key!r:.40} is used as two different storages")
        if callable(loader.map_location):
            storage = loader.map_location(storage, pid[3]) or storage
        return storage

    data = zf.read(_member(zf, pkls[0], end))
    return loader.unpickle(io.BytesIO(data), persistent_load)


def _storage_data(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dtype: np.dtype, numel: int,
                  mmap_path: str | None) -> np.ndarray:
    if mmap_path is not None and numel:
        with open(mmap_path, "rb") as fh:  # the local header's extra field may differ from the central one's
            fh.seek(info.header_offset)
            local = fh.read(30)
        if len(local) != 30 or local[:4] != b"PK\x03\x04":
            raise BadFile(f"member {info.filename} has no local header")
        name_len, extra_len = struct.unpack("<HH", local[26:30])
        start = info.header_offset + 30 + name_len + extra_len
        return np.memmap(mmap_path, dtype, mode="c", offset=start, shape=(numel,))
    arr = np.empty(numel, dtype)
    with zf.open(info) as f:
        _read_into(f, arr, f"storage {info.filename}")
    return arr


class _Bounded:
    """A file's reads capped at its ``end``, so a pickle declaring a huge string allocates only what the file holds."""

    def __init__(self, fh: BinaryIO, end: int):
        self._fh, self._end = fh, end

    def read(self, n: int = -1) -> bytes:
        left = self._end - self._fh.tell()
        return self._fh.read(left if n < 0 else min(n, left))

    def readline(self) -> bytes:
        return self._fh.readline(self._end - self._fh.tell())

    def readinto(self, buf: Any) -> int:
        return self._fh.readinto(buf)


def read_legacy(fh: BinaryIO, end: int, loader: Loader) -> Any:
    """The object in a legacy (non-zip) ``torch.save`` stream ``fh`` of ``end`` bytes."""
    stream = _Bounded(fh, end)
    magic = loader.unpickle(stream, None)
    if magic != _LEGACY_MAGIC:
        raise RuntimeError(f"minitorch.load: {loader.name} is a pickle but not a torch.save file (Invalid magic "
                           "number; corrupt file?)")
    protocol = loader.unpickle(stream, None)
    if protocol != _LEGACY_PROTOCOL:
        raise RuntimeError(f"minitorch.load: {loader.name}: Invalid protocol version: {protocol!r:.40}")
    info = loader.unpickle(stream, None)
    if not isinstance(info, dict):
        raise BadFile("the system information record is not a dict")
    little = info.get("little_endian", True)
    loader.swap = bool(little) != (sys.byteorder == "little")

    def persistent_load(pid: tuple) -> Storage:
        key, dtype, numel, typed = loader.storage_args(pid, 6)
        if pid[5] is not None:
            raise pickle.UnpicklingError("legacy storage views are not supported")
        if key not in loader.storages:
            if numel * dtype.itemsize > end - fh.tell():
                raise BadFile(f"storage {key!r:.40} declares {numel} {dtype} elements, more than the file holds")
            loader.storages[key] = Storage(np.empty(numel, dtype), typed)
        return loader.storages[key]

    result = loader.unpickle(stream, persistent_load)
    keys = loader.unpickle(stream, None)
    if type(keys) is not list or not all(type(k) is str and k in loader.storages for k in keys):
        raise BadFile("the list of storage keys does not match the storages the object uses")
    for key in keys:
        arr = loader.storages[key].array
        head = fh.read(8)
        if len(head) != 8 or struct.unpack("<q" if little else ">q", head)[0] != len(arr):
            raise BadFile(f"storage {key!r:.40} has a header that does not match its {len(arr)} elements")
        _read_into(fh, arr, f"storage {key!r:.40}")
        loader.finish(arr)
    return result


# ------------------------------------------------------------------------------------------ writing
class _Global:
    """A global named in a pickle (``GLOBAL module name``) that the writer never imports."""

    def __init__(self, module: str, name: str):
        self.module, self.name = module, name

    def __call__(self, *args: Any) -> None:
        raise TypeError(f"{self.module}.{self.name} is a name written into a pickle, not a function")


_GLOBALS: dict = {}


def _named(module: str, name: str) -> _Global:
    return _GLOBALS.setdefault(f"{module}.{name}", _Global(module, name))


class _StorageRef:
    """The storage of one or more tensors being saved: a flat array and its key in the archive."""

    def __init__(self, key: str, flat: np.ndarray):
        self.key, self.flat = key, flat


def _flat_root(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray, int, tuple] | None:
    """``(memory owner, its flat memory, element offset, element strides)`` of ``arr`` as a view of its owner."""
    root = arr
    while isinstance(root.base, np.ndarray):
        root = root.base
    if root.dtype != arr.dtype or not (root.flags.c_contiguous or root.flags.f_contiguous):
        return None
    flat = root.ravel(order="K")
    item = arr.itemsize
    delta = arr.__array_interface__["data"][0] - flat.__array_interface__["data"][0]
    if delta % item or delta < 0 or any(s % item or s < 0 for s in arr.strides):
        return None
    offset, strides = delta // item, tuple(s // item for s in arr.strides)
    if arr.size and offset + sum((n - 1) * s for n, s in zip(arr.shape, strides)) >= flat.size:
        return None
    return root, flat, offset, strides


class TorchPickler(pickle._Pickler):
    """Pickles an object as ``torch.save`` does: tensors become ``_rebuild_tensor_v2`` calls on keyed storages."""

    def __init__(self, file: BinaryIO, protocol: int):
        super().__init__(file, protocol)
        self.storages: dict = {}  # id(memory-owning array) -> _StorageRef
        self._keep: list = []  # arrays whose ids key self.storages

    def save(self, obj: Any, save_persistent_id: bool = True) -> None:
        if isinstance(obj, _dtype.dtype):
            obj = _named("torch", obj.name)
        if type(obj) is not _Global:
            super().save(obj, save_persistent_id)
            return
        memo = self.memo.get(id(obj))
        if memo is not None:
            self.write(self.get(memo[0]))
            return
        self.write(pickle.GLOBAL + f"{obj.module}\n{obj.name}\n".encode("utf-8"))
        self.memoize(obj)

    def persistent_id(self, obj: Any) -> tuple | None:
        if type(obj) is _StorageRef:
            kind = _named("torch", _unpickler.STORAGE_NAMES[obj.flat.dtype])
            return ("storage", kind, obj.key, "cpu", obj.flat.size)
        return None

    def _storage(self, arr: np.ndarray) -> tuple[_StorageRef, int, tuple]:
        found = _flat_root(arr)
        if found is None:
            flat = np.ascontiguousarray(arr).reshape(-1)
            owner, offset, strides = flat, 0, None
        else:
            owner, flat, offset, strides = found
        ref = self.storages.get(id(owner))
        if ref is None:
            ref = self.storages[id(owner)] = _StorageRef(str(len(self.storages)), flat)
            self._keep.append(owner)
        if strides is None:
            strides = tuple(int(s) for s in np.cumprod((1,) + arr.shape[:0:-1])[::-1]) if arr.ndim else ()
        return ref, offset, strides

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Parameter):
            return _named("torch._utils", "_rebuild_parameter"), (Tensor._make(obj._data), obj.requires_grad,
                                                                   OrderedDict())
        if isinstance(obj, Tensor):
            if obj._data.dtype not in _unpickler.STORAGE_NAMES:
                raise TypeError(f"minitorch.save: cannot save a tensor of dtype {obj._data.dtype}")
            ref, offset, strides = self._storage(obj._data)
            rebuild = _named("torch._utils", "_rebuild_tensor_v2")
            args = (ref, offset, tuple(obj._data.shape), strides, obj.requires_grad, OrderedDict())
            state = {k: v for k, v in obj.__dict__.items() if not k.startswith("_")}  # not minitorch's own
            if state:  # the user's Python attributes, kept as torch keeps them
                return _named("torch._tensor", "_rebuild_from_type_v2"), (rebuild, _named("torch", "Tensor"), args,
                                                                          state)
            return rebuild, args
        if type(obj) is Size:
            return _named("torch", "Size"), (tuple(obj),)
        if type(obj) is device:
            return _named("torch", "device"), (str(obj),)
        return NotImplemented


def _record(zf: zipfile.ZipFile, name: str, data: Any, pos: int) -> None:
    """Write member ``name`` at archive offset ``pos``, padding its extra field so its data starts 64-byte aligned."""
    nbytes = memoryview(data).nbytes
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    zip64 = 20 if nbytes * 1.05 > zipfile.ZIP64_LIMIT else 0
    pad = -(pos + 30 + len(name.encode()) + 4 + zip64) % _ALIGN
    info.extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
    info.file_size = nbytes
    with zf.open(info, "w") as w:
        view = memoryview(data).cast("B")
        for start in range(0, nbytes, _CHUNK):
            w.write(view[start:start + _CHUNK])


def write_zip(fh: BinaryIO, obj: Any, protocol: int = 2) -> None:
    """Write ``obj`` to ``fh`` in the ``torch.save`` zip format (``torch.load(..., weights_only=True)`` reads it)."""
    if not fh.seekable():
        buf = io.BytesIO()
        write_zip(buf, obj, protocol)
        fh.write(buf.getbuffer())
        return
    pkl = io.BytesIO()
    pickler = TorchPickler(pkl, protocol)
    pickler.dump(obj)
    start = fh.tell()
    records = [("data.pkl", pkl.getbuffer()), (".format_version", b"1"), (".storage_alignment", b"64"),
               ("byteorder", sys.byteorder.encode())]
    records += [(f"data/{ref.key}", ref.flat.view(np.uint8) if ref.flat.size else b"")
                for ref in pickler.storages.values()]
    records += [("version", b"3\n")]
    with zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as zf:
        for name, data in records:
            _record(zf, f"archive/{name}", data, fh.tell() - start)

