"""The shape-chosen convolution GEMMs (minitorch/ops/_conv_kernels.py): equal to the plain formulas on random
shapes (blocked and not, both weight-gradient orientations), and convolutions through them equal torch's."""
import numpy as np
import pytest

from minitorch.ops import _conv_kernels as kernels
from tests.parity import check, gradchecks

rng = np.random.default_rng(0)


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of 7 columns, so small shapes take the blocked paths (with a ragged last block)."""
    monkeypatch.setattr(kernels, "BLOCK", 7)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("groups, m, k, n", [(1, 6, 25, 100), (2, 3, 4, 57), (1, 30, 20, 40), (3, 2, 2, 15)])
def test_columns_matmul_equals_plain_matmul(small_blocks, dtype, groups, m, k, n):
    a, b = rng.standard_normal((groups, m, k)).astype(dtype), rng.standard_normal((groups, k, n)).astype(dtype)
    got = kernels.columns_matmul(a, b)
    assert got.dtype == dtype and got.shape == (groups, m, n)
    np.testing.assert_allclose(got, np.matmul(a, b), rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-5)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("groups, o, k, n", [(1, 6, 25, 100), (2, 4, 9, 57), (1, 16, 3, 40), (1, 30, 40, 60),
                                             (3, 2, 2, 15)])
def test_weight_matmul_equals_plain_formula(small_blocks, dtype, groups, o, k, n):
    g, cols = rng.standard_normal((groups, o, n)).astype(dtype), rng.standard_normal((groups, k, n)).astype(dtype)
    got = kernels.weight_matmul(g, cols)
    assert got.dtype == dtype and got.shape == (groups, o, k)
    np.testing.assert_allclose(got, np.matmul(g, cols.transpose(0, 2, 1)), rtol=1e-5 if dtype == np.float32
                               else 1e-12, atol=1e-5)


def test_blocking_only_for_small_panels_on_long_sides():
    assert kernels._blocked(6 * 25, 57088) and not kernels._blocked(16 * 150, 57088)
    assert not kernels._blocked(6 * 25, 2 * kernels.BLOCK)


@pytest.mark.parametrize("groups, padding", [(1, 2), (2, 0), (2, 1)])
def test_conv2d_on_blocked_gemms_matches_torch(small_blocks, groups, padding):
    x = rng.standard_normal((2, 2 * groups, 7, 6))
    w = rng.standard_normal((3 * groups, 2, 3, 2))
    b = rng.standard_normal(3 * groups)
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, padding=padding, groups=groups), x, w, b)


def test_conv1d_and_transpose_on_blocked_gemms_match_torch(small_blocks):
    x, w = rng.standard_normal((2, 2, 20)), rng.standard_normal((4, 2, 3))
    check(lambda lib, x, w: lib.nn.functional.conv1d(x, w, stride=2, padding=1), x, w)
    check(lambda lib, y, w: lib.nn.functional.conv_transpose1d(y, w, padding=1), rng.standard_normal((2, 4, 9)), w)
    gradchecks(lambda lib, x, w: lib.nn.functional.conv1d(x, w, padding=1), rng.standard_normal((1, 2, 5)),
               rng.standard_normal((3, 2, 2)))


@pytest.mark.parametrize("c_in, size, c_out, pad", [(1, 28, 6, 2), (6, 14, 16, 0)])
def test_lenet_layers_at_full_size_match_torch(c_in, size, c_out, pad):
    """LeNet-5's two convolutions, batch 64, float32: the real shapes, blocked or not by the default rules."""
    x = rng.standard_normal((64, c_in, size, size)).astype(np.float32)
    w = (rng.standard_normal((c_out, c_in, 5, 5)) / 5).astype(np.float32)
    b = rng.standard_normal(c_out).astype(np.float32)
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, padding=pad), x, w, b, atol=1e-3, rtol=1e-4)
