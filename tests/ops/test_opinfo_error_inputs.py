"""PyTorch's OpInfo error inputs run through minitorch.

For every entry of ``torch.testing._internal.common_methods_invocations.op_db`` whose op minitorch has
(tests/opinfo.py's ``resolve``: ``minitorch.<dotted name>``, an unbound ``Tensor`` method, or an
adapter in its ``CALLS``), each ``ErrorInput`` of ``op.error_inputs("cpu")`` is one test. It calls torch on the
sample and minitorch on the same sample converted (tensors with the same values, strides, dtype and
``requires_grad``; torch dtypes, devices and sizes mapped), and checks:

- torch raises what the ``ErrorInput`` says (a torch that accepts the input instead, as the
  ``clamp_max``/``clamp_min`` scalar cases do, must be matched by a minitorch that accepts it too);
- minitorch raises the ``ErrorInput``'s exception type and the builtin exception type torch really
  raised (a subclass is fine; a returned ``NotImplemented`` counts as a TypeError, as in torch's
  ``test_errors``);
- minitorch's message matches the ``error_regex`` (``re.search``). Every case gets this message check;
  the cases whose regex is empty (a Python scalar where a tensor is required) are thereby type-only.

``ALLOWED`` lists the cases not run, each with its reason: inputs minitorch cannot build (complex,
65 dims) and torch's rules for an ``out=`` tensor, which minitorch's functions do not take.
"""
from __future__ import annotations

from typing import Any, Callable

import pytest
from torch.testing._internal.common_methods_invocations import op_db

from tests.opinfo import error_input_failure, resolve

_OUT = "out=: minitorch's functions take no out tensor; torch's error is its rule for one (dtype, memory overlap)"
_COMPLEX = "a complex tensor: minitorch has no complex dtypes, so the input cannot be built"
_DIMS = "a 65-dim tensor: numpy, minitorch's storage, holds at most 64 dims, so the input cannot be built"

# Cases not run, with the reason.
ALLOWED: dict[str, str] = {
    "gradient-default-3": "a meta-device or complex tensor, which minitorch cannot build",
    "gradient-default-10": "a meta-device or complex tensor, which minitorch cannot build",
    "gradient-default-14": "a meta-device or complex tensor, which minitorch cannot build",
    "gradient-default-15": "a meta-device or complex tensor, which minitorch cannot build",
    "gradient-default-16": "a meta-device or complex tensor, which minitorch cannot build",
    "gradient-default-17": "a meta-device or complex tensor, which minitorch cannot build",
    "gradient-default-18": "a meta-device or complex tensor, which minitorch cannot build",
    "signal.windows.hamming-default-3": "a bfloat16 window, a dtype minitorch has no storage for",
    "signal.windows.hann-default-3": "a bfloat16 window, a dtype minitorch has no storage for",
    "signal.windows.bartlett-default-3": "a bfloat16 window, a dtype minitorch has no storage for",
    "signal.windows.blackman-default-3": "a bfloat16 window, a dtype minitorch has no storage for",
    "signal.windows.cosine-default-3": "a bfloat16 window, a dtype minitorch has no storage for",
    "signal.windows.exponential-default-3": "a bfloat16 window, a dtype minitorch has no storage for",
    "signal.windows.gaussian-default-3": "a bfloat16 window, a dtype minitorch has no storage for",
    "signal.windows.kaiser-default-3": "a bfloat16 window, a dtype minitorch has no storage for",
    "signal.windows.general_cosine-default-3": "a bfloat16 window, a dtype minitorch has no storage for",
    "signal.windows.general_hamming-default-3": "a bfloat16 window, a dtype minitorch has no storage for",
    "signal.windows.nuttall-default-3": "a bfloat16 window, a dtype minitorch has no storage for",
    "masked_fill-default-2": _COMPLEX,
    "masked_select-default-0": _OUT,
    "masked_select-default-1": _OUT,
    "masked_select-default-2": _OUT,
    "nn.functional.conv1d-default-1": _COMPLEX,
    "nn.functional.conv2d-default-1": _COMPLEX,
    "nn.functional.conv3d-default-1": _COMPLEX,
    "gather-default-1": _OUT,
    "gather-default-5": _OUT,
    "gather-default-6": _OUT,
    "gather-default-7": _OUT,
    "index_select-default-0": _OUT,
    "take-default-0": _OUT,
    "take-default-1": _OUT,
    "take-default-2": _OUT,
    "multinomial-default-2": _OUT,
    "bernoulli-default-0": _OUT,
    "amax-default-1": _DIMS,
    "amax-default-2": _DIMS,
    "amax-default-5": _OUT,
    "amin-default-1": _DIMS,
    "amin-default-2": _DIMS,
    "amin-default-5": _OUT,
    "cat-default-0": _OUT,
    "cat-default-6": _OUT,
    "cat-default-7": _OUT,
    "cat-default-8": _OUT,
    "cat-default-13": _OUT,
    "kthvalue-default-0": _OUT,
    "aminmax-default-1": _DIMS,
    "aminmax-default-2": _DIMS,
    "aminmax-default-3": _OUT,
}


def _collect() -> list:
    cases = []
    for op in op_db:
        fn = resolve(op)
        if fn is None:
            continue
        try:
            errors = list(op.error_inputs("cpu"))
        except TypeError:  # no error_inputs_func
            continue
        for i, error in enumerate(errors):
            cid = f"{op.name}-{op.variant_test_name or 'default'}-{i}"
            marks = [pytest.mark.skip(reason=ALLOWED[cid])] if cid in ALLOWED else []
            cases.append(pytest.param(op, fn, error, id=cid, marks=marks))
    return cases


CASES = _collect()


def test_collected_the_known_cases() -> None:
    ids = {p.id for p in CASES}
    assert len(CASES) >= 270
    assert not set(ALLOWED) - ids


@pytest.mark.parametrize("op,fn,error", CASES)
def test_error_input(op: Any, fn: Callable[..., Any], error: Any) -> None:
    r = error_input_failure(op, fn, error)
    assert r is None, r
