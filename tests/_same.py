"""Checks shared by the test modules: one function of the library run in torch and in minitorch raises the
same error or gives the same value; the same data as a tensor of each library."""
from __future__ import annotations

import warnings
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


# Bad input answered as torch answers it: the same exception type with torch's words, or the same result.

def _name(dtype):
    return str(dtype).rsplit(".", 1)[-1]


def _plain(x, values=True):
    """A comparable form of a result: tensors as (shape, dtype, values), sizes as tuples, modules as repr."""
    if isinstance(x, (torch.Tensor, minitorch.Tensor)):
        arr = x.detach().numpy() if isinstance(x, torch.Tensor) else x.numpy()
        vals = ["nan" if v != v else v for v in arr.ravel().tolist()] if values else None
        return "tensor", tuple(x.shape), _name(x.dtype), vals
    if isinstance(x, (tuple, list)):  # also torch.Size, return_types.max, MinMaxResult
        return tuple(_plain(v, values) for v in x)
    if isinstance(x, (torch.dtype, minitorch.dtype)):
        return _name(x)
    if isinstance(x, (torch.nn.Module, minitorch.nn.Module)):
        return repr(x)
    return x


def _run(fn, lib, values):
    """("ok", plain result) or ("raised", exception); a numpy RuntimeWarning counts as a failure to hide."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", RuntimeWarning)
        try:
            return "ok", _plain(fn(lib), values)
        except Exception as e:  # noqa: BLE001 - the exception is what is compared
            return "raised", e


def _words(message):
    return " ".join(message.replace("minitorch.", "").replace("torch.", "").split())


def assert_like_torch(fn, words=None, values=True):
    """minitorch does what torch does with ``fn``: raises the same type with torch's message (or the given
    ``words``, found in both messages) inside its own, or returns the same result."""
    t_kind, t = _run(fn, torch, values)
    m_kind, m = _run(fn, minitorch, values)
    if t_kind == "raised":
        assert m_kind == "raised", f"torch raised {type(t).__name__}: {t}\nminitorch returned {m}"
        assert type(m) is type(t), f"torch raised {type(t).__name__}: {t}\nminitorch raised {type(m).__name__}: {m}"
        for w in words or [_words(str(t))]:
            assert w in _words(str(t)), f"{w!r} not in torch's message {t}"
            assert w in _words(str(m)), f"torch: {t}\nminitorch: {m}"
    else:
        assert m_kind == "ok", f"torch returned {t}\nminitorch raised {type(m).__name__}: {m}"
        assert m == t


def _arange(lib, *shape):
    return lib.arange(float(np.prod(shape))).reshape(shape)
