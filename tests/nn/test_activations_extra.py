"""The activations of ``nn.functional`` beyond the core (selu, celu, glu, prelu, rrelu, hardswish, hardsigmoid,
logsigmoid, mish, softsign, tanhshrink, threshold, the shrinks, softmin) and the op_db checks of the existing
ones, against torch: values, dtypes, gradients (random upstream), gradchecks, modules and errors.

``opdb_check`` is the ``*_extra`` test files' call of tests/opinfo.py's ``check_samples`` (an OpInfo's sample
inputs through torch and minitorch, outputs and gradients compared); op_db's error inputs of these ops run in
tests/ops/test_opinfo_error_inputs.py.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pytest
import torch

import minitorch
from tests import opinfo
from tests.parity import check, check_module, gradchecks

RNG = np.random.default_rng(0)


def opdb_check(name: str, variant: str = "", mt_fn: Callable | None = None, torch_fn: Callable | None = None,
               dtype: torch.dtype = torch.float64, limit: int = 12, grad: bool = True, reference: bool = False,
               atol: float | None = None, rtol: float | None = None, skip: Callable | None = None,
               deterministic: bool | None = None) -> int:
    """tests/opinfo.py's ``check_samples`` in one dtype, in the form the ``*_extra`` test files call it
    (torch.testing's tolerances unless ``atol``/``rtol``); at least one sample must run."""
    done = opinfo.check_samples(name, variant, mt_fn, dtypes=(dtype,), limit=limit, reference=reference, grad=grad,
                                torch_fn=torch_fn, skip=skip, rtol=rtol, atol=atol, deterministic=deterministic)
    assert done, f"no sample of {name} was run"
    return done


def opdb_error_check(name: str) -> int:
    """tests/opinfo.py's ``check_error_inputs`` of an OpInfo (the form the ``*_extra`` test files call)."""
    return opinfo.check_error_inputs(name)


ACTIVATIONS = ["nn.functional.selu", "nn.functional.celu", "nn.functional.glu", "nn.functional.prelu",
               "nn.functional.hardswish", "nn.functional.hardsigmoid", "nn.functional.logsigmoid", "nn.functional.mish",
               "nn.functional.softsign", "nn.functional.tanhshrink", "nn.functional.threshold",
               "nn.functional.softshrink", "nn.functional.hardshrink", "nn.functional.softmin",
               "nn.functional.relu6", "nn.functional.silu", "nn.functional.gelu", "nn.functional.elu",
               "nn.functional.leaky_relu", "nn.functional.hardtanh", "nn.functional.relu", "nn.functional.softplus",
               "softmax", "log_softmax"]


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_opdb_float64(name):
    opdb_check(name, limit=6)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_opdb_float32(name):
    opdb_check(name, dtype=torch.float32, limit=4, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("name", ["nn.functional.softmin", "softmax", "log_softmax"])
def test_softmax_family_with_dtype(name):
    opdb_check(name, "with_dtype", limit=6)


def test_rrelu_eval_is_leaky_relu_with_the_mean_slope():
    opdb_check("nn.functional.rrelu", mt_fn=lambda x, *a, **k: minitorch.nn.functional.rrelu(x, *a, **k),
               torch_fn=lambda x, *a, **k: torch.nn.functional.rrelu(x, *a, **k), limit=6,
               skip=lambda s: s.kwargs.get("training"), deterministic=True)


def test_rrelu_training_slopes_lie_between_lower_and_upper():
    x = minitorch.tensor(-RNG.uniform(0.5, 2, (2000,)), requires_grad=True)
    y = minitorch.nn.functional.rrelu(x, 0.1, 0.3, training=True)
    slopes = y.detach().numpy() / x.detach().numpy()
    assert 0.1 <= slopes.min() and slopes.max() <= 0.3 and slopes.std() > 0.03
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), slopes)
    pos = minitorch.tensor(RNG.uniform(0.5, 2, (10,)))
    np.testing.assert_array_equal(minitorch.nn.functional.rrelu(pos, training=True).numpy(), pos.numpy())


X = RNG.standard_normal((3, 4, 5)) * 3
X[0, 0, :3] = [-3.0, 3.0, 0.0]  # the kinks of hardswish and hardsigmoid


@pytest.mark.parametrize("fn", [
    lambda F, x: F.selu(x), lambda F, x: F.celu(x, 0.7), lambda F, x: F.glu(x, 1), lambda F, x: F.hardswish(x),
    lambda F, x: F.hardsigmoid(x), lambda F, x: F.logsigmoid(x), lambda F, x: F.mish(x),
    lambda F, x: F.softsign(x), lambda F, x: F.tanhshrink(x), lambda F, x: F.threshold(x, 0.3, -2.0),
    lambda F, x: F.softshrink(x, 0.7), lambda F, x: F.hardshrink(x, 0.7), lambda F, x: F.softmin(x, -1),
    lambda F, x: F.rrelu(x), lambda F, x: F.relu6(x),
])
def test_activation_values_grads_and_gradchecks(fn):
    check(lambda m, x: fn(m.nn.functional, x), X)
    check(lambda m, x: fn(m.nn.functional, x), X.astype(np.float32), atol=1e-5, rtol=1e-5)
    gradchecks(lambda m, x: fn(m.nn.functional, x), X[1, :2, :4] + 0.05)


@pytest.mark.parametrize("name,args", [
    ("selu_", ()), ("celu_", (0.5,)), ("elu_", (0.5,)), ("leaky_relu_", (0.2,)), ("hardtanh_", (-0.5, 0.5)),
    ("relu_", ()), ("threshold_", (0.1, 2.0)), ("rrelu_", ()),
])
def test_functional_inplace_variants(name, args):
    def run(m, x):
        y = x * 1
        out = getattr(m.nn.functional, name)(y, *args)
        assert out is y
        return y
    check(run, X)


@pytest.mark.parametrize("name,kw", [
    ("selu", {}), ("celu", {"alpha": 2.0}), ("hardswish", {}), ("hardsigmoid", {}), ("mish", {}),
    ("threshold", {"threshold": 0.5, "value": 1.0}),
])
def test_inplace_keyword(name, kw):
    check(lambda m, x: getattr(m.nn.functional, name)(x * 1, inplace=True, **kw), X)


def test_threshold_on_integers_keeps_the_dtype():
    a = RNG.integers(-5, 5, (4, 5))
    check(lambda m, x: m.nn.functional.threshold(x, 1, 7), a, grad=False)


MODULES = [
    ("Softmin", (1,)), ("Softmax2d", ()), ("SELU", ()), ("CELU", (0.5,)), ("GLU", (1,)), ("PReLU", ()),
    ("RReLU", (0.1, 0.2)), ("Hardswish", ()), ("Hardsigmoid", ()), ("Mish", ()), ("LogSigmoid", ()), ("Softsign", ()),
    ("Tanhshrink", ()), ("Threshold", (0.1, 20.0)), ("Softshrink", (0.3,)), ("Hardshrink", (0.3,)),
]


@pytest.mark.parametrize("name,args", MODULES)
def test_activation_modules_match_torch(name, args):
    mt_mod, th_mod = getattr(minitorch.nn, name)(*args), getattr(torch.nn, name)(*args)
    mt_mod.eval()
    th_mod.eval()
    assert repr(mt_mod) == repr(th_mod)
    check_module(mt_mod, th_mod, RNG.standard_normal((2, 4, 3, 3)).astype(np.float32), atol=1e-6, rtol=1e-5)


def test_prelu_per_channel_weights_and_state_dict():
    th = torch.nn.PReLU(4, init=0.1)
    with torch.no_grad():
        th.weight.copy_(torch.tensor(RNG.uniform(0, 1, 4)))
    mt = minitorch.nn.PReLU(4, init=0.1)
    assert list(mt.state_dict()) == list(th.state_dict()) == ["weight"]
    th = th.double()
    mt = mt.double()
    check_module(mt, th, RNG.standard_normal((3, 4, 5)))
    gradchecks(lambda m, x, w: m.nn.functional.prelu(x, w), RNG.standard_normal((2, 3, 2)), RNG.uniform(0, 1, 3))


@pytest.mark.parametrize("call,exc,match", [
    (lambda F, m: F.glu(m.randn(3, 5)), RuntimeError, "Halving dimension must be even"),
    (lambda F, m: F.glu(m.tensor(1.0)), RuntimeError, "glu does not support scalars"),
    (lambda F, m: F.softshrink(m.randn(3), -1.0), RuntimeError, r"lambda must be in range \[0, 3.40282e\+38\] for input dtype Float, but found -1"),
    (lambda F, m: F.prelu(m.randn(2, 3), m.ones(2)), RuntimeError, "Mismatch of parameter numbers"),
    (lambda F, m: F.prelu(m.randn(2, 3), m.ones(3, 1)), RuntimeError, "Expected `weight` to be a scalar or 1D"),
    (lambda F, m: F.hardswish(m.ones(3, dtype=m.int64)), NotImplementedError, "not implemented for 'Long'"),
    (lambda F, m: F.mish(m.ones(3, dtype=m.int64)), NotImplementedError, "not implemented for 'Long'"),
])
def test_activation_errors_like_torch(call, exc, match):
    for lib in (torch, minitorch):
        with pytest.raises(exc, match=match):
            call(lib.nn.functional, lib)


def test_tensor_methods_and_top_level_function_forms():
    x, w = RNG.standard_normal((2, 3, 4)), RNG.uniform(0, 1, 3)
    check(lambda m, a, b: (a.prelu(b), a.hardshrink(0.3), m.prelu(a, b), m.hardshrink(a)), x, w)
    check(lambda m, a: (m.selu(a), m.celu(a, 0.5), m.rrelu(a), m.threshold(a, 0.1, 3.0)), x)
    check(lambda m, a: (m.selu_(a * 1), m.celu_(a * 1), m.threshold_(a * 1, 0.1, 3.0)), x)
    check(lambda m, a, b: (m.pdist(a[0], 1.5), m.cosine_similarity(a, b, 1), m.pairwise_distance(a, b),
                           m.rms_norm(a, (4,))), x, x[::-1].copy())
    check(lambda m, a, b, c: m.bilinear(a, b, c), x[0], x[1], RNG.standard_normal((2, 4, 4)))


@pytest.mark.parametrize("fn", [lambda F, x: F.threshold(x, 0.1, -9.0), lambda F, x: F.softshrink(x, 0.5),
                                lambda F, x: F.hardshrink(x, 0.5)])
def test_nan_and_inf_pass_through_like_torch(fn):
    check(lambda m, x: fn(m.nn.functional, x), np.array([np.inf, -np.inf, np.nan, 0.0, 0.5, -0.5, 3.0]))


@pytest.mark.parametrize("name", ["elu", "celu", "selu"])
def test_elu_family_gradient_at_nan_and_inf(name):
    # torch's vectorised elu_backward (every full block of 16 values, so 32 here) gives NaN at NaN; its scalar
    # tail loop would give 1, a kernel artifact minitorch does not copy.
    values = np.tile([np.inf, -np.inf, np.nan, -1.0, 2.0, 0.0, -0.0, 0.5], 4)
    check(lambda m, x: getattr(m.nn.functional, name)(x), values)


@pytest.mark.parametrize("slope", [0.0, 1e-30, 0.01, 0.2, 1.0, 1.5, -0.3])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_leaky_relu_special_values_and_signed_zeros_match_torch_bit_for_bit(slope, dtype):
    # minitorch computes max(x, slope * x) for 0 < slope <= 1 (np.where elsewhere): NaN, +-inf and -0.0 must
    # come out exactly as torch's branch does, at every slope.
    x = np.array([np.nan, -0.0, 0.0, -3.0, 2.0, np.inf, -np.inf, 1e-45, -1e-45], dtype)
    out, expected = check(lambda m, x: m.nn.functional.leaky_relu(x, slope), x)
    np.testing.assert_array_equal(np.signbit(out.detach().numpy()), np.signbit(expected.detach().numpy()))
