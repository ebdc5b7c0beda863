"""compare_with_torch: agrees on every example model and its torch twin; names the node of a planted bug."""
import importlib

import numpy as np
import pytest

import minitorch
from examples.harness.gpt2 import GPTConfig
from minitorch.testing import compare_with_torch

RNG = np.random.default_rng(0)
TINY_GPT = GPTConfig(vocab_size=11, n_positions=8, n_embd=8, n_layer=1, n_head=2)


def _x(*shape):
    return RNG.standard_normal(shape)


def _tokens(high, *shape):
    return RNG.integers(0, high, shape)


def _xent(lib, out, n_classes):
    return lib.nn.functional.cross_entropy(out, lib.arange(out.shape[0]) % n_classes)


# name: (example module, class, constructor args, inputs, loss(lib, model, *inputs))
MODELS = {
    "TwoLayerNet": ("mlp", "TwoLayerNet", (4, 5, 3), (_x(3, 4),), lambda L, m, x: _xent(L, m(x), 3)),
    "Maxout": ("mlp", "Maxout", (4, 3, 2), (_x(3, 4),), lambda L, m, x: m(x).sum()),
    "MLP-tanh": ("mlp", "MLP", ("tanh", 4, 5, 3), (_x(3, 4),), lambda L, m, x: _xent(L, m(x), 3)),
    "MLP-maxout": ("mlp", "MLP", ("maxout", 4, 5, 3), (_x(3, 4),), lambda L, m, x: _xent(L, m(x), 3)),
    "CNNModel": ("cnn", "CNNModel", (8, 10), (_x(2, 1, 8, 8),), lambda L, m, x: _xent(L, m(x), 10)),
    "LeNet5": ("lenet", "LeNet5", (32, 10), (_x(1, 1, 32, 32),), lambda L, m, x: _xent(L, m(x), 10)),
    "LinearRegression": ("linear_regression", "LinearRegression", (), (_x(5, 1),), lambda L, m, x: (m(x) ** 2).mean()),
    "PolynomialRegression": ("linear_regression", "PolynomialRegression", (3,), (_x(5, 1),),
                             lambda L, m, x: (m(x) ** 2).mean()),
    "LogisticRegression": ("logistic_regression", "LogisticRegression", (2,), (_x(5, 2),), lambda L, m, x: m(x).sum()),
    "AutoEncoder": ("autoencoder", "AutoEncoder", (6, 3), (_x(4, 6),), lambda L, m, x: ((m(x)[1] - x) ** 2).mean()),
    "VAE": ("vae", "VAE", (6, 8), (_x(4, 6),), lambda L, m, x: sum(o.sum() for o in m(x, L.ones(4, 8, dtype=x.dtype)))),
    "Regressor": ("evaluate", "Regressor", (10, 8), (_x(4, 10),), lambda L, m, x: m(x).sum()),
    "RNNModel": ("rnn", "RNNModel", (3, 4, 2, 2), (_x(2, 5, 3),), lambda L, m, x: m(x).sum()),
    "RowClassifier-LSTM": ("rnn", "RowClassifier", ("LSTM", 3, 4, 1, 2), (_x(2, 5, 3),), lambda L, m, x: m(x).sum()),
    "RowClassifier-GRU": ("rnn", "RowClassifier", ("GRU", 3, 4, 2, 2), (_x(2, 5, 3),), lambda L, m, x: m(x).sum()),
    "SentimentClassifier": ("sentiment", "SentimentClassifier", (20, 4, 5), (_tokens(20, 2, 6),),
                            lambda L, m, t: m(t).sum()),
    "NGramLanguageModeler": ("ngram", "NGramLanguageModeler", (20, 4, 2, 8), (_tokens(20, 3, 2),),
                             lambda L, m, t: m(t).sum()),
    "GPT-Block": ("gpt", "Block", (TINY_GPT,), (_x(1, 4, 8),), lambda L, m, x: m(x).sum()),
    "GPT": ("gpt", "GPT", (TINY_GPT,), (_tokens(11, 1, 5),), lambda L, m, t: m(t).logsumexp(-1).sum()),
    "GAN-Generator": ("gan", "Generator", ((1, 4, 4), 8), (_x(2, 8),), lambda L, m, z: m(z).sum()),
    "GAN-Discriminator": ("gan", "Discriminator", ((1, 4, 4),), (_x(2, 1, 4, 4),), lambda L, m, x: m(x).sum()),
    "DCGenerator": ("gan", "DCGenerator", (4, 2), (_x(2, 4),), lambda L, m, z: m(z).sum()),
    "DCDiscriminator": ("gan", "DCDiscriminator", (2,), (_x(2, 1, 28, 28),), lambda L, m, x: m(x).sum()),
    "StackedRNNCells": ("rnn", "StackedRNNCells", (3, 4, 2, 2), (_x(5, 2, 3),),
                        lambda L, m, x: sum(o.sum() for o in _flat(m(x)))),
    "ExplodingRNN": ("grad_clipping", "ExplodingRNN", (4,), (_x(2, 6, 1),), lambda L, m, x: m(x).sum()),
    "LSTMTagger": ("pos_tagger", "LSTMTagger", (9, 7, 5, 4, 3, 4, 5),
                   (_tokens(9, 2, 3), _tokens(7, 2, 3, 4), np.eye(4, dtype=np.float64)[[3, 1, 2, 0, 3, 2]].reshape(2, 3, 4)),
                   lambda L, m, w, c, last: m(w, c, last).sum()),
    "LinearBase": ("mnist1d_table", "LinearBase", (), (_x(3, 40),), lambda L, m, x: _xent(L, m(x), 10)),
    "MLPBase": ("mnist1d_table", "MLPBase", (8,), (_x(3, 40),), lambda L, m, x: _xent(L, m(x), 10)),
    "ConvBase": ("mnist1d_table", "ConvBase", (4, 20), (_x(3, 40),), lambda L, m, x: _xent(L, m(x), 10)),
    "GRUBase": ("mnist1d_table", "GRUBase", (3, 40), (_x(2, 40),), lambda L, m, x: _xent(L, m(x), 10)),
}


def _flat(out):
    return [o for x in out for o in _flat(x)] if isinstance(out, (tuple, list)) else [out]


@pytest.mark.parametrize("name", MODELS)
def test_every_example_model_agrees_with_its_twin(name):
    import torch

    module, cls, args, inputs, loss = MODELS[name]
    ours_cls = getattr(importlib.import_module(f"examples.{module}"), cls)
    theirs_cls = getattr(importlib.import_module(f"reference.{module}"), cls)
    torch.manual_seed(0)
    minitorch.manual_seed(0)
    ours, theirs = ours_cls(*args).double(), theirs_cls(*args)
    report = compare_with_torch(loss, (ours, theirs), *inputs)
    assert report.ok, str(report)
    assert len(report.nodes) >= 2 and report.leaves
    assert all(d.minitorch and d.torch for d in report.nodes), str(report)


def _cube(lib, factor):
    """x^3 as a custom Function of ``lib`` whose backward uses ``factor`` (3 is right)."""

    class Cube(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * factor * x ** 2

    return Cube


def _model(lib, x, w, factor_in_minitorch=3):
    h = (x @ w).tanh()
    y = _cube(lib, factor_in_minitorch if lib is minitorch else 3).apply(h)  # the planted bug's line
    return (y.exp() * 2).mean()


def test_a_wrong_backward_in_a_custom_function_is_named():
    x, w = _x(3, 4), _x(4, 2)
    assert compare_with_torch(_model, x, w).ok
    report = compare_with_torch(lambda lib, x, w: _model(lib, x, w, factor_in_minitorch=2), x, w)
    assert not report.ok and report.phase == "backward"
    first = report.first
    assert first.names == ("CubeBackward", "CubeBackward")
    assert first.received[1] and not first.sent[1]  # it got the right gradient and sent a wrong one
    assert "the planted bug's line" in first.line and "test_compare_with_torch.py" in first.line
    text = str(report)
    assert "first disagreement: CubeBackward" in text and "its backward is wrong" in text
    assert "TanhBackward0" not in text  # the walk stops at the culprit
    with pytest.raises(AssertionError, match="CubeBackward"):
        report.assert_ok()


def _half(lib, factor):
    """x * factor as a custom Function named Half (0.5 is right), its backward consistent with its forward."""

    class Half(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * factor

        @staticmethod
        def backward(ctx, grad):
            return grad * factor

    return Half


def test_a_wrong_forward_is_found_in_forward_order():
    def fn(lib, x):
        y = _half(lib, 0.5 if lib is minitorch else 1.0).apply(x.sin())  # the twin halves nothing
        return y.exp().sum()

    report = compare_with_torch(fn, _x(5))
    assert report.phase == "forward" and report.first.names == ("HalfBackward", "HalfBackward")
    assert not report.first.forward[1]
    assert "its forward value differs" in str(report)


def test_inputs_and_arguments():
    import torch

    with pytest.raises(TypeError, match=r"input 0 is a minitorch module; pass it with its torch twin"):
        compare_with_torch(lambda lib, m: m, minitorch.nn.Linear(2, 2))
    report = compare_with_torch(lambda lib, x, n, t: (x * n + t).sum(), minitorch.tensor([1., 2.], requires_grad=True),
                                3, torch.tensor([0.5, 0.25]))
    assert report.ok and [k for k, _, _ in report.leaves] == ["input 0 .grad"]
    with pytest.raises(ValueError, match="both rtol and atol"):
        compare_with_torch(lambda lib, x: x.sum(), _x(2), rtol=1e-3)
