"""``minitorch.distributed``: minitorch trains in one process and has no process groups.

``is_available()`` is False, as in a torch build without distributed support, so scripts that ask
first run on one process; ``init_process_group`` raises, naming why.
"""
from __future__ import annotations

from typing import Any

__all__ = ["get_rank", "get_world_size", "init_process_group", "is_available", "is_initialized"]

_NO_GROUP = "Default process group has not been initialized, please make sure to call init_process_group."


def is_available() -> bool:
    return False


def is_initialized() -> bool:
    return False


def init_process_group(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("minitorch has no distributed backend (no process groups): train in one process, "
                       "or run the PyTorch twin in reference/ with torchrun")


def get_rank(group: Any = None) -> int:
    raise ValueError(_NO_GROUP)


def get_world_size(group: Any = None) -> int:
    raise ValueError(_NO_GROUP)
