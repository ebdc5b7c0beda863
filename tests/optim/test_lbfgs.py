"""LBFGS against torch.optim.LBFGS: float64 trajectories driven by ``step(closure)`` with and without the
strong-Wolfe line search, the state dict (history lists, counters, step length) in torch's layout loaded in
both directions, and errors; ``_cubic_interpolate`` against torch's."""
from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from torch.optim.lbfgs import _cubic_interpolate as torch_cubic

import minitorch
from minitorch.optim.lbfgs import _cubic_interpolate
from tests.optim.test_optimizers import as_np, assert_same_trajectory, initial_arrays, make_params, objective
from tests.optim.test_optimizers_extra import to_torch_state_dict


def make_closure(lib, opt, params, sign=1.0, unused=None):
    def closure():
        opt.zero_grad()
        loss = sign * objective(lib, *params)
        loss.backward()
        return loss
    return closure


def run(lib, kwargs, steps, params=None, opt=None, sign=1.0, extra=None):
    """``steps`` calls of ``opt.step(closure)``; ``extra`` parameters take part without ever getting a gradient."""
    params = make_params(lib) if params is None else params
    if opt is None:
        opt = lib.optim.LBFGS(params + (extra or []), **kwargs)
    closure = make_closure(lib, opt, params, sign)
    losses = [opt.step(closure).item() for _ in range(steps)]
    return params, opt, losses


def assert_same_state(mt_opt, th_opt, tol=1e-10):
    """Same keys; counters equal; tensors (or lists of them) as minitorch tensors close to torch's; floats close."""
    a, b = mt_opt.state_dict(), th_opt.state_dict()
    assert a["param_groups"] == b["param_groups"]
    assert a["state"].keys() == b["state"].keys() == {0}
    sa, sb = a["state"][0], b["state"][0]
    assert sa.keys() == sb.keys()

    def same(x, y, where):
        if isinstance(y, torch.Tensor):
            assert isinstance(x, minitorch.Tensor) and x.shape == tuple(y.shape), f"{where}: {x!r}"
            assert x.dtype.name == str(y.dtype).replace("torch.", ""), where
            np.testing.assert_allclose(as_np(x), as_np(y), rtol=tol, atol=tol, err_msg=where)
        elif isinstance(y, list):
            assert isinstance(x, list) and len(x) == len(y), where
            for i, (u, v) in enumerate(zip(x, y)):
                same(u, v, f"{where}[{i}]")
        elif isinstance(y, float):
            assert type(x) is float and abs(x - y) <= tol * max(1.0, abs(y)), f"{where}: {x} vs {y}"
        else:
            assert type(x) is type(y) and x == y, f"{where}: {x!r} vs {y!r}"
    for key in sb:
        same(sa[key], sb[key], key)


def state_gap(a_opt, b_opt) -> float:
    """The largest absolute difference between two torch LBFGS states' tensors (torch's own sensitivity)."""
    sa, sb = a_opt.state_dict()["state"][0], b_opt.state_dict()["state"][0]
    flat = [(sa[k], sb[k]) for k in sb if isinstance(sb[k], torch.Tensor)]
    flat += [pair for k in sb if isinstance(sb[k], list) for pair in zip(sa[k], sb[k])]
    return max((float((x - y).abs().max()) for x, y in flat if x is not None and x.numel()), default=0.0)


CASES = {  # step counts keep each run well-conditioned (see the guard below) on the nonconvex objective
    "default": (dict(), 1),
    "one-iteration-per-step": (dict(max_iter=1), 20),
    "short-history": (dict(max_iter=3, history_size=2, lr=0.5), 15),
    "lr-0.1": (dict(lr=0.1, max_iter=7), 4),
    "strong_wolfe": (dict(line_search_fn="strong_wolfe"), 1),
    "strong_wolfe-short": (dict(line_search_fn="strong_wolfe", max_iter=4, history_size=2, lr=0.5), 10),
    "strong_wolfe-one-iteration": (dict(line_search_fn="strong_wolfe", max_iter=1, max_eval=4), 16),
    "strong_wolfe-max_eval": (dict(line_search_fn="strong_wolfe", max_iter=10, max_eval=6, history_size=5), 10),
    "tolerance_change-stops-early": (dict(tolerance_change=1e-3, max_iter=30), 1),
    "tolerance_grad-stops-at-once": (dict(tolerance_grad=100.0), 3),
    "maximize": (dict(max_iter=4, history_size=3, maximize=True), 5),
    "maximize-strong_wolfe": (dict(line_search_fn="strong_wolfe", max_iter=5, maximize=True), 7),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_trajectory_matches_torch(name):
    """Parameters, losses and state agree with torch to 1e-10 (torch itself, started 1e-15 away, stays within
    1e-11: the configuration is well-conditioned, so last-bit differences cannot legitimately grow further).
    The history differences (``old_dirs``: y = g_k+1 - g_k) cancel, so torch's own state moves by up to ~1e-10
    from that 1e-15 nudge; the state is held to 1e-10 or ten times torch's own movement, whichever is larger."""
    kwargs, steps = CASES[name]
    sign = -1.0 if kwargs.get("maximize") else 1.0
    mt_params, mt_opt, mt_losses = run(minitorch, kwargs, steps, sign=sign)
    th_params, th_opt, th_losses = run(torch, kwargs, steps, sign=sign)
    nudged, nudged_opt, _ = run(torch, kwargs, steps, sign=sign,
                       params=make_params(torch, [a * (1 + 1e-15) for a in initial_arrays()]))
    assert_same_trajectory(nudged, th_params, tol=1e-11)
    assert_same_trajectory(mt_params, th_params)
    np.testing.assert_allclose(mt_losses, th_losses, rtol=1e-10, atol=1e-10)
    assert_same_state(mt_opt, th_opt, tol=max(1e-10, 10 * state_gap(nudged_opt, th_opt)))
    if "stops" not in name:
        gain = sign * objective(torch, *th_params).item() - th_losses[0]
        assert (gain if kwargs.get("maximize") else -gain) > 1.0, "the run should make progress"


def test_a_parameter_without_gradient_counts_as_zero():
    def go(lib):
        extra = [lib.zeros(3, dtype=lib.float64, requires_grad=True)]
        params, opt, losses = run(lib, dict(max_iter=4), 5, extra=extra)
        return params + extra, opt, losses
    mt_params, mt_opt, _ = go(minitorch)
    th_params, th_opt, _ = go(torch)
    assert_same_trajectory(mt_params, th_params)
    assert mt_opt.state_dict()["state"][0]["d"].shape == (24,)
    assert_same_state(mt_opt, th_opt)


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
@pytest.mark.parametrize("source", ["torch", "minitorch"])
def test_state_dict_loads_across_and_continues(line_search_fn, source):
    """After 2 steps, the state dict of one library loads into LBFGS of each library (over the same parameter
    values, after a deep copy: torch keeps tensors of matching dtype as they are); both continue alike."""
    kwargs = dict(max_iter=4, history_size=3, line_search_fn=line_search_fn)
    src_params, src_opt, _ = run(torch if source == "torch" else minitorch, kwargs, 2)
    saved = src_opt.state_dict()
    resumed = {}
    for lib in (torch, minitorch):
        params = make_params(lib, [as_np(p).copy() for p in src_params])
        opt = lib.optim.LBFGS(params, **dict(kwargs, lr=123.0))
        opt.load_state_dict(to_torch_state_dict(saved) if lib is torch and source == "minitorch"
                            else copy.deepcopy(saved))
        assert opt.param_groups[0]["lr"] == 1
        resumed[lib] = run(lib, kwargs, 3, params=params, opt=opt)
    assert_same_trajectory(resumed[minitorch][0], resumed[torch][0])
    assert_same_state(resumed[minitorch][1], resumed[torch][1])


def test_loaded_state_is_a_copy():
    _, opt, _ = run(minitorch, dict(max_iter=3), 2)
    other = minitorch.optim.LBFGS(make_params(minitorch), max_iter=3)
    other.load_state_dict(opt.state_dict())
    other.state_dict()["state"][0]["old_dirs"][0]._data += 1
    assert not np.array_equal(opt.state_dict()["state"][0]["old_dirs"][0]._data,
                              other.state_dict()["state"][0]["old_dirs"][0]._data)


def test_step_returns_the_first_loss_and_counts_evaluations():
    params = make_params(minitorch)
    opt = minitorch.optim.LBFGS(params, max_iter=5)
    calls = []
    closure = make_closure(minitorch, opt, params)

    def counting():
        calls.append(1)
        return closure()
    first = float(objective(minitorch, *params))
    assert opt.step(counting).item() == first
    assert len(calls) == opt.state_dict()["state"][0]["func_evals"] == 5
    assert opt.state_dict()["state"][0]["n_iter"] == 5


def test_defaults_match_torch():
    mt, th = minitorch.optim.LBFGS(make_params(minitorch)), torch.optim.LBFGS(make_params(torch))
    assert mt.defaults == th.defaults and mt.defaults["max_eval"] == 25
    assert mt.state_dict() == {"state": {}, "param_groups": th.state_dict()["param_groups"]}


BAD = [
    lambda lib, p: lib.optim.LBFGS(p, lr=-1.0),
    lambda lib, p: lib.optim.LBFGS([{"params": p[:1]}, {"params": p[1:]}]),
    lambda lib, p: lib.optim.LBFGS([]),
]


@pytest.mark.parametrize("i", range(len(BAD)))
def test_bad_arguments_raise_like_torch(i):
    with pytest.raises(Exception) as th:
        BAD[i](torch, make_params(torch))
    with pytest.raises(type(th.value)) as mt:
        BAD[i](minitorch, make_params(minitorch))
    assert str(mt.value) == str(th.value)


def test_unknown_line_search_raises_like_torch():
    for lib in (torch, minitorch):
        params = make_params(lib)
        opt = lib.optim.LBFGS(params, line_search_fn="armijo")
        with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
            opt.step(make_closure(lib, opt, params))


def test_cubic_interpolate_matches_torch():
    rng = np.random.default_rng(3)
    for _ in range(200):
        x1, x2 = rng.uniform(-2, 2, 2)
        f1, f2, g1, g2 = rng.normal(size=4)
        bounds = None if rng.random() < 0.5 else tuple(sorted(rng.uniform(-3, 3, 2)))
        ours = _cubic_interpolate(x1, f1, np.float64(g1), x2, f2, np.float64(g2), bounds)
        theirs = torch_cubic(x1, f1, torch.tensor(g1, dtype=torch.float64), x2, f2,
                             torch.tensor(g2, dtype=torch.float64), bounds)
        assert abs(float(ours) - float(theirs)) <= 1e-12 * max(1.0, abs(float(theirs)))
