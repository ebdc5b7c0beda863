"""``minitorch.accelerator``: torch's device-agnostic accelerator queries, answered for a CPU-only framework
(as a torch build without any accelerator answers them)."""
from __future__ import annotations

from typing import Any

__all__ = ["current_accelerator", "device_count", "is_available", "synchronize"]


def is_available() -> bool:
    """False: minitorch has no accelerator backend."""
    return False


def device_count() -> int:
    return 0


def current_accelerator(check_available: bool = False) -> Any:
    """None: there is no accelerator (``to(current_accelerator() or 'cpu')`` picks the CPU)."""
    return None


def synchronize(device: Any = None) -> None:
    """Nothing runs asynchronously on the CPU: returns at once."""
