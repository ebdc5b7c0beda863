"""PyTorch's OpInfo error inputs run through minitorch.

For every entry of ``torch.testing._internal.common_methods_invocations.op_db`` whose op minitorch
has, each ``ErrorInput`` of ``op.error_inputs("cpu")`` is converted to minitorch (tensors with the
same values, strides, dtype and ``requires_grad``; torch dtypes, devices and sizes mapped) and
called; minitorch must raise torch's exception type (or a subclass) and, unless the case is in
``TYPE_ONLY``, a message that ``re.search`` finds torch's ``error_regex`` in.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import numpy as np
import pytest
import torch
from torch.testing._internal.common_methods_invocations import op_db

import minitorch
import minitorch.nn.functional as F

from tests.parity import TORCH_DTYPES

DTYPES = {t: getattr(minitorch, name) for name, t in TORCH_DTYPES.items()}

# Ops whose OpInfo wraps a call that is not ``fn(input, *args, **kwargs)`` of the same name.
CALLS: dict[tuple[str, str], Callable[..., Any]] = {
    ("item", ""): lambda x, *a, **k: x.item(*a, **k),
    ("normal", "in_place"): lambda x, *a, **k: x.normal_(*a, **k),
    ("uniform", ""): lambda x, *a, **k: x.uniform_(*a, **k),
    ("reshape_as", ""): lambda x, other: x.reshape_as(other),
    ("view", ""): lambda x, shape: x.view(shape),
    ("view_as", ""): lambda x, other: x.view_as(other),
    ("nn.functional.embedding", ""): lambda weight, idx, **k: F.embedding(idx, weight, **k),
}

# Cases checked by exception type alone: torch's regex is internal wording that names no
# shape, dtype, dim or argument.
TYPE_ONLY: dict[str, str] = {}

# Cases not run: torch's behaviour there is a CUDA-only or internal detail.
ALLOWED: dict[str, str] = {}


def _resolve(name: str) -> Callable[..., Any] | None:
    """minitorch's function for an OpInfo name: ``minitorch.<name>``, ``F.<name>`` or a Tensor method."""
    if name.startswith("nn.functional."):
        return getattr(F, name[len("nn.functional."):], None)
    return getattr(minitorch, name, None) or getattr(minitorch.Tensor, name, None)


def _to_minitorch(v: Any) -> Any:
    """A torch value as minitorch sees it: tensors (same strides), dtypes, devices and sizes mapped."""
    if isinstance(v, torch.Tensor):
        arr = v.detach().clone().numpy()
        out = minitorch.from_numpy(arr)
        return out.requires_grad_() if v.requires_grad else out
    if isinstance(v, torch.dtype):
        return DTYPES[v]
    if isinstance(v, torch.device):
        return "cpu"
    if isinstance(v, torch.Size):
        return tuple(v)
    if isinstance(v, (list, tuple)):
        return type(v)(_to_minitorch(x) for x in v)
    if isinstance(v, dict):
        return {k: _to_minitorch(x) for k, x in v.items()}
    return v


def _collect() -> list:
    cases = []
    for op in op_db:
        fn = CALLS.get((op.name, op.variant_test_name)) or _resolve(op.name)
        if fn is None:
            continue
        try:
            errors = list(op.error_inputs("cpu"))
        except TypeError:  # no error_inputs_func
            continue
        for i, e in enumerate(errors):
            variant = op.variant_test_name or "default"
            cid = f"{op.name}-{variant}-{i}"
            marks = [pytest.mark.skip(reason=ALLOWED[cid])] if cid in ALLOWED else []
            cases.append(pytest.param(fn, e, id=cid, marks=marks))
    return cases


CASES = _collect()


@pytest.mark.parametrize("fn,error", CASES)
def test_error_input(fn: Callable[..., Any], error: Any, request: pytest.FixtureRequest) -> None:
    s = error.sample_input
    x, args, kwargs = _to_minitorch(s.input), _to_minitorch(s.args), _to_minitorch(s.kwargs)
    with pytest.raises(error.error_type) as info:
        fn(x, *args, **kwargs)
    cid = request.node.callspec.id
    if cid not in TYPE_ONLY:
        assert re.search(error.error_regex, str(info.value)), (error.error_regex, str(info.value))
