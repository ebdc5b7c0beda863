"""Joining and reducing empty or ill-typed inputs, answered as torch answers them.

Each case is a function of the library, run with ``lib=torch`` and ``lib=minitorch`` in the same test
(``tests._same.assert_like_torch``): the same exception type with torch's words (the shapes, dtypes, sizes
and indices it names), or the same result where torch returns one.
"""
import pytest

from tests._same import _arange, assert_like_torch



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
