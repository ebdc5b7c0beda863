"""``minitorch.compile``: a PyTorch program's ``model = torch.compile(model)`` keeps working.

minitorch has no graph compiler; its ``compile`` gives what torch's gives with ``backend="eager"``: the same
computation, run as written. A module comes back wrapped as torch wraps it (``OptimizedModule`` holding the
original as ``_orig_mod``, so ``state_dict`` keys carry torch's ``_orig_mod.`` prefix and move between the
frameworks unchanged); a function comes back as itself. Used as a decorator, with or without arguments, too.
"""
from __future__ import annotations

from typing import Any, Callable

from minitorch.nn.modules.module import Module

__all__ = ["compile", "OptimizedModule"]


class OptimizedModule(Module):
    """A module returned by ``compile``: calls, attributes and parameters are the original module's."""

    def __init__(self, mod: Module) -> None:
        super().__init__()
        self._orig_mod = mod

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self._orig_mod(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self._modules["_orig_mod"], name)


def compile(model: Callable | None = None, *, fullgraph: bool = False, dynamic: bool | None = None,
            backend: str | Callable = "inductor", mode: str | None = None, options: dict | None = None,
            disable: bool = False) -> Any:
    """Return ``model`` ready to run (wrapped as torch wraps modules); without a model, a decorator."""
    if mode is not None and options is not None:
        raise RuntimeError("Either mode or options can be specified, but both can't be specified at the same time.")
    if model is None:
        return lambda fn: compile(fn, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode,
                                  options=options, disable=disable)
    if disable:
        return model
    if isinstance(model, Module):
        return OptimizedModule(model)
    if not callable(model):
        raise AssertionError(f"A callable function is expected, but {type(model)} is provided.")
    return model
