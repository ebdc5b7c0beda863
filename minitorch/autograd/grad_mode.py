"""Grad mode: whether operations record the graph (``no_grad``, ``enable_grad``, ``set_grad_enabled``).

The flag lives in a one-element list so the hot path reads it with a single index.
Each manager works as a context manager and as a decorator, like torch's.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

_enabled = [True]


def is_grad_enabled() -> bool:
    """True when new operations are recorded for backward."""
    return _enabled[0]


class _GradMode:
    mode: bool

    def __enter__(self) -> None:
        self._prev = _enabled[0]
        _enabled[0] = self.mode

    def __exit__(self, *exc: Any) -> None:
        _enabled[0] = self._prev

    def __call__(self, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            prev = _enabled[0]
            _enabled[0] = self.mode
            try:
                return fn(*args, **kwargs)
            finally:
                _enabled[0] = prev

        return wrapper


class no_grad(_GradMode):
    """Context manager / decorator: operations inside are not recorded (``requires_grad`` results are False)."""

    mode = False


class enable_grad(_GradMode):
    """Context manager / decorator: turn recording back on inside a ``no_grad`` block."""

    mode = True


class set_grad_enabled(_GradMode):
    """``set_grad_enabled(mode)``: sets grad mode at once; as a context manager restores it on exit."""

    def __init__(self, mode: bool) -> None:
        self._prev = _enabled[0]
        self.mode = bool(mode)
        _enabled[0] = self.mode

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: Any) -> None:
        _enabled[0] = self._prev

    def __call__(self, fn: Callable) -> Callable:
        _enabled[0] = self._prev  # used as a decorator: undo the immediate switch
        return super().__call__(fn)


class inference_mode(no_grad):
    """Like ``no_grad`` (minitorch has no separate inference tensors)."""

    def __init__(self, mode: bool = True) -> None:
        self.mode = not mode
