"""Module: registration, traversal, modes, dtype, state_dict round trips with torch, strict errors, repr."""
from collections import OrderedDict

import numpy as np
import pytest
import torch

import minitorch
from tests.parity import assert_close, check_module


def build(lib):
    """The same nested model in either framework (shared module, buffers, a parameter-free layer)."""
    nn = lib.nn

    class Block(nn.Module):
        def __init__(self, n):
            super().__init__()
            self.fc = nn.Linear(n, n)
            self.scale = nn.Parameter(lib.ones(n))
            self.register_buffer("count", lib.zeros(1))
            self.register_buffer("scratch", lib.zeros(2), persistent=False)

        def forward(self, x):
            return self.fc(x).tanh() * self.scale

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Linear(3, 4)
            self.body = nn.Sequential(Block(4), nn.ReLU(), Block(4))
            self.shared = self.stem
            self.heads = nn.ModuleDict({"b": nn.Linear(4, 2), "a": nn.Linear(4, 1, bias=False)})
            self.extra = nn.ModuleList([nn.Identity(), nn.Linear(4, 4)])
            self.bias = nn.Parameter(lib.zeros(2))

        def forward(self, x):
            h = self.extra[1](self.body(self.stem(x)))
            return self.heads["b"](h) + self.bias, self.heads["a"](h)

    return Net()


@pytest.fixture
def twins():
    t = build(torch).double()
    m = build(minitorch).double()
    m.load_state_dict({k: v.numpy() for k, v in t.state_dict().items()})
    return m, t


def names(it):
    return [n for n, _ in it]


def test_traversal_order_matches_torch(twins):
    m, t = twins
    assert names(m.named_parameters()) == names(t.named_parameters())
    assert names(m.named_buffers()) == names(t.named_buffers())
    assert names(m.named_children()) == names(t.named_children())
    assert names(m.named_modules()) == names(t.named_modules())
    assert names(m.named_modules(remove_duplicate=False)) == names(t.named_modules(remove_duplicate=False))
    own_m, own_t = m.named_parameters(prefix="net", recurse=False), t.named_parameters(prefix="net", recurse=False)
    assert names(own_m) == names(own_t)
    assert [type(x).__name__ for x in m.modules()] == [type(x).__name__ for x in t.modules()]
    assert [tuple(p.shape) for p in m.parameters()] == [tuple(p.shape) for p in t.parameters()]


def test_shared_module_counted_once(twins):
    m, _ = twins
    assert m.shared is m.stem
    assert sum(1 for p in m.parameters() if p is m.stem.weight) == 1


def test_apply_visits_children_first_like_torch(twins):
    m, t = twins
    seen_m, seen_t = [], []
    m.apply(lambda mod: seen_m.append(type(mod).__name__))
    t.apply(lambda mod: seen_t.append(type(mod).__name__))
    assert seen_m == seen_t


def test_state_dict_keys_order_and_values_match_torch(twins):
    m, t = twins
    sd_m, sd_t = m.state_dict(), t.state_dict()
    assert list(sd_m) == list(sd_t)
    assert "body.0.scratch" not in sd_m
    for k in sd_t:
        assert_close(sd_m[k], sd_t[k], what=k)


def test_outputs_match_after_loading_torch_weights(twins):
    m, t = twins
    x = np.random.default_rng(0).standard_normal((5, 3))
    check_module(m, t, x)


def test_load_state_dict_accepts_torch_tensors_directly():
    t = build(torch)
    m = build(minitorch)
    result = m.load_state_dict(t.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert repr(result) == repr(t.load_state_dict(t.state_dict()))
    for k, v in t.state_dict().items():
        np.testing.assert_array_equal(m.state_dict()[k].numpy(), v.numpy())


def test_torch_loads_minitorch_state_dict():
    m = build(minitorch).double()
    t = build(torch).double()
    t.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in m.state_dict().items()})
    x = np.random.default_rng(1).standard_normal((2, 3))
    out_m = m(minitorch.tensor(x))
    out_t = t(torch.tensor(x))
    for a, b in zip(out_m, out_t):
        assert_close(a, b)


def test_load_state_dict_copies_in_place_and_bumps_version():
    m = minitorch.nn.Linear(2, 3)
    w = m.weight
    v0 = w._version
    m.load_state_dict({"weight": np.ones((3, 2)), "bias": np.zeros(3)})
    assert m.weight is w and w._version > v0
    np.testing.assert_array_equal(w.detach().numpy(), np.ones((3, 2), np.float32))


def test_strict_errors_name_every_bad_key():
    m = build(minitorch)
    sd = {k: v.numpy() for k, v in m.state_dict().items()}
    del sd["stem.bias"], sd["heads.a.weight"]
    sd["stem.gamma"] = np.zeros(1)
    sd["body.0.fc.weight"] = np.zeros((5, 4))
    with pytest.raises(RuntimeError) as info:
        m.load_state_dict(sd)
    msg = str(info.value)
    assert "Error(s) in loading state_dict for Net" in msg
    assert 'Missing key(s) in state_dict: "stem.bias", "heads.a.weight"' in msg
    assert 'Unexpected key(s) in state_dict: "stem.gamma"' in msg
    assert "size mismatch for body.0.fc.weight" in msg and "[5, 4]" in msg and "[4, 4]" in msg


def test_non_strict_reports_the_same_keys_as_torch():
    sd = {k: v for k, v in build(torch).state_dict().items() if not k.startswith("heads")}
    sd["junk"] = torch.zeros(1)
    t_res = build(torch).load_state_dict(sd, strict=False)
    m_res = build(minitorch).load_state_dict(sd, strict=False)
    assert m_res.missing_keys == t_res.missing_keys
    assert m_res.unexpected_keys == t_res.unexpected_keys


def test_repr_matches_torch():
    assert repr(build(minitorch)) == repr(build(torch))


def test_repr_of_multiline_extra_repr_matches_torch():
    def make(lib):
        class Multi(lib.nn.Module):
            def extra_repr(self):
                return "a=1\nb=2"

        return Multi()

    assert repr(make(minitorch)) == repr(make(torch)) == "Multi(\n  a=1\n  b=2\n)"


def test_train_eval_flags_reach_every_module(twins):
    m, _ = twins
    assert m.training and all(x.training for x in m.modules())
    assert m.eval() is m
    assert not any(x.training for x in m.modules())
    m.train()
    assert all(x.training for x in m.modules())
    with pytest.raises(ValueError, match="boolean"):
        m.train("yes")


def test_zero_grad_and_requires_grad(twins):
    m, _ = twins
    m(minitorch.randn(2, 3, dtype=minitorch.float64))[0].sum().backward()
    assert all(p.grad is not None for p in m.parameters() if p is not m.heads["a"].weight)
    m.zero_grad(set_to_none=False)
    assert all(p.grad is None or not p.grad.numpy().any() for p in m.parameters())
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())
    m.requires_grad_(False)
    assert not any(p.requires_grad for p in m.parameters())
    out = m(minitorch.randn(2, 3, dtype=minitorch.float64))[0]
    assert not out.requires_grad


def test_to_dtype_and_double_keep_parameter_identity():
    m = build(minitorch)
    params = list(m.parameters())
    assert all(p.dtype == minitorch.float32 for p in params)
    assert m.double() is m
    assert all(p.dtype == minitorch.float64 for p in m.parameters())
    assert [id(p) for p in m.parameters()] == [id(p) for p in params]
    assert all(b.dtype == minitorch.float64 for b in m.buffers())
    m.to(minitorch.float32)
    assert all(p.dtype == minitorch.float32 for p in m.parameters())
    m.to(dtype=minitorch.float64)
    assert m(minitorch.randn(1, 3, dtype=minitorch.float64))[0].dtype == minitorch.float64
    m.float()
    assert m.stem.weight.dtype == minitorch.float32
    with pytest.raises(TypeError, match="floating point"):
        m.to(minitorch.int64)


def test_registration_rules():
    nn = minitorch.nn
    m = nn.Module()
    m.w = nn.Parameter(minitorch.zeros(2))
    m.child = nn.Linear(1, 1)
    m.register_buffer("buf", minitorch.ones(1))
    assert names(m.named_parameters()) == ["w", "child.weight", "child.bias"]
    assert names(m.named_buffers()) == ["buf"]
    with pytest.raises(TypeError, match="cannot assign"):
        m.w = minitorch.zeros(2)
    with pytest.raises(KeyError, match="contain"):
        m.register_parameter("a.b", None)
    with pytest.raises(KeyError, match="empty"):
        m.register_buffer("", None)
    with pytest.raises(KeyError, match="already exists"):
        m.register_buffer("training", minitorch.zeros(1))
    with pytest.raises(TypeError):
        m.register_parameter("p", minitorch.zeros(1))
    with pytest.raises(TypeError):
        m.add_module("x", "not a module")
    m.w = None
    assert names(m.named_parameters()) == ["child.weight", "child.bias"]
    del m.child
    assert names(m.named_parameters()) == []
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        m.nothing


def test_forward_hooks_run_and_can_replace():
    lin = minitorch.nn.Linear(2, 2)
    calls = []
    h1 = lin.register_forward_pre_hook(lambda mod, args: calls.append("pre"))
    h2 = lin.register_forward_hook(lambda mod, args, out: out * 0)
    out = lin(minitorch.ones(1, 2))
    assert calls == ["pre"] and not out.detach().numpy().any()
    h1.remove()
    h2.remove()
    assert lin(minitorch.ones(1, 2)).detach().numpy().any()


def test_sequential_from_children_slice_keeps_weights():
    t = torch.nn.Sequential(OrderedDict([("a", torch.nn.Linear(3, 4)), ("r", torch.nn.ReLU()),
                                         ("b", torch.nn.Linear(4, 2))])).double()
    m = minitorch.nn.Sequential(OrderedDict([("a", minitorch.nn.Linear(3, 4)), ("r", minitorch.nn.ReLU()),
                                             ("b", minitorch.nn.Linear(4, 2))])).double()
    trunk_t = torch.nn.Sequential(*list(t.children())[:2])
    trunk_m = minitorch.nn.Sequential(*list(m.children())[:2])
    assert trunk_m[0] is m.a
    check_module(trunk_m, trunk_t, np.random.default_rng(2).standard_normal((3, 3)))
    assert list(trunk_m.state_dict()) == list(trunk_t.state_dict()) == ["0.weight", "0.bias"]


def test_reassignment_keeps_registration_order_like_torch():
    def build(lib):
        m = lib.nn.Module()
        m.a = lib.nn.Linear(1, 1)
        m.b = lib.nn.Linear(1, 1)
        m.a = lib.nn.Linear(1, 2)
        m.p = lib.nn.Parameter(lib.zeros(1))
        m.q = lib.nn.Parameter(lib.zeros(1))
        m.p = lib.nn.Parameter(lib.ones(2))
        m.register_buffer("u", lib.zeros(1))
        m.register_buffer("v", lib.zeros(1))
        m.u = lib.ones(3)
        return m

    m, t = build(minitorch), build(torch)
    assert list(m.state_dict()) == list(t.state_dict())
    assert [tuple(v.shape) for v in m.state_dict().values()] == [tuple(v.shape) for v in t.state_dict().values()]
