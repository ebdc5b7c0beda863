"""gradcheck/gradgradcheck: torch's verdicts and messages (slow and fast mode), and reports that diagnose a
planted bug of each kind: a missing factor, a sign error, a wrong broadcast reduction, a non-differentiable point."""
import functools
import importlib

import numpy as np
import pytest
import torch

import minitorch
from minitorch.autograd import GradcheckError, gradcheck, gradgradcheck
from tests import opinfo

RNG = np.random.default_rng(0)
TorchGradcheckError = importlib.import_module("torch.autograd.gradcheck").GradcheckError


def _twin(lib, forward, backward):
    """A custom Function of ``lib``: ``forward(x, b)`` and ``backward(x, b, grad) -> (gx, gb)``."""

    class Planted(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, b):
            ctx.save_for_backward(x, b)
            return forward(x, b)

        @staticmethod
        def backward(ctx, grad):
            x, b = ctx.saved_tensors
            return backward(x, b, grad)

    return Planted.apply


X, B = RNG.standard_normal((4, 3)), RNG.standard_normal(3)

# name: (forward, planted backward, inputs, expected diagnosis kind)
BUGS = {
    "missing_factor": (lambda x, b: x * x * b, lambda x, b, g: (g * x * b, g.__mul__(x * x).sum(0)),
                       (X, B), "factor"),
    "sign": (lambda x, b: x.sin() + b, lambda x, b, g: (-g * x.cos(), g.sum(0)), (X, B), "sign"),
    "sign_in_one_branch": (lambda x, b: x.abs() * b, lambda x, b, g: (g * b, (g * x.abs()).sum(0)),  # sign(x) lost
                           (X, B), "sign"),
    "mean_instead_of_sum": (lambda x, b: x + b, lambda x, b, g: (g, g.mean(0)), (X, B), "broadcast"),
    "first_row_instead_of_sum": (lambda x, b: x * b, lambda x, b, g: (g * b, (g * x)[0]), (X, B), "broadcast"),
    "kink_at_zero": (lambda x, b: (x * b).clamp(min=0), lambda x, b, g: (g * b * (x * b > 0), (g * x * (x * b > 0)).sum(0)),
                     (np.array([[0.0, 1.0, -1.0]]), np.array([1.0, 2.0, 3.0])), "nondifferentiable"),
}


def _inputs(lib, arrays):
    return tuple(lib.tensor(a, dtype=lib.float64, requires_grad=True) for a in arrays)


@pytest.mark.parametrize("fast_mode", [False, True], ids=["slow", "fast"])
@pytest.mark.parametrize("bug", BUGS)
def test_a_planted_bug_fails_like_torch_and_is_diagnosed(bug, fast_mode):
    forward, backward, arrays, kind = BUGS[bug]
    with pytest.raises(TorchGradcheckError) as info_t:
        torch.autograd.gradcheck(_twin(torch, forward, backward), _inputs(torch, arrays), fast_mode=fast_mode)
    with pytest.raises(GradcheckError) as info:
        gradcheck(_twin(minitorch, forward, backward), _inputs(minitorch, arrays), fast_mode=fast_mode)
    head, head_t = str(info.value).split("\n")[0], str(info_t.value).split("\n")[0]
    assert head == head_t  # "Jacobian mismatch for output 0 with respect to input k,"
    if fast_mode:
        assert "computed \nin fast mode" in str(info.value) and "recompute numerical and analytical" in str(info.value)
    report = info.value.report
    (failure,) = [p for p in report.failures if p.kind == kind]
    assert f"diagnosis ({kind})" in info.value.explain
    assert failure.worst and len(failure.worst) <= 5
    assert f"diagnosis ({kind})" not in str(info.value)  # only with explain=True
    with pytest.raises(GradcheckError, match=rf"diagnosis \({kind}\)"):
        gradcheck(_twin(minitorch, forward, backward), _inputs(minitorch, arrays), fast_mode=fast_mode, explain=True)


def test_the_report_reads_like_the_jacobians():
    forward, backward, arrays, _ = BUGS["mean_instead_of_sum"]
    with pytest.raises(GradcheckError) as info:
        gradcheck(_twin(minitorch, forward, backward), _inputs(minitorch, arrays))
    ok, bad = info.value.report.pairs
    assert ok.ok and (ok.input_idx, ok.output_idx) == (0, 0)
    assert (bad.input_idx, bad.input_shape, bad.output_shape) == (1, (3,), (4, 3))
    out_idx, in_idx, analytical, numerical = bad.worst[0]
    assert analytical == pytest.approx(0.25) and numerical == pytest.approx(1.0) and out_idx[1] == in_idx[0]
    assert "4 is the size of output axis 0" in bad.diagnosis


def test_correct_functions_pass_in_both_modes():
    x, b = _inputs(minitorch, (X, B))
    for fast_mode in (False, True):
        assert gradcheck(lambda x, b: ((x * b).tanh() + b).sum(1), (x, b), fast_mode=fast_mode)
        assert gradgradcheck(lambda x, b: (x * b).sin(), (x, b), fast_mode=fast_mode)


def test_input_numbers_count_differentiable_inputs_like_torch():
    forward, backward = (lambda x, b: x * b), (lambda x, b, g: (None, (g * x * 2).sum(0)))
    for lib, err in ((torch, TorchGradcheckError), (minitorch, GradcheckError)):
        x = lib.tensor(X, dtype=lib.float64)
        b = lib.tensor(B, dtype=lib.float64, requires_grad=True)
        with pytest.raises(err, match=r"^Jacobian mismatch for output 0 with respect to input 0,"):
            lib.autograd.gradcheck(_twin(lib, forward, backward), (x, b))


def test_nondeterministic_backward_is_not_reentrant(monkeypatch):
    from minitorch.autograd import engine
    from tests import engine_oracle

    monkeypatch.setattr(engine, "grad", engine_oracle.fast_grad)  # the oracle would reject the jitter first
    noise = np.random.default_rng(1)
    forward = lambda x, b: x * b  # noqa: E731
    for lib, err in ((torch, TorchGradcheckError), (minitorch, GradcheckError)):
        def backward(x, b, g, lib=lib):
            jitter = lib.tensor(noise.standard_normal(x.shape) * 1e-9, dtype=lib.float64)
            return g * (b + jitter), (g * x).sum(0)

        with pytest.raises(err, match="Backward is not reentrant"):
            lib.autograd.gradcheck(_twin(lib, forward, backward), _inputs(lib, (X, B)), atol=1e-5)
        assert lib.autograd.gradcheck(_twin(lib, forward, backward), _inputs(lib, (X, B)), nondet_tol=1e-6)


def test_gradgradcheck_reports_a_frozen_double_backward():
    forward = lambda x, b: x ** 3 * b  # noqa: E731
    backward = lambda x, b, g: (g * 3 * x.detach() ** 2 * b, (g * x ** 3).sum(0))  # noqa: E731
    for fast_mode in (False, True):
        with pytest.raises(TorchGradcheckError):
            torch.autograd.gradgradcheck(_twin(torch, forward, backward), _inputs(torch, (X, B)), fast_mode=fast_mode)
        with pytest.raises(GradcheckError) as info:
            gradgradcheck(_twin(minitorch, forward, backward), _inputs(minitorch, (X, B)), fast_mode=fast_mode)
        assert info.value.report.failures
        assert gradgradcheck(_twin(minitorch, forward, backward), _inputs(minitorch, (X, B)),
                             fast_mode=fast_mode, raise_exception=False) is False


def test_no_differentiable_output_must_not_depend_on_the_inputs():
    for lib, err in ((torch, TorchGradcheckError), (minitorch, GradcheckError)):
        x = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        assert lib.autograd.gradcheck(lambda t: (t > 0).double().detach(), (x,))  # piecewise constant: zero
        with pytest.raises(err, match="^Numerical gradient for function expected to be zero$"):
            lib.autograd.gradcheck(lambda t: (t * 2).detach(), (x,))


def test_arguments_like_torch():
    x = minitorch.tensor([1.0], dtype=minitorch.float64)
    with pytest.raises(ValueError) as info:
        gradcheck(lambda t: t * 2, (x,))
    with pytest.raises(ValueError) as info_t:
        torch.autograd.gradcheck(lambda t: t * 2, (torch.tensor([1.0], dtype=torch.float64),))
    assert str(info.value) == str(info_t.value)
    y = x.clone().requires_grad_()
    with pytest.raises(NotImplementedError, match="forward-mode AD"):
        gradcheck(lambda t: t * 2, (y,), check_forward_ad=True)
    with pytest.raises(ValueError, match="at least one of check_forward_ad or check_backward_ad"):
        gradcheck(lambda t: t * 2, (y,), check_backward_ad=False)


def test_fast_mode_on_the_op_library(monkeypatch):
    """Fast mode passes on the op library (the first sample of every fourth entry: torch's sample generation is
    most of the cost) but where slow mode fails too (slow mode on every entry is
    tests/ops/test_opinfo_samples.py::test_gradcheck); that fast mode fails where slow mode does is
    test_a_planted_bug_fails_like_torch_and_is_diagnosed."""
    slow = minitorch.autograd.gradcheck
    entries = [op for op in opinfo.ENTRIES if opinfo.differentiable(op)][::4]
    monkeypatch.setattr(opinfo, "GRADCHECK_SAMPLES", 1)  # one sample per entry keeps this test short
    monkeypatch.setattr(minitorch.autograd, "gradcheck", functools.partial(slow, fast_mode=True))
    fast_failures = {opinfo.entry_id(op): r for op in entries if (r := opinfo.gradcheck_entry(op))}
    monkeypatch.setattr(minitorch.autograd, "gradcheck", slow)
    assert len(fast_failures) < len(entries) // 10
    for op in [op for op in entries if opinfo.entry_id(op) in fast_failures]:
        assert opinfo.gradcheck_entry(op), f"{opinfo.entry_id(op)} fails only in fast mode: {fast_failures[opinfo.entry_id(op)]}"
