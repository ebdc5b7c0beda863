"""The activations of ``nn.functional`` beyond the core (selu, celu, glu, prelu, rrelu, hardswish, hardsigmoid,
logsigmoid, mish, softsign, tanhshrink, threshold, the shrinks, softmin) and the op_db checks of the existing
ones, against torch: values, dtypes, gradients (random upstream), gradchecks, modules and errors.

``opdb_check`` is the shared driver of the ``*_extra`` test files: it runs an OpInfo's sample inputs through
torch and minitorch and compares outputs and gradients.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch
from torch.testing._internal.common_methods_invocations import op_db

import minitorch
from tests.parity import TORCH_DTYPES, assert_close, check, check_module, gradchecks

RNG = np.random.default_rng(0)
_MT_DTYPES = {v: k for k, v in TORCH_DTYPES.items()}


def _to_mt(x: Any) -> Any:
    if isinstance(x, torch.Tensor):
        return minitorch.tensor(x.detach().numpy().copy(), requires_grad=x.requires_grad)
    if isinstance(x, torch.nn.PairwiseDistance):
        return minitorch.nn.PairwiseDistance(x.norm, x.eps, x.keepdim)
    if isinstance(x, torch.nn.CosineSimilarity):
        return minitorch.nn.CosineSimilarity(x.dim, x.eps)
    if isinstance(x, torch.dtype):
        return getattr(minitorch, _MT_DTYPES[x])
    if isinstance(x, (list, tuple)):
        return type(x)(_to_mt(v) for v in x)
    if isinstance(x, dict):
        return {k: _to_mt(v) for k, v in x.items()}
    return x


def _flat(x: Any) -> list:
    if isinstance(x, (list, tuple)):
        return [v for e in x for v in _flat(e)]
    if isinstance(x, dict):
        return [v for e in x.values() for v in _flat(e)]
    return [x]


def _mt_function(name: str) -> Callable:
    obj: Any = minitorch
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def opinfo(name: str, variant: str = "") -> Any:
    """The OpInfo of torch's op_db with this name and variant."""
    return next(o for o in op_db if o.name == name and o.variant_test_name == variant)


def opdb_check(name: str, variant: str = "", mt_fn: Callable | None = None, torch_fn: Callable | None = None,
               dtype: torch.dtype = torch.float64, limit: int = 12, grad: bool = True, reference: bool = False,
               atol: float = 1e-7, rtol: float = 1e-6, skip: Callable | None = None) -> int:
    """Run up to ``limit`` sample (or reference) inputs of an OpInfo through torch and minitorch; compare every
    output and the gradients of every input that requires grad under one random upstream gradient."""
    op = opinfo(name, variant)
    mt_fn = mt_fn or _mt_function(name)
    torch_fn = torch_fn or op.op
    gen = op.reference_inputs if reference else op.sample_inputs
    rng = np.random.default_rng(1)
    done = 0
    for sample in gen("cpu", dtype, requires_grad=grad and dtype.is_floating_point):
        if done >= limit:
            break
        if skip is not None and skip(sample):
            continue
        args = (sample.input,) + tuple(sample.args)
        margs, mkw = _to_mt(args), _to_mt(sample.kwargs)
        try:
            out_t = torch_fn(*args, **sample.kwargs)
        except Exception as e:  # torch refuses the sample: minitorch must refuse it alike
            with pytest.raises(type(e)):
                mt_fn(*margs, **mkw)
            done += 1
            continue
        out_m = mt_fn(*margs, **mkw)
        ft, fm = _flat(out_t), _flat(out_m)
        assert len(ft) == len(fm), f"{name} {sample}: {len(fm)} outputs != {len(ft)}"
        for i, (m, t) in enumerate(zip(fm, ft)):
            assert_close(m, t, atol, rtol, what=f"{name} output {i} of {sample}")
        done += 1
        if not grad:
            continue
        pairs = [(m, t) for m, t in zip(fm, ft) if isinstance(t, torch.Tensor) and t.requires_grad]
        leaves = [(m, t) for m, t in zip(_flat(margs) + _flat(mkw), _flat(args) + _flat(sample.kwargs))
                  if isinstance(t, torch.Tensor) and t.requires_grad]
        if not pairs or not leaves:
            continue
        ups = [rng.standard_normal(tuple(t.shape)) for _, t in pairs]
        g_t = torch.autograd.grad([t for _, t in pairs], [t for _, t in leaves],
                                  [torch.tensor(u, dtype=t.dtype) for u, (_, t) in zip(ups, pairs)], allow_unused=True)
        g_m = minitorch.autograd.grad([m for m, _ in pairs], [m for m, _ in leaves],
                                      [minitorch.tensor(u, dtype=m.dtype) for u, (m, _) in zip(ups, pairs)],
                                      allow_unused=True)
        for i, (gm, gt, (m, t)) in enumerate(zip(g_m, g_t, leaves)):
            if gt is None and t._base is not None:  # a strided view torch's graph does not reach (op_db's)
                continue
            gm = np.zeros(m.shape) if gm is None else gm
            gt = np.zeros(tuple(m.shape)) if gt is None else gt
            assert_close(gm, gt, atol, rtol, what=f"{name} gradient of input {i} of {sample}")
    assert done, f"no sample of {name} was run"
    return done


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
               skip=lambda s: s.kwargs.get("training"))


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


def opdb_error_check(name: str) -> int:
    """Every error input of an OpInfo: minitorch raises torch's exception type with a message matching op_db's."""
    import re
    import warnings
    op = opinfo(name)
    if op.error_inputs_func is None:
        return 0
    fn = _mt_function(name)
    n = 0
    for ei in op.error_inputs("cpu"):
        s = ei.sample_input
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(ei.error_type) as info:
                fn(*_to_mt((s.input,) + tuple(s.args)), **_to_mt(s.kwargs))
        assert re.search(ei.error_regex, str(info.value)), f"{name}: {info.value!r} !~ {ei.error_regex!r}"
        n += 1
    return n


@pytest.mark.parametrize("name", ["nn.functional.prelu", "nn.functional.rrelu", "nn.functional.softshrink",
                                  "nn.functional.hardshrink", "nn.functional.gelu"])
def test_activation_opdb_error_inputs(name):
    opdb_error_check(name)


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
