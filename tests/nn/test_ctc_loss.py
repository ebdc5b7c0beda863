"""ctc_loss and nn.CTCLoss against torch: op_db samples, padded and concatenated targets, unbatched input,
every reduction, zero_infinity on impossible alignments, repeated labels, float32, the gradient for log_probs
(torch's formula) and through log_softmax (gradcheck), and torch's argument errors."""
import numpy as np
import pytest
import torch

import minitorch
from tests.nn.test_activations_extra import opdb_check
from tests.parity import check, gradchecks

RNG = np.random.default_rng(0)
T, N, C = 10, 3, 5


def F(m):
    return m.nn.functional


def log_probs(*shape):
    x = RNG.standard_normal(shape)
    return x - np.log(np.exp(x).sum(-1, keepdims=True))


def test_ctc_loss_opdb():
    opdb_check("nn.functional.ctc_loss", limit=8)
    # float32: values only. minitorch runs the recursions in float64; torch's float32 gradients on op_db's long
    # sequences carry ~5e-5 of accumulated rounding (test_float32 compares gradients on short ones).
    opdb_check("nn.functional.ctc_loss", dtype=torch.float32, limit=3, atol=1e-5, rtol=1e-5, grad=False)


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("blank", [0, 4])
def test_padded_targets_with_repeats(reduction, blank):
    targets = RNG.integers(0, C - 1, (N, 4)) + (blank == 0)
    targets[0, :3] = targets[0, 0]  # a repeated label needs a blank between its copies
    il, tl = np.array([10, 9, 7]), np.array([4, 3, 0])
    check(lambda m, lp: F(m).ctc_loss(lp, m.tensor(targets), m.tensor(il), m.tensor(tl), blank, reduction),
          log_probs(T, N, C))


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_concatenated_targets_and_tuple_lengths(reduction):
    tl = (3, 1, 2)
    targets = RNG.integers(1, C, sum(tl))
    check(lambda m, lp: F(m).ctc_loss(lp, m.tensor(targets), (10, 6, 8), tl, reduction=reduction),
          log_probs(T, N, C))


def test_unbatched_and_int32_targets():
    targets = RNG.integers(1, C, 4).astype(np.int32)
    for reduction in ("none", "mean", "sum"):
        check(lambda m, lp: F(m).ctc_loss(lp, m.tensor(targets), m.tensor(T), m.tensor(4), reduction=reduction),
              log_probs(T, C))


@pytest.mark.parametrize("zero_infinity", [False, True])
def test_impossible_alignments(zero_infinity):
    targets = np.array([[1, 1, 1, 2], [2, 3, 0, 0]])
    il, tl = np.array([4, 6]), np.array([4, 2])  # 1 1 1 2 needs 6 steps
    fn = lambda m, lp: F(m).ctc_loss(lp, m.tensor(targets), m.tensor(il), m.tensor(tl), reduction="none",  # noqa: E731
                                     zero_infinity=zero_infinity)
    out_m, out_t = check(fn, log_probs(6, 2, C), grad=zero_infinity)
    assert np.isinf(out_t[0].item()) != zero_infinity


def test_float32():
    targets = RNG.integers(1, C, (N, 3))
    check(lambda m, lp: F(m).ctc_loss(lp, m.tensor(targets), (10, 8, 9), (3, 3, 2)),
          log_probs(T, N, C).astype(np.float32), atol=1e-5, rtol=1e-5)


def test_gradcheck_through_log_softmax():
    targets = minitorch.tensor(np.array([[1, 2, 2], [3, 1, 0]]))
    gradchecks(lambda m, x: F(m).ctc_loss(x.log_softmax(2), targets, (6, 5), (3, 2)), RNG.standard_normal((6, 2, 4)),
               second_order=False)


def test_ctc_module():
    mt, th = minitorch.nn.CTCLoss(blank=1, reduction="sum", zero_infinity=True), torch.nn.CTCLoss(1, "sum", True)
    assert repr(mt) == repr(th)
    targets = np.array([[2, 3], [4, 4]])
    check(lambda m, lp: (mt if m is minitorch else th)(lp, m.tensor(targets), (T, T), (2, 2)), log_probs(T, 2, C))


@pytest.mark.parametrize("call,exc,match", [
    (lambda F, m: F.ctc_loss(m.zeros(5, 2, 3), m.ones(2, 2, dtype=m.int64), (5, 5), (2, 2), blank=3), RuntimeError,
     "blank must be in label range"),
    (lambda F, m: F.ctc_loss(m.zeros(5, 2, 3), m.ones(2, 2, dtype=m.int64), (5,), (2, 2)), RuntimeError,
     "input_lengths must be of size batch_size"),
    (lambda F, m: F.ctc_loss(m.zeros(5, 2, 3), m.ones(2, 2, dtype=m.int64), (5, 5), (2,)), RuntimeError,
     "target_lengths must be of size batch_size"),
    (lambda F, m: F.ctc_loss(m.zeros(5, 2, 3), m.ones(2, 2, dtype=m.int64), (6, 5), (2, 2)), RuntimeError,
     "Expected input_lengths to have value at most 5, but got value 6"),
    (lambda F, m: F.ctc_loss(m.zeros(5, 2, 3), m.ones(2, 2, dtype=m.int64), (5, 5), (3, 2)), RuntimeError,
     "Expected tensor to have size at least 3 at dimension 1, but got size 2"),
    (lambda F, m: F.ctc_loss(m.zeros(5, 2, 3), m.ones(2, 2, dtype=m.int64), (5, 5), (2, 2), reduction="x"),
     ValueError, "x is not a valid value for reduction"),
])
def test_ctc_errors_like_torch(call, exc, match):
    for lib in (torch, minitorch):
        with pytest.raises(exc, match=match):
            call(F(lib), lib)
