"""PyTorch's OpInfo sample and reference inputs run through minitorch (tests/opinfo.py's machinery).

One test per (op_db entry minitorch has, dtype): its first ``PYTEST_CAP`` sample inputs and reference
inputs must all pass (outputs, and float64 gradients with a random upstream gradient, equal to torch's).
Entries that minitorch gains later are collected as they appear. ``KNOWN_FAILURES`` is the to-do list:
the cases that fail today, each with its reason; such a case is an expected failure, and it must still fail
(a case that starts passing fails, so the list cannot go stale). ``PYTHONPATH=. python -m tests.opinfo
--known-failures`` prints the failing cases with their first failures.

``test_gradcheck`` runs ``minitorch.autograd.gradcheck`` on up to two small float64 samples of every
differentiable entry minitorch has.
"""
from __future__ import annotations

from typing import Any

import pytest
import torch

from tests import opinfo

# torch's as_strided_scatter gradient for ``input`` is not the derivative (pytorch PR #77128's review says so):
# minitorch keeps the correct one, tested in tests/ops/test_shape_extra.py against torch's clone-then-copy route.
KNOWN_FAILURES: dict[str, str] = {
    'as_strided_scatter-float64': "torch's input gradient is not the derivative; minitorch's is",
}

# gradcheck cases that fail today (entry id -> reason).
# max_unpool's samples scatter several values to one output position (repeated indices): the gradient (torch's
# too, which minitorch matches in test_samples) is not the finite-difference one; op_db's ".grad" variants,
# with distinct indices, pass
_UNPOOL = "repeated indices: torch's gradient (which minitorch matches) is not the finite-difference one"
KNOWN_GRADCHECK_FAILURES: dict[str, str] = {
    'nn.functional.max_unpool1d': _UNPOOL,
    'nn.functional.max_unpool2d': _UNPOOL,
    'nn.functional.max_unpool3d': _UNPOOL,
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
