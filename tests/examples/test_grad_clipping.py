"""examples/grad_clipping.py: clip_grad_norm_ on an exploding RNN against its PyTorch twin."""
import numpy as np

from examples import grad_clipping
from examples.harness.twin import max_relative_difference
from tests.examples.helpers import AGREE, both


def test_clipping_brings_exploding_gradient_norm_to_max_norm():
    runs = both(lambda side, args: grad_clipping.train_clipped(side, args, 6, max_norm=0.5)[0])
    for c in runs.values():
        before, after = np.array(c.metrics["norm_before"]), np.array(c.metrics["norm_after"])
        assert before[0] > 1e4  # it explodes
        clipped = before > 0.5
        np.testing.assert_allclose(after[clipped], 0.5, rtol=1e-4)
        np.testing.assert_allclose(after[~clipped], before[~clipped], rtol=1e-6)
        assert np.all(np.isfinite(c.losses))
    a, b = runs["minitorch"], runs["torch"]
    assert max_relative_difference(a.metrics["norm_before"], b.metrics["norm_before"]) < AGREE
    with np.errstate(over="ignore", invalid="ignore"):
        raw = both(lambda side, args: grad_clipping.train_clipped(side, args, 3, clip=False)[0])
    for c in raw.values():  # without clipping one SGD step on that gradient ruins the model
        assert not np.isfinite(c.losses[-1]) or c.losses[-1] > 1e3 * c.losses[0]
