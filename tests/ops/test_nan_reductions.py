"""NaN-skipping and two-result reductions against torch: op_db's reference inputs (values, dtypes, gradients),
all-NaN slices, var_mean/std_mean overloads, aminmax ties, gradcheck, errors; and the op_db check of the
existing prod and logsumexp (ops/reduction.py)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests._same import same_error
from tests.ops.test_sorting import run_error_inputs, run_opinfo
from tests.parity import check, gradchecks

CASES = [("nansum", ""), ("nanmean", ""), ("var_mean", ""), ("var_mean", "unbiased"), ("std_mean", ""),
         ("std_mean", "unbiased"), ("aminmax", ""), ("prod", ""), ("logsumexp", "")]


@pytest.mark.parametrize("name,variant", CASES)
def test_opinfo_reference_inputs(name, variant):
    # prod(dtype=torch.bool) gives int64 in minitorch (np.prod of bools), reported to ops/reduction.py's owner
    run_opinfo(name, variant, skip=lambda s: name == "prod" and s.kwargs.get("dtype") == torch.bool)


@pytest.mark.parametrize("name", ["nansum", "nanmean", "aminmax"])
def test_opinfo_method_variant(name):
    run_opinfo(name, dtypes=(torch.float64,), cap=10, method=True)


def test_opinfo_error_inputs():
    run_error_inputs("aminmax")


def _nans():
    x = np.random.default_rng(0).standard_normal((3, 4))
    x[0, 1] = x[2, :] = np.nan
    return x


@pytest.mark.parametrize("dim", [None, 0, 1, (0, 1), []])
@pytest.mark.parametrize("keepdim", [False, True])
def test_nansum_nanmean_with_all_nan_slices(dim, keepdim):
    check(lambda lib, a: (lib.nansum(a, dim, keepdim), a.nanmean(dim, keepdim=keepdim)), _nans())


def test_nansum_dtypes():
    for dtype in ("int8", "uint8", "int32", "bool", "float32"):
        check(lambda lib, a: (a.nansum(), lib.nansum(a, 0, dtype=lib.float64)), np.ones((2, 3), dtype), grad=False)


@pytest.mark.parametrize("fn", ["var_mean", "std_mean"])
def test_var_mean_overloads(fn):
    x = np.random.default_rng(1).standard_normal((3, 5))
    for call in (lambda lib, a: getattr(lib, fn)(a),
                 lambda lib, a: getattr(lib, fn)(a, 1),
                 lambda lib, a: getattr(lib, fn)(a, False),
                 lambda lib, a: getattr(lib, fn)(a, 0, True, True),
                 lambda lib, a: getattr(lib, fn)(a, (0, 1), unbiased=False),
                 lambda lib, a: getattr(lib, fn)(a, 1, correction=2, keepdim=True),
                 lambda lib, a: getattr(lib, fn)(a, dim=None, correction=0)):
        check(call, x)


def test_aminmax_ties_and_dims():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
    for call in (lambda lib, a: tuple(a.aminmax()), lambda lib, a: tuple(lib.aminmax(a, dim=1)),
                 lambda lib, a: tuple(a.aminmax(dim=0, keepdim=True)), lambda lib, a: tuple(a.aminmax(keepdim=True))):
        check(call, x)
    check(lambda lib, a: tuple(a.aminmax()), np.array(1.5))
    check(lambda lib, a: tuple(a.aminmax(dim=0)), np.array([[1, 5], [3, 2]]), grad=False)
    r = minitorch.tensor([1.0, 2.0]).aminmax()
    assert float(r.min) == 1.0 and float(r.max) == 2.0


def test_gradchecks():
    x = np.random.default_rng(2).standard_normal((3, 4))
    gradchecks(lambda lib, a: a.nansum(1), x)
    gradchecks(lambda lib, a: lib.nanmean(a, 0), x)
    gradchecks(lambda lib, a: lib.var_mean(a, 1), x)
    gradchecks(lambda lib, a: lib.std_mean(a, 0, correction=0), x)
    gradchecks(lambda lib, a: a.aminmax(dim=1), np.random.default_rng(3).permutation(12).reshape(3, 4) / 5.0)


BAD = [
    lambda lib: lib.tensor([1, 2]).nanmean(),
    lambda lib: lib.zeros(0).aminmax(),
    lambda lib: lib.zeros(2, 0).aminmax(dim=1),
    lambda lib: lib.var_mean(lib.tensor([1, 2])),
    lambda lib: lib.var_mean([1.0, 2.0]),
]


@pytest.mark.parametrize("i", range(len(BAD)))
def test_bad_input_errors(i):
    same_error(BAD[i])
