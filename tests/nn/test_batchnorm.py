"""BatchNorm1d/2d/3d and F.batch_norm against torch: outputs, grads, running statistics, errors."""
import numpy as np
import pytest
import torch

import minitorch
from tests.parity import check, check_module, gradchecks

SHAPES = {
    "BatchNorm1d": [(4, 3), (4, 3, 5)],
    "BatchNorm2d": [(3, 3, 4, 2)],
    "BatchNorm3d": [(2, 3, 2, 3, 2)],
}
CASES = [(name, shape) for name, shapes in SHAPES.items() for shape in shapes]


def twins(name: str, *args, **kwargs) -> tuple:
    """The same layer in both frameworks (float64), torch's with non-trivial weights and statistics."""
    t = getattr(torch.nn, name)(*args, **kwargs).double()
    with torch.no_grad():
        for p in t.parameters():
            p.uniform_(0.5, 1.5)
        if t.running_mean is not None:
            t.running_mean.normal_()
            t.running_var.uniform_(0.5, 2.0)
            t.num_batches_tracked.fill_(3)
    return getattr(minitorch.nn, name)(*args, **kwargs).double(), t


def three_steps(mod, x):
    """Three forward passes on different batches: running statistics accumulate."""
    return [mod(x), mod(x * 2 + 1), mod(x * x)]


@pytest.mark.parametrize("name,shape", CASES)
@pytest.mark.parametrize("momentum", [0.1, 0.7, None])
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("track", [True, False])
@pytest.mark.parametrize("training", [True, False])
def test_module_matches_torch(name, shape, momentum, affine, track, training):
    m, t = twins(name, shape[1], momentum=momentum, affine=affine, track_running_stats=track)
    m.train(training)
    t.train(training)
    x = np.random.default_rng(1).standard_normal(shape)
    check_module(m, t, x, forward=three_steps)


@pytest.mark.parametrize("eps", [1e-5, 0.1])
def test_no_bias_and_eps(eps):
    m, t = twins("BatchNorm2d", 3, eps=eps, bias=False)
    assert m.bias is None and [n for n, _ in m.named_parameters()] == ["weight"]
    check_module(m, t, np.random.default_rng(2).standard_normal((2, 3, 3, 3)), forward=three_steps)


def test_float32_matches_torch():
    t = torch.nn.BatchNorm1d(5)
    m = minitorch.nn.BatchNorm1d(5)
    x = np.random.default_rng(3).standard_normal((6, 5)).astype(np.float32)
    out, _ = check_module(m, t, x, atol=1e-5, rtol=1e-5, forward=three_steps)
    assert out[0].dtype == minitorch.float32 and m.running_var.dtype == minitorch.float32


def test_train_then_eval_uses_running_stats():
    m, t = twins("BatchNorm1d", 3)
    x = np.random.default_rng(4).standard_normal((5, 3, 2))

    def train_then_eval(mod, x):
        y = mod(x)
        mod.eval()
        return [y, mod(x * 3)]
    check_module(m, t, x, forward=train_then_eval)


def test_state_dict_and_defaults_match_torch():
    for kwargs in [{}, {"affine": False}, {"track_running_stats": False}, {"momentum": None, "bias": False}]:
        m, t = minitorch.nn.BatchNorm2d(4, **kwargs), torch.nn.BatchNorm2d(4, **kwargs)
        sd_m, sd_t = m.state_dict(), t.state_dict()
        assert list(sd_m) == list(sd_t)
        for k in sd_t:
            np.testing.assert_array_equal(sd_m[k].numpy(), sd_t[k].numpy())
            assert sd_m[k].dtype.name == str(sd_t[k].dtype).replace("torch.", "")
        assert repr(m) == repr(t)
        m.load_state_dict(t.state_dict())


def test_reset_running_stats():
    m, t = twins("BatchNorm1d", 3)
    m.load_state_dict({k: v.numpy() for k, v in t.state_dict().items()})
    m.reset_running_stats()
    assert m.running_mean.tolist() == [0, 0, 0] and m.running_var.tolist() == [1, 1, 1]
    assert int(m.num_batches_tracked) == 0


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("with_affine", [True, False])
def test_functional_matches_torch(training, with_affine):
    rng = np.random.default_rng(5)
    x, w, b = rng.standard_normal((4, 3, 5)), rng.uniform(0.5, 1.5, 3), rng.standard_normal(3)
    rm, rv = rng.standard_normal(3), rng.uniform(0.5, 2, 3)
    stats = {}

    def fn(m, x, w, b):
        mean, var = m.tensor(rm.copy()), m.tensor(rv.copy())
        stats[m.__name__] = (mean, var)
        return m.nn.functional.batch_norm(x, mean, var, w if with_affine else None, b if with_affine else None,
                                          training, 0.3, 1e-3)
    check(fn, x, w, b)
    for a, b_ in zip(stats["minitorch"], stats["torch"]):
        np.testing.assert_allclose(a.numpy(), b_.numpy(), atol=1e-12)


def test_functional_without_running_stats_matches_torch():
    x = np.random.default_rng(6).standard_normal((5, 2))
    check(lambda m, x: m.nn.functional.batch_norm(x, None, None, training=True), x)


@pytest.mark.parametrize("training", [True, False])
def test_gradcheck_and_gradgradcheck(training):
    rng = np.random.default_rng(7)
    rm, rv = rng.standard_normal(2), rng.uniform(0.5, 2, 2)

    def fn(m, x, w, b):
        return m.nn.functional.batch_norm(x, m.tensor(rm), m.tensor(rv), w, b, training)
    gradchecks(fn, rng.standard_normal((3, 2, 2)), rng.uniform(0.5, 1.5, 2), rng.standard_normal(2))
    gradchecks(lambda m, x: m.nn.functional.batch_norm(x, None, None, training=True), rng.standard_normal((4, 2)))


def test_double_backward_matches_torch():
    """d/d(x, w) of |dL/dx|^2 through the fused op agrees with torch (create_graph)."""
    rng = np.random.default_rng(8)
    x, up = rng.standard_normal((4, 3, 2)), rng.standard_normal((4, 3, 2))
    w, b = rng.uniform(0.5, 1.5, 3), rng.standard_normal(3)
    res = {}
    for lib in (minitorch, torch):
        xs = [lib.tensor(a, requires_grad=True) for a in (x, w, b)]
        y = lib.nn.functional.batch_norm(xs[0], None, None, xs[1], xs[2], True)
        (gx,) = lib.autograd.grad((y * lib.tensor(up)).sum(), xs[0], create_graph=True)
        res[lib.__name__] = lib.autograd.grad((gx * gx).sum(), xs[:2])
    for a, b_ in zip(res["minitorch"], res["torch"]):
        np.testing.assert_allclose(a.numpy(), b_.detach().numpy(), atol=1e-9)


def _composed_batch_norm(x, w, b, eps=1e-5):
    """The oracle: batch norm from primitive Tensor ops (mean, var, rsqrt)."""
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mean = x.mean(axes, keepdim=True)
    var = ((x - mean) * (x - mean)).mean(axes, keepdim=True)
    return (x - mean) * (var + eps).rsqrt() * w.reshape(shape) + b.reshape(shape)


def test_fused_op_matches_composed_oracle():
    rng = np.random.default_rng(9)
    arrays = rng.standard_normal((3, 4, 2, 2)), rng.uniform(0.5, 1.5, 4), rng.standard_normal(4)
    up = minitorch.tensor(rng.standard_normal((3, 4, 2, 2)))
    results = []
    for fn in (lambda x, w, b: minitorch.nn.functional.batch_norm(x, None, None, w, b, True), _composed_batch_norm):
        xs = [minitorch.tensor(a, requires_grad=True) for a in arrays]
        y = fn(*xs)
        results.append([y] + list(minitorch.autograd.grad((y * up).sum(), xs)))
    for a, b in zip(*results):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), atol=1e-10)


def test_running_stats_update_bumps_version():
    m = minitorch.nn.BatchNorm1d(2)
    v = m.running_mean._version
    m(minitorch.randn(4, 2))
    assert m.running_mean._version > v
    assert int(m.num_batches_tracked) == 1


def test_batch_of_one_in_training_is_an_error():
    m = minitorch.nn.BatchNorm1d(4)
    with pytest.raises(ValueError, match=r"Expected more than 1 value per channel when training, got input size "
                                         r"\[1, 4\]"):
        m(minitorch.randn(1, 4))
    m.eval()
    assert m(minitorch.randn(1, 4)).shape == (1, 4)


@pytest.mark.parametrize("name,shape,msg", [
    ("BatchNorm1d", (2, 3, 4, 5), "BatchNorm1d: expected 2D or 3D input \\(got 4D input\\)"),
    ("BatchNorm2d", (2, 3), "BatchNorm2d: expected 4D input \\(got 2D input\\)"),
    ("BatchNorm3d", (2, 3, 4, 5), "BatchNorm3d: expected 5D input \\(got 4D input\\)"),
])
def test_wrong_rank_is_an_error(name, shape, msg):
    with pytest.raises(ValueError, match=msg):
        getattr(minitorch.nn, name)(3)(minitorch.randn(*shape))


def test_num_features_mismatch_is_an_error():
    with pytest.raises(RuntimeError, match=r"BatchNorm2d: expected input with 4 channels.*size \[2, 3, 5, 5\]"):
        minitorch.nn.BatchNorm2d(4)(minitorch.randn(2, 3, 5, 5))
    with pytest.raises(RuntimeError, match="running_mean should contain 3 elements not 4"):
        minitorch.nn.functional.batch_norm(minitorch.randn(2, 3), minitorch.zeros(4), minitorch.ones(4))
    with pytest.raises(RuntimeError, match="weight should contain 3 elements not 4"):
        minitorch.nn.functional.batch_norm(minitorch.randn(2, 3), None, None, minitorch.ones(4), training=True)


def test_functional_argument_errors():
    x = minitorch.randn(3, 2)
    with pytest.raises(RuntimeError, match="running_mean must be defined in evaluation mode"):
        minitorch.nn.functional.batch_norm(x, None, None)
    with pytest.raises(ValueError, match="batch_norm eps must be positive during training, but got 0.0"):
        minitorch.nn.functional.batch_norm(x, None, None, training=True, eps=0.0)


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("x_dtype,w_dtype,stats_dtype", [
    ("float64", "float32", "float32"), ("float32", "float64", "float64"), ("float64", "float64", "float32"),
    ("float64", "float32", "float64"), ("float32", None, "float64"), ("float64", None, "float32"),
])
def test_mixed_dtype_errors_match_torch(training, x_dtype, w_dtype, stats_dtype):
    x = np.random.default_rng(0).standard_normal((4, 3))
    msgs = []
    for m in (minitorch, torch):
        w = None if w_dtype is None else m.ones(3, dtype=getattr(m, w_dtype))
        stats = m.zeros(3, dtype=getattr(m, stats_dtype)), m.ones(3, dtype=getattr(m, stats_dtype))
        with pytest.raises(RuntimeError) as e:
            m.nn.functional.batch_norm(m.tensor(x, dtype=getattr(m, x_dtype)), *stats, w, w, training)
        msgs.append(str(e.value))
    assert msgs[0] == msgs[1]


@pytest.mark.parametrize("affine", [True, False])
def test_module_float64_input_with_float32_state_errors_like_torch(affine):
    x = np.random.default_rng(0).standard_normal((4, 3))
    with pytest.raises(RuntimeError) as em:
        minitorch.nn.BatchNorm1d(3, affine=affine)(minitorch.tensor(x))
    with pytest.raises(RuntimeError) as et:
        torch.nn.BatchNorm1d(3, affine=affine)(torch.tensor(x))
    assert str(em.value) == str(et.value)
    check(lambda m, x: m.nn.BatchNorm1d(3, affine=False, track_running_stats=False)(x), x)
