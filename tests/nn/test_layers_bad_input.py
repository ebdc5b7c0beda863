"""Layers given inputs or arguments they cannot take, answered as torch answers them.

Each case is a function of the library, run with ``lib=torch`` and ``lib=minitorch`` in the same test
(``tests._same.assert_like_torch``): the same exception type with torch's words (the shapes, dtypes, sizes
and indices it names), or the same result where torch returns one.
"""
import pytest

from tests._same import assert_like_torch



LAYERS = {
    "Flatten of a 0-d tensor": lambda L: L.nn.Flatten()(L.tensor(1.0)),
    "Flatten of a 1-d tensor": lambda L: L.nn.Flatten()(L.randn(3)),
    "Flatten(0) of a 0-d tensor": lambda L: L.nn.Flatten(0)(L.tensor(1.0)),
    "Flatten(0, 0) of a 0-d tensor": lambda L: L.nn.Flatten(0, 0)(L.tensor(1.0)),
    "flatten(0, 1) of a 0-d tensor": lambda L: L.tensor(1.0).flatten(0, 1),
    "flatten(-2) of a 0-d tensor": lambda L: L.tensor(1.0).flatten(-2),
    "flatten(-1, 0) of a 0-d tensor": lambda L: L.tensor(1.0).flatten(-1, 0),
    "Unflatten of a 0-d tensor": lambda L: L.nn.Unflatten(1, (2, 2))(L.tensor(1.0)),
    "Conv2d, kernel 0": lambda L: L.nn.Conv2d(1, 1, 0)(L.randn(1, 1, 5, 5)),
    "Conv2d, kernel (3, 0)": lambda L: L.nn.Conv2d(1, 1, (3, 0))(L.randn(1, 1, 5, 5)),
    "Conv1d, kernel 0": lambda L: L.nn.Conv1d(1, 1, 0)(L.randn(1, 1, 5)),
    "ConvTranspose1d, kernel 0": lambda L: L.nn.ConvTranspose1d(1, 1, 0)(L.randn(1, 1, 5)),
    "Conv1d, no output channels": lambda L: L.nn.Conv1d(1, 0, 3)(L.randn(1, 1, 5)),
    "Conv2d, no output channels": lambda L: L.nn.Conv2d(1, 0, 3)(L.randn(1, 1, 5, 5)),
    "ConvTranspose1d, no output channels": lambda L: L.nn.ConvTranspose1d(1, 0, 3)(L.randn(1, 1, 5)),
    "ConvTranspose2d, no output channels": lambda L: L.nn.ConvTranspose2d(1, 0, 3)(L.randn(1, 1, 5, 5)),
    "Conv1d, stride 0": lambda L: L.nn.Conv1d(1, 1, 3, stride=0)(L.randn(1, 1, 5)),
    "Conv1d, negative stride": lambda L: L.nn.Conv1d(1, 1, 3, stride=-1)(L.randn(1, 1, 5)),
    "Conv1d, negative padding": lambda L: L.nn.Conv1d(1, 1, 3, padding=-1)(L.randn(1, 1, 5)),
    "ConvTranspose1d, stride 0": lambda L: L.nn.ConvTranspose1d(1, 1, 3, stride=0)(L.randn(1, 1, 5)),
    "ConvTranspose1d, negative padding": lambda L: L.nn.ConvTranspose1d(1, 1, 3, padding=-1)(L.randn(1, 1, 5)),
    "Conv1d, in_channels not divisible by groups": lambda L: L.nn.Conv1d(3, 2, 3, groups=2),
    "Conv1d, out_channels not divisible by groups": lambda L: L.nn.Conv1d(2, 3, 3, groups=2),
    "Conv1d, groups 0": lambda L: L.nn.Conv1d(2, 2, 3, groups=0),
    "Conv1d, negative kernel": lambda L: L.nn.Conv1d(1, 1, -1),
    "Conv1d, padding='same' with a stride": lambda L: L.nn.Conv1d(1, 1, 3, padding="same", stride=2),
    "Conv2d is built with kernel 0": lambda L: L.nn.Conv2d(1, 1, 0),
    "Conv1d is built with stride 0": lambda L: L.nn.Conv1d(1, 1, 3, stride=0),
    "Conv1d is built with negative padding": lambda L: L.nn.Conv1d(1, 1, 3, padding=-1),
    "Conv2d, input smaller than the kernel": lambda L: L.nn.Conv2d(1, 1, 3)(L.randn(1, 1, 2, 2)),
}


@pytest.mark.parametrize("fn", LAYERS.values(), ids=LAYERS.keys())
def test_layers(fn):
    assert_like_torch(fn)
