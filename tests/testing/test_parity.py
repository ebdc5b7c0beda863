"""minitorch.testing.parity: one line checks a custom op against its torch twin, and fails with both reports."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import minitorch
from minitorch.testing import parity

X = np.random.default_rng(0).standard_normal((3, 4))


def _scaled_square(lib, factor):
    """x^2 as a custom Function of ``lib``; ``factor`` 2 in backward is right."""

    class ScaledSquare(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * factor * x

    return ScaledSquare.apply


def test_a_right_op_passes_in_one_line():
    report = parity(lambda lib, x: _scaled_square(lib, 2)(x).sin(), X)
    assert report.ok and report.leaves[0][0] == "input 0 .grad"
    import torch

    parity(_scaled_square(minitorch, 2), X, twin=_scaled_square(torch, 2))
    parity(lambda lib, x, w: (x @ w).tanh(), X, X.T.astype(np.float32))  # float32 inputs are checked in float64


def test_a_wrong_backward_fails_with_both_reports():
    import torch

    with pytest.raises(AssertionError) as info:
        parity(_scaled_square(minitorch, 3), X, twin=_scaled_square(torch, 2))
    text = str(info.value)
    assert "first disagreement: ScaledSquareBackward" in text and "its backward is wrong" in text
    assert "gradcheck failed" in text and "diagnosis (factor): analytical = 1.5 x numerical" in text


def test_a_wrong_forward_fails():
    import torch

    with pytest.raises(AssertionError, match="its forward value differs"):
        parity(lambda x: x.exp(), X, twin=lambda x: x.exp() + 1e-3, check_gradcheck=False)
    with pytest.raises(AssertionError, match="output 0"):
        parity(lambda x: x.exp(), X, twin=lambda x: torch.exp(x) * 1.01)


def test_the_pytest_fixture(tmp_path):
    (tmp_path / "test_user_op.py").write_text(textwrap.dedent('''
        import numpy as np
        import torch


        def test_mul(parity):
            parity(lambda lib, x: x * 3, np.ones((2, 2)))


        def test_broken(parity):
            parity(lambda x: x * 3, np.ones((2, 2)), twin=lambda x: x * 4)
    '''))
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "minitorch.testing.pytest_plugin",
                          "-p", "no:cacheprovider", str(tmp_path)], capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=300)
    assert "1 failed, 1 passed" in run.stdout, run.stdout + run.stderr
    assert "parity with torch failed" in run.stdout


def test_minitorch_testing_imports_no_torch():
    code = "import sys, minitorch, minitorch.testing; assert 'torch' not in sys.modules, 'torch was imported'"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=os.getcwd()), timeout=120)
    assert run.returncode == 0, run.stderr
