"""Linear (one fused op), Identity, Flatten, Unflatten against torch; gradchecks; errors."""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from minitorch.ops.linear import Linear as LinearOp
from tests.parity import check, check_module, gradchecks
from tests.strategies import float_arrays

rng = np.random.default_rng(0)


@given(lead=st.lists(st.integers(1, 3), min_size=0, max_size=3), n_in=st.integers(1, 5), n_out=st.integers(1, 5),
       bias=st.booleans())
def test_linear_module_matches_torch(lead, n_in, n_out, bias):
    t = torch.nn.Linear(n_in, n_out, bias=bias).double()
    m = minitorch.nn.Linear(n_in, n_out, bias=bias).double()
    check_module(m, t, rng.standard_normal(tuple(lead) + (n_in,)))


@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 3, 4), (2, 1, 3, 4)])
def test_functional_linear_values_and_grads(shape):
    w, b = rng.standard_normal((5, 4)), rng.standard_normal(5)
    check(lambda m, x, w, b: m.nn.functional.linear(x, w, b), rng.standard_normal(shape), w, b)
    check(lambda m, x, w: m.nn.functional.linear(x, w), rng.standard_normal(shape), w)


@pytest.mark.parametrize("bias_shape", [(1,), ()])
def test_broadcast_bias_and_vector_weight_match_torch(bias_shape):
    x = rng.standard_normal((3, 4))
    w, b = rng.standard_normal((2, 4)), rng.standard_normal(bias_shape)
    check(lambda m, x, w, b: m.nn.functional.linear(x, w, b), x, w, b)
    check(lambda m, x, w: m.nn.functional.linear(x, w), x, rng.standard_normal(4))


def test_float32_linear_matches_torch():
    t = torch.nn.Linear(6, 3)
    m = minitorch.nn.Linear(6, 3)
    out, _ = check_module(m, t, rng.standard_normal((4, 6)).astype(np.float32), atol=1e-5, rtol=1e-5)
    assert out.dtype == minitorch.float32


@given(x=float_arrays((2, 3, 4)), w=float_arrays((5, 4)), b=float_arrays((5,)))
def test_fused_op_equals_composed_oracle(x, w, b):
    xs = minitorch.tensor(x, requires_grad=True)
    ws = minitorch.tensor(w, requires_grad=True)
    bs = minitorch.tensor(b, requires_grad=True)
    fused = minitorch.nn.functional.linear(xs, ws, bs)
    assert fused.grad_fn.name() == "LinearBackward0"
    composed = xs @ ws.t() + bs
    np.testing.assert_allclose(fused.detach().numpy(), composed.detach().numpy(), rtol=1e-12, atol=1e-12)
    g = minitorch.tensor(rng.standard_normal(fused.shape))
    fused_grads = minitorch.autograd.grad(fused, (xs, ws, bs), g)
    composed_grads = minitorch.autograd.grad(composed, (xs, ws, bs), g)
    for a, c in zip(fused_grads, composed_grads):
        np.testing.assert_allclose(a.numpy(), c.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 2, 3)])
def test_linear_gradcheck(shape):
    gradchecks(lambda m, x, w, b: m.nn.functional.linear(x, w, b), rng.standard_normal(shape),
               rng.standard_normal((2, 3)), rng.standard_normal(2))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(300, 3), (20, 14, 3), (255, 3), (300, 5)])
def test_bias_folded_into_the_product_matches_torch(shape, dtype):
    """Many rows of a narrow input (here 3 or 5 -> 12 features) take the bias inside the GEMM, forward and
    backward (ops/linear.py: _folds_bias); 255 rows and 5 -> 12 features take the plain path, for contrast."""
    from minitorch.ops.linear import _folds_bias

    x, w, b = rng.standard_normal(shape).astype(dtype), rng.standard_normal((12, shape[-1])).astype(dtype), \
        rng.standard_normal(12).astype(dtype)
    folded = _folds_bias(x.reshape(-1, shape[-1]), w, b.shape)
    assert folded == (shape[-1] == 3 and x.size // 3 >= 256)
    tol = dict(atol=1e-12, rtol=1e-12) if dtype == np.float64 else dict(atol=1e-5, rtol=1e-5)
    check(lambda m, x, w, b: m.nn.functional.linear(x, w, b), x, w, b, **tol)
    if dtype == np.float64 and shape == (300, 3):  # 256 rows, 1 -> 4 features: still folded, and a small Jacobian
        gradchecks(lambda m, x, w, b: m.nn.functional.linear(x, w, b), x[:256, :1], w[:4, :1], b[:4])


def test_only_requested_gradients_are_computed():
    x = minitorch.randn(3, 4, dtype=minitorch.float64)
    w = minitorch.randn(2, 4, dtype=minitorch.float64, requires_grad=True)
    out = LinearOp.apply(x, w, None)
    out.sum().backward()
    assert w.grad.shape == (2, 4) and x.grad is None


def test_default_init_follows_torch_bounds():
    m = minitorch.nn.Linear(400, 300)
    bound = 1 / np.sqrt(400)
    w, b = m.weight.detach().numpy(), m.bias.detach().numpy()
    assert w.shape == (300, 400) and b.shape == (300,)
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > 0.99 * bound
    assert abs(w.std() - bound / np.sqrt(3)) < 0.01 * bound


def test_linear_dtype_and_options():
    m = minitorch.nn.Linear(2, 3, bias=False, dtype=minitorch.float64)
    assert m.bias is None and m.weight.dtype == minitorch.float64
    assert [n for n, _ in m.named_parameters()] == ["weight"]
    assert repr(m) == repr(torch.nn.Linear(2, 3, bias=False))


def test_linear_errors_name_layer_and_shapes():
    m = minitorch.nn.Linear(4, 3)
    with pytest.raises(RuntimeError, match=r"Linear\(in_features=4, out_features=3, bias=True\).*\[2, 5\]"):
        m(minitorch.randn(2, 5))
    F = minitorch.nn.functional
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(10x3 and 5x4\)"):
        F.linear(minitorch.randn(2, 5, 3), minitorch.randn(4, 5))
    with pytest.raises(RuntimeError, match="at least 1D"):
        F.linear(minitorch.tensor(1.0), minitorch.randn(4, 3))
    with pytest.raises(RuntimeError, match="same dtype"):
        F.linear(minitorch.randn(2, 3), minitorch.randn(4, 3, dtype=minitorch.float64))
    with pytest.raises(RuntimeError, match="bias"):
        F.linear(minitorch.randn(2, 3), minitorch.randn(4, 3), minitorch.randn(5))
    with pytest.raises(RuntimeError, match="weight must be a matrix"):
        F.linear(minitorch.randn(2, 3), minitorch.randn(2, 4, 3))


def test_identity_returns_input():
    m = minitorch.nn.Identity(54, unused="x")
    x = minitorch.randn(2)
    assert m(x) is x and repr(m) == repr(torch.nn.Identity())


@pytest.mark.parametrize("start,end", [(1, -1), (0, -1), (1, 2), (-2, -1)])
def test_flatten_matches_torch(start, end):
    check_module(minitorch.nn.Flatten(start, end), torch.nn.Flatten(start, end), rng.standard_normal((2, 3, 4, 2)))
    assert repr(minitorch.nn.Flatten(start, end)) == repr(torch.nn.Flatten(start, end))


@pytest.mark.parametrize("dim,sizes", [(1, (2, 6)), (-1, [3, -1]), (0, (1, 2))])
def test_unflatten_matches_torch(dim, sizes):
    x = rng.standard_normal((2, 12))
    check_module(minitorch.nn.Unflatten(dim, sizes), torch.nn.Unflatten(dim, sizes), x)
    assert repr(minitorch.nn.Unflatten(dim, sizes)) == repr(torch.nn.Unflatten(dim, sizes))


def test_unflatten_validates_sizes_like_torch():
    for bad in [3, (2, 1.5)]:
        with pytest.raises(TypeError) as mt_err:
            minitorch.nn.Unflatten(1, bad)
        with pytest.raises(TypeError) as th_err:
            torch.nn.Unflatten(1, bad)
        assert str(mt_err.value) == str(th_err.value)
