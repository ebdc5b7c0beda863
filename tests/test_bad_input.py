"""Bad input is answered as torch answers it: the same exception type, a message holding torch's words
(the shapes, dtypes, sizes and indices it names), or the same result where torch returns one.

Each case is a function of the library, run with ``lib=torch`` and ``lib=minitorch`` in the same test.
"""
import itertools
import warnings

import numpy as np
import pytest
import torch

import minitorch


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


def _set(x, index, value):
    x[index] = value
    return x


def _arange(lib, *shape):
    return lib.arange(float(np.prod(shape))).reshape(shape)


INDEXING = {
    "too many indices": lambda L: L.randn(2, 3)[0, 0, 0],
    "too many indices, None counts no dim": lambda L: L.randn(2, 3)[0, :, None, 0],
    "too many indices, index tensors": lambda L: L.randn(3)[L.tensor([0, 1]), L.tensor([0, 1])],
    "too many indices, mask dims": lambda L: L.randn(2, 3)[L.ones(2, 3, dtype=L.bool), 0],
    "setitem too many indices": lambda L: _set(L.randn(2, 3), (0, 0, 0), 1.0),
    "int out of range": lambda L: L.randn(2, 3)[5],
    "int out of range in dim 1": lambda L: L.randn(2, 3)[:, 7],
    "negative int out of range": lambda L: L.randn(2, 3)[-3],
    "negative int out of range in dim 1": lambda L: L.randn(2, 3)[:, -4],
    "int after a select names its place": lambda L: L.randn(2, 3)[0, 7],
    "int after None names its place": lambda L: L.randn(2, 3)[None, :, 7],
    "int after None, dim 0": lambda L: L.randn(3)[None, None, 5],
    "int after ellipsis": lambda L: L.randn(2, 3, 4)[..., 7],
    "int after a mask": lambda L: L.randn(2, 3, 4)[L.ones(2, 3, dtype=L.bool), 5],
    "setitem int out of range": lambda L: _set(L.randn(2, 3), (slice(None), 7), 1.0),
    "int index of a 0-d tensor": lambda L: L.tensor(1.0)[0],
    "slice of a 0-d tensor": lambda L: L.tensor(1.0)[0:1],
    "tuple index of a 0-d tensor": lambda L: L.tensor(1.0)[(0,)],
    "index tensor of a 0-d tensor": lambda L: L.tensor(1.0)[L.tensor(0)],
    "mask of a 0-d tensor": lambda L: L.tensor(1.0)[L.tensor([True])],
    "setitem int of a 0-d tensor": lambda L: _set(L.tensor(1.0), 0, 2.0),
    "0-d tensor, 0-d mask": lambda L: L.tensor(1.0)[L.tensor(True)],
    "0-d tensor, ellipsis": lambda L: L.tensor(1.0)[...],
    "mask of the wrong length": lambda L: L.randn(3)[L.tensor([True, False])],
    "mask of the wrong length, 2-d tensor": lambda L: L.randn(3, 2)[L.tensor([True, False])],
    "mask of the wrong length in dim 1": lambda L: L.randn(2, 3)[:, L.tensor([True, False])],
    "2-d mask of the wrong shape": lambda L: L.randn(2, 3)[L.tensor([[True, False], [True, True]])],
    "2-d mask before an int": lambda L: L.randn(2, 3, 4)[L.ones(2, 4, dtype=L.bool), 0],
    "mask after an int": lambda L: L.randn(2, 3, 4)[0, L.ones(2, dtype=L.bool)],
    "list mask of the wrong length": lambda L: L.randn(3)[[True, False]],
    "setitem mask of the wrong length": lambda L: _set(L.randn(3), L.tensor([True, False]), 1.0),
    "index tensor out of range": lambda L: L.randn(3)[L.tensor([0, 5])],
    "negative index tensor out of range": lambda L: L.randn(3)[L.tensor([0, -5])],
    "index tensor out of range names its ordinal": lambda L: L.randn(2, 3)[:, L.tensor([0, 5])],
    "second index tensor out of range": lambda L: L.randn(2, 3)[L.tensor([0]), L.tensor([7])],
    "index tensors after a slice": lambda L: L.randn(2, 3, 4)[:, L.tensor([0]), L.tensor([9])],
    "index tensor after True": lambda L: L.randn(3)[True, L.tensor([5])],
    "first out-of-range element decides": lambda L: L.randn(3, 3)[L.tensor([[0, 4]]), L.tensor([[9], [0]])],
    "list index out of range": lambda L: L.randn(2, 3)[[0, 5]],
    "0-d index tensor out of range": lambda L: L.randn(2, 3)[:, L.tensor(5)],
    "setitem index tensor out of range": lambda L: _set(L.randn(3), L.tensor([0, 5]), 1.0),
    "setitem index tensor out of range in dim 1": lambda L: _set(L.randn(2, 3), (slice(None), L.tensor([0, 5])), 1.0),
    "index tensors not broadcastable": lambda L: L.randn(3, 3)[L.tensor([0, 1]), L.tensor([0, 1, 2])],
    "setitem index tensors not broadcastable":
        lambda L: _set(L.randn(3, 3), (L.tensor([0, 1]), L.tensor([0, 1, 2])), 1.0),
    "float index tensor": lambda L: L.randn(3)[L.tensor([0.0, 1.0])],
    "0-d float index tensor": lambda L: L.randn(3)[L.tensor(1.0)],
    "int8 index tensor": lambda L: L.randn(3)[L.tensor([0, 1], dtype=L.int8)],
    "int16 index tensor": lambda L: L.randn(3)[L.tensor([0, 1], dtype=L.int16)],
    "setitem float index tensor": lambda L: _set(L.randn(3), L.tensor([1.0]), 1.0),
    "float index": lambda L: L.randn(3)[1.5],
    "str index": lambda L: L.randn(3)["a"],
    "setitem str index": lambda L: _set(L.randn(3), "a", 1.0),
    "slice step 0": lambda L: L.randn(3)[::0],
    "setitem slice step 0": lambda L: _set(L.randn(3), slice(None, None, 0), 1.0),
    "negative slice step": lambda L: L.randn(3)[::-1],
    "empty list index": lambda L: _arange(L, 3)[[]],
    "list of floats index": lambda L: _arange(L, 3)[[2.7, 0.5]],
    "int32 index tensor": lambda L: _arange(L, 3)[L.tensor([2, 0], dtype=L.int32)],
    "two ellipses around an int": lambda L: _arange(L, 2, 3, 4)[..., 0, ...],
    "two ellipses after an int": lambda L: _arange(L, 2, 3, 4)[0, ..., ...],
    "two ellipses around None": lambda L: _arange(L, 2, 3, 4)[..., None, ...],
    "None, then two ellipses": lambda L: _arange(L, 2, 3, 4)[None, ..., 0, ...],
    "setitem two ellipses": lambda L: _set(_arange(L, 2, 3), (..., 0, ...), -1.0),
}


@pytest.mark.parametrize("fn", INDEXING.values(), ids=INDEXING.keys())
def test_indexing(fn):
    assert_like_torch(fn)


def test_uint8_index_is_a_deprecated_mask():
    for lib in (torch, minitorch):
        with pytest.warns(UserWarning, match="indexing with dtype .*uint8 is now deprecated, please use a dtype "
                                             ".*bool instead"):
            out = _arange(lib, 3)[lib.tensor([1, 0, 1], dtype=lib.uint8)]
        assert out.tolist() == [0.0, 2.0]


CONSTRUCTION = {
    "str": lambda L: L.tensor("abc"),
    "str in a list": lambda L: L.tensor([1, "a"]),
    "list of str": lambda L: L.tensor(["a"]),
    "str as float": lambda L: L.tensor([1, "a"], dtype=L.float32),
    "str as int": lambda L: L.tensor([1, "a"], dtype=L.int64),
    "None": lambda L: L.tensor(None),
    "None in a list": lambda L: L.tensor([1, None]),
    "None as float": lambda L: L.tensor([None], dtype=L.float32),
    "None as int": lambda L: L.tensor([None], dtype=L.int64),
    "None as bool": lambda L: L.tensor([None], dtype=L.bool),
    "dict": lambda L: L.tensor({1: 2}),
    "set": lambda L: L.tensor({1}),
    "object": lambda L: L.tensor(object()),
    "ragged": lambda L: L.tensor([[1, 2], [3]]),
    "ragged, three rows": lambda L: L.tensor([[1, 2], [3, 4], [5]]),
    "ragged at dim 2": lambda L: L.tensor([[[1], [2]], [[3], [4, 5]]]),
    "ragged, an empty row": lambda L: L.tensor([[1], []]),
    "empty first row": lambda L: L.tensor([[], [1]]),
    "scalar where a row is expected": lambda L: L.tensor([[1, 2], 3]),
    "row where an int is expected": lambda L: L.tensor([1, [2, 3]]),
    "row where a float is expected": lambda L: L.tensor([1.0, [2]]),
    "row where a bool is expected": lambda L: L.tensor([True, [2]]),
    "tuple": lambda L: L.tensor((1, 2)),
    "empty": lambda L: L.tensor([[], []]),
    "2**63": lambda L: L.tensor(2**63),
    "2**64": lambda L: L.tensor(2**64),
    "-2**63 - 1": lambda L: L.tensor(-(2**63) - 1),
    "10**400": lambda L: L.tensor(10**400),
    "[2**63]": lambda L: L.tensor([2**63]),
    "[True, 2**63]": lambda L: L.tensor([True, 2**63]),
    "2**63 as int64": lambda L: L.tensor([2**63], dtype=L.int64),
    "2**63 as uint8": lambda L: L.tensor([2**63], dtype=L.uint8),
    "2**63 as bool": lambda L: L.tensor([2**63], dtype=L.bool),
    "2**63 as float32": lambda L: L.tensor(2**63, dtype=L.float32),
    "2**63 next to a float": lambda L: L.tensor([2**63, 1.0]),
    "2**70 next to a float": lambda L: L.tensor([1.0, 2**70]),
    "10**400 next to a float": lambda L: L.tensor([1.0, 10**400]),
    "2**63 - 1": lambda L: L.tensor([2**63 - 1]),
    "as_tensor 2**63": lambda L: L.as_tensor(2**63),
    "as_tensor str": lambda L: L.as_tensor("a"),
    "300 as uint8": lambda L: L.tensor([300], dtype=L.uint8),
    "0-d 300 as uint8": lambda L: L.tensor(300, dtype=L.uint8),
    "-1 as uint8 wraps": lambda L: L.tensor([-1], dtype=L.uint8),
    "-255 as uint8 wraps": lambda L: L.tensor([-255], dtype=L.uint8),
    "-256 as uint8": lambda L: L.tensor([-256], dtype=L.uint8),
    "300 inside a matrix as uint8": lambda L: L.tensor([[1, 2], [300, 4]], dtype=L.uint8),
    "200 as int8": lambda L: L.tensor([200], dtype=L.int8),
    "40000 as int16": lambda L: L.tensor([40000], dtype=L.int16),
    "2**40 as int32": lambda L: L.tensor([2**40], dtype=L.int32),
    "1e10 as int32": lambda L: L.tensor([1e10], dtype=L.int32),
    "1e30 as int64": lambda L: L.tensor([1e30], dtype=L.int64),
    "2.0**63 as int64": lambda L: L.tensor([2.0**63], dtype=L.int64),
    "nan as int32": lambda L: L.tensor([float("nan")], dtype=L.int32),
    "inf as int64": lambda L: L.tensor([float("inf")], dtype=L.int64),
    "255.9 as uint8 truncates": lambda L: L.tensor([255.9], dtype=L.uint8),
    "256.0 as uint8": lambda L: L.tensor([256.0], dtype=L.uint8),
    "-0.5 as uint8": lambda L: L.tensor([-0.5], dtype=L.uint8),
    "-1.0 as uint8": lambda L: L.tensor([-1.0], dtype=L.uint8),
    "127.5 as int8 truncates": lambda L: L.tensor([127.5], dtype=L.int8),
    "-128.5 as int8": lambda L: L.tensor([-128.5], dtype=L.int8),
    "a float and a negative int as uint8": lambda L: L.tensor([1.0, -1], dtype=L.uint8),
    "1e10 as float16 is inf": lambda L: L.tensor([1e10], dtype=L.float16),
    "70000 as float16 is inf": lambda L: L.tensor([70000], dtype=L.float16),
    "1e40 as float32 is inf": lambda L: L.tensor([1e40], dtype=L.float32),
    "300 as bool": lambda L: L.tensor([300], dtype=L.bool),
    "numpy int 300 as uint8": lambda L: L.tensor(np.int64(300), dtype=L.uint8),
    "numpy int 300 in a list as uint8": lambda L: L.tensor([np.int64(300)], dtype=L.uint8),
    "numpy float 1e10 as int32": lambda L: L.tensor(np.float64(1e10), dtype=L.int32),
    "int array as uint8 wraps": lambda L: L.tensor(np.array([300]), dtype=L.uint8),
    "float array as float16 is inf": lambda L: L.tensor(np.array([1e10]), dtype=L.float16),
    "as_tensor 300 as uint8": lambda L: L.as_tensor([300], dtype=L.uint8),
}


@pytest.mark.parametrize("fn", CONSTRUCTION.values(), ids=CONSTRUCTION.keys())
def test_construction(fn):
    assert_like_torch(fn)


SCALARS = [300, -1, -255, -256, 255, 256, 2**31, -(2**31) - 1, 2**40, 2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63),
           -(2**63) - 1, 1e10, -1e10, 2.5, -0.5, 255.5, 256.0, -128.9, 127.9, float("nan"), float("inf"), -float("inf"),
           65504.0, 65519.0, 65520.0, 70000, 3.4028235e38, 3.4028234663852886e38, 1e300, True, False, np.int64(300),
           np.float64(1e10), np.uint8(200), np.bool_(True)]
DTYPES = [None, "bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def _dtype(lib, name):
    return None if name is None else getattr(lib, name)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_full_converts_the_fill_value_as_torch(dtype):
    for value, shape in itertools.product(SCALARS, [(2,), (1,), ()]):  # one element skips torch's float16 check
        assert_like_torch(lambda L: L.full(shape, value, dtype=_dtype(L, dtype)))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_tensor_converts_python_numbers_as_torch(dtype):
    for value in SCALARS:
        if isinstance(value, np.bool_):  # torch refuses np.bool_ as an int; minitorch takes it as 1
            continue
        if not isinstance(value, np.floating):  # in a list torch keeps a numpy float's dtype (float64)
            assert_like_torch(lambda L: L.tensor([value], dtype=_dtype(L, dtype)))
        assert_like_torch(lambda L: L.tensor(value, dtype=_dtype(L, dtype)))


CREATION = {
    "zeros, negative size": lambda L: L.zeros(-1),
    "zeros, negative size in a tuple": lambda L: L.zeros((2, -3)),
    "empty, negative size": lambda L: L.empty((2, -3)),
    "ones, negative size": lambda L: L.ones(-1),
    "full, negative size": lambda L: L.full((-1,), 1.0),
    "rand, negative size": lambda L: L.rand(-1),
    "randint, negative size": lambda L: L.randint(3, (-1,)),
    "full, str value": lambda L: L.full((2,), "a"),
    "full, float into int64": lambda L: L.full((2,), 2.5, dtype=L.int64),
    "randperm, negative n": lambda L: L.randperm(-3),
    "randperm, negative n as bool": lambda L: L.randperm(-3, dtype=L.bool),
    "randperm, float n": lambda L: L.randperm(3.0),
    "randperm, bool n": lambda L: L.randperm(True),
    "randperm, float tensor n": lambda L: L.randperm(L.tensor(3.0)),
    "randperm as bool": lambda L: L.randperm(3, dtype=L.bool),
    "randperm, 257 as uint8": lambda L: L.randperm(257, dtype=L.uint8),
    "randperm, 129 as int8": lambda L: L.randperm(129, dtype=L.int8),
    "randperm, 40000 as int16": lambda L: L.randperm(40000, dtype=L.int16),
    "randperm, 2050 as float16": lambda L: L.randperm(2050, dtype=L.float16),
    "randperm, 2**24 + 2 as float32": lambda L: L.randperm(2**24 + 2, dtype=L.float32),
    "randint, low == high": lambda L: L.randint(5, 5, (2,)),
    "randint, low > high": lambda L: L.randint(5, 2, (2,)),
    "randint, high 0": lambda L: L.randint(0, (2,)),
    "randint, low > high before the dtype's bounds": lambda L: L.randint(300, 200, (2,), dtype=L.uint8),
    "randint, high beyond uint8": lambda L: L.randint(0, 257, (2,), dtype=L.uint8),
    "randint, low below uint8": lambda L: L.randint(-1, 5, (2,), dtype=L.uint8),
    "randint, low below int8": lambda L: L.randint(-129, 5, (2,), dtype=L.int8),
    "randint, high beyond int8": lambda L: L.randint(0, 129, (2,), dtype=L.int8),
    "randint, high beyond int16": lambda L: L.randint(0, 2**15 + 1, (2,), dtype=L.int16),
    "randint, high beyond int32": lambda L: L.randint(0, 2**31 + 1, (2,), dtype=L.int32),
    "randint, low below int32": lambda L: L.randint(-(2**31) - 1, 0, (2,), dtype=L.int32),
    "randint, high beyond bool": lambda L: L.randint(0, 3, (2,), dtype=L.bool),
    "randint, low below bool": lambda L: L.randint(-1, 2, (2,), dtype=L.bool),
    "randint, high beyond int64": lambda L: L.randint(0, 2**63, (2,)),
    "randint, high 2**63 alone": lambda L: L.randint(2**63, (2,)),
    "randint, low below int64": lambda L: L.randint(-(2**63) - 1, 0, (2,)),
    "randint, float high": lambda L: L.randint(2.5, (2,)),
}


@pytest.mark.parametrize("fn", CREATION.values(), ids=CREATION.keys())
def test_creation(fn):
    assert_like_torch(fn)


RANDOM_RESULTS = {
    "randperm 0": lambda L: L.randperm(0),
    "randperm 256 as uint8": lambda L: L.randperm(256, dtype=L.uint8),
    "randperm 128 as int8": lambda L: L.randperm(128, dtype=L.int8),
    "randperm 2049 as float16": lambda L: L.randperm(2049, dtype=L.float16),
    "randperm of a numpy int": lambda L: L.randperm(np.int64(3)),
    "randperm of a 0-d tensor": lambda L: L.randperm(L.tensor(3)),
    "randperm as float32": lambda L: L.randperm(3, dtype=L.float32),
    "randint 0..255 as uint8": lambda L: L.randint(0, 256, (2,), dtype=L.uint8),
    "randint 0..1 as bool": lambda L: L.randint(0, 2, (2,), dtype=L.bool),
    "randint over int64": lambda L: L.randint(-(2**63), 2**63 - 1, (2,)),
}


@pytest.mark.parametrize("fn", RANDOM_RESULTS.values(), ids=RANDOM_RESULTS.keys())
def test_random_results_have_torch_shape_and_dtype(fn):
    assert_like_torch(fn, values=False)


def test_randperm_of_a_narrow_dtype_is_a_permutation():
    assert sorted(minitorch.randperm(256, dtype=minitorch.uint8).tolist()) == list(range(256))


JOINING = {
    "cat of an empty list": lambda L: L.cat([]),
    "cat of an empty tuple": lambda L: L.cat((), dim=0),
    "concat of an empty list": lambda L: L.concat([]),
    "cat of a tensor": lambda L: L.cat(L.zeros(2, 3)),
    "cat of an int": lambda L: L.cat(5),
    "cat of None": lambda L: L.cat(None),
    "cat of a generator": lambda L: L.cat(t for t in [L.zeros(2)]),
    "cat of a list in a list": lambda L: L.cat([[1, 2]]),
    "cat of a non-tensor element": lambda L: L.cat([L.randn(2), 1]),
    "cat, float dim": lambda L: L.cat([L.zeros(2, 3)], 0.5),
    "cat, bool dim": lambda L: L.cat([L.zeros(2, 3)], True),
    "cat, ndim 2 and 1": lambda L: L.cat([L.randn(2, 3), L.randn(3)]),
    "cat, ndim 1 and 2": lambda L: L.cat([L.randn(3), L.randn(2, 3)]),
    "cat, ndim 2 and 3": lambda L: L.cat([L.zeros(2, 3), L.zeros(2, 3, 1)]),
    "cat, an empty 2-d tensor and a 1-d one": lambda L: L.cat([L.zeros(0, 3), L.zeros(2)]),
    "cat, sizes differ in dim 0": lambda L: L.cat([L.randn(2, 3), L.randn(3, 3)], dim=1),
    "cat, sizes differ in dim 2": lambda L: L.cat([L.randn(2, 3, 4), L.randn(2, 3, 5)], dim=0),
    "cat, third tensor differs": lambda L: L.cat([L.zeros(2, 3), L.zeros(2, 3), L.zeros(3, 3)], dim=1),
    "cat of 0-d tensors": lambda L: L.cat([L.tensor(1.0), L.tensor(2.0)]),
    "cat, 0-d after an empty tensor": lambda L: L.cat([L.zeros(0), L.tensor(1.0)]),
    "cat, dim out of range": lambda L: L.cat([L.randn(2), L.randn(2)], dim=1),
    "cat, negative dim out of range": lambda L: L.cat([L.zeros(2, 3), L.zeros(2, 3)], dim=-3),
    "cat skips empty 1-d tensors": lambda L: L.cat([L.zeros(0), _arange(L, 2, 3), L.zeros(0)]),
    "cat of empty 1-d tensors, dim 1": lambda L: L.cat([L.zeros(0), L.zeros(0)], dim=1),
    "cat of empty 1-d tensors, dim 5": lambda L: L.cat([L.zeros(0), L.zeros(0)], dim=5),
    "cat of empty 1-d tensors promotes": lambda L: L.cat([L.zeros(0, dtype=L.int64), L.zeros(0)]),
    "stack of an empty list": lambda L: L.stack([]),
    "stack of a tensor": lambda L: L.stack(L.zeros(2, 3)),
    "stack of an int": lambda L: L.stack(5),
    "stack of a non-tensor element": lambda L: L.stack([L.zeros(2), 1]),
}


@pytest.mark.parametrize("fn", JOINING.values(), ids=JOINING.keys())
def test_joining(fn):
    assert_like_torch(fn)


REDUCTIONS = {
    "max of an empty tensor": lambda L: L.randn(0).max(),
    "min of an empty tensor": lambda L: L.randn(0).min(),
    "amax of an empty tensor": lambda L: L.randn(0).amax(),
    "amin of an empty 2-d tensor": lambda L: L.zeros(0, 3).amin(),
    "max of an empty 2-d tensor": lambda L: L.zeros(0, 3).max(),
    "amax over () of an empty tensor": lambda L: L.zeros(0, 3).amax(()),
    "amax over [] of an empty tensor": lambda L: L.zeros(0, 3).amax([]),
    "amax over all dims, one empty": lambda L: L.zeros(0, 3).amax((0, 1)),
    "amax over an empty dim": lambda L: L.zeros(0, 3).amax(0),
    "argmax of an empty tensor": lambda L: L.randn(0).argmax(),
    "argmin of an empty tensor": lambda L: L.randn(0).argmin(),
    "argmax of an empty tensor, keepdim": lambda L: L.zeros(0, 3).argmax(keepdim=True),
    "argmax over an empty dim": lambda L: L.randn(0).argmax(0),
    "argmin over an empty dim 0": lambda L: L.zeros(0, 3).argmin(0),
    "argmax over an empty dim 1": lambda L: L.zeros(1, 0).argmax(dim=1),
    "max over an empty dim": lambda L: L.randn(0).max(dim=0),
    "min over an empty dim, negative": lambda L: L.randn(0).min(-1),
    "max over an empty dim 0 of a 2-d tensor": lambda L: L.randn(0, 3).max(dim=0),
    "max over an empty dim 1": lambda L: L.zeros(1, 0).max(dim=1),
    "argmax of a bool tensor": lambda L: L.tensor([True, False]).argmax(),
    "argmin of a bool tensor": lambda L: L.tensor([True, False]).argmin(),
    "argmax of a bool tensor over a dim": lambda L: L.tensor([True, False]).argmax(0),
    "argmax of an empty bool tensor": lambda L: L.tensor([], dtype=L.bool).argmax(),
    "argmax of a 0-d bool tensor": lambda L: L.tensor(True).argmax(),
    "argmax, dim out of range": lambda L: L.randn(3).argmax(1),
    "max, dim out of range": lambda L: L.randn(3).max(1),
    "max of a bool tensor": lambda L: L.tensor([True, False]).max(),
    "max of a bool tensor over a dim": lambda L: L.tensor([True, False]).max(0),
    "argmax of uint8": lambda L: L.tensor([1, 2], dtype=L.uint8).argmax(),
    "argmax over a full dim of an empty tensor": lambda L: L.zeros(1, 0).argmax(dim=0),
    "argmin over a full dim of an empty tensor": lambda L: L.zeros(1, 0).argmin(dim=0),
    "argmax over a full dim, keepdim": lambda L: L.zeros(1, 0).argmax(dim=0, keepdim=True),
    "argmax over the last dim of an empty tensor": lambda L: L.zeros(2, 0, 3).argmax(2),
    "argmax over the last dim, keepdim": lambda L: L.zeros(2, 0, 3).argmax(-1, keepdim=True),
    "argmax over a full dim 1": lambda L: L.zeros(0, 3).argmax(1),
    "max over a full dim of an empty tensor": lambda L: L.zeros(1, 0).max(dim=0),
    "min over a full dim, keepdim": lambda L: L.zeros(1, 0).min(dim=0, keepdim=True),
    "max over a full dim 1": lambda L: L.zeros(0, 3).max(1),
    "sum over an empty dim": lambda L: L.zeros(0, 3).sum(0),
    "sum over a full dim": lambda L: L.zeros(0, 3).sum(1),
    "amax over a full dim": lambda L: L.zeros(0, 3).amax(1),
    "amin over a full dim": lambda L: L.zeros(0, 3).amin(1),
    "argmax of a 0-d tensor over dim 0": lambda L: L.tensor(1.0).argmax(0),
}


@pytest.mark.parametrize("fn", REDUCTIONS.values(), ids=REDUCTIONS.keys())
def test_reductions(fn):
    assert_like_torch(fn)


LAYERS = {
    "Flatten of a 0-d tensor": lambda L: L.nn.Flatten()(L.tensor(1.0)),
    "Flatten of a 1-d tensor": lambda L: L.nn.Flatten()(L.randn(3)),
    "Flatten(0) of a 0-d tensor": lambda L: L.nn.Flatten(0)(L.tensor(1.0)),
    "Flatten(0, 0) of a 0-d tensor": lambda L: L.nn.Flatten(0, 0)(L.tensor(1.0)),
    "flatten(0, 1) of a 0-d tensor": lambda L: L.tensor(1.0).flatten(0, 1),
    "flatten(-2) of a 0-d tensor": lambda L: L.tensor(1.0).flatten(-2),
    "flatten(-1, 0) of a 0-d tensor": lambda L: L.tensor(1.0).flatten(-1, 0),
    "Unflatten of a 0-d tensor": lambda L: L.nn.Unflatten(1, (2, 2))(L.tensor(1.0)),
    "Conv2d, kernel 0": lambda L: L.nn.Conv2d(1, 1, 0)(L.randn(1, 1, 5, 5)),
    "Conv2d, kernel (3, 0)": lambda L: L.nn.Conv2d(1, 1, (3, 0))(L.randn(1, 1, 5, 5)),
    "Conv1d, kernel 0": lambda L: L.nn.Conv1d(1, 1, 0)(L.randn(1, 1, 5)),
    "ConvTranspose1d, kernel 0": lambda L: L.nn.ConvTranspose1d(1, 1, 0)(L.randn(1, 1, 5)),
    "Conv1d, no output channels": lambda L: L.nn.Conv1d(1, 0, 3)(L.randn(1, 1, 5)),
    "Conv2d, no output channels": lambda L: L.nn.Conv2d(1, 0, 3)(L.randn(1, 1, 5, 5)),
    "ConvTranspose1d, no output channels": lambda L: L.nn.ConvTranspose1d(1, 0, 3)(L.randn(1, 1, 5)),
    "ConvTranspose2d, no output channels": lambda L: L.nn.ConvTranspose2d(1, 0, 3)(L.randn(1, 1, 5, 5)),
    "Conv1d, stride 0": lambda L: L.nn.Conv1d(1, 1, 3, stride=0)(L.randn(1, 1, 5)),
    "Conv1d, negative stride": lambda L: L.nn.Conv1d(1, 1, 3, stride=-1)(L.randn(1, 1, 5)),
    "Conv1d, negative padding": lambda L: L.nn.Conv1d(1, 1, 3, padding=-1)(L.randn(1, 1, 5)),
    "ConvTranspose1d, stride 0": lambda L: L.nn.ConvTranspose1d(1, 1, 3, stride=0)(L.randn(1, 1, 5)),
    "ConvTranspose1d, negative padding": lambda L: L.nn.ConvTranspose1d(1, 1, 3, padding=-1)(L.randn(1, 1, 5)),
    "Conv1d, in_channels not divisible by groups": lambda L: L.nn.Conv1d(3, 2, 3, groups=2),
    "Conv1d, out_channels not divisible by groups": lambda L: L.nn.Conv1d(2, 3, 3, groups=2),
    "Conv1d, groups 0": lambda L: L.nn.Conv1d(2, 2, 3, groups=0),
    "Conv1d, negative kernel": lambda L: L.nn.Conv1d(1, 1, -1),
    "Conv1d, padding='same' with a stride": lambda L: L.nn.Conv1d(1, 1, 3, padding="same", stride=2),
    "Conv2d is built with kernel 0": lambda L: L.nn.Conv2d(1, 1, 0),
    "Conv1d is built with stride 0": lambda L: L.nn.Conv1d(1, 1, 3, stride=0),
    "Conv1d is built with negative padding": lambda L: L.nn.Conv1d(1, 1, 3, padding=-1),
    "Conv2d, input smaller than the kernel": lambda L: L.nn.Conv2d(1, 1, 3)(L.randn(1, 1, 2, 2)),
}


@pytest.mark.parametrize("fn", LAYERS.values(), ids=LAYERS.keys())
def test_layers(fn):
    assert_like_torch(fn)
