"""dropout3d, alpha_dropout and feature_alpha_dropout (and their modules) against torch: the identity in eval and
at p = 0, zeros at p = 1, the structure and statistics of the random masks, gradients through the masks, errors."""
import warnings

import numpy as np
import pytest
import torch

import minitorch
from tests.parity import check

RNG = np.random.default_rng(0)
ALPHA = 1.7580993408473766


def F(m):
    return m.nn.functional


@pytest.mark.parametrize("name", ["dropout3d", "alpha_dropout", "feature_alpha_dropout"])
def test_identity_in_eval_and_at_p0_zeros_at_p1(name):
    x = RNG.standard_normal((2, 3, 2, 2, 2))
    check(lambda m, a: getattr(F(m), name)(a, 0.4, training=False), x)
    check(lambda m, a: getattr(F(m), name)(a, 0.0, training=True), x)
    check(lambda m, a: getattr(F(m), name)(a, 1.0, training=True), x)


def test_dropout3d_drops_whole_channels_and_scales_the_rest():
    x = minitorch.tensor(RNG.uniform(1, 2, (40, 50, 2, 2, 2)), requires_grad=True)
    minitorch.manual_seed(0)
    y = F(minitorch).dropout3d(x, 0.3)
    ratio = (y / x).detach().numpy().reshape(40, 50, -1)
    np.testing.assert_allclose(ratio.min(-1), ratio.max(-1), rtol=1e-12)
    assert set(np.unique(np.round(ratio, 12))) <= {0.0, round(1 / 0.7, 12)}
    assert abs((ratio[..., 0] == 0).mean() - 0.3) < 0.03
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), (y / x).detach().numpy())


def test_dropout3d_unbatched_and_warning_for_other_ranks():
    x = minitorch.tensor(RNG.uniform(1, 2, (30, 2, 2, 2)))
    ratio = (F(minitorch).dropout3d(x, 0.5) / x).numpy().reshape(30, -1)
    np.testing.assert_allclose(ratio.min(-1), ratio.max(-1), rtol=1e-12)
    for lib in (torch, minitorch):
        with pytest.warns(UserWarning, match="Received a 3-D input to dropout3d"):
            F(lib).dropout3d(lib.ones(2, 3, 4), 0.5)


@pytest.mark.parametrize("p", [0.2, 0.5])
def test_alpha_dropout_values_and_statistics_match_torch(p):
    x = RNG.standard_normal((200, 500))
    a = 1 / np.sqrt((ALPHA * ALPHA * p + 1) * (1 - p))
    minitorch.manual_seed(1)
    xm = minitorch.tensor(x, requires_grad=True)
    y = F(minitorch).alpha_dropout(xm, p, training=True)
    yt = F(torch).alpha_dropout(torch.tensor(x), p, training=True).numpy()
    out = y.detach().numpy()
    dropped = np.isclose(out, -ALPHA * a * (1 - p)) & ~np.isclose(x * a + ALPHA * a * p, -ALPHA * a * (1 - p))
    kept = np.isclose(out, x * a + ALPHA * a * p)
    assert np.all(dropped | kept)
    assert abs(dropped.mean() - p) < 0.01
    for stat in (np.mean, np.std):  # both keep a standard normal's mean 0 and variance 1
        assert abs(stat(out) - stat(yt)) < 0.02
    y.backward(minitorch.ones_like(y))
    np.testing.assert_allclose(xm.grad.numpy(), np.where(kept, a, 0.0))


def test_feature_alpha_dropout_is_per_channel():
    x = minitorch.tensor(RNG.standard_normal((30, 40, 3, 3)))
    y = F(minitorch).feature_alpha_dropout(x, 0.4, training=True).numpy()
    p = 0.4
    a = 1 / np.sqrt((ALPHA * ALPHA * p + 1) * (1 - p))
    dropped = np.isclose(y, -ALPHA * a * (1 - p)).reshape(30, 40, -1)
    assert np.all(dropped.all(-1) | ~dropped.any(-1))
    assert abs(dropped.all(-1).mean() - p) < 0.05


def test_inplace_alpha_dropout_returns_its_input():
    x = minitorch.randn(4, 5)
    assert F(minitorch).alpha_dropout(x, 0.3, training=True, inplace=True) is x


@pytest.mark.parametrize("name", ["Dropout3d", "AlphaDropout", "FeatureAlphaDropout"])
def test_modules(name):
    mt, th = getattr(minitorch.nn, name)(0.3), getattr(torch.nn, name)(0.3)
    assert repr(mt) == repr(th)
    x = minitorch.randn(2, 3, 2, 2, 2)
    mt.eval()
    assert np.array_equal(mt(x).numpy(), x.numpy())
    mt.train()
    assert not np.array_equal(mt(x).numpy(), x.numpy())


@pytest.mark.parametrize("call,exc,match", [
    (lambda F, m: F.alpha_dropout(m.ones(3), 1.5), ValueError, "dropout probability has to be between 0 and 1"),
    (lambda F, m: F.dropout3d(m.ones(3, 3, 3, 3), -0.1), ValueError, "dropout probability has to be between 0 and 1"),
    (lambda F, m: F.feature_alpha_dropout(m.ones(3), 0.5, training=True), RuntimeError,
     "Feature dropout requires at least 2 dimensions"),
])
def test_dropout_errors_like_torch(call, exc, match):
    for lib in (torch, minitorch):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(exc, match=match):
                call(F(lib), lib)
