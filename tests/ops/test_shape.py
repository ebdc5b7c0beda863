"""Shape ops against torch: view/reshape, permute/transpose/movedim, squeeze/unsqueeze/flatten, expand/repeat,
cat/stack/split/chunk; hypothesis-drawn shapes, gradchecks, shared memory and errors."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch
from hypothesis import strategies as st
from hypothesis import given

import minitorch
from tests._same import same_error
from tests.parity import check, gradchecks
from tests.strategies import float_arrays, shape_and_dim, shapes


RNG = np.random.default_rng(0)


def rand(*shape):
    return RNG.uniform(-2, 2, shape)


# ------------------------------------------------------------------------------------------------ views
@st.composite
def shape_and_reshape(draw):
    shape = draw(shapes(0, 4))
    n = int(np.prod(shape))
    divisors = [d for d in range(1, n + 1) if n % d == 0] or [1]
    first = draw(st.sampled_from(divisors))
    rest = n // first
    target = [first, rest] if draw(st.booleans()) else [first, -1]
    if draw(st.booleans()) and rest % 2 == 0:
        target = [first, 2, rest // 2]
    return shape, tuple(target)


@given(data=st.data())
def test_view_reshape_hypothesis(data):
    shape, target = data.draw(shape_and_reshape())
    x = data.draw(float_arrays(shape))
    check(lambda m, a: (a.view(target), a.reshape(target), a.reshape(-1), m.reshape(a, target), a.view(*target)), x)


@given(data=st.data())
def test_permute_transpose_hypothesis(data):
    shape = data.draw(shapes(1, 4))
    perm = data.draw(st.permutations(range(len(shape))))
    d0, d1 = data.draw(st.integers(-len(shape), len(shape) - 1)), data.draw(st.integers(0, len(shape) - 1))
    x = data.draw(float_arrays(shape))
    check(lambda m, a: (a.permute(*perm), a.permute(perm), m.permute(a, perm), a.transpose(d0, d1),
                        m.transpose(a, d0, d1), a.mT if a.ndim >= 2 else a, a.permute(perm).contiguous(),
                        a.transpose(d0, d1).contiguous().view(-1)), x)
    if len(shape) == 2:
        check(lambda m, a: (a.t(), a.T, a.t().contiguous(), m.t(a)), x)
    elif len(shape) == 1:
        check(lambda m, a: (a.t(), m.t(a)), x)


@given(data=st.data())
def test_squeeze_unsqueeze_flatten_hypothesis(data):
    shape = data.draw(shapes(0, 4, max_side=2))
    nd = len(shape)
    x = data.draw(float_arrays(shape))
    u = data.draw(st.integers(-nd - 1, nd))
    s = data.draw(st.integers(-max(nd, 1), max(nd, 1) - 1))
    start = data.draw(st.integers(0, max(nd - 1, 0)))
    end = data.draw(st.integers(start, max(nd - 1, 0)))
    check(lambda m, a: (a.squeeze(), a.squeeze(s), a.unsqueeze(u), m.unsqueeze(a, u), a.flatten(),
                        a.flatten(start, end), m.flatten(a), m.squeeze(a)), x)


@given(data=st.data())
def test_expand_repeat_hypothesis(data):
    shape = data.draw(shapes(0, 3, max_side=3))
    lead = data.draw(st.lists(st.integers(1, 3), max_size=2))
    target = tuple(lead) + tuple(data.draw(st.integers(1, 3)) if s == 1 else s for s in shape)
    reps = tuple(lead) + tuple(data.draw(st.integers(1, 3)) for _ in shape)
    x = data.draw(float_arrays(shape))
    keep = tuple(lead) + tuple(-1 for _ in shape)
    if not target:  # a 0-d tensor expanded to (): torch requires at least one size argument in the star form
        check(lambda m, a: (a.expand(target), a.repeat(reps)), x)
        return
    check(lambda m, a: (a.expand(*target), a.expand(target), a.expand(*keep), a.expand_as(m.zeros(target, dtype=a.dtype)),
                        a.repeat(*reps), a.repeat(reps)), x)


def test_t_and_contiguous():
    check(lambda m, a: (a.t(), m.t(a), a.t().contiguous(), a.contiguous(), a.T.contiguous().view(-1)), rand(2, 3))
    check(lambda m, a: a.t(), rand(3))
    x = minitorch.tensor(rand(2, 3))
    assert x.contiguous() is x and x.is_contiguous()
    y = x.t()
    assert not y.is_contiguous() and y.contiguous().is_contiguous()
    with pytest.raises(RuntimeError, match="t\\(\\) expects a tensor with <= 2 dimensions, but self is 3D"):
        minitorch.zeros(1, 2, 3).t()


@pytest.mark.parametrize("fn", [
    lambda m, a: a.view(3, 2), lambda m, a: a.reshape(-1, 3), lambda m, a: a.permute(1, 0),
    lambda m, a: a.transpose(0, 1), lambda m, a: a.t(), lambda m, a: a.unsqueeze(1).squeeze(1),
    lambda m, a: a.flatten(), lambda m, a: a.unsqueeze(0).expand(2, 2, 3), lambda m, a: a.repeat(2, 1, 2),
    lambda m, a: a.T.contiguous(),
])
def test_view_gradchecks(fn):
    gradchecks(fn, rand(2, 3))


def test_views_share_memory():
    x = minitorch.zeros(2, 3)
    for v in (x.view(6), x.t(), x.permute(1, 0), x.unsqueeze(0), x[0], x[:, 1:], x.expand(4, 2, 3), x.reshape(3, 2)):
        assert np.shares_memory(v.numpy(), x.numpy())
    assert not np.shares_memory(x.repeat(1, 1).numpy(), x.numpy())


def test_view_errors():
    x = minitorch.zeros(2, 3)
    with pytest.raises(RuntimeError, match=r"shape '\[4, -1\]' is invalid for input of size 6"):
        x.view(4, -1)
    with pytest.raises(RuntimeError, match="only one dimension can be inferred"):
        x.view(-1, -1)
    with pytest.raises(RuntimeError, match="view size is not compatible with input tensor's size and stride"):
        x.t().view(6)
    assert x.t().reshape(6).shape == (6,)
    with pytest.raises(RuntimeError, match=r"The expanded size of the tensor \(4\) must match the existing size \(3\)"):
        x.expand(2, 4)
    with pytest.raises(RuntimeError, match="number of dimensions in the tensor input does not match"):
        x.permute(1, 0, 2)
    with pytest.raises(RuntimeError, match="Number of dimensions of repeat dims can not be smaller"):
        x.repeat(2)
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.transpose(0, 2)
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.unsqueeze(3)


# ------------------------------------------------------------------------------------------------ cat / stack / split
@given(data=st.data())
def test_cat_stack_hypothesis(data):
    shape, dim = data.draw(shape_and_dim(1, 3))
    k = data.draw(st.integers(1, 3))
    sizes = [data.draw(st.integers(1, 3)) for _ in range(k)]
    parts = [data.draw(float_arrays(shape[:dim % len(shape)] + (n,) + shape[dim % len(shape) + 1:])) for n in sizes]
    same = [data.draw(float_arrays(shape)) for _ in range(k)]
    sdim = data.draw(st.integers(-len(shape) - 1, len(shape)))
    check(lambda m, *xs: m.cat(list(xs), dim), *parts)
    check(lambda m, *xs: (m.stack(xs, sdim), m.stack(list(xs))), *same)


@given(data=st.data())
def test_split_chunk_hypothesis(data):
    shape, dim = data.draw(shape_and_dim(1, 3))
    n = shape[dim]
    x = data.draw(float_arrays(shape))
    size = data.draw(st.integers(1, n + 1))
    chunks = data.draw(st.integers(1, n + 2))
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=3)))
    sections = [b - a for a, b in zip([0] + cuts, cuts + [n])]
    check(lambda m, a: (a.split(size, dim), a.chunk(chunks, dim), a.split(sections, dim), m.split(a, size, dim),
                        m.chunk(a, chunks, dim), a.unbind(dim)), x)


def test_join_split_gradchecks():
    a, b = rand(2, 3), rand(2, 2)
    gradchecks(lambda m, x, y: m.cat([x, y], 1), a, b)
    gradchecks(lambda m, x, y: m.stack([x, y * 2], 1), a, rand(2, 3))
    gradchecks(lambda m, x: x.split(2, 1)[1] * 3, a)
    gradchecks(lambda m, x: m.cat(x.chunk(3, 1)[::-1], 1), a)
    gradchecks(lambda m, x: x.unbind(1)[2], a)


def test_join_dtype_promotion_and_errors():
    check(lambda m, a, b: m.cat([a, b]), np.arange(3), np.arange(2.0))
    check(lambda m, a, b: m.stack([a, b]), np.arange(3, dtype=np.float32), np.arange(3.0))
    check(lambda m, a, b: m.cat([a, b], 0), np.zeros(0), rand(2, 2))
    with pytest.raises(RuntimeError, match="Sizes of tensors must match except in dimension 0. Expected size 3 but got "
                                           "size 2 for tensor number 1 in the list"):
        minitorch.cat([minitorch.zeros(2, 3), minitorch.zeros(2, 2)])
    with pytest.raises(RuntimeError, match="Tensors must have same number of dimensions: got 2 and 1"):
        minitorch.cat([minitorch.zeros(2, 3), minitorch.zeros(3)])
    with pytest.raises(RuntimeError, match=r"stack expects each tensor to be equal size, but got \[2, 3\] at entry 0 "
                                           r"and \[3, 2\] at entry 1"):
        minitorch.stack([minitorch.zeros(2, 3), minitorch.zeros(3, 2)])
    for lib in (torch, minitorch):
        with pytest.raises(ValueError, match="expected a non-empty list of Tensors"):
            lib.cat([])
    with pytest.raises(RuntimeError, match="split_with_sizes expects split_sizes to sum exactly to 3"):
        minitorch.zeros(3).split([1, 1])
    with pytest.raises(RuntimeError, match="chunk expects `chunks` to be greater than 0"):
        minitorch.zeros(3).chunk(0)


# cat of 0-d tensors or non-tensors
@pytest.mark.parametrize("fn", [
    lambda lib: lib.cat([lib.tensor(1.0), lib.tensor(2.0)]),
    lambda lib: lib.cat([lib.ones(1), lib.tensor(2.0)]),
    lambda lib: lib.cat([lib.ones(1), [1.0]]),
    lambda lib: lib.stack([lib.ones(1), [1.0]]),
])
def test_cat_bad_elements(fn: Callable) -> None:
    same_error(fn)


@pytest.mark.parametrize("src,dst", [((0, 1), (2, 0)), ((-1,), (0,)), ((0, 2), (1, 0)), (1, -1)])
def test_movedim_with_tuples(src: Any, dst: Any) -> None:
    check(lambda m, x: x.movedim(src, dst), np.arange(24.0).reshape(2, 3, 4))
