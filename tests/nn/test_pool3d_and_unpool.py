"""3-D pools (max, average, adaptive, power-average), adaptive max pools with indices, max_unpool1d/2d/3d and
their nn modules against torch (op_db samples, errors), with gradcheck / gradgradcheck."""
import numpy as np
import pytest
import torch

import minitorch
from tests.nn.test_conv3d_and_transpose import error_cases, opdb_cases, run_error, run_opdb, same_error
from tests.parity import check, check_module, gradchecks

rng = np.random.default_rng(0)

POOLS = [("max_pool3d", ""), ("avg_pool3d", ""), ("adaptive_avg_pool3d", ""), ("adaptive_max_pool3d", ""),
         ("adaptive_max_pool1d", ""), ("adaptive_max_pool2d", ""), ("max_unpool1d", ""), ("max_unpool1d", "grad"),
         ("max_unpool2d", ""), ("max_unpool2d", "grad"), ("max_unpool3d", ""), ("max_unpool3d", "grad")]


@pytest.mark.parametrize("name,variant", POOLS)
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_pool_opdb_samples_match_torch(name, variant, dtype):
    cases = opdb_cases(f"nn.functional.{name}", variant, dtype, limit=8 if dtype == torch.float64 else 3)
    assert cases
    for case in cases:
        run_opdb(name, case, dtype)


ERRORS = [(n, e) for n in ("max_pool3d", "avg_pool3d", "adaptive_avg_pool3d", "adaptive_max_pool3d",
                           "max_unpool1d", "max_unpool2d", "max_unpool3d")
          for e in error_cases(f"nn.functional.{n}")]


@pytest.mark.parametrize("name,e", ERRORS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(ERRORS)])
def test_pool_opdb_errors(name, e):
    run_error(name, e)


@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=(3, 2, 2), stride=(2, 1, 3), padding=(1, 0, 1),
                                                          ceil_mode=True),
                                dict(kernel_size=2, stride=1, dilation=(2, 1, 1), return_indices=True)])
def test_max_pool3d_hand_cases_match_torch(kw):
    x = rng.standard_normal((2, 3, 5, 4, 6))
    x[0, 0, 1, 1, 1] = x[0, 0, 1, 1, 2]  # a tie
    check(lambda lib, x: lib.nn.functional.max_pool3d(x, **kw), x)
    check(lambda lib, x: lib.nn.functional.max_pool3d(x, **kw), x[0])


@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True,
                                                          count_include_pad=False),
                                dict(kernel_size=(2, 3, 1), padding=(1, 1, 0), divisor_override=5)])
def test_avg_pool3d_hand_cases_match_torch(kw):
    check(lambda lib, x: lib.nn.functional.avg_pool3d(x, **kw), rng.standard_normal((2, 3, 5, 4, 6)))


@pytest.mark.parametrize("p", [1.0, 2.0, 3.5])
def test_lp_pool3d_matches_torch(p):
    x = np.abs(rng.standard_normal((2, 3, 4, 5, 4))) + 0.1
    check(lambda lib, x: lib.nn.functional.lp_pool3d(x, p, (2, 2, 1), stride=(1, 2, 1), ceil_mode=True), x)


def test_adaptive_pools3d_hand_cases_match_torch():
    x = rng.standard_normal((2, 3, 5, 7, 6))
    check(lambda lib, x: lib.nn.functional.adaptive_avg_pool3d(x, (3, None, 4)), x)
    check(lambda lib, x: lib.nn.functional.adaptive_max_pool3d(x, (2, 3, 4), return_indices=True), x)
    check(lambda lib, x: lib.nn.functional.adaptive_max_pool3d(x, 2, return_indices=True), x[0])


def test_max_unpool_inverts_max_pool_like_torch():
    x = rng.standard_normal((2, 3, 4, 6, 5))
    for nd in (1, 2, 3):
        xs = x[(slice(None), slice(None)) + (0,) * (3 - nd)]

        def fn(lib, x, nd=nd):
            F = lib.nn.functional
            out, idx = getattr(F, f"max_pool{nd}d")(x, 2, stride=2, padding=1, return_indices=True)
            return getattr(F, f"max_unpool{nd}d")(out, idx, 2, stride=2, padding=1, output_size=xs.shape[2:])
        check(fn, xs)


def test_pool3d_and_unpool_gradchecks():
    x = rng.standard_normal((1, 1, 3, 3, 2))
    gradchecks(lambda lib, x: lib.nn.functional.max_pool3d(x, 2, stride=1, padding=1), x)
    gradchecks(lambda lib, x: lib.nn.functional.avg_pool3d(x, 2, stride=1, padding=1, count_include_pad=False), x)
    gradchecks(lambda lib, x: lib.nn.functional.adaptive_max_pool3d(x, (2, 2, 2)), x)
    gradchecks(lambda lib, x: lib.nn.functional.adaptive_avg_pool3d(x, (2, 2, 1)), x)
    idx = np.array([[[0, 3], [5, 6]]], np.int64)
    gradchecks(lambda lib, x, i: lib.nn.functional.max_unpool1d(x, i, 4), rng.standard_normal((1, 2, 2)), idx)


@pytest.mark.parametrize("name,args,kw,shape", [
    ("MaxPool3d", (2,), dict(stride=1, padding=1, ceil_mode=True), (2, 3, 3, 4, 5)),
    ("AvgPool3d", ((2, 1, 2),), dict(count_include_pad=False, padding=(1, 0, 0)), (2, 3, 3, 4, 5)),
    ("AdaptiveAvgPool3d", ((2, None, 3),), {}, (2, 3, 3, 4, 5)),
    ("AdaptiveMaxPool3d", (2,), dict(return_indices=True), (3, 3, 4, 5)),
    ("LPPool3d", (2, 2), {}, (2, 3, 4, 4, 4)),
])
def test_pool3d_modules_match_torch(name, args, kw, shape):
    m, t = getattr(minitorch.nn, name)(*args, **kw), getattr(torch.nn, name)(*args, **kw)
    assert repr(m) == repr(t)
    x = rng.standard_normal(shape)
    check_module(m, t, np.abs(x) + 0.1 if name == "LPPool3d" else x)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_max_unpool_modules_match_torch(nd):
    m, t = getattr(minitorch.nn, f"MaxUnpool{nd}d")(2), getattr(torch.nn, f"MaxUnpool{nd}d")(2)
    assert repr(m) == repr(t)
    x = rng.standard_normal((2, 3) + (4,) * nd)
    _, idx = getattr(torch.nn.functional, f"max_pool{nd}d")(torch.tensor(x), 2, return_indices=True)
    pooled = getattr(torch.nn.functional, f"max_pool{nd}d")(torch.tensor(x), 2).numpy()
    check_module(m, t, pooled, idx.numpy(), forward=lambda mod, a, i: mod(a, i, output_size=(5,) * nd))


def test_unpool_and_pool3d_errors_match_torch():
    x, idx = rng.standard_normal((1, 2, 2, 2)), np.zeros((1, 2, 2, 2), np.int64)
    for bad in ([9, 9], [1, 2, 3]):
        same_error(lambda lib, x, i: lib.nn.functional.max_unpool2d(x, i, 2, output_size=bad), x, idx, exc=ValueError)
    same_error(lambda lib, x, i: lib.nn.functional.max_unpool2d(x, i + 99, 2), x, idx)
    same_error(lambda lib, x, i: lib.nn.functional.max_unpool2d(x, i, 2), x, idx.astype(np.int32))
    same_error(lambda lib, x: lib.nn.functional.max_pool3d(x, 2, padding=2), rng.standard_normal((1, 1, 4, 4, 4)))
    same_error(lambda lib, x: lib.nn.functional.avg_pool3d(x, 5), rng.standard_normal((1, 1, 4, 4, 4)))
    same_error(lambda lib, x: lib.nn.functional.max_pool3d(x, 2), rng.standard_normal((4, 4, 4)))


@pytest.mark.parametrize("nd,shape,kw", [
    (2, (2, 3, 9, 8), dict(kernel_size=3, output_size=(4, 3))),
    (2, (3, 9, 8), dict(kernel_size=(2, 3), output_ratio=(0.5, 0.6))),
    (2, (1, 2, 5, 5), dict(kernel_size=2, output_size=1)),
    (3, (2, 2, 7, 6, 8), dict(kernel_size=2, output_size=(3, 4, 5))),
    (3, (2, 6, 5, 7), dict(kernel_size=(1, 2, 3), output_ratio=0.5)),
])
def test_fractional_max_pool_matches_torch_given_the_samples(nd, shape, kw):
    n = 1 if len(shape) == nd + 1 else shape[0]
    u = rng.random((n, shape[-nd - 1], nd))
    x = rng.standard_normal(shape)
    x.reshape(-1)[3] = np.nan
    fn = lambda lib, x: getattr(lib.nn.functional, f"fractional_max_pool{nd}d")(  # noqa: E731
        x, return_indices=True, _random_samples=lib.tensor(u.astype(x.detach().numpy().dtype)), **kw)
    check(fn, x)
    check(fn, x.astype(np.float32), atol=1e-6)
    with pytest.raises(RuntimeError, match="not differentiable with respect to argument 'random_samples'"):
        getattr(minitorch.nn.functional, f"fractional_max_pool{nd}d")(
            minitorch.tensor(x), _random_samples=minitorch.tensor(u, requires_grad=True), **kw)


def test_fractional_max_pool_modules_gradcheck_and_errors():
    u = rng.random((2, 3, 2))
    m = minitorch.nn.FractionalMaxPool2d(2, output_size=3, _random_samples=minitorch.tensor(u))
    t = torch.nn.FractionalMaxPool2d(2, output_size=3, _random_samples=torch.tensor(u))
    assert repr(m) == repr(t) and list(m.state_dict()) == list(t.state_dict())
    check_module(m, t, rng.standard_normal((2, 3, 7, 6)))
    pooled = minitorch.nn.FractionalMaxPool3d(2, output_ratio=0.5)(minitorch.randn(1, 2, 6, 6, 6))
    assert pooled.shape == (1, 2, 3, 3, 3)
    u = rng.random((1, 2, 2))
    gradchecks(lambda lib, x: lib.nn.functional.fractional_max_pool2d(x, 2, (2, 3), _random_samples=lib.tensor(u)),
               rng.standard_normal((1, 2, 4, 5)))
    for kw in [dict(output_ratio=0.5, output_size=2), dict(output_ratio=1.5), dict()]:
        for lib in (minitorch, torch):
            with pytest.raises(ValueError):
                lib.nn.FractionalMaxPool2d(2, **kw)
    same_error(lambda lib, x: lib.nn.functional.fractional_max_pool2d(x, 3, output_size=4),
               rng.standard_normal((1, 5, 5)))
    same_error(lambda lib, x: lib.nn.functional.fractional_max_pool2d(x, 2, output_size=2), rng.standard_normal((5, 5)),
               exc=IndexError)
    same_error(lambda lib, x: lib.nn.functional.fractional_max_pool2d(x, 2), rng.standard_normal((1, 5, 5)),
               exc=ValueError)
