"""Embedding and F.embedding / F.one_hot / F.normalize against torch."""
import numpy as np
import pytest
import torch

import minitorch
from tests.parity import assert_close, check, check_module, gradchecks

rng = np.random.default_rng(0)
F = minitorch.nn.functional


@pytest.mark.parametrize("padding_idx", [None, 0, 3, -1])
@pytest.mark.parametrize("by_freq", [False, True])
def test_embedding_module_matches_torch(padding_idx, by_freq):
    idx = np.array([[0, 3, 3, 9], [9, 1, 0, 3]])
    t = torch.nn.Embedding(10, 4, padding_idx=padding_idx, scale_grad_by_freq=by_freq).double()
    m = minitorch.nn.Embedding(10, 4, padding_idx=padding_idx, scale_grad_by_freq=by_freq).double()
    check_module(m, t, idx)
    assert repr(m) == repr(t)


def test_padding_row_starts_at_zero_and_gets_no_gradient():
    m = minitorch.nn.Embedding(6, 3, padding_idx=2)
    assert not m.weight.detach().numpy()[2].any()
    assert m.weight.detach().numpy()[[0, 1, 3, 4, 5]].all()
    out = m(minitorch.tensor([2, 2, 1]))
    out.sum().backward()
    assert not m.weight.grad.numpy()[2].any()
    np.testing.assert_array_equal(m.weight.grad.numpy()[1], np.ones(3))


def test_functional_embedding_grads_match_torch():
    idx = rng.integers(0, 7, (3, 5))
    for kw in ({}, {"padding_idx": 4}, {"scale_grad_by_freq": True}, {"padding_idx": 1, "scale_grad_by_freq": True}):
        check(lambda m, w: m.nn.functional.embedding(m.tensor(idx), w, **kw), rng.standard_normal((7, 3)))


def test_embedding_of_scalar_and_int32_indices():
    w = rng.standard_normal((5, 2))
    check(lambda m, w: m.nn.functional.embedding(m.tensor(3), w), w)
    check(lambda m, w: m.nn.functional.embedding(m.tensor(np.array([1, 4], np.int32)), w), w)


def test_embedding_gradchecks_including_second_order():
    idx = np.array([[1, 1, 0], [2, 4, 1]])
    gradchecks(lambda m, w: m.nn.functional.embedding(m.tensor(idx), w) ** 2, rng.standard_normal((5, 3)))


def test_double_backward_with_padding_and_frequency_scaling_matches_torch():
    idx = np.array([[1, 1, 0], [2, 4, 1]])

    def grad_of_grad(lib, w, u):
        out = lib.nn.functional.embedding(lib.tensor(idx), w, padding_idx=1, scale_grad_by_freq=True)
        (g,) = lib.autograd.grad((out ** 3).sum(), w, create_graph=True)
        return g * u

    check(grad_of_grad, rng.standard_normal((5, 3)), rng.standard_normal((5, 3)))


def test_max_norm_renormalises_rows_like_torch():
    w = rng.standard_normal((6, 3)) * 3
    idx = np.array([[0, 2, 2], [5, 1, 0]])
    tw, mw = torch.tensor(w.copy()), minitorch.tensor(w.copy())
    for norm_type in (2.0, 1.0):
        out_t = torch.nn.functional.embedding(torch.tensor(idx), tw, max_norm=1.5, norm_type=norm_type)
        out_m = F.embedding(minitorch.tensor(idx), mw, max_norm=1.5, norm_type=norm_type)
        assert_close(out_m, out_t)
        assert_close(mw, tw)
    assert mw._version > 0


def test_from_pretrained_shares_and_freezes():
    w = minitorch.randn(4, 3)
    frozen = minitorch.nn.Embedding.from_pretrained(w)
    assert not frozen.weight.requires_grad
    np.testing.assert_array_equal(frozen(minitorch.tensor([1, 3])).numpy(), w.numpy()[[1, 3]])
    trainable = minitorch.nn.Embedding.from_pretrained(w, freeze=False, padding_idx=1)
    assert trainable.weight.requires_grad and trainable.padding_idx == 1
    assert trainable.weight.detach().numpy()[1].any()  # the given weights are kept as they are
    assert repr(trainable) == repr(torch.nn.Embedding.from_pretrained(torch.randn(4, 3), freeze=False, padding_idx=1))
    with pytest.raises(AssertionError, match="2-dimensional"):
        minitorch.nn.Embedding.from_pretrained(minitorch.randn(4))


def test_embedding_init_statistics():
    w = minitorch.nn.Embedding(500, 200).weight.detach().numpy()
    assert abs(w.mean()) < 0.01 and abs(w.std() - 1) < 0.01


def test_embedding_errors():
    w = minitorch.randn(3, 2)
    with pytest.raises(IndexError, match="index out of range in self"):
        F.embedding(minitorch.tensor([3]), w)
    with pytest.raises(IndexError, match="index out of range"):
        F.embedding(minitorch.tensor([-1]), w)
    with pytest.raises(RuntimeError, match="'indices' to have one of the following scalar types: Long, Int"):
        F.embedding(minitorch.tensor([1.0]), w)
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        minitorch.nn.Embedding(3, 2, padding_idx=3)
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        minitorch.nn.Embedding(3, 2, padding_idx=-4)
    with pytest.raises(AssertionError, match="Shape of weight"):
        minitorch.nn.Embedding(3, 2, _weight=minitorch.randn(2, 2))
    with pytest.raises(RuntimeError, match="sparse"):
        minitorch.nn.Embedding(3, 2, sparse=True)(minitorch.tensor([0]))


@pytest.mark.parametrize("num_classes", [-1, 6])
def test_one_hot_matches_torch(num_classes):
    idx = rng.integers(0, 5, (3, 4))
    out_m = F.one_hot(minitorch.tensor(idx), num_classes)
    out_t = torch.nn.functional.one_hot(torch.tensor(idx), num_classes)
    assert_close(out_m, out_t)


def test_one_hot_errors_match_torch():
    for args in [([1.0],), ([-1],), ([3], 2)]:
        dtype = minitorch.float32 if isinstance(args[0][0], float) else minitorch.int64
        with pytest.raises(RuntimeError) as mt_err:
            F.one_hot(minitorch.tensor(args[0], dtype=dtype), *args[1:])
        with pytest.raises(RuntimeError) as th_err:
            torch.nn.functional.one_hot(torch.tensor(args[0]), *args[1:])
        assert str(mt_err.value) == str(th_err.value)
    with pytest.raises(RuntimeError, match="empty tensor"):
        F.one_hot(minitorch.tensor([], dtype=minitorch.int64))


@pytest.mark.parametrize("p,dim", [(2.0, 1), (1.0, 0), (3.0, -1), (float("inf"), 1)])
def test_normalize_matches_torch(p, dim):
    check(lambda m, x: m.nn.functional.normalize(x, p=p, dim=dim), rng.standard_normal((3, 4)) + 0.1)


def test_normalize_gradcheck_and_eps():
    gradchecks(lambda m, x: m.nn.functional.normalize(x, dim=1), rng.standard_normal((2, 3)))
    check(lambda m, x: m.nn.functional.normalize(x, eps=10.0), rng.standard_normal((2, 3)))
