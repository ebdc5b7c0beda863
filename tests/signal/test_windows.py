"""minitorch.signal.windows against torch.signal.windows: every window, symmetric and periodic, in float32 and
float64, with its parameters, and the argument errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests._same import same_error

CASES = [("hamming", {}), ("hann", {}), ("bartlett", {}), ("blackman", {}), ("cosine", {}), ("nuttall", {}),
         ("exponential", {"tau": 2.5}), ("gaussian", {"std": 0.7}), ("kaiser", {"beta": 5.0}),
         ("general_cosine", {"a": [0.5, 0.3, 0.2]}), ("general_hamming", {"alpha": 0.6})]


@pytest.mark.parametrize("name,kw", CASES)
@pytest.mark.parametrize("sym", [True, False])
def test_values(name, kw, sym):
    for M in (0, 1, 2, 7, 16):
        for dt in ("float32", "float64"):
            m = getattr(minitorch.signal.windows, name)(M, sym=sym, dtype=getattr(minitorch, dt), **kw)
            t = getattr(torch.signal.windows, name)(M, sym=sym, dtype=getattr(torch, dt), **kw)
            assert str(m.dtype).split(".")[-1] == dt and m.shape == tuple(t.shape)
            np.testing.assert_allclose(m.numpy(), t.numpy(), rtol=2e-6 if dt == "float32" else 1e-12, atol=1e-7)


def test_requires_grad_and_default_dtype():
    w = minitorch.signal.windows.hann(5, requires_grad=True)
    assert w.requires_grad and w.is_leaf and w.dtype == minitorch.float32


def test_errors():
    same_error(lambda L: L.signal.windows.hann(-1))
    same_error(lambda L: L.signal.windows.gaussian(4, std=0))
    same_error(lambda L: L.signal.windows.exponential(4, tau=-1.0))
    same_error(lambda L: L.signal.windows.exponential(4, center=1.0))
    same_error(lambda L: L.signal.windows.kaiser(4, beta=-1.0))
    same_error(lambda L: L.signal.windows.general_cosine(4, a=[]))
    same_error(lambda L: L.signal.windows.bartlett(4, dtype=L.int64))
