"""conv3d, conv_transpose1d/2d/3d and nn.Conv3d / nn.ConvTranspose3d against torch, driven by op_db's samples;
gradcheck and gradgradcheck; torch's errors. Also holds the op_db helpers the other F2 test files share."""
import itertools
import re
import warnings

import numpy as np
import pytest
import torch
from torch.testing._internal.common_methods_invocations import op_db

import minitorch
from tests.parity import check, check_module, gradchecks

rng = np.random.default_rng(0)


class _Slot:
    """Where a tensor of an op_db sample goes in the call (its data is passed to ``check`` as an array)."""

    def __init__(self, i: int) -> None:
        self.i = i


def opdb_cases(name: str, variant: str = "", dtype=torch.float64, limit: int = 12, reference: bool = True) -> list:
    """Up to ``limit`` op_db sample (and reference) inputs of one OpInfo as (args, kwargs, arrays) with the
    tensors replaced by slots into ``arrays``."""
    op = next(o for o in op_db if o.name == name and o.variant_test_name == variant)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        samples = list(itertools.islice(op.sample_inputs("cpu", dtype), limit))
        if reference and len(samples) < limit:
            try:
                samples += list(itertools.islice(op.reference_inputs("cpu", dtype), limit - len(samples)))
            except NotImplementedError:
                pass
    cases = []
    for s in samples:
        arrays = []

        def enc(v):
            if isinstance(v, torch.Tensor):
                arrays.append(v.detach().numpy().copy())
                return _Slot(len(arrays) - 1)
            return v
        cases.append(([enc(a) for a in (s.input, *s.args)], {k: enc(v) for k, v in s.kwargs.items()}, arrays))
    return cases


def call(fname: str, case: tuple):
    """A ``check`` function calling ``lib.nn.functional.<fname>`` on an op_db case."""
    args, kwargs, _ = case

    def fn(lib, *ts):
        dec = lambda v: ts[v.i] if isinstance(v, _Slot) else v  # noqa: E731
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return getattr(lib.nn.functional, fname)(*[dec(a) for a in args], **{k: dec(v) for k, v in kwargs.items()})
    return fn


def run_opdb(fname: str, case: tuple, dtype=torch.float64) -> None:
    """Values, dtypes and gradients (random upstream gradient) of one op_db case against torch."""
    tol = dict(atol=1e-7, rtol=1e-6) if dtype == torch.float64 else dict(atol=1e-5, rtol=1e-4)
    check(call(fname, case), *case[2], **tol)


def error_cases(name: str) -> list:
    """op_db's error inputs of one OpInfo whose tensors minitorch can hold (no complex ones)."""
    op = next(o for o in op_db if o.name == name)
    return [e for e in op.error_inputs("cpu")
            if all(not (isinstance(t, torch.Tensor) and t.is_complex())
                   for t in (e.sample_input.input, *e.sample_input.args, *e.sample_input.kwargs.values()))]


def _mt(v):
    return minitorch.tensor(v.detach().numpy().copy()) if isinstance(v, torch.Tensor) else v


def run_error(fname: str, e) -> None:
    """minitorch raises op_db's error type with a message op_db's regex finds."""
    s = e.sample_input
    with pytest.raises(e.error_type, match=e.error_regex):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            getattr(minitorch.nn.functional, fname)(*[_mt(a) for a in (s.input, *s.args)],
                                                    **{k: _mt(v) for k, v in s.kwargs.items()})


def same_error(fn, *arrays, exc=RuntimeError) -> None:
    """fn(lib, *tensors) raises the same exception type with the same message in both frameworks (minitorch's
    ``minitorch.Size`` / ``minitorch.float32`` read as torch's)."""
    msgs = []
    for lib in (minitorch, torch):
        with pytest.raises(exc) as info:
            fn(lib, *[lib.tensor(a) for a in arrays])
        msgs.append(str(info.value))
    assert msgs[0].replace("minitorch.", "torch.") == msgs[1], msgs


CONV = ["conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]


@pytest.mark.parametrize("name", CONV)
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_conv_opdb_samples_match_torch(name, dtype):
    cases = opdb_cases(f"nn.functional.{name}", dtype=dtype, limit=10 if dtype == torch.float64 else 4)
    assert cases
    for case in cases:
        run_opdb(name, case, dtype)


@pytest.mark.parametrize("e", error_cases("nn.functional.conv3d"), ids=lambda e: e.error_regex[:40])
def test_conv3d_opdb_errors(e):
    run_error("conv3d", e)


def test_conv3d_hand_cases_match_torch():
    x = rng.standard_normal((2, 4, 5, 4, 6))
    for w_shape, kw in [((6, 2, 2, 3, 1), dict(stride=(2, 1, 3), padding=(1, 0, 2), dilation=(2, 1, 1), groups=2)),
                        ((3, 4, 2, 2, 2), dict(padding="same", dilation=2)),
                        ((4, 1, 3, 1, 2), dict(padding="valid", groups=4))]:
        check(lambda lib, x, w, b: lib.nn.functional.conv3d(x, w, b, **kw), x, rng.standard_normal(w_shape),
              rng.standard_normal(w_shape[0]))


def test_conv_transpose3d_hand_cases_match_torch():
    x = rng.standard_normal((2, 4, 3, 2, 3))
    w = rng.standard_normal((4, 3, 2, 3, 2))
    kw = dict(stride=(2, 3, 1), padding=(1, 0, 1), output_padding=(1, 2, 0), groups=2, dilation=(1, 1, 2))
    check(lambda lib, x, w, b: lib.nn.functional.conv_transpose3d(x, w, b, **kw), x, w, rng.standard_normal(6))
    check(lambda lib, x, w: lib.nn.functional.conv_transpose3d(x, w), x[0], w)  # unbatched


def test_conv3d_gradcheck_and_gradgradcheck():
    x, w, b = rng.standard_normal((1, 2, 3, 3, 2)), rng.standard_normal((2, 1, 2, 2, 1)), rng.standard_normal(2)
    gradchecks(lambda lib, x, w, b: lib.nn.functional.conv3d(x, w, b, padding=(1, 0, 1), groups=2), x, w, b)
    gradchecks(lambda lib, x, w, b: lib.nn.functional.conv_transpose3d(x, w, b, stride=2, output_padding=1),
               x, rng.standard_normal((2, 1, 2, 1, 2)), rng.standard_normal(1))


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_conv3d_module_matches_torch(mode):
    kw = dict(stride=(1, 2, 1), padding=(1, 1, 0), dilation=(1, 1, 2), groups=2, padding_mode=mode)
    m, t = minitorch.nn.Conv3d(4, 2, (2, 3, 2), **kw).double(), torch.nn.Conv3d(4, 2, (2, 3, 2), **kw).double()
    assert repr(m) == repr(t)
    assert [(k, tuple(v.shape)) for k, v in m.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in t.state_dict().items()]
    check_module(m, t, rng.standard_normal((2, 4, 3, 4, 5)))


def test_conv3d_module_same_padding_and_no_bias():
    m = minitorch.nn.Conv3d(2, 3, 3, padding="same", bias=False).double()
    t = torch.nn.Conv3d(2, 3, 3, padding="same", bias=False).double()
    assert repr(m) == repr(t)
    check_module(m, t, rng.standard_normal((1, 2, 4, 3, 5)))


def test_conv_transpose3d_module_and_output_size_match_torch():
    kw = dict(stride=(2, 1, 3), padding=(0, 1, 1), groups=2, dilation=(1, 2, 1))
    m = minitorch.nn.ConvTranspose3d(4, 6, (2, 2, 3), **kw).double()
    t = torch.nn.ConvTranspose3d(4, 6, (2, 2, 3), **kw).double()
    assert repr(m) == repr(t)
    x = rng.standard_normal((2, 4, 3, 3, 2))
    check_module(m, t, x)
    check_module(m, t, x, forward=lambda mod, x: mod(x, output_size=[7, 3, 6]))
    with pytest.raises(ValueError, match="requested an output size of"):
        m(minitorch.tensor(x), output_size=[9, 3, 6])
    with pytest.raises(ValueError, match="requested an output size of"):
        t(torch.tensor(x), output_size=[9, 3, 6])


def test_conv_transpose3d_errors_match_torch():
    x, w = rng.standard_normal((1, 2, 3, 3, 3)), rng.standard_normal((2, 2, 2, 2, 2))
    same_error(lambda lib, x, w: lib.nn.functional.conv_transpose3d(x, w, stride=1, output_padding=1), x, w)
    same_error(lambda lib, x, w: lib.nn.functional.conv_transpose3d(x, w), x[0, 0], w)
    same_error(lambda lib, x, w: lib.nn.functional.conv3d(x, w, padding="same", stride=2), x, w)
    with pytest.raises(ValueError, match="Only \"zeros\" padding mode"):
        minitorch.nn.ConvTranspose3d(2, 2, 2, padding_mode="reflect")
