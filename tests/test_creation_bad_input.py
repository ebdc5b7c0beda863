"""Bad arguments to the tensor constructors, and Python numbers converted, answered as torch answers them.

Each case is a function of the library, run with ``lib=torch`` and ``lib=minitorch`` in the same test
(``tests._same.assert_like_torch``): the same exception type with torch's words (the shapes, dtypes, sizes
and indices it names), or the same result where torch returns one.
"""
import itertools

import numpy as np
import pytest

from tests._same import assert_like_torch



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
