"""Optimisers against torch.optim: 50-step trajectories on a nonconvex loss, state_dict layout, errors."""
from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
import torch

import minitorch

STEPS = 50
TOL = 1e-10


def initial_arrays() -> list[np.ndarray]:
    rng = np.random.default_rng(1234)
    return [rng.uniform(-1.2, 1.2, 5), rng.normal(0, 0.7, (3, 4)), rng.normal(0, 0.7, 4)]


def objective(lib, w, b, c):
    """Rosenbrock-like valley in w, plus sin and bilinear couplings between b and c (nonconvex)."""
    valley = (10 * (w[1:] - w[:-1] ** 2) ** 2 + (1 - w[:-1]) ** 2).sum()
    wave = (lib.sin(3 * b) * c).sum() + 0.5 * ((b @ c) ** 2).sum() + 0.1 * (c ** 2).sum()
    return valley + wave + (lib.cos(2 * w[0] * c)).sum()


def make_params(lib, arrays=None):
    arrays = initial_arrays() if arrays is None else arrays
    if lib is torch:
        return [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    return [minitorch.nn.Parameter(minitorch.tensor(a, dtype=minitorch.float64)) for a in arrays]


def run(lib, name, kwargs, steps=STEPS, groups=None, params=None, opt=None, sign=1.0):
    """``steps`` steps of optimiser ``name``; ``sign=-1`` feeds -loss (for ``maximize=True``)."""
    params = make_params(lib) if params is None else params
    if opt is None:
        target = params if groups is None else [dict(g, params=[params[i] for i in g["params"]]) for g in groups]
        opt = getattr(lib.optim, name)(target, **kwargs)
    for _ in range(steps):
        opt.zero_grad()
        (sign * objective(lib, *params)).backward()
        opt.step()
    return params, opt


def as_np(t):
    return t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t._data)


def assert_same_trajectory(mt_params, th_params, tol=TOL):
    for i, (a, b) in enumerate(zip(mt_params, th_params)):
        diff = np.max(np.abs(as_np(a) - as_np(b)))
        assert diff <= tol, f"parameter {i}: max abs difference {diff:.3e} > {tol}"


def assert_same_state_dict(mt_opt, th_opt, tol=TOL):
    """Same groups and per-parameter state (keys, dtypes, values to ``tol`` absolute or relative: sums of
    squared gradients grow large)."""
    a, b = mt_opt.state_dict(), th_opt.state_dict()
    assert a["param_groups"] == b["param_groups"]
    assert a["state"].keys() == b["state"].keys()
    for k in b["state"]:
        assert a["state"][k].keys() == b["state"][k].keys(), f"state {k}"
        for key, tv in b["state"][k].items():
            mv = a["state"][k][key]
            assert isinstance(mv, minitorch.Tensor), f"state {k}[{key}] is {type(mv)}"
            assert mv.dtype.name == str(tv.dtype).replace("torch.", ""), f"state {k}[{key}] dtype"
            np.testing.assert_allclose(as_np(mv), as_np(tv), rtol=tol, atol=tol, err_msg=f"state {k}[{key}]")


def grid(**options):
    keys = list(options)
    return [dict(zip(keys, values)) for values in itertools.product(*options.values())]


def _sgd_valid(o):
    return not o["nesterov"] or (o["momentum"] > 0 and o["dampening"] == 0)


CASES = (
    [("SGD", dict(lr=2e-3, **o)) for o in grid(momentum=[0, 0.9], dampening=[0, 0.3], weight_decay=[0, 0.1],
                                                nesterov=[False, True], maximize=[False, True]) if _sgd_valid(o)]
    + [(name, dict(lr=2e-2, **o)) for name in ("Adam", "AdamW")
       for o in grid(weight_decay=[0, 0.1], amsgrad=[False, True], maximize=[False, True],
                     betas=[(0.9, 0.999), (0.8, 0.9)])]
    + [("RMSprop", dict(lr=1e-3, **o)) for o in grid(weight_decay=[0, 0.1], momentum=[0, 0.5], centered=[False, True],
                                                     maximize=[False, True], alpha=[0.99, 0.9])]
    + [("Adagrad", dict(lr=5e-2, **o)) for o in grid(lr_decay=[0, 0.01], weight_decay=[0, 0.1],
                                                     initial_accumulator_value=[0, 0.1], maximize=[False, True])]
)


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_trajectory_matches_torch(name, kwargs):
    """50 steps agree to 1e-10. torch's CPU kernels fuse multiply-adds, so single steps already differ
    in the last bit; the guard below checks that the configuration is well-conditioned (torch itself,
    started 1e-15 away, stays within 1e-11), otherwise last-bit noise could legitimately grow past 1e-10."""
    sign = -1.0 if kwargs.get("maximize") else 1.0
    mt_params, mt_opt = run(minitorch, name, kwargs, sign=sign)
    th_params, th_opt = run(torch, name, kwargs, sign=sign)
    moved = max(np.max(np.abs(as_np(p) - a)) for p, a in zip(th_params, initial_arrays()))
    assert moved > 1e-2, "the parameters should travel for the comparison to mean something"
    nudged_start = make_params(torch, [a * (1 + 1e-15) for a in initial_arrays()])
    nudged, _ = run(torch, name, kwargs, sign=sign, params=nudged_start)
    assert_same_trajectory(nudged, th_params, tol=1e-11)
    assert_same_trajectory(mt_params, th_params)
    assert_same_state_dict(mt_opt, th_opt)


GROUPS = {
    "SGD": ([{"params": [0], "lr": 1e-3, "momentum": 0.9, "nesterov": True},
             {"params": [1, 2], "momentum": 0.5, "dampening": 0.2, "weight_decay": 0.05}], {"lr": 3e-3}),
    "Adam": ([{"params": [0, 2], "amsgrad": True}, {"params": [1], "lr": 5e-3, "betas": (0.8, 0.95),
                                                    "weight_decay": 0.1}], {"lr": 1e-2}),
    "AdamW": ([{"params": [1]}, {"params": [0, 2], "weight_decay": 0.3, "amsgrad": True}], {"lr": 1e-2}),
    "RMSprop": ([{"params": [0], "centered": True, "momentum": 0.3}, {"params": [1, 2], "alpha": 0.9}], {"lr": 3e-3}),
    "Adagrad": ([{"params": [2, 0], "lr_decay": 0.05}, {"params": [1], "lr": 0.1, "weight_decay": 0.2}], {"lr": 3e-2}),
}


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_param_groups_with_different_options(name):
    groups, defaults = GROUPS[name]
    mt_params, mt_opt = run(minitorch, name, defaults, groups=groups)
    th_params, th_opt = run(torch, name, defaults, groups=groups)
    assert_same_trajectory(mt_params, th_params)
    assert_same_state_dict(mt_opt, th_opt)


def test_add_param_group_later():
    def go(lib):
        w, b, c = make_params(lib)
        opt = lib.optim.SGD([w, c], lr=2e-3, momentum=0.9)
        for step in range(STEPS):
            if step == 20:
                opt.add_param_group({"params": b, "lr": 1e-3})
            opt.zero_grad()
            objective(lib, w, b, c).backward()
            opt.step()
        return [w, b, c], opt
    (mt_params, mt_opt), (th_params, th_opt) = go(minitorch), go(torch)
    assert_same_trajectory(mt_params, th_params)
    assert_same_state_dict(mt_opt, th_opt)


@pytest.mark.parametrize("set_to_none", [True, False])
@pytest.mark.parametrize("name,kwargs", [("SGD", dict(lr=2e-3, momentum=0.9, weight_decay=0.1)),
                                         ("Adam", dict(lr=1e-2, weight_decay=0.1)),
                                         ("RMSprop", dict(lr=1e-3, momentum=0.5)),
                                         ("Adagrad", dict(lr=1e-2, weight_decay=0.1))])
def test_zero_grad_none_skips_but_zero_steps(name, kwargs, set_to_none):
    """A parameter whose grad is None is skipped; one whose grad is zero still steps (decay, momentum)."""
    def go(lib):
        w, b, c = make_params(lib)
        extra = make_params(lib, [np.linspace(-1, 1, 6)])[0]
        opt = getattr(lib.optim, name)([w, b, c, extra], **kwargs)
        for step in range(STEPS):
            opt.zero_grad(set_to_none=set_to_none)
            loss = objective(lib, w, b, c)
            if step % 3 == 0:
                loss = loss + (extra ** 2).sum()
            loss.backward()
            opt.step()
        return [w, b, c, extra], opt
    (mt_params, mt_opt), (th_params, th_opt) = go(minitorch), go(torch)
    assert_same_trajectory(mt_params, th_params)
    assert_same_state_dict(mt_opt, th_opt)
    mt_opt.zero_grad(set_to_none=set_to_none)
    th_opt.zero_grad(set_to_none=set_to_none)
    for p, q in zip(mt_params, th_params):
        assert (p.grad is None) == (q.grad is None) == set_to_none
        if not set_to_none:
            assert not p.grad.requires_grad and not np.any(p.grad._data)


def test_zero_grad_keeps_the_same_grad_tensor_when_zeroing():
    (w,) = make_params(minitorch, [np.ones(3)])
    opt = minitorch.optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    grad = w.grad
    opt.zero_grad(set_to_none=False)
    assert w.grad is grad and np.all(grad._data == 0)
    opt.zero_grad()
    assert w.grad is None


def test_parameter_without_grad_gets_no_state():
    (w, unused), = [make_params(minitorch, [np.ones(3), np.ones(2)])]
    opt = minitorch.optim.Adam([w, unused], lr=0.1)
    (w * w).sum().backward()
    opt.step()
    assert list(opt.state_dict()["state"]) == [0]
    np.testing.assert_array_equal(unused._data, np.ones(2))


@pytest.mark.parametrize("name,kwargs", [("SGD", dict(lr=2e-3, momentum=0.9)), ("Adam", dict(lr=1e-2, amsgrad=True)),
                                         ("RMSprop", dict(lr=1e-3, centered=True)), ("Adagrad", dict(lr=1e-2))])
def test_closure(name, kwargs):
    """``step(closure)`` evaluates the closure with grad enabled (even inside no_grad) and returns its loss."""
    def go(lib):
        params = make_params(lib)
        opt = getattr(lib.optim, name)(params, **kwargs)

        def closure():
            opt.zero_grad()
            loss = objective(lib, *params)
            loss.backward()
            return loss
        losses = []
        for _ in range(STEPS):
            with lib.no_grad():
                losses.append(float(opt.step(closure)))
        return params, losses
    (mt_params, mt_losses), (th_params, th_losses) = go(minitorch), go(torch)
    assert_same_trajectory(mt_params, th_params)
    np.testing.assert_allclose(mt_losses, th_losses, rtol=0, atol=TOL)
    assert mt_losses[-1] < mt_losses[0]


def test_step_bumps_the_parameter_version():
    (w,) = make_params(minitorch, [np.ones(3)])
    opt = minitorch.optim.SGD([w], lr=0.1)
    y = (w * w).sum()
    y.backward(retain_graph=True)
    before = w._version
    opt.step()
    assert w._version > before
    with pytest.raises(RuntimeError):
        y.backward()


RESUME = [("SGD", dict(lr=2e-3, momentum=0.9, nesterov=True)), ("Adam", dict(lr=1e-2, amsgrad=True)),
          ("AdamW", dict(lr=1e-2)), ("RMSprop", dict(lr=3e-3, momentum=0.5, centered=True)),
          ("Adagrad", dict(lr=5e-2, lr_decay=0.01))]


@pytest.mark.parametrize("name,kwargs", RESUME)
def test_state_dict_save_load_resumes_exactly(name, kwargs, tmp_path):
    full, _ = run(minitorch, name, kwargs, steps=STEPS)
    first, opt = run(minitorch, name, kwargs, steps=20)
    path = tmp_path / "opt.pt"
    minitorch.save(opt.state_dict(), path)
    params = make_params(minitorch, [p._data.copy() for p in first])
    resumed = getattr(minitorch.optim, name)(params, **dict(kwargs, lr=123.0))
    resumed.load_state_dict(minitorch.load(path))
    assert resumed.param_groups[0]["lr"] == kwargs["lr"]
    run(minitorch, name, kwargs, steps=STEPS - 20, params=params, opt=resumed)
    for a, b in zip(params, full):
        np.testing.assert_array_equal(a._data, b._data)


@pytest.mark.parametrize("name,kwargs", RESUME)
def test_load_torch_state_dict_and_continue(name, kwargs):
    """torch's optimiser state_dict (torch tensors, same layout) loads and the run continues identically."""
    th_params, th_opt = run(torch, name, kwargs, steps=20)
    mt_params = make_params(minitorch, [as_np(p).copy() for p in th_params])
    mt_opt = getattr(minitorch.optim, name)(mt_params, **kwargs)
    mt_opt.load_state_dict(th_opt.state_dict())
    run(torch, name, kwargs, steps=STEPS - 20, params=th_params, opt=th_opt)
    run(minitorch, name, kwargs, steps=STEPS - 20, params=mt_params, opt=mt_opt)
    assert_same_trajectory(mt_params, th_params)
    assert_same_state_dict(mt_opt, th_opt)


def test_loaded_state_is_a_copy():
    _, opt = run(minitorch, "Adam", dict(lr=1e-2), steps=3)
    other = minitorch.optim.Adam(make_params(minitorch), lr=1e-2)
    other.load_state_dict(opt.state_dict())
    other.state_dict()["state"][0]["exp_avg"]._data += 1
    assert not np.array_equal(opt.state_dict()["state"][0]["exp_avg"]._data,
                              other.state_dict()["state"][0]["exp_avg"]._data)


def tutorial_adam(params, lr, betas=(0.9, 0.999), eps=1e-8, steps=STEPS):
    """The seed tutorial's Adam: no bias correction of the moments."""
    m = [np.zeros_like(p._data) for p in params]
    v = [np.zeros_like(p._data) for p in params]
    first_moves = None
    for step in range(steps):
        for p in params:
            p.grad = None
        objective(minitorch, *params).backward()
        with minitorch.no_grad():
            before = [p._data.copy() for p in params]
            for p, mi, vi in zip(params, m, v):
                g = p.grad._data
                mi[...] = betas[0] * mi + (1 - betas[0]) * g
                vi[...] = betas[1] * vi + (1 - betas[1]) * g * g
                p._data -= lr * mi / (np.sqrt(vi) + eps)
            if step == 0:
                first_moves = [np.abs(p._data - b) for p, b in zip(params, before)]
    return first_moves


def test_adam_has_bias_correction_unlike_the_tutorial():
    lr = 1e-3
    tutorial_params = make_params(minitorch)
    tutorial_first = tutorial_adam(tutorial_params, lr)
    ours, _ = run(minitorch, "Adam", dict(lr=lr), steps=1)
    first = [np.abs(p._data - a) for p, a in zip(ours, initial_arrays())]
    # Step 1: ours moves every coordinate by lr (m/sqrt(v) = sign(g)); the tutorial by lr*(1-b1)/sqrt(1-b2).
    np.testing.assert_allclose(np.concatenate([f.ravel() for f in first]), lr, rtol=1e-5)
    np.testing.assert_allclose(np.concatenate([f.ravel() for f in tutorial_first]), lr * 0.1 / np.sqrt(0.001),
                               rtol=1e-5)
    ours, _ = run(minitorch, "Adam", dict(lr=lr))
    theirs, _ = run(torch, "Adam", dict(lr=lr))
    assert_same_trajectory(ours, theirs)
    gap = max(np.max(np.abs(a._data - b._data)) for a, b in zip(ours, tutorial_params))
    assert gap > 1e-2, f"the uncorrected Adam should drift far from torch's, gap {gap}"


def test_repr_lists_group_options():
    text = repr(minitorch.optim.SGD(make_params(minitorch), lr=0.5, momentum=0.9))
    assert text == repr(torch.optim.SGD(make_params(torch), lr=0.5, momentum=0.9))


def test_named_parameters_are_recorded():
    mt = minitorch.optim.SGD(list(zip("wbc", make_params(minitorch))), lr=0.1)
    th = torch.optim.SGD(list(zip("wbc", make_params(torch))), lr=0.1)
    assert mt.state_dict()["param_groups"] == th.state_dict()["param_groups"]


# ---------------------------------------------------------------------------------------------- bad input
def same_error(build):
    """``build(lib)`` raises the same exception type with the same message in minitorch and torch."""
    with pytest.raises(Exception) as th:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            build(torch)
    with pytest.raises(type(th.value)) as mt:
        build(minitorch)
    assert str(mt.value) == str(th.value)


BAD_OPTIONS = [
    ("SGD", dict(lr=-0.1)), ("SGD", dict(momentum=-0.5)), ("SGD", dict(weight_decay=-1)),
    ("SGD", dict(nesterov=True)), ("SGD", dict(nesterov=True, momentum=0.9, dampening=0.1)),
    ("Adam", dict(lr=-1e-3)), ("Adam", dict(eps=-1.0)), ("Adam", dict(betas=(1.0, 0.999))),
    ("Adam", dict(betas=(0.9, -0.1))), ("Adam", dict(weight_decay=-0.1)), ("Adam", dict(betas=(0, 0.999))),
    ("AdamW", dict(betas=(0.9, 1.0))), ("AdamW", dict(lr=-1.0)),
    ("RMSprop", dict(lr=-1.0)), ("RMSprop", dict(alpha=-0.5)), ("RMSprop", dict(momentum=-1)),
    ("RMSprop", dict(eps=-1e-8)), ("RMSprop", dict(weight_decay=-1)),
    ("Adagrad", dict(lr=-1.0)), ("Adagrad", dict(lr_decay=-1)), ("Adagrad", dict(initial_accumulator_value=-1)),
    ("Adagrad", dict(eps=-1.0)), ("Adagrad", dict(weight_decay=-1)),
]


@pytest.mark.parametrize("name,kwargs", BAD_OPTIONS, ids=[f"{n}-{k}" for n, k in BAD_OPTIONS])
def test_bad_options_raise_like_torch(name, kwargs):
    same_error(lambda lib: getattr(lib.optim, name)(make_params(lib), **kwargs))


def test_bad_parameter_lists_raise_like_torch():
    same_error(lambda lib: lib.optim.SGD([], lr=0.1))
    same_error(lambda lib: lib.optim.Adam([{"params": make_params(lib)[:1]}, {"lr": 0.1}]))
    same_error(lambda lib: lib.optim.SGD([make_params(lib)[0] * 2], lr=0.1))
    same_error(lambda lib: lib.optim.SGD([{"params": set(make_params(lib)[:1])}], lr=0.1))
    same_error(lambda lib: lib.optim.SGD([1.0], lr=0.1))
    same_error(lambda lib: lib.optim.SGD([[make_params(lib)[0]]], lr=0.1))

    def two_groups(lib):
        w = make_params(lib)[0]
        return lib.optim.SGD([{"params": [w]}, {"params": [w], "lr": 0.5}], lr=0.1)
    same_error(two_groups)


def test_errors_torch_lacks():
    w, b, c = make_params(minitorch)
    with pytest.raises(TypeError, match="params argument given to the optimizer should be an iterable of Tensors"):
        minitorch.optim.SGD(w, lr=0.1)
    with pytest.raises(ValueError, match="duplicate parameters: parameter 2 is the same tensor as parameter 0"):
        minitorch.optim.SGD([w, b, w], lr=0.1)
    with pytest.raises(ValueError, match="floating point Tensors, but parameter 0 of the group has dtype "
                                         "minitorch.int64"):
        minitorch.optim.Adam([minitorch.arange(3)])
    with pytest.raises(TypeError, match="learning rate must be a real number"):
        minitorch.optim.SGD([w], lr="0.1")
    with pytest.raises(RuntimeError, match="fused=True"):
        minitorch.optim.Adam([w], fused=True)
    with pytest.raises(RuntimeError, match="differentiable=True"):
        minitorch.optim.SGD([w], differentiable=True)


def test_load_state_dict_mismatches():
    params = make_params(minitorch)
    _, sgd = run(minitorch, "SGD", dict(lr=1e-3, momentum=0.9), steps=2)
    _, adam = run(minitorch, "Adam", dict(lr=1e-3), steps=2)
    with pytest.raises(ValueError, match="not from a Adam optimizer: parameter group 0 has no"):
        minitorch.optim.Adam(params).load_state_dict(sgd.state_dict())
    with pytest.raises(ValueError, match="not from a SGD optimizer: parameter group 0 has no"):
        minitorch.optim.SGD(params).load_state_dict(adam.state_dict())
    _, rms = run(minitorch, "RMSprop", dict(lr=1e-3, momentum=0.1), steps=2)
    with pytest.raises(ValueError, match="not from a RMSprop optimizer|not from a SGD optimizer"):
        minitorch.optim.SGD(params, momentum=0.5).load_state_dict(
            {"state": rms.state_dict()["state"], "param_groups": sgd.state_dict()["param_groups"]})
    with pytest.raises(ValueError, match="loaded state dict has a different number of parameter groups"):
        minitorch.optim.Adam([{"params": params[:1]}, {"params": params[1:]}]).load_state_dict(adam.state_dict())
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        minitorch.optim.Adam(params[:2]).load_state_dict(adam.state_dict())
    shuffled = [params[1], params[0], params[2]]
    with pytest.raises(ValueError, match="loaded state 'exp_avg' of parameter 0 has shape"):
        minitorch.optim.Adam(shuffled).load_state_dict(adam.state_dict())


@pytest.mark.parametrize("kwargs", [{}, {"amsgrad": True}, {"weight_decay": 0.1}, {"maximize": True}])
@pytest.mark.parametrize("name", ["Adam", "AdamW"])
@pytest.mark.parametrize("dtype, layout", [("float32", "C"), ("float64", "C"), ("float32", "F")])
def test_large_parameters_updated_slice_by_slice(name, kwargs, dtype, layout, monkeypatch):
    """A parameter larger than one cache slice (optimizer._in_cache_chunks: 32,768 float32 values), with a
    partial last slice, gets bit for bit the update of the whole-array passes, and follows torch; an
    F-ordered parameter is updated whole."""
    rng = np.random.default_rng(7)
    shape = (301, 233)  # 70,133 values: two full float32 slices and a partial one
    start = rng.normal(0, 1, shape).astype(dtype)
    grads = [rng.normal(0, 1, shape).astype(dtype) for _ in range(4)]

    def minitorch_run():
        p = minitorch.nn.Parameter(minitorch.tensor(start))
        if layout == "F":
            p._data = np.asfortranarray(p._data)
        opt = getattr(minitorch.optim, name)([p], lr=0.01, **kwargs)
        for g in grads:
            p.grad = minitorch.tensor(g)
            opt.step()
        return as_np(p), as_np(opt.state[p]["exp_avg_sq"])

    sliced = minitorch_run()
    monkeypatch.setattr(minitorch.optim.optimizer, "_CHUNK_BYTES", 1 << 40)
    whole = minitorch_run()
    for a, b in zip(sliced, whole):
        np.testing.assert_array_equal(a, b)
    pt = torch.tensor(start, requires_grad=True)
    ot = getattr(torch.optim, name)([pt], lr=0.01, **kwargs)
    for g in grads:
        pt.grad = torch.tensor(g)
        ot.step()
    tol = 1e-6 if dtype == "float32" else 1e-14
    np.testing.assert_allclose(sliced[0], pt.detach().numpy(), rtol=0, atol=tol)
    np.testing.assert_allclose(sliced[1], ot.state[pt]["exp_avg_sq"].numpy(), rtol=tol, atol=0)
