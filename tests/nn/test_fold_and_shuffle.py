"""unfold / fold, pixel_shuffle / pixel_unshuffle, channel_shuffle and their nn modules against torch (op_db
samples where op_db has the op, float and integer dtypes), gradcheck / gradgradcheck, torch's errors."""
import numpy as np
import pytest
import torch

import minitorch
from tests.nn.test_conv3d_and_transpose import opdb_cases, run_opdb, same_error
from tests.parity import check, check_module, gradchecks

rng = np.random.default_rng(0)


@pytest.mark.parametrize("name", ["unfold", "pixel_shuffle", "pixel_unshuffle", "channel_shuffle"])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_opdb_samples_match_torch(name, dtype):
    cases = opdb_cases(f"nn.functional.{name}", dtype=dtype, limit=10 if dtype == torch.float64 else 4)
    assert cases
    for case in cases:
        run_opdb(name, case, dtype)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_])
def test_shuffles_keep_integer_and_bool_dtypes(dtype):
    x = (rng.integers(0, 5, (2, 8, 4, 6)) % 2 if dtype is np.bool_ else rng.integers(-9, 9, (2, 8, 4, 6))).astype(dtype)
    check(lambda lib, x: lib.nn.functional.pixel_shuffle(x, 2), x)
    check(lambda lib, x: lib.nn.functional.pixel_unshuffle(x, 2), x)
    check(lambda lib, x: lib.nn.functional.channel_shuffle(x, 4), x)


@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=(2, 3), dilation=(1, 2), padding=(1, 0),
                                                          stride=(2, 1)),
                                dict(kernel_size=3, padding=1, stride=2)])
def test_fold_matches_torch_and_inverts_unfold(kw):
    size = (5, 7)
    blocks = torch.nn.functional.unfold(torch.zeros((1, 1) + size), **kw).shape[-1]
    cols = rng.standard_normal((2, 3 * int(np.prod(torch.nn.modules.utils._pair(kw["kernel_size"]))), blocks))
    check(lambda lib, c: lib.nn.functional.fold(c, size, **kw), cols)
    check(lambda lib, c: lib.nn.functional.fold(c, size, **kw), cols[0])  # unbatched
    check(lambda lib, x: lib.nn.functional.fold(lib.nn.functional.unfold(x, **kw), size, **kw),
          rng.standard_normal((2, 3) + size))


def test_fold_unfold_shuffle_gradchecks():
    x = rng.standard_normal((1, 2, 4, 3))
    gradchecks(lambda lib, x: lib.nn.functional.unfold(x, 2, padding=1, stride=(1, 2)), x)
    gradchecks(lambda lib, c: lib.nn.functional.fold(c, (3, 3), 2), rng.standard_normal((1, 8, 4)))
    gradchecks(lambda lib, x: lib.nn.functional.pixel_shuffle(x, 2), rng.standard_normal((1, 4, 2, 3)))
    gradchecks(lambda lib, x: lib.nn.functional.channel_shuffle(x, 2), x)


@pytest.mark.parametrize("name,args,kw,shape", [
    ("Unfold", ((2, 3),), dict(dilation=(2, 1), padding=1), (2, 3, 5, 6)),
    ("Fold", ((4, 5), 2), dict(stride=1), (2, 12, 12)),
    ("PixelShuffle", (3,), {}, (2, 9, 2, 3)),
    ("PixelUnshuffle", (2,), {}, (3, 4, 6)),
    ("ChannelShuffle", (3,), {}, (2, 6, 2, 2)),
])
def test_modules_match_torch(name, args, kw, shape):
    m, t = getattr(minitorch.nn, name)(*args, **kw), getattr(torch.nn, name)(*args, **kw)
    assert repr(m) == repr(t)
    check_module(m, t, rng.standard_normal(shape))


@pytest.mark.parametrize("fn,shape", [
    (lambda lib, x: lib.nn.functional.pixel_shuffle(x, 2), (2, 3, 4, 4)),
    (lambda lib, x: lib.nn.functional.pixel_shuffle(x, 0), (2, 4, 4, 4)),
    (lambda lib, x: lib.nn.functional.pixel_shuffle(x, 2), (4, 4)),
    (lambda lib, x: lib.nn.functional.pixel_unshuffle(x, 2), (2, 4, 3, 4)),
    (lambda lib, x: lib.nn.functional.pixel_unshuffle(x, 2), (2, 4, 4, 3)),
    (lambda lib, x: lib.nn.functional.pixel_unshuffle(x, -1), (2, 4, 4, 4)),
    (lambda lib, x: lib.nn.functional.channel_shuffle(x, 4), (2, 6, 4)),
    (lambda lib, x: lib.nn.functional.channel_shuffle(x, 0), (2, 6, 4)),
    (lambda lib, x: lib.nn.functional.channel_shuffle(x, 2), (6, 4)),
])
def test_shuffle_errors_match_torch(fn, shape):
    same_error(fn, rng.standard_normal(shape))


def test_fold_unfold_errors():
    for lib in (minitorch, torch):
        F = lib.nn.functional
        with pytest.raises(RuntimeError, match="divisible by the product of kernel_size"):
            F.fold(lib.tensor(rng.standard_normal((1, 5, 4))), (3, 3), 2)
        with pytest.raises(RuntimeError, match="match the calculated number of sliding blocks"):
            F.fold(lib.tensor(rng.standard_normal((1, 4, 5))), (3, 3), 2)
    for shape in [(4, 4), (1, 1, 4, 4, 4)]:
        same_error(lambda lib, x: lib.nn.functional.unfold(x, 2), rng.standard_normal(shape),
                   exc=IndexError if len(shape) == 2 else RuntimeError)


def test_top_level_forms_match_torch():
    x, w = rng.standard_normal((1, 4, 4, 4)), rng.standard_normal((2, 2, 2, 2))
    check(lambda lib, x: lib.pixel_shuffle(x, 2), x)
    check(lambda lib, x: lib.pixel_unshuffle(x, 2), x)
    check(lambda lib, x: lib.channel_shuffle(x, 2), x)
    check(lambda lib, x, w: lib.conv2d(x, w, groups=2, padding=1), x, w)
    check(lambda lib, x, w: lib.conv_transpose3d(x, w, stride=2), rng.standard_normal((1, 2, 2, 3, 2)), w[..., None])
