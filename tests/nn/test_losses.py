"""Every loss x reduction x option against torch (float64 values and gradients), gradchecks, bad input."""
import warnings

import numpy as np
import pytest
import torch

import minitorch
from tests.parity import check, check_module, gradchecks

rng = np.random.default_rng(0)
REDUCTIONS = ["none", "mean", "sum"]


def _pair(shape=(4, 5)):
    x = rng.standard_normal(shape)
    return x, x + rng.standard_normal(shape)


def _away(d, kinks, margin=1e-3):
    for k in kinks:
        for s in (k, -k):
            near = np.abs(d - s) < margin
            d[near] = s + margin * np.sign(d[near] - s + 1e-300)
    return d


# ----------------------------------------------------------------------------------------- regression losses
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
def test_mse_l1_match_torch(name, reduction, weighted):
    x, y = _pair()
    w = rng.random(x.shape) if weighted else None
    check(lambda m, x, y: getattr(m.nn.functional, name)(x, y, reduction=reduction,
                                                      weight=None if w is None else m.tensor(w)), x, y)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("beta", [1.0, 0.4, 0.0])
def test_smooth_l1_matches_torch(reduction, beta):
    x = rng.standard_normal((3, 6))
    y = x + _away(rng.standard_normal((3, 6)), [beta, 0.0])
    check(lambda m, x, y: m.nn.functional.smooth_l1_loss(x, y, reduction=reduction, beta=beta), x, y)
    check_module(minitorch.nn.SmoothL1Loss(reduction=reduction, beta=beta),
                 torch.nn.SmoothL1Loss(reduction=reduction, beta=beta), x, y)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("delta", [1.0, 0.3])
@pytest.mark.parametrize("weighted", [False, True])
def test_huber_matches_torch(reduction, delta, weighted):
    x = rng.standard_normal((3, 6))
    y = x + _away(rng.standard_normal((3, 6)), [delta, 0.0])
    w = rng.random(x.shape) if weighted else None
    check(lambda m, x, y: m.nn.functional.huber_loss(x, y, reduction=reduction, delta=delta,
                                                     weight=None if w is None else m.tensor(w)), x, y)
    check_module(minitorch.nn.HuberLoss(reduction, delta), torch.nn.HuberLoss(reduction, delta), x, y)


@pytest.mark.parametrize("cls", ["MSELoss", "L1Loss"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_modules_match_torch(cls, reduction):
    check_module(getattr(minitorch.nn, cls)(reduction=reduction), getattr(torch.nn, cls)(reduction=reduction), *_pair())


def test_target_broadcast_warns_like_torch():
    x, y = rng.standard_normal((3, 4)), rng.standard_normal(4)
    for name in ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"):
        with pytest.warns(UserWarning, match="different to the input size"):
            check(lambda m, x, y: getattr(m.nn.functional, name)(x, y), x, y)


# ----------------------------------------------------------------------------------------- cross-entropy, NLL
def cross_entropy_composed(input, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """The composed oracle of the fused cross_entropy: log_softmax + nll_loss (+ the smoothing term)."""
    class_dim = 0 if input.ndim == 1 else 1
    logp = input.log_softmax(class_dim)
    n_classes = input.shape[class_dim]
    w_shape = [1] * input.ndim
    w_shape[class_dim] = n_classes
    if target.dtype.is_floating_point:
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / n_classes
        terms = logp * target
        if weight is not None:
            terms = terms * weight.reshape(w_shape)
        losses = -terms.sum(class_dim)
        if reduction == "none":
            return losses
        return losses.sum() if reduction == "sum" else losses.sum() / max(input.numel() // n_classes, 1)
    nll = minitorch.nn.functional.nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    ignored = target == ignore_index
    smooth = -(logp * weight.reshape(w_shape)).sum(class_dim) if weight is not None else -logp.sum(class_dim)
    smooth = smooth.masked_fill(ignored, 0.0)
    if reduction == "mean":
        kept = target.numpy()[~ignored.numpy()]
        denom = weight.numpy()[kept].sum() if weight is not None else kept.size
        smooth = smooth.sum() / float(denom)
    elif reduction == "sum":
        smooth = smooth.sum()
    return nll * (1 - label_smoothing) + smooth * (label_smoothing / n_classes)


def graph_names(node):
    """The names of all nodes reachable from ``node`` in the backward graph."""
    seen, stack = [], [node]
    while stack:
        n = stack.pop()
        if n is not None and n.name() not in seen:
            seen.append(n.name())
            stack.extend(nxt for nxt, _ in n.next_functions)
    return seen


CE_SHAPES = [((6, 5), (6,)), ((2, 5, 3, 2), (2, 3, 2)), ((5,), ())]


@pytest.mark.parametrize("shapes", CE_SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.25])
@pytest.mark.parametrize("ignore", [False, True])
def test_cross_entropy_indices_match_torch(shapes, reduction, weighted, smoothing, ignore):
    x_shape, t_shape = shapes
    target = rng.integers(0, 5, t_shape)
    ignore_index = int(target.flat[0]) if ignore else -100
    w = rng.random(5) + 0.1 if weighted else None

    def fn(m, x):
        return m.nn.functional.cross_entropy(x, m.tensor(target), weight=None if w is None else m.tensor(w),
                                             ignore_index=ignore_index, reduction=reduction,
                                             label_smoothing=smoothing)

    out, _ = check(fn, rng.standard_normal(x_shape))
    fused = "CrossEntropyIndexBackward0" if smoothing == 0 else "CrossEntropyBackward0"  # indices read directly
    assert fused in graph_names(out.grad_fn) and "LogSoftmaxBackward0" not in graph_names(out.grad_fn)


@pytest.mark.parametrize("shape", [(6, 5), (2, 5, 3), (5,)])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
def test_cross_entropy_probabilities_match_torch(shape, reduction, weighted, smoothing):
    w = rng.random(5) + 0.1 if weighted else None
    p = rng.random(shape)
    p /= p.sum(axis=0 if len(shape) == 1 else 1, keepdims=True)
    check(lambda m, x, p: m.nn.functional.cross_entropy(x, p, weight=None if w is None else m.tensor(w),
                                                        reduction=reduction, label_smoothing=smoothing),
          rng.standard_normal(shape), p)


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("probabilities", [False, True])
def test_fused_cross_entropy_equals_composed_oracle(smoothing, reduction, probabilities):
    x = rng.standard_normal((4, 6, 3))
    w = minitorch.tensor(rng.random(6) + 0.5)
    if probabilities:
        p = rng.random(x.shape)
        target = minitorch.tensor(p / p.sum(1, keepdims=True))
    else:
        t = rng.integers(0, 6, (4, 3))
        t[0, 0] = -100
        target = minitorch.tensor(t)
    xs = [minitorch.tensor(x, requires_grad=True) for _ in range(2)]
    kw = dict(weight=w, reduction=reduction, label_smoothing=smoothing)
    fused = minitorch.nn.functional.cross_entropy(xs[0], target, **kw)
    composed = cross_entropy_composed(xs[1], target, **kw)
    np.testing.assert_allclose(fused.detach().numpy(), composed.detach().numpy(), rtol=1e-12, atol=1e-13)
    g = minitorch.tensor(rng.standard_normal(fused.shape))
    (ga,) = minitorch.autograd.grad(fused, xs[0], g)
    (gb,) = minitorch.autograd.grad(composed, xs[1], g)
    np.testing.assert_allclose(ga.numpy(), gb.numpy(), rtol=1e-11, atol=1e-13)


def test_cross_entropy_extreme_logits_are_stable():
    x = np.array([[1000.0, -1000.0, 0.0], [-800.0, 800.0, 799.0]])
    out, _ = check(lambda m, x: m.nn.functional.cross_entropy(x, m.tensor([0, 2])), x)
    assert np.isfinite(out.item())


def test_cross_entropy_all_ignored_is_nan_like_torch():
    with np.errstate(invalid="ignore"):
        check(lambda m, x: m.nn.functional.cross_entropy(x, m.tensor([-100, -100])), rng.standard_normal((2, 3)))


def test_cross_entropy_float32_and_probability_dtype_promotion():
    x = rng.standard_normal((3, 4)).astype(np.float32)
    out, _ = check(lambda m, x: m.nn.functional.cross_entropy(x, m.tensor([1, 0, 3])), x, atol=1e-6, rtol=1e-5)
    assert out.dtype == minitorch.float32
    p = rng.random((3, 4))
    check(lambda m, x, p: m.nn.functional.cross_entropy(x, p), x, p / p.sum(1, keepdims=True), atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_and_nll_modules_match_torch(reduction, weighted):
    w = rng.random(5) if weighted else None
    target = rng.integers(0, 5, 6)
    target[1] = 2
    kw = dict(reduction=reduction, ignore_index=2)
    mods = [(minitorch.nn.CrossEntropyLoss(None if w is None else minitorch.tensor(w), label_smoothing=0.1, **kw),
             torch.nn.CrossEntropyLoss(None if w is None else torch.tensor(w), label_smoothing=0.1, **kw)),
            (minitorch.nn.NLLLoss(None if w is None else minitorch.tensor(w), **kw),
             torch.nn.NLLLoss(None if w is None else torch.tensor(w), **kw))]
    x = rng.standard_normal((6, 5))
    for mm, tm in mods:
        assert list(mm.state_dict()) == list(tm.state_dict())
        check_module(mm, tm, x, forward=lambda mod, x: mod(x, _target(mod, target)))


def _target(mod, target):
    return minitorch.tensor(target) if isinstance(mod, minitorch.nn.Module) else torch.tensor(target)


@pytest.mark.parametrize("shapes", CE_SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_nll_loss_matches_torch(shapes, reduction, weighted):
    x_shape, t_shape = shapes
    target = rng.integers(0, 5, t_shape)
    w = rng.random(5) if weighted else None
    check(lambda m, x: m.nn.functional.nll_loss(x, m.tensor(target), weight=None if w is None else m.tensor(w),
                                                ignore_index=1, reduction=reduction), rng.standard_normal(x_shape))


# ----------------------------------------------------------------------------------------- binary cross-entropy
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight_shape", [None, (5,), (4, 5), (4, 1)])
def test_bce_matches_torch(reduction, weight_shape):
    x, y = rng.uniform(0.02, 0.98, (4, 5)), rng.uniform(0, 1, (4, 5))
    w = None if weight_shape is None else rng.random(weight_shape)
    check(lambda m, x, y: m.nn.functional.binary_cross_entropy(x, y, weight=None if w is None else m.tensor(w),
                                                               reduction=reduction), x, y)
    check_module(minitorch.nn.BCELoss(None if w is None else minitorch.tensor(w), reduction=reduction),
                 torch.nn.BCELoss(None if w is None else torch.tensor(w), reduction=reduction), x, y)


def test_bce_clamps_logs_at_minus_100_like_torch():
    x = np.array([0.0, 1.0, 0.0, 1.0, 1e-50, 0.5])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.5])
    out, _ = check(lambda m, x, y: m.nn.functional.binary_cross_entropy(x, y, reduction="none"), x, y)
    assert np.isfinite(out.detach().numpy()).all()


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("pos_weighted", [False, True])
def test_bce_with_logits_matches_torch(reduction, weighted, pos_weighted):
    x, y = rng.standard_normal((4, 5)) * 4, rng.uniform(0, 1, (4, 5))
    w = rng.random(5) if weighted else None
    pw = rng.random(5) * 3 if pos_weighted else None
    def kw(m):
        return dict(weight=None if w is None else m.tensor(w), pos_weight=None if pw is None else m.tensor(pw),
                    reduction=reduction)

    check(lambda m, x, y: m.nn.functional.binary_cross_entropy_with_logits(x, y, **kw(m)), x, y)
    mm, tm = minitorch.nn.BCEWithLogitsLoss(**kw(minitorch)), torch.nn.BCEWithLogitsLoss(**kw(torch))
    assert list(mm.state_dict()) == list(tm.state_dict())
    check_module(mm, tm, x, y)


def test_bce_with_logits_is_stable_for_huge_logits():
    x = np.array([-1000.0, -100.0, -30.0, 30.0, 100.0, 1000.0])
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.3])
    out, _ = check(lambda m, x, y: m.nn.functional.binary_cross_entropy_with_logits(x, y, reduction="none",
                                                                                     pos_weight=m.tensor([2.0])), x, y)
    assert np.isfinite(out.detach().numpy()).all()


# ----------------------------------------------------------------------------------------- KL divergence
@pytest.mark.parametrize("reduction", REDUCTIONS + ["batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_matches_torch(reduction, log_target):
    logq = np.log(rng.dirichlet(np.ones(5), 4))
    p = rng.dirichlet(np.ones(5), 4)
    target = np.log(p) if log_target else p
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda m, x, y: m.nn.functional.kl_div(x, y, reduction=reduction, log_target=log_target), logq, target)
        check_module(minitorch.nn.KLDivLoss(reduction=reduction, log_target=log_target),
                     torch.nn.KLDivLoss(reduction=reduction, log_target=log_target), logq, target)


def test_kl_div_zero_target_contributes_zero_like_torch():
    p = np.array([[0.0, 0.25, 0.75], [0.5, 0.5, 0.0]])
    logq = np.log(np.full((2, 3), 1 / 3))
    out, _ = check(lambda m, x: m.nn.functional.kl_div(x, m.tensor(p), reduction="none"), logq)
    assert out.detach().numpy()[0, 0] == 0.0


def test_kl_div_mean_warns_like_torch():
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        minitorch.nn.functional.kl_div(minitorch.zeros(2), minitorch.ones(2))


# ----------------------------------------------------------------------------------------- gradchecks
GRADCHECKS = {
    "mse": lambda m, x, y: m.nn.functional.mse_loss(x, y),
    "l1": lambda m, x, y: m.nn.functional.l1_loss(x, y, reduction="sum"),
    "smooth_l1": lambda m, x, y: m.nn.functional.smooth_l1_loss(x, y, beta=0.5),
    "huber": lambda m, x, y: m.nn.functional.huber_loss(x, y, delta=0.5, reduction="none"),
    "kl_div": lambda m, x, y: m.nn.functional.kl_div(x, y.abs() + 0.1, reduction="batchmean"),
    "kl_div_log": lambda m, x, y: m.nn.functional.kl_div(x, y, reduction="sum", log_target=True),
    "bce": lambda m, x, y: m.nn.functional.binary_cross_entropy(x.sigmoid(), y.sigmoid(),
                                                                weight=m.tensor([0.5, 2.0, 1.0])),
    "bce_logits": lambda m, x, y: m.nn.functional.binary_cross_entropy_with_logits(
        x, y.sigmoid(), pos_weight=m.tensor([0.5, 2.0, 1.0])),
    "ce_indices": lambda m, x, y: m.nn.functional.cross_entropy(x * y, m.tensor([2, 0]), label_smoothing=0.1,
                                                                weight=m.tensor([1.0, 2.0, 0.5])),
    "ce_probs": lambda m, x, y: m.nn.functional.cross_entropy(x, y.softmax(1), reduction="sum", label_smoothing=0.2),
    "nll": lambda m, x, y: m.nn.functional.nll_loss(x * y, m.tensor([1, 2]), reduction="sum"),
}


@pytest.mark.parametrize("name", GRADCHECKS)
def test_loss_gradchecks(name):
    x = rng.standard_normal((2, 3))
    y = x + _away(rng.standard_normal((2, 3)), [0.0, 0.5, 1.0], 0.05)
    gradchecks(GRADCHECKS[name], x, y)


# ----------------------------------------------------------------------------------------- bad input
FUNCTIONALS = {
    "mse_loss": lambda F, r: F.mse_loss(minitorch.zeros(2), minitorch.zeros(2), reduction=r),
    "l1_loss": lambda F, r: F.l1_loss(minitorch.zeros(2), minitorch.zeros(2), reduction=r),
    "smooth_l1_loss": lambda F, r: F.smooth_l1_loss(minitorch.zeros(2), minitorch.zeros(2), reduction=r),
    "huber_loss": lambda F, r: F.huber_loss(minitorch.zeros(2), minitorch.zeros(2), reduction=r),
    "cross_entropy": lambda F, r: F.cross_entropy(minitorch.zeros(2, 3), minitorch.tensor([0, 1]), reduction=r),
    "nll_loss": lambda F, r: F.nll_loss(minitorch.zeros(2, 3), minitorch.tensor([0, 1]), reduction=r),
    "binary_cross_entropy": lambda F, r: F.binary_cross_entropy(minitorch.full((2,), 0.5), minitorch.zeros(2),
                                                                reduction=r),
    "binary_cross_entropy_with_logits": lambda F, r: F.binary_cross_entropy_with_logits(
        minitorch.zeros(2), minitorch.zeros(2), reduction=r),
    "kl_div": lambda F, r: F.kl_div(minitorch.zeros(2), minitorch.zeros(2), reduction=r),
}


@pytest.mark.parametrize("name", FUNCTIONALS)
def test_invalid_reduction_is_a_value_error(name):
    with pytest.raises(ValueError, match="elementwise is not a valid value for reduction"):
        FUNCTIONALS[name](minitorch.nn.functional, "elementwise")


@pytest.mark.parametrize("cls", ["MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "CrossEntropyLoss", "NLLLoss",
                                 "BCELoss", "BCEWithLogitsLoss", "KLDivLoss"])
def test_invalid_reduction_in_modules_raises_on_call(cls):
    mod = getattr(minitorch.nn, cls)(reduction="avg")
    assert repr(mod) == repr(getattr(torch.nn, cls)(reduction="avg"))
    target = minitorch.tensor([0, 1]) if cls in ("CrossEntropyLoss", "NLLLoss") else minitorch.zeros(2, 3)
    with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
        mod(minitorch.full((2, 3), 0.5), target)


def test_legacy_size_average_and_reduce_like_torch():
    x, y = _pair()
    for size_average, reduce in [(False, None), (None, False), (True, True)]:
        with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
            check(lambda m, x, y: m.nn.functional.mse_loss(x, y, size_average=size_average, reduce=reduce), x, y)
        with pytest.warns(UserWarning):
            mod = minitorch.nn.L1Loss(size_average=size_average, reduce=reduce)
        with pytest.warns(UserWarning):
            assert mod.reduction == torch.nn.L1Loss(size_average=size_average, reduce=reduce).reduction


def _same_error(fn_m, fn_t, exc):
    with pytest.raises(exc) as em:
        fn_m()
    with pytest.raises(exc) as et:
        fn_t()
    assert str(em.value) == str(et.value)


def test_class_index_errors_match_torch():
    F, TF = minitorch.nn.functional, torch.nn.functional
    x = rng.standard_normal((3, 4))
    for bad in ([0, 1, 4], [0, -1, 2]):
        _same_error(lambda: F.cross_entropy(minitorch.tensor(x), minitorch.tensor(bad)),
                    lambda: TF.cross_entropy(torch.tensor(x), torch.tensor(bad)), IndexError)
        _same_error(lambda: F.nll_loss(minitorch.tensor(x), minitorch.tensor(bad)),
                    lambda: TF.nll_loss(torch.tensor(x), torch.tensor(bad)), IndexError)
    _same_error(lambda: F.cross_entropy(minitorch.tensor(x), minitorch.tensor([0, 1, 2]), weight=minitorch.ones(3)),
                lambda: TF.cross_entropy(torch.tensor(x), torch.tensor([0, 1, 2]), weight=torch.ones(3)), RuntimeError)
    _same_error(lambda: F.cross_entropy(minitorch.tensor(x), minitorch.tensor([0, 1, 2]), label_smoothing=1.5),
                lambda: TF.cross_entropy(torch.tensor(x), torch.tensor([0, 1, 2]), label_smoothing=1.5), RuntimeError)
    _same_error(lambda: F.nll_loss(minitorch.tensor(x), minitorch.tensor([0, 1])),
                lambda: TF.nll_loss(torch.tensor(x), torch.tensor([0, 1])), ValueError)
    with pytest.raises(RuntimeError, match=r"expected target of shape \[3, 4\]"):
        F.cross_entropy(minitorch.tensor(x), minitorch.rand(3, 5, dtype=minitorch.float64))


def test_bce_input_errors_match_torch():
    F, TF = minitorch.nn.functional, torch.nn.functional
    _same_error(lambda: F.binary_cross_entropy(minitorch.tensor([1.5]), minitorch.tensor([0.5])),
                lambda: TF.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([0.5])), RuntimeError)
    _same_error(lambda: F.binary_cross_entropy(minitorch.tensor([0.5]), minitorch.tensor([-0.5])),
                lambda: TF.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([-0.5])), RuntimeError)
    with pytest.raises(ValueError, match="different to the input size"):
        F.binary_cross_entropy(minitorch.full((2, 2), 0.5), minitorch.zeros(4))
    with pytest.raises(ValueError, match="must be the same as input size"):
        F.binary_cross_entropy_with_logits(minitorch.zeros(3), minitorch.zeros(4))


def test_regression_option_errors_match_torch():
    F, TF = minitorch.nn.functional, torch.nn.functional
    _same_error(lambda: F.smooth_l1_loss(minitorch.zeros(2), minitorch.zeros(2), beta=-1.0),
                lambda: TF.smooth_l1_loss(torch.zeros(2), torch.zeros(2), beta=-1.0), RuntimeError)
    _same_error(lambda: F.huber_loss(minitorch.zeros(2), minitorch.zeros(2), delta=0.0),
                lambda: TF.huber_loss(torch.zeros(2), torch.zeros(2), delta=0.0), RuntimeError)
    with pytest.raises(ValueError, match="Weights and input must have the same size"):
        F.mse_loss(minitorch.zeros(2, 2), minitorch.zeros(2, 2), weight=minitorch.ones(2))


@pytest.mark.parametrize("x_dtype,t_dtype", [("float32", "int64"), ("float32", "float64"), ("float64", "float32"),
                                             ("int64", "float32"), ("int64", "int64"), ("float32", "bool")])
def test_binary_cross_entropy_dtype_errors_match_torch(x_dtype, t_dtype):
    x, t = rng.uniform(0.1, 0.9, 3), np.array([0, 1, 1])
    mods = {m: (m.nn.BCELoss(), getattr(m, x_dtype), getattr(m, t_dtype)) for m in (minitorch, torch)}

    def run(m):
        loss, xd, td = mods[m]
        return lambda: loss(m.tensor(x).to(xd), m.tensor(t).to(td))
    exc = NotImplementedError if x_dtype == t_dtype else RuntimeError
    _same_error(run(minitorch), run(torch), exc)


def test_binary_cross_entropy_weight_takes_input_dtype():
    x, t, w = rng.uniform(0.1, 0.9, 3), rng.uniform(0, 1, 3), rng.uniform(0, 2, 3)
    check(lambda m, x, t, w: m.nn.functional.binary_cross_entropy(x.float(), t.float(), weight=w,
                                                                   reduction="none"), x, t, w, grad=False, atol=1e-6)


@pytest.mark.parametrize("x_dtype,t_dtype", [("float32", "int64"), ("float64", "int32")])
def test_binary_cross_entropy_with_logits_integer_target_errors_match_torch(x_dtype, t_dtype):
    x, t = rng.standard_normal(3), np.array([0, 1, 1])
    _same_error(lambda: minitorch.nn.BCEWithLogitsLoss()(minitorch.tensor(x).to(getattr(minitorch, x_dtype)),
                                                         minitorch.tensor(t).to(getattr(minitorch, t_dtype))),
                lambda: torch.nn.BCEWithLogitsLoss()(torch.tensor(x).to(getattr(torch, x_dtype)),
                                                     torch.tensor(t).to(getattr(torch, t_dtype))), RuntimeError)
    _same_error(lambda: minitorch.nn.BCEWithLogitsLoss()(minitorch.tensor(x), minitorch.tensor(t).bool()),
                lambda: torch.nn.BCEWithLogitsLoss()(torch.tensor(x), torch.tensor(t).bool()), NotImplementedError)


@pytest.mark.parametrize("logits,target", [
    (np.array([[1, 2]]), np.array([0])),
    (np.array([[1.0, 2.0]], np.float32), np.array([0], np.int32)),
    (np.array([[1.0, 2.0]], np.float32), np.array([True])),
])
def test_cross_entropy_refuses_integer_logits_and_non_long_targets_like_torch(logits, target):
    import torch

    import minitorch

    with pytest.raises(Exception) as theirs:
        torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(target))
    with pytest.raises(type(theirs.value)) as ours:
        minitorch.nn.functional.cross_entropy(minitorch.tensor(logits), minitorch.tensor(target))
    assert str(ours.value) == str(theirs.value)
