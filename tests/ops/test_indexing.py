"""Indexing ops against torch: basic, integer-array and boolean-mask indexing, gather, index_select, narrow,
masked_select, flip; values, gradients and errors that read like torch's."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pytest
import torch
from hypothesis import strategies as st
from hypothesis import given

import minitorch
from tests._same import same_error, same_value
from tests.parity import check, gradchecks
from tests.strategies import float_arrays, shape_and_dim, shapes


RNG = np.random.default_rng(0)


def rand(*shape):
    return RNG.uniform(-2, 2, shape)


# ------------------------------------------------------------------------------------------------ gather
@given(data=st.data())
def test_gather_hypothesis(data):
    shape, dim = data.draw(shape_and_dim(1, 3))
    idx_shape = tuple(data.draw(st.integers(1, s)) if i != dim % len(shape) else data.draw(st.integers(1, 4))
                      for i, s in enumerate(shape))
    idx = data.draw(st.lists(st.integers(0, shape[dim] - 1), min_size=int(np.prod(idx_shape)),
                             max_size=int(np.prod(idx_shape))))
    index = np.array(idx, np.int64).reshape(idx_shape)
    x = data.draw(float_arrays(shape))
    check(lambda m, a, i: (a.gather(dim, i), m.gather(a, dim, i)), x, index)


def test_gather_gradcheck_and_errors():
    index = np.array([[0, 0, 2], [1, 2, 2]])
    gradchecks(lambda m, a: a.gather(1, m.tensor(index)), rand(2, 3))
    gradchecks(lambda m, a: a.gather(0, m.tensor(np.array([[1, 0, 1]]))), rand(2, 3))
    x = minitorch.zeros(2, 3)
    with pytest.raises(RuntimeError, match="gather\\(\\): Expected dtype int64 for index"):
        x.gather(1, minitorch.zeros(2, 3))
    with pytest.raises(RuntimeError, match="Index tensor must have the same number of dimensions as input tensor"):
        x.gather(1, minitorch.tensor([0, 1]))
    with pytest.raises(RuntimeError, match="index 3 is out of bounds for dimension 1 with size 3"):
        x.gather(1, minitorch.tensor([[3], [0]]))


# ------------------------------------------------------------------------------------------------ indexing
BASIC_INDICES = [0, -1, (1, 2), slice(1, 3), slice(None, None, 2), (slice(None), 1), (Ellipsis, 0), (None, 1),
                 (0, None, slice(1, None)), (Ellipsis, None), (slice(0, 10),), (1, Ellipsis, slice(2, 0)),
                 (slice(None, 2), slice(1, None, 2), 0)]


@pytest.mark.parametrize("index", BASIC_INDICES, ids=str)
def test_basic_indexing(index):
    check(lambda m, a: a[index], rand(3, 4, 2))


def test_basic_indexing_gradchecks():
    gradchecks(lambda m, a: a[1:, ::2], rand(3, 4))
    gradchecks(lambda m, a: a[None, -1, 1:3], rand(3, 4))


def test_integer_array_indexing_accumulates_repeats():
    x = rand(4, 3)
    check(lambda m, a: a[[0, 2, 0, 0]], x)
    check(lambda m, a, i: a[i], x, np.array([[3, 1], [1, 1]]))
    check(lambda m, a, i, j: a[i, j], x, np.array([0, 0, 3]), np.array([2, 2, 1]))
    check(lambda m, a, i: a[:, i], x, np.array([2, 0, 2]))
    check(lambda m, a, i: a[1:, i], x, np.array([[2], [0]]))
    check(lambda m, a, i: a[i, 1:], x, np.array([-1, 0, -1]))
    gradchecks(lambda m, a: a[m.tensor([0, 2, 0, 0])], x)


def test_boolean_mask_indexing():
    x = rand(3, 4)
    mask = x > 0
    check(lambda m, a, k: a[k], x, mask)
    check(lambda m, a, k: a[k], x, np.array([True, False, True]))
    check(lambda m, a, k: a[:, k], x, np.array([True, False, False, True]))
    check(lambda m, a: a[a > 0.5], x)
    check(lambda m, a: a[a > 10], x)
    gradchecks(lambda m, a: a[m.tensor(mask)], x)


@given(data=st.data())
def test_indexing_hypothesis(data):
    shape = data.draw(shapes(1, 3, max_side=4))
    x = data.draw(float_arrays(shape))
    items = []
    for s in shape[: data.draw(st.integers(1, len(shape)))]:
        kind = data.draw(st.sampled_from(["int", "slice", "none", "array"]))
        if kind == "int":
            items.append(data.draw(st.integers(-s, s - 1)))
        elif kind == "slice":
            items.append(slice(data.draw(st.integers(-s, s)), data.draw(st.integers(-s, s)), data.draw(st.integers(1, 3))))
        elif kind == "none":
            items += [None, slice(None)]
        else:
            items.append(data.draw(st.lists(st.integers(-s, s - 1), min_size=1, max_size=4)))
    n_arrays = sum(isinstance(i, list) for i in items)
    if n_arrays > 1:
        return  # several index arrays must broadcast together: covered in the examples above
    index = tuple(items)
    check(lambda m, a: a[index], x)


def test_index_with_tensors_of_other_kinds_and_errors():
    x = rand(3, 4)
    check(lambda m, a: a[m.tensor(1)], x)
    check(lambda m, a: a[m.tensor([True, False, True])], x)
    for lib in (minitorch, torch):
        t = lib.zeros(3, 4)
        with pytest.raises(IndexError, match="tensors used as indices must be long, int, byte or bool tensors"):
            t[lib.tensor([0.0, 1.0])]
        with pytest.raises(IndexError):
            t[3]
        with pytest.raises(IndexError):
            t[0, 0, 0]
        with pytest.raises(ValueError, match="step must be greater than zero"):
            t[::-1]


def test_index_out_of_range_message_names_dimension():
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 1 with size 4"):
        minitorch.zeros(3, 4)[0, 5]


def test_narrow_index_select_masked_select_flip():
    x = rand(3, 4)
    check(lambda m, a: (a.narrow(1, 1, 2), m.narrow(a, 0, 2, 1), a.flip(0), a.flip((0, 1)), m.flip(a, [1])), x)
    check(lambda m, a, i: (a.index_select(1, i), m.index_select(a, 0, i)), x, np.array([2, 0, 2]))
    check(lambda m, a, k: (a.masked_select(k), m.masked_select(a, k)), x, x > 0)
    gradchecks(lambda m, a: a.flip(1)[0], x)


# index_select takes a 0-D or 1-D integer index within range
@pytest.mark.parametrize("index", [[1.0], [[1]], [-1], [3]])
def test_index_select_bad_index(index: list) -> None:
    same_error(lambda lib: lib.arange(3.0).index_select(0, lib.tensor(index)))


def test_index_select_scalar_index() -> None:
    same_value(lambda lib: lib.arange(6.0).reshape(2, 3).index_select(1, lib.tensor(2)))
    same_value(lambda lib: lib.arange(6.0).reshape(2, 3).index_select(1, lib.tensor([2, 0, 2])))


# gather refuses negative indices
def test_gather_negative_index() -> None:
    same_error(lambda lib: lib.arange(3.0).gather(0, lib.tensor([-1])))


# indexing errors read like torch's, for big tensors too
@pytest.mark.parametrize("fn", [
    lambda lib: lib.ones(3)[5],
    lambda lib: lib.ones(3)[lib.tensor([5])],
    lambda lib: lib.ones(2, 3)[0, 7],
    lambda lib: lib.ones(3)[[-4]],
    lambda lib: lib.ones(2**17)[2**17],
    lambda lib: lib.ones(3).__setitem__(5, 1.0),
])
def test_index_out_of_range(fn: Callable) -> None:
    same_error(fn)


# size() of a 0-d tensor, narrow with a negative length, masked_fill broadcasting the input
@pytest.mark.parametrize("fn", [
    lambda lib: lib.tensor(1.0).size(0),
    lambda lib: lib.ones(3).narrow(0, 0, -1),
])
def test_size_and_narrow_errors(fn: Callable) -> None:
    same_error(fn)
