"""Upsample / F.interpolate (nearest, nearest-exact, linear, bilinear, trilinear, area) against torch."""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from tests.parity import check, check_module, gradchecks

rng = np.random.default_rng(0)
LINEAR = {3: "linear", 4: "bilinear", 5: "trilinear"}


@st.composite
def resize_cases(draw: st.DrawFn) -> tuple:
    """An input shape and the interpolate arguments for it: size or scale factor, mode, align_corners."""
    ndim = draw(st.sampled_from([3, 4, 5]))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) + tuple(
        draw(st.integers(1, 5)) for _ in range(ndim - 2))
    mode = draw(st.sampled_from(["nearest", "nearest-exact", LINEAR[ndim], "area"]))
    kwargs = {"mode": mode}
    if draw(st.booleans()):
        kwargs["size"] = tuple(draw(st.integers(1, 9)) for _ in range(ndim - 2))
    else:
        scales = st.sampled_from([0.5, 0.75, 1.0, 1.3, 1.7, 2.0, 2.5, 3.0])
        kwargs["scale_factor"] = tuple(draw(scales) for _ in range(ndim - 2))
        if any(int(i * s) == 0 for i, s in zip(shape[2:], kwargs["scale_factor"])):
            kwargs["scale_factor"] = 2.0
        kwargs["recompute_scale_factor"] = draw(st.sampled_from([None, True]))
    if mode == LINEAR[ndim]:
        kwargs["align_corners"] = draw(st.booleans())
    return shape, kwargs


def _legacy_nearest_backward_differs(shape: tuple, kwargs: dict) -> bool:
    """torch's 1-D and 3-D nearest forward reads floor(o / scale_factor), but their backward keeps the 2-D
    kernel's legacy cases (an output as long as the input is a copy, one twice as long reads o // 2): where the
    two disagree torch's gradient is not the derivative of its output."""
    scales = kwargs.get("scale_factor")
    if kwargs["mode"] != "nearest" or len(shape) == 4 or scales is None or kwargs.get("recompute_scale_factor"):
        return False
    scales = scales if isinstance(scales, tuple) else (scales,) * (len(shape) - 2)
    for n, s in zip(shape[2:], scales):
        out = int(n * s)
        read = np.minimum(np.floor(np.arange(out, dtype=np.float32) * np.float32(1 / s)).astype(int), n - 1)
        if (out == n and (read != np.arange(out)).any()) or (out == 2 * n and (read != np.arange(out) // 2).any()):
            return True
    return False


@given(case=resize_cases())
def test_interpolate_matches_torch(case):
    shape, kwargs = case
    fn = lambda m, x: m.nn.functional.interpolate(x, **kwargs)  # noqa: E731
    x = rng.standard_normal(shape)
    if not _legacy_nearest_backward_differs(shape, kwargs):
        check(fn, x)
        return
    check(fn, x, grad=False)
    gradchecks(fn, x, second_order=False)


def test_nearest_3d_follows_torchs_forward_and_has_the_true_gradient():
    # W: 2 -> 2 at scale 1.3 reads input 0 twice (floor(1 / 1.3) = 0); torch's backward sends the second
    # output's gradient to input 1, as if it were a copy.
    x = rng.standard_normal((1, 1, 1, 1, 2))
    kwargs = dict(scale_factor=(1.0, 1.0, 1.3), mode="nearest")
    out, _ = check(lambda m, x: m.nn.functional.interpolate(x, **kwargs), x, grad=False)
    np.testing.assert_array_equal(out.numpy().ravel(), [x.ravel()[0]] * 2)
    m = minitorch.tensor(x, requires_grad=True)
    minitorch.nn.functional.interpolate(m, **kwargs).backward(minitorch.tensor([[[[[1.0, 10.0]]]]]))
    np.testing.assert_array_equal(m.grad.numpy().ravel(), [11.0, 0.0])


@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
@pytest.mark.parametrize("size", [(5, 7), (16, 13), (28, 28), (3, 61)])
def test_float32_interpolate_matches_torch(mode, size):
    """Source positions are computed in float32 as torch's kernels do (off-by-one prone ratios)."""
    x = rng.standard_normal((2, 3, 7, 9)).astype(np.float32)
    out, _ = check(lambda m, x: m.nn.functional.interpolate(x, size=size, mode=mode), x, atol=1e-5, rtol=1e-5)
    assert out.dtype == minitorch.float32 and out.is_contiguous()
    check(lambda m, x: m.nn.functional.interpolate(x, scale_factor=size[0] / 7, mode=mode), x, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("kwargs", [dict(scale_factor=2), dict(size=(3, 5), mode="bilinear"),
                                    dict(scale_factor=(1.5, 2.0), mode="bilinear", align_corners=True),
                                    dict(size=4, mode="nearest-exact"), dict(scale_factor=3.0)])
def test_upsample_module_matches_torch(kwargs):
    check_module(minitorch.nn.Upsample(**kwargs), torch.nn.Upsample(**kwargs), rng.standard_normal((2, 3, 4, 5)))


@pytest.mark.parametrize("name", ["UpsamplingNearest2d", "UpsamplingBilinear2d"])
def test_fixed_mode_upsampling_modules_match_torch(name):
    for kwargs in (dict(scale_factor=2), dict(size=(5, 3))):
        m, t = getattr(minitorch.nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs)
        assert repr(m) == repr(t)
        check_module(m, t, rng.standard_normal((1, 2, 3, 4)))


@pytest.mark.parametrize("kwargs", [dict(scale_factor=2), dict(size=(3, 4), mode="bilinear"),
                                    dict(scale_factor=(2, 3), mode="bilinear", align_corners=True)])
def test_upsample_repr_matches_torch(kwargs):
    assert repr(minitorch.nn.Upsample(**kwargs)) == repr(torch.nn.Upsample(**kwargs))


@pytest.mark.parametrize("shape,kwargs", [
    ((1, 2, 3, 4), dict(scale_factor=1.5, mode="bilinear")),
    ((1, 2, 3, 4), dict(size=(5, 3), mode="bilinear", align_corners=True)),
    ((1, 2, 3, 4), dict(size=(5, 7), mode="nearest")),
    ((1, 2, 4), dict(size=7, mode="linear")),
    ((1, 1, 2, 3, 2), dict(scale_factor=2, mode="trilinear")),
    ((1, 2, 5, 4), dict(size=(3, 3), mode="area")),
])
def test_interpolate_gradcheck_and_gradgradcheck(shape, kwargs):
    gradchecks(lambda m, x: m.nn.functional.interpolate(x, **kwargs), rng.standard_normal(shape))


def test_interpolate_grad_fn_and_identity_copy():
    x = minitorch.randn(1, 2, 3, 3, requires_grad=True)
    y = minitorch.nn.functional.interpolate(x, size=3)
    assert y is not x and y.grad_fn is not None
    assert minitorch.nn.functional.interpolate(x, scale_factor=2).grad_fn.name() == "ResampleBackward0"


def _raises(match: str, fn, *args, exc=RuntimeError, **kwargs):
    with pytest.raises(exc, match=match):
        fn(*args, **kwargs)


def test_interpolate_errors_match_torch():
    x = rng.standard_normal((2, 3, 6, 6))
    cases = [
        (dict(size=3, scale_factor=2), ValueError, "only one of size or scale_factor should be defined"),
        (dict(), ValueError, "either size or scale_factor should be defined"),
        (dict(size=(3, 4, 5)), ValueError, "Input and output must have the same number of spatial dimensions"),
        (dict(scale_factor=(2, 2, 2)), ValueError, "Input and scale_factor must have the same number of spatial"),
        (dict(scale_factor=2, align_corners=True), ValueError, "align_corners option can only be set with the "
                                                               "interpolating modes"),
        (dict(scale_factor=2, mode="linear"), NotImplementedError, "Got 4D input, but linear mode needs 3D input"),
        (dict(scale_factor=2, mode="foo"), NotImplementedError, r"Only 3D, 4D and 5D input Tensors supported"),
        (dict(size=0), RuntimeError, r"Input and output sizes should be greater than 0, but got input \(H: 6, W: 6\) "
                                     r"output \(H: 0, W: 0\)"),
        (dict(size=3, recompute_scale_factor=True), ValueError, "recompute_scale_factor is not meaningful"),
    ]
    for kwargs, exc, message in cases:
        for lib in (minitorch, torch):
            _raises(message, lib.nn.functional.interpolate, lib.tensor(x), exc=exc, **kwargs)
    for lib in (minitorch, torch):
        _raises("Got 3D input, but bilinear mode needs 4D input", lib.nn.functional.interpolate,
                lib.tensor(x[0]), exc=NotImplementedError, scale_factor=2, mode="bilinear")
