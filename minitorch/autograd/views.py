"""Views and their history (floor 1).

A view (``x[0]``, ``x.view(...)``, ``x.t()``) shares memory and the version counter ``_vc`` with its
base, and remembers ``_view_fn``, how to re-make it from the base. When an in-place op changes the
base or another view of it, the version moves past ``_view_version`` and the view's ``grad_fn`` is
stale; ``fresh`` re-makes it from the base on its next use, as torch regenerates a view's grad_fn.
"""
from __future__ import annotations

from typing import Callable

from minitorch._tensor import Tensor
from minitorch.autograd.grad_mode import _grad_on, _set_grad


def fresh(t: Tensor) -> Tensor:
    """``t``, its history re-made from its base first if an in-place change made it stale (the one
    stale-view check: every reader of a view's graph attributes goes through here)."""
    if t._base is not None and t._view_version != t._vc[0]:
        _refresh(t)
    return t


def make_view(out: Tensor, src: Tensor, fn: Callable[[Tensor], Tensor]) -> Tensor:
    """Mark ``out`` as a view of ``src``: shared version counter, and how to re-make it from the base."""
    out._vc = src._vc
    out._view_version, out._view_grad = src._vc[0], bool(_grad_on())
    if src._base is None:
        out._base, out._view_fn = src, fn
    else:
        parent_fn = src._view_fn
        out._base, out._view_fn = src._base, (lambda b: fn(parent_fn(b)))
    return out


def _refresh(t: Tensor) -> None:
    """Re-make a view's history from its base after an in-place change through another alias.

    The view is re-made in the grad mode it was created in, so a view taken under ``no_grad``
    stays out of the graph.
    """
    prev = _grad_on()
    _set_grad(t._view_grad)
    try:
        remade = t._view_fn(t._base)
    finally:
        _set_grad(prev)
    t._grad_fn, t._output_nr, t._requires_grad = remade._grad_fn, remade._output_nr, remade._requires_grad
    t._view_version = t._vc[0]
