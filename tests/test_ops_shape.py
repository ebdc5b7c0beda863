"""matmul, views and shape ops, joining and splitting, gather and indexing against torch (values, float64
gradients with a random upstream gradient), with hypothesis-drawn shapes and gradchecks."""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from tests.parity import check, gradchecks
from tests.strategies import float_arrays, matmul_shapes, shape_and_dim, shapes

RNG = np.random.default_rng(0)


def rand(*shape):
    return RNG.uniform(-2, 2, shape)


# ------------------------------------------------------------------------------------------------ matmul
@given(data=st.data())
def test_matmul_hypothesis(data):
    sa, sb = data.draw(matmul_shapes())
    a, b = data.draw(float_arrays(sa)), data.draw(float_arrays(sb))
    check(lambda m, x, y: (x @ y, m.matmul(x, y), x.matmul(y)), a, b)


@pytest.mark.parametrize("sa,sb", [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 4)),
                                   ((2, 2, 3), (3, 2)), ((3,), (2, 3, 2)), ((2, 1, 2, 3), (3, 3, 2))])
def test_matmul_gradchecks(sa, sb):
    gradchecks(lambda m, x, y: x @ y, rand(*sa), rand(*sb))


def test_matmul_reflected_and_aliases():
    a, b = rand(2, 3), rand(3, 2)
    check(lambda m, x, y: (x.mm(y), m.mm(x, y), y.t() @ x.t()), a, b)
    check(lambda m, x, y: (m.bmm(x, y), x.bmm(y)), rand(2, 2, 3), rand(2, 3, 4))
    check(lambda m, x, y: (x.dot(y), m.dot(x, y)), rand(3), rand(3))
    x = minitorch.tensor(a, requires_grad=True)
    out = b @ x  # numpy array on the left: numpy defers to Tensor.__rmatmul__
    assert isinstance(out, minitorch.Tensor)
    np.testing.assert_allclose(out.detach().numpy(), b @ a)


def test_matmul_errors():
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"):
        minitorch.zeros(2, 3) @ minitorch.zeros(4, 5)
    with pytest.raises(RuntimeError, match="both arguments to matmul need to be at least 1D"):
        minitorch.zeros(()) @ minitorch.zeros(2)
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype"):
        minitorch.zeros(2, 2) @ minitorch.zeros(2, 2, dtype=minitorch.float64)
    with pytest.raises(RuntimeError, match=r"batch dimensions of \[2, 2, 3\] and \[3, 3, 2\] cannot be broadcast"):
        minitorch.zeros(2, 2, 3) @ minitorch.zeros(3, 3, 2)
    with pytest.raises(RuntimeError, match="1D tensors expected"):
        minitorch.zeros(2, 2).dot(minitorch.zeros(2))


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
