"""F.interpolate in every mode (nearest, nearest-exact, linear, bilinear, bicubic, trilinear, lanczos, area) with
align_corners, scale_factor, recompute_scale_factor and antialias; the deprecated upsample functions; the
Upsample modules; and F.pad in every mode (including replicate / reflect pads that crop a whole side),
against torch: op_db samples, hand cases, gradcheck, errors."""
import itertools

import numpy as np
import pytest
import torch

import minitorch
from tests.nn.test_conv3d_and_transpose import opdb_cases, run_opdb, same_error
from tests.parity import check, check_module, gradchecks

rng = np.random.default_rng(0)
MODES = ["nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_interpolate_opdb_samples_match_torch(mode, dtype):
    cases = opdb_cases("nn.functional.interpolate", mode, dtype, limit=10 if dtype == torch.float64 else 4)
    assert cases
    for case in cases:
        run_opdb("interpolate", case, dtype)


@pytest.mark.parametrize("name", ["upsample_bilinear", "upsample_nearest"])
def test_deprecated_upsample_opdb_samples_match_torch(name):
    for case in opdb_cases(f"nn.functional.{name}", limit=6):
        run_opdb(name, case)


SIZES = [dict(size=(7, 9)), dict(size=(3, 4)), dict(size=(2, 13)), dict(size=1), dict(scale_factor=0.37),
         dict(scale_factor=(2.3, 0.6)), dict(scale_factor=(1.7, 0.45), recompute_scale_factor=True)]


@pytest.mark.parametrize("mode,antialias,align", list(itertools.product(["bilinear", "bicubic"], [False, True],
                                                                        [False, True])))
def test_bilinear_bicubic_and_antialias_match_torch(mode, antialias, align):
    x = rng.standard_normal((2, 3, 5, 6))
    for kw in SIZES:
        f = lambda lib, x: lib.nn.functional.interpolate(x, mode=mode, align_corners=align,  # noqa: E731
                                                         antialias=antialias, **kw)
        check(f, x)
        check(f, x.astype(np.float32), atol=1e-5, rtol=1e-4)


def test_lanczos_matches_torch():
    x = rng.standard_normal((2, 3, 8, 10))
    for kw in SIZES:
        f = lambda lib, x: lib.nn.functional.interpolate(x, mode="lanczos", antialias=True, **kw)  # noqa: E731
        check(f, x)
        check(f, x.astype(np.float32), atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("mode,nd", [("nearest", 1), ("nearest-exact", 3), ("linear", 1), ("trilinear", 3),
                                     ("area", 2), ("area", 3)])
def test_other_modes_hand_cases_match_torch(mode, nd):
    x = rng.standard_normal((2, 2) + (5, 4, 6)[:nd])
    align = {} if mode in ("nearest", "nearest-exact", "area") else dict(align_corners=True)
    for kw in [dict(size=(3, 7, 2)[:nd]), dict(scale_factor=1.6), dict(scale_factor=0.55, recompute_scale_factor=True)]:
        check(lambda lib, x: lib.nn.functional.interpolate(x, mode=mode, **align, **kw), x)


def test_interpolate_gradchecks():
    x = rng.standard_normal((1, 2, 3, 4))
    for mode, aa in [("bicubic", False), ("bilinear", True), ("bicubic", True)]:
        gradchecks(lambda lib, x: lib.nn.functional.interpolate(x, size=(2, 5), mode=mode, antialias=aa), x)
    gradchecks(lambda lib, x: lib.nn.functional.interpolate(x, scale_factor=1.5, mode="bicubic", align_corners=True),
               x)
    gradchecks(lambda lib, x: lib.nn.functional.interpolate(x, size=(2, 3), mode="lanczos", antialias=True), x)


@pytest.mark.parametrize("fn,shape,exc", [
    (lambda lib, x: lib.nn.functional.interpolate(x, size=4, mode="nearest", antialias=True), (1, 1, 3, 3),
     ValueError),
    (lambda lib, x: lib.nn.functional.interpolate(x, size=4, mode="bilinear", antialias=True), (1, 1, 3, 3, 3),
     ValueError),
    (lambda lib, x: lib.nn.functional.interpolate(x, size=4, mode="bicubic"), (1, 1, 3), NotImplementedError),
    (lambda lib, x: lib.nn.functional.interpolate(x, size=4, mode="bicubic"), (1, 1, 3, 3, 3), NotImplementedError),
    (lambda lib, x: lib.nn.functional.interpolate(x, size=4, mode="foo"), (1, 1, 3, 3), NotImplementedError),
    (lambda lib, x: lib.nn.functional.interpolate(x, size=4, mode="lanczos"), (1, 1, 3, 3), ValueError),
    (lambda lib, x: lib.nn.functional.interpolate(x, size=4, mode="lanczos", antialias=True, align_corners=True),
     (1, 1, 3, 3), ValueError),
    (lambda lib, x: lib.nn.functional.interpolate(x, size=4, mode="lanczos"), (1, 1, 3), NotImplementedError),
    (lambda lib, x: lib.nn.functional.interpolate(x, size=4, mode="trilinear"), (1, 1, 3), NotImplementedError),
    (lambda lib, x: lib.nn.functional.interpolate(x, size=4, mode="area", align_corners=True), (1, 1, 3),
     ValueError),
])
def test_interpolate_errors_match_torch(fn, shape, exc):
    same_error(fn, rng.standard_normal(shape), exc=exc)


@pytest.mark.parametrize("name,kw", [("Upsample", dict(scale_factor=2.0, mode="bicubic", align_corners=False)),
                                     ("Upsample", dict(size=(3, 7), mode="bilinear")),
                                     ("UpsamplingNearest2d", dict(scale_factor=2)),
                                     ("UpsamplingBilinear2d", dict(size=(6, 3)))])
def test_upsample_modules_match_torch(name, kw):
    m, t = getattr(minitorch.nn, name)(**kw), getattr(torch.nn, name)(**kw)
    assert repr(m) == repr(t)
    check_module(m, t, rng.standard_normal((2, 3, 4, 5)))


@pytest.mark.parametrize("variant", ["constant", "reflect", "replicate", "replicate_negative", "circular"])
def test_pad_opdb_samples_match_torch(variant):
    cases = opdb_cases("nn.functional.pad", variant, limit=16)
    assert cases
    for case in cases:
        run_opdb("pad", case)


@pytest.mark.parametrize("mode,nd", list(itertools.product(["replicate", "reflect"], [1, 2, 3])))
def test_pads_that_crop_a_whole_side_match_torch(mode, nd):
    x = rng.standard_normal((2, 3, 4, 5, 4)[-(nd + 1):])
    for before, after in [(-4, 5), (-4, 3), (2, -3), (-3, 2), (-3, 0), (0, -3)]:
        for d in range(nd):
            if mode == "reflect" and max(before, after) >= x.shape[-1 - d]:
                continue  # torch rejects these (covered by test_pad_crop_errors_match_torch)
            pad = [0] * (2 * nd)
            pad[2 * d:2 * d + 2] = before, after
            check(lambda lib, x: lib.nn.functional.pad(x, pad, mode), x)


@pytest.mark.parametrize("mode,nd,pad", [("replicate", 1, (-4, 0)), ("replicate", 2, (0, 0, -4, 0)),
                                         ("replicate", 3, (-4, 0, 0, 0, 0, 0)), ("reflect", 1, (-2, -2)),
                                         ("reflect", 2, (0, 0, 4, 0)), ("reflect", 3, (0, 0, 0, 0, 4, 0))])
def test_pad_crop_errors_match_torch(mode, nd, pad):
    same_error(lambda lib, x: lib.nn.functional.pad(x, pad, mode), rng.standard_normal((1,) + (4,) * nd))


def test_pad_gradcheck_with_crops():
    x = rng.standard_normal((1, 2, 3, 4))
    gradchecks(lambda lib, x: lib.nn.functional.pad(x, (-4, 2, 1, -1), "replicate"), x)
    gradchecks(lambda lib, x: lib.nn.functional.pad(x, (2, -3, -2, 1), "reflect"), x)
