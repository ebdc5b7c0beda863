"""Checks shared by the test modules: one function of the library run in torch and in minitorch raises the
same error or gives the same value; the same data as a tensor of each library."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from tests.parity import TORCH_DTYPES


INF = float("inf")


def _raised(fn: Callable[[Any], Any], lib: Any) -> BaseException:
    with pytest.raises(Exception) as info:
        fn(lib)
    return info.value


def same_error(fn: Callable[[Any], Any], same_text: bool = True) -> None:
    """``fn(torch)`` and ``fn(minitorch)`` raise the same exception type (and the same message)."""
    et, em = _raised(fn, torch), _raised(fn, minitorch)
    assert type(em) is type(et), (em, et)
    if same_text:
        t, m = str(et), str(em)
        assert t.startswith(m) or m.startswith(t), (m, t)


def same_value(fn: Callable[[Any], Any]) -> None:
    """``fn(torch)`` and ``fn(minitorch)`` give tensors of the same shape, dtype and values."""
    t, m = fn(torch), fn(minitorch)
    assert list(m.shape) == list(t.shape)
    assert str(m.dtype).split(".")[-1] == str(t.dtype).split(".")[-1]
    np.testing.assert_array_equal(m.detach().numpy(), t.detach().numpy())


DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def both(arr, **kw):
    """The same numpy data as a minitorch and a torch tensor."""
    return minitorch.tensor(arr, **kw), torch.tensor(arr, **kw)


def same_dtype(m, t):
    assert TORCH_DTYPES[m.dtype.name] == t.dtype, f"{m.dtype} != {t.dtype}"
