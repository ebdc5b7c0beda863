"""Numerical gradient checks: compare autograd's Jacobians with central differences in float64."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from minitorch.autograd import engine
from minitorch._tensor import Tensor


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when a numerical and an analytical Jacobian differ."""


def _outputs(fn: Callable, inputs: tuple) -> tuple:
    out = fn(*inputs)
    return (out,) if isinstance(out, Tensor) else tuple(out)


def _numerical_jacobian(fn: Callable, inputs: tuple, i: int, eps: float) -> list:
    """J[o][k, j] = d out_o[k] / d inputs[i][j] by (f(x + eps) - f(x - eps)) / (2 eps)."""
    x = inputs[i]
    flat = x._data.reshape(-1)  # a view: perturbing it perturbs the input
    cols: list = []
    for j in range(flat.size):  # grad mode stays on: fn may itself differentiate (gradgradcheck)
        orig = flat[j]
        flat[j] = orig + eps
        plus = [o._data.astype(np.float64).ravel().copy() for o in _outputs(fn, inputs)]
        flat[j] = orig - eps
        minus = [o._data.astype(np.float64).ravel().copy() for o in _outputs(fn, inputs)]
        flat[j] = orig
        cols.append([(p - m) / (2 * eps) for p, m in zip(plus, minus)])
    n_out = len(cols[0]) if cols else len(_outputs(fn, inputs))
    return [np.stack([c[o] for c in cols], axis=1) if cols else np.zeros((0, 0)) for o in range(n_out)]


def _analytical_jacobian(outputs: tuple, inputs: tuple, i: int) -> list:
    """J[o][k, :] = the gradient of out_o[k] w.r.t. inputs[i], one backward per output element."""
    x = inputs[i]
    jac = []
    for out in outputs:
        rows = np.zeros((out._data.size, x._data.size))
        if out._requires_grad:
            for k in range(out._data.size):
                g = np.zeros(out._data.size, out._data.dtype)
                g[k] = 1
                (gx,) = engine.grad(out, x, Tensor._make(g.reshape(out._data.shape)), retain_graph=True,
                                    allow_unused=True)
                if gx is not None:
                    rows[k] = gx._data.astype(np.float64).ravel()
        jac.append(rows)
    return jac


def gradcheck(fn: Callable, inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True) -> bool:
    """Check autograd's gradients of ``fn`` against central differences for every float64 input
    that requires grad. On a mismatch, raise (or return False) with both Jacobians in the message."""
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    for t in inputs:
        if isinstance(t, Tensor) and t._requires_grad and t._data.dtype != np.float64:
            raise ValueError(
                f"gradcheck expects float64 inputs that require grad (got {t.dtype}); float32 differences are too "
                "coarse for eps=1e-6"
            )
    outputs = _outputs(fn, inputs)
    for i, x in enumerate(inputs):
        if not (isinstance(x, Tensor) and x._requires_grad):
            continue
        numerical = _numerical_jacobian(fn, inputs, i, eps)
        analytical = _analytical_jacobian(outputs, inputs, i)
        for o, (n, a) in enumerate(zip(numerical, analytical)):
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                if not raise_exception:
                    return False
                raise GradcheckError(
                    f"Jacobian mismatch for output {o} with respect to input {i},\n"
                    f"numerical:{n}\nanalytical:{a}\n"
                )
    return True


def gradgradcheck(fn: Callable, inputs: Any, grad_outputs: Sequence[Tensor] | None = None, *,
                  eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3, raise_exception: bool = True,
                  seed: int = 0) -> bool:
    """Check second derivatives: ``gradcheck`` of the map (inputs, v) -> d(fn(inputs) . v)/d(inputs),
    with random upstream gradients ``v`` (float64) that themselves require grad."""
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    outputs = _outputs(fn, inputs)
    rng = np.random.default_rng(seed)
    if grad_outputs is None:
        grad_outputs = tuple(
            Tensor._make(rng.standard_normal(o._data.shape)).requires_grad_() for o in outputs
        )
    diff = [k for k, x in enumerate(inputs) if isinstance(x, Tensor) and x._requires_grad]
    n_in = len(inputs)

    def first_derivatives(*args: Tensor) -> tuple:
        xs, vs = args[:n_in], args[n_in:]
        outs = [o for o in _outputs(fn, xs)]
        pairs = [(o, v) for o, v in zip(outs, vs) if o._requires_grad]
        grads = engine.grad([o for o, _ in pairs], [xs[k] for k in diff], [v for _, v in pairs],
                            create_graph=True, allow_unused=True)
        return tuple(g if g is not None else xs[k] * 0 for g, k in zip(grads, diff))

    return gradcheck(first_derivatives, inputs + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
