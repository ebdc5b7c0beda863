"""In-place operations and the history they rewrite (floor 1), as torch's rebase_history and CopySlices.

``x.add_(y)`` computes ``x + y`` out of place from a snapshot of ``x`` (its old value and history),
writes the result into ``x``'s memory, bumps the version counter and makes the new node ``x``'s
``grad_fn``. When ``x`` is a view, its base takes a ``CopySlices`` node instead: the base's old
gradient everywhere except the viewed slice, which receives the view's gradient.
"""
from __future__ import annotations

import builtins
from typing import Any, Callable

import numpy as np

from minitorch._tensor import Tensor
from minitorch.autograd.function import Op, _edge
from minitorch.autograd.grad_mode import _grad_on
from minitorch.autograd.views import fresh


def run_inplace(self: Tensor, compute: Callable[[Tensor], Tensor] | None,
             raw: Callable[[np.ndarray], Any] | None = None, *others: Any) -> Tensor:
    """Run an in-place op: numpy in place when no graph is involved, else rewrite the history.

    ``compute(old_self)`` gives the new value as a graph-connected tensor; its values are then
    written into this tensor's memory, and this tensor (or, for a view, its base) takes the
    new node as its ``grad_fn``, exactly as torch rebases the history of in-place ops.
    """
    fresh(self)
    recording = _grad_on() and (
        self._requires_grad or builtins.any(isinstance(o, Tensor) and o._requires_grad for o in others)
    )
    if recording and self._requires_grad:
        if self._grad_fn is None:
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation."
            )
        if self._base is not None and self._base._grad_fn is None and self._base._requires_grad:
            raise RuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place operation."
            )
    if not self._data.flags.writeable:
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a single memory "
            "location. Please clone() the tensor before performing the operation."
        )
    if compute is None or (raw is not None and not recording):
        raw(self._data)
        self._vc[0] += 1
        return self
    result = compute(snapshot(self))
    if result._data.shape != self._data.shape:
        raise RuntimeError(
            f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(result.shape)}"
        )
    np.copyto(self._data, result._data, casting="unsafe")
    self._vc[0] += 1
    if not result._requires_grad:
        return self
    base = self._base
    if base is None:
        self._grad_fn, self._output_nr, self._requires_grad = result._grad_fn, result._output_nr, True
        return self
    new_base = CopySlices.apply(snapshot(base), result, self._view_fn)
    base._grad_fn, base._output_nr, base._requires_grad = new_base._grad_fn, 0, True
    remade = self._view_fn(base)
    self._grad_fn, self._output_nr, self._requires_grad = remade._grad_fn, remade._output_nr, True
    self._view_version = self._vc[0]
    return self


def snapshot(t: Tensor) -> Tensor:
    """A private copy of ``t``'s current value and history, used as the input of an in-place op."""
    s = Tensor._make(t._data.copy())
    s._grad_fn, s._output_nr, s._requires_grad = t._grad_fn, t._output_nr, t._requires_grad
    if t._grad_fn is None and t._requires_grad:
        _edge(t)
        s._accumulator = t._accumulator
    return s


class CopySlices(Op):
    """base' = base with the region seen by ``view_fn`` replaced by ``src`` (an in-place op on a view).

    dL/dbase = the gradient with that region zeroed;  dL/dsrc = view_fn(gradient).
    """

    def name(self) -> str:
        return "torch::autograd::CopySlices"

    @staticmethod
    def forward(ctx, base, src, view_fn):
        ctx.view_fn = view_fn
        out = base.copy()
        np.copyto(view_fn(Tensor._make(out))._data, src)
        return out

    @staticmethod
    def backward(ctx, grad):
        keep = np.ones(grad.shape, grad._data.dtype)
        ctx.view_fn(Tensor._make(keep))._data[...] = 0
        return grad * Tensor._make(keep), ctx.view_fn(grad), None
