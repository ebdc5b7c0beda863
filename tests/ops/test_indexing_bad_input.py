"""Bad indices, masks and index values answered as torch answers them.

Each case is a function of the library, run with ``lib=torch`` and ``lib=minitorch`` in the same test
(``tests._same.assert_like_torch``): the same exception type with torch's words (the shapes, dtypes, sizes
and indices it names), or the same result where torch returns one.
"""
import pytest
import torch

import minitorch
from tests._same import _arange, assert_like_torch



def _set(x, index, value):
    x[index] = value
    return x


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
