"""weight_norm / spectral_norm (hook style), nn.utils.parametrize and nn.utils.parametrizations, against torch.

Parity pattern: build the same module in both frameworks, load torch's state_dict (so spectral norm's
u / v and orthogonal's base are torch's), run a forward and a backward, compare outputs, gradients,
buffers after the step (power iteration updates u / v in training mode) and the state_dict keys.
"""
import copy
import re
import warnings

import numpy as np
import pytest
import torch

import minitorch
from tests.parity import assert_close, gradchecks

mparam, tparam = minitorch.nn.utils.parametrize, torch.nn.utils.parametrize


def load(m, t):
    m.load_state_dict({k: v.detach().numpy() for k, v in t.state_dict().items()})


def same_step(m, t, x, train=True, seed=0):
    """Forward + backward of both modules on x; outputs, gradients, buffers and state_dict keys agree."""
    load(m, t)
    m.train(train)
    t.train(train)
    xm, xt = minitorch.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    om, ot = m(xm), t(xt)
    assert_close(om, ot, atol=1e-10, what="output")
    u = np.random.default_rng(seed).standard_normal(tuple(ot.shape))
    (om * minitorch.tensor(u)).sum().backward()
    (ot * torch.tensor(u)).sum().backward()
    assert_close(xm.grad, xt.grad, atol=1e-10, what="input gradient")
    params_t = dict(t.named_parameters())
    assert [n for n, _ in m.named_parameters()] == list(params_t)
    for name, p in m.named_parameters():
        assert_close(p.grad, params_t[name].grad, atol=1e-10, what=name)
    buffers_t = dict(t.named_buffers())
    for name, b in m.named_buffers():
        assert_close(b, buffers_t[name], atol=1e-10, what=name)
    assert list(m.state_dict()) == list(t.state_dict())
    return om, ot


def conv(lib):
    return lib.nn.Conv2d(3, 4, 3).double()


X = np.random.default_rng(1).standard_normal((2, 3, 5, 5))


@pytest.mark.parametrize("dim", [0, 1, 2, -1, None])
def test_weight_norm_hook_matches_torch(dim):
    with pytest.warns(FutureWarning, match="weight_norm` is deprecated"):
        m = minitorch.nn.utils.weight_norm(conv(minitorch), dim=dim)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        t = torch.nn.utils.weight_norm(conv(torch), dim=dim)
    assert list(m.state_dict()) == list(t.state_dict()) == ["bias", "weight_g", "weight_v"]
    assert m.weight_g.shape == t.weight_g.shape
    same_step(m, t, X)
    minitorch.nn.utils.remove_weight_norm(m)
    torch.nn.utils.remove_weight_norm(t)
    assert list(m.state_dict()) == list(t.state_dict())
    assert_close(m.weight, t.weight, atol=1e-12)
    with pytest.raises(ValueError, match="weight_norm of 'weight' not found in"):
        minitorch.nn.utils.remove_weight_norm(m)


def test_weight_norm_hook_errors_match_torch():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        m = minitorch.nn.utils.weight_norm(conv(minitorch))
        with pytest.raises(RuntimeError, match="Cannot register two weight_norm hooks on the same parameter weight"):
            minitorch.nn.utils.weight_norm(m)


@pytest.mark.parametrize("kind,dim", [("Conv2d", None), ("ConvTranspose2d", None), ("Linear", None), ("Conv2d", 1)])
@pytest.mark.parametrize("train", [True, False])
def test_spectral_norm_hook_matches_torch(kind, dim, train):
    """u / v copied from torch; training mode runs the power iteration (buffers compared after), eval does not."""
    def make(lib):
        mod = lib.nn.Linear(6, 4) if kind == "Linear" else getattr(lib.nn, kind)(3, 4, 3)
        return lib.nn.utils.spectral_norm(mod.double(), n_power_iterations=3, dim=dim)

    m, t = make(minitorch), make(torch)
    x = np.random.default_rng(2).standard_normal((5, 6)) if kind == "Linear" else X
    assert list(m.state_dict()) == list(t.state_dict())
    assert sorted(n for n, _ in m.named_buffers()) == ["weight_u", "weight_v"]
    same_step(m, t, x, train)
    minitorch.nn.utils.remove_spectral_norm(m)
    torch.nn.utils.remove_spectral_norm(t)
    assert list(m.state_dict()) == list(t.state_dict())
    assert_close(m.weight, t.weight, atol=1e-12)


def test_spectral_norm_eval_keeps_u_and_v_and_errors_match_torch():
    m = minitorch.nn.utils.spectral_norm(minitorch.nn.Linear(4, 3))
    m.eval()
    u = m.weight_u.clone()
    m(minitorch.ones(2, 4))
    assert np.array_equal(u.numpy(), m.weight_u.numpy())
    with pytest.raises(RuntimeError, match="Cannot register two spectral_norm hooks on the same parameter weight"):
        minitorch.nn.utils.spectral_norm(m)
    with pytest.raises(ValueError, match="Expected n_power_iterations to be positive, but got n_power_iterations=0"):
        minitorch.nn.utils.spectral_norm(minitorch.nn.Linear(2, 2), n_power_iterations=0)
    with pytest.raises(ValueError, match="`SpectralNorm` cannot be applied as parameter `bias` is None"):
        minitorch.nn.utils.spectral_norm(minitorch.nn.Linear(2, 2, bias=False), name="bias")
    with pytest.raises(ValueError, match="spectral_norm of 'bias' not found in"):
        minitorch.nn.utils.remove_spectral_norm(m, "bias")


@pytest.mark.parametrize("dim", [0, 1, -1, None])
def test_parametrizations_weight_norm_matches_torch(dim):
    m = minitorch.nn.utils.parametrizations.weight_norm(conv(minitorch), dim=dim)
    t = torch.nn.utils.parametrizations.weight_norm(conv(torch), dim=dim)
    assert list(m.state_dict()) == list(t.state_dict()) == [
        "bias", "parametrizations.weight.original0", "parametrizations.weight.original1"]
    assert type(m).__name__ == type(t).__name__ == "ParametrizedConv2d"
    same_step(m, t, X)


@pytest.mark.parametrize("kind", ["Conv2d", "ConvTranspose2d", "Linear"])
@pytest.mark.parametrize("train", [True, False])
def test_parametrizations_spectral_norm_matches_torch(kind, train):
    def make(lib):
        mod = lib.nn.Linear(6, 4) if kind == "Linear" else getattr(lib.nn, kind)(3, 4, 3)
        return lib.nn.utils.parametrizations.spectral_norm(mod.double(), n_power_iterations=2)

    m, t = make(minitorch), make(torch)
    assert list(m.state_dict()) == list(t.state_dict())
    assert "parametrizations.weight.0._u" in m.state_dict()
    x = np.random.default_rng(3).standard_normal((5, 6)) if kind == "Linear" else X
    same_step(m, t, x, train)


def test_parametrizations_spectral_norm_of_a_vector_and_errors_match_torch():
    def make(lib):
        mod = lib.nn.Linear(3, 4).double()
        return lib.nn.utils.parametrizations.spectral_norm(mod, name="bias")

    same_step(make(minitorch), make(torch), np.random.default_rng(4).standard_normal((2, 3)))
    for kwargs, kind in (({"dim": 3}, IndexError), ({"n_power_iterations": 0}, ValueError), ({"name": "nope"}, ValueError)):
        with pytest.raises(kind) as info:
            torch.nn.utils.parametrizations.spectral_norm(torch.nn.Linear(2, 2), **kwargs)
        message = str(info.value).replace("torch.", "").split("'")[0]
        with pytest.raises(kind, match=re.escape(message)):
            minitorch.nn.utils.parametrizations.spectral_norm(minitorch.nn.Linear(2, 2), **kwargs)


@pytest.mark.parametrize("orthogonal_map", [None, "matrix_exp", "cayley", "householder"])
@pytest.mark.parametrize("shape", [(4, 4), (5, 3), (3, 5)])
def test_parametrizations_orthogonal_matches_torch(orthogonal_map, shape):
    def make(lib):
        return lib.nn.utils.parametrizations.orthogonal(lib.nn.Linear(shape[1], shape[0]).double(),
                                                        orthogonal_map=orthogonal_map)

    m = make(minitorch)
    w = m.weight.detach().numpy()
    small = w.T @ w if shape[0] >= shape[1] else w @ w.T
    np.testing.assert_allclose(small, np.eye(min(shape)), atol=1e-10)
    same_step(m, make(torch), np.random.default_rng(5).standard_normal((3, shape[1])))


def test_orthogonal_errors_match_torch():
    for args, kwargs in (((minitorch.nn.Linear(3, 3), "bias"), {}), ((minitorch.nn.Linear(3, 3),), {"orthogonal_map": "qr"})):
        targs = (torch.nn.Linear(3, 3),) + args[1:]
        with pytest.raises(ValueError) as info:
            torch.nn.utils.parametrizations.orthogonal(*targs, **kwargs)
        with pytest.raises(ValueError, match=re.escape(str(info.value).split("'")[0])):
            minitorch.nn.utils.parametrizations.orthogonal(*args, **kwargs)


def symmetric_class(lib):
    class Symmetric(lib.nn.Module):
        def forward(self, x):
            return x.triu() + x.triu(1).transpose(-1, -2)

        def right_inverse(self, a):
            return a.triu()

    return Symmetric


def scale_class(lib):
    class Scale(lib.nn.Module):
        def forward(self, x):
            return 2.0 * x

    return Scale


def parametrized_pair(lib):
    mod = lib.nn.Linear(3, 3).double()
    lib.nn.utils.parametrize.register_parametrization(mod, "weight", symmetric_class(lib)())
    lib.nn.utils.parametrize.register_parametrization(mod, "weight", scale_class(lib)())
    return mod


def test_register_parametrization_chain_matches_torch():
    m, t = parametrized_pair(minitorch), parametrized_pair(torch)
    assert list(m.state_dict()) == list(t.state_dict()) == ["bias", "parametrizations.weight.original"]
    assert type(m).__name__ == "ParametrizedLinear"
    assert mparam.type_before_parametrizations(m) is minitorch.nn.Linear
    assert mparam.is_parametrized(m) and mparam.is_parametrized(m, "weight") and not mparam.is_parametrized(m, "bias")
    same_step(m, t, np.random.default_rng(6).standard_normal((2, 3)))
    w = m.weight.detach().numpy()
    np.testing.assert_allclose(w, w.T)
    assert len(m.parametrizations.weight) == 2


def test_assignment_runs_right_inverse_like_torch():
    mod_m = minitorch.nn.Linear(3, 3).double()
    mod_t = torch.nn.Linear(3, 3).double()
    for lib, mod in ((minitorch, mod_m), (torch, mod_t)):
        lib.nn.utils.parametrize.register_parametrization(mod, "weight", symmetric_class(lib)())
    a = np.random.default_rng(7).standard_normal((3, 3))
    mod_m.weight = minitorch.tensor(a + a.T)
    mod_t.weight = torch.tensor(a + a.T)
    assert_close(mod_m.parametrizations.weight.original, mod_t.parametrizations.weight.original)
    assert_close(mod_m.weight, mod_t.weight)
    scaled = minitorch.nn.Linear(3, 3)
    mparam.register_parametrization(scaled, "weight", scale_class(minitorch)())
    with pytest.raises(RuntimeError, match="parametrization Scale does not implement right_inverse."):
        scaled.weight = minitorch.ones(3, 3)


@pytest.mark.parametrize("leave_parametrized", [True, False])
def test_remove_parametrizations_matches_torch(leave_parametrized):
    m, t = parametrized_pair(minitorch), parametrized_pair(torch)
    load(m, t)
    mparam.remove_parametrizations(m, "weight", leave_parametrized=leave_parametrized)
    tparam.remove_parametrizations(t, "weight", leave_parametrized=leave_parametrized)
    assert type(m) is minitorch.nn.Linear and not mparam.is_parametrized(m)
    assert list(m.state_dict()) == list(t.state_dict()) == ["bias", "weight"]
    assert isinstance(m.weight, minitorch.nn.Parameter)
    assert_close(m.weight, t.weight)
    with pytest.raises(ValueError, match="does not have a parametrization on weight"):
        mparam.remove_parametrizations(m, "weight")


def test_remove_weight_norm_parametrization_needs_leave_parametrized():
    m = minitorch.nn.utils.parametrizations.weight_norm(conv(minitorch))
    t = torch.nn.utils.parametrizations.weight_norm(conv(torch))
    load(m, t)
    with pytest.raises(ValueError, match=re.escape("Cannot leave unparametrized (`leave_parametrized=False`)")):
        mparam.remove_parametrizations(m, "weight", leave_parametrized=False)
    mparam.remove_parametrizations(m, "weight")
    tparam.remove_parametrizations(t, "weight")
    assert list(m.state_dict()) == list(t.state_dict())
    assert_close(m.weight, t.weight)


def test_cached_computes_each_parametrization_once():
    calls = []

    class Counting(minitorch.nn.Module):
        def forward(self, x):
            calls.append(1)
            return x * 1.0

    mod = minitorch.nn.Linear(2, 2)
    mparam.register_parametrization(mod, "weight", Counting())
    calls.clear()
    with mparam.cached():
        a, b = mod.weight, mod.weight
        with mparam.cached():
            c = mod.weight
    assert len(calls) == 1 and a is b is c
    mod.weight
    assert len(calls) == 2


def test_register_parametrization_errors_match_torch():
    class Shrink(minitorch.nn.Module):
        def forward(self, x):
            return x[:1]

    class ShrinkT(torch.nn.Module):
        def forward(self, x):
            return x[:1]

    class ToFloat(minitorch.nn.Module):
        def forward(self, x):
            return x.float()

    class ToFloatT(torch.nn.Module):
        def forward(self, x):
            return x.float()

    cases = [(Shrink, ShrinkT, "weight"), (ToFloat, ToFloatT, "weight"), (Shrink, ShrinkT, "nope")]
    for pm, pt, name in cases:
        with pytest.raises(ValueError) as info:
            tparam.register_parametrization(torch.nn.Linear(3, 3).double(), name, pt())
        message = str(info.value).replace("torch.", "")
        if name == "nope":
            message = message.split("'")[0]
        with pytest.raises(ValueError, match=re.escape(message.replace("Size(", "minitorch.Size(")
                                                      .replace("float", "minitorch.float").split("'")[0])):
            mparam.register_parametrization(minitorch.nn.Linear(3, 3).double(), name, pm())
    mod = minitorch.nn.Linear(3, 3)
    mparam.register_parametrization(mod, "weight", Shrink(), unsafe=True)
    assert mod.weight.shape == (1, 3)


def test_parametrized_module_copies_and_refuses_pickling_like_torch():
    m = parametrized_pair(minitorch)
    clone = copy.deepcopy(m)
    assert type(clone).__name__ == "ParametrizedLinear"
    assert_close(clone.weight, m.weight)
    assert clone.parametrizations.weight.original is not m.parametrizations.weight.original
    with pytest.raises(RuntimeError, match="Serialization of parametrized modules is only supported through state_dict"):
        m.__getstate__()


def test_transfer_parametrizations_and_params_matches_torch():
    def run(lib):
        src = parametrized_pair(lib)
        dst = lib.nn.Linear(3, 3).double()
        lib.nn.utils.parametrize.transfer_parametrizations_and_params(src, dst)
        return src, dst

    (sm, dm), (st, dt) = run(minitorch), run(torch)
    assert list(dm.state_dict()) == list(dt.state_dict())
    assert dm.parametrizations.weight.original is sm.parametrizations.weight.original
    assert dt.parametrizations.weight.original is st.parametrizations.weight.original
    assert len(dm.parametrizations.weight) == len(dt.parametrizations.weight) == 2


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_weight_norm_function_gradcheck(dim):
    from minitorch.nn.utils._weight_norm import norm_except_dim, weight_norm_function

    rng = np.random.default_rng(8)
    v = rng.standard_normal((3, 2, 2))
    g = np.abs(norm_except_dim(minitorch.tensor(v), 2, dim).numpy()) + rng.random()
    assert_close(norm_except_dim(minitorch.tensor(v), 2, dim), torch.norm_except_dim(torch.tensor(v), 2, dim))
    assert_close(weight_norm_function(minitorch.tensor(v), minitorch.tensor(g), dim),
                 torch._weight_norm(torch.tensor(v), torch.tensor(g), dim))
    gradchecks(lambda lib, v, g: weight_norm_function(v, g, dim), v, g)
