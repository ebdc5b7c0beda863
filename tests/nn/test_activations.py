"""Activation layers and functions against torch (values, grads, in-place), gradchecks, reprs, errors."""
import math

import numpy as np
import pytest
import torch
from hypothesis import given

import minitorch
from minitorch.ops.activation import gelu_composed
from minitorch.ops.special import erf
from tests.parity import assert_close, check, check_module, gradchecks
from tests.strategies import float_arrays

rng = np.random.default_rng(0)


def away_from(x, kinks, margin=1e-3):
    """``x`` with entries closer than ``margin`` to a kink pushed off it."""
    x = np.array(x)
    for k in kinks:
        near = np.abs(x - k) < margin
        x[near] = k + np.where(x[near] >= k, margin, -margin)
    return x


# (module constructor args, functional call, kinks of the function)
CASES = {
    "ReLU": ((), lambda F, x: F.relu(x), [0]),
    "LeakyReLU": ((0.2,), lambda F, x: F.leaky_relu(x, 0.2), [0]),
    "ELU": ((0.7,), lambda F, x: F.elu(x, 0.7), [0]),
    "GELU": ((), lambda F, x: F.gelu(x), []),
    "GELU-tanh": (("tanh",), lambda F, x: F.gelu(x, approximate="tanh"), []),
    "SiLU": ((), lambda F, x: F.silu(x), []),
    "Sigmoid": ((), lambda F, x: F.sigmoid(x), []),
    "Tanh": ((), lambda F, x: F.tanh(x), []),
    "Softplus": ((2.0, 3.0), lambda F, x: F.softplus(x, 2.0, 3.0), [1.5]),
    "Hardtanh": ((-0.5, 1.5), lambda F, x: F.hardtanh(x, -0.5, 1.5), [-0.5, 1.5]),
    "ReLU6": ((), lambda F, x: F.relu6(x), [0, 6]),
    "Softmax": ((1,), lambda F, x: F.softmax(x, 1), []),
    "LogSoftmax": ((-1,), lambda F, x: F.log_softmax(x, -1), []),
}


def module(lib, name):
    args = CASES[name][0]
    return getattr(lib.nn, name.split("-")[0])(*args)


@pytest.mark.parametrize("name", CASES)
@given(x=float_arrays((3, 4), lo=-8, hi=8))
def test_activation_matches_torch(name, x):
    fn, kinks = CASES[name][1], CASES[name][2]
    x = away_from(x, kinks)
    check(lambda m, x: fn(m.nn.functional, x), x)
    check_module(module(minitorch, name), module(torch, name), x)


@pytest.mark.parametrize("name", CASES)
def test_activation_gradchecks(name):
    fn, kinks = CASES[name][1], CASES[name][2]
    x = away_from(rng.uniform(-4, 7, (2, 5)), kinks, 0.05)
    gradchecks(lambda m, x: fn(m.nn.functional, x), x)


@pytest.mark.parametrize("name", CASES)
def test_activation_float32(name):
    fn, kinks = CASES[name][1], CASES[name][2]
    x = away_from(rng.uniform(-4, 7, (3, 5)), kinks).astype(np.float32)
    check(lambda m, x: fn(m.nn.functional, x), x, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("name", CASES)
def test_activation_repr_matches_torch(name):
    assert repr(module(minitorch, name)) == repr(module(torch, name))


INPLACE = {
    "relu": lambda F, x: F.relu(x, inplace=True),
    "leaky_relu": lambda F, x: F.leaky_relu(x, 0.1, inplace=True),
    "elu": lambda F, x: F.elu(x, 1.3, inplace=True),
    "silu": lambda F, x: F.silu(x, inplace=True),
    "hardtanh": lambda F, x: F.hardtanh(x, -1.0, 0.5, inplace=True),
    "relu6": lambda F, x: F.relu6(x, inplace=True),
}


@pytest.mark.parametrize("name", INPLACE)
def test_inplace_on_non_leaf_matches_torch(name):
    fn = INPLACE[name]
    x = away_from(rng.uniform(-3, 8, (4, 3)), [-1, 0, 0.5, 6])

    def run(lib, x):
        y = x * 1.5
        out = fn(lib.nn.functional, y)
        assert out is y
        return out

    check(run, x)


@pytest.mark.parametrize("name", INPLACE)
def test_inplace_modifies_storage_without_grad(name):
    x = minitorch.tensor(away_from(rng.uniform(-3, 8, 6), [0, 6]))
    expected = INPLACE[name](torch.nn.functional, torch.tensor(x.numpy().copy())).numpy()
    out = INPLACE[name](minitorch.nn.functional, x)
    assert out is x and x._version == 1
    np.testing.assert_allclose(x.numpy(), expected, rtol=1e-12)


@pytest.mark.parametrize("cls,kwargs", [("ReLU", {}), ("LeakyReLU", {"negative_slope": 0.3}), ("ELU", {"alpha": 2.0}),
                                        ("SiLU", {}), ("Hardtanh", {}), ("ReLU6", {})])
def test_inplace_modules_match_torch(cls, kwargs):
    def run(lib, x):
        mod = getattr(lib.nn, cls)(inplace=True, **kwargs)
        return mod(x * 1.0)

    check(run, away_from(rng.uniform(-3, 8, (2, 5)), [-1, 0, 1, 6]))
    mt_mod, th_mod = getattr(minitorch.nn, cls)(inplace=True, **kwargs), getattr(torch.nn, cls)(inplace=True, **kwargs)
    assert repr(mt_mod) == repr(th_mod)


def test_inplace_on_leaf_requiring_grad_raises():
    x = minitorch.randn(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        minitorch.nn.functional.elu(x, inplace=True)


@given(x=float_arrays((5,), lo=-6, hi=6))
def test_fused_gelu_equals_composed_oracle(x):
    for approximate in ("none", "tanh"):
        xa = minitorch.tensor(x, requires_grad=True)
        xb = minitorch.tensor(x, requires_grad=True)
        fused = minitorch.nn.functional.gelu(xa, approximate=approximate)
        composed = gelu_composed(xb, approximate)
        np.testing.assert_allclose(fused.detach().numpy(), composed.detach().numpy(), rtol=1e-12, atol=1e-14)
        (ga,) = minitorch.autograd.grad(fused.sum(), xa, create_graph=True)
        (gb,) = minitorch.autograd.grad(composed.sum(), xb, create_graph=True)
        np.testing.assert_allclose(ga.detach().numpy(), gb.detach().numpy(), rtol=1e-10, atol=1e-12)
        (gga,) = minitorch.autograd.grad(ga.sum(), xa)
        (ggb,) = minitorch.autograd.grad(gb.sum(), xb)
        np.testing.assert_allclose(gga.numpy(), ggb.numpy(), rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("name", ["GELU", "GELU-tanh", "SiLU", "ELU", "Softplus"])
def test_second_derivative_matches_torch(name):
    fn = CASES[name][1]
    x = away_from(rng.uniform(-3, 3, 7), CASES[name][2], 0.05)

    def second(lib, x):
        (g,) = lib.autograd.grad(fn(lib.nn.functional, x).sum(), x, create_graph=True)
        return g

    check(second, x)


def test_erf_matches_math_erf():
    x = np.concatenate([np.linspace(-7, 7, 2001), [0.0, 1e-300, 0.46875, 4.0, 26.6, np.inf, -np.inf]])
    expected = np.array([math.erf(v) for v in x])
    np.testing.assert_allclose(erf(x), expected, rtol=1e-15, atol=1e-300)
    assert np.isnan(erf(np.array([np.nan])))[0]
    assert erf(np.float32([0.5])).dtype == np.float32


def test_softplus_extremes_are_finite():
    x = np.array([-800.0, -30.0, 30.0, 800.0])
    check(lambda m, x: m.nn.functional.softplus(x), x)
    check(lambda m, x: m.nn.functional.softplus(x, beta=0.5, threshold=5), x)


def test_sigmoid_tanh_modules_on_large_inputs():
    x = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    check_module(minitorch.nn.Sigmoid(), torch.nn.Sigmoid(), x)
    check_module(minitorch.nn.Tanh(), torch.nn.Tanh(), x)


def test_softmax_module_without_dim_warns_like_torch():
    x = rng.standard_normal((2, 3))
    with pytest.warns(UserWarning, match="Implicit dimension"):
        out = minitorch.nn.Softmax()(minitorch.tensor(x))
    with pytest.warns(UserWarning):
        expected = torch.nn.Softmax()(torch.tensor(x))
    assert_close(out, expected)


def test_activation_argument_errors():
    F = minitorch.nn.functional
    with pytest.raises(RuntimeError, match="approximate argument must be either none or tanh"):
        F.gelu(minitorch.randn(2), approximate="fast")
    with pytest.raises(ValueError, match="min_val cannot be greater than max_val"):
        F.hardtanh(minitorch.randn(2), 1.0, -1.0)
    with pytest.raises(ValueError, match="max_val"):
        minitorch.nn.Hardtanh(2.0, 1.0)
    with pytest.warns(FutureWarning, match="min_value"):
        m = minitorch.nn.Hardtanh(min_value=-2.0)
    assert m.min_val == -2.0
