"""Grad mode: whether operations record the graph (``no_grad``, ``enable_grad``, ``set_grad_enabled``,
``inference_mode``).

The mode is per thread, as in torch: a ``no_grad`` block in an inference thread does not stop a
training thread from recording, and every new thread starts with recording on. It lives in a
``ContextVar``, which gives each thread (and each asyncio task) its own value and is read in about
10 ns (``_grad_on()``, the hot path), five times faster than a ``threading.local`` attribute. (A thread
run in a copy of another's context, as ``asyncio.to_thread`` does, starts from that context's mode
rather than True.) Each manager works as a context manager and as a decorator, like torch's.
"""
from __future__ import annotations

import functools
from contextvars import ContextVar
from typing import Any, Callable

_grad_enabled: ContextVar[bool] = ContextVar("minitorch_grad_enabled", default=True)
_inference: ContextVar[bool] = ContextVar("minitorch_inference_mode", default=False)
_grad_on, _set_grad = _grad_enabled.get, _grad_enabled.set  # bound once: the hot path calls these


class _ArrayPass:
    """Grad mode's value while the engine runs a backward pass without ``create_graph``: off (falsy, nothing
    is recorded), and telling ``saved_tensors`` that the Ops that allow it run their backward on bare arrays
    (array mode). Grad mode is per thread, so two threads' passes over one graph do not see each other's."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "ARRAY_PASS"


ARRAY_PASS = _ArrayPass()


def is_grad_enabled() -> bool:
    """True when new operations are recorded for backward (in this thread)."""
    return bool(_grad_on())


def is_inference_mode_enabled() -> bool:
    """True inside ``inference_mode()`` (in this thread)."""
    return _inference.get()


class _GradMode:
    mode: bool

    def __enter__(self) -> None:
        self._prev = _grad_on()
        _set_grad(self.mode)

    def __exit__(self, *exc: Any) -> None:
        _set_grad(self._prev)

    def __call__(self, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.clone():  # a fresh manager per call: calls may overlap (threads, recursion)
                return fn(*args, **kwargs)

        return wrapper

    def clone(self) -> "_GradMode":
        return self.__class__()


class no_grad(_GradMode):
    """Context manager / decorator: operations inside are not recorded (``requires_grad`` results are False)."""

    mode = False


class enable_grad(_GradMode):
    """Context manager / decorator: turn recording back on inside a ``no_grad`` block."""

    mode = True


class set_grad_enabled(_GradMode):
    """``set_grad_enabled(mode)``: sets grad mode at once; as a context manager restores it on exit."""

    def __init__(self, mode: bool) -> None:
        self._prev = _grad_on()
        self.mode = bool(mode)
        _set_grad(self.mode)

    def __enter__(self) -> None:
        pass

    def __call__(self, fn: Callable) -> Callable:
        _set_grad(self._prev)  # used as a decorator: undo the immediate switch
        return super().__call__(fn)

    def clone(self) -> "set_grad_enabled":
        return self.__class__(self.mode)


class inference_mode(_GradMode):
    """Like ``no_grad``, and ``is_inference_mode_enabled()`` is True inside (minitorch has no separate
    inference tensors). ``inference_mode(False)`` changes nothing."""

    def __init__(self, mode: bool = True) -> None:
        self.enabled = bool(mode)

    def __enter__(self) -> None:
        self._prev, self._prev_inference = _grad_on(), _inference.get()
        if self.enabled:
            _set_grad(False)
            _inference.set(True)

    def __exit__(self, *exc: Any) -> None:
        _set_grad(self._prev)
        _inference.set(self._prev_inference)

    def clone(self) -> "inference_mode":
        return self.__class__(self.enabled)
