"""nn.init: gains, fans and errors like torch; each distribution's statistics against torch's formula and samples."""
import math

import numpy as np
import pytest
import torch

import minitorch
from minitorch.nn import init

SHAPE = (500, 400)  # 200k samples: moment estimates good to well under 1%


def stats(t):
    a = t.detach().numpy() if isinstance(t, minitorch.Tensor) else t.detach().numpy()
    return a.mean(), a.std(), a.min(), a.max()


def twin(fn_name, *args, shape=SHAPE, **kwargs):
    """The same init applied to a minitorch and a torch tensor of ``shape``."""
    m = getattr(init, fn_name)(minitorch.empty(*shape, dtype=minitorch.float64), *args, **kwargs)
    t = getattr(torch.nn.init, fn_name)(torch.empty(*shape, dtype=torch.float64), *args, **kwargs)
    return stats(m), stats(t)


def close_moments(ms, ts, scale, rel=0.02):
    """Means within ``rel * scale`` of each other, stds within ``rel`` relatively."""
    assert abs(ms[0] - ts[0]) < rel * scale
    assert abs(ms[1] / ts[1] - 1) < rel


@pytest.mark.parametrize("nonlinearity,param", [
    ("linear", None), ("conv2d", None), ("conv_transpose3d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
    ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 3), ("selu", None)])
def test_calculate_gain_matches_torch(nonlinearity, param):
    assert init.calculate_gain(nonlinearity, param) == torch.nn.init.calculate_gain(nonlinearity, param)


@pytest.mark.parametrize("args", [("leaky_relu", True), ("leaky_relu", "0.1"), ("swish", None)])
def test_calculate_gain_errors_match_torch(args):
    with pytest.raises(ValueError) as em:
        init.calculate_gain(*args)
    with pytest.raises(ValueError) as et:
        torch.nn.init.calculate_gain(*args)
    assert str(em.value) == str(et.value)


def test_fan_and_mode_errors_match_torch():
    for fn in ("kaiming_uniform_", "xavier_normal_"):
        with pytest.raises(ValueError) as em:
            getattr(init, fn)(minitorch.empty(5))
        with pytest.raises(ValueError) as et:
            getattr(torch.nn.init, fn)(torch.empty(5))
        assert str(em.value) == str(et.value)
    with pytest.raises(ValueError) as em:
        init.kaiming_normal_(minitorch.empty(3, 3), mode="fan_avg")
    with pytest.raises(ValueError) as et:
        torch.nn.init.kaiming_normal_(torch.empty(3, 3), mode="fan_avg")
    assert str(em.value) == str(et.value)
    for fn in ("eye_", "orthogonal_"):
        with pytest.raises(ValueError) as em:
            getattr(init, fn)(minitorch.empty(4))
        with pytest.raises(ValueError) as et:
            getattr(torch.nn.init, fn)(torch.empty(4))
        assert str(em.value) == str(et.value)


def test_fans_match_torch_for_conv_shapes():
    for shape in [(8, 3), (16, 4, 3, 3), (6, 2, 5)]:
        m = init._calculate_fan_in_and_fan_out(minitorch.empty(*shape))
        t = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))
        assert m == t


def test_default_linear_init_matches_torch_statistics():
    m, t = minitorch.nn.Linear(800, 300), torch.nn.Linear(800, 300)
    bound = 1 / math.sqrt(800)
    for mp, tp in ((m.weight, t.weight), (m.bias, t.bias)):
        ms, ts = stats(mp), stats(tp)
        assert -bound <= ms[2] and ms[3] <= bound
        assert ms[3] > 0.95 * bound and ms[2] < -0.95 * bound
    ms, ts = stats(m.weight), stats(t.weight)
    close_moments(ms, ts, bound)
    assert abs(ms[1] - bound / math.sqrt(3)) < 0.01 * bound


@pytest.mark.parametrize("a,mode,nonlinearity", [(0, "fan_in", "leaky_relu"), (math.sqrt(5), "fan_in", "leaky_relu"),
                                                  (0, "fan_out", "relu"), (0.1, "FAN_IN", "tanh")])
def test_kaiming_uniform_matches_torch(a, mode, nonlinearity):
    ms, ts = twin("kaiming_uniform_", a=a, mode=mode, nonlinearity=nonlinearity)
    fan = SHAPE[1] if mode.lower() == "fan_in" else SHAPE[0]
    bound = math.sqrt(3) * init.calculate_gain(nonlinearity, a) / math.sqrt(fan)
    assert -bound <= ms[2] and ms[3] <= bound and ms[3] > 0.99 * bound
    close_moments(ms, ts, bound)


@pytest.mark.parametrize("a,mode,nonlinearity", [(0, "fan_in", "relu"), (0.3, "fan_out", "leaky_relu")])
def test_kaiming_normal_matches_torch(a, mode, nonlinearity):
    ms, ts = twin("kaiming_normal_", a=a, mode=mode, nonlinearity=nonlinearity)
    fan = SHAPE[1] if mode == "fan_in" else SHAPE[0]
    std = init.calculate_gain(nonlinearity, a) / math.sqrt(fan)
    assert abs(ms[1] / std - 1) < 0.01
    close_moments(ms, ts, std)


@pytest.mark.parametrize("gain", [1.0, 2.5])
def test_xavier_matches_torch(gain):
    std = gain * math.sqrt(2.0 / sum(SHAPE))
    ms, ts = twin("xavier_uniform_", gain=gain)
    assert ms[3] <= math.sqrt(3) * std and ms[3] > 0.99 * math.sqrt(3) * std
    close_moments(ms, ts, std)
    ms, ts = twin("xavier_normal_", gain=gain)
    assert abs(ms[1] / std - 1) < 0.01
    close_moments(ms, ts, std)


def test_uniform_and_normal_match_torch():
    ms, ts = twin("uniform_", -2.0, 5.0)
    assert -2 <= ms[2] and ms[3] <= 5
    close_moments(ms, ts, 7.0)
    ms, ts = twin("normal_", 3.0, 0.5)
    assert abs(ms[0] - 3) < 0.01 and abs(ms[1] - 0.5) < 0.005
    close_moments(ms, ts, 0.5)


@pytest.mark.parametrize("mean,std,a,b", [(0.0, 1.0, -2.0, 2.0), (0.5, 2.0, -1.0, 1.5), (0.0, 0.02, -2.0, 2.0)])
def test_trunc_normal_matches_torch(mean, std, a, b):
    ms, ts = twin("trunc_normal_", mean, std, a, b)
    assert a <= ms[2] and ms[3] <= b
    close_moments(ms, ts, std)
    if (b - mean) / std < 3 and (mean - a) / std < 3:  # the truncation bites: both samples reach the bounds
        assert abs(ms[2] - ts[2]) < 0.02 * std and abs(ms[3] - ts[3]) < 0.02 * std


def test_trunc_normal_far_mean_warns_like_torch():
    with pytest.warns(UserWarning, match="mean is more than 2 std"):
        init.trunc_normal_(minitorch.empty(10), mean=5.0, std=1.0, a=-1.0, b=1.0)


@pytest.mark.parametrize("shape,gain", [((6, 10), 1.0), ((10, 6), 2.0), ((8, 2, 3, 3), 1.0)])
def test_orthogonal(shape, gain):
    w = init.orthogonal_(minitorch.empty(*shape, dtype=minitorch.float64), gain=gain).numpy().reshape(shape[0], -1)
    rows, cols = w.shape
    gram = w @ w.T if rows <= cols else w.T @ w
    np.testing.assert_allclose(gram, gain**2 * np.eye(min(rows, cols)), atol=1e-12)


def test_deterministic_inits_equal_torch():
    for fn, args in (("constant_", (0.3,)), ("zeros_", ()), ("ones_", ()), ("eye_", ())):
        for shape in ((3, 5), (5, 3)):
            m = getattr(init, fn)(minitorch.empty(*shape), *args)
            t = getattr(torch.nn.init, fn)(torch.empty(*shape), *args)
            np.testing.assert_array_equal(m.numpy(), t.numpy())


def test_inits_work_in_place_without_recording_grad():
    p = minitorch.nn.Parameter(minitorch.empty(4, 3))
    for fn, args in (("uniform_", ()), ("normal_", ()), ("constant_", (1.0,)), ("xavier_uniform_", ()),
                     ("kaiming_normal_", ()), ("trunc_normal_", ()), ("orthogonal_", ()), ("eye_", ()), ("zeros_", ())):
        out = getattr(init, fn)(p, *args)
        assert out is p and p.is_leaf and p.requires_grad and p.grad_fn is None
        assert p.dtype == minitorch.float32


def test_generator_makes_inits_reproducible():
    vals = []
    for _ in range(2):
        g = minitorch.Generator().manual_seed(123)
        vals.append(init.kaiming_uniform_(minitorch.empty(5, 4), generator=g).numpy().copy())
        vals.append(init.orthogonal_(minitorch.empty(5, 4), generator=g).numpy().copy())
        vals.append(init.trunc_normal_(minitorch.empty(5, 4), generator=g).numpy().copy())
    for a, b in zip(vals[:3], vals[3:]):
        np.testing.assert_array_equal(a, b)


def test_zero_element_kaiming_warns_and_is_a_no_op():
    t = minitorch.empty(0, 3)
    with pytest.warns(UserWarning, match="zero-element tensors is a no-op"):
        assert init.kaiming_uniform_(t) is t
