"""The Tensor protocol against torch: metadata, python and numpy conversions, the array protocol, len and iter,
repr and format."""
import re

import numpy as np
import pytest
import torch
from torch._tensor_str import _add_suffixes

import minitorch
from tests._same import both, same_dtype
from tests.parity import assert_close


# ---------------------------------------------------------------------------------------------- metadata
@pytest.mark.parametrize("shape", [(), (1,), (3,), (2, 3), (2, 0, 4), (1, 2, 3, 4)])
def test_metadata_matches_torch(shape):
    a = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    m, t = both(a)
    assert tuple(m.shape) == tuple(t.shape) and isinstance(m.shape, tuple)
    assert m.ndim == t.ndim == m.dim() and m.numel() == t.numel()
    assert tuple(m.size()) == tuple(t.size())
    for d in range(-len(shape), len(shape)):
        assert m.size(d) == t.size(d)
    same_dtype(m, t)
    assert m.tolist() == t.tolist()
    assert repr(m.shape) == repr(t.shape).replace("torch.", "minitorch.")
    assert m.is_leaf and not m.requires_grad and m.grad is None and m.grad_fn is None


def test_size_dim_out_of_range():
    m, t = both(np.zeros((2, 3)))
    for lib_t in (m, t):
        with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"):
            lib_t.size(2)


def test_item_and_python_conversions():
    m, t = both(np.array([2.5]))
    assert m.item() == t.item() == 2.5 and isinstance(m.item(), float)
    assert minitorch.tensor(7).item() == 7 and isinstance(minitorch.tensor(7).item(), int)
    assert minitorch.tensor(True).item() is True
    assert float(m) == 2.5 and int(m) == 2 and bool(minitorch.tensor([1]))
    with pytest.raises(RuntimeError, match="a Tensor with 3 elements cannot be converted to Scalar"):
        minitorch.zeros(3).item()
    with pytest.raises(RuntimeError, match="Boolean value of Tensor with more than one value is ambiguous"):
        bool(minitorch.zeros(2))


def test_numpy_shares_memory_and_refuses_requires_grad():
    m = minitorch.zeros(3)
    arr = m.numpy()
    arr[1] = 5
    assert m.tolist() == [0.0, 5.0, 0.0]
    r = minitorch.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\) on Tensor that requires grad"):
        r.numpy()
    assert np.shares_memory(r.detach().numpy(), r.numpy(force=True))


def test_array_protocol():
    m = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert np.asarray(m).dtype == np.float32
    assert np.asarray(m, dtype=np.float64).dtype == np.float64
    np.testing.assert_array_equal(np.asarray(m), [[1, 2], [3, 4]])
    assert torch.as_tensor(np.asarray(m)).tolist() == m.tolist()


def test_len_and_iter():
    a = np.arange(6.0).reshape(3, 2)
    m, t = both(a)
    assert len(m) == len(t) == 3
    rows_m, rows_t = list(m), list(t)
    assert len(rows_m) == 3
    for rm, rt in zip(rows_m, rows_t):
        assert_close(rm, rt)
    for lib_t in (minitorch.tensor(1.0), torch.tensor(1.0)):
        with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
            len(lib_t)
        with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
            iter(lib_t)


def test_iter_gradient_flows():
    x = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    a, b = x
    (a * 2 + b * 3).sum().backward()
    assert x.grad.tolist() == [[2.0, 2.0], [3.0, 3.0]]


# ---------------------------------------------------------------------------------------------- repr
def _expected_repr(t: torch.Tensor) -> str:
    """torch's repr with 'torch.' -> 'minitorch.', the suffixes re-flowed by torch's own line-wrapping rule
    (``minitorch.float64`` is four characters longer than ``torch.float64``)."""
    r = repr(t)
    m = re.search(r",\s*(size=|dtype=|grad_fn=|requires_grad=)", r)
    body = r[: m.start()] if m else r[:-1]
    suffixes = re.findall(r"(size=\([^)]*\)|dtype=[\w.]+|grad_fn=<\w+>|requires_grad=True)", r[len(body):])
    return _add_suffixes(body, [s.replace("torch.", "minitorch.") for s in suffixes], len("tensor("), False)


def _repr_cases():
    rng = np.random.default_rng(0)
    shapes = [(), (1,), (5,), (3, 4), (2, 3, 4), (0,), (2, 0), (10, 10), (2000,), (40, 40), (3, 1000),
              (2, 2, 2, 2), (30,)]
    for shape in shapes:
        for scale in (1, 1e-5, 1e5, 1e9):
            for dt in ("float32", "float64"):
                yield (rng.standard_normal(shape) * scale).astype(dt)
        yield rng.integers(-100, 100, shape)
        yield rng.integers(0, 2, shape).astype(bool)
        yield rng.integers(0, 10, shape).astype(np.int32)
        yield np.round(rng.standard_normal(shape) * 10).astype(np.float32)
    yield from [
        np.array([np.nan, 1.0, np.inf], np.float32), np.array([np.nan, -np.inf]), np.array([0.0, 0.0]),
        np.array([1e-3, 1.0, 123.0], np.float32), np.array([1.5, np.nan, 1e10]), np.array([1, 2, 1e8], np.float32),
        np.array(3.14159), np.array(-0.0), np.array([1e-4, 1.0]), np.array([1e3, 1.0]), np.array([1001.0, 1.0]),
        np.array(7), np.array(True), np.array([100000.5, 1.0]), np.array([1, 2], np.float16),
        np.array([[1, 2], [3, 4]], np.uint8), np.array([-5, 3], np.int8), np.array([], np.int64),
        np.zeros((0, 3), np.float64), np.array([0.0, np.nan]), np.array(np.inf, np.float32),
    ]


@pytest.mark.parametrize("arr", list(_repr_cases()), ids=lambda a: f"{a.dtype}{list(a.shape)}")
def test_repr_matches_torch(arr):
    m, t = both(arr)
    assert repr(m) == _expected_repr(t)
    assert str(m) == repr(m)
    if arr.dtype.kind == "f" and arr.size:
        m, t = both(arr, requires_grad=True)
        assert repr(m) == _expected_repr(t)
        assert repr(m * 2) == _expected_repr(t * 2)
        assert repr(-m) == _expected_repr(-t)
        assert repr(m.flatten()[0]) == _expected_repr(t.flatten()[0])


def test_repr_of_grad_fn_kinds():
    m, t = both(np.array([[1.0, -2.0], [3.0, 4.0]]), requires_grad=True)
    for f in (lambda x: x + 1, lambda x: x.exp(), lambda x: x.t(), lambda x: x[0], lambda x: x.relu(),
              lambda x: x.mean(0), lambda x: x @ x, lambda x: x.view(4), lambda x: x.unsqueeze(0)):
        assert repr(f(m)) == _expected_repr(f(t))


def test_format_of_0d_tensor():
    assert f"{minitorch.tensor(2.5):.3f}" == f"{torch.tensor(2.5):.3f}" == "2.500"


def test_array_protocol_copy_semantics_match_torch():
    for lib in (minitorch, torch):
        t = lib.tensor([1.0, 2.0])
        a = np.array(t, copy=True)
        a += 1
        assert t.tolist() == [1.0, 2.0], lib.__name__
        shared = np.asarray(t)
        shared += 1
        assert t.tolist() == [2.0, 3.0], lib.__name__
