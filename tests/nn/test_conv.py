"""Conv1d/Conv2d/ConvTranspose1d/ConvTranspose2d, F.conv*, F.unfold/F.fold against torch; gradchecks; errors."""
import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from tests.parity import assert_close, check, check_module, gradchecks

rng = np.random.default_rng(0)
MODES = ["zeros", "reflect", "replicate", "circular"]


def _twins(name: str, *args, **kwargs) -> tuple:
    """The same layer in minitorch and torch (float64)."""
    return getattr(minitorch.nn, name)(*args, **kwargs).double(), getattr(torch.nn, name)(*args, **kwargs).double()


@st.composite
def conv2d_cases(draw: st.DrawFn) -> tuple:
    """Conv2d arguments and an input shape it accepts (odd sizes, strides, dilations, groups, padding modes)."""
    groups = draw(st.sampled_from([1, 2]))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = draw(st.one_of(st.tuples(st.integers(0, 2), st.integers(0, 2)), st.just("valid"),
                             st.just("same") if stride == (1, 1) else st.just((0, 1))))
    mode = draw(st.sampled_from(MODES))
    pads = (0, 0) if isinstance(padding, str) else padding
    lo = [max(d * (kk - 1) + 1, p + 1) for d, kk, p in zip(dilation, k, pads)]
    hw = (draw(st.integers(lo[0], lo[0] + 4)), draw(st.integers(lo[1], lo[1] + 4)))
    kwargs = dict(stride=stride, padding=padding, dilation=dilation, groups=groups, bias=draw(st.booleans()),
                  padding_mode=mode)
    return (c_in, c_out, k), kwargs, (draw(st.integers(1, 2)), c_in) + hw


@given(case=conv2d_cases())
def test_conv2d_module_matches_torch(case):
    args, kwargs, shape = case
    m, t = _twins("Conv2d", *args, **kwargs)
    check_module(m, t, rng.standard_normal(shape))


@given(groups=st.sampled_from([1, 3]), k=st.integers(1, 4), stride=st.integers(1, 3), padding=st.integers(0, 2),
       dilation=st.integers(1, 2), length=st.integers(0, 5), bias=st.booleans(), mode=st.sampled_from(MODES))
def test_conv1d_module_matches_torch(groups, k, stride, padding, dilation, length, bias, mode):
    m, t = _twins("Conv1d", 3, 3 * groups, k, stride=stride, padding=padding, dilation=dilation, groups=groups,
                  bias=bias, padding_mode=mode)
    size = max(dilation * (k - 1) + 1, padding + 1) + length
    check_module(m, t, rng.standard_normal((2, 3, size)))


@st.composite
def conv_transpose2d_cases(draw: st.DrawFn) -> tuple:
    groups = draw(st.sampled_from([1, 2]))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 2)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    out_pad = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    hw = (draw(st.integers(2, 4)), draw(st.integers(2, 4)))
    padding = tuple(draw(st.integers(0, min(1, ((i - 1) * s + d * (kk - 1)) // 2)))
                    for i, s, d, kk in zip(hw, stride, dilation, k))
    kwargs = dict(stride=stride, padding=padding, output_padding=out_pad, groups=groups, bias=draw(st.booleans()),
                  dilation=dilation)
    return (c_in, c_out, k), kwargs, (draw(st.integers(1, 2)), c_in) + hw


@given(case=conv_transpose2d_cases())
def test_conv_transpose2d_module_matches_torch(case):
    args, kwargs, shape = case
    m, t = _twins("ConvTranspose2d", *args, **kwargs)
    check_module(m, t, rng.standard_normal(shape))


@given(k=st.integers(1, 3), stride=st.integers(1, 3), dilation=st.integers(1, 2), length=st.integers(2, 5),
       bias=st.booleans(), data=st.data())
def test_conv_transpose1d_module_matches_torch(k, stride, dilation, length, bias, data):
    out_pad = data.draw(st.integers(0, max(stride, dilation) - 1))
    padding = data.draw(st.integers(0, min(1, ((length - 1) * stride + dilation * (k - 1)) // 2)))
    m, t = _twins("ConvTranspose1d", 2, 4, k, stride=stride, padding=padding, output_padding=out_pad, bias=bias,
                  dilation=dilation, groups=2)
    check_module(m, t, rng.standard_normal((2, 2, length)))


@pytest.mark.parametrize("output_size", [(7, 7), (8, 8), (7, 8), [2, 4, 8, 7]])
def test_conv_transpose_output_size_matches_torch(output_size):
    m, t = _twins("ConvTranspose2d", 3, 4, 3, stride=2, padding=1)
    x = rng.standard_normal((2, 3, 4, 4))
    check_module(m, t, x, forward=lambda mod, x: mod(x, output_size=output_size))


@pytest.mark.parametrize("name,args,shape", [
    ("Conv2d", (3, 4, 3), (3, 6, 5)), ("Conv1d", (3, 4, 2), (3, 6)),
    ("ConvTranspose2d", (3, 4, 3), (3, 4, 5)), ("ConvTranspose1d", (3, 4, 3), (3, 4)),
])
def test_unbatched_inputs_match_torch(name, args, shape):
    m, t = _twins(name, *args)
    check_module(m, t, rng.standard_normal(shape))


@pytest.mark.parametrize("hw,k,padding", [((28, 28), 5, 2), ((14, 14), 5, 0), ((7, 9), 5, 1), ((6, 6), 1, 0)])
def test_float32_conv_matches_torch(hw, k, padding):
    """Both column layouts (contiguous runs for stride 1 and small kernels, 2-D slices otherwise).

    The weight gradient sums ~1500 float32 products of size ~1, so sums that cancel to ~1e-2 carry
    absolute rounding errors up to eps32 * sum|terms| ~ 1e-4 in either framework.
    """
    m, t = minitorch.nn.Conv2d(3, 5, k, padding=padding), torch.nn.Conv2d(3, 5, k, padding=padding)
    out, _ = check_module(m, t, rng.standard_normal((2, 3) + hw).astype(np.float32), atol=1e-4, rtol=1e-4)
    assert out.dtype == minitorch.float32 and out.is_contiguous()


@pytest.mark.parametrize("kwargs", [dict(), dict(stride=2, padding=1), dict(padding=(1, 0), dilation=(1, 2)),
                                    dict(groups=2, stride=(1, 2)), dict(padding="same", dilation=2)])
def test_functional_conv2d_matches_torch(kwargs):
    g = kwargs.get("groups", 1)
    x, w, b = rng.standard_normal((2, 4, 6, 7)), rng.standard_normal((6, 4 // g, 3, 2)), rng.standard_normal(6)
    check(lambda m, x, w, b: m.nn.functional.conv2d(x, w, b, **kwargs), x, w, b)
    check(lambda m, x, w: m.nn.functional.conv2d(x, w, **kwargs), x, w)


def test_functional_conv1d_and_transposes_match_torch():
    x1, w1 = rng.standard_normal((2, 4, 9)), rng.standard_normal((6, 2, 3))
    check(lambda m, x, w: m.nn.functional.conv1d(x, w, stride=2, padding=1, dilation=2, groups=2), x1, w1)
    check(lambda m, x, w: m.nn.functional.conv1d(x, w, padding="same", groups=2), x1, w1)
    xt, wt, bt = rng.standard_normal((2, 4, 5)), rng.standard_normal((4, 3, 3)), rng.standard_normal(3)
    check(lambda m, x, w, b: m.nn.functional.conv_transpose1d(x, w, b, stride=3, padding=1, output_padding=2),
          xt, wt, bt)
    x2, w2, b2 = rng.standard_normal((2, 4, 3, 4)), rng.standard_normal((4, 2, 3, 2)), rng.standard_normal(4)
    check(lambda m, x, w, b: m.nn.functional.conv_transpose2d(x, w, b, (2, 1), (1, 0), (1, 0), 2, (1, 2)), x2, w2, b2)


@pytest.mark.parametrize("fn,shapes,kwargs", [
    ("conv2d", [(1, 2, 4, 4), (3, 2, 2, 2), (3,)], dict(stride=2, padding=1)),
    ("conv2d", [(1, 2, 4, 3), (2, 1, 2, 2), (2,)], dict(padding="same", dilation=(2, 1), groups=2)),
    ("conv1d", [(2, 2, 5), (2, 2, 3), (2,)], dict(stride=2, padding=1, dilation=2)),
    ("conv_transpose2d", [(1, 2, 2, 3), (2, 2, 2, 2), (2,)], dict(stride=2, padding=1, output_padding=1)),
    ("conv_transpose1d", [(1, 2, 3), (2, 2, 3), (4,)], dict(stride=2, groups=2)),
])
def test_conv_gradcheck_and_gradgradcheck(fn, shapes, kwargs):
    gradchecks(lambda m, x, w, b: getattr(m.nn.functional, fn)(x, w, b, **kwargs),
               *[rng.standard_normal(s) for s in shapes])


def test_second_derivatives_match_torch():
    """d/d(x, w) of sum(dL/dx * u) + sum(dL/dw * v): the backward of the backward, against torch."""
    x, w = rng.standard_normal((2, 3, 5, 6)), rng.standard_normal((4, 3, 3, 3))
    u, v, g = rng.standard_normal(x.shape), rng.standard_normal(w.shape), rng.standard_normal((2, 4, 3, 2))

    def second(lib):
        xs = lib.tensor(x, requires_grad=True)
        ws = lib.tensor(w, requires_grad=True)
        y = lib.nn.functional.conv2d(xs, ws, stride=(1, 2), padding=0, dilation=1)
        gx, gw = lib.autograd.grad(y, (xs, ws), lib.tensor(g), create_graph=True)
        return lib.autograd.grad((gx * lib.tensor(u)).sum() + (gw * lib.tensor(v)).sum(), (xs, ws))

    for a, b in zip(second(minitorch), second(torch)):
        assert_close(a, b, atol=1e-10)


@pytest.mark.parametrize("kwargs", [dict(kernel_size=2),
                                    dict(kernel_size=(2, 3), dilation=(2, 1), padding=1, stride=(1, 2))])
def test_unfold_fold_match_torch(kwargs):
    x = rng.standard_normal((2, 3, 5, 6))
    check(lambda m, x: m.nn.functional.unfold(x, **kwargs), x)
    check(lambda m, x: m.nn.functional.unfold(x, **kwargs), x[0])
    cols = torch.nn.functional.unfold(torch.tensor(x), **kwargs).numpy()
    check(lambda m, c: m.nn.functional.fold(c, (5, 6), **kwargs), cols)
    small = x[:1, :1, :3, :4]
    gradchecks(lambda m, x: m.nn.functional.unfold(x, **kwargs), small)
    small_cols = torch.nn.functional.unfold(torch.tensor(small), **kwargs).numpy()
    gradchecks(lambda m, c: m.nn.functional.fold(c, (3, 4), **kwargs), small_cols)


def test_conv_grad_fn_names_and_contiguity():
    x = minitorch.randn(2, 3, 6, 6, requires_grad=True)
    assert minitorch.nn.functional.conv2d(x, minitorch.randn(4, 3, 3, 3)).grad_fn.name() == "ConvolutionBackward0"
    y = minitorch.nn.functional.conv_transpose2d(x, minitorch.randn(3, 4, 3, 3))
    assert y.grad_fn.name() == "ConvolutionBackward0" and y.is_contiguous()
    assert minitorch.nn.functional.unfold(x, 2).grad_fn.name() == "Im2ColBackward0"


@pytest.mark.parametrize("name,args,kwargs", [
    ("Conv2d", (3, 4, 3), {}),
    ("Conv2d", (3, 4, (3, 5)), dict(stride=2, padding=(1, 2), dilation=2, bias=False, padding_mode="reflect")),
    ("Conv2d", (4, 6, 3), dict(groups=2, padding="same")),
    ("Conv1d", (3, 4, 3), dict(padding="same")),
    ("Conv1d", (3, 4, 2), dict(stride=2, padding_mode="circular", padding=1)),
    ("ConvTranspose2d", (4, 4, 3), dict(stride=2, output_padding=1, groups=2)),
    ("ConvTranspose1d", (4, 2, 3), dict(dilation=2, bias=False)),
])
def test_repr_and_state_dict_match_torch(name, args, kwargs):
    m, t = _twins(name, *args, **kwargs)
    assert repr(m) == repr(t)
    assert list(m.state_dict()) == list(t.state_dict())
    for key, value in t.state_dict().items():
        assert tuple(m.state_dict()[key].shape) == tuple(value.shape)


@pytest.mark.parametrize("name,args", [("Conv2d", (16, 32, 5)), ("ConvTranspose2d", (32, 16, 5)),
                                       ("Conv1d", (64, 8, 7))])
def test_default_init_matches_torch_distribution(name, args):
    m = getattr(minitorch.nn, name)(*args)
    t = getattr(torch.nn, name)(*args)
    w, tw = m.weight.detach().numpy(), t.weight.detach().numpy()
    fan_in = w.shape[1] * math.prod(w.shape[2:])
    bound = 1 / math.sqrt(fan_in)
    assert np.abs(w).max() <= bound and np.abs(tw).max() <= bound
    assert abs(w.std() - tw.std()) < 0.05 * bound and abs(w.std() - bound / math.sqrt(3)) < 0.05 * bound
    assert abs(w.mean()) < 0.05 * bound
    b = m.bias.detach().numpy()
    assert np.abs(b).max() <= bound and np.abs(b).max() > 0.5 * bound


def _raises(match: str, fn, *args, exc=RuntimeError, **kwargs):
    with pytest.raises(exc, match=match):
        fn(*args, **kwargs)


def test_conv_input_errors_name_layer_argument_and_shapes():
    F = minitorch.nn.functional
    x = minitorch.randn(2, 3, 28, 28)
    _raises(r"Given groups=1, weight of size \[6, 1, 5, 5\], expected input\[2, 3, 28, 28\] to have 1 channels, "
            r"but got 3 channels instead", F.conv2d, x, minitorch.randn(6, 1, 5, 5))
    conv = minitorch.nn.Conv2d(1, 6, 5)
    _raises(r"Conv2d\(1, 6, kernel_size=\(5, 5\), stride=\(1, 1\)\): Given groups=1, weight of size \[6, 1, 5, 5\], "
            r"expected input\[2, 3, 28, 28\] to have 1 channels", conv, x)
    _raises(r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: \[28, 28\]",
            F.conv2d, minitorch.randn(28, 28), minitorch.randn(6, 1, 5, 5))
    _raises(r"Expected 2D \(unbatched\) or 3D \(batched\) input to Conv1d.*\[2, 3, 4, 5\]",
            minitorch.nn.Conv1d(3, 4, 2), minitorch.randn(2, 3, 4, 5))
    _raises(r"Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size "
            r"\[3, 1, 3, 3\]",
            F.conv2d, minitorch.randn(2, 2, 5, 5), minitorch.randn(3, 1, 3, 3), groups=2)
    _raises(r"Calculated padded input size per channel: \(2 x 2\). Kernel size: \(3 x 3\). Kernel size can't be "
            r"greater",
            F.conv2d, minitorch.randn(1, 3, 2, 2), minitorch.randn(4, 3, 3, 3))
    _raises(r"padded input size per channel: \(4 x 4\). Kernel size: \(5 x 5\)",
            F.conv2d, minitorch.randn(1, 3, 4, 4), minitorch.randn(4, 3, 3, 3), dilation=2)
    _raises("non-positive stride is not supported", F.conv2d, x, minitorch.randn(4, 3, 3, 3), stride=0)
    _raises("negative padding is not supported", F.conv2d, x, minitorch.randn(4, 3, 3, 3), padding=-1)
    _raises("non-positive dilation is not supported", F.conv2d, x, minitorch.randn(4, 3, 3, 3), dilation=0)
    _raises("non-positive groups is not supported", F.conv2d, x, minitorch.randn(4, 3, 3, 3), groups=0)
    _raises("padding='same' is not supported for strided convolutions", F.conv2d, x, minitorch.randn(4, 3, 3, 3),
            padding="same", stride=2)
    _raises("Invalid padding string: 'foo'", F.conv2d, x, minitorch.randn(4, 3, 3, 3), padding="foo")
    _raises(r"expected bias to be 1-dimensional with 4 elements, but got bias of size \[5\]",
            F.conv2d, x, minitorch.randn(4, 3, 3, 3), minitorch.randn(5))
    _raises(r"expected stride to be a single integer value or a list of 2 values.*stride=\[1, 2, 3\]",
            F.conv2d, x, minitorch.randn(4, 3, 3, 3), stride=(1, 2, 3))
    _raises(r"Expected 3-dimensional input for 3-dimensional weight\[4, 3, 3\], but got 4-dimensional input of size "
            r"\[2, 3, 28, 28\]", F.conv2d, x, minitorch.randn(4, 3, 3))
    _raises(r"Input type \(minitorch.float32\) and weight type \(minitorch.float64\) should be the same",
            F.conv2d, x, minitorch.randn(4, 3, 3, 3, dtype=minitorch.float64))
    _raises(r"Input type \(minitorch.int64\) and weight type \(minitorch.float32\) should be the same",
            F.conv2d, minitorch.ones(1, 3, 4, 4, dtype=minitorch.int64), minitorch.randn(4, 3, 3, 3))


def test_conv_transpose_errors():
    F = minitorch.nn.functional
    x = minitorch.randn(2, 3, 8, 8)
    _raises(r"output padding must be smaller than either stride or dilation", F.conv_transpose2d, x,
            minitorch.randn(3, 4, 3, 3), stride=2, output_padding=2)
    _raises(r"Given transposed=1, weight of size \[4, 4, 3, 3\], expected input\[2, 3, 8, 8\] to have 4 channels",
            F.conv_transpose2d, x, minitorch.randn(4, 4, 3, 3))
    _raises(r"Calculated output size per channel: \(-2 x -2\). Output size is too small", F.conv_transpose2d, x,
            minitorch.randn(3, 4, 3, 3), padding=6)
    m = minitorch.nn.ConvTranspose2d(3, 4, 3, stride=2)
    _raises(r"requested an output size of \(60, 60\), but valid sizes range from \[17, 17\] to \[18, 18\]", m, x,
            exc=ValueError, output_size=(60, 60))
    _raises(r"ConvTranspose2D: for 4D input, output_size must have 2 or 4 elements \(got 3\)", m, x, exc=ValueError,
            output_size=(2, 17, 17))


def test_conv_module_constructor_errors_match_torch():
    cases = [
        (dict(in_channels=3, out_channels=4, kernel_size=3, groups=2), "in_channels must be divisible by groups"),
        (dict(in_channels=4, out_channels=3, kernel_size=3, groups=2), "out_channels must be divisible by groups"),
        (dict(in_channels=4, out_channels=4, kernel_size=3, groups=0), "groups must be a positive integer"),
        (dict(in_channels=4, out_channels=4, kernel_size=3, padding="same", stride=2),
         "padding='same' is not supported for strided convolutions"),
        (dict(in_channels=4, out_channels=4, kernel_size=3, padding="full"), "Invalid padding string 'full'"),
        (dict(in_channels=4, out_channels=4, kernel_size=3, padding_mode="foo"), "padding_mode must be one of"),
    ]
    for kwargs, message in cases:
        for lib in (minitorch, torch):
            _raises(message, lib.nn.Conv2d, exc=ValueError, **kwargs)
    for lib in (minitorch, torch):
        _raises('Only "zeros" padding mode is supported for ConvTranspose2d', lib.nn.ConvTranspose2d, 3, 4, 3,
                exc=ValueError, padding_mode="reflect")


def test_unfold_fold_errors():
    F = minitorch.nn.functional
    _raises(r"kernel_size=\(30, 30\).*calculated shape of the array of sliding blocks as \(-1, -1\)", F.unfold,
            minitorch.randn(2, 3, 28, 28), 30)
    _raises(r"input.size\(1\)=26 and kernel_size=\(3, 3\)", F.fold, minitorch.randn(2, 26, 4), (4, 4), 3)
    _raises(r"number of sliding blocks 2 \* 2 = 4, but got input.size\(2\)=5", F.fold, minitorch.randn(2, 27, 5),
            (4, 4), 3)
