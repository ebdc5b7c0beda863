"""Numerical gradient checks with torch's signatures: autograd's Jacobians against central differences.

``gradcheck`` compares, for every float64 input that requires grad and every differentiable output,
the analytical Jacobian (one backward per output element) with central differences
``(f(x + eps) - f(x - eps)) / (2 eps)``. With ``fast_mode=True`` it compares one number per pair
instead, ``v^T J u`` for random unit vectors ``u`` (input) and ``v`` (output), as torch does, and
recomputes the full Jacobians only to explain a failure.

On a failure the ``GradcheckError`` carries a ``report`` (a ``GradcheckReport``): for each input and
output, the worst entries of both Jacobians side by side, and a diagnosis of what the mismatch looks
like (a missing constant factor, a sign error, a wrong reduction over a broadcast axis, or a point where
the function is not differentiable). ``explain=True`` appends that report to the error message.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from minitorch.autograd import engine
from minitorch._tensor import Tensor

WORST = 5  # entries shown per (input, output) pair in a report

FAST_FAIL_SLOW_OK_MSG = (
    "Fast gradcheck failed but element-wise differences are small. This means that the\n"
    "test might've passed in slow_mode!\n"
    "If you are adding a new operator, call gradcheck/gradgradcheck with `fast_mode=False`."
)


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when a numerical and an analytical Jacobian differ; ``report`` explains how."""

    def __init__(self, message: str, report: "GradcheckReport | None" = None) -> None:
        super().__init__(message)
        self.report = report

    @property
    def explain(self) -> str:
        """The student-readable report (the worst entries and a diagnosis per input and output)."""
        return str(self.report) if self.report is not None else str(self)


# ------------------------------------------------------------------------------------------ the Jacobians
def _outputs(fn: Callable, inputs: tuple) -> tuple:
    out = fn(*inputs)
    return (out,) if isinstance(out, Tensor) else tuple(out)


def _differentiable(outputs: tuple) -> list:
    """The positions of the outputs that require grad (torch's ``_differentiable_outputs``)."""
    return [k for k, o in enumerate(outputs) if isinstance(o, Tensor) and o._requires_grad]


def _evaluate(fn: Callable, inputs: tuple, i: int, delta: Any, outs: list) -> list:
    """The outputs ``outs`` of ``fn`` (flat float64 copies) with ``delta`` (flat, in C order) added to
    ``inputs[i]`` in place, whatever its strides (a transposed input too)."""
    data = inputs[i]._data
    orig = data.copy()
    data[...] = orig + (np.reshape(delta, data.shape) if np.ndim(delta) else delta)
    try:  # grad mode stays on: fn may itself differentiate (gradgradcheck)
        result = _outputs(fn, inputs)
        return [result[k]._data.astype(np.float64).ravel().copy() for k in outs]
    finally:
        data[...] = orig


def _unit(n: int, j: int, step: float) -> np.ndarray:
    e = np.zeros(n)
    e[j] = step
    return e


def _numerical_jacobian(fn: Callable, inputs: tuple, i: int, outs: list, eps: float) -> list:
    """J[o][k, j] = d out_o[k] / d inputs[i][j] by (f(x + eps) - f(x - eps)) / (2 eps)."""
    n = inputs[i]._data.size
    cols = []
    for j in range(n):
        plus = _evaluate(fn, inputs, i, _unit(n, j, eps), outs)
        minus = _evaluate(fn, inputs, i, _unit(n, j, -eps), outs)
        cols.append([(p - m) / (2 * eps) for p, m in zip(plus, minus)])
    sizes = [o.size for o in _evaluate(fn, inputs, i, 0.0, outs)] if not cols else [c.size for c in cols[0]]
    return [np.stack([c[o] for c in cols], axis=1) if cols else np.zeros((sizes[o], 0)) for o in range(len(outs))]


def _vjp(out: Tensor, x: Tensor, v: np.ndarray, check_grad_dtypes: bool) -> np.ndarray:
    """v^T J of ``out`` with respect to ``x``, flat; checks the gradient's size (and dtype) like torch."""
    (gx,) = engine.grad(out, x, Tensor._make(v.astype(out._data.dtype).reshape(out._data.shape)),
                        retain_graph=True, allow_unused=True)
    if gx is None:
        return np.zeros(x._data.size)
    if gx._data.shape != x._data.shape:
        raise GradcheckError("Analytical gradient has incorrect size")
    if check_grad_dtypes and gx._data.dtype != x._data.dtype:
        raise GradcheckError("Gradient has dtype mismatch")
    return gx._data.astype(np.float64).ravel()


def _analytical_jacobian(out: Tensor, x: Tensor, check_grad_dtypes: bool = False) -> np.ndarray:
    """J[k, :] = the gradient of out[k] w.r.t. ``x``, one backward per output element."""
    rows = np.zeros((out._data.size, x._data.size))
    for k in range(out._data.size):
        rows[k] = _vjp(out, x, _unit(out._data.size, k, 1.0), check_grad_dtypes)
    return rows


def _check_reentrant(out: Tensor, xs: list, nondet_tol: float, rng: np.random.Generator) -> None:
    """Two backwards with the same upstream gradient must agree within ``nondet_tol`` (torch's reentrancy)."""
    v = rng.standard_normal(out._data.size)
    for x in xs:
        if np.abs(_vjp(out, x, v, False) - _vjp(out, x, v, False)).max(initial=0.0) > nondet_tol:
            raise GradcheckError(
                "Backward is not reentrant, i.e., running backward with same input and grad_output multiple "
                "times gives different values, although analytical gradient matches numerical gradient."
                f"The tolerance for nondeterminism was {nondet_tol}."
            )


def _mismatch_msg(o: int, i: int, numerical: Any, analytical: Any) -> str:
    return f"Jacobian mismatch for output {o:d} with respect to input {i:d},\nnumerical:{numerical}\nanalytical:{analytical}\n"


# ------------------------------------------------------------------------------------------ the report
@dataclass
class PairReport:
    """One (input, output) pair: both Jacobians' worst entries and what the mismatch looks like."""

    input_idx: int
    output_idx: int
    input_shape: tuple
    output_shape: tuple
    ok: bool
    worst: list = field(default_factory=list)  # (output index, input index, analytical, numerical)
    diagnosis: str = ""
    kind: str = ""  # "factor", "sign", "broadcast", "nondifferentiable", "other" or "" when ok

    def __str__(self) -> str:
        head = (f"input {self.input_idx} {self.input_shape} -> output {self.output_idx} {self.output_shape}: "
                + ("Jacobians match" if self.ok else "MISMATCH"))
        if self.ok:
            return head
        rows = [("output index", "input index", "analytical", "numerical", "difference")]
        rows += [(str(oi), str(ii), f"{a:.6g}", f"{n:.6g}", f"{a - n:.3g}") for oi, ii, a, n in self.worst]
        widths = [max(len(r[c]) for r in rows) for c in range(5)]
        table = ["    " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
        return "\n".join([head, "  worst entries:", *table, f"  diagnosis ({self.kind}): {self.diagnosis}"])


@dataclass
class GradcheckReport:
    """What ``gradcheck`` found, per input and output (input/output numbers count differentiable ones)."""

    pairs: list = field(default_factory=list)
    header: str = ""

    @property
    def failures(self) -> list:
        return [p for p in self.pairs if not p.ok]

    def __str__(self) -> str:
        return "\n".join([self.header or "gradcheck report", *(str(p) for p in self.pairs)])


def _close(a: np.ndarray, n: np.ndarray, atol: float, rtol: float) -> np.ndarray:
    return np.abs(a - n) <= atol + rtol * np.abs(n)


def _kink(fn: Callable, inputs: tuple, i: int, o: int, k: int, j: int, eps: float, gap: float,
          tol: float) -> str:
    """Why entry (k, j) is not a derivative: left and right differences, or a change with eps ("" if smooth)."""
    n = inputs[i]._data.size
    at = {s: _evaluate(fn, inputs, i, _unit(n, j, s), [o])[0][k] for s in (0.0, eps, -eps, 10 * eps, -10 * eps)}
    right, left = (at[eps] - at[0.0]) / eps, (at[0.0] - at[-eps]) / eps
    central, wide = (at[eps] - at[-eps]) / (2 * eps), (at[10 * eps] - at[-10 * eps]) / (20 * eps)
    bar = max(0.1 * gap, 10 * tol)
    if abs(right - left) > bar:
        return f"left derivative {left:.6g} and right derivative {right:.6g} differ"
    if abs(wide - central) > bar:
        return f"the numerical derivative is {central:.6g} with eps={eps:g} but {wide:.6g} with eps={10 * eps:g}"
    return ""


def _broadcast_axes(in_shape: tuple, out_shape: tuple) -> list:
    """Output axes over which the input is broadcast (missing or of size 1 in the input, > 1 in the output)."""
    lead = len(out_shape) - len(in_shape)
    return [a for a, size in enumerate(out_shape) if size > 1 and (a < lead or in_shape[a - lead] == 1)]


def _diagnose(a: np.ndarray, n: np.ndarray, in_shape: tuple, out_shape: tuple, atol: float, rtol: float,
              kink: Callable[[int, int, float, float], str]) -> tuple:
    """(kind, sentence) for a mismatched pair of Jacobians ``a`` (analytical) and ``n`` (numerical)."""
    bad = ~_close(a, n, atol, rtol)
    gaps = np.where(bad, np.abs(a - n), -1.0)
    for flat in np.argsort(-gaps, axis=None, kind="stable")[:3]:
        k, j = np.unravel_index(flat, a.shape)
        if gaps[k, j] >= 0 and (why := kink(int(k), int(j), float(gaps[k, j]), atol + rtol * abs(n[k, j]))):
            return ("nondifferentiable", f"{why} at input index {_idx(j, in_shape)}: the function is not "
                    "differentiable there (a kink such as relu/abs at 0, or a jump); move the input away from it")
    axes = _broadcast_axes(in_shape, out_shape)
    sizes = {out_shape[ax]: ax for ax in axes}
    if axes:
        sizes.setdefault(int(np.prod([out_shape[ax] for ax in axes])), tuple(axes))
    big = np.abs(n) > atol
    if big.any() and np.all(_close(a[~big], 0 * a[~big], atol, rtol)):
        ratio = a[big] / n[big]
        c = float(np.median(ratio))
        if np.all(np.abs(ratio - c) <= 1e-3 * abs(c) + 1e-6):
            if abs(c + 1) <= 1e-3:
                return "sign", "analytical = -1 x numerical everywhere: a sign error in backward"
            for size, ax in sizes.items():
                if abs(c * size - 1) <= 1e-3 or abs(c - size) <= 1e-3 * size:
                    return ("broadcast", f"analytical = {c:.6g} x numerical everywhere, and {size} is the size of "
                            f"output axis {ax}, over which input of shape {in_shape} is broadcast: the gradient "
                            "should be summed over that axis (a mean, or a missing or doubled sum?)")
            return ("factor", f"analytical = {c:.6g} x numerical everywhere (a constant ratio): a missing or extra "
                    "constant factor in backward")
    if np.all(_close(a[bad], -n[bad], atol, rtol)):
        return ("sign", f"on the {int(bad.sum())} mismatched entries analytical = -numerical: a sign error in "
                "one branch or term of backward")
    for ax in axes:
        rows = np.moveaxis(bad.reshape(out_shape + (-1,)), ax, 0).reshape(out_shape[ax], -1).any(axis=1)
        diff = np.moveaxis((a - n).reshape(out_shape + (-1,)), ax, 0)
        if not rows.all() or np.allclose(diff, diff[:1], atol=atol):
            where = [p for p in range(out_shape[ax]) if rows[p]]
            return ("broadcast", f"input of shape {in_shape} is broadcast over output axis {ax} (size "
                    f"{out_shape[ax]}) and the error depends on the position along it (wrong at positions "
                    f"{where[:8]}{'...' if len(where) > 8 else ''}): the gradient is not summed over that axis")
    return "other", f"{int(bad.sum())} of {bad.size} entries differ with no simple pattern; compare them above"


def _idx(flat: int, shape: tuple) -> tuple:
    return tuple(int(v) for v in np.unravel_index(flat, shape)) if shape else ()


def _pair_report(fn: Callable, inputs: tuple, pos: int, out_pos: int, i: int, o: int, a: np.ndarray,
                 n: np.ndarray, out_shape: tuple, eps: float, atol: float, rtol: float) -> PairReport:
    in_shape = tuple(inputs[pos]._data.shape)
    close = _close(a, n, atol, rtol)
    rep = PairReport(i, o, in_shape, out_shape, bool(close.all()))
    if rep.ok:
        return rep
    gaps = np.where(close, -1.0, np.abs(a - n))
    for flat in np.argsort(-gaps, axis=None, kind="stable")[:WORST]:
        k, j = np.unravel_index(flat, a.shape)
        if gaps[k, j] >= 0:
            rep.worst.append((_idx(k, out_shape), _idx(j, in_shape), float(a[k, j]), float(n[k, j])))

    def kink(k: int, j: int, gap: float, tol: float) -> str:
        return _kink(fn, inputs, pos, out_pos, k, j, eps, gap, tol)

    rep.kind, rep.diagnosis = _diagnose(a, n, in_shape, out_shape, atol, rtol, kink)
    return rep


def gradcheck_report(fn: Callable, inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3) -> GradcheckReport:
    """The full report for ``fn`` at ``inputs``: every (differentiable input, differentiable output) pair
    with its slow-mode Jacobians compared, the worst entries and a diagnosis for each mismatch."""
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    outputs = _outputs(fn, inputs)
    outs = _differentiable(outputs)
    diff = [p for p, x in enumerate(inputs) if isinstance(x, Tensor) and x._requires_grad]
    report = GradcheckReport()
    for i, pos in enumerate(diff):
        numerical = _numerical_jacobian(fn, inputs, pos, outs, eps)
        for o, out_pos in enumerate(outs):
            a = _analytical_jacobian(outputs[out_pos], inputs[pos])
            report.pairs.append(_pair_report(fn, inputs, pos, out_pos, i, o, a, numerical[o],
                                             tuple(outputs[out_pos]._data.shape), eps, atol, rtol))
    bad = report.failures
    report.header = (f"gradcheck: {len(bad)} of {len(report.pairs)} (input, output) Jacobians differ "
                     f"(atol={atol:g}, rtol={rtol:g}, eps={eps:g})")
    return report


# ------------------------------------------------------------------------------------------ gradcheck
def _check_inputs(inputs: tuple) -> list:
    diff = []
    for p, t in enumerate(inputs):
        if isinstance(t, Tensor) and t._requires_grad:
            if t._data.dtype != np.float64:
                raise ValueError(
                    f"gradcheck expects float64 inputs that require grad (got {t.dtype}); float32 differences are "
                    "too coarse for eps=1e-6"
                )
            diff.append(p)
    if not diff:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but none of them have "
                         "requires_grad=True.")
    return diff


def _fail(fn: Callable, inputs: tuple, message: str, explain_it: bool, eps: float, atol: float, rtol: float) -> None:
    report = gradcheck_report(fn, inputs, eps=eps, atol=atol, rtol=rtol)
    raise GradcheckError(message + ("\n" + str(report) if explain_it else ""), report)


def _slow(fn: Callable, inputs: tuple, outputs: tuple, diff: list, outs: list, eps: float, atol: float,
          rtol: float, check_grad_dtypes: bool, explain_it: bool) -> None:
    for i, pos in enumerate(diff):
        numerical = _numerical_jacobian(fn, inputs, pos, outs, eps)
        for o, out_pos in enumerate(outs):
            a = _analytical_jacobian(outputs[out_pos], inputs[pos], check_grad_dtypes)
            if not np.allclose(a, numerical[o], rtol=rtol, atol=atol):
                _fail(fn, inputs, _mismatch_msg(o, i, numerical[o], a), explain_it, eps, atol, rtol)


def _fast(fn: Callable, inputs: tuple, outputs: tuple, diff: list, outs: list, eps: float, atol: float,
          rtol: float, check_grad_dtypes: bool, explain_it: bool, rng: np.random.Generator) -> None:
    """torch's fast mode: compare v^T J u (analytical) with v^T (f(x + eps u) - f(x - eps u)) / (2 eps) for
    random non-negative unit vectors u, v, with atol scaled by sum(u) * sum(v)."""
    def unit(n: int) -> np.ndarray:
        w = rng.random(n)
        return w / np.linalg.norm(w) if n else w

    us = [unit(inputs[p]._data.size) for p in diff]
    vs = [unit(outputs[q]._data.size) for q in outs]
    for i, (pos, u) in enumerate(zip(diff, us)):
        plus = _evaluate(fn, inputs, pos, eps * u, outs)
        minus = _evaluate(fn, inputs, pos, -eps * u, outs)
        for o, (out_pos, v) in enumerate(zip(outs, vs)):
            n = float(v @ ((plus[o] - minus[o]) / (2 * eps)))
            a = float(_vjp(outputs[out_pos], inputs[pos], v, check_grad_dtypes) @ u)
            if not np.isclose(a, n, rtol=rtol, atol=atol * u.sum() * v.sum()):
                slow_n = _numerical_jacobian(fn, inputs, pos, [out_pos], eps)[0]
                slow_a = _analytical_jacobian(outputs[out_pos], inputs[pos])
                msg = (_mismatch_msg(o, i, n, a)
                       + "\nThe above quantities relating the numerical and analytical jacobians are computed \n"
                       "in fast mode. See: https://github.com/pytorch/pytorch/issues/53876 for more background \n"
                       "about fast mode. Below, we recompute numerical and analytical jacobians in slow mode:\n\n"
                       f"Numerical:\n {slow_n}\nAnalytical:\n{slow_a}\n\n"
                       f"The max per-element difference (slow mode) is: {np.abs(slow_n - slow_a).max(initial=0.0)}.\n")
                if np.allclose(slow_a, slow_n, rtol=rtol, atol=atol):
                    msg += FAST_FAIL_SLOW_OK_MSG
                _fail(fn, inputs, msg, explain_it, eps, atol, rtol)


def gradcheck(func: Callable, inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, nondet_tol: float = 0.0, check_undefined_grad: bool = True,
              check_grad_dtypes: bool = False, check_batched_grad: bool = False,
              check_batched_forward_grad: bool = False, check_forward_ad: bool = False,
              check_backward_ad: bool = True, fast_mode: bool = False, masked: bool | None = None,
              explain: bool = False) -> bool:
    """Check autograd's gradients of ``func`` against central differences for every float64 input that
    requires grad (torch's signature and result). On a mismatch, raise a ``GradcheckError`` (whose
    ``report`` explains it; ``explain=True`` also puts the report in the message), or return False.

    ``check_undefined_grad`` and ``masked`` are accepted for torch's signature: minitorch's engine always
    materialises a missing output gradient as zeros, and has no sparse tensors. minitorch has neither
    vmap nor forward-mode AD, so the batched and forward-AD checks raise NotImplementedError."""
    if check_forward_ad or check_batched_grad or check_batched_forward_grad:
        raise NotImplementedError("gradcheck: check_forward_ad, check_batched_grad and check_batched_forward_grad "
                                  "need forward-mode AD / vmap, which minitorch does not have")
    if not check_backward_ad:
        raise ValueError("Expected at least one of check_forward_ad or check_backward_ad to be True")
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    try:
        diff = _check_inputs(inputs)
        outputs = _outputs(func, inputs)
        outs = _differentiable(outputs)
        if not outs:  # nothing differentiable came out: then nothing may depend on the inputs (torch's check)
            tensors = [k for k, o in enumerate(outputs) if isinstance(o, Tensor)]
            if any(np.any(j != 0) for p in diff for j in _numerical_jacobian(func, inputs, p, tensors, eps)):
                raise GradcheckError("Numerical gradient for function expected to be zero")
        args = (func, inputs, outputs, diff, outs, eps, atol, rtol, check_grad_dtypes, explain)
        rng = np.random.default_rng(0)
        if fast_mode:
            _fast(*args, rng)
        else:
            _slow(*args)
        for q in outs:
            _check_reentrant(outputs[q], [inputs[p] for p in diff], nondet_tol, rng)
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def gradgradcheck(func: Callable, inputs: Any, grad_outputs: Sequence[Tensor] | None = None, *,
                  eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3, gen_non_contig_grad_outputs: bool = False,
                  raise_exception: bool = True, nondet_tol: float = 0.0, check_undefined_grad: bool = True,
                  check_grad_dtypes: bool = False, check_batched_grad: bool = False, check_fwd_over_rev: bool = False,
                  check_rev_over_rev: bool = True, fast_mode: bool = False, masked: bool = False,
                  explain: bool = False) -> bool:
    """Check second derivatives: ``gradcheck`` of the map (inputs, v) -> d(func(inputs) . v)/d(inputs),
    with random upstream gradients ``v`` (float64) that themselves require grad (torch's signature;
    minitorch arrays are always contiguous, so ``gen_non_contig_grad_outputs`` changes nothing)."""
    if check_fwd_over_rev:
        raise NotImplementedError("gradgradcheck: check_fwd_over_rev needs forward-mode AD, which minitorch does not have")
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    outputs = _outputs(func, inputs)
    rng = np.random.default_rng(0)
    if grad_outputs is None:
        grad_outputs = tuple(
            Tensor._make(rng.standard_normal(outputs[q]._data.shape)).requires_grad_() for q in _differentiable(outputs)
        )
    diff = [k for k, x in enumerate(inputs) if isinstance(x, Tensor) and x._requires_grad]
    n_in = len(inputs)

    def first_derivatives(*args: Tensor) -> tuple:
        xs, vs = args[:n_in], args[n_in:]
        outs = _outputs(func, xs)
        pairs = [(outs[q], v) for q, v in zip(_differentiable(outs), vs)]
        grads = engine.grad([o for o, _ in pairs], [xs[k] for k in diff], [v for _, v in pairs],
                            create_graph=True, allow_unused=True)
        return tuple(g if g is not None else xs[k] * 0 for g, k in zip(grads, diff))

    if not check_rev_over_rev:
        return True
    return gradcheck(first_derivatives, inputs + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol, check_grad_dtypes=check_grad_dtypes,
                     check_batched_grad=check_batched_grad, fast_mode=fast_mode, explain=explain)
