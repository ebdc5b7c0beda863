"""Reductions against torch: over a dim, a tuple of dims, or all; gradients, ties, dtypes, var/std, logsumexp, norm
(special p), empty and 0-d inputs, dim errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import strategies as st
from hypothesis import given

import minitorch
from tests._same import INF, same_error
from tests.parity import check, gradchecks, assert_close
from tests.strategies import distinct_arrays, float_arrays, shape_and_dim, shape_and_dims, shapes


RNG = np.random.default_rng(0)


# name -> (reduce over all, reduce over dim(s) given as (lib, x, dim, keepdim), accepts a tuple of dims)
REDUCTIONS = {
    "sum": (lambda m, x: (x.sum(), m.sum(x)), lambda m, x, d, k: x.sum(d, keepdim=k), True),
    "mean": (lambda m, x: (x.mean(), m.mean(x)), lambda m, x, d, k: x.mean(d, keepdim=k), True),
    "prod": (lambda m, x: (x.prod(), m.prod(x)), lambda m, x, d, k: x.prod(d, keepdim=k), False),
    "amax": (lambda m, x: (x.amax(), m.amax(x)), lambda m, x, d, k: x.amax(d, keepdim=k), True),
    "amin": (lambda m, x: (x.amin(), m.amin(x)), lambda m, x, d, k: m.amin(x, d, keepdim=k), True),
    "max": (lambda m, x: (x.max(), m.max(x)), lambda m, x, d, k: tuple(x.max(d, keepdim=k)), False),
    "min": (lambda m, x: (x.min(), m.min(x)), lambda m, x, d, k: tuple(m.min(x, d, keepdim=k)), False),
    "var": (lambda m, x: (x.var(), m.var(x)), lambda m, x, d, k: x.var(d, keepdim=k), True),
    "std": (lambda m, x: (x.std(), m.std(x)), lambda m, x, d, k: x.std(d, keepdim=k), True),
    "logsumexp": (None, lambda m, x, d, k: x.logsumexp(d, keepdim=k), True),
    "argmax": (lambda m, x: (x.argmax(), m.argmax(x)), lambda m, x, d, k: x.argmax(d, keepdim=k), False),
    "argmin": (lambda m, x: (x.argmin(), m.argmin(x)), lambda m, x, d, k: x.argmin(d, keepdim=k), False),
}


# extreme values need distinct inputs (no ties) to have a unique gradient; the gradient of std is ill-conditioned
# for (nearly) constant inputs, where rounding decides between 0 and noise
DISTINCT = {"amax", "amin", "max", "min", "argmax", "argmin", "std"}


def _values(name, shape):
    if name in DISTINCT:
        return distinct_arrays(shape)
    if name == "prod":
        return float_arrays(shape, -2, 2, margin=0.3)
    return float_arrays(shape, -3, 3)


@pytest.mark.parametrize("name", list(REDUCTIONS))
@given(data=st.data(), keepdim=st.booleans())
def test_reduce_over_dim_hypothesis(name, data, keepdim):
    _, over_dim, _ = REDUCTIONS[name]
    shape, dim = data.draw(shape_and_dim(1, 4))
    x = data.draw(_values(name, shape))
    if name in ("var", "std") and shape[dim] < 2:
        return  # N - 1 = 0: a division by zero (nan / inf), checked in test_var_std_of_single_element
    check(lambda m, a: over_dim(m, a, dim, keepdim), x)


@pytest.mark.parametrize("name", [n for n, (_, _, tuples) in REDUCTIONS.items() if tuples])
@given(data=st.data(), keepdim=st.booleans())
def test_reduce_over_tuple_of_dims_hypothesis(name, data, keepdim):
    _, over_dim, _ = REDUCTIONS[name]
    shape, dims = data.draw(shape_and_dims(1, 4))
    x = data.draw(_values(name, shape))
    if name in ("var", "std") and np.prod([shape[d] for d in dims]) < 2:
        return
    check(lambda m, a: over_dim(m, a, dims, keepdim), x)


@pytest.mark.parametrize("name", [n for n, (full, _, _) in REDUCTIONS.items() if full is not None])
@given(data=st.data())
def test_reduce_all_hypothesis(name, data):
    shape = data.draw(shapes(0, 3).filter(lambda s: name not in ("var", "std") or np.prod(s) > 1))
    check(REDUCTIONS[name][0], data.draw(_values(name, shape)))


@pytest.mark.parametrize("name", [n for n in REDUCTIONS if not n.startswith("arg")])
def test_reduction_gradchecks(name):
    full, over_dim, tuples = REDUCTIONS[name]
    x = RNG.permutation(12).reshape(3, 4) / 4 - 1.3 if name != "prod" else RNG.uniform(0.5, 1.5, (3, 4))
    if full is not None:
        gradchecks(full, x)
    gradchecks(lambda m, a: over_dim(m, a, 1, False), x)
    gradchecks(lambda m, a: over_dim(m, a, -2, True), x)
    if tuples:
        gradchecks(lambda m, a: over_dim(m, a, (0, 1), False), x)


def test_ties_share_the_gradient_like_torch():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
    check(lambda m, a: (a.amax(), a.amax(1), a.amin(0), a.max(), a.min()), x)
    check(lambda m, a: tuple(a.max(1)) + tuple(a.min(0)), x)  # values and indices of the first extreme


def test_max_returns_named_values_and_indices():
    x = minitorch.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    out = x.max(dim=1)
    assert out.values.tolist() == [5.0, 7.0] and out.indices.tolist() == [1, 0]
    values, indices = x.min(0, keepdim=True)
    assert values.shape == (1, 3) and indices.dtype is minitorch.int64
    assert x.max(minitorch.tensor([9.0, 0.0, 0.0])).tolist() == [[9.0, 5.0, 2.0], [9.0, 0.0, 3.0]]


def test_prod_with_zeros():
    for x in (np.array([[2.0, 0.0, 3.0], [1.0, 2.0, 3.0]]), np.array([[0.0, 0.0, 3.0], [1.0, 0.0, 3.0]])):
        check(lambda m, a: (a.prod(), a.prod(1), a.prod(0, keepdim=True)), x)
    gradchecks(lambda m, a: a.prod(1), np.array([[2.0, 0.0, 3.0], [1.5, 2.0, -1.0]]))


def test_sum_and_mean_dtypes():
    for arr in (np.array([[1, 2], [3, 4]]), np.array([True, False, True]), np.array([1, 2], np.int32),
                np.array([1.5, 2.5], np.float32)):
        check(lambda m, a: (a.sum(), a.sum(0), a.prod()), arr, grad=False)
    check(lambda m, a: a.sum(dtype=m.float64), np.array([1, 2]), grad=False)
    check(lambda m, a: a.mean(dtype=m.float64), np.array([1, 2]), grad=False)
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype"):
            lib.tensor([1, 2]).mean()


def test_var_std_correction_and_unbiased():
    x = RNG.standard_normal((3, 5))
    check(lambda m, a: (a.var(unbiased=False), a.std(1, unbiased=False), a.var(0, correction=0),
                        a.std((0, 1), correction=2, keepdim=True)), x)
    gradchecks(lambda m, a: a.std(0, unbiased=False), x[:, :2])


def test_var_std_need_floats():
    for lib in (minitorch, torch):
        for fn in ("var", "std"):
            with pytest.raises(RuntimeError, match="std and var only support floating point and complex dtypes"):
                getattr(lib.tensor([1, 2, 3]), fn)()


def test_var_std_of_single_element():
    with pytest.warns(UserWarning, match="var\\(\\): degrees of freedom is <= 0"):
        check(lambda m, a: (a.var(), a.std(0, unbiased=False)), np.array([1.5]))
    for lib in (minitorch, torch):
        with pytest.warns(UserWarning, match="var\\(\\): degrees of freedom is <= 0"):
            assert np.isnan(lib.tensor([[1.5], [2.0]]).var(1).numpy()).all()


def test_logsumexp_is_stable():
    x = np.array([[1000.0, 1000.0, -1000.0], [-1e4, 0.0, 3.0]])
    check(lambda m, a: (a.logsumexp(1), a.logsumexp(0, keepdim=True), a.logsumexp((0, 1))), x)
    check(lambda m, a: a.logsumexp(0), np.array([-np.inf, -np.inf, 1.0]))


def test_integer_reductions():
    a = np.array([[3, 1, 2], [0, 5, 5]])
    check(lambda m, x: (x.max(), x.amin(1), tuple(x.max(0)), x.argmax(), x.argmin(1, keepdim=True)), a, grad=False)


def test_reductions_of_zero_dim_tensor():
    check(lambda m, a: (a.sum(), a.sum(0), a.mean(0, keepdim=True), a.amax(0), a.logsumexp(0), a.prod(0)),
          np.array(2.5))
    check(lambda m, a: (tuple(a.max(0)), a.argmax(0)), np.array(2.5), grad=False)


def test_reductions_of_empty_tensor():
    x = np.zeros((0, 3))
    check(lambda m, a: (a.sum(), a.sum(0), a.prod(0), a.mean(1)), x)
    for lib in (minitorch, torch):
        with pytest.raises(IndexError, match="Expected reduction dim 0 to have non-zero size"):
            lib.zeros(0, 3).amax(0)
        with pytest.raises((RuntimeError, IndexError)):
            lib.zeros(0, 3).max()
        with pytest.raises((RuntimeError, IndexError)):
            lib.zeros(0, 3).argmax()


@pytest.mark.parametrize("call", [lambda x: x.sum(2), lambda x: x.mean(-3), lambda x: x.amax((0, 5)),
                                  lambda x: x.max(2), lambda x: x.argmax(3), lambda x: x.logsumexp(2),
                                  lambda x: x.var(2), lambda x: x.softmax(2), lambda x: x.prod(-3)])
def test_dim_out_of_range(call):
    for lib in (minitorch, torch):
        with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\]"):
            call(lib.zeros(2, 3))


def test_repeated_dims_error():
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError, match="appears multiple times in the list of dims"):
            lib.zeros(2, 3).sum((1, -1))


def test_norm():
    x = RNG.standard_normal((3, 4))
    check(lambda m, a: (a.norm(), a.norm(dim=1), a.norm(2, dim=0, keepdim=True), a.norm(1, dim=1),
                        a.norm(float("inf"), dim=0), a.norm(3, dim=(0, 1))), x)
    gradchecks(lambda m, a: a.norm(dim=1), x[:2])
    check(lambda m, a: a.norm(dim=1), np.array([[0.0, 0.0], [3.0, 4.0]]))  # the gradient at 0 is 0, as in torch


def test_std_of_constant_values_is_exactly_zero_with_zero_gradient():
    # a value whose naive mean is off by one ulp: std must still be exactly 0 (torch's is) and its gradient 0
    check(lambda m, a: (a.std(0), a.std(), a.var(1)), np.full((3, 2), 1.7985378))


# norm with p = -inf, 0 and an unsupported p
@pytest.mark.parametrize("p", [-INF, 0, INF, 3])
def test_norm_special_p(p: float) -> None:
    a = np.array([[1.0, 0.0, -3.0], [0.5, -2.0, 0.0]])
    check(lambda m, x: m.norm(x, p=p), a)
    check(lambda m, x: x.norm(p=p, dim=1, keepdim=True), a)


def test_norm_unsupported_p_is_a_clear_error() -> None:
    same_error(lambda lib: lib.ones(3).norm(p="nuc"), same_text=False)


def test_empty_dim_list_reduces_over_all_dims_like_torch():
    x = np.arange(6.0).reshape(2, 3)
    for fn in (lambda t: t.sum([]), lambda t: t.mean(dim=[]), lambda t: t.amax([]), lambda t: t.var([]),
               lambda t: t.std(dim=[])):
        assert_close(fn(minitorch.tensor(x)), fn(torch.tensor(x)))


def test_prod_of_bools_with_dtype_bool_is_all():
    for data in ([True, False], [True, True], [[True], [False]]):
        check(lambda lib, a: (a.prod(dtype=lib.bool), a.prod(0, dtype=lib.bool), a.prod()), np.array(data), grad=False)
