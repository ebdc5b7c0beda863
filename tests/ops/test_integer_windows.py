"""Integer inputs of the window ops against torch: conv/conv_transpose, max and average pooling, local response
norm (torch's CPU kernels take some integer dtypes, with integer arithmetic: an average truncates toward zero),
and torch's NotImplementedError for the dtypes a kernel refuses."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests._same import same_error
from tests.parity import check

RNG = np.random.default_rng(0)


def ints(*shape, low=-9, high=10):
    return RNG.integers(low, high, shape)


@pytest.mark.parametrize("fn,shapes", [
    (lambda F, x, w: F.conv1d(x, w, padding=1), [(2, 2, 7), (3, 2, 3)]),
    (lambda F, x, w: F.conv2d(x, w, stride=2), [(1, 2, 5, 5), (2, 2, 2, 2)]),
    (lambda F, x, w: F.conv3d(x, w, groups=2), [(1, 2, 3, 3, 3), (2, 1, 2, 2, 2)]),
    (lambda F, x, w: F.conv_transpose1d(x, w, stride=2), [(1, 2, 4), (2, 3, 3)]),
    (lambda F, x, w: F.conv_transpose2d(x, w, padding=1), [(1, 2, 3, 3), (2, 1, 3, 3)]),
    (lambda F, x, w: F.conv_transpose3d(x, w), [(1, 1, 2, 2, 2), (1, 2, 2, 2, 2)]),
])
def test_int64_convolutions(fn, shapes):
    check(lambda m, x, w: fn(m.nn.functional, x, w), *[ints(*s) for s in shapes], grad=False)


@pytest.mark.parametrize("fn", [
    lambda F, x: F.avg_pool1d(x[0], 3, 2, 1),
    lambda F, x: F.avg_pool1d(x[0], 2, ceil_mode=True, count_include_pad=False),
    lambda F, x: F.avg_pool2d(x, 3, 2, 1, divisor_override=4),
    lambda F, x: F.avg_pool3d(x[None], 2, 1, 1, count_include_pad=True),
    lambda F, x: F.max_pool2d(x, 3, 2, 1, return_indices=True),
    lambda F, x: F.max_pool1d(x[0], 2, return_indices=True),
    lambda F, x: F.max_pool3d(x[None], 2, 1, 1),
    lambda F, x: F.local_response_norm(x, 3),
])
def test_int64_pooling_truncates_like_torch(fn):
    check(lambda m, x: fn(m.nn.functional, x), ints(2, 3, 5, 5, low=-50, high=50), grad=False)


@pytest.mark.parametrize("fn", [
    lambda F, x: F.conv2d(x[0], x[0]),
    lambda F, x: F.conv3d(x, x),
    lambda F, x: F.conv_transpose2d(x[:, :, 0], x[:, :, 0]),
    lambda F, x: F.conv_transpose3d(x, x),
    lambda F, x: F.avg_pool2d(x[0], 2),
    lambda F, x: F.avg_pool3d(x, 2),
    lambda F, x: F.max_pool1d(x[0, 0], 2),
    lambda F, x: F.max_pool2d(x[0], 2),
    lambda F, x: F.max_pool3d(x, 2),
])
@pytest.mark.parametrize("dtype", ["bool", "int32", "uint8", "int64"])
def test_integer_dtype_rules(fn, dtype):
    """Where torch computes, minitorch gives its dtype and values; where torch refuses, its error."""
    data = ints(1, 1, 4, 4, 4, low=0, high=2)

    def run(lib):
        return fn(lib.nn.functional, lib.tensor(data, dtype=getattr(lib, dtype)))

    try:
        run(torch)
    except NotImplementedError:
        same_error(run)
        return
    check(lambda m, x: fn(m.nn.functional, x.to(getattr(m, dtype))), data, grad=False)


def test_integer_margin_ranking_loss_is_float():
    check(lambda m, a, b, y: m.nn.functional.margin_ranking_loss(a, b, y), ints(5), ints(5), np.sign(ints(5)),
          grad=False)


def test_feature_alpha_dropout_off_returns_any_input():
    x = minitorch.randn(3)
    assert minitorch.nn.functional.feature_alpha_dropout(x, 0.5, training=False) is x
    with pytest.raises(RuntimeError, match="Feature dropout requires at least 2 dimensions"):
        minitorch.nn.functional.feature_alpha_dropout(x, 0.5, training=True)
