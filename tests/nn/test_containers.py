"""Sequential, ModuleList, ModuleDict: list/dict behaviour, keys and reprs compared with torch."""
import re
from collections import OrderedDict

import numpy as np
import pytest
import torch

import minitorch
from tests.parity import check_module


def layers(lib, n=4):
    nn = lib.nn
    return [nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 2)][:n]


def keys(mod):
    return list(mod.state_dict())


def test_sequential_forward_matches_torch():
    t = torch.nn.Sequential(*layers(torch, 5)).double()
    m = minitorch.nn.Sequential(*layers(minitorch, 5)).double()
    check_module(m, t, np.random.default_rng(0).standard_normal((4, 3)))


def test_sequential_from_ordered_dict():
    m = minitorch.nn.Sequential(OrderedDict([("fc", minitorch.nn.Linear(2, 3)), ("act", minitorch.nn.ReLU())]))
    t = torch.nn.Sequential(OrderedDict([("fc", torch.nn.Linear(2, 3)), ("act", torch.nn.ReLU())]))
    assert keys(m) == keys(t) == ["fc.weight", "fc.bias"]
    assert m.fc is m[0] and m.act is m[-1]
    assert repr(m) == repr(t)


def test_sequential_indexing_and_slicing():
    mods = layers(minitorch)
    seq = minitorch.nn.Sequential(*mods)
    assert len(seq) == 4
    assert seq[0] is mods[0] and seq[-1] is mods[-1]
    assert list(seq) == mods
    part = seq[1:3]
    assert type(part) is minitorch.nn.Sequential
    assert list(part) == mods[1:3]
    assert list(part._modules) == ["1", "2"]
    assert list(seq[::2]) == mods[::2]
    with pytest.raises(IndexError, match="index 4 is out of range"):
        seq[4]
    with pytest.raises(IndexError):
        seq[-5]


def test_sequential_slice_keys_match_torch():
    t = torch.nn.Sequential(*layers(torch))
    m = minitorch.nn.Sequential(*layers(minitorch))
    assert keys(m[1:]) == keys(t[1:])
    assert keys(m[::2]) == keys(t[::2])


def test_sequential_mutation_matches_torch():
    def mutate(lib):
        seq = lib.nn.Sequential(*layers(lib))
        seq.append(lib.nn.Linear(2, 5))
        seq.insert(1, lib.nn.Linear(3, 3))
        seq.insert(-1, lib.nn.Sigmoid())
        seq.extend([lib.nn.ReLU(), lib.nn.Linear(5, 1)])
        popped = seq.pop(0)
        del seq[1]
        del seq[2:4]
        seq[0] = lib.nn.Linear(3, 4)
        return seq, popped

    (m, pm), (t, pt) = mutate(minitorch), mutate(torch)
    assert repr(m) == repr(t)
    assert keys(m) == keys(t)
    assert list(m._modules) == [str(i) for i in range(len(m))]
    assert repr(pm) == repr(pt)


def test_sequential_add_mul_and_errors():
    a = minitorch.nn.Sequential(*layers(minitorch, 2))
    b = minitorch.nn.Sequential(minitorch.nn.ReLU())
    c = a + b
    assert len(c) == 3 and c[2] is b[0] and c[0] is a[0]
    d = a * 2
    assert len(d) == 4 and d[2] is a[0]
    assert len(2 * a) == 4
    a += b
    assert len(a) == 3 and list(a._modules) == ["0", "1", "2"]
    with pytest.raises(ValueError, match="only objects of Sequential"):
        a + [minitorch.nn.ReLU()]
    with pytest.raises(ValueError, match="Non-positive"):
        a * 0
    with pytest.raises(TypeError):
        a * 1.5
    with pytest.raises(IndexError):
        a.insert(10, minitorch.nn.ReLU())
    with pytest.raises(AssertionError):
        a.insert(0, "relu")


def test_empty_sequential_is_identity():
    x = minitorch.ones(2)
    assert minitorch.nn.Sequential()(x) is x


def test_module_list_behaviour_matches_torch():
    def build(lib):
        ml = lib.nn.ModuleList([lib.nn.Linear(2, 2) for _ in range(3)])
        ml.append(lib.nn.ReLU())
        ml.extend([lib.nn.Linear(2, 3), lib.nn.Linear(2, 3)])
        ml.insert(1, lib.nn.Tanh())
        ml += [lib.nn.ReLU()]
        del ml[0]
        ml[0] = lib.nn.Sigmoid()
        popped = ml.pop(-1)
        return ml, popped

    (m, pm), (t, pt) = build(minitorch), build(torch)
    assert repr(m) == repr(t)
    assert keys(m) == keys(t)
    assert len(m) == len(t)
    assert repr(m[1:4]) == repr(t[1:4]) and type(m[1:4]) is minitorch.nn.ModuleList
    assert repr(pm) == repr(pt)
    assert repr(m + m[:2]) == repr(t + t[:2])
    with pytest.raises(IndexError, match="out of range"):
        m[len(m)]
    with pytest.raises(TypeError, match="iterable"):
        m.extend(minitorch.nn.ReLU())


def test_module_list_repr_compresses_repeats_like_torch():
    def build(lib):
        nn = lib.nn
        return nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(),
                              nn.Sequential(nn.Linear(1, 1), nn.ReLU()), nn.Sequential(nn.Linear(1, 1), nn.ReLU())])

    assert repr(build(minitorch)) == repr(build(torch))
    assert repr(minitorch.nn.ModuleList()) == repr(torch.nn.ModuleList()) == "ModuleList()"


def test_module_list_registers_parameters():
    ml = minitorch.nn.ModuleList([minitorch.nn.Linear(2, 2), minitorch.nn.Linear(2, 2)])
    assert len(list(ml.parameters())) == 4
    assert [n for n, _ in ml.named_parameters()] == ["0.weight", "0.bias", "1.weight", "1.bias"]
    with pytest.raises(NotImplementedError, match="forward"):
        ml(minitorch.ones(2))


def test_module_dict_behaviour_matches_torch():
    def build(lib):
        nn = lib.nn
        md = nn.ModuleDict({"b": nn.Linear(2, 2), "a": nn.ReLU()})
        md["c"] = nn.Linear(2, 1)
        md.update([("d", nn.Tanh()), ("b", nn.Linear(2, 3))])
        md.update(OrderedDict([("e", nn.Linear(1, 1))]))
        popped = md.pop("a")
        del md["d"]
        return md, popped

    (m, pm), (t, pt) = build(minitorch), build(torch)
    assert repr(m) == repr(t) and repr(pm) == repr(pt)
    assert list(m) == list(t) == list(m.keys())
    assert keys(m) == keys(t)
    assert "c" in m and "a" not in m and len(m) == len(t)
    assert [type(v).__name__ for v in m.values()] == [type(v).__name__ for v in t.values()]
    assert [k for k, _ in m.items()] == list(m)
    m.clear()
    assert len(m) == 0 and list(m.parameters()) == []


def test_module_dict_update_errors():
    md = minitorch.nn.ModuleDict()
    with pytest.raises(TypeError, match="iterable of key/value pairs"):
        md.update(3)
    with pytest.raises(TypeError, match="element #0 should be Iterable"):
        md.update([3])
    with pytest.raises(ValueError, match="element #0 has length 3"):
        md.update([("a", minitorch.nn.ReLU(), 1)])
    with pytest.raises(KeyError, match="already exists"):
        md["update"] = minitorch.nn.ReLU()


def plist_ops(lib):
    """The same ParameterList edits in either framework; returns the list."""
    data = np.arange(6.0).reshape(2, 3)
    pl = lib.nn.ParameterList([lib.tensor(data), lib.nn.Parameter(lib.ones(3))])
    pl.append(lib.zeros(2))
    pl.extend([lib.ones(1), "not a tensor"])
    pl += [lib.ones(4, 1)]
    pl[1] = lib.full((2,), 3.0)
    return pl


def test_parameter_list_matches_torch():
    m, t = plist_ops(minitorch), plist_ops(torch)
    assert keys(m) == keys(t) == ["0", "1", "2", "3", "5"]
    assert len(m) == len(t) == 6
    assert [n for n, _ in m.named_parameters()] == [n for n, _ in t.named_parameters()]
    for a, b in zip(m, t):
        assert type(a).__name__ == type(b).__name__
        if isinstance(b, torch.Tensor):
            np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
            assert a.requires_grad == b.requires_grad
    assert isinstance(m[-1], minitorch.nn.Parameter) and m[4] == "not a tensor"
    assert [keys(m[1:4]), keys(m[::2])] == [keys(t[1:4]), keys(t[::2])]
    assert repr(m).replace("minitorch", "torch") == repr(t)
    assert "0" not in dir(m) and "append" in dir(m)
    with pytest.raises(IndexError, match="index 6 is out of range"):
        m[6]
    with pytest.raises(IndexError, match="index -7 is out of range"):
        m[-7] = minitorch.ones(1)
    with pytest.raises(TypeError, match="ParameterList.extend should be called with an iterable, but got Tensor"):
        m.extend(minitorch.ones(2))
    with pytest.raises(TypeError, match="ParameterList.extend should be called with an iterable, but got int"):
        m.extend(3)
    with pytest.raises(RuntimeError, match="ParameterList should not be called."):
        m(1)


def test_parameter_list_in_a_model_state_dict_and_gradients_match_torch():
    def model(lib):
        net = lib.nn.Module()
        net.weights = lib.nn.ParameterList([lib.nn.Parameter(lib.ones(3, 3)) for _ in range(2)])
        return net

    m, t = model(minitorch), model(torch)
    assert keys(m) == keys(t) == ["weights.0", "weights.1"]
    rng = np.random.default_rng(0)
    state = {k: rng.standard_normal(tuple(v.shape)) for k, v in t.state_dict().items()}
    t.load_state_dict({k: torch.tensor(v, dtype=torch.float32) for k, v in state.items()})
    m.load_state_dict(state)
    x = rng.standard_normal((2, 3)).astype(np.float32)
    out_m = minitorch.tensor(x) @ m.weights[0] @ m.weights[1]
    out_t = torch.tensor(x) @ t.weights[0] @ t.weights[1]
    np.testing.assert_allclose(out_m.detach().numpy(), out_t.detach().numpy(), rtol=1e-6)
    out_m.sum().backward()
    out_t.sum().backward()
    for a, b in zip(m.parameters(), t.parameters()):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-6)


def pdict_ops(lib):
    """The same ParameterDict edits in either framework; returns the dict and what the methods returned."""
    pd = lib.nn.ParameterDict({"b": lib.ones(2), "a": lib.nn.Parameter(lib.zeros(3))})
    pd.update([("c", lib.ones(1)), ("z", "plain")])
    pd.update(OrderedDict([("y", lib.ones(2, 2)), ("x", lib.zeros(1))]))
    pd["w"] = lib.full((2,), 2.0)
    got = [pd.setdefault("v", lib.ones(5)).shape, pd.setdefault("v", None).shape, pd.get("nope", 7), "a" in pd]
    popped = pd.pop("c")
    k, v = pd.popitem()
    del pd["x"]
    got += [tuple(popped.shape), k, tuple(v.shape), list(reversed(pd)), len(pd)]
    return pd, got


def test_parameter_dict_matches_torch():
    (m, got_m), (t, got_t) = pdict_ops(minitorch), pdict_ops(torch)
    assert list(m.keys()) == list(t.keys()) == ["a", "b", "z", "y", "w"]
    assert keys(m) == keys(t)
    assert [tuple(s) if not isinstance(s, (int, bool, str, list)) else s for s in got_m] == \
        [tuple(s) if not isinstance(s, (int, bool, str, list)) else s for s in got_t]
    assert [type(v).__name__ for v in m.values()] == [type(v).__name__ for v in t.values()]
    assert [k for k, _ in m.items()] == [k for k, _ in t.items()] == list(m)
    assert list(m.copy().keys()) == list(t.copy().keys()) and m.copy()["a"] is m["a"]
    assert list(m.fromkeys(["p", "q"]).keys()) == ["p", "q"]
    merged_m = m | minitorch.nn.ParameterDict({"new": minitorch.ones(1)})
    merged_t = t | torch.nn.ParameterDict({"new": torch.ones(1)})
    assert list(merged_m.keys()) == list(merged_t.keys())
    m |= minitorch.nn.ParameterDict({"late": minitorch.ones(1)})
    t |= torch.nn.ParameterDict({"late": torch.ones(1)})
    assert keys(m) == keys(t)
    assert repr(m).replace("minitorch", "torch") == repr(t)
    m.clear()
    t.clear()
    assert len(m) == len(t) == 0 and keys(m) == keys(t) == []


def test_parameter_dict_errors_match_torch():
    m, t = minitorch.nn.ParameterDict(), torch.nn.ParameterDict()
    for fn, kind in ((lambda d: d[1], TypeError), (lambda d: d.update(5), TypeError),
                     (lambda d: d.update([5]), TypeError), (lambda d: d.update([("a", 1, 2)]), ValueError),
                     (lambda d: d(1), RuntimeError), (lambda d: d["missing"], AttributeError)):
        with pytest.raises(kind) as info:
            fn(t)
        message = str(info.value).replace("torch", "minitorch") if kind is not AttributeError else "missing"
        with pytest.raises(kind, match=re.escape(message)):
            fn(m)
