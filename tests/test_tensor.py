"""Tensor metadata, repr, creation functions, dtype promotion and comparisons, each against torch."""
import itertools
import operator
import re

import numpy as np
import pytest
import torch
from torch._tensor_str import _add_suffixes

import minitorch
from tests.parity import TORCH_DTYPES, assert_close

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def both(arr, **kw):
    """The same numpy data as a minitorch and a torch tensor."""
    return minitorch.tensor(arr, **kw), torch.tensor(arr, **kw)


def same_dtype(m, t):
    assert TORCH_DTYPES[m.dtype.name] == t.dtype, f"{m.dtype} != {t.dtype}"


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


def test_rand_randn_randint_shapes_dtypes_and_ranges():
    r = minitorch.rand(200, 50)
    assert r.shape == (200, 50) and r.dtype is minitorch.float32
    assert 0 <= r.min().item() and r.max().item() < 1 and abs(r.mean().item() - 0.5) < 0.01
    n = minitorch.randn(200, 50, dtype=minitorch.float64)
    assert n.dtype is minitorch.float64 and abs(n.mean().item()) < 0.02 and abs(n.std().item() - 1) < 0.02
    i = minitorch.randint(3, 7, (1000,))
    assert i.dtype is minitorch.int64 and set(i.tolist()) == {3, 4, 5, 6}
    assert set(minitorch.randint(4, (500,)).tolist()) == {0, 1, 2, 3}
    assert minitorch.rand(()).shape == () and minitorch.randn((2, 3)).shape == (2, 3)
    assert minitorch.rand(2, requires_grad=True).requires_grad
    with pytest.raises(RuntimeError, match="random_ expects 'from' to be less than 'to'"):
        minitorch.randint(5, 5, (2,))


@pytest.mark.parametrize("fn", [lambda: minitorch.rand(3, 4), lambda: minitorch.randn(5),
                                lambda: minitorch.randint(0, 100, (6,)), lambda: minitorch.randperm(10),
                                lambda: minitorch.zeros(4).uniform_(-1, 1), lambda: minitorch.zeros(4).normal_()])
def test_manual_seed_reproducibility(fn):
    minitorch.manual_seed(123)
    first = fn()
    second = fn()
    minitorch.manual_seed(123)
    again = fn()
    assert first.equal(again) and not first.equal(second)


def test_generator_argument_is_independent_of_global_state():
    g1, g2 = minitorch.Generator().manual_seed(7), minitorch.Generator().manual_seed(7)
    minitorch.rand(10)
    assert minitorch.rand(3, generator=g1).equal(minitorch.rand(3, generator=g2))


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


# ---------------------------------------------------------------------------------------------- promotion
def _make(lib, dtype: str, ndim: int):
    arr = np.array([1, 2, 3][: 1 if ndim == 0 else 3]).astype(dtype)
    arr = arr.reshape(()) if ndim == 0 else arr
    return lib.tensor(arr)


def _outcome(fn, *args):
    try:
        return fn(*args), None
    except Exception as e:  # noqa: BLE001 - the error type is compared with torch's
        return None, e


def _compare(out_m, err_m, out_t, err_t):
    if err_t is not None:
        assert err_m is not None, f"torch raised {err_t!r} but minitorch returned {out_m}"
        assert isinstance(err_m, type(err_t)) or isinstance(err_m, RuntimeError) and isinstance(err_t, RuntimeError), (
            f"{type(err_m).__name__} (minitorch) vs {type(err_t).__name__} (torch)")
        return
    assert err_m is None, f"minitorch raised {err_m!r}, torch returned {out_t}"
    tol = 2e-3 if out_t.dtype == torch.float16 else 1e-6
    assert_close(out_m, out_t, atol=tol, rtol=tol)


BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "truediv": operator.truediv,
          "pow": operator.pow, "floordiv": operator.floordiv, "mod": operator.mod}


@pytest.mark.parametrize("op", list(BINARY))
@pytest.mark.parametrize("ndims", [(1, 1), (1, 0), (0, 1), (0, 0)])
def test_promotion_tensor_tensor(op, ndims):
    fn = BINARY[op]
    for a, b in itertools.product(DTYPES, DTYPES):
        tm, tt = _make(minitorch, a, ndims[0]), _make(torch, a, ndims[0])
        um, ut = _make(minitorch, b, ndims[1]), _make(torch, b, ndims[1])
        out_t, err_t = _outcome(fn, tt, ut)
        out_m, err_m = _outcome(fn, tm, um)
        _compare(out_m, err_m, out_t, err_t)
        if err_t is None:
            assert minitorch.result_type(tm, um).name == str(torch.result_type(tt, ut))[6:]


@pytest.mark.parametrize("op", list(BINARY))
@pytest.mark.parametrize("scalar", [True, False, 2, -1, 0, 2.5, -0.5])
def test_promotion_tensor_scalar(op, scalar):
    fn = BINARY[op]
    for a, ndim, reflected in itertools.product(DTYPES, (1, 0), (False, True)):
        f = (lambda x: fn(scalar, x)) if reflected else (lambda x: fn(x, scalar))
        if op in ("floordiv", "mod", "truediv") and scalar in (0, False) and not reflected:
            continue  # division by zero: torch raises for ints where numpy warns; not a promotion question
        out_t, err_t = _outcome(f, _make(torch, a, ndim))
        out_m, err_m = _outcome(f, _make(minitorch, a, ndim))
        _compare(out_m, err_m, out_t, err_t)
        if err_t is None:
            tm, tt = _make(minitorch, a, ndim), _make(torch, a, ndim)
            assert minitorch.result_type(tm, scalar).name == str(torch.result_type(tt, scalar))[6:]


@pytest.mark.parametrize("a", DTYPES)
@pytest.mark.parametrize("b", DTYPES)
def test_promote_types(a, b):
    assert minitorch.promote_types(getattr(minitorch, a), getattr(minitorch, b)).name == \
        str(torch.promote_types(TORCH_DTYPES[a], TORCH_DTYPES[b]))[6:]


def test_float_scalar_with_int_tensor_gives_default_dtype():
    assert (minitorch.tensor([1, 2]) * 1.5).dtype is minitorch.float32
    assert (minitorch.tensor([1, 2]) / 2).dtype is minitorch.float32
    assert (minitorch.tensor([1, 2], dtype=minitorch.float64) + 1.5).dtype is minitorch.float64


def test_set_default_dtype():
    try:
        minitorch.set_default_dtype(minitorch.float64)
        assert minitorch.tensor([1.0]).dtype is minitorch.float64
        assert minitorch.zeros(2).dtype is minitorch.float64
        assert (minitorch.tensor([1, 2]) * 1.5).dtype is minitorch.float64
    finally:
        minitorch.set_default_dtype(minitorch.float32)
    with pytest.raises(TypeError, match="only floating-point types are supported as the default type"):
        minitorch.set_default_dtype(minitorch.int64)


def test_mixed_dtype_gradients_come_back_in_each_dtype():
    a32 = minitorch.tensor([1.0, 2.0], requires_grad=True)
    a64 = minitorch.tensor([3.0, 4.0], dtype=minitorch.float64, requires_grad=True)
    out = a32 * a64
    assert out.dtype is minitorch.float64
    out.sum().backward()
    assert a32.grad.dtype is minitorch.float32 and a64.grad.dtype is minitorch.float64
    assert a32.grad.tolist() == [3.0, 4.0] and a64.grad.tolist() == [1.0, 2.0]


def test_unsupported_dtype_and_operand_errors():
    with pytest.raises(TypeError, match="dtype must be a minitorch dtype"):
        minitorch.zeros(2, dtype="complex128")
    with pytest.raises(TypeError):
        minitorch.zeros(2) + "a"


# ---------------------------------------------------------------------------------------------- comparisons
COMPARE = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le, "gt": operator.gt,
           "ge": operator.ge}


@pytest.mark.parametrize("op", list(COMPARE))
def test_comparisons_return_bool(op):
    fn = COMPARE[op]
    rng = np.random.default_rng(0)
    a = rng.integers(0, 3, (3, 4)).astype(np.float32)
    b = rng.integers(0, 3, (4,)).astype(np.float64)
    c = rng.integers(0, 3, (3, 1))
    am, at = both(a)
    bm, bt = both(b)
    cm, ct = both(c)
    for x, y in (((am, at), (bm, bt)), ((am, at), (cm, ct)), ((cm, ct), (bm, bt))):
        assert_close(fn(x[0], y[0]), fn(x[1], y[1]))
    for s in (1, 1.5, True):
        assert_close(fn(am, s), fn(at, s))
        assert_close(fn(s, am), fn(s, at))
    assert_close(getattr(am, op)(bm), getattr(at, op)(bt))


def test_comparison_does_not_require_grad():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    out = x > 1
    assert out.dtype is minitorch.bool and not out.requires_grad and out.grad_fn is None


def test_comparison_shape_mismatch():
    with pytest.raises(RuntimeError, match="must match the size"):
        minitorch.zeros(3) == minitorch.zeros(4)


def test_equal_allclose():
    m = minitorch.tensor([1.0, 2.0])
    assert m.equal(minitorch.tensor([1.0, 2.0])) and not m.equal(minitorch.tensor([1.0, 2.0, 3.0]))
    assert m.allclose(minitorch.tensor([1.0, 2.0 + 1e-9]))


# ---------------------------------------------------------------------------------------------- bad arguments
@pytest.mark.parametrize("call", [
    lambda lib: lib.zeros(2, 3).sum(dim=1.5), lambda lib: lib.zeros(2, 3).view(2.5), lambda lib: lib.zeros(2, 3).clamp("a"),
    lambda lib: lib.full((2,), "a"), lambda lib: lib.randint(0, 5), lambda lib: lib.zeros(2, 3) + "a",
    lambda lib: lib.zeros(2, 3).fill_("a"),
])
def test_bad_argument_types_raise_type_error(call):
    for lib in (minitorch, torch):
        with pytest.raises(TypeError):
            call(lib)


@pytest.mark.parametrize("call,message", [
    (lambda lib: lib.eye(-1), "n must be greater or equal to 0, got -1"),
    (lambda lib: lib.zeros(2, 3).narrow(1, 2, 2), r"start \(2\) \+ length \(2\) exceeds dimension size \(3\)"),
    (lambda lib: lib.zeros(2, 3).fill_(lib.zeros(2)), "fill_ only supports 0-dimension value tensor"),
    (lambda lib: lib.zeros(2, 3).unflatten(1, (2, 2)), r"unflatten: Provided sizes \[2, 2\] don't multiply up to the "
                                                      r"size of dim 1 \(3\)"),
    (lambda lib: lib.zeros(2, 3).mean(dim=(0, 0)), "appears multiple times in the list of dims"),
    (lambda lib: lib.zeros(2, 3).permute(0, 0), "permute\\(\\): duplicate dims are not allowed"),
    (lambda lib: lib.zeros(2, 3).expand(3), "the number of sizes provided \\(1\\) must be greater or equal to the number "
                                            "of dimensions in the tensor \\(2\\)"),
    (lambda lib: lib.zeros(2, 3).masked_fill(lib.zeros(3, 3) > 0, 1.0),
     r"The size of tensor a \(3\) must match the size of tensor b \(2\) at non-singleton dimension 0"),
])
def test_bad_argument_values_raise_like_torch(call, message):
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError, match=message):
            call(lib)


def test_empty_dim_list_reduces_over_all_dims_like_torch():
    x = np.arange(6.0).reshape(2, 3)
    for fn in (lambda t: t.sum([]), lambda t: t.mean(dim=[]), lambda t: t.amax([]), lambda t: t.var([]),
               lambda t: t.std(dim=[])):
        assert_close(fn(minitorch.tensor(x)), fn(torch.tensor(x)))


def test_array_protocol_copy_semantics_match_torch():
    for lib in (minitorch, torch):
        t = lib.tensor([1.0, 2.0])
        a = np.array(t, copy=True)
        a += 1
        assert t.tolist() == [1.0, 2.0], lib.__name__
        shared = np.asarray(t)
        shared += 1
        assert t.tolist() == [2.0, 3.0], lib.__name__
