"""Random constructors at the edges of their dtypes: torch's shapes and dtypes.

Each case is a function of the library, run with ``lib=torch`` and ``lib=minitorch`` in the same test
(``tests._same.assert_like_torch``): the same exception type with torch's words (the shapes, dtypes, sizes
and indices it names), or the same result where torch returns one.
"""
import numpy as np
import pytest

import minitorch
from tests._same import assert_like_torch



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
