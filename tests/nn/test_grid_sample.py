"""grid_sample (bilinear / nearest / bicubic, zeros / border / reflection, align_corners, 2-D and 3-D) and
affine_grid against torch: values and gradients to input and grid, op_db samples, gradcheck / gradgradcheck,
torch's errors and warnings."""
import itertools
import warnings

import numpy as np
import pytest
import torch

import minitorch
from tests.nn.test_conv3d_and_transpose import opdb_cases, run_opdb, same_error
from tests.parity import check, gradchecks

rng = np.random.default_rng(0)
PADS = ["zeros", "border", "reflection"]


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_grid_sample_opdb_samples_match_torch(dtype):
    cases = opdb_cases("nn.functional.grid_sample", dtype=dtype, limit=12 if dtype == torch.float64 else 4)
    assert cases
    for case in cases:
        run_opdb("grid_sample", case, dtype)


CASES_2D = list(itertools.product(["bilinear", "nearest", "bicubic"], PADS, [True, False]))


@pytest.mark.parametrize("mode,pad,align", CASES_2D)
def test_grid_sample_2d_matches_torch(mode, pad, align):
    x = rng.standard_normal((2, 3, 4, 5))
    grid = rng.standard_normal((2, 3, 4, 2)) * 1.5  # many points outside [-1, 1]
    check(lambda lib, x, g: lib.nn.functional.grid_sample(x, g, mode, pad, align), x, grid)
    check(lambda lib, x, g: lib.nn.functional.grid_sample(x, g, mode, pad, align), x.astype(np.float32),
          grid.astype(np.float32), atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("mode,pad,align", list(itertools.product(["bilinear", "nearest"], PADS, [True, False])))
def test_grid_sample_3d_matches_torch(mode, pad, align):
    x = rng.standard_normal((2, 2, 3, 4, 5))
    grid = rng.standard_normal((2, 2, 3, 2, 3)) * 1.5
    check(lambda lib, x, g: lib.nn.functional.grid_sample(x, g, mode, pad, align), x, grid)


def test_grid_sample_unit_size_reflection_matches_torch():
    x, grid = rng.standard_normal((1, 2, 1, 3)), rng.standard_normal((1, 2, 2, 2)) * 2
    for align in (True, False):
        check(lambda lib, x, g: lib.nn.functional.grid_sample(x, g, "bilinear", "reflection", align), x, grid)


@pytest.mark.parametrize("mode,pad", [("bilinear", "zeros"), ("bilinear", "reflection"), ("bicubic", "border")])
def test_grid_sample_gradcheck_and_gradgradcheck(mode, pad):
    x = rng.standard_normal((1, 2, 3, 3))
    grid = rng.uniform(-1.2, 1.2, (1, 2, 2, 2))
    gradchecks(lambda lib, x, g: lib.nn.functional.grid_sample(x, g, mode, pad, False), x, grid)


def test_grid_sample_3d_gradcheck():
    gradchecks(lambda lib, x, g: lib.nn.functional.grid_sample(x, g, "bilinear", "border", True),
               rng.standard_normal((1, 1, 2, 3, 2)), rng.uniform(-1.1, 1.1, (1, 2, 1, 2, 3)), second_order=False)


@pytest.mark.parametrize("nd,align", list(itertools.product([2, 3], [True, False])))
def test_affine_grid_matches_torch(nd, align):
    theta = rng.standard_normal((2, nd, nd + 1))
    size = (2, 3, 4, 5) if nd == 2 else (2, 3, 2, 4, 3)
    check(lambda lib, t: lib.nn.functional.affine_grid(t, size, align), theta)
    check(lambda lib, t: lib.nn.functional.affine_grid(t, size, align), theta.astype(np.float32), atol=1e-6)


def test_affine_grid_then_grid_sample_matches_torch():
    theta, x = rng.standard_normal((2, 2, 3)) * 0.7, rng.standard_normal((2, 3, 5, 4))

    def fn(lib, t, x):
        g = lib.nn.functional.affine_grid(t, (2, 3, 6, 3), align_corners=False)
        return lib.nn.functional.grid_sample(x, g, align_corners=False)
    check(fn, theta, x)
    gradchecks(lambda lib, t: lib.nn.functional.affine_grid(t, (1, 1, 2, 3), False), rng.standard_normal((1, 2, 3)))


def test_grid_sample_errors_match_torch():
    x, g = rng.standard_normal((1, 2, 3, 3)), rng.standard_normal((1, 2, 2, 2))
    same_error(lambda lib, x, g: lib.nn.functional.grid_sample(x, g, "foo", align_corners=False), x, g, exc=ValueError)
    same_error(lambda lib, x, g: lib.nn.functional.grid_sample(x, g, padding_mode="foo", align_corners=False), x, g,
               exc=ValueError)
    same_error(lambda lib, x, g: lib.nn.functional.grid_sample(x, g, align_corners=False), x,
               rng.standard_normal((2, 2, 2, 2)))
    same_error(lambda lib, x, g: lib.nn.functional.grid_sample(x, g, align_corners=False), x,
               rng.standard_normal((1, 2, 2, 3)))
    same_error(lambda lib, x, g: lib.nn.functional.grid_sample(x, g, align_corners=False), x.astype(np.float32), g)
    same_error(lambda lib, x, g: lib.nn.functional.grid_sample(x, g, "bicubic", align_corners=False),
               rng.standard_normal((1, 1, 2, 2, 2)), rng.standard_normal((1, 1, 1, 1, 3)))
    same_error(lambda lib, x, g: lib.nn.functional.grid_sample(x, g, align_corners=False),
               rng.standard_normal((1, 1, 0, 2)), g)


def test_affine_grid_errors_and_warnings_match_torch():
    t = rng.standard_normal((1, 2, 3))
    same_error(lambda lib, t: lib.nn.functional.affine_grid(t, (1, 1, 2, 2, 2), False), t, exc=ValueError)
    same_error(lambda lib, t: lib.nn.functional.affine_grid(t, (1, 1, 2), False), t, exc=NotImplementedError)
    same_error(lambda lib, t: lib.nn.functional.affine_grid(t, (1, 1, 0, 2), False), t, exc=ValueError)
    same_error(lambda lib, t: lib.nn.functional.affine_grid(t, (1, 1, 2, 2), False), t.astype(np.int64),
               exc=ValueError)
    for lib in (minitorch, torch):
        with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
            lib.nn.functional.affine_grid(lib.tensor(t), (1, 1, 2, 2))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            lib.nn.functional.grid_sample(lib.tensor(rng.standard_normal((1, 1, 2, 2))),
                                          lib.tensor(rng.standard_normal((1, 1, 1, 2))), align_corners=True)


def test_grid_sample_does_not_read_outside_taps():
    x = rng.standard_normal((1, 1, 3, 3))
    x[0, 0, :, 0] = np.inf
    grid = np.array([[[[-1.4, 0.1], [-1.9, -0.3]]]])  # left of the input: its taps outside carry weight
    check(lambda lib, x, g: lib.nn.functional.grid_sample(x, g, "bilinear", "zeros", True), x, grid, grad=False)
