"""Sorting and selection against torch, driven by op_db's sample and reference inputs: values, indices (torch's
CPU tie-breaking, with ties and NaNs), dtypes, gradients with a random upstream gradient, gradcheck, and error
inputs. ``run_opinfo`` is the shared driver of tests/ops/test_{sorting,scan,searching,nan_reductions}.py."""
from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
import torch
from torch.testing._internal.common_methods_invocations import op_db

import minitorch
from tests.parity import assert_close, check, gradchecks

OPINFOS = {(o.name, o.variant_test_name): o for o in op_db}
TORCH_TO_MT = {getattr(torch, n): getattr(minitorch, n) for n in
               ("float16", "float32", "float64", "uint8", "int8", "int16", "int32", "int64", "bool")}


def to_mt(v):
    """A torch sample's argument as minitorch's (tensors copied with their requires_grad, dtypes mapped)."""
    if isinstance(v, torch.Tensor):
        return minitorch.tensor(v.detach().numpy().copy(), requires_grad=v.requires_grad)
    if isinstance(v, torch.dtype):
        return TORCH_TO_MT[v]
    if isinstance(v, (list, tuple)):
        return type(v)(to_mt(x) for x in v)
    if isinstance(v, dict):
        return {k: to_mt(x) for k, x in v.items()}
    return v


def _flat(out):
    if isinstance(out, (tuple, list)):
        return [x for o in out for x in _flat(o)]
    return [out]


def _leaves(args):
    return [a for a in _flat(list(args)) if isinstance(a, (torch.Tensor, minitorch.Tensor)) and a.requires_grad]


def compare_sample(fn_t, fn_m, sample, rng, grad=True, atol=1e-7, rtol=1e-6):
    """Run one SampleInput in both libraries; compare every output and, with a random upstream gradient,
    the gradient of every input that requires grad."""
    args_t = (sample.input, *sample.args)
    args_m = to_mt(args_t)
    out_t = fn_t(*args_t, **sample.kwargs)
    out_m = fn_m(*args_m, **to_mt(sample.kwargs))
    ft, fm = _flat(out_t), _flat(out_m)
    assert len(ft) == len(fm), f"{len(fm)} outputs (minitorch) != {len(ft)} (torch) for {sample}"
    for i, (m, t) in enumerate(zip(fm, ft)):
        if isinstance(t, torch.Tensor):
            assert isinstance(m, minitorch.Tensor), f"output {i} is {type(m)}"
            assert_close(m, t, atol, rtol, what=f"output {i} of {sample}")
        else:
            assert m == t
    if not grad:
        return
    pairs = [(m, t) for m, t in zip(fm, ft) if isinstance(t, torch.Tensor) and t.requires_grad]
    leaves_t, leaves_m = _leaves(args_t), _leaves(args_m)
    if not pairs or not leaves_t:
        return
    ups = [rng.standard_normal(tuple(t.shape)) for _, t in pairs]
    g_t = torch.autograd.grad([t for _, t in pairs], leaves_t, [torch.tensor(u, dtype=t.dtype) for u, (_, t)
                                                               in zip(ups, pairs)], allow_unused=True)
    g_m = minitorch.autograd.grad([m for m, _ in pairs], leaves_m, [minitorch.tensor(u, dtype=m.dtype) for u, (m, _)
                                                                    in zip(ups, pairs)], allow_unused=True)
    for i, (gm, gt, leaf) in enumerate(zip(g_m, g_t, leaves_m)):
        gm = np.zeros(leaf.shape) if gm is None else gm
        gt = np.zeros(tuple(leaf.shape)) if gt is None else gt
        assert_close(gm, gt, atol, rtol, what=f"gradient of input {i} of {sample}")


def _samples(op, dtype, grad, reference):
    gen = op.reference_inputs if reference else op.sample_inputs
    return gen("cpu", dtype, requires_grad=grad)


def run_opinfo(name, variant="", dtypes=(torch.float64, torch.float32, torch.int64, torch.bool), cap=80,
               method=False, fn_m=None, skip=None):
    """Every (capped) reference input of op_db's OpInfo ``name`` in the dtypes it supports: values and dtypes
    in all of them, gradients in float64. ``skip(sample)`` leaves out samples of a known bug elsewhere."""
    op = OPINFOS[(name, variant)]
    fn_t = op.method_variant if method else op.op
    if fn_m is None:
        fn_m = getattr(minitorch.Tensor, name) if method else getattr(minitorch, name)
    rng = np.random.default_rng(0)
    ran = 0
    for dtype in dtypes:
        if dtype not in op.supported_dtypes("cpu"):
            continue
        grad = dtype == torch.float64 and op.supports_autograd
        for sample in itertools.islice(_samples(op, dtype, grad, True), cap):
            if skip is not None and skip(sample):
                continue
            compare_sample(fn_t, fn_m, sample, rng, grad=grad)
            ran += 1
    assert ran


def run_error_inputs(name, fn_m=None):
    """op_db's error inputs: minitorch raises the same exception type with a message matching torch's regex."""
    op = OPINFOS[(name, "")]
    fn_m = fn_m or getattr(minitorch, name)
    n = 0
    for ei in op.error_inputs("cpu"):
        s = ei.sample_input
        if "out" in s.kwargs or s.input.ndim > 64:  # minitorch has no out= (nor more dims than numpy)
            continue
        with pytest.raises(ei.error_type) as info:
            fn_m(*to_mt((s.input, *s.args)), **to_mt(s.kwargs))
        assert re.search(ei.error_regex, str(info.value)), (str(info.value), ei.error_regex)
        n += 1
    assert n


NAMES = ["sort", "argsort", "msort", "topk", "kthvalue", "median", "nanmedian", "mode", "quantile", "nanquantile"]


@pytest.mark.parametrize("name", NAMES)
def test_opinfo_reference_inputs(name):
    run_opinfo(name, cap=40 if name.endswith("quantile") else 80)


@pytest.mark.parametrize("name", NAMES)
def test_opinfo_method_variant(name):
    run_opinfo(name, dtypes=(torch.float64,), cap=10, method=True)


def test_opinfo_error_inputs():
    run_error_inputs("kthvalue")


def _tied_rows(rng, shape, nan):
    a = rng.integers(0, 4, size=shape).astype(np.float64)
    if nan:
        a[rng.random(shape) < 0.25] = np.nan
    return a


SELECTIONS = {
    "sort": lambda lib, x: x.sort(-1),
    "sort_descending": lambda lib, x: x.sort(0, descending=True),
    "sort_stable": lambda lib, x: lib.sort(x, stable=True, dim=-1, descending=True),
    "argsort": lambda lib, x: x.argsort(0),
    "argsort_stable_descending": lambda lib, x: lib.argsort(x, dim=-1, descending=True, stable=True),
    "msort": lambda lib, x: lib.msort(x),
    "topk": lambda lib, x: x.topk(3),
    "topk_smallest": lambda lib, x: x.topk(2, 0, largest=False),
    "topk_unsorted": lambda lib, x: x.topk(5, sorted=False),
    "topk_partial_sort": lambda lib, x: x.topk(1, -1),
    "kthvalue": lambda lib, x: x.kthvalue(4, -1, True),
    "median": lambda lib, x: x.median(-1),
    "median_all": lambda lib, x: x.median(),
    "nanmedian": lambda lib, x: x.nanmedian(0, keepdim=True),
    "nanmedian_all": lambda lib, x: lib.nanmedian(x),
    "mode": lambda lib, x: x.mode(-1),
    "mode_dim0": lambda lib, x: lib.mode(x, 0, True),
}


@pytest.mark.parametrize("nan", [False, True])
@pytest.mark.parametrize("name", list(SELECTIONS))
def test_ties_and_nans_pick_torchs_indices(name, nan):
    """Few distinct values (and NaNs): which of the equal elements is reported, and where the gradient goes.
    Rows of 5 (insertion sorts) and of 70 (libstdc++'s introsort and partial sort paths)."""
    rng = np.random.default_rng(1)
    for shape in [(4, 5), (3, 70)]:
        check(SELECTIONS[name], _tied_rows(rng, shape, nan))


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool", "float32"])
@pytest.mark.parametrize("name", ["sort", "sort_descending", "topk", "kthvalue", "median", "mode", "argsort"])
def test_ties_in_other_dtypes(name, dtype):
    if dtype == "bool" and name in ("topk", "kthvalue", "median"):
        return  # torch has no bool kernel: test_bad_input_errors
    a = np.random.default_rng(2).integers(0, 2 if dtype == "bool" else 3, size=(3, 40)).astype(dtype)
    check(SELECTIONS[name], a, grad=False)


def test_all_nan_rows_of_nanmedian():
    check(lambda lib, x: x.nanmedian(-1), np.full((2, 9), np.nan))


def test_zero_dim_inputs():
    for fn in [lambda lib, x: x.sort(), lambda lib, x: x.topk(1), lambda lib, x: x.kthvalue(1),
               lambda lib, x: x.median(0), lambda lib, x: x.mode(), lambda lib, x: x.argsort(),
               lambda lib, x: x.quantile(0.3, 0, keepdim=True), lambda lib, x: x.nanmedian(-1, True)]:
        check(fn, np.array(1.5))


QUANTILE_CASES = [(0.3, None, False), (0.5, 1, True), (np.array([0.0, 0.25, 0.5, 1.0]), 0, False),
                  (np.array(0.75), -1, True), (np.array([0.1, 0.9]), None, True)]


@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("fn", ["quantile", "nanquantile"])
def test_quantile_interpolations_with_ties_and_nans(fn, interpolation):
    """Ties and NaNs: values, and which of several equal elements takes the gradient (torch sorts rows with
    4 nq^2 > n and selects the ranks by std::nth_element otherwise)."""
    rng = np.random.default_rng(3)
    for shape in [(4, 7), (3, 40)]:
        tied = np.round(rng.standard_normal(shape), 1)
        tied[1, 2] = tied[-1, :] = np.nan
        tied[0, ::2] = 0.5
        for dtype in ("float64", "float32"):
            for q, dim, keepdim in QUANTILE_CASES:
                qa = q if isinstance(q, float) else minitorch.tensor(q.astype(dtype))
                qt = q if isinstance(q, float) else torch.tensor(q.astype(dtype))

                def fn_(lib, a):
                    return getattr(lib, fn)(a, qa if lib is minitorch else qt, dim, keepdim,
                                            interpolation=interpolation)
                check(fn_, tied.astype(dtype), rtol=1e-6 if dtype == "float64" else 1e-5,
                      atol=1e-7 if dtype == "float64" else 1e-5)


@pytest.mark.parametrize("name", ["sort", "topk", "kthvalue", "median", "median_all", "nanmedian", "mode"])
def test_gradchecks(name):
    x = np.random.default_rng(4).permutation(24).reshape(4, 6).astype(np.float64) / 7
    gradchecks(SELECTIONS[name], x)


@pytest.mark.parametrize("interpolation", ["linear", "midpoint"])
def test_quantile_gradcheck(interpolation):
    x = np.random.default_rng(5).standard_normal((3, 5))
    gradchecks(lambda lib, a: lib.quantile(a, lib.tensor([0.2, 0.5, 0.9], dtype=lib.float64), dim=1,
                                           interpolation=interpolation), x)


def test_return_types_have_fields():
    v, i = minitorch.tensor([3.0, 1.0]).sort()
    r = minitorch.tensor([3.0, 1.0]).sort()
    assert r.values is not None and r.indices.dtype == minitorch.int64 and v.shape == i.shape
    assert minitorch.tensor([[1.0, 2.0]]).kthvalue(1).values.shape == (1,)


BAD = [
    lambda lib: lib.tensor([1.0, 2.0]).topk(3),
    lambda lib: lib.tensor([1.0, 2.0]).sort(2),
    lambda lib: lib.tensor([1.0, 2.0]).kthvalue(0),
    lambda lib: lib.zeros(2, 0).median(1),
    lambda lib: lib.zeros(2, 0).mode(1),
    lambda lib: lib.tensor([1, 2]).quantile(0.5),
    lambda lib: lib.tensor([1.0, 2.0]).quantile(1.5),
    lambda lib: lib.tensor([1.0, 2.0]).quantile(lib.tensor([0.5], dtype=lib.float64)),
    lambda lib: lib.tensor([True]).median(0),
    lambda lib: lib.tensor([True]).kthvalue(1),
    lambda lib: lib.tensor([True]).nanmedian(),
    lambda lib: lib.tensor([True]).topk(1),
    lambda lib: lib.tensor([1.0, 2.0]).quantile(lib.tensor([[0.5]], dtype=lib.float64)),
    lambda lib: lib.tensor([1.0, 2.0]).quantile(0.5, interpolation="cubic"),
    lambda lib: lib.tensor([]).quantile(0.5),
]


@pytest.mark.parametrize("i", range(len(BAD)))
def test_bad_input_errors(i):
    from tests._same import same_error

    same_error(BAD[i])


def test_node_names_are_torchs():
    calls = [lambda x: x.sort()[0], lambda x: x.topk(2)[0], lambda x: x.kthvalue(2)[0], lambda x: x.median(1)[0],
             lambda x: x.median(), lambda x: x.nanmedian(0)[0], lambda x: x.nanmedian(), lambda x: x.mode(1)[0],
             lambda x: x.cummax(0)[0], lambda x: x.cummin(1)[0], lambda x: x.cumprod(1), lambda x: x.logcumsumexp(0),
             lambda x: x.nansum()]
    data = np.random.default_rng(6).standard_normal((3, 4))
    for fn in calls:
        m = fn(minitorch.tensor(data, requires_grad=True)).grad_fn.name()
        assert m == fn(torch.tensor(data, requires_grad=True)).grad_fn.name()
