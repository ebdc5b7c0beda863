"""examples/vae.py: the VAE (loss, reparameterisation) against its PyTorch twin."""
import numpy as np
import pytest
import torch

import minitorch
from examples import vae
from examples.harness.data import flat_images
from reference import vae as reference
from tests.examples.helpers import assert_twins_learn, both


def test_vae_loss_is_bce_plus_closed_form_kl():
    rng = np.random.default_rng(0)
    recon, x = rng.uniform(0.05, 0.95, (4, 6)), rng.uniform(0, 1, (4, 6))
    mu, logvar = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    bce = -(x * np.log(recon) + (1 - x) * np.log(1 - recon)).sum()
    kl = 0.5 * (np.exp(logvar) + mu ** 2 - 1 - logvar).sum()
    for lib, vae_loss in ((minitorch, vae.vae_loss), (torch, reference.vae_loss)):
        t = [lib.tensor(a) for a in (recon, x, mu, logvar)]
        got = vae_loss(t[0], t[1], t[2], t[3])
        assert float(got.item()) == pytest.approx((bce + kl) / 4, rel=1e-10)


def test_reparameterisation_passes_gradients_to_mu_and_logvar():
    for lib, cls in ((minitorch, vae.VAE), (torch, reference.VAE)):
        model = cls(6, hidden=5, latent=2)
        mu = lib.tensor([[0.5, -1.0]], requires_grad=True)
        logvar = lib.tensor([[0.2, 0.4]], requires_grad=True)
        eps = lib.tensor([[1.5, -0.5]])
        model.reparameterize(mu, logvar, eps).sum().backward()
        np.testing.assert_allclose(mu.grad.numpy(), [[1.0, 1.0]])
        np.testing.assert_allclose(logvar.grad.numpy(), 0.5 * np.array([[1.5, -0.5]]) * np.exp([[0.1, 0.2]]),
                                   rtol=1e-6)
        assert tuple(model.reparameterize(mu, logvar).shape) == (1, 2)  # eps drawn with randn_like


def test_vae_twins_agree_and_learn():
    d = flat_images("digits")
    runs = both(lambda side, args: vae.train_vae(side, args, 25, d))
    assert_twins_learn({fw: r[0] for fw, r in runs.items()})
    for fw, (_, info, recon, samples) in runs.items():
        assert recon.shape == (8, 64) and recon.min() >= 0 and recon.max() <= 1
        assert samples.shape == (8, 64)
        np.testing.assert_allclose(samples, runs["torch"][3], atol=1e-4)
