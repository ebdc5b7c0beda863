"""Dropout, Dropout1d, Dropout2d: keep statistics, inverted scaling, eval mode, channel masks, gradients."""
import numpy as np
import pytest
import torch

import minitorch

F = minitorch.nn.functional


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_statistics_and_scaling(p):
    x = minitorch.ones(200, 500, dtype=minitorch.float64)
    out = F.dropout(x, p).numpy()
    kept = out != 0
    n = kept.size
    assert abs(kept.mean() - (1 - p)) < 4 * np.sqrt(p * (1 - p) / n)
    np.testing.assert_allclose(out[kept], 1 / (1 - p), rtol=1e-15)
    assert abs(out.mean() - 1) < 4 * np.sqrt(p / (1 - p) / n)


def test_dropout_masks_differ_between_calls_and_follow_the_seed():
    x = minitorch.ones(1000)
    a, b = F.dropout(x).numpy(), F.dropout(x).numpy()
    assert not np.array_equal(a, b)
    minitorch.manual_seed(7)
    c = F.dropout(x).numpy()
    minitorch.manual_seed(7)
    np.testing.assert_array_equal(c, F.dropout(x).numpy())


def test_dropout_gradient_is_the_scaled_mask():
    x = minitorch.randn(50, 40, dtype=minitorch.float64, requires_grad=True)
    out = F.dropout(x, 0.3)
    g = np.random.default_rng(0).standard_normal(out.shape)
    out.backward(minitorch.tensor(g))
    mask = out.detach().numpy() / x.detach().numpy()
    np.testing.assert_allclose(x.grad.numpy(), g * mask, rtol=1e-12)
    assert set(np.round(np.unique(mask), 12)) <= {0.0, round(1 / 0.7, 12)}


def test_dropout_gradgradcheck_with_fixed_mask():
    x = minitorch.randn(4, 3, dtype=minitorch.float64, requires_grad=True)

    def fn(x):
        minitorch.manual_seed(3)
        return F.dropout(x, 0.4) * x

    assert minitorch.autograd.gradcheck(fn, (x,))
    assert minitorch.autograd.gradgradcheck(fn, (x,))


def test_eval_mode_is_identity_like_torch():
    for lib in (minitorch, torch):
        mod = lib.nn.Dropout(0.5)
        mod.eval()
        x = lib.randn(3, 4)
        assert mod(x) is x
    m = minitorch.nn.Sequential(minitorch.nn.Dropout(0.9), minitorch.nn.Dropout2d(0.9))
    x = minitorch.randn(2, 3, 4, 4)
    m.eval()
    np.testing.assert_array_equal(m(x).numpy(), x.numpy())
    m.train()
    assert not np.array_equal(m(x).numpy(), x.numpy())


def test_p_zero_and_one():
    x = minitorch.randn(10, 10, requires_grad=True)
    assert F.dropout(x, 0.0) is x
    out = F.dropout(x, 1.0)
    assert not out.detach().numpy().any() and not np.isnan(out.detach().numpy()).any()
    out.sum().backward()
    assert not x.grad.numpy().any()


def test_float32_stays_float32():
    out = minitorch.nn.Dropout(0.2)(minitorch.randn(5, 5))
    assert out.dtype == minitorch.float32


@pytest.mark.parametrize("cls,shape", [("Dropout2d", (8, 16, 5, 5)), ("Dropout1d", (8, 16, 7)),
                                       ("Dropout1d", (16, 7))])
def test_channel_dropout_zeroes_whole_channels(cls, shape):
    p = 0.4
    x = minitorch.ones(*shape, dtype=minitorch.float64)
    out = getattr(minitorch.nn, cls)(p)(x).numpy()
    lead = 2 if len(shape) > 2 else 1
    per_channel = out.reshape(shape[:lead] + (-1,))
    zero = (per_channel == 0).all(-1)
    scaled = (per_channel == 1 / (1 - p)).all(-1)
    assert (zero | scaled).all()
    assert abs(zero.mean() - p) < 4 * np.sqrt(p * (1 - p) / zero.size)


def test_channel_dropout_big_sample_statistics():
    x = minitorch.ones(200, 100, 2, 2)
    out = F.dropout2d(x, 0.25).numpy()
    zero = (out == 0).all((2, 3))
    assert abs(zero.mean() - 0.25) < 4 * np.sqrt(0.25 * 0.75 / zero.size)


def test_dropout2d_with_3d_input_warns_and_drops_channels():
    x = minitorch.ones(4, 6, 9)
    with pytest.warns(UserWarning, match="3D input to dropout2d"):
        out = F.dropout2d(x, 0.5).numpy()
    assert ((out == 0).all(-1) | (out == 2).all(-1)).all()


def test_inplace_dropout():
    x = minitorch.ones(100)
    out = F.dropout(x, 0.5, inplace=True)
    assert out is x and x._version == 1 and (x.numpy() == 0).any()
    y = minitorch.ones(2, 50, 3)
    minitorch.nn.Dropout1d(0.5, inplace=True)(y)
    assert ((y.numpy() == 0).all(-1) | (y.numpy() == 2).all(-1)).all()


def test_dropout_errors_and_reprs_match_torch():
    for bad in (-0.1, 1.5):
        for cls in ("Dropout", "Dropout1d", "Dropout2d"):
            with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
                getattr(minitorch.nn, cls)(bad)
        with pytest.raises(ValueError, match=f"but got {bad}"):
            F.dropout(minitorch.ones(2), bad)
    with pytest.raises(RuntimeError, match="Expected 2D or 3D input"):
        F.dropout1d(minitorch.ones(2, 2, 2, 2))
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        with pytest.warns(UserWarning):
            F.dropout2d(minitorch.ones(4))
    for cls in ("Dropout", "Dropout1d", "Dropout2d"):
        assert repr(getattr(minitorch.nn, cls)(0.3, True)) == repr(getattr(torch.nn, cls)(0.3, True))
        assert repr(getattr(minitorch.nn, cls)()) == repr(getattr(torch.nn, cls)())


@pytest.mark.parametrize("fn,shape", [("dropout", (3,)), ("dropout1d", (2, 3, 3)), ("dropout2d", (1, 2, 3, 3))])
@pytest.mark.parametrize("dtype", ["int64", "int32", "bool"])
def test_integer_input_errors_match_torch_and_p_one_or_eval_pass_through(fn, shape, dtype):
    mt_f, t_f = getattr(F, fn), getattr(torch.nn.functional, fn)
    x = np.ones(shape, dtype=dtype)
    with pytest.raises(RuntimeError) as em:
        mt_f(minitorch.tensor(x))
    with pytest.raises(RuntimeError) as et:
        t_f(torch.tensor(x))
    assert str(em.value) == str(et.value)
    for kw in ({"p": 1.0}, {"p": 0.0}, {"training": False}):
        out, ref = mt_f(minitorch.tensor(x), **kw), t_f(torch.tensor(x), **kw)
        assert str(out.dtype).split(".")[-1] == str(ref.dtype).split(".")[-1]
        np.testing.assert_array_equal(out.numpy(), ref.numpy())
