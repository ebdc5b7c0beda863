"""The margin, embedding and likelihood losses (and the op_db checks of the core losses) against torch: op_db
sample inputs (values and gradients), hand-made cases with every reduction, gradchecks, modules and errors."""
import numpy as np
import pytest
import torch

import minitorch
from tests.nn.test_activations_extra import opdb_check
from tests.parity import check, check_module, gradchecks

RNG = np.random.default_rng(0)
REDUCTIONS = ["none", "mean", "sum"]

NEW_LOSSES = ["margin_ranking_loss", "triplet_margin_loss", "triplet_margin_with_distance_loss",
              "cosine_embedding_loss", "hinge_embedding_loss", "soft_margin_loss", "multilabel_soft_margin_loss",
              "multilabel_margin_loss", "multi_margin_loss", "poisson_nll_loss", "gaussian_nll_loss"]
CORE_LOSSES = ["cross_entropy", "nll_loss", "huber_loss", "smooth_l1_loss", "kl_div", "l1_loss", "mse_loss",
               "binary_cross_entropy", "binary_cross_entropy_with_logits"]


@pytest.mark.parametrize("name", NEW_LOSSES + CORE_LOSSES)
def test_loss_opdb_float64(name):
    opdb_check("nn.functional." + name, limit=6)


@pytest.mark.parametrize("name", NEW_LOSSES)
def test_loss_opdb_float32(name):
    opdb_check("nn.functional." + name, dtype=torch.float32, limit=3, atol=1e-5, rtol=1e-4)


def F(m):
    return m.nn.functional


def signs(*shape):
    return RNG.choice([-1.0, 1.0], shape)


X, Y, Z = (RNG.standard_normal((5, 4)) for _ in range(3))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", [
    lambda F, r: F.margin_ranking_loss(X_[0], X_[1], X_[2].sign(), margin=0.3, reduction=r),
    lambda F, r: F.hinge_embedding_loss(X_[0], X_[2].sign(), margin=0.7, reduction=r),
    lambda F, r: F.soft_margin_loss(X_[0], X_[2].sign().detach(), reduction=r),
    lambda F, r: F.multilabel_soft_margin_loss(X_[0], (X_[1] > 0).double(), reduction=r),
    lambda F, r: F.cosine_embedding_loss(X_[0], X_[1], X_[2][:, 0].sign(), margin=0.2, reduction=r),
    lambda F, r: F.triplet_margin_loss(X_[0], X_[1], X_[2], margin=1.5, p=1.5, swap=True, reduction=r),
    lambda F, r: F.poisson_nll_loss(X_[0], X_[1].abs() * 3, full=True, reduction=r),
    lambda F, r: F.poisson_nll_loss(X_[0].abs() + 0.1, X_[1].abs() * 3, log_input=False, reduction=r),
    lambda F, r: F.gaussian_nll_loss(X_[0], X_[1], X_[2].abs()[:, 0], full=True, reduction=r),
    lambda F, r: F.gaussian_nll_loss(X_[0], X_[1], X_[2].abs()[:, :1], reduction=r),
])
def test_losses_with_every_reduction(case, reduction):
    def run(m, a, b, c):
        global X_
        X_ = (a, b, c)
        return case(F(m), reduction)
    check(run, X, Y, Z)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p", [1, 2])
def test_multi_margin_loss_with_weights(p, reduction):
    t = RNG.integers(0, 4, 5)
    w = RNG.uniform(0.5, 2, 4)
    check(lambda m, x, t, w: F(m).multi_margin_loss(x, t, p=p, margin=0.6, weight=w.detach(), reduction=reduction), X, t, w)
    gradchecks(lambda m, x: F(m).multi_margin_loss(x, m.tensor(t), p=p, reduction=reduction), X)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_multilabel_margin_loss_targets_stop_at_the_first_minus_one(reduction):
    t = np.array([[3, 0, -1, 1], [1, 2, 3, 0], [-1, 1, 1, 1], [2, 2, -1, 0], [0, -1, 3, 3]])
    check(lambda m, x, t: F(m).multilabel_margin_loss(x, t, reduction=reduction), X, t)
    check(lambda m, x, t: F(m).multilabel_margin_loss(x, t, reduction=reduction), X[0], t[0])
    gradchecks(lambda m, x: F(m).multilabel_margin_loss(x, m.tensor(t), reduction=reduction), X)


def test_triplet_margin_with_custom_distance():
    cos = lambda a, b: 1 - F(minitorch if isinstance(a, minitorch.Tensor) else torch).cosine_similarity(a, b)  # noqa: E731
    check(lambda m, a, p, n: F(m).triplet_margin_with_distance_loss(a, p, n, distance_function=cos, swap=True), X, Y, Z)


def test_new_losses_gradchecks():
    t = X[:, 0].copy()
    gradchecks(lambda m, a, b: F(m).margin_ranking_loss(a, b, m.tensor(np.sign(Z))), X, Y)
    gradchecks(lambda m, a, b: F(m).cosine_embedding_loss(a, b, m.tensor(np.sign(t))), X, Y)
    gradchecks(lambda m, a, b, c: F(m).triplet_margin_loss(a, b, c, swap=True), X, Y, Z)
    gradchecks(lambda m, a, v: F(m).gaussian_nll_loss(a, m.tensor(Y), v), X, np.abs(Z) + 0.1)
    gradchecks(lambda m, a: F(m).poisson_nll_loss(a, m.tensor(np.abs(Y))), X)
    gradchecks(lambda m, a: F(m).multilabel_soft_margin_loss(a, m.tensor((Y > 0) * 1.0)), X)


MODULES = [
    ("MarginRankingLoss", {"margin": 0.2}, 3), ("HingeEmbeddingLoss", {"margin": 0.5}, 2),
    ("SoftMarginLoss", {}, 2), ("MultiLabelSoftMarginLoss", {"reduction": "sum"}, 2),
    ("CosineEmbeddingLoss", {"margin": 0.1}, 3), ("TripletMarginLoss", {"margin": 0.5, "p": 1.0}, 3),
    ("TripletMarginWithDistanceLoss", {"swap": True}, 3), ("PoissonNLLLoss", {"full": True}, 2),
    ("GaussianNLLLoss", {"full": True}, 3), ("MultiMarginLoss", {"p": 2}, 2), ("MultiLabelMarginLoss", {}, 2),
]


@pytest.mark.parametrize("name,kw,n", MODULES)
def test_loss_modules_match_torch(name, kw, n):
    mt, th = getattr(minitorch.nn, name)(**kw), getattr(torch.nn, name)(**kw)
    assert repr(mt) == repr(th)
    args = [X, Y, Z][:n]
    if name in ("MarginRankingLoss",):
        args[2] = np.sign(Z)
    if name in ("HingeEmbeddingLoss", "SoftMarginLoss"):
        args[1] = np.sign(Y)
    if name == "MultiLabelSoftMarginLoss":
        args[1] = (Y > 0) * 1.0
    if name == "CosineEmbeddingLoss":
        args[2] = np.sign(Z[:, 0])
    if name in ("PoissonNLLLoss",):
        args[1] = np.abs(Y) * 3
    if name == "GaussianNLLLoss":
        args[2] = np.abs(Z)
    if name == "MultiMarginLoss":
        args[1] = RNG.integers(0, 4, 5)
    if name == "MultiLabelMarginLoss":
        args[1] = np.array([[3, 0, -1, 1]] * 5)
    detach = name == "SoftMarginLoss"  # torch has no gradient for its target
    check_module(mt, th, *args, forward=lambda mod, x, *rest: mod(x, *(r.detach() if detach else r for r in rest)))


def test_weighted_loss_modules_keep_weight_as_buffer():
    w = RNG.uniform(0.5, 2, 4)
    for name in ("MultiMarginLoss", "MultiLabelSoftMarginLoss"):
        mt, th = getattr(minitorch.nn, name)(weight=minitorch.tensor(w)), getattr(torch.nn, name)(weight=torch.tensor(w))
        assert list(mt.state_dict()) == list(th.state_dict()) == ["weight"]


@pytest.mark.parametrize("call,exc,match", [
    (lambda F, m: F.margin_ranking_loss(m.ones(3), m.ones(3), m.ones(3, 1)), RuntimeError, "should have same dimension"),
    (lambda F, m: F.triplet_margin_loss(m.ones(3), m.ones(3), m.ones(3), margin=0), ValueError, "margin must be greater"),
    (lambda F, m: F.triplet_margin_loss(m.ones(3), m.ones(3), m.ones(2, 3)), RuntimeError, "same number of dimensions"),
    (lambda F, m: F.cosine_embedding_loss(m.ones(3, 2), m.ones(3, 2), m.ones(3, 2)), RuntimeError, "0D or 1D target"),
    (lambda F, m: F.cosine_embedding_loss(m.ones(3), m.ones(3), m.ones(3)), RuntimeError, "1D target tensor expects 2D"),
    (lambda F, m: F.multi_margin_loss(m.ones(3, 2), m.zeros(3, dtype=m.int64), p=3), ValueError, "only p == 1 and p == 2"),
    (lambda F, m: F.multi_margin_loss(m.ones(3, 2), m.zeros(2, dtype=m.int64)), RuntimeError,
     r"Expected target size \[3\], but got \[2\]. Input has shape \[3, 2\]"),
    (lambda F, m: F.multi_margin_loss(m.ones(3, 2), m.full((3,), 5)), RuntimeError, "target out of range"),
    (lambda F, m: F.multi_margin_loss(m.ones(3, 0), m.full((3,), 5)), RuntimeError, "Expected non-empty vector"),
    (lambda F, m: F.multilabel_margin_loss(m.ones(3, 2), m.full((3, 2), 7)), RuntimeError, "'target' is out of range"),
    (lambda F, m: F.multilabel_margin_loss(m.ones(2), m.ones(2)), RuntimeError, "expected scalar type Long but found Float"),
    (lambda F, m: F.soft_margin_loss(m.ones(2), m.ones(2, requires_grad=True)), RuntimeError,
     "not differentiable with respect to argument 'target'"),
    (lambda F, m: F.multi_margin_loss(m.ones(3, 2), m.zeros(3, dtype=m.int64), weight=m.ones(3)), RuntimeError,
     "inconsistent weight size"),
    (lambda F, m: F.multilabel_margin_loss(m.ones(3, 2), m.zeros(3, dtype=m.int64)), RuntimeError,
     "inconsistent target size"),
    (lambda F, m: F.gaussian_nll_loss(m.ones(3, 2), m.ones(3, 2), m.ones(2, 2)), ValueError, "var is of incorrect size"),
    (lambda F, m: F.gaussian_nll_loss(m.ones(3, 2), m.ones(3, 2), -m.ones(3, 2)), ValueError, "var has negative"),
    (lambda F, m: F.poisson_nll_loss(m.ones(3), m.ones(3), reduction="bad"), ValueError, "bad is not a valid value"),
    (lambda F, m: F.soft_margin_loss(m.ones(3), m.ones(3), reduction="bad"), ValueError, "bad is not a valid value"),
])
def test_loss_errors_like_torch(call, exc, match):
    for lib in (torch, minitorch):
        with pytest.raises(exc, match=match):
            call(F(lib), lib)


@pytest.mark.parametrize("name", NEW_LOSSES + CORE_LOSSES + ["rms_norm", "group_norm", "pairwise_distance",
                                                              "local_response_norm", "embedding_bag", "ctc_loss"])
def test_opdb_error_inputs(name):
    from tests.nn.test_activations_extra import opdb_error_check
    opdb_error_check("nn.functional." + name)
