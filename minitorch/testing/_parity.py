"""``parity``: the one-line test of a custom op against its torch twin (values, float64 gradients, gradcheck).

    from minitorch.testing import parity

    def test_my_op():
        parity(my_op, np.random.randn(3, 4), twin=torch_my_op)   # or parity(fn, x) with fn(lib, x)

It runs ``compare_with_torch`` (values and gradients node by node, in float64) and minitorch's
``gradcheck`` (with the explained report), and raises one AssertionError holding both reports when either
disagrees. ``minitorch.testing.pytest_plugin`` offers the same as a ``parity`` fixture.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

import minitorch
from minitorch.autograd._gradcheck import GradcheckError, gradcheck
from minitorch.testing._compare import ComparisonReport, _flat, compare_with_torch


def _float64(x: Any) -> Any:
    """Floating arrays and tensors as float64 numpy arrays; anything else unchanged."""
    if isinstance(x, minitorch.Tensor) or hasattr(x, "detach") and hasattr(x, "numpy"):
        x = x.detach().cpu().numpy() if not isinstance(x, minitorch.Tensor) else x.detach().numpy()
    if isinstance(x, np.ndarray) or isinstance(x, list) and x and not isinstance(x[0], (str, tuple)):
        a = np.asarray(x)
        return a.astype(np.float64) if a.dtype.kind == "f" else a
    return x


def parity(op: Callable, *inputs: Any, twin: Callable | None = None, rtol: float | None = None,
           atol: float | None = None, check_gradcheck: bool = True, fast_mode: bool = False,
           seed: int = 0) -> ComparisonReport:
    """Assert that ``op`` matches its torch twin: forward values, every gradient (float64), and gradcheck.

    ``op(lib, *inputs)`` is written against the shared API; or give ``twin`` and ``op(*inputs)`` runs in
    minitorch, ``twin(*inputs)`` in torch. Floating inputs become float64 tensors that require grad; a
    ``(minitorch_module, torch_module)`` pair is passed as in ``compare_with_torch``. Returns the report."""
    fn = op if twin is None else (lambda lib, *xs: (op if lib is minitorch else twin)(*xs))
    args = tuple(_float64(x) for x in inputs)
    report = compare_with_torch(fn, *args, rtol=rtol, atol=atol, seed=seed)
    problems = [] if report.ok else [str(report)]
    if check_gradcheck:
        tensors = [minitorch.tensor(a, requires_grad=a.dtype.kind == "f") if isinstance(a, np.ndarray) else a
                   for a in args]
        slots = [k for k, t in enumerate(tensors) if isinstance(t, minitorch.Tensor) and t.requires_grad]

        def f(*xs: Any) -> tuple:
            full = list(tensors)
            for k, x in zip(slots, xs):
                full[k] = x
            out = fn(minitorch, *[m[0] if isinstance(m, tuple) else m for m in full])
            return tuple(o for o in _flat(out) if isinstance(o, minitorch.Tensor) and o.requires_grad)

        if slots:
            try:
                gradcheck(f, tuple(tensors[k] for k in slots), fast_mode=fast_mode, explain=True)
            except GradcheckError as error:
                problems.append(f"minitorch's gradcheck failed:\n{error.explain}")
    if problems:
        raise AssertionError("parity with torch failed\n\n" + "\n\n".join(problems))
    return report
