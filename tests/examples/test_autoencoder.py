"""examples/autoencoder.py: the autoencoder against its PyTorch twin."""
from examples import autoencoder
from examples.harness.data import flat_images
from tests.examples.helpers import assert_twins_learn, both


def test_autoencoder_twins_agree_and_learn():
    d = flat_images("digits")
    runs = both(lambda side, args: autoencoder.train_ae(side, args, 25, d))
    assert_twins_learn({fw: r[0] for fw, r in runs.items()})
    for _, _, recon in runs.values():
        assert recon.shape == (8, 64) and recon.min() >= 0 and recon.max() <= 1
