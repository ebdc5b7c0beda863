"""The fused LSTM backward (minitorch/ops/_rnn_kernels.py) equals LSTMLayer's plain formula and torch."""
from types import SimpleNamespace

import numpy as np
import pytest
import torch

import minitorch
from minitorch.ops.rnn import LSTMLayer
from tests.parity import assert_close

rng = np.random.default_rng(0)


def _layer(t_len, batch, n, dtype, reverse):
    """A forward of LSTMLayer on random inputs: (ctx for backward, its outputs)."""
    xw = rng.standard_normal((t_len, batch, 4 * n)).astype(dtype)
    h0, c0 = rng.standard_normal((batch, n)).astype(dtype), rng.standard_normal((batch, n)).astype(dtype)
    w = (rng.standard_normal((4 * n, n)) / n).astype(dtype)
    ctx = SimpleNamespace(needs_input_grad=(True,) * 4 + (False,), set_materialize_grads=lambda v: None,
                          save_for_backward=lambda *a: setattr(ctx, "saved_tensors", a))
    return ctx, LSTMLayer.forward(ctx, xw, h0, c0, w, reverse)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("with_gh, with_gc", [(True, False), (True, True), (False, True)])
@pytest.mark.parametrize("t_len, batch, n", [(1, 1, 1), (5, 3, 4), (7, 2, 6)])
def test_fused_backward_equals_plain_formula(dtype, reverse, with_gh, with_gc, t_len, batch, n):
    ctx, (hs, cs, gates) = _layer(t_len, batch, n, dtype, reverse)
    gh = rng.standard_normal(hs.shape).astype(dtype) if with_gh else None
    gc = rng.standard_normal(cs.shape).astype(dtype) if with_gc else None
    fused = LSTMLayer.backward(ctx, gh, gc, None)
    plain = LSTMLayer.backward(ctx, gh, gc, np.zeros(gates.shape, dtype))  # a gates gradient: the plain formula
    tol = 1e-5 if dtype == np.float32 else 1e-12
    for f, p in zip(fused[:4], plain[:4]):
        assert f.dtype == p.dtype and f.shape == p.shape
        np.testing.assert_allclose(f, p, rtol=tol, atol=tol)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_lstm_at_benchmark_width_matches_torch(bidirectional):
    torch.manual_seed(0)
    ref = torch.nn.LSTM(28, 128, batch_first=True, bidirectional=bidirectional)
    m = minitorch.nn.LSTM(28, 128, batch_first=True, bidirectional=bidirectional)
    m.load_state_dict({k: v.detach().numpy() for k, v in ref.state_dict().items()})
    x = rng.standard_normal((8, 6, 28)).astype(np.float32)
    xm, xt = minitorch.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    (om, (_, cm)), (ot, (_, ct)) = m(xm), ref(xt)
    (om[:, -1].sum() + (cm * cm).sum()).backward()
    (ot[:, -1].sum() + (ct * ct).sum()).backward()
    assert_close(om, ot, atol=1e-5, rtol=1e-4)
    assert_close(xm.grad, xt.grad, atol=1e-5, rtol=1e-4, what="input gradient")
    for (name, pm), pt in zip(m.named_parameters(), ref.parameters()):
        assert_close(pm.grad, pt.grad, atol=1e-5, rtol=1e-4, what=name)
