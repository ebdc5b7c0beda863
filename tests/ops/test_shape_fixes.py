"""The fixes of shape and indexing ops against torch: index_select/gather/unfold on 0-d tensors and empty
indices, flatten over zero-size dims, masked_select of 0-d and empty inputs, repeat/tile with zero repeats
(values and backward)."""
from __future__ import annotations

import numpy as np
import torch

import minitorch
from tests._same import same_error
from tests.parity import check, gradchecks

RNG = np.random.default_rng(2)


def test_zero_dim_index_select_gather_unfold():
    x = np.array(RNG.standard_normal())
    check(lambda m, a: (a.index_select(0, m.tensor([0])), a.index_select(-1, m.tensor(0)),
                        a.gather(0, m.tensor([0, 0])), a.gather(0, m.tensor(0)), a.gather(-1, m.tensor([0])),
                        a.unfold(0, 1, 1), a.unfold(0, 0, 1), a.unfold(-1, 1, 3)), x)
    gradchecks(lambda m, a: (a.gather(0, m.tensor([0, 0, 0])), a.index_select(0, m.tensor([0])), a.unfold(0, 1, 2)),
               x)
    check(lambda m, a: (a.index_select(0, m.tensor([0])), a.gather(0, m.tensor(0))), np.array(3))
    same_error(lambda lib: lib.tensor(1.0).index_select(0, lib.tensor([0, 0])))
    same_error(lambda lib: lib.tensor(1.0).gather(0, lib.tensor([1])))
    same_error(lambda lib: lib.tensor(1.0).unfold(0, 2, 1))


def test_empty_index_gather():
    check(lambda m, a: (a.gather(0, m.tensor(np.zeros((2, 0), np.uint8))), a.gather(0, m.tensor(np.zeros(0, np.int64)))),
          RNG.standard_normal(5))
    check(lambda m, a: a.gather(1, m.tensor(np.zeros((0, 0), np.int64))), RNG.standard_normal((5, 5)))


def test_flatten_zero_size():
    for shape, s, e in [((5, 4, 0, 1, 3, 7), 4, 5), ((2, 0, 3), 0, -1), ((0,), 0, 0), ((3, 0), 1, 1), ((0, 2, 2), 1, 2)]:
        check(lambda m, a: (a.flatten(s, e), m.flatten(a), a.flatten(0, 1) if a.ndim > 1 else a),
              RNG.standard_normal(shape))


def test_masked_select_zero_dim_and_empty():
    x = np.array(RNG.standard_normal())
    check(lambda m, a: (a.masked_select(m.tensor(True)), a.masked_select(m.tensor(False)),
                        a.masked_select(m.tensor([True, False, True]))), x)
    check(lambda m, a: (a.masked_select(m.tensor(np.zeros((0, 3), bool))), a.masked_select(m.tensor(True))),
          RNG.standard_normal((0, 3)))
    check(lambda m, a, b: b.masked_select(a > 0), RNG.standard_normal(4), np.array(RNG.standard_normal()))
    gradchecks(lambda m, a: a.masked_select(m.tensor([True, True])), x)


def test_repeat_and_tile_with_zero():
    check(lambda m, a: (a.repeat(0), a.repeat(0, 2), a.repeat(2, 0), a.tile(0), a.repeat(())), np.array(1.5))
    check(lambda m, a: (a.repeat(0, 1, 2), a.repeat(2, 1, 1), a.tile(0, 1), a.tile(())), RNG.standard_normal((2, 0, 3)))
    check(lambda m, a: (a.repeat(3, 0), a.repeat(1, 0, 2), a.tile(0)), RNG.standard_normal((2, 3)))
    gradchecks(lambda m, a: (a.repeat(0, 2), a.repeat(2, 3)), RNG.standard_normal((1, 2)), second_order=False)
    gradchecks(lambda m, a: a.repeat(2, 3), RNG.standard_normal((1, 2)))  # (gradgradcheck fails on empty outputs)
    for lib in (minitorch, torch):
        x = lib.ones(2, requires_grad=True)
        x.repeat(0).sum().backward()
        assert x.grad.tolist() == [0.0, 0.0]
