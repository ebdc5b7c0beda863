"""Adadelta, Adafactor, Adamax, NAdam, RAdam, ASGD, Rprop and SparseAdam against torch.optim: 50-step float64 trajectories
(a nonconvex objective, and a small MLP with parameter groups), state dicts in torch's layout loaded in both
directions, options and errors."""
from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

import minitorch
from tests.optim.test_optimizers import (
    STEPS, as_np, assert_same_state_dict, assert_same_trajectory, grid, initial_arrays, make_params, run,
)

CASES = (
    [("Adadelta", dict(lr=0.5, **o)) for o in grid(rho=[0.9, 0.7], weight_decay=[0, 0.1])]
    + [("Adadelta", dict(lr=0.5, maximize=True)), ("Adadelta", dict(eps=1e-4))]
    + [("Adamax", dict(lr=2e-2, **o)) for o in grid(weight_decay=[0, 0.1], betas=[(0.9, 0.999), (0.8, 0.9)])]
    + [("Adamax", dict(lr=2e-2, weight_decay=0.1, maximize=True))]
    + [("NAdam", dict(lr=1e-2, **o)) for o in grid(weight_decay=[0, 0.3], momentum_decay=[4e-3, 2e-2])]
    + [("NAdam", dict(lr=1e-2, weight_decay=0.3, decoupled_weight_decay=True, **o))
       for o in grid(momentum_decay=[4e-3, 2e-2], maximize=[False, True])]
    + [("RAdam", dict(lr=2e-2, **o)) for o in grid(weight_decay=[0, 0.1], betas=[(0.9, 0.999), (0.8, 0.9)])]
    + [("RAdam", dict(lr=2e-2, weight_decay=0.1, decoupled_weight_decay=True, **o))
       for o in grid(maximize=[False, True])]
    + [("ASGD", dict(lr=2e-3, **o)) for o in grid(lambd=[1e-4, 1e-2], t0=[1e6, 10])]
    + [("ASGD", dict(lr=2e-3, weight_decay=0.1, t0=10, maximize=True)), ("ASGD", dict(lr=3e-3, alpha=0.5, t0=0))]
    + [("Rprop", dict(lr=1e-2, **o)) for o in grid(etas=[(0.5, 1.2), (0.3, 1.5)], step_sizes=[(1e-6, 50),
                                                                                              (1e-3, 0.05)])]
    + [("Rprop", dict(lr=1e-3, maximize=True)), ("Rprop", dict(lr=1e-3, etas=(0.3, 1.5), step_sizes=(1e-4, 1.0)))]
    + [("Adafactor", dict()), ("Adafactor", dict(lr=5e-2)), ("Adafactor", dict(lr=5e-2, weight_decay=0.1, d=1.5)),
       ("Adafactor", dict(lr=3e-2, eps=(1e-20, 1e-2), beta2_decay=-0.5, maximize=True))]
)


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_trajectory_matches_torch(name, kwargs):
    """50 steps agree to 1e-10 (with the conditioning guard of test_optimizers: torch itself, started 1e-15
    away, stays within 1e-11, so last-bit differences cannot legitimately grow past 1e-10)."""
    sign = -1.0 if kwargs.get("maximize") else 1.0
    mt_params, mt_opt = run(minitorch, name, kwargs, sign=sign)
    th_params, th_opt = run(torch, name, kwargs, sign=sign)
    moved = max(np.max(np.abs(as_np(p) - a)) for p, a in zip(th_params, initial_arrays()))
    assert moved > 1e-2, "the parameters should travel for the comparison to mean something"
    nudged, _ = run(torch, name, kwargs, sign=sign, params=make_params(torch, [a * (1 + 1e-15)
                                                                                for a in initial_arrays()]))
    assert_same_trajectory(nudged, th_params, tol=1e-11)
    assert_same_trajectory(mt_params, th_params)
    assert_same_state_dict(mt_opt, th_opt)


GROUPS = {
    "Adadelta": ([{"params": [0], "rho": 0.8}, {"params": [1, 2], "lr": 0.3, "weight_decay": 0.05}], {"lr": 0.5}),
    "Adamax": ([{"params": [0, 2], "betas": (0.8, 0.95)}, {"params": [1], "lr": 5e-3, "weight_decay": 0.1}],
               {"lr": 1e-2}),
    "NAdam": ([{"params": [1], "momentum_decay": 1e-2}, {"params": [0, 2], "weight_decay": 0.2,
                                                         "decoupled_weight_decay": True}], {"lr": 1e-2}),
    "RAdam": ([{"params": [2, 0], "betas": (0.8, 0.99)}, {"params": [1], "lr": 5e-3, "weight_decay": 0.1}],
              {"lr": 1e-2}),
    "ASGD": ([{"params": [0], "t0": 5, "lambd": 1e-3}, {"params": [1, 2], "lr": 3e-3, "alpha": 0.6}], {"lr": 2e-3}),
    "Adafactor": ([{"params": [1], "d": 2.0}, {"params": [0, 2], "lr": 3e-2, "weight_decay": 0.1}], {"lr": 2e-2}),
    "Rprop": ([{"params": [0], "etas": (0.4, 1.3)}, {"params": [1, 2], "lr": 3e-3, "step_sizes": (1e-4, 0.1)}],
              {"lr": 1e-2}),
}


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_param_groups_with_different_options(name):
    groups, defaults = GROUPS[name]
    mt_params, mt_opt = run(minitorch, name, defaults, groups=groups)
    th_params, th_opt = run(torch, name, defaults, groups=groups)
    assert_same_trajectory(mt_params, th_params)
    assert_same_state_dict(mt_opt, th_opt)


def mlp(lib, seed=7):
    """Linear(4, 8) -> tanh -> Linear(8, 1), the same float64 weights in both libraries, on fixed data."""
    rng = np.random.default_rng(seed)
    arrays = [rng.normal(0, 0.5, (8, 4)), rng.normal(0, 0.1, 8), rng.normal(0, 0.5, (1, 8)), rng.normal(0, 0.1, 1)]
    x, y = rng.normal(size=(16, 4)), rng.normal(size=(16, 1))
    model = lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.Tanh(), lib.nn.Linear(8, 1)).double()
    with lib.no_grad():
        for p, a in zip(model.parameters(), arrays):
            p.copy_(lib.tensor(a, dtype=lib.float64))
    return model, lib.tensor(x, dtype=lib.float64), lib.tensor(y, dtype=lib.float64)


MLP = {"Adadelta": dict(lr=0.5), "Adamax": dict(lr=1e-2), "NAdam": dict(lr=1e-2, weight_decay=0.05),
       "RAdam": dict(lr=1e-2), "ASGD": dict(lr=5e-2, t0=20), "Rprop": dict(lr=1e-3), "Adafactor": dict(lr=2e-2)}


@pytest.mark.parametrize("name", sorted(MLP))
def test_small_model_with_weight_and_bias_groups(name):
    def go(lib):
        model, x, y = mlp(lib)
        named = list(model.named_parameters())
        opt = getattr(lib.optim, name)([{"params": [p for n, p in named if n.endswith("weight")]},
                                        {"params": [p for n, p in named if n.endswith("bias")], "lr": 2e-3}],
                                       **MLP[name])
        losses = []
        for _ in range(STEPS):
            opt.zero_grad()
            loss = lib.nn.functional.mse_loss(model(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return list(model.parameters()), opt, losses
    mt_params, mt_opt, mt_losses = go(minitorch)
    th_params, th_opt, th_losses = go(torch)
    assert th_losses[-1] < th_losses[0]
    np.testing.assert_allclose(mt_losses, th_losses, rtol=1e-10, atol=0)
    assert_same_trajectory(mt_params, th_params)
    assert_same_state_dict(mt_opt, th_opt)


RESUME = [("Adadelta", dict(lr=0.5, weight_decay=0.1)), ("Adamax", dict(lr=2e-2)),
          ("NAdam", dict(lr=1e-2, weight_decay=0.1, decoupled_weight_decay=True)), ("RAdam", dict(lr=2e-2)),
          ("ASGD", dict(lr=2e-3, t0=10, lambd=1e-2)), ("Rprop", dict(lr=1e-2, step_sizes=(1e-3, 0.05))),
          ("Adafactor", dict(lr=3e-2, weight_decay=0.05))]


def to_torch_state_dict(state_dict):
    """A minitorch optimiser state dict with its tensors as torch tensors (what torch.load of it would give)."""
    def conv(v):
        if isinstance(v, minitorch.Tensor):
            return torch.from_numpy(np.array(v._data, copy=True))
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        if isinstance(v, list):
            return [conv(x) for x in v]
        return v
    return conv(state_dict)


@pytest.mark.parametrize("name,kwargs", RESUME)
@pytest.mark.parametrize("source", ["torch", "minitorch"])
def test_state_dict_loads_across_and_continues(name, kwargs, source):
    """After 20 steps, the optimiser state dict of one library loads into an optimiser of each library (over
    the same parameter values); both finish the 50 steps identically. (Loading casts floating state such as
    ASGD's ``eta`` to the parameter's dtype in both libraries, so each side is compared after a load.)"""
    src_params, src_opt = run(torch if source == "torch" else minitorch, name, kwargs, steps=20)
    saved = src_opt.state_dict()
    resumed = {}
    for lib in (torch, minitorch):
        params = make_params(lib, [as_np(p).copy() for p in src_params])
        opt = getattr(lib.optim, name)(params, **dict(kwargs, lr=123.0))
        opt.load_state_dict(to_torch_state_dict(saved) if lib is torch and source == "minitorch"
                            else copy.deepcopy(saved))  # torch's load keeps tensors of matching dtype as they are
        assert opt.param_groups[0]["lr"] == kwargs["lr"]
        resumed[lib] = run(lib, name, kwargs, steps=STEPS - 20, params=params, opt=opt)
    assert_same_trajectory(resumed[minitorch][0], resumed[torch][0])
    assert_same_state_dict(resumed[minitorch][1], resumed[torch][1])


@pytest.mark.parametrize("name", sorted(MLP))
def test_defaults_and_param_groups_layout_match_torch(name):
    mt = getattr(minitorch.optim, name)(make_params(minitorch))
    th = getattr(torch.optim, name)(make_params(torch))
    assert mt.defaults == th.defaults
    assert mt.state_dict() == {"state": {}, "param_groups": th.state_dict()["param_groups"]}


@pytest.mark.parametrize("name", sorted(MLP))
def test_parameter_without_grad_gets_no_state_and_closure_returns_the_loss(name):
    w, b, c = make_params(minitorch)
    opt = getattr(minitorch.optim, name)([w, b, c])

    def closure():
        opt.zero_grad()
        loss = (w ** 2).sum() + (c * 3).sum()
        loss.backward()
        return loss
    loss = opt.step(closure)
    assert float(loss) == float((minitorch.tensor(initial_arrays()[0]) ** 2).sum() + 3 * initial_arrays()[2].sum())
    assert sorted(opt.state_dict()["state"]) == [0, 2]
    assert np.array_equal(b._data, initial_arrays()[1])


def test_sparse_adam_is_built_like_torch_and_refuses_dense_gradients():
    mt_params, th_params = make_params(minitorch), make_params(torch)
    mt = minitorch.optim.SparseAdam([{"params": mt_params[:2]}, {"params": mt_params[2:], "lr": 0.1}],
                                    betas=(0.8, 0.99), maximize=True)
    th = torch.optim.SparseAdam([{"params": th_params[:2]}, {"params": th_params[2:], "lr": 0.1}],
                                betas=(0.8, 0.99), maximize=True)
    assert mt.state_dict() == {"state": {}, "param_groups": th.state_dict()["param_groups"]}
    assert mt.step() is None and th.step() is None  # no gradients: nothing to refuse
    for lib, params, opt in ((torch, th_params, th), (minitorch, mt_params, mt)):
        objective_sum = sum((p ** 2).sum() for p in params)
        objective_sum.backward()
    with pytest.raises(RuntimeError) as th_err:
        th.step()
    with pytest.raises(RuntimeError) as mt_err:
        mt.step()
    assert str(mt_err.value) == str(th_err.value) == \
        "SparseAdam does not support dense gradients, please consider Adam instead"
    assert mt.state_dict()["state"] == {} and np.array_equal(mt_params[0]._data, initial_arrays()[0])


BAD = [
    ("Adadelta", dict(lr=-1.0)), ("Adadelta", dict(rho=1.5)), ("Adadelta", dict(rho=-0.1)),
    ("Adadelta", dict(eps=-1e-6)), ("Adadelta", dict(weight_decay=-0.1)),
    ("Adamax", dict(lr=-1.0)), ("Adamax", dict(eps=-1.0)), ("Adamax", dict(betas=(1.0, 0.9))),
    ("Adamax", dict(betas=(0.9, -0.1))), ("Adamax", dict(weight_decay=-1)),
    ("NAdam", dict(lr=-1.0)), ("NAdam", dict(eps=-1.0)), ("NAdam", dict(betas=(0.9, 1.0))),
    ("NAdam", dict(weight_decay=-1)), ("NAdam", dict(momentum_decay=-1e-3)),
    ("RAdam", dict(lr=-1.0)), ("RAdam", dict(eps=-1.0)), ("RAdam", dict(betas=(-0.5, 0.9))),
    ("RAdam", dict(weight_decay=-1)),
    ("ASGD", dict(lr=-1.0)), ("ASGD", dict(weight_decay=-1)),
    ("Rprop", dict(lr=-1.0)), ("Rprop", dict(etas=(1.2, 0.5))), ("Rprop", dict(etas=(0.0, 1.2))),
    ("Rprop", dict(etas=(0.5, 1.0))),
    ("SparseAdam", dict(lr=0.0)), ("SparseAdam", dict(eps=0.0)), ("SparseAdam", dict(betas=(0.9, 1.0))),
    ("SparseAdam", dict(betas=(1.5, 0.9))),
    ("Adafactor", dict(lr=-1.0)), ("Adafactor", dict(beta2_decay=0.5)), ("Adafactor", dict(eps=(-1.0, 1e-3))),
    ("Adafactor", dict(eps=(None, -1e-3))), ("Adafactor", dict(d=0.5)), ("Adafactor", dict(weight_decay=-0.1)),
]


@pytest.mark.parametrize("name,kwargs", BAD, ids=[f"{n}-{k}" for n, k in BAD])
def test_bad_options_raise_like_torch(name, kwargs):
    with pytest.raises(Exception) as th:
        getattr(torch.optim, name)(make_params(torch), **kwargs)
    with pytest.raises(type(th.value)) as mt:
        getattr(minitorch.optim, name)(make_params(minitorch), **kwargs)
    assert str(mt.value) == str(th.value)


@pytest.mark.parametrize("name", sorted(set(MLP) - {"Adafactor"}))
def test_cuda_only_flags_are_refused_and_foreach_is_accepted(name):
    params = make_params(minitorch)
    opt = getattr(minitorch.optim, name)(params, foreach=True)
    assert opt.param_groups[0]["foreach"] is True
    for flag in ("capturable", "differentiable"):
        with pytest.raises(RuntimeError, match=f"`{flag}=True`"):
            getattr(minitorch.optim, name)(params, **{flag: True})


def test_adafactor_factors_matrices_only():
    _, opt = run(minitorch, "Adafactor", dict(lr=1e-2), steps=2)
    state = opt.state_dict()["state"]
    assert sorted(state[1]) == ["col_var", "row_var", "step"] and sorted(state[0]) == ["step", "variance"]
    assert state[1]["row_var"].shape == (3, 1) and state[1]["col_var"].shape == (1, 4)
    bad = opt.state_dict()
    bad["state"][1] = dict(bad["state"][1], row_var=minitorch.zeros(1, 4, dtype=minitorch.float64))
    with pytest.raises(ValueError, match="loaded state 'row_var' of parameter 1 has shape \\[1, 4\\], but it should "
                                         "have shape \\[3, 1\\]"):
        minitorch.optim.Adafactor(make_params(minitorch)).load_state_dict(bad)


def test_load_state_dict_of_another_optimizer_is_refused():
    _, adam = run(minitorch, "Adamax", dict(lr=1e-2), steps=2)
    _, rprop = run(minitorch, "Rprop", dict(lr=1e-2), steps=2)
    with pytest.raises(ValueError, match="not from a Rprop optimizer"):
        minitorch.optim.Rprop(make_params(minitorch)).load_state_dict(adam.state_dict())
    with pytest.raises(ValueError, match="not from a NAdam optimizer"):
        minitorch.optim.NAdam(make_params(minitorch)).load_state_dict(rprop.state_dict())
