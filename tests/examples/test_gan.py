"""examples/gan.py: the MLP GAN and the DCGAN against their PyTorch twins (float64 and float32)."""
import numpy as np
import pytest
import torch

import minitorch
from examples import gan
from examples.harness.twin import Side, max_relative_difference
from tests.examples.helpers import both


@pytest.mark.parametrize("kind, source, shape", [("mlp", "digits", (1, 28, 28)), ("mlp", "mnist1d", (40,)),
                                                 ("dcgan", "digits", (1, 28, 28))])
def test_gan_generates_the_data_shape(kind, source, shape):
    x = gan.images(source)
    assert x.shape[1:] == shape and x.min() >= -1 and x.max() <= 1
    make_g, make_d = gan.pair(kind, x.shape[1:])
    for i, lib in enumerate((minitorch, torch)):
        g, d = make_g[i](*make_g[2]), make_d[i](*make_d[2])
        with lib.no_grad():
            fake = g(lib.randn(5, gan.LATENT[kind]))
            p = d(fake)
        assert tuple(fake.shape) == (5, *shape)
        assert fake.abs().max().item() <= 1.0
        assert tuple(p.shape) == (5, 1) and 0 < p.min().item() and p.max().item() < 1


@pytest.mark.parametrize("kind, steps", [("mlp", 20), ("dcgan", 4)])
def test_gan_twins_agree_in_float64(kind, steps):
    x = gan.images("digits")[:512]
    runs = both(lambda side, args: gan.train_gan(side, args, steps, kind, x)[0], "--float64")
    a, b = runs["minitorch"], runs["torch"]
    assert max_relative_difference(a.losses, b.losses) < 1e-9
    assert max_relative_difference(a.metrics["d_loss"], b.metrics["d_loss"]) < 1e-9


def test_gan_twins_agree_in_float32_at_the_first_step_and_train():
    x = gan.images("digits")[:512]
    runs = both(lambda side, args: gan.train_gan(side, args, 20, "mlp", x))
    a, b = runs["minitorch"][0], runs["torch"][0]
    assert max_relative_difference(a.losses, b.losses, n=1) < 1e-5
    assert max_relative_difference(a.metrics["d_loss"], b.metrics["d_loss"], n=1) < 1e-5
    for c in (a, b):  # the discriminator learns to tell real from generated early on
        assert np.mean(c.metrics["d_loss"][-3:]) < np.mean(c.metrics["d_loss"][:3])
    samples = gan.sample(Side("minitorch"), runs["minitorch"][1], "mlp", n=4)
    assert samples.shape == (4, 1, 28, 28)
