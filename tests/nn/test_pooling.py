"""Max / average / adaptive / LP pooling layers and functionals against torch; gradchecks; errors."""
import numpy as np
import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st

import minitorch
from tests.parity import check, check_module, gradchecks

rng = np.random.default_rng(0)


def _twins(name: str, *args, **kwargs) -> tuple:
    return getattr(minitorch.nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)


@st.composite
def max_pool_cases(draw: st.DrawFn, nd: int) -> tuple:
    """(kernel, stride, padding, dilation, ceil_mode) per dim and an input size each accepts."""
    k = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    d = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    s = draw(st.one_of(st.none(), st.tuples(*[st.integers(1, 3)] * nd)))
    p = tuple(draw(st.integers(0, kk // 2)) for kk in k)
    size = tuple(draw(st.integers(max((kk - 1) * dd + 1 - 2 * pp, 1), 7)) for kk, dd, pp in zip(k, d, p))
    ceil = draw(st.booleans())
    assume(not any(_window_in_padding(*dim, ceil) for dim in zip(k, s or k, p, d, size)))
    return k, s, p, d, ceil, size


def _window_in_padding(k: int, s: int, p: int, d: int, size: int, ceil: bool) -> bool:
    """Whether some window reads only padding (torch then returns an index outside the input and its backward
    writes out of bounds; see ``test_a_window_wholly_in_the_padding_gets_no_gradient``)."""
    span = size + 2 * p - d * (k - 1) - 1
    n = -(-span // s) + 1 if ceil else span // s + 1
    if ceil and (n - 1) * s >= size + p:
        n -= 1
    return any(not any(0 <= o * s - p + j * d < size for j in range(k)) for o in range(n))


@given(case=max_pool_cases(2), return_indices=st.booleans(), batched=st.booleans())
def test_max_pool2d_module_matches_torch(case, return_indices, batched):
    k, s, p, d, ceil, size = case
    m, t = _twins("MaxPool2d", k, s, p, d, return_indices=return_indices, ceil_mode=ceil)
    check_module(m, t, rng.standard_normal(((2, 3) if batched else (3,)) + size))


@given(case=max_pool_cases(1), return_indices=st.booleans())
def test_max_pool1d_module_matches_torch(case, return_indices):
    k, s, p, d, ceil, size = case
    m, t = _twins("MaxPool1d", k[0], s and s[0], p[0], d[0], return_indices=return_indices, ceil_mode=ceil)
    check_module(m, t, rng.standard_normal((2, 3) + size))


def test_a_window_wholly_in_the_padding_gets_no_gradient():
    # kernel 2, padding 1, dilation 2 over one value: the only window reads the two padded positions. torch
    # returns -inf there too, with index 1 (outside the input) and a backward that writes out of bounds.
    x = rng.standard_normal((2, 3, 1))
    t = torch.nn.functional.max_pool1d(torch.tensor(x), 2, None, 1, 2)
    m = minitorch.tensor(x, requires_grad=True)
    y, idx = minitorch.nn.functional.max_pool1d(m, 2, None, 1, 2, return_indices=True)
    np.testing.assert_array_equal(y.detach().numpy(), t.numpy())
    np.testing.assert_array_equal(idx.numpy(), -1)
    y.sum().backward()
    np.testing.assert_array_equal(m.grad.numpy(), np.zeros_like(x))


@pytest.mark.parametrize("kwargs", [dict(kernel_size=2), dict(kernel_size=3, stride=1, padding=1),
                                    dict(kernel_size=(2, 3), stride=(1, 2), dilation=2, ceil_mode=True)])
def test_max_pool_ties_nan_and_inf_follow_torch(kwargs):
    """Ties go to the first tap in window order, a NaN wins (the last one), all -inf windows pick a real tap."""
    x = rng.integers(-2, 3, (2, 2, 5, 6)).astype(np.float64)
    x[0, 0, 1, 1] = x[0, 1, 2, 3] = x[1, 0, 2, 4] = np.nan
    x[1, 1] = -np.inf
    x[0, 0, 3, :2] = -0.0, 0.0  # equal: the first holds the maximum
    check(lambda m, x: m.nn.functional.max_pool2d(x, return_indices=True, **kwargs), x)


@st.composite
def avg_pool_cases(draw: st.DrawFn, nd: int) -> tuple:
    k = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    s = draw(st.one_of(st.none(), st.tuples(*[st.integers(1, 3)] * nd)))
    p = tuple(draw(st.integers(0, kk // 2)) for kk in k)
    size = tuple(draw(st.integers(max(kk - 2 * pp, 1), 7)) for kk, pp in zip(k, p))
    return k, s, p, draw(st.booleans()), draw(st.booleans()), size


@given(case=avg_pool_cases(2), divisor=st.sampled_from([None, 1, 5]), batched=st.booleans())
def test_avg_pool2d_module_matches_torch(case, divisor, batched):
    k, s, p, ceil, include_pad, size = case
    m, t = _twins("AvgPool2d", k, s, p, ceil, include_pad, divisor)
    check_module(m, t, rng.standard_normal(((2, 3) if batched else (3,)) + size))


@given(case=avg_pool_cases(1))
def test_avg_pool1d_module_matches_torch(case):
    k, s, p, ceil, include_pad, size = case
    m, t = _twins("AvgPool1d", k[0], s and s[0], p[0], ceil, include_pad)
    check_module(m, t, rng.standard_normal((2, 3) + size))


@given(h=st.integers(1, 9), w=st.integers(1, 9), oh=st.one_of(st.none(), st.integers(1, 9)), ow=st.integers(1, 9),
       return_indices=st.booleans())
def test_adaptive_pool2d_modules_match_torch(h, w, oh, ow, return_indices):
    x = rng.standard_normal((2, 3, h, w))
    check_module(*_twins("AdaptiveAvgPool2d", (oh, ow)), x)
    check_module(*_twins("AdaptiveMaxPool2d", (oh, ow), return_indices), x)
    check_module(*_twins("AdaptiveMaxPool2d", ow, return_indices), x[0])


@given(length=st.integers(1, 12), out=st.integers(1, 12), return_indices=st.booleans())
def test_adaptive_pool1d_modules_match_torch(length, out, return_indices):
    x = rng.standard_normal((2, 3, length))
    check_module(*_twins("AdaptiveAvgPool1d", out), x)
    check_module(*_twins("AdaptiveMaxPool1d", out, return_indices), x)


def test_adaptive_max_pool_nan_and_inf_follow_torch():
    x = rng.integers(-2, 3, (1, 2, 7, 5)).astype(np.float64)
    x[0, 0, 1, 1] = x[0, 0, 2, 1] = np.nan
    x[0, 1, :4] = -np.inf
    check(lambda m, x: m.nn.functional.adaptive_max_pool2d(x, (3, 2), return_indices=True), x)


@given(norm=st.sampled_from([1.0, 2, 3.5]), k=st.integers(1, 3), stride=st.one_of(st.none(), st.integers(1, 2)),
       ceil=st.booleans(), size=st.integers(3, 7))
def test_lp_pool_modules_match_torch(norm, k, stride, ceil, size):
    x = rng.uniform(0.1, 2.0, (2, 3, size, size + 1))
    check_module(*_twins("LPPool2d", norm, k, stride, ceil), x)
    check_module(*_twins("LPPool2d", norm, (k, 2), stride, ceil), x)
    check_module(*_twins("LPPool1d", norm, k, stride, ceil), x[:, :, 0])


def test_float32_pools_match_torch():
    x = rng.standard_normal((4, 6, 28, 28)).astype(np.float32)
    for name, args in [("MaxPool2d", (2,)), ("AvgPool2d", (3, 2, 1)), ("AdaptiveAvgPool2d", (5,)),
                       ("AdaptiveMaxPool2d", (5,))]:
        out, _ = check_module(*_twins(name, *args), x, atol=1e-6, rtol=1e-5)
        assert out.dtype == minitorch.float32 and out.is_contiguous()


def test_max_pool_without_grad_matches_torch():
    """The inference path (no indices tracked) and return_indices without grad."""
    x = rng.standard_normal((2, 3, 7, 6))
    check(lambda m, x: m.nn.functional.max_pool2d(x, 3, 2, 1, ceil_mode=True), x, grad=False)
    check(lambda m, x: m.nn.functional.max_pool2d(x, 3, 2, 1, return_indices=True), x, grad=False)


@pytest.mark.parametrize("fn,shape,args", [
    ("max_pool2d", (1, 2, 5, 5), (3, 2, 1, 1, True)),
    ("max_pool2d", (2, 4, 4), (2, 1, 0, 2)),
    ("max_pool2d", (1, 2, 4, 5), (2,)),
    ("max_pool1d", (1, 2, 7), (3, 2, 1, 2, True)),
    ("avg_pool2d", (1, 2, 5, 5), (3, 2, 1, True, False)),
    ("avg_pool2d", (1, 2, 4, 5), (2, 1, 0, False, True, 3)),
    ("avg_pool1d", (1, 2, 6), (3, 2, 1, True, False)),
    ("adaptive_avg_pool2d", (1, 2, 5, 4), ((3, 3),)),
    ("adaptive_avg_pool1d", (1, 2, 7), (3,)),
    ("adaptive_max_pool2d", (1, 2, 5, 4), ((3, 2),)),
    ("adaptive_max_pool1d", (1, 2, 7), (3,)),
    ("lp_pool2d", (1, 2, 4, 4), (2, 2)),
    ("lp_pool1d", (1, 2, 6), (3, 2, 2)),
])
def test_pool_gradcheck_and_gradgradcheck(fn, shape, args):
    x = rng.uniform(0.2, 2.0, shape) if fn.startswith("lp") else rng.standard_normal(shape)
    gradchecks(lambda m, x: getattr(m.nn.functional, fn)(x, *args), x)


def test_pool_grad_fn_names():
    F = minitorch.nn.functional
    x = minitorch.randn(2, 3, 6, 6, requires_grad=True)
    assert F.max_pool2d(x, 2).grad_fn.name() == "MaxPool2DWithIndicesBackward0"
    assert F.avg_pool2d(x, 2).grad_fn.name() == "AvgPool2DBackward0"
    assert F.adaptive_max_pool2d(x, 4).grad_fn.name() == "AdaptiveMaxPool2DBackward0"
    out, idx = F.max_pool2d(x, 2, return_indices=True)
    assert idx.dtype == minitorch.int64 and not idx.requires_grad


@pytest.mark.parametrize("name,args,kwargs", [
    ("MaxPool2d", (2,), {}), ("MaxPool2d", (3, 2, 1, 2, True, True), {}), ("MaxPool1d", (3,), {}),
    ("AvgPool2d", (2,), {}), ("AvgPool2d", (3, 2, 1, True, False, 3), {}), ("AvgPool1d", (3,), dict(stride=2)),
    ("AdaptiveAvgPool2d", ((2, None),), {}), ("AdaptiveAvgPool1d", (3,), {}), ("AdaptiveMaxPool2d", (3, True), {}),
    ("AdaptiveMaxPool1d", (3,), {}), ("LPPool2d", (2, 3), {}), ("LPPool1d", (2, 3, 2), {}),
])
def test_pool_repr_matches_torch(name, args, kwargs):
    m, t = _twins(name, *args, **kwargs)
    assert repr(m) == repr(t)


def _raises(match: str, fn, *args, exc=RuntimeError, **kwargs):
    with pytest.raises(exc, match=match):
        fn(*args, **kwargs)


def test_pool_errors_name_layer_argument_and_shapes():
    F = minitorch.nn.functional
    x = minitorch.randn(2, 3, 8, 8)
    _raises(r"MaxPool2d\(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False\): Expected 3D or 4D "
            r"\(batch mode\) tensor.*\[8, 8\]", minitorch.nn.MaxPool2d(2), minitorch.randn(8, 8))
    _raises(r"max_pool1d: Expected 2D or 3D .*\[2, 3, 4, 5\]", F.max_pool1d, minitorch.randn(2, 3, 4, 5), 2)
    _raises(r"pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 and dilation=1",
            F.max_pool2d, x, 2, padding=2)
    _raises(r"pad should be smaller than or equal to half of kernel size, but got padW = 2, padH = 2, kW = 3, kH = 3",
            F.max_pool2d, x, 3, padding=2, dilation=2)
    _raises(r"pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 and dilation=1",
            F.avg_pool2d, x, 2, padding=2)
    _raises(r"Given input size: \(1x2x2\). Calculated output size: \(1x0x0\). Output size is too small",
            F.max_pool2d, minitorch.randn(1, 1, 2, 2), 3)
    _raises(r"Given input size: \(1x2x2\). Calculated output size: \(1x0x0\)", F.avg_pool2d,
            minitorch.randn(1, 1, 2, 2), 3)
    _raises(r"stride should not be zero", F.max_pool2d, x, 2, stride=0)
    _raises(r"stride should be greater than zero, but got dH: -1 dW: -1", F.max_pool2d, x, 2, stride=-1)
    _raises(r"dilation should be greater than zero, but got dilationH: 0 dilationW: 0", F.max_pool2d, x, 2,
            dilation=0)
    _raises(r"kernel size should be greater than zero, but got kH: 0 kW: 0", F.avg_pool2d, x, 0, 1)
    _raises(r"pad must be non-negative, but got pad: -1", F.max_pool2d, x, 2, padding=-1)
    _raises("divisor must be not zero", F.avg_pool2d, x, 2, divisor_override=0)
    _raises(r"avg_pool1d: Expected 2D or 3D .*\[2, 3, 4, 5\]", F.avg_pool1d, minitorch.randn(2, 3, 4, 5), 2)
    _raises(r"expected kernel_size to be a single integer value or a list of 2 values", F.max_pool2d, x, (2, 2, 2))
    _raises(r"adaptive_avg_pool2d\(\): Expected 3D or 4D tensor, but got \[2, 3\]", F.adaptive_avg_pool2d,
            minitorch.randn(2, 3), 2)
    _raises(r"elements of output_size must be greater than or equal to 0 but received \{2, -1\}",
            F.adaptive_avg_pool2d, x, (2, -1))
    _raises(r"non-zero size for non-batch dimensions, but input has sizes \[2, 3, 0, 4\] with dimension 2 being empty",
            F.adaptive_max_pool2d, minitorch.randn(2, 3, 0, 4), 2)
    ints = np.arange(16).reshape(1, 1, 4, 4)  # integer max pooling computes, as torch's CPU kernel
    assert F.max_pool2d(minitorch.tensor(ints), 2).tolist() == torch.nn.functional.max_pool2d(torch.tensor(ints), 2).tolist()
