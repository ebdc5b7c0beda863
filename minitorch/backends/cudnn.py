"""``minitorch.backends.cudnn``: cuDNN's switches; no cuDNN is present, so they are plain settings."""
from __future__ import annotations

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    """False: there is no cuDNN."""
    return False


def version() -> None:
    """None: there is no cuDNN."""
    return None
