"""Anomaly detection: remember where each node was created; fail on NaN/Inf gradients naming it.

Inside ``detect_anomaly()`` every recorded node keeps the Python stack of the forward call that
created it (and its forward values). When a node's backward returns NaN or Inf, the engine raises
a ``RuntimeError`` naming the Function and showing that forward traceback, so the line of model
code that produced the bad gradient is on screen.

The switches are thread-local, like grad mode: a ``detect_anomaly()`` block in one thread neither
slows nor fails the backward passes of another. (torch keeps this one flag process-wide; minitorch
scopes it to the thread that asked, so concurrent blocks cannot leave each other's setting behind.)
"""
from __future__ import annotations

import traceback
from contextvars import ContextVar
from typing import Any

# Per thread, like grad mode (see grad_mode.py for why a ContextVar).
_record: ContextVar[bool] = ContextVar("minitorch_anomaly_record", default=False)  # nodes keep creation stack, values
_check: ContextVar[bool] = ContextVar("minitorch_anomaly_check", default=False)  # the engine checks gradients for NaN/Inf
recording, checking = _record.get, _check.get
# True once any thread has turned either switch on: until then the hot path (every op's ``apply``, every
# backward pass) skips reading the per-thread switches, which are then off everywhere.
ever_on = False


class detect_anomaly:
    """Context manager (and decorator) turning anomaly detection on; ``check_nan`` as in torch."""

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan

    def __enter__(self) -> None:
        self._prev = (recording(), checking())
        _set(True, self.check_nan)

    def __exit__(self, *exc: Any) -> None:
        _set(*self._prev)

    def __call__(self, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with detect_anomaly(self.check_nan):
                return fn(*args, **kwargs)

        return wrapper


class set_detect_anomaly(detect_anomaly):
    """``set_detect_anomaly(mode)`` switches anomaly detection on or off at once (or for a ``with`` block)."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self._prev = (recording(), checking())
        _set(bool(mode), bool(mode) and check_nan)

    def __enter__(self) -> None:
        pass


class record_values:
    """Context manager: nodes created inside keep their forward values (shown by the graph page)."""

    def __enter__(self) -> None:
        global ever_on
        self._prev = recording()
        _record.set(True)
        ever_on = True

    def __exit__(self, *exc: Any) -> None:
        _record.set(self._prev)


def is_anomaly_enabled() -> bool:
    return checking()


def _set(record: bool, check: bool) -> None:
    global ever_on
    _record.set(record)
    _check.set(check)
    ever_on = ever_on or record or check


def remember_creation(node: Any, outputs: Any) -> None:
    """Store the forward stack (minus the autograd frames) and the forward values on ``node``."""
    node._creation_stack = traceback.format_list(traceback.extract_stack()[:-3])
    outs = outputs if isinstance(outputs, tuple) else (outputs,)
    node._forward_values = [getattr(o, "_data", o) for o in outs]


def check_gradients(node: Any, grads: tuple) -> None:
    """Raise if ``node``'s backward produced NaN or Inf, with the forward traceback of ``node``."""
    import numpy as np

    for i, g in enumerate(grads):
        if g is None:
            continue
        arr = g._data
        if arr.dtype.kind == "f" and not np.isfinite(arr).all():
            what = "nan" if np.isnan(arr).any() else "inf"
            stack = "".join(getattr(node, "_creation_stack", []) or ["  (created outside detect_anomaly)\n"])
            raise RuntimeError(
                f"Function '{node.name()}' returned {what} values in its {i}th output.\n\n"
                f"Traceback of forward call that caused the error:\n{stack}"
            )
