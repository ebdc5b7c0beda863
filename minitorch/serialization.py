"""``minitorch.save`` / ``minitorch.load``: checkpoints that never execute code when loaded.

A checkpoint is a numpy ``.npz`` archive (a zip of ``.npy`` arrays, read back with
``allow_pickle=False``). Every tensor and array of the saved object becomes one member
(``a0``, ``a1``, ...); the member ``__minitorch_index__`` holds UTF-8 JSON describing the
structure around them: dicts (keys may be str, int, float, bool, None or tuples), lists,
tuples, tensors (with ``requires_grad``, and whether they were Parameters), numpy arrays and
scalars, Python numbers, strings, bools and None. State dicts of modules and optimisers are
made of exactly these. A tensor that appears twice is stored once and loads as one object.

Writing to a path is atomic: the archive goes to a temporary file in the same directory,
is flushed and fsync'ed, then ``os.replace``-d over the target, so a crash mid-write leaves
the previous file intact.

Moving weights between minitorch and PyTorch (minitorch itself never imports torch)::

    # PyTorch -> minitorch: load_state_dict reads torch tensors through __array__
    model.load_state_dict(torch_model.state_dict())
    # minitorch -> PyTorch
    torch_model.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in model.state_dict().items()})
    # through a file, without pickles on either side
    minitorch.save({k: v.numpy() for k, v in torch_model.state_dict().items()}, "weights.npz")
    model.load_state_dict(minitorch.load("weights.npz"))
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import zipfile
from collections import OrderedDict
from typing import Any, BinaryIO

import numpy as np

from minitorch import _dtype
from minitorch.nn.parameter import Parameter
from minitorch.tensor import Size, Tensor

_INDEX = "__minitorch_index__"
_FORMAT = "minitorch.save"
_VERSION = 1
_PICKLE_HINT = (
    "minitorch.load never unpickles (unpickling can run arbitrary code); it reads only files written by "
    "minitorch.save. To bring PyTorch weights over, call model.load_state_dict(torch_model.state_dict()) "
    "or save {name: tensor.numpy()} with minitorch.save from the PyTorch side."
)


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


class _Decoder:
    """Rebuilds the object from the JSON tree, reading arrays from the archive."""

    def __init__(self, archive: Any) -> None:
        self.archive = archive
        self._cache: dict = {}

    def _array(self, key: str) -> np.ndarray:
        if key not in self._cache:
            self._cache[key] = self.archive[key]
        return self._cache[key]

    def _tensor(self, node: dict) -> Tensor:
        memo = ("tensor", node["key"])
        if memo not in self._cache:
            arr = self._array(node["key"])
            if node["type"] == "parameter":
                t = Parameter(Tensor._make(arr), requires_grad=bool(node["requires_grad"]))
            else:
                t = Tensor._make(arr)
                if node["requires_grad"]:
                    t.requires_grad_()
            self._cache[memo] = t
        return self._cache[memo]

    def decode(self, node: dict) -> Any:
        """The object an index node describes."""
        kind = node["type"]
        if kind == "none":
            return None
        if kind in ("bool", "int", "str"):
            return {"bool": bool, "int": int, "str": str}[kind](node["value"])
        if kind == "float":
            return float(node["value"])
        if kind in ("tensor", "parameter"):
            return self._tensor(node)
        if kind == "ndarray":
            return self._array(node["key"])
        if kind == "npscalar":
            return self._array(node["key"])[()]
        if kind == "dtype":
            return _dtype.to_dtype(node["value"])
        if kind in ("dict", "ordereddict"):
            pairs = [(self._key(k), self.decode(v)) for k, v in node["items"]]
            return OrderedDict(pairs) if kind == "ordereddict" else dict(pairs)
        if kind in ("list", "tuple", "size"):
            items = [self.decode(v) for v in node["items"]]
            return {"list": list, "tuple": tuple, "size": Size}[kind](items)
        raise ValueError(f"unknown entry type {kind!r} in the index")

    def _key(self, node: dict) -> Any:
        key = self.decode(node)
        return tuple(key) if isinstance(key, list) else key


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write(fh: BinaryIO, arrays: dict) -> None:
    np.savez(fh, **arrays)


def save(obj: Any, f: str | os.PathLike | BinaryIO) -> None:
    """Write ``obj`` (tensors, arrays, numbers, strings, None and nested dicts/lists/tuples) to ``f``.

    ``f`` is a path (written atomically: temp file + fsync + rename) or a writable binary file object.
    """
    enc = _Encoder()
    index = {"format": _FORMAT, "version": _VERSION, "root": enc.encode(obj, "root")}
    arrays = dict(enc.arrays)
    arrays[_INDEX] = np.frombuffer(json.dumps(index).encode("utf-8"), np.uint8)
    if hasattr(f, "write"):
        _write(f, arrays)
        return
    path = os.fspath(f)
    directory = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            _write(fh, arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _check_header(head: bytes, name: str) -> None:
    if head[:1] == b"\x80":
        raise RuntimeError(f"minitorch.load: {name} is a Python pickle, not a minitorch checkpoint. {_PICKLE_HINT}")
    if head[:4] not in (b"PK\x03\x04", b"PK\x05\x06"):
        raise RuntimeError(
            f"minitorch.load: {name} is not a minitorch checkpoint (expected a .npz/zip archive written by "
            f"minitorch.save, found a file starting with {head[:8]!r})"
        )


def _load_archive(fh: BinaryIO, name: str) -> Any:
    with np.load(fh, allow_pickle=False) as archive:
        if _INDEX not in archive.files:
            if any(n.endswith("data.pkl") for n in archive.files):
                raise RuntimeError(f"minitorch.load: {name} is a PyTorch checkpoint (torch.save). {_PICKLE_HINT}")
            raise RuntimeError(
                f"minitorch.load: {name} is a zip/npz archive but not a minitorch checkpoint (no {_INDEX} entry)"
            )
        index = json.loads(bytes(archive[_INDEX]).decode("utf-8"))
        if not isinstance(index, dict) or index.get("format") != _FORMAT:
            raise RuntimeError(f"minitorch.load: {name} has an index that minitorch.save did not write")
        if index.get("version") != _VERSION:
            raise RuntimeError(
                f"minitorch.load: {name} uses checkpoint format version {index.get('version')}, this minitorch "
                f"reads version {_VERSION}"
            )
        return _Decoder(archive).decode(index["root"])


def load(f: str | os.PathLike | BinaryIO, map_location: Any = None, *, weights_only: bool | None = None) -> Any:
    """Read an object written by ``save`` from a path or a readable binary file object.

    Nothing in the file is ever executed: pickles (including ``torch.save`` files) are refused
    with an explanation, and corrupt or truncated files raise a ``RuntimeError`` naming the file.
    ``map_location`` may only name the CPU; ``weights_only`` is accepted for torch compatibility
    (loading is always weights-only).
    """
    if map_location is not None and str(map_location) != "cpu":
        raise RuntimeError(f"minitorch.load: map_location={map_location!r} is not available; minitorch runs on the cpu")
    name = repr(os.fspath(f)) if not hasattr(f, "read") else "the file object"
    with contextlib.ExitStack() as stack:
        if hasattr(f, "read"):
            fh = f if hasattr(f, "seek") and f.seekable() else io.BytesIO(f.read())
        else:
            fh = stack.enter_context(open(os.fspath(f), "rb"))
        start = fh.tell()
        _check_header(fh.read(8), name)
        fh.seek(start)
        try:
            return _load_archive(fh, name)
        except (zipfile.BadZipFile, ValueError, KeyError, TypeError, OSError, EOFError, UnicodeDecodeError) as e:
            raise RuntimeError(
                f"minitorch.load: {name} is corrupt or truncated, or not a minitorch checkpoint "
                f"({type(e).__name__}: {e})"
            ) from e
