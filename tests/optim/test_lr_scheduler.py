"""LR schedulers against torch.optim.lr_scheduler: the lr (and momentum) sequences over 100 steps."""
from __future__ import annotations

import copy
import math
import warnings

import numpy as np
import pytest
import torch

import minitorch

STEPS = 100


def make_optimizer(lib, name="SGD", lrs=(0.1, 0.05), **kwargs):
    """Two parameter groups with different lrs (the schedulers must treat each group separately)."""
    groups = [{"params": [lib.zeros(2, requires_grad=True)], "lr": lr} for lr in lrs]
    return getattr(lib.optim, name)(groups, **kwargs)


def record(lib, build, steps=STEPS, metrics=None, opt_name="SGD", opt_kwargs=None):
    """lr, momentum/beta1 of each group and get_last_lr() after construction and after every step."""
    opt = make_optimizer(lib, opt_name, **({"momentum": 0.9} if opt_kwargs is None else opt_kwargs))
    sched = build(lib, opt)
    trace = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in range(steps + 1):
            if i:
                opt.step()
                sched.step() if metrics is None else sched.step(metrics[i - 1])
            momenta = [g["betas"][0] if "betas" in g else g.get("momentum") for g in opt.param_groups]
            trace.append(([g["lr"] for g in opt.param_groups], list(sched.get_last_lr()), momenta))
    return trace, sched


def assert_same_trace(a, b):
    assert len(a) == len(b)
    for step, (x, y) in enumerate(zip(a, b)):
        np.testing.assert_allclose(np.array(x, dtype=float), np.array(y, dtype=float), rtol=1e-15, atol=0,
                                   err_msg=f"step {step}")


def lam(epoch):
    return 0.95 ** epoch


def lam_warmup(epoch):
    return min(1.0, (epoch + 1) / 10)


SCHEDULERS = {  # builders take **kw so a test can add ``last_epoch``
    "LambdaLR": lambda lib, o, **kw: lib.optim.lr_scheduler.LambdaLR(o, lam, **kw),
    "LambdaLR-per-group": lambda lib, o, **kw: lib.optim.lr_scheduler.LambdaLR(o, [lam, lam_warmup], **kw),
    "StepLR": lambda lib, o, **kw: lib.optim.lr_scheduler.StepLR(o, step_size=7, gamma=0.5, **kw),
    "MultiStepLR": lambda lib, o, **kw: lib.optim.lr_scheduler.MultiStepLR(o, milestones=[10, 30, 30, 60], gamma=0.3,
                                                                          **kw),
    "ExponentialLR": lambda lib, o, **kw: lib.optim.lr_scheduler.ExponentialLR(o, gamma=0.97, **kw),
    "CosineAnnealingLR": lambda lib, o, **kw: lib.optim.lr_scheduler.CosineAnnealingLR(o, T_max=30, eta_min=1e-3,
                                                                                      **kw),
    "CosineAnnealingLR-no-min": lambda lib, o, **kw: lib.optim.lr_scheduler.CosineAnnealingLR(o, T_max=100, **kw),
    "LinearLR": lambda lib, o, **kw: lib.optim.lr_scheduler.LinearLR(o, **kw),
    "LinearLR-long": lambda lib, o, **kw: lib.optim.lr_scheduler.LinearLR(o, start_factor=0.25, end_factor=0.9,
                                                                           total_iters=40, **kw),
    "OneCycleLR": lambda lib, o, **kw: lib.optim.lr_scheduler.OneCycleLR(o, max_lr=[1.0, 0.4], total_steps=STEPS,
                                                                        **kw),
    "OneCycleLR-linear-3phase": lambda lib, o, **kw: lib.optim.lr_scheduler.OneCycleLR(
        o, max_lr=0.5, epochs=10, steps_per_epoch=10, anneal_strategy="linear", three_phase=True, pct_start=0.25, **kw),
    "OneCycleLR-no-momentum": lambda lib, o, **kw: lib.optim.lr_scheduler.OneCycleLR(
        o, max_lr=0.5, total_steps=120, cycle_momentum=False, div_factor=10.0, final_div_factor=100.0, **kw),
}


@pytest.mark.parametrize("name", sorted(SCHEDULERS))
def test_sequence_matches_torch(name):
    mt, mt_sched = record(minitorch, SCHEDULERS[name])
    th, th_sched = record(torch, SCHEDULERS[name])
    assert_same_trace(mt, th)
    assert len({tuple(lrs) for lrs, _, _ in th}) > 2, "the schedule should change the lr"
    assert mt_sched.state_dict().keys() == th_sched.state_dict().keys()


def test_one_cycle_cycles_adam_beta1():
    build = SCHEDULERS["OneCycleLR"]
    mt, _ = record(minitorch, build, opt_name="Adam", opt_kwargs={})
    th, _ = record(torch, build, opt_name="Adam", opt_kwargs={})
    assert_same_trace(mt, th)


def scripted_metric():
    """Falls, plateaus with noise, falls again, then rises (exercises patience, cooldown, threshold)."""
    i = np.arange(STEPS)
    m = np.where(i < 20, 1.0 / (1 + i), 0.05 + 0.002 * np.sin(i))
    m = np.where((i >= 50) & (i < 70), 0.04 - 0.0005 * (i - 50), m)
    return np.where(i >= 70, 0.03 + 0.001 * (i - 70), m).tolist()


PLATEAU = {
    "default": dict(),
    "min-rel-patience3-cooldown2": dict(patience=3, cooldown=2, factor=0.5),
    "min-abs": dict(threshold_mode="abs", threshold=1e-3, patience=2, factor=0.3, min_lr=[0.01, 0.001]),
    "max-rel": dict(mode="max", patience=4, factor=0.2, min_lr=1e-4),
    "max-abs-eps": dict(mode="max", threshold_mode="abs", patience=1, eps=1e-3),
}


@pytest.mark.parametrize("config", sorted(PLATEAU))
def test_reduce_lr_on_plateau_matches_torch(config):
    metric = scripted_metric()
    if PLATEAU[config].get("mode") == "max":
        metric = [-m for m in metric]

    def build(lib, o):
        return lib.optim.lr_scheduler.ReduceLROnPlateau(o, **PLATEAU[config])
    mt, mt_sched = record(minitorch, build, metrics=metric)
    th, th_sched = record(torch, build, metrics=metric)
    assert_same_trace(mt, th)
    assert mt[-1][0] != mt[0][0], "the lr should have been reduced"
    assert mt_sched.state_dict().keys() == th_sched.state_dict().keys()
    assert mt_sched.num_bad_epochs == th_sched.num_bad_epochs and mt_sched.best == th_sched.best


def test_reduce_lr_on_plateau_accepts_a_tensor_metric():
    opt = make_optimizer(minitorch)
    sched = minitorch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0)
    sched.step(minitorch.tensor(1.0))
    sched.step(minitorch.tensor(2.0))
    assert sched.get_last_lr() == [0.1 * 0.1, 0.05 * 0.1]


def test_chained_schedulers_compose_like_torch():
    def build(lib, o):
        s = lib.optim.lr_scheduler
        first, second = s.StepLR(o, step_size=9, gamma=0.5), s.ExponentialLR(o, gamma=0.99)
        linear = s.LinearLR(o, start_factor=0.5, total_iters=10)

        class Both:
            def step(self):
                first.step()
                second.step()
                linear.step()

            def get_last_lr(self):
                return linear.get_last_lr()
        return Both()
    mt, _ = record(minitorch, build)
    th, _ = record(torch, build)
    assert_same_trace(mt, th)


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR-long",
                                  "LambdaLR", "OneCycleLR"])
def test_resume_with_last_epoch(name):
    """A scheduler rebuilt with ``last_epoch=k`` on the optimiser's saved groups continues like torch's."""
    def go(lib):
        opt = make_optimizer(lib, momentum=0.9)
        sched = SCHEDULERS[name](lib, opt)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(40):
                opt.step()
                sched.step()
            opt2 = make_optimizer(lib, momentum=0.9)
            opt2.load_state_dict(opt.state_dict())
            resumed = SCHEDULERS[name](lib, opt2, last_epoch=39)
            lrs = []
            for _ in range(30):
                opt2.step()
                resumed.step()
                lrs.append(resumed.get_last_lr())
        return lrs
    assert_same_trace(go(minitorch), go(torch))


def test_last_epoch_without_initial_lr_raises_like_torch():
    for lib in (minitorch, torch):
        with pytest.raises(KeyError, match="param 'initial_lr' is not specified in param_groups\\[0\\]"):
            lib.optim.lr_scheduler.StepLR(make_optimizer(lib), step_size=3, last_epoch=5)


@pytest.mark.parametrize("name", ["StepLR", "CosineAnnealingLR", "LinearLR-long", "OneCycleLR", "LambdaLR"])
def test_state_dict_round_trip_resumes(name):
    full, _ = record(minitorch, SCHEDULERS[name], steps=STEPS)
    opt = make_optimizer(minitorch, momentum=0.9)
    sched = SCHEDULERS[name](minitorch, opt)
    for _ in range(45):
        opt.step()
        sched.step()
    saved_opt, saved_sched = copy.deepcopy(opt.state_dict()), copy.deepcopy(sched.state_dict())
    opt2 = make_optimizer(minitorch, momentum=0.9)
    sched2 = SCHEDULERS[name](minitorch, opt2)
    opt2.load_state_dict(saved_opt)
    sched2.load_state_dict(saved_sched)
    for step in range(46, STEPS + 1):
        opt2.step()
        sched2.step()
        assert sched2.get_last_lr() == full[step][1], f"step {step}"


def test_closed_form_step_with_epoch_matches_torch():
    def go(lib):
        opt = make_optimizer(lib)
        sched = lib.optim.lr_scheduler.MultiStepLR(opt, milestones=[3, 8], gamma=0.2)
        out = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for epoch in [5, 2, 9, 0, 7]:
                sched.step(epoch)
                out.append(sched.get_last_lr())
        return out
    assert_same_trace(go(minitorch), go(torch))
    with pytest.warns(UserWarning, match="epoch parameter in `scheduler.step\\(\\)` was not necessary"):
        minitorch.optim.lr_scheduler.StepLR(make_optimizer(minitorch), 2).step(4)


def test_get_lr_outside_step_warns():
    sched = minitorch.optim.lr_scheduler.StepLR(make_optimizer(minitorch), 2)
    with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
        sched.get_lr()


def test_cosine_follows_the_closed_form():
    trace, _ = record(minitorch, SCHEDULERS["CosineAnnealingLR-no-min"])
    expected = [0.1 * (1 + math.cos(math.pi * t / 100)) / 2 for t in range(STEPS + 1)]
    np.testing.assert_allclose([lrs[0] for lrs, _, _ in trace], expected, rtol=1e-12, atol=1e-15)


BAD = [
    lambda lib, o: lib.optim.lr_scheduler.LambdaLR(o, [lam]),
    lambda lib, o: lib.optim.lr_scheduler.LinearLR(o, start_factor=0),
    lambda lib, o: lib.optim.lr_scheduler.LinearLR(o, end_factor=1.5),
    lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(o, max_lr=1.0),
    lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(o, max_lr=1.0, total_steps=0),
    lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(o, max_lr=[1.0], total_steps=10),
    lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(o, max_lr=1.0, total_steps=10, anneal_strategy="exp"),
    lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(o, max_lr=1.0, total_steps=10, pct_start=1.5),
    lambda lib, o: lib.optim.lr_scheduler.ReduceLROnPlateau(o, factor=1.0),
    lambda lib, o: lib.optim.lr_scheduler.ReduceLROnPlateau(o, mode="avg"),
    lambda lib, o: lib.optim.lr_scheduler.ReduceLROnPlateau(o, threshold_mode="pct"),
    lambda lib, o: lib.optim.lr_scheduler.ReduceLROnPlateau(o, min_lr=[0.1]),
    lambda lib, o: lib.optim.lr_scheduler.StepLR(object(), 3),
]


@pytest.mark.parametrize("i", range(len(BAD)))
def test_bad_arguments_raise_like_torch(i):
    with pytest.raises(Exception) as th:
        BAD[i](torch, make_optimizer(torch))
    with pytest.raises(type(th.value)) as mt:
        BAD[i](minitorch, make_optimizer(minitorch))
    assert str(mt.value) == str(th.value)


def test_one_cycle_past_the_end_raises():
    opt = make_optimizer(minitorch, momentum=0.9)
    sched = minitorch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=3)
    for _ in range(3):
        sched.step()
    with pytest.raises(ValueError, match="Tried to step 4 times. The specified number of total steps is 3"):
        sched.step()
