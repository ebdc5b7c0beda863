"""examples/mlp.py: TwoLayerNet, the activation MLPs and Maxout, against their PyTorch twins."""
import numpy as np
from tests.examples.helpers import results, twins_ok


def test_mlp_activations_train_and_twins_agree():
    from examples import mlp

    argv = ["--dataset", "digits", "--steps", "40", "--lr", "0.5", "--activations", "tanh", "maxout", "--no-progress"]
    assert mlp.main(argv) == 0
    res = results("mlp")
    for name in ("TwoLayerNet", "tanh", "maxout"):
        twins_ok(res[name])
        assert res[name]["minitorch"]["test_accuracy"] > 0.3


def test_maxout_is_the_max_over_pieces_in_both_frameworks():
    import minitorch
    import torch

    from examples.harness.twin import Side
    from examples.mlp import Maxout
    from reference.mlp import Maxout as TorchMaxout

    x = np.random.default_rng(0).standard_normal((5, 6)).astype(np.float32)
    outs = {}
    for side in (Side("minitorch"), Side("torch")):
        m = side.model(1, Maxout, TorchMaxout, 6, 4, pieces=3)
        outs[side.framework] = m(side.lib.tensor(x)).detach().numpy()
    w, b = (p.detach().numpy() for p in Side("torch").model(1, Maxout, TorchMaxout, 6, 4, pieces=3).parameters())
    expected = (x @ w.T + b).reshape(5, 4, 3).max(-1)
    assert outs["minitorch"].shape == (5, 4)
    np.testing.assert_allclose(outs["minitorch"], expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(outs["minitorch"], outs["torch"], rtol=1e-5, atol=1e-6)


def test_two_layer_net_clamp_is_relu():
    import minitorch

    from examples.mlp import TwoLayerNet

    net = TwoLayerNet(3, 4, 2)
    x = minitorch.randn(7, 3)
    expected = net.linear2(minitorch.nn.functional.relu(net.linear1(x)))
    np.testing.assert_allclose(net(x).detach().numpy(), expected.detach().numpy(), atol=1e-7)
