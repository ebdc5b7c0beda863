"""F.pad (constant with cropping, reflect, replicate, circular) against torch; gradchecks; errors."""
import re

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from tests.parity import check, gradchecks

rng = np.random.default_rng(0)


@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=4), data=st.data())
def test_constant_pad_matches_torch(shape, data):
    n = data.draw(st.integers(1, len(shape)))
    pad = []
    for size in reversed(shape[len(shape) - n:]):
        before = data.draw(st.integers(-size + 1, 2))
        pad += [before, data.draw(st.integers(-(size + min(before, 0)) + 1, 2))]
    value = data.draw(st.sampled_from([None, 0.0, -1.5]))
    check(lambda m, x: m.nn.functional.pad(x, tuple(pad), value=value), rng.standard_normal(tuple(shape)))


@given(mode=st.sampled_from(["reflect", "replicate", "circular"]), nd=st.integers(1, 3), batched=st.booleans(),
       data=st.data())
def test_non_constant_pads_match_torch(mode, nd, batched, data):
    shape = (2,) * batched + (2,) + tuple(data.draw(st.integers(2, 4)) for _ in range(nd))
    pad = []
    for size in reversed(shape[-nd:]):
        hi = size - 1 if mode == "reflect" else size if mode == "circular" else 4
        pad += [data.draw(st.integers(-1, hi)), data.draw(st.integers(-1 if mode != "circular" else 0, hi))]
    fn = lambda m, x: m.nn.functional.pad(x, tuple(pad), mode=mode)  # noqa: E731
    x = rng.standard_normal(shape)
    try:
        fn(torch, torch.tensor(x))
    except RuntimeError as error:  # torch refuses this pad: minitorch must refuse it with the same words
        with pytest.raises(RuntimeError, match=re.escape(str(error).split("\n")[0])):
            fn(minitorch, minitorch.tensor(x))
        return
    sizes = [shape[-1 - i // 2] + pad[i] + pad[i + 1] for i in range(0, len(pad), 2)]
    cropped = [shape[-1 - i // 2] - max(-pad[i], 0) - max(-pad[i + 1], 0) for i in range(0, len(pad), 2)]
    wraps_twice = mode == "circular" and any(max(pad[i], pad[i + 1]) > cropped[i // 2] for i in range(0, len(pad), 2))
    if min(sizes) > 0 and not wraps_twice:
        check(fn, x)
        return
    if wraps_twice:
        # A circular pad that wraps more than once around the cropped input: torch copies from its own
        # output, leaving uninitialised memory in the corners and a backward that counts only the last copy of
        # each element. minitorch wraps as often as needed: numpy's "wrap" pad of the cropped input.
        crop = tuple(slice(None) for _ in shape[:-nd]) + tuple(
            slice(max(-pad[2 * i], 0), shape[-1 - i] - max(-pad[2 * i + 1], 0)) for i in reversed(range(nd)))
        widths = [(0, 0)] * (len(shape) - nd) + [(max(pad[2 * i], 0), max(pad[2 * i + 1], 0))
                                                   for i in reversed(range(nd))]
        out = fn(minitorch, minitorch.tensor(x)).numpy()
        np.testing.assert_array_equal(out, np.pad(x[crop], widths, mode="wrap"))
        gradchecks(fn, x, second_order=False)
        return
    # An empty output: torch's backward returns an uninitialised buffer here (garbage or NaN from one run to the
    # next), so the values and shape are held to torch and the gradient to its true value, zeros.
    check(fn, x, grad=False)
    xm = minitorch.tensor(x, requires_grad=True)
    fn(minitorch, xm).sum().backward()
    np.testing.assert_array_equal(xm.grad.numpy(), np.zeros(shape))


def test_circular_pad_that_wraps_twice_has_the_true_gradient():
    x = rng.standard_normal((2, 2))
    for lib in (minitorch, torch):
        t = lib.tensor(x, requires_grad=True)
        y = lib.nn.functional.pad(t, (-1, 2), mode="circular")
        np.testing.assert_array_equal(y.detach().numpy(), np.repeat(x[:, 1:], 3, axis=1))
        y.sum().backward()
        if lib is minitorch:  # each kept element appears three times in the output
            np.testing.assert_array_equal(t.grad.numpy(), [[0, 3], [0, 3]])


def test_pad_to_an_empty_output_has_a_zero_gradient():
    x = minitorch.randn(2, 4, 2, 2, requires_grad=True, dtype=minitorch.float64)
    y = minitorch.nn.functional.pad(x, (0, 0, -1, -1, 0, 1), mode="reflect")
    assert y.shape == tuple(torch.nn.functional.pad(torch.randn(2, 4, 2, 2), (0, 0, -1, -1, 0, 1), mode="reflect").shape)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((2, 4, 2, 2)))


def test_circular_pad_wraps_around_the_cropped_input_like_torch():
    x = rng.standard_normal((1, 2, 5))
    for pad in [(-1, 2), (1, -2), (-1, -1)]:
        check(lambda m, x: m.nn.functional.pad(x, pad, mode="circular"), x)


def test_integer_and_float32_pads_keep_dtype():
    check(lambda m, x: m.nn.functional.pad(x, (1, 2), value=7), np.arange(6).reshape(2, 3), grad=False)
    out, _ = check(lambda m, x: m.nn.functional.pad(x, (1, 1, 2, 0), mode="reflect"),
                   rng.standard_normal((2, 3, 4)).astype(np.float32), atol=1e-6)
    assert out.dtype == minitorch.float32


@pytest.mark.parametrize("pad,mode", [((1, 2, -1, 1), "constant"), ((2, 1, 1, 0), "reflect"),
                                      ((3, 1, 0, 2), "replicate"), ((1, 2, 2, 1), "circular")])
def test_pad_gradcheck_and_gradgradcheck(pad, mode):
    gradchecks(lambda m, x: m.nn.functional.pad(x, pad, mode=mode), rng.standard_normal((1, 2, 3, 4)))


def test_constant_pad_grad_fn():
    x = minitorch.randn(2, 3, requires_grad=True)
    assert minitorch.nn.functional.pad(x, (1, 1)).grad_fn.name() == "ConstantPadNdBackward0"


def _raises(match: str, fn, *args, exc=RuntimeError, **kwargs):
    with pytest.raises(exc, match=match):
        fn(*args, **kwargs)


def test_pad_errors_match_torch():
    x = rng.standard_normal((2, 3, 5, 5))
    cases = [
        (dict(pad=(1, 2, 3)), RuntimeError, "Padding length must be divisible by 2"),
        (dict(pad=(1, 1) * 5), RuntimeError, "Padding length should be less than or equal to two times the input "
                                             "dimension but got padding length 10 and input of dimension 4"),
        (dict(pad=(1, 1), mode="reflect"), NotImplementedError, "Padding size 2 is not supported for 4D input tensor"),
        (dict(pad=(5, 3, 1, 1), mode="reflect"), RuntimeError, r"Padding size should be less than the corresponding "
                                                               r"input dimension, but got: padding \(5, 3\) at "
                                                               r"dimension 3 of input \[2, 3, 5, 5\]"),
        (dict(pad=(6, 3, 1, 1), mode="circular"), RuntimeError, "Padding value causes wrapping around more than once"),
        (dict(pad=(1, 1), mode="foo"), NotImplementedError, "Unrecognised padding mode foo"),
        (dict(pad=(1, 1, 1, 1), mode="reflect", value=2), RuntimeError,
         'Padding mode "reflect" doesn\'t take in value argument'),
    ]
    for kwargs, exc, message in cases:
        for lib in (minitorch, torch):
            _raises(message, lib.nn.functional.pad, lib.tensor(x), exc=exc, **kwargs)
    _raises(r"crops more than the size of input \[2, 3, 5, 5\]", minitorch.nn.functional.pad, minitorch.tensor(x),
            (-3, -3))
