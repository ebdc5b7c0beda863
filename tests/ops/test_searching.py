"""Searching and counting against torch: op_db's reference inputs (values and dtypes in every supported dtype),
NaNs in unique, searchsorted's side/sorter/out_int32 and N-d sequences, isin with scalars, nonzero of 0-d
inputs, errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from tests._same import same_error
from tests.ops.test_sorting import run_error_inputs, run_opinfo
from tests.parity import check

NAMES = ["unique", "unique_consecutive", "bincount", "histc", "histogram", "searchsorted", "bucketize", "isin",
         "nonzero", "argwhere", "count_nonzero"]
DTYPES = (torch.float64, torch.float32, torch.int64, torch.int32, torch.uint8, torch.bool)


@pytest.mark.parametrize("name", NAMES)
def test_opinfo_reference_inputs(name):
    run_opinfo(name, dtypes=DTYPES, cap=60)


@pytest.mark.parametrize("name", ["unique", "unique_consecutive", "bincount", "histc", "histogram", "nonzero",
                                  "argwhere", "count_nonzero"])
def test_opinfo_method_variant(name):
    run_opinfo(name, dtypes=(torch.float64, torch.int64), cap=10, method=True)


def test_opinfo_error_inputs():
    run_error_inputs("bucketize")


def test_unique_keeps_every_nan_and_sorts():
    x = np.array([2.0, np.nan, 1.0, 2.0, np.nan, -0.5])
    check(lambda lib, a: lib.unique(a, return_inverse=True, return_counts=True), x, grad=False)
    check(lambda lib, a: a.unique(sorted=False), x, grad=False)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_unique_and_unique_consecutive_over_dim(dim):
    x = np.array([[1, 2, 1, 1], [3, 0, 3, 3], [1, 2, 1, 1]])
    for fn in (lambda lib, a: lib.unique(a, dim=dim, return_inverse=True, return_counts=True),
               lambda lib, a: lib.unique_consecutive(a, return_inverse=True, return_counts=True, dim=dim),
               lambda lib, a: a.unique_consecutive(return_counts=True)):
        check(fn, x, grad=False)


def test_searchsorted_options():
    seq = np.array([[1.0, 3.0, 3.0, 5.0], [0.0, 2.0, 4.0, 6.0]])
    vals = np.array([[3.0, 0.5, 6.0], [2.0, 7.0, -1.0]])
    for kw in ({}, {"right": True}, {"side": "right"}, {"side": "left"}, {"out_int32": True}):
        check(lambda lib, s, v: lib.searchsorted(s, v, **kw), seq, vals, grad=False)
        check(lambda lib, s, v: lib.searchsorted(s[0], v, **kw), seq, vals, grad=False)
    unsorted = np.array([5.0, 1.0, 3.0, 2.0])
    sorter = np.array([1, 3, 2, 0])
    check(lambda lib, s, v, o: lib.searchsorted(s, v, sorter=o), unsorted, vals, sorter, grad=False)
    check(lambda lib, s: lib.searchsorted(s, 3.0, right=True), unsorted[sorter], grad=False)
    check(lambda lib, s, v: lib.bucketize(v, s, right=True), unsorted[sorter], vals, grad=False)
    check(lambda lib, s: lib.bucketize(2, s), unsorted[sorter], grad=False)


def test_isin_scalars_and_invert():
    e, t = np.array([[1, 2], [3, 4]]), np.array([2, 4, 9])
    check(lambda lib, a, b: (lib.isin(a, b), lib.isin(a, b, invert=True), lib.isin(a, 2), lib.isin(3, b)), e, t,
          grad=False)
    check(lambda lib, a, b: lib.isin(a, b, assume_unique=True), e.astype(np.float32) + 0.5, t, grad=False)


def test_nonzero_of_zero_dim_and_as_tuple():
    for v in (np.array(3.0), np.array(0.0), np.zeros((2, 0)), np.array([[0, 1], [2, 0]])):
        check(lambda lib, a: (a.nonzero(), lib.nonzero(a, as_tuple=True), lib.argwhere(a)), v, grad=False)


def test_count_nonzero_dims():
    x = np.array([[[0, 1], [2, 0]], [[3, 4], [0, 0]]])
    for dim in (None, 0, -1, (0, 2), (1, 2, 0)):
        check(lambda lib, a: lib.count_nonzero(a, dim), x, grad=False)


def test_histc_and_histogram():
    x = np.array([0.0, 0.1, 0.5, 0.5, 1.0, 2.5, -1.0, 0.3])
    for bins, lo, hi in ((4, 0, 1), (3, 0, 0), (5, -1, 3), (1, 2, 2)):
        check(lambda lib, a: lib.histc(a, bins=bins, min=lo, max=hi), x, grad=False)
    w = np.linspace(0.5, 2.0, x.size)
    check(lambda lib, a, b: lib.histogram(a, 4, range=(0.0, 1.0), weight=b, density=True), x, w, grad=False)
    check(lambda lib, a, e: tuple(lib.histogram(a, e)), x, np.array([-1.0, 0.0, 0.5, 3.0]), grad=False)


BAD = [
    lambda lib: lib.tensor([[1, 2]]).bincount(),
    lambda lib: lib.tensor([-1, 2]).bincount(),
    lambda lib: lib.tensor([1.0, 2.0]).bincount(),
    lambda lib: lib.tensor([1, 2]).bincount(minlength=-1),
    lambda lib: lib.tensor([1, 2]).histc(),
    lambda lib: lib.tensor([1.0, 2.0]).histc(bins=0),
    lambda lib: lib.tensor([1.0, 2.0]).histc(min=3, max=1),
    lambda lib: lib.searchsorted(lib.tensor([[1.0, 2.0]]), 1.0),
    lambda lib: lib.searchsorted(lib.tensor([1.0, 2.0]), lib.tensor([1.0]), side="middle"),
    lambda lib: lib.searchsorted(lib.tensor([1.0, 2.0]), lib.tensor([1.0]), right=True, side="left"),
    lambda lib: lib.searchsorted(lib.tensor([[1.0, 2.0], [3.0, 4.0]]), lib.tensor([[1.0]] * 3)),
    lambda lib: lib.bucketize(lib.tensor([1.0]), lib.tensor([[1.0]])),
    lambda lib: lib.isin(1, 2),
    lambda lib: lib.unique(lib.tensor([1, 2]), dim=1),
]


@pytest.mark.parametrize("i", range(len(BAD)))
def test_bad_input_errors(i):
    same_error(BAD[i])
