"""``minitorch.save`` / ``minitorch.load``: minitorch's checkpoints, PyTorch's files, and safetensors.

``save(obj, f, format=None)`` writes one of two formats:

- ``"npz"``, the default for objects made only of tensors, numpy arrays, numbers, strings, None and
  dicts/lists/tuples of them (state dicts of modules and optimisers): a numpy ``.npz`` archive with a
  JSON index, read without unpickling anything (``_npz`` lists what ``load`` checks);
- ``"torch"``, the default for anything else (a whole ``nn.Module``, an optimizer, any picklable object):
  the zip that ``torch.save`` writes (``_torch_zip``), with tensors stored as torch stores them, so
  ``torch.load(f, weights_only=True)`` reads a state dict saved this way.

``load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None, **pickle_load_args)``
reads either format, files written by ``torch.save`` (its zip and its legacy pickle stream) and, for a
path ending in ``.safetensors``, a safetensors file. As in torch >= 2.6, ``weights_only`` defaults to
True: a pickle is read by a restricted unpickler (``_unpickler``) that rebuilds tensors, storages,
containers, numbers and strings and executes nothing; a file that needs any other global raises
``pickle.UnpicklingError`` with torch's "Weights only load failed" message, and
``weights_only=False`` (only for files from a trusted source) loads it with the ordinary unpickler.
``add_safe_globals``/``safe_globals`` allow more globals, and ``get_unsafe_globals_in_checkpoint`` lists
the ones a file needs. Tensors load on the CPU: ``map_location``
may be None, ``"cpu"``, a cpu device, a dict mapping locations to the cpu, or a callable
``(storage, location)``. ``mmap=True`` maps the storages of a torch zip from its file (copy on write).

A corrupt or crafted file raises ``RuntimeError("minitorch.load: <file> is corrupt or truncated, or not
a minitorch checkpoint (<what is wrong>)")`` (or ``pickle.UnpicklingError`` for a refused pickle), never
an error from deep inside zipfile or numpy, and no array is allocated bigger than the bytes the file
holds for it.

Writing to a path is atomic: the file goes to a temporary file in the same directory, is flushed
and fsync'ed, then ``os.replace``-d over the target, so a crash mid-write leaves the previous file intact.

Moving weights between minitorch and PyTorch (minitorch itself never imports torch)::

    torch.save(torch_model.state_dict(), "w.pt")
    model.load_state_dict(minitorch.load("w.pt"))               # PyTorch -> minitorch
    minitorch.save(model.state_dict(), "m.pt", format="torch")
    torch_model.load_state_dict(torch.load("m.pt", weights_only=True))  # minitorch -> PyTorch
    minitorch.save_file(model.state_dict(), "m.safetensors")     # or through safetensors, both ways
"""
from __future__ import annotations

import contextlib
import io
import os
import pickle
import struct
import tempfile
import warnings
import zipfile
from typing import Any, BinaryIO, Callable

import numpy as np

from minitorch.serialization import _npz, _torch_zip, safetensors
from minitorch.serialization._unpickler import (
    UNSAFE_MESSAGE, add_safe_globals, clear_safe_globals, get_safe_globals, safe_globals, unsafe_globals,
    weights_only_message,
)
from minitorch.serialization.safetensors import load_file, save_file

__all__ = ["save", "load", "add_safe_globals", "get_safe_globals", "clear_safe_globals", "safe_globals",
           "get_unsafe_globals_in_checkpoint", "save_file", "load_file", "safetensors", "UNSAFE_MESSAGE"]

_FORMATS = (None, "npz", "torch")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write(fh: BinaryIO, arrays: dict) -> None:
    np.savez(fh, **arrays)


def _atomic(path: str, write: Callable[[BinaryIO], None]) -> None:
    """Run ``write`` on a temporary file beside ``path``, then move it over ``path`` (durably, keeping its mode)."""
    directory = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
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


def save(obj: Any, f: str | os.PathLike | BinaryIO, pickle_module: Any = pickle, pickle_protocol: int = 2, *,
         format: str | None = None) -> None:
    """Write ``obj`` to ``f`` (a path, written atomically, or a writable binary file object).

    ``format``: ``"npz"`` (minitorch's checkpoint: tensors, arrays, numbers, strings, None and containers of
    them), ``"torch"`` (``torch.save``'s zip, readable by ``torch.load``), or None: ``"npz"`` when the object
    fits it, else ``"torch"``. ``pickle_protocol`` is the protocol of the ``"torch"`` format's pickle.
    """
    if format not in _FORMATS:
        raise ValueError(f"minitorch.save: format must be 'npz', 'torch' or None, but got {format!r}")
    if pickle_module is not pickle:
        raise ValueError("minitorch.save writes pickles with the standard library's pickle module only")
    write = None
    if format != "torch":
        try:
            arrays = _npz.arrays_of(obj)
            write = lambda fh: _write(fh, arrays)  # noqa: E731
        except (TypeError, ValueError):
            if format == "npz":
                raise
    if write is None:
        write = lambda fh: _torch_zip.write_zip(fh, obj, pickle_protocol)  # noqa: E731
    if hasattr(f, "write"):
        write(f)
    else:
        _atomic(os.fspath(f), write)


def _check_map_location(map_location: Any) -> None:
    if map_location is None or callable(map_location) or isinstance(map_location, dict):
        return
    if str(map_location).split(":")[0] != "cpu":
        raise RuntimeError(f"minitorch.load: map_location={map_location!r} is not available; minitorch runs on the cpu")


def _open(fh: BinaryIO, name: str, path: str | None, map_location: Any, pickle_module: Any, weights_only: bool,
          mmap: bool, load_args: dict) -> Any:
    start = fh.tell()
    head = fh.read(8)
    end = fh.seek(0, os.SEEK_END)
    fh.seek(start)
    loader = _torch_zip.Loader(name, map_location, weights_only, pickle_module, load_args)
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        with zipfile.ZipFile(fh) as zf:
            names = zf.namelist()
            if _npz.is_checkpoint(set(names)):
                if mmap:
                    raise RuntimeError(f"minitorch.load: mmap=True needs a torch-format file; {name} is an npz "
                                       "checkpoint (save it with format='torch' to map it)")
                return _npz.read(zf, end, name)
            if _torch_zip.is_torch_zip(names):
                return _torch_zip.read_zip(zf, end, loader, path if mmap else None)
            raise RuntimeError(f"minitorch.load: {name} is a zip/npz archive but not a minitorch checkpoint (no "
                               "__minitorch_index__ entry) nor a torch.save file (no data.pkl)")
    if head[:1] == b"\x80":
        if mmap:
            raise RuntimeError("mmap can only be used with files saved with "
                               "`torch.save(_use_new_zipfile_serialization=True)` or minitorch.save(format='torch'), "
                               f"and {name} is a legacy torch.save file")
        return _torch_zip.read_legacy(fh, end, loader)
    raise RuntimeError(f"minitorch.load: {name} is not a minitorch checkpoint (expected a .npz/zip archive written "
                       f"by minitorch.save or torch.save, found a file starting with {head[:8]!r})")


def load(f: str | os.PathLike | BinaryIO, map_location: Any = None, pickle_module: Any = None, *,
         weights_only: bool | None = None, mmap: bool | None = None, **pickle_load_args: Any) -> Any:
    """Read an object written by ``minitorch.save`` or ``torch.save`` (or a ``.safetensors`` path).

    ``weights_only`` (default True) refuses any pickled global but tensors, storages, containers, numbers,
    strings and the ``add_safe_globals`` allowlist, with ``pickle.UnpicklingError``; pass False only for a
    file from a trusted source. The module docstring describes ``map_location``, ``mmap`` and the checks.
    """
    _check_map_location(map_location)
    weights_only = True if weights_only is None else weights_only
    if weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    if pickle_load_args and weights_only:
        warnings.warn("pickle_load_args only works if `weights_only=False`.")
    pickle_load_args.setdefault("encoding", "utf-8")
    path = None if hasattr(f, "read") else os.fspath(f)
    if isinstance(path, str) and path.endswith(".safetensors"):
        return load_file(path)
    name = "the file object" if path is None else repr(path)
    with contextlib.ExitStack() as stack:
        if path is None:
            fh = f if hasattr(f, "seek") and f.seekable() else io.BytesIO(f.read())
        else:
            fh = stack.enter_context(open(path, "rb"))
        if mmap and path is None:
            start = fh.tell()
            is_zip = fh.read(4) in (b"PK\x03\x04", b"PK\x05\x06")
            fh.seek(start)
            if is_zip:
                raise ValueError("f must be a file path in order to use the mmap argument")
        corrupt: tuple = (_npz._BadFile, _torch_zip.BadFile, zipfile.BadZipFile, struct.error, EOFError)
        if weights_only:
            corrupt += (NotImplementedError, ValueError, KeyError, TypeError, OverflowError, OSError)
        try:
            return _open(fh, name, path, map_location, pickle_module or pickle, weights_only, bool(mmap),
                         pickle_load_args)
        except pickle.UnpicklingError as e:
            if not weights_only:
                raise
            raise pickle.UnpicklingError(weights_only_message(str(e))) from None
        except corrupt as e:
            detail = str(e) if isinstance(e, (_npz._BadFile, _torch_zip.BadFile)) else f"{type(e).__name__}: {e}"
            raise RuntimeError(
                f"minitorch.load: {name} is corrupt or truncated, or not a minitorch checkpoint ({detail})"
            ) from e


def get_unsafe_globals_in_checkpoint(f: str | os.PathLike | BinaryIO) -> list:
    """The ``module.name`` of each global in a torch-format file's pickle that ``weights_only`` would refuse.

    As torch's, it reads the pickle statically (nothing runs) and sees only ``GLOBAL`` opcodes.
    """
    with contextlib.ExitStack() as stack:
        fh = f if hasattr(f, "read") else stack.enter_context(open(os.fspath(f), "rb"))
        if not zipfile.is_zipfile(fh):
            raise ValueError("Expected input to be a checkpoint returned by torch.save")
        fh.seek(0)
        with zipfile.ZipFile(fh) as zf:
            pkls = [n for n in zf.namelist() if n.endswith("/data.pkl") and n.count("/") == 1]
            if len(pkls) != 1:
                raise ValueError("Expected input to be a checkpoint returned by torch.save")
            return unsafe_globals(zf.read(pkls[0]))
