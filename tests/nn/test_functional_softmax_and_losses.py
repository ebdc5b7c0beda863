"""The core's ``minitorch.nn.functional``: softmax, log_softmax, relu, nll_loss and cross_entropy against torch
(class indices with K extra dims, weights, ignore_index, label smoothing, class probabilities), with gradchecks."""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import minitorch
from tests.parity import check, gradchecks
from tests.strategies import float_arrays, shape_and_dim

RNG = np.random.default_rng(0)


def F(m):
    return m.nn.functional


def logits(*shape):
    return RNG.standard_normal(shape) * 2


def classes(n_classes, *shape):
    return RNG.integers(0, n_classes, shape)


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@given(data=st.data())
def test_functional_softmax_hypothesis(fn, data):
    shape, dim = data.draw(shape_and_dim(1, 3))
    check(lambda m, a: getattr(F(m), fn)(a, dim), data.draw(float_arrays(shape, -4, 4)))


def test_functional_softmax_implicit_dim_warns_like_torch():
    x = logits(2, 3)
    for lib in (minitorch, torch):
        with pytest.warns(UserWarning, match="Implicit dimension choice for softmax has been deprecated"):
            F(lib).softmax(lib.tensor(x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda m, a: (F(m).softmax(a), F(m).log_softmax(a)), x)
        check(lambda m, a: (F(m).softmax(a), F(m).log_softmax(a)), logits(2, 3, 4))


def test_functional_relu():
    x = RNG.uniform(0.1, 2, (3, 4)) * RNG.choice([-1, 1], (3, 4))
    check(lambda m, a: F(m).relu(a), x)
    check(lambda m, a: F(m).relu(a * 1, inplace=True), x)
    gradchecks(lambda m, a: F(m).relu(a), x[:2, :2])


# ------------------------------------------------------------------------------------------------ losses
REDUCTIONS = ["mean", "sum", "none"]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(5,), (4, 3), (2, 3, 4), (2, 3, 2, 2)], ids=str)
def test_cross_entropy_class_indices(reduction, shape):
    x = logits(*shape)
    if len(shape) == 1:
        target = np.array(2)
    else:
        target = classes(shape[1], shape[0], *shape[2:])
    check(lambda m, a, t: F(m).cross_entropy(a, t, reduction=reduction), x, target)
    check(lambda m, a, t: F(m).nll_loss(F(m).log_softmax(a, 0 if a.ndim == 1 else 1), t, reduction=reduction), x, target)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_weight_ignore_index_and_smoothing(reduction):
    x = logits(6, 4)
    target = np.array([0, 3, -100, 2, 3, 1])
    w = RNG.uniform(0.5, 2, 4)
    check(lambda m, a, t: F(m).cross_entropy(a, t, weight=m.tensor(w), reduction=reduction), x, target)
    t2 = np.array([0, 3, 1, 2, 3, 1])
    check(lambda m, a, t: F(m).cross_entropy(a, t, ignore_index=3, reduction=reduction), x, t2)
    check(lambda m, a, t: F(m).cross_entropy(a, t, label_smoothing=0.2, reduction=reduction), x, target)
    check(lambda m, a, t: F(m).cross_entropy(a, t, weight=m.tensor(w), label_smoothing=0.3, ignore_index=1,
                                             reduction=reduction), x, t2)
    k = logits(2, 4, 3)
    kt = np.array([[0, 1, 3], [2, -100, 0]])
    check(lambda m, a, t: F(m).cross_entropy(a, t, weight=m.tensor(w), label_smoothing=0.1, reduction=reduction),
          k, kt)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_probabilities(reduction):
    x = logits(5, 3)
    p = RNG.dirichlet(np.ones(3), 5)
    w = RNG.uniform(0.5, 2, 3)
    check(lambda m, a, q: F(m).cross_entropy(a, q, reduction=reduction), x, p)
    check(lambda m, a, q: F(m).cross_entropy(a, q, weight=m.tensor(w), label_smoothing=0.25, reduction=reduction),
          x, p)
    pk = RNG.dirichlet(np.ones(3), (2, 2)).transpose(0, 2, 1)
    check(lambda m, a, q: F(m).cross_entropy(a, q, reduction=reduction), logits(2, 3, 2), pk)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss(reduction):
    logp = np.log(RNG.dirichlet(np.ones(4), 6))
    target = np.array([0, 3, -100, 2, 3, 1])
    w = RNG.uniform(0.5, 2, 4)
    check(lambda m, a, t: F(m).nll_loss(a, t, reduction=reduction), logp, target)
    check(lambda m, a, t: F(m).nll_loss(a, t, weight=m.tensor(w), reduction=reduction), logp, target)
    check(lambda m, a, t: F(m).nll_loss(a, t, ignore_index=3, reduction=reduction), logp, np.array([0, 3, 1, 2, 3, 1]))
    check(lambda m, a, t: F(m).nll_loss(a, t, reduction=reduction), logits(2, 3, 4), classes(3, 2, 4))
    check(lambda m, a, t: F(m).nll_loss(a, t, reduction=reduction), logits(3), np.array(1))


@given(data=st.data())
def test_cross_entropy_hypothesis(data):
    n, c = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    extra = tuple(data.draw(st.lists(st.integers(1, 3), max_size=2)))
    x = data.draw(float_arrays((n, c) + extra, -5, 5))
    target = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n * int(np.prod(extra)),
                                         max_size=n * int(np.prod(extra))))).reshape((n,) + extra)
    smoothing = data.draw(st.sampled_from([0.0, 0.1]))
    reduction = data.draw(st.sampled_from(REDUCTIONS))
    check(lambda m, a, t: F(m).cross_entropy(a, t, label_smoothing=smoothing, reduction=reduction), x, target)
    check(lambda m, a, t: F(m).nll_loss(F(m).log_softmax(a, 1), t, reduction=reduction), x, target)


def test_loss_gradchecks():
    x, target = logits(3, 4), np.array([1, 0, 3])
    w = np.array([0.5, 1.0, 2.0, 1.5])
    gradchecks(lambda m, a: F(m).cross_entropy(a, m.tensor(target)), x)
    gradchecks(lambda m, a: F(m).cross_entropy(a, m.tensor(target), weight=m.tensor(w), label_smoothing=0.2), x)
    spatial = np.array([[1, 0], [3, 1], [2, 2]])  # (N, d1) targets of (N, C, d1) logits, one ignored
    gradchecks(lambda m, a: F(m).cross_entropy(a, m.tensor(spatial), weight=m.tensor(w), ignore_index=2,
                                               reduction="sum"), RNG.standard_normal((3, 4, 2)))
    gradchecks(lambda m, a: F(m).nll_loss(a, m.tensor(target), reduction="sum"), x)
    p = RNG.dirichlet(np.ones(4), 3)
    gradchecks(lambda m, a, q: F(m).cross_entropy(a, q), x, p)


def test_cross_entropy_is_stable_for_large_logits():
    x = np.array([[1000.0, -1000.0, 0.0], [-1e4, 1e4, 3.0]])
    check(lambda m, a, t: F(m).cross_entropy(a, t), x, np.array([0, 0]))


def test_cross_entropy_float32_and_name():
    x = logits(4, 3).astype(np.float32)
    check(lambda m, a, t: F(m).cross_entropy(a, t), x, np.array([0, 2, 1, 1]), atol=1e-6, rtol=1e-5)


def test_loss_errors():
    x, t = minitorch.zeros(3, 4), minitorch.tensor([0, 1, 2])
    for lib in (minitorch, torch):
        with pytest.raises(IndexError, match="Target 5 is out of bounds"):
            F(lib).cross_entropy(lib.zeros(3, 4), lib.tensor([0, 5, 1]))
        with pytest.raises(ValueError, match=r"Expected input batch_size \(3\) to match target batch_size \(2\)"):
            F(lib).cross_entropy(lib.zeros(3, 4), lib.tensor([0, 1]))
        with pytest.raises(ValueError, match="is not a valid value for reduction"):
            F(lib).cross_entropy(lib.zeros(3, 4), lib.tensor([0, 1, 1]), reduction="avg")
        with pytest.raises(RuntimeError, match="weight tensor should be defined either for all 4 classes or no classes"):
            F(lib).nll_loss(lib.zeros(3, 4), lib.tensor([0, 1, 1]), weight=lib.ones(3))
    with pytest.raises(RuntimeError, match=r"\[3, 4\]"):
        F(minitorch).cross_entropy(x, minitorch.zeros(3, 5))
    assert F(minitorch).cross_entropy(x, t).shape == ()
