"""LayerNorm, GroupNorm and F.layer_norm / F.group_norm against torch: outputs, grads, errors."""
import numpy as np
import pytest
import torch

import minitorch
from tests.parity import check, check_module, gradchecks

rng = np.random.default_rng(0)


def twins(name: str, *args, **kwargs) -> tuple:
    """The same layer in both frameworks (float64), torch's with random affine parameters."""
    t = getattr(torch.nn, name)(*args, **kwargs).double()
    with torch.no_grad():
        for p in t.parameters():
            p.normal_()
    return getattr(minitorch.nn, name)(*args, **kwargs).double(), t


@pytest.mark.parametrize("normalized_shape,shape", [
    (5, (5,)), (5, (3, 5)), ((5,), (2, 3, 5)), ((3, 5), (2, 3, 5)), ((2, 3, 4), (2, 2, 3, 4)), (4, (2, 3, 2, 4)),
])
@pytest.mark.parametrize("affine,bias", [(True, True), (True, False), (False, True)])
@pytest.mark.parametrize("eps", [1e-5, 0.5])
def test_layer_norm_matches_torch(normalized_shape, shape, affine, bias, eps):
    m, t = twins("LayerNorm", normalized_shape, eps=eps, elementwise_affine=affine, bias=bias)
    check_module(m, t, np.random.default_rng(0).standard_normal(shape))


@pytest.mark.parametrize("groups,channels", [(1, 4), (2, 4), (4, 4), (3, 6)])
@pytest.mark.parametrize("shape", [(3,), (3, 5), (2, 2, 3)])
@pytest.mark.parametrize("affine", [True, False])
def test_group_norm_matches_torch(groups, channels, shape, affine):
    m, t = twins("GroupNorm", groups, channels, affine=affine)
    check_module(m, t, np.random.default_rng(1).standard_normal((shape[0], channels) + shape[1:]))


def test_group_norm_without_bias_and_eps():
    m, t = twins("GroupNorm", 2, 4, eps=0.3, bias=False)
    assert m.bias is None
    check_module(m, t, np.random.default_rng(2).standard_normal((2, 4, 3)))


def test_float32_matches_torch():
    x = np.random.default_rng(3).standard_normal((4, 6, 5)).astype(np.float32)
    check_module(minitorch.nn.LayerNorm(5), torch.nn.LayerNorm(5), x, atol=1e-5, rtol=1e-5)
    check_module(minitorch.nn.GroupNorm(3, 6), torch.nn.GroupNorm(3, 6), x, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("with_weight,with_bias", [(True, True), (True, False), (False, True), (False, False)])
def test_functionals_match_torch(with_weight, with_bias):
    rng = np.random.default_rng(4)
    x, w, b = rng.standard_normal((2, 4, 3)), rng.standard_normal((4, 3)), rng.standard_normal((4, 3))

    def ln(m, x, w, b):
        return m.nn.functional.layer_norm(x, [4, 3], w if with_weight else None, b if with_bias else None, 1e-3)

    def gn(m, x, w, b):
        return m.nn.functional.group_norm(x, 2, w[:, 0] if with_weight else None, b[:, 0] if with_bias else None)
    check(ln, x, w, b)
    check(gn, x, w, b)


def test_gradcheck_and_gradgradcheck():
    rng = np.random.default_rng(5)
    gradchecks(lambda m, x, w, b: m.nn.functional.layer_norm(x, (3,), w, b), rng.standard_normal((2, 3)),
               rng.standard_normal(3), rng.standard_normal(3))
    gradchecks(lambda m, x: m.nn.functional.layer_norm(x, (2, 2)), rng.standard_normal((2, 2, 2)))
    gradchecks(lambda m, x, w, b: m.nn.functional.group_norm(x, 2, w, b), rng.standard_normal((2, 4, 2)),
               rng.standard_normal(4), rng.standard_normal(4))


def test_double_backward_matches_torch():
    """d/d(x, w) of |dL/dx|^2 through the fused ops agrees with torch (create_graph)."""
    rng = np.random.default_rng(6)
    x, up = rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 4, 3))
    w, b = rng.standard_normal(4), rng.standard_normal(4)
    for fn in (lambda F, x, w, b: F.group_norm(x, 2, w, b),
               lambda F, x, w, b: F.layer_norm(x, (3,), w[:3], b[:3])):
        res = {}
        for lib in (minitorch, torch):
            xs = [lib.tensor(a, requires_grad=True) for a in (x, w, b)]
            y = fn(lib.nn.functional, *xs)
            (gx,) = lib.autograd.grad((y * lib.tensor(up)).sum(), xs[0], create_graph=True)
            res[lib.__name__] = lib.autograd.grad((gx * gx).sum(), xs[:2])
        for a, b_ in zip(res["minitorch"], res["torch"]):
            np.testing.assert_allclose(a.numpy(), b_.detach().numpy(), atol=1e-9)


def _composed_layer_norm(x, w, b, eps=1e-5):
    """The oracle: layer norm over the last dim from primitive Tensor ops."""
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) * (x - mean)).mean(-1, keepdim=True)
    return (x - mean) * (var + eps).rsqrt() * w + b


def test_fused_op_matches_composed_oracle():
    rng = np.random.default_rng(7)
    arrays = rng.standard_normal((3, 4, 5)), rng.standard_normal(5), rng.standard_normal(5)
    up = minitorch.tensor(rng.standard_normal((3, 4, 5)))
    results = []
    for fn in (lambda x, w, b: minitorch.nn.functional.layer_norm(x, (5,), w, b), _composed_layer_norm):
        xs = [minitorch.tensor(a, requires_grad=True) for a in arrays]
        y = fn(*xs)
        results.append([y] + list(minitorch.autograd.grad((y * up).sum(), xs)))
    for a, b in zip(*results):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), atol=1e-10)


def test_defaults_state_dict_and_repr_match_torch():
    pairs = [
        (minitorch.nn.LayerNorm(5), torch.nn.LayerNorm(5)),
        (minitorch.nn.LayerNorm([2, 3], elementwise_affine=False),
         torch.nn.LayerNorm([2, 3], elementwise_affine=False)),
        (minitorch.nn.LayerNorm((4,), eps=1e-3, bias=False), torch.nn.LayerNorm((4,), eps=1e-3, bias=False)),
        (minitorch.nn.GroupNorm(2, 4), torch.nn.GroupNorm(2, 4)),
        (minitorch.nn.GroupNorm(1, 3, affine=False), torch.nn.GroupNorm(1, 3, affine=False)),
    ]
    for m, t in pairs:
        assert repr(m) == repr(t)
        sd_m, sd_t = m.state_dict(), t.state_dict()
        assert list(sd_m) == list(sd_t)
        for k in sd_t:
            np.testing.assert_array_equal(sd_m[k].numpy(), sd_t[k].numpy())
    assert minitorch.nn.LayerNorm(5).normalized_shape == (5,)


def test_layer_norm_shape_mismatch_is_an_error():
    with pytest.raises(RuntimeError, match=r"Given normalized_shape=\[5\], expected input with shape \[\*, 5\], "
                                           r"but got input of size\[2, 3, 4\]"):
        minitorch.nn.LayerNorm(5)(minitorch.randn(2, 3, 4))
    with pytest.raises(RuntimeError, match=r"normalized_shape=\[3, 5\]"):
        minitorch.nn.LayerNorm((3, 5))(minitorch.randn(5))
    with pytest.raises(RuntimeError, match=r"Expected weight to be of same shape as normalized_shape, but got weight "
                                           r"of shape \[4\] and normalized_shape = \[3\]"):
        minitorch.nn.functional.layer_norm(minitorch.randn(2, 3), [3], minitorch.ones(4))


def test_group_norm_errors():
    with pytest.raises(ValueError, match=r"num_channels \(4\) must be divisible by num_groups \(3\)"):
        minitorch.nn.GroupNorm(3, 4)
    with pytest.raises(RuntimeError, match=r"GroupNorm: expected input with 4 channels.*size \[2, 6, 3\]"):
        minitorch.nn.GroupNorm(2, 4)(minitorch.randn(2, 6, 3))
    with pytest.raises(RuntimeError, match=r"divisible by num_groups, but got input of shape \[2, 6, 3\] and "
                                           r"num_groups=4"):
        minitorch.nn.functional.group_norm(minitorch.randn(2, 6, 3), 4)
    with pytest.raises(RuntimeError, match="Expected at least 2 dimensions for input tensor but received 1"):
        minitorch.nn.functional.group_norm(minitorch.randn(4), 2)
    with pytest.raises(ValueError, match=r"Expected more than 1 value per channel when training, got input size "
                                         r"\[1, 2, 1\]"):
        minitorch.nn.functional.group_norm(minitorch.randn(1, 2, 1), 2)


DTYPE_CASES = [("float64", "float32", "float32"), ("float32", "float64", "float64"), ("float32", "float32", "float64"),
               ("float64", "float32", "float64"), ("float64", None, "float32"), ("float32", None, "float64")]


def _same_dtype_error(fn, x_dtype, w_dtype, b_dtype, x):
    outs = []
    for m in (minitorch, torch):
        w = None if w_dtype is None else m.ones(x.shape[-1], dtype=getattr(m, w_dtype))
        b = m.zeros(x.shape[-1], dtype=getattr(m, b_dtype))
        with pytest.raises(RuntimeError) as e:
            fn(m, m.tensor(x, dtype=getattr(m, x_dtype)), w, b)
        outs.append(str(e.value))
    assert outs[0] == outs[1]


@pytest.mark.parametrize("x_dtype,w_dtype,b_dtype", DTYPE_CASES)
def test_layer_norm_mixed_dtype_errors_match_torch(x_dtype, w_dtype, b_dtype):
    _same_dtype_error(lambda m, x, w, b: m.nn.functional.layer_norm(x, (3,), w, b), x_dtype, w_dtype, b_dtype,
                      rng.standard_normal((2, 3)))


@pytest.mark.parametrize("x_dtype,w_dtype,b_dtype", DTYPE_CASES)
def test_group_norm_mixed_dtype_errors_match_torch(x_dtype, w_dtype, b_dtype):
    _same_dtype_error(lambda m, x, w, b: m.nn.functional.group_norm(x, 1, w, b), x_dtype, w_dtype, b_dtype,
                      rng.standard_normal((2, 3)))


def test_layer_norm_module_float64_input_float32_params_errors_like_torch():
    x = rng.standard_normal((2, 3))
    with pytest.raises(RuntimeError) as em:
        minitorch.nn.LayerNorm(3)(minitorch.tensor(x))
    with pytest.raises(RuntimeError) as et:
        torch.nn.LayerNorm(3)(torch.tensor(x))
    assert str(em.value) == str(et.value)
    check(lambda m, x: m.nn.LayerNorm(3, elementwise_affine=False)(x), x)
