"""Creation functions against torch (minitorch/creation.py): tensor(), zeros/ones/full/empty, arange, linspace, eye,
the *_like and new_* functions, from_numpy/as_tensor; dtypes inferred, sizes and data checked like torch."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pytest
import torch

import minitorch
from tests._same import DTYPES, both, same_dtype, same_error, same_value
from tests.parity import TORCH_DTYPES, assert_close


# tensor() from out-of-range ints and ragged lists
@pytest.mark.parametrize("data", [[2**63], [-(2**63) - 1], [2**64], [[1, 2], [3]], [[1, 2], [3, 4, 5]],
                                  [[[1], [2]], [[3], [4, 5]]], [1.0, [2.0]], [[1, 2], 3]])
def test_tensor_from_bad_nested_data(data: list) -> None:
    same_error(lambda lib: lib.tensor(data))


def test_tensor_from_largest_int64() -> None:
    same_value(lambda lib: lib.tensor([2**63 - 1, -(2**63)]))


# dtype=float is float64, as in torch
@pytest.mark.parametrize("py", [float, int, bool])
def test_python_type_as_dtype(py: type) -> None:
    same_value(lambda lib: lib.zeros(2, dtype=py))


# device= and requires_grad= on the *_like functions, logspace and normal
@pytest.mark.parametrize("fn", [
    lambda lib: lib.zeros_like(lib.ones(2), device="cpu", requires_grad=True),
    lambda lib: lib.ones_like(lib.ones(2), device="cpu", requires_grad=True),
    lambda lib: lib.empty_like(lib.ones(2), device="cpu", requires_grad=True),
    lambda lib: lib.full_like(lib.ones(2), 3.0, device="cpu", requires_grad=True),
    lambda lib: lib.rand_like(lib.ones(2), device="cpu", requires_grad=True),
    lambda lib: lib.randn_like(lib.ones(2), device="cpu", requires_grad=True),
    lambda lib: lib.randint_like(lib.ones(2), 3, device="cpu"),
    lambda lib: lib.logspace(0, 1, 3, device="cpu", requires_grad=True),
    lambda lib: lib.normal(0.0, 1.0, (2,), device="cpu", requires_grad=True),
])
def test_device_and_requires_grad_keywords(fn: Callable) -> None:
    t, m = fn(torch), fn(minitorch)
    assert list(m.shape) == list(t.shape) and m.requires_grad == t.requires_grad
    assert str(m.dtype).split(".")[-1] == str(t.dtype).split(".")[-1] and str(m.device) == str(t.device)


# ---------------------------------------------------------------------------------------------- creation
@pytest.mark.parametrize("data", [
    1.5, 3, True, [1, 2, 3], [1.0, 2], [[1, 2], [3, 4]], [True, False], [[1.5], [2.5]], [],
    np.arange(3, dtype=np.int32), np.arange(3, dtype=np.float64), np.float32(2.0), (1, 2.5), [[True, 2]],
])
def test_tensor_infers_dtype_like_torch(data):
    m, t = minitorch.tensor(data), torch.tensor(data)
    assert_close(m, t)


@pytest.mark.parametrize("dtype", DTYPES)
def test_tensor_with_dtype(dtype):
    m = minitorch.tensor([0, 1, 2], dtype=getattr(minitorch, dtype if dtype != "bool" else "bool"))
    t = torch.tensor([0, 1, 2], dtype=TORCH_DTYPES[dtype])
    assert_close(m, t)


def test_tensor_copies_and_rejects_ragged():
    a = np.zeros(3)
    m = minitorch.tensor(a)
    a[0] = 1
    assert m.tolist() == [0.0, 0.0, 0.0]
    with pytest.raises((TypeError, ValueError)):
        minitorch.tensor([[1, 2], [3]])


def test_tensor_of_tensors():
    parts = [minitorch.tensor(1.0), minitorch.tensor(2.0)]
    assert_close(minitorch.tensor(parts), torch.tensor([1.0, 2.0]))


@pytest.mark.parametrize("fn", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("size", [((),), (3,), (2, 3), ((2, 3),), ([4, 1],), (0, 2)])
def test_filled_creation(fn, size):
    m, t = getattr(minitorch, fn)(*size), getattr(torch, fn)(*size)
    assert tuple(m.shape) == tuple(t.shape)
    same_dtype(m, t)
    if fn != "empty":
        assert_close(m, t)
    m64 = getattr(minitorch, fn)(*size, dtype=minitorch.float64, requires_grad=True)
    assert m64.dtype is minitorch.float64 and m64.requires_grad and m64.is_leaf
    mi = getattr(minitorch, fn)(*size, dtype=minitorch.int64)
    assert mi.dtype is minitorch.int64


def test_creation_bad_sizes():
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError, match="zeros: Dimension size must be non-negative"):
            lib.zeros(2, -1)
        with pytest.raises(RuntimeError, match=r"negative dimension -1: \[2, -1\]"):
            lib.ones(2, -1)
    with pytest.raises(TypeError, match="size must be a tuple of ints"):
        minitorch.ones(2, 1.5)
    with pytest.raises(RuntimeError, match=r"(?i)only Tensors of floating point (and complex )?dtype can require gradients"):
        minitorch.zeros(2, dtype=minitorch.int64, requires_grad=True)


@pytest.mark.parametrize("value", [1, 2.5, True, -3])
def test_full(value):
    assert_close(minitorch.full((2, 3), value), torch.full((2, 3), value))
    assert_close(minitorch.full((2,), value, dtype=minitorch.float64), torch.full((2,), value, dtype=torch.float64))
    assert_close(minitorch.full([], value), torch.full([], value))


@pytest.mark.parametrize("args", [(5,), (2, 9), (1, 10, 3), (0, 1, 0.1), (5, 0, -1), (-2.5, 2.5, 0.5), (0.0, 3),
                                  (10, 2, -3), (0, 0), (1.0, 2.0, 0.3)])
def test_arange(args):
    assert_close(minitorch.arange(*args), torch.arange(*args), atol=1e-6)
    assert_close(minitorch.arange(*args, dtype=minitorch.float64), torch.arange(*args, dtype=torch.float64))


def test_arange_errors():
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError, match="step must be nonzero"):
            lib.arange(0, 5, 0)
        with pytest.raises(RuntimeError, match="upper bound and lower bound inconsistent with step sign"):
            lib.arange(0, 5, -1)


@pytest.mark.parametrize("args", [(0, 1, 5), (-2, 2, 1), (3, -3, 7), (0, 1, 0), (1.5, 2.5, 2)])
def test_linspace(args):
    assert_close(minitorch.linspace(*args), torch.linspace(*args), atol=1e-6)
    assert_close(minitorch.linspace(*args, dtype=minitorch.float64), torch.linspace(*args, dtype=torch.float64))


@pytest.mark.parametrize("args", [(3,), (2, 4), (4, 2), (0,), (1,)])
def test_eye(args):
    assert_close(minitorch.eye(*args), torch.eye(*args))
    assert_close(minitorch.eye(*args, dtype=minitorch.int64), torch.eye(*args, dtype=torch.int64))


@pytest.mark.parametrize("like", ["zeros_like", "ones_like", "empty_like", "rand_like", "randn_like"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_like_functions_keep_shape_and_dtype(like, dtype):
    src_m, src_t = both(np.zeros((2, 3), dtype))
    m, t = getattr(minitorch, like)(src_m), getattr(torch, like)(src_t)
    assert tuple(m.shape) == tuple(t.shape)
    same_dtype(m, t)
    if like in ("zeros_like", "ones_like"):
        assert_close(m, t)
    assert getattr(minitorch, like)(src_m, dtype=minitorch.float16).dtype is minitorch.float16


def test_full_like_and_int_likes():
    src_m, src_t = both(np.arange(6).reshape(2, 3))
    assert_close(minitorch.full_like(src_m, 7), torch.full_like(src_t, 7))
    assert_close(minitorch.zeros_like(src_m), torch.zeros_like(src_t))
    r = minitorch.randint_like(src_m, 2, 5)
    assert r.dtype is minitorch.int64 and r.shape == (2, 3) and set(r.tolist()[0]) <= {2, 3, 4}


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_new_methods(dtype):
    m, t = both(np.zeros(2, dtype))
    for name, args in (("new_zeros", (2, 3)), ("new_ones", ((4,),)), ("new_empty", (3,))):
        a, b = getattr(m, name)(*args), getattr(t, name)(*args)
        assert tuple(a.shape) == tuple(b.shape)
        same_dtype(a, b)
        if name != "new_empty":
            assert_close(a, b)
    assert_close(m.new_tensor([1, 2]), t.new_tensor([1, 2]))
    assert_close(m.new_full((2, 2), 3), t.new_full((2, 2), 3))
    assert_close(m.new_ones(2, dtype=minitorch.int32), t.new_ones(2, dtype=torch.int32))


def test_from_numpy_shares_memory_both_ways():
    a = np.arange(6, dtype=np.float64).reshape(2, 3)
    m = minitorch.from_numpy(a)
    assert m.dtype is minitorch.float64
    a[0, 0] = 10
    assert m[0, 0].item() == 10
    m[1, 2] = -1
    assert a[1, 2] == -1
    m.add_(1)
    assert a[0, 0] == 11
    assert minitorch.from_numpy(np.array([1, 2], np.int32)).dtype is minitorch.int32
    with pytest.raises(TypeError, match="expected np.ndarray"):
        minitorch.from_numpy([1, 2])
    with pytest.raises(TypeError, match="not supported"):
        minitorch.from_numpy(np.array([1 + 2j]))


def test_as_tensor_shares_and_tensor_copies():
    a = np.zeros(3, np.float32)
    assert np.shares_memory(minitorch.as_tensor(a).numpy(), a)
    assert not np.shares_memory(minitorch.tensor(a).numpy(), a)
