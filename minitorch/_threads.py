"""``set_num_threads`` / ``get_num_threads``: the threads of the BLAS library under numpy (OpenBLAS in
numpy's wheels), which is where minitorch's matmuls and convolutions spend their time.

The library is found among the shared objects loaded into the process (``/proc/self/maps``) and called
through ctypes, as threadpoolctl does; its exported names carry a prefix and suffix that depend on the build
(``openblas_set_num_threads``, ``scipy_openblas_set_num_threads64_``...). Without such a library (another
BLAS, another OS) the number is kept and reported, and changes nothing.
"""
from __future__ import annotations

import ctypes
import os

import numpy as np  # noqa: F401  (loads the BLAS library before it is looked for)

_PREFIXES = ("scipy_openblas", "openblas")
_SUFFIXES = ("64_", "")
_requested: list = []


def _blas() -> tuple | None:
    """(set, get) of the loaded OpenBLAS, or None."""
    try:
        with open("/proc/self/maps") as f:
            found = {line.split()[-1] for line in f if "openblas" in line.lower() and ".so" in line}
    except OSError:
        return None
    # numpy's own copy first: scipy or torch may load other OpenBLAS builds into the same process
    paths = sorted(found, key=lambda path: ("numpy" not in path, path))
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in _PREFIXES:
            for suffix in _SUFFIXES:
                set_fn = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
                get_fn = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
                if set_fn is not None and get_fn is not None:
                    return set_fn, get_fn
    return None


_BLAS = _blas()


def set_num_threads(n: int) -> None:
    """Use ``n`` threads for the BLAS calls (matmul, convolution) from now on."""
    if type(n) is bool or not isinstance(n, int):
        raise RuntimeError(f"set_num_threads expects an int, but got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    _requested[:] = [n]
    if _BLAS is not None:
        _BLAS[0](ctypes.c_int(n))


def get_num_threads() -> int:
    """The number of threads the BLAS calls use."""
    if _BLAS is not None:
        return _BLAS[1]()
    return _requested[0] if _requested else (os.cpu_count() or 1)
