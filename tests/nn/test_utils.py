"""nn.utils: gradient clipping and parameter vectors against torch."""
import importlib
import math

import numpy as np
import pytest
import torch

import minitorch
from minitorch.nn import utils
from tests.parity import assert_close, check

rng = np.random.default_rng(0)
SHAPES = [(3, 4), (4,), (2, 2, 2)]


def params_with_grads(lib, scale=1.0, dtype=np.float64, skip=None):
    """Parameters of SHAPES with the same random grads in either framework (``skip``: one without grad)."""
    g = np.random.default_rng(1)
    out = []
    for i, shape in enumerate(SHAPES):
        p = lib.nn.Parameter(lib.tensor(g.standard_normal(shape).astype(dtype)))
        grad = (g.standard_normal(shape) * scale).astype(dtype)
        if i != skip:
            p.grad = lib.tensor(grad)
        out.append(p)
    return out


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, math.inf, 0])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
@pytest.mark.parametrize("skip", [None, 1])
def test_clip_grad_norm_matches_torch(norm_type, max_norm, skip):
    pm, pt = params_with_grads(minitorch, skip=skip), params_with_grads(torch, skip=skip)
    total_m = utils.clip_grad_norm_(pm, max_norm, norm_type)
    total_t = torch.nn.utils.clip_grad_norm_(pt, max_norm, norm_type)
    assert_close(total_m, total_t, atol=1e-12, rtol=1e-12)
    for a, b in zip(pm, pt):
        if b.grad is None:
            assert a.grad is None
        else:
            assert_close(a.grad, b.grad, atol=1e-12, rtol=1e-12)


def test_clip_grad_norm_float32_generator_and_single_tensor():
    pm = params_with_grads(minitorch, dtype=np.float32)
    pt = params_with_grads(torch, dtype=np.float32)
    total_m = utils.clip_grad_norm_((p for p in pm), 1.0)
    total_t = torch.nn.utils.clip_grad_norm_((p for p in pt), 1.0)
    assert_close(total_m, total_t, atol=1e-6, rtol=1e-6)
    single_m, single_t = pm[0], pt[0]
    assert_close(utils.clip_grad_norm_(single_m, 0.1), torch.nn.utils.clip_grad_norm_(single_t, 0.1), atol=1e-6)
    assert_close(single_m.grad, single_t.grad, atol=1e-6)


def test_clip_grad_norm_result_has_requested_norm():
    ps = params_with_grads(minitorch, scale=10.0)
    utils.clip_grad_norm_(ps, 2.0)
    norm = math.sqrt(sum(float((p.grad.numpy() ** 2).sum()) for p in ps))
    assert abs(norm - 2.0) < 1e-5


def test_clip_grad_norm_without_grads_and_empty_generator():
    total = utils.clip_grad_norm_([minitorch.nn.Parameter(minitorch.ones(2))], 1.0)
    assert total.item() == 0.0 and total.dtype == minitorch.float32
    with pytest.warns(UserWarning, match="empty generator"):
        utils.clip_grad_norm_((p for p in []), 1.0)


def test_clip_grad_norm_nonfinite():
    ps = params_with_grads(minitorch)
    ps[0].grad.numpy()[0, 0] = np.inf
    with pytest.raises(RuntimeError, match="non-finite, so it cannot be clipped"):
        utils.clip_grad_norm_(ps, 1.0, error_if_nonfinite=True)
    total = utils.clip_grad_norm_(ps, 1.0)
    assert np.isinf(total.item())


def test_get_total_norm_and_clip_grads_with_norm_match_torch():
    pm, pt = params_with_grads(minitorch), params_with_grads(torch)
    nm = utils.get_total_norm([p.grad for p in pm], 3.0)
    nt = torch.nn.utils.get_total_norm([p.grad for p in pt], 3.0)
    assert_close(nm, nt, atol=1e-12)
    utils.clip_grads_with_norm_(pm, 0.7, nm)
    torch.nn.utils.clip_grads_with_norm_(pt, 0.7, nt)
    for a, b in zip(pm, pt):
        assert_close(a.grad, b.grad, atol=1e-12)


@pytest.mark.parametrize("clip_value", [0.3, 5])
def test_clip_grad_value_matches_torch(clip_value):
    pm, pt = params_with_grads(minitorch, skip=2), params_with_grads(torch, skip=2)
    assert utils.clip_grad_value_(pm, clip_value) is None
    torch.nn.utils.clip_grad_value_(pt, clip_value)
    for a, b in zip(pm, pt):
        assert (a.grad is None) == (b.grad is None)
        if a.grad is not None:
            assert_close(a.grad, b.grad)
            assert np.abs(a.grad.numpy()).max() <= clip_value


def test_clipping_does_not_record_graph():
    lin = minitorch.nn.Linear(3, 2)
    lin(minitorch.randn(4, 3)).sum().backward()
    utils.clip_grad_norm_(lin.parameters(), 0.01)
    utils.clip_grad_value_(lin.parameters(), 0.001)
    assert all(p.grad.grad_fn is None and not p.grad.requires_grad for p in lin.parameters())


def test_parameters_to_vector_matches_torch_and_is_differentiable():
    arrays = [rng.standard_normal(s) for s in SHAPES]
    check(lambda m, *ps: m.nn.utils.parameters_to_vector(ps), *arrays)


def test_vector_to_parameters_matches_torch():
    mods = minitorch.nn.Linear(3, 2), torch.nn.Linear(3, 2)
    vec = rng.standard_normal(8).astype(np.float32)
    utils.vector_to_parameters(minitorch.tensor(vec), mods[0].parameters())
    torch.nn.utils.vector_to_parameters(torch.tensor(vec), mods[1].parameters())
    for a, b in zip(mods[0].parameters(), mods[1].parameters()):
        assert_close(a.detach(), b.detach())
    np.testing.assert_array_equal(utils.parameters_to_vector(mods[0].parameters()).detach().numpy(), vec)
    with pytest.raises(TypeError, match="expected minitorch.Tensor, but got: list"):
        utils.vector_to_parameters([1.0] * 8, mods[0].parameters())


@pytest.mark.parametrize("module", ["", ".rnn", ".parametrize", ".parametrizations"])
def test_public_names_match_torch(module):
    """Every name torch.nn.utils<module> lists in __all__ is there (for nn.utils itself: the ones minitorch builds)."""
    t = importlib.import_module("torch.nn.utils" + module)
    m = importlib.import_module("minitorch.nn.utils" + module)
    built = {"clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm", "parameters_to_vector",
             "vector_to_parameters", "weight_norm", "remove_weight_norm", "spectral_norm", "remove_spectral_norm",
             "rnn", "parametrize", "parametrizations"}
    names = set(getattr(t, "__all__", [])) if module else built
    assert names <= set(dir(m)), sorted(names - set(dir(m)))
    for name in names:
        assert callable(getattr(m, name)) == callable(getattr(t, name)), name
