"""PyTorch's OpInfo sample and reference inputs run through minitorch (tests/opinfo.py's machinery).

One test per (op_db entry minitorch has, dtype): its first ``PYTEST_CAP`` sample inputs and reference
inputs must all pass (outputs, and float64 gradients with a random upstream gradient, equal to torch's).
Entries that minitorch gains later are collected as they appear. ``KNOWN_FAILURES`` is the to-do list:
the cases that fail today, each with its first failure; such a case is an expected failure, and it must
still fail (a case that starts passing fails, so the list cannot go stale). Refresh it with
``PYTHONPATH=. python -m tests.opinfo --known-failures``.

``test_gradcheck`` runs ``minitorch.autograd.gradcheck`` on up to two small float64 samples of every
differentiable entry minitorch has.
"""
from __future__ import annotations

from typing import Any

import pytest
import torch

from tests import opinfo

KNOWN_FAILURES: dict[str, str] = {
    'flatten-bool': 'reference 3: RuntimeError: cannot reshape tensor of 0 elements into shape [5, 4, 0, 1, -1] because the unspecified dimension size -1 can be any value and is ambiguous',
    'flatten-float32': 'reference 3: RuntimeError: cannot reshape tensor of 0 elements into shape [5, 4, 0, 1, -1] because the unspecified dimension size -1 can be any value and is ambiguous',
    'flatten-float64': 'reference 3: RuntimeError: cannot reshape tensor of 0 elements into shape [5, 4, 0, 1, -1] because the unspecified dimension size -1 can be any value and is ambiguous',
    'flatten-int64': 'reference 3: RuntimeError: cannot reshape tensor of 0 elements into shape [5, 4, 0, 1, -1] because the unspecified dimension size -1 can be any value and is ambiguous',
    'index_select-bool': 'sample 0: IndexError: too many indices for tensor of dimension 0',
    'index_select-float32': 'sample 0: IndexError: too many indices for tensor of dimension 0',
    'index_select-float64': 'sample 0: IndexError: too many indices for tensor of dimension 0',
    'index_select-int64': 'sample 0: IndexError: too many indices for tensor of dimension 0',
    'nn.functional.avg_pool1d-int64': 'sample 0: RuntimeError: avg_pool1d: expected a floating point input, but got input of dtype minitorch.int64',
    'nn.functional.avg_pool2d-int64': 'sample 0: RuntimeError: avg_pool2d: expected a floating point input, but got input of dtype minitorch.int64',
    'nn.functional.batch_norm-float32': 'sample 3: ValueError: batch_norm: expected input of shape (N, C, *), got input of size [0]',
    'nn.functional.batch_norm-float64': 'sample 3: ValueError: batch_norm: expected input of shape (N, C, *), got input of size [0]',
    'nn.functional.conv1d-int64': 'sample 0: RuntimeError: conv1d: expected a floating point input, but got input of dtype minitorch.int64',
    'nn.functional.conv2d-int64': 'sample 0: RuntimeError: conv2d: expected a floating point input, but got input of dtype minitorch.int64',
    'nn.functional.conv_transpose1d-int64': 'sample 0: RuntimeError: conv_transpose1d: expected a floating point input, but got input of dtype minitorch.int64',
    'nn.functional.conv_transpose2d-int64': 'sample 0: RuntimeError: conv_transpose2d: expected a floating point input, but got input of dtype minitorch.int64',
    'nn.functional.interpolate.bicubic-float32': 'sample 0: NotImplementedError: interpolate: Input Error: Only 3D, 4D and 5D input Tensors supported (got 4D) for the modes: nearest | nearest-exact | linear | bilinear | trilinear | area (got',
    'nn.functional.interpolate.bicubic-float64': 'sample 0: NotImplementedError: interpolate: Input Error: Only 3D, 4D and 5D input Tensors supported (got 4D) for the modes: nearest | nearest-exact | linear | bilinear | trilinear | area (got',
    'nn.functional.max_pool2d-int64': 'sample 0: RuntimeError: max_pool2d: expected a floating point input, but got input of dtype minitorch.int64',
    'nn.functional.multi_head_attention_forward-float32': 'sample 1: output[0]: 2/6 values differ, e.g. at [2, 0] np.float32(-3.6432605) vs torch np.float32(322.6302)',
    'nn.functional.multi_head_attention_forward-float64': 'sample 0: output[0]: 6/12 values differ, e.g. at [0, 0, 0] np.float64(-104.82131067854421) vs torch np.float64(119.13421093670175)',
    'nn.functional.pad.replicate_negative-float32': 'sample 0: RuntimeError: pad: cannot replicate-pad dimension 3 of input [5, 3, 4, 4] by (-4, 5)',
    'nn.functional.pad.replicate_negative-float64': 'sample 0: RuntimeError: pad: cannot replicate-pad dimension 3 of input [5, 3, 4, 4] by (-4, 5)',
    'nn.functional.pad.replicate_negative-int64': 'sample 0: RuntimeError: pad: cannot replicate-pad dimension 3 of input [5, 3, 4, 4] by (-4, 5)',
    'nn.functional.scaled_dot_product_attention-float32': 'sample 2: output: 56/96 values differ, e.g. at [0, 2, 0] np.float32(16.176113) vs torch np.float32(8.2003916e-22)',
    'nn.functional.scaled_dot_product_attention-float64': 'sample 2: output: 56/96 values differ, e.g. at [0, 1, 0] np.float64(-8.520984713363154) vs torch np.float64(0.0)',
    'norm.nuc-float32': "sample 0: RuntimeError: norm(): p='nuc' is not supported by minitorch; use 'fro' or a real number",
    'norm.nuc-float64': "sample 0: RuntimeError: norm(): p='nuc' is not supported by minitorch; use 'fro' or a real number",
    'repeat-float64': 'sample 2: backward raised ZeroDivisionError: integer division or modulo by zero',
    'unfold-bool': 'sample 0: IndexError: tuple index out of range',
    'unfold-float32': 'sample 0: IndexError: tuple index out of range',
    'unfold-float64': 'sample 0: IndexError: tuple index out of range',
    'unfold-int64': 'sample 0: IndexError: tuple index out of range',
}

# gradcheck cases that fail today (entry id -> reason).
KNOWN_GRADCHECK_FAILURES: dict[str, str] = {
    # minitorch matches torch's clamp gradient (the harness compares it); where min > max torch's formula
    # still sends the gradient to min, which central differences do not see
    'clamp': 'sample 1: GradcheckError: Jacobian mismatch for output 0 with respect to input 1,',
    'index_select': 'sample 0: IndexError: too many indices for tensor of dimension 0',
    'norm.nuc': "sample 0: RuntimeError: norm(): p='nuc' is not supported by minitorch; use 'fro' or a real number",
    'unfold': 'sample 0: IndexError: tuple index out of range',
}

CASES = [pytest.param(op, d, id=opinfo.case_id(op, d))
         for op in opinfo.ENTRIES if opinfo.resolve(op) is not None for d in opinfo.entry_dtypes(op)]
GRAD_CASES = [pytest.param(op, id=opinfo.entry_id(op)) for op in opinfo.ENTRIES if opinfo.differentiable(op)]


def test_entry_set() -> None:
    """op_db's entries less the set-aside ones (torch internals, complex-only, CUDA-only, sparse)."""
    assert len(opinfo.ENTRIES) + len(opinfo.SET_ASIDE) == len(opinfo.op_db)
    assert 640 <= len(opinfo.ENTRIES) <= 680


def test_known_failures_exist() -> None:
    ids = {p.id for p in CASES}
    assert not set(KNOWN_FAILURES) - ids, f"stale KNOWN_FAILURES ids: {sorted(set(KNOWN_FAILURES) - ids)}"
    gids = {p.id for p in GRAD_CASES}
    assert not set(KNOWN_GRADCHECK_FAILURES) - gids, sorted(set(KNOWN_GRADCHECK_FAILURES) - gids)


@pytest.mark.parametrize("op,dtype", CASES)
def test_samples(op: Any, dtype: torch.dtype) -> None:
    cid = opinfo.case_id(op, dtype)
    failure = opinfo.first_failure(opinfo.run_entry(op, dtype, opinfo.PYTEST_CAP))
    if cid in KNOWN_FAILURES:
        assert failure is not None, f"{cid} passes now: remove it from KNOWN_FAILURES"
        pytest.xfail(f"known failure: {failure}")
    assert failure is None, failure


@pytest.mark.parametrize("op", GRAD_CASES)
def test_gradcheck(op: Any) -> None:
    eid = opinfo.entry_id(op)
    failures = opinfo.gradcheck_entry(op)
    if eid in KNOWN_GRADCHECK_FAILURES:
        assert failures, f"{eid} passes gradcheck now: remove it from KNOWN_GRADCHECK_FAILURES"
        pytest.xfail(f"known failure: {failures[0]}")
    assert not failures, failures[0]
