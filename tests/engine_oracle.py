"""The oracle of the fast engine: every backward a test runs is also computed by the reference engine.

``checked_backward`` and ``checked_grad`` stand in for ``minitorch.autograd.engine.backward`` and
``grad`` (the autouse fixture ``_engine_oracle`` in conftest.py installs them for every test, so
``Tensor.backward``, ``autograd.backward``, ``autograd.grad`` and ``gradcheck`` all go through them).
Each call first runs ``reference_engine.gradients`` on the same graph (it frees nothing), then the fast
engine, and asserts that what the fast engine produced equals the reference: the change of each
``.grad`` it was to accumulate into (every leaf, or ``inputs=``), or each gradient ``grad`` returned;
same shape, same dtype, values equal up to the rounding of summing contributions in another order.

A call is not checked (``STATS["skipped"]``) where the reference engine cannot express it: a graph
with hooks (a hook may change the gradients, and must run once); a call the fast engine rejects
before running (its own error is the point of such a test).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from minitorch.autograd import engine, reference_engine
from minitorch.autograd.function import AccumulateGrad, _edge
from minitorch._tensor import Tensor

fast_backward, fast_grad = engine.backward, engine.grad
STATS = {"checked": 0, "skipped": 0}
_ULPS = 64  # contributions summed in another order differ by a few roundings of the largest


def _reference(outputs: tuple, grad_outputs: Any) -> dict | Exception | None:
    """The reference engine's gradient at every edge for this call, the error it raised, or None
    where it cannot say."""
    grads = engine._as_tuple(grad_outputs) if grad_outputs is not None else (None,) * len(outputs)
    try:
        roots = engine._root_grads(outputs, grads)  # the fast engine's checks and implicit ones
    except (RuntimeError, TypeError):
        return None
    nodes = reference_engine.topological_order([edge[0] for edge, _ in roots])
    if any(node._pre_hooks or node._post_hooks for node in nodes):
        return None
    root_grads = [g if isinstance(g, Tensor) else Tensor._make(g) for _, g in roots]
    try:
        return reference_engine.gradients(outputs, root_grads)
    except Exception as e:  # the fast engine must raise too
        return e


def _fast(ref: dict | Exception, run: Any, *args: Any, **kwargs: Any) -> Any:
    """Run the fast engine; where the reference engine raised, it must raise as well."""
    result = run(*args, **kwargs)
    STATS["checked"] += 1
    if isinstance(ref, Exception):
        raise AssertionError(f"the reference engine raised {ref!r}, the fast engine did not") from ref
    return result


def _largest(ref: dict) -> float:
    """The largest finite gradient magnitude at any edge of the reference pass: the size of the terms
    whose summation order the two engines may differ in (a gradient that cancels to ~0 is noise at their ulp)."""
    sizes = [float(np.abs(a[np.isfinite(a)]).max()) for a in (g._data for g in ref.values())
             if a.dtype.kind == "f" and np.isfinite(a).any()]
    return max(sizes, default=0.0)


def _close(what: str, got: np.ndarray, want: np.ndarray, terms: float = 0.0) -> None:
    assert got.shape == want.shape, f"{what}: fast engine gave shape {got.shape}, reference {want.shape}"
    assert got.dtype == want.dtype, f"{what}: fast engine gave dtype {got.dtype}, reference {want.dtype}"
    if got.dtype.kind != "f":
        np.testing.assert_array_equal(got, want, err_msg=what)
        return
    finite = np.abs(want[np.isfinite(want)])
    scale = max(float(finite.max()) if finite.size else 0.0, terms)
    tol = _ULPS * np.finfo(got.dtype).eps
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol * scale, equal_nan=True,
                               err_msg=f"{what}: fast engine != reference engine")


def checked_backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None,
                     create_graph: bool = False, inputs: Sequence[Tensor] | None = None) -> None:
    """``engine.backward``, with each ``.grad`` it changes checked against the reference engine."""
    outputs = (tensors,) if isinstance(tensors, Tensor) else engine._as_tuple(tensors)
    ref = _reference(outputs, grad_tensors)
    if ref is None:
        STATS["skipped"] += 1
        return fast_backward(tensors, grad_tensors, retain_graph, create_graph, inputs=inputs)
    if isinstance(ref, Exception) or inputs is None:
        targets = [] if isinstance(ref, Exception) else \
            [(edge, edge[0].variable) for edge in ref if type(edge[0]) is AccumulateGrad]
    else:
        targets = [(_edge(t), t) for t in engine._as_tuple(inputs) if isinstance(t, Tensor) and t.requires_grad]
    before = [None if t._grad is None else t._grad._data.copy() for _, t in targets]
    _fast(ref, fast_backward, tensors, grad_tensors, retain_graph, create_graph, inputs=inputs)
    for (edge, t), old in zip(targets, before):
        what = f".grad of a tensor of shape {list(t.shape)} ({edge[0].name()} edge)"
        want = ref.get(edge)
        if want is None:
            assert (t._grad is None) if old is None else np.array_equal(t._grad._data, old, equal_nan=True), (
                f"{what}: the fast engine changed it, the reference engine sends it no gradient")
            continue
        want = want._data.astype(t._data.dtype)  # a leaf's accumulator casts to the leaf's dtype
        assert t._grad is not None, f"{what}: the fast engine left it None"
        _close(what, t._grad._data, want if old is None else old + want, _largest(ref))


def checked_grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
                 create_graph: bool = False, allow_unused: bool | None = None,
                 materialize_grads: bool = False) -> tuple:
    """``engine.grad``, with each gradient it returns checked against the reference engine."""
    outs = engine._as_tuple(outputs)
    ref = _reference(outs, grad_outputs)
    if ref is None:
        STATS["skipped"] += 1
        return fast_grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused, materialize_grads)
    result = _fast(ref, fast_grad, outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused,
                   materialize_grads)
    for i, (t, got) in enumerate(zip(engine._as_tuple(inputs), result)):
        want = ref.get(_edge(t))
        what = f"autograd.grad result {i} (input of shape {list(t.shape)})"
        if want is None:
            assert got is None or materialize_grads and not got._data.any(), (
                f"{what}: the fast engine gave a gradient, the reference engine none")
            continue
        assert got is not None, f"{what}: the fast engine gave None"
        _close(what, got._data, want._data, _largest(ref))
    return result
