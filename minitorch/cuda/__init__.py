"""``minitorch.cuda``: torch's CUDA namespace as a build without CUDA answers it.

minitorch computes on the CPU with numpy, so it behaves as a CPU-only torch build does: the queries say
there is no GPU (``is_available()`` is False, ``device_count()`` is 0), the calls that only set something
up for later (``manual_seed``, ``empty_cache``) do nothing, and the calls that need a device raise torch's
``AssertionError: Torch not compiled with CUDA enabled``. Programs that test ``is_available()`` first, as
nearly all do, run unchanged on the CPU.
"""
from __future__ import annotations

from typing import Any

from minitorch.cuda import amp

__all__ = ["amp", "current_device", "device_count", "empty_cache", "get_device_name", "init", "is_available",
           "is_bf16_supported", "is_initialized", "manual_seed", "manual_seed_all", "max_memory_allocated",
           "memory_allocated", "memory_reserved", "seed", "seed_all", "set_device", "synchronize"]

NOT_COMPILED = "Torch not compiled with CUDA enabled (minitorch computes on the CPU, with numpy)"


def _no_cuda() -> AssertionError:
    return AssertionError(NOT_COMPILED)


def is_available() -> bool:
    """False: minitorch has no CUDA backend."""
    return False


def device_count() -> int:
    """0 GPUs."""
    return 0


def is_initialized() -> bool:
    return False


def is_bf16_supported(including_emulation: bool = True) -> bool:
    return False


def manual_seed(seed: int) -> None:
    """Seeds the (absent) GPU generators: nothing to do, as in torch without a GPU."""


def manual_seed_all(seed: int) -> None:
    """Seeds every (absent) GPU generator: nothing to do."""


def seed() -> None:
    """Seeds the (absent) GPU generator randomly: nothing to do."""


def seed_all() -> None:
    """Seeds every (absent) GPU generator randomly: nothing to do."""


def empty_cache() -> None:
    """Releases cached GPU memory: there is none."""


def memory_allocated(device: Any = None) -> int:
    return 0


def max_memory_allocated(device: Any = None) -> int:
    return 0


def memory_reserved(device: Any = None) -> int:
    return 0


def init() -> None:
    raise _no_cuda()


def synchronize(device: Any = None) -> None:
    raise _no_cuda()


def current_device() -> int:
    raise _no_cuda()


def set_device(device: Any) -> None:
    raise _no_cuda()


def get_device_name(device: Any = None) -> str:
    raise _no_cuda()


class _CudaTensorType:
    """``minitorch.cuda.FloatTensor`` and friends: nameable (``dtype = cuda.FloatTensor if use_cuda else
    FloatTensor``), no tensor is ever one of them, and building one raises as without CUDA."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        raise _no_cuda()


FloatTensor = type("FloatTensor", (_CudaTensorType,), {})
DoubleTensor = type("DoubleTensor", (_CudaTensorType,), {})
HalfTensor = type("HalfTensor", (_CudaTensorType,), {})
LongTensor = type("LongTensor", (_CudaTensorType,), {})
IntTensor = type("IntTensor", (_CudaTensorType,), {})
ByteTensor = type("ByteTensor", (_CudaTensorType,), {})
BoolTensor = type("BoolTensor", (_CudaTensorType,), {})
