"""The source tutorials' tensor and autograd examples with the right answers, each also run in torch.

Where a tutorial printed a wrong result, the expected value here is the one the math (and PyTorch) gives.
"""
import numpy as np
import pytest
import torch

import minitorch
from tests.parity import assert_close

LIBS = (minitorch, torch)


def test_000_mean_of_double_gives_ones_not_twos():
    """000: y = x * 2; z = y.mean(); dz/dx_i = 2 / 2 = 1 (the tutorial printed tensor([2., 2.]))."""
    grads = []
    for lib in LIBS:
        x = lib.ones(2, requires_grad=True)
        y = x * 2
        z = y.mean()
        z.backward()
        grads.append(x.grad)
        assert x.grad.tolist() == [1.0, 1.0]
        assert repr(x.grad) == "tensor([1., 1.])"
    assert_close(*grads)


def test_004_affine_gradients():
    """004: x = 1, w = 2, b = 3; y = w * x + b gives dy/dx = w = 2, dy/dw = x = 1, dy/db = 1."""
    results = []
    for lib in LIBS:
        x = lib.tensor([1.0], requires_grad=True)  # the tutorial's Variable(torch.Tensor([1], requires_grad=True))
        w = lib.tensor([2.0], requires_grad=True)  # puts requires_grad in the wrong call
        b = lib.tensor([3.0], requires_grad=True)
        y = w * x + b
        y.backward()  # one element: no gradient argument needed
        assert (x.grad.tolist(), w.grad.tolist(), b.grad.tolist()) == ([2.0], [1.0], [1.0])
        assert y.tolist() == [5.0] and y.grad_fn.name() == "AddBackward0"
        results.append((x.grad, w.grad, b.grad))
    for m, t in zip(*results):
        assert_close(m, t)


def test_004_variable_with_requires_grad_in_the_wrong_call():
    """004 wrote Variable(torch.Tensor([1], requires_grad=True)); the legacy constructor accepts no such flag
    in torch; minitorch.Tensor takes it, and minitorch.tensor(..., requires_grad=True) is the right spelling."""
    with pytest.raises(TypeError):
        torch.Tensor([1], requires_grad=True)
    x = minitorch.tensor([1.0], requires_grad=True)
    assert x.requires_grad and x.is_leaf


def test_002_non_scalar_backward_raises_and_sum_gives_6_x_plus_2():
    """002: z = (x + 2) * (x + 2) * 3 with x of shape (2, 2); z.backward() needs a gradient (or z.sum())."""
    grads = []
    for lib in LIBS:
        x = lib.ones(2, 2, requires_grad=True)
        y = x + 2
        z = y * y * 3
        with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
            z.backward(retain_graph=True)
        assert x.grad is None
        z.sum().backward()
        expected = 6 * (x.detach() + 2)
        assert x.grad.tolist() == expected.tolist() == [[18.0, 18.0], [18.0, 18.0]]
        grads.append(x.grad)
    assert_close(*grads)


def test_002_backward_with_gradient_argument_equals_sum():
    grads = []
    for lib in LIBS:
        x = lib.tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)
        z = (x + 2) * (x + 2) * 3
        z.backward(lib.ones_like(z))
        grads.append(x.grad)
        np.testing.assert_allclose(x.grad.numpy(), 6 * (np.array([[1.0, -2.0], [0.5, 3.0]]) + 2))
    assert_close(*grads)


def test_002_tensor_creation_and_ops():
    """002 section 3.1: empty, rand, tensor, new_ones(dtype=double), view(-1, ...), indexing, slicing, @, t()."""
    outs = []
    for lib in LIBS:
        assert lib.empty(5, 3).shape == (5, 3)
        r = lib.rand(5, 3)
        assert r.shape == (5, 3) and r.dtype == lib.float32
        x = lib.tensor([5.5, 3.0])
        assert x.dtype == lib.float32
        x = x.new_ones(5, 3, dtype=lib.double)
        with pytest.raises(RuntimeError, match=r"shape '\[-1, 12\]' is invalid for input of size 15"):
            x.view(-1, 12)  # the tutorial's view(-1, 12) of a 5 x 3 tensor cannot work
        x = lib.arange(15, dtype=lib.double).view(-1, 3)
        outs.append((x.view(-1, 5), x[:, 1], x[1:3, :], x + x, x @ x.t()))
    for m, t in zip(*outs):
        assert_close(m, t)


def test_002_two_layer_net_forward_with_clamp():
    """002's TwoLayerNet: relu written as clamp(min=0), trained with F.cross_entropy."""
    rng = np.random.default_rng(0)
    x, w1, w2 = rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal((5, 2))
    target = np.array([0, 1, 1, 0])
    results = []
    for lib in LIBS:
        a, b = lib.tensor(w1, requires_grad=True), lib.tensor(w2, requires_grad=True)
        h = (lib.tensor(x) @ a).clamp(min=0)
        loss = lib.nn.functional.cross_entropy(h @ b, lib.tensor(target))
        loss.backward()
        results.append((loss, a.grad, b.grad))
    for m, t in zip(*results):
        assert_close(m, t)


def test_004_numpy_round_trip():
    """004: torch.from_numpy shares memory with the array and .numpy() gives it back."""
    for lib in LIBS:
        a = np.arange(6, dtype=np.float64).reshape(2, 3)
        t = lib.from_numpy(a)
        a[0, 0] = -1
        assert t[0, 0].item() == -1
        back = t.numpy()
        assert back is a or np.shares_memory(back, a)
