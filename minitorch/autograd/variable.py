"""The Tensor's autograd methods (floor 1): its place in the graph, hooks, and the call into backward."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from minitorch._tensor import Tensor
from minitorch.autograd import engine
from minitorch.autograd.function import _edge
from minitorch.autograd.views import fresh


class VariableMethods:
    """Tensor's graph attributes, hooks and ``backward``; minitorch/__init__.py joins them to Tensor."""

    @property
    def is_leaf(self) -> bool:
        """True for tensors created by the user (or that do not require grad)."""
        return fresh(self)._grad_fn is None

    @property
    def grad_fn(self) -> Any:
        """The graph node that produced this tensor (None for leaves)."""
        return fresh(self)._grad_fn

    @property
    def requires_grad(self) -> bool:
        """Whether autograd records operations on this tensor."""
        return fresh(self)._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        """Whether autograd records operations on this tensor."""
        self.requires_grad_(value)

    def backward(self, gradient: "Tensor | None" = None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs: Sequence["Tensor"] | None = None) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` (``gradient`` is d(loss)/d(self))."""
        engine.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def retain_grad(self) -> None:
        """Keep ``.grad`` on this non-leaf tensor after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is None or self._retains_grad:
            return
        self._retains_grad = True
        fn = self._grad_fn
        if fn._retain is None:
            fn._retain = {}
            fn._mark_hooked()
        fn._retain[self._output_nr] = self

    def register_hook(self, hook: Callable[["Tensor"], "Tensor | None"]) -> Any:
        """``hook(grad)`` runs when this tensor's gradient is computed; a returned tensor replaces it."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        node, nr = _edge(self)
        return node._add_tensor_hook(nr, hook)


class _VariableMeta(type):
    def __instancecheck__(cls, x: Any) -> bool:
        return isinstance(x, Tensor)


class Variable(metaclass=_VariableMeta):
    """torch's pre-0.4 wrapper, kept for old code: ``Variable(t, requires_grad=False)`` returns a tensor
    sharing ``t``'s data, detached from its graph, with ``requires_grad`` as given (``volatile`` is
    ignored, as torch ignores it); every Tensor is an instance of Variable."""

    def __new__(cls, data: Any = None, requires_grad: bool = False, volatile: bool = False) -> Any:
        if data is None:
            return Tensor._make(np.empty((0,), np.float32))
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        out = data.detach()
        return out.requires_grad_(requires_grad) if requires_grad else out
