"""Keep large temporaries in the process instead of returning them to the OS on every step.

glibc serves allocations above M_MMAP_THRESHOLD (128 KiB by default, adapting upwards) with fresh
``mmap`` pages and unmaps them on free, and trims the heap above M_TRIM_THRESHOLD. A convolution
step allocates and frees several multi-MB im2col buffers, so each step pays for page faults on
memory it just gave back; measured on LeNet-5 (batch 64) this was about a quarter of the step.
Raising both thresholds lets freed buffers be reused. Set ``MINITORCH_MALLOPT=0`` to leave glibc's
defaults alone; nothing happens on platforms without glibc.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3


def tune(mmap_threshold: int = 32 << 20, trim_threshold: int = 256 << 20) -> bool:
    """Raise glibc's mmap and trim thresholds; returns whether the allocator was tuned."""
    if os.environ.get("MINITORCH_MALLOPT", "1") == "0":
        return False
    name = ctypes.util.find_library("c")
    if not name or "libc.so" not in name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(M_MMAP_THRESHOLD, mmap_threshold)) and bool(mallopt(M_TRIM_THRESHOLD, trim_threshold))
