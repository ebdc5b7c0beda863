"""The schedulers added beside the first eight, against torch.optim.lr_scheduler: lr / momentum / get_last_lr()
sequences over 60 steps, state dicts (same keys and values, loaded across in both directions), bad arguments."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch

import minitorch
from tests.optim.test_lr_scheduler import assert_same_trace, make_optimizer, record

STEPS = 60


def lam(epoch):
    return 0.97 if epoch % 3 else 0.9


def lam_slow(epoch):
    return 0.995


class Scale:
    """A callable object (its ``__dict__`` goes into the state dict, as in torch)."""

    def __init__(self, base):
        self.base = base

    def __call__(self, x):
        return self.base ** x


def S(lib):
    return lib.optim.lr_scheduler


SCHEDULERS = {
    "MultiplicativeLR": lambda lib, o: S(lib).MultiplicativeLR(o, lam),
    "MultiplicativeLR-per-group": lambda lib, o: S(lib).MultiplicativeLR(o, [lam, lam_slow]),
    "ConstantLR": lambda lib, o: S(lib).ConstantLR(o),
    "ConstantLR-long": lambda lib, o: S(lib).ConstantLR(o, factor=0.5, total_iters=12),
    "PolynomialLR": lambda lib, o: S(lib).PolynomialLR(o, total_iters=40, power=2.0),
    "PolynomialLR-default": lambda lib, o: S(lib).PolynomialLR(o),
    "PolynomialLR-sqrt": lambda lib, o: S(lib).PolynomialLR(o, total_iters=25, power=0.5),
    "CyclicLR-triangular": lambda lib, o: S(lib).CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=7),
    "CyclicLR-triangular2": lambda lib, o: S(lib).CyclicLR(o, base_lr=[0.01, 0.002], max_lr=[0.1, 0.05],
                                                           step_size_up=5, step_size_down=9, mode="triangular2"),
    "CyclicLR-exp_range": lambda lib, o: S(lib).CyclicLR(o, base_lr=0.01, max_lr=0.2, step_size_up=4,
                                                         mode="exp_range", gamma=0.97, base_momentum=[0.7, 0.75],
                                                         max_momentum=0.95),
    "CyclicLR-scale_fn-iterations": lambda lib, o: S(lib).CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=6,
                                                                   scale_fn=Scale(0.99), scale_mode="iterations"),
    "CyclicLR-scale_fn-cycle-no-momentum": lambda lib, o: S(lib).CyclicLR(
        o, base_lr=0.02, max_lr=0.3, step_size_up=3, step_size_down=2, scale_fn=lambda c: 1 / c,
        cycle_momentum=False),
    "CosineAnnealingWarmRestarts": lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, T_0=10),
    "CosineAnnealingWarmRestarts-mult": lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2,
                                                                                          eta_min=1e-3),
    "SequentialLR": lambda lib, o: S(lib).SequentialLR(
        o, [S(lib).ConstantLR(o, factor=0.1, total_iters=2), S(lib).ExponentialLR(o, gamma=0.9)], milestones=[2]),
    "SequentialLR-three": lambda lib, o: S(lib).SequentialLR(
        o, [S(lib).LinearLR(o, start_factor=0.2, total_iters=10), S(lib).CosineAnnealingLR(o, T_max=25, eta_min=1e-3),
            S(lib).StepLR(o, step_size=4, gamma=0.7)], milestones=[10, 35]),
    "SequentialLR-polynomial-cyclic": lambda lib, o: S(lib).SequentialLR(
        o, [S(lib).PolynomialLR(o, total_iters=8), S(lib).MultiplicativeLR(o, lam)], milestones=[20]),
    "ChainedScheduler": lambda lib, o: S(lib).ChainedScheduler(
        [S(lib).ConstantLR(o, factor=0.1, total_iters=2), S(lib).ExponentialLR(o, gamma=0.9)]),
    "ChainedScheduler-three-with-optimizer": lambda lib, o: S(lib).ChainedScheduler(
        [S(lib).LinearLR(o, start_factor=0.5, total_iters=10), S(lib).StepLR(o, step_size=9, gamma=0.5),
         S(lib).PolynomialLR(o, total_iters=50, power=1.5)], optimizer=o),
}


def plain(value):
    """A state-dict value with containers made comparable (Counter -> dict, tuple -> list)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def assert_same_state(a, b, where="state_dict"):
    """Same keys, same values (floats to 1e-15 relative) for every entry, nested scheduler dicts included."""
    if isinstance(b, dict):
        assert isinstance(a, dict) and a.keys() == b.keys(), f"{where}: {sorted(a)} vs {sorted(b)}"
        for k in b:
            assert_same_state(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(b, list):
        assert isinstance(a, list) and len(a) == len(b), f"{where}: {a} vs {b}"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same_state(x, y, f"{where}[{i}]")
    elif isinstance(b, float):
        assert isinstance(a, (int, float)) and math.isclose(a, b, rel_tol=1e-15, abs_tol=0), f"{where}: {a} vs {b}"
    else:
        assert type(a) is type(b) and a == b, f"{where}: {a!r} vs {b!r}"


@pytest.mark.parametrize("name", sorted(SCHEDULERS))
def test_sequence_and_state_dict_match_torch(name):
    mt, mt_sched = record(minitorch, lambda lib, o: SCHEDULERS[name](lib, o), steps=STEPS)
    th, th_sched = record(torch, lambda lib, o: SCHEDULERS[name](lib, o), steps=STEPS)
    assert_same_trace(mt, th)
    assert len({tuple(lrs) for lrs, _, _ in th}) > 1, "the schedule should change the lr"
    assert_same_state(plain(mt_sched.state_dict()), plain(th_sched.state_dict()))


@pytest.mark.parametrize("name", sorted(SCHEDULERS))
@pytest.mark.parametrize("source", ["torch", "minitorch"])
def test_state_dict_loads_across_and_resumes(name, source):
    """After 23 steps, the scheduler state dict of one library loads into a fresh scheduler of the other
    (the optimiser's groups copied too), and both continue with the same lrs."""
    libs = {"torch": torch, "minitorch": minitorch}
    src_lib, dst_lib = libs[source], libs["minitorch" if source == "torch" else "torch"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        src_opt = make_optimizer(src_lib, momentum=0.9)
        src = SCHEDULERS[name](src_lib, src_opt)
        for _ in range(23):
            src_opt.step()
            src.step()
        dst_opt = make_optimizer(dst_lib, momentum=0.9)
        dst = SCHEDULERS[name](dst_lib, dst_opt)
        for dg, sg in zip(dst_opt.param_groups, src_opt.param_groups):
            dg.update({k: v for k, v in sg.items() if k != "params"})
        dst.load_state_dict(src.state_dict())
        a, b = [], []
        for _ in range(STEPS - 23):
            for opt, sched, out in ((src_opt, src, a), (dst_opt, dst, b)):
                opt.step()
                sched.step()
                out.append((list(sched.get_last_lr()), [g["lr"] for g in opt.param_groups]))
    assert_same_trace(b, a)


def test_cyclic_cycles_adam_beta1():
    build = SCHEDULERS["CyclicLR-exp_range"]
    mt, _ = record(minitorch, build, steps=STEPS, opt_name="Adam", opt_kwargs={})
    th, _ = record(torch, build, steps=STEPS, opt_name="Adam", opt_kwargs={})
    assert_same_trace(mt, th)
    assert len({m[0] for _, _, m in th}) > 2, "beta1 should cycle"


def test_cyclic_state_dict_keeps_a_callable_objects_state():
    for lib in (minitorch, torch):
        opt = make_optimizer(lib, momentum=0.9)
        sched = S(lib).CyclicLR(opt, 0.01, 0.1, scale_fn=Scale(0.9))
        saved = sched.state_dict()
        assert saved["_scale_fn_custom"] == {"base": 0.9} and "_scale_fn_ref" not in saved
        other = S(lib).CyclicLR(make_optimizer(lib, momentum=0.9), 0.01, 0.1, scale_fn=Scale(0.5))
        other.load_state_dict(saved)
        assert other._scale_fn_custom.base == 0.9


def warm_restarts_fractional(lib, T_0, T_mult, eta_min, epochs):
    opt = make_optimizer(lib, momentum=0.9)
    sched = S(lib).CosineAnnealingWarmRestarts(opt, T_0=T_0, T_mult=T_mult, eta_min=eta_min)
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for epoch in epochs:
            opt.step()
            sched.step(epoch)
            out.append((list(sched.get_last_lr()), [sched.T_cur, sched.T_i, sched.last_epoch]))
    return out


@pytest.mark.parametrize("T_0,T_mult,eta_min", [(10, 1, 0.0), (3, 2, 1e-3), (4, 3, 0.01)])
def test_warm_restarts_with_fractional_epochs(T_0, T_mult, eta_min):
    """``step(epoch + i / iters)`` within epochs, then jumps back and forth (the closed form in T_cur)."""
    epochs = [e + i / 7 for e in range(25) for i in range(7)] + [3.5, 0.25, 40.0, 12.75, 0]
    mt = warm_restarts_fractional(minitorch, T_0, T_mult, eta_min, epochs)
    th = warm_restarts_fractional(torch, T_0, T_mult, eta_min, epochs)
    assert_same_trace([x[0] for x in mt], [x[0] for x in th])
    assert_same_trace([x[1] for x in mt], [x[1] for x in th])


def test_closed_form_with_epoch_matches_torch():
    def go(lib, build):
        opt = make_optimizer(lib)
        sched = build(lib, opt)
        out = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for epoch in [5, 2, 9, 0, 7, 50, 3]:
                sched.step(epoch)
                out.append(sched.get_last_lr())
        return out
    for name in ("ConstantLR-long", "PolynomialLR", "MultiplicativeLR"):
        assert_same_trace(go(minitorch, SCHEDULERS[name]), go(torch, SCHEDULERS[name]))


def test_sequential_restarts_the_next_scheduler_at_its_milestone():
    trace, _ = record(minitorch, SCHEDULERS["SequentialLR"], steps=6)
    lrs = [lrs[0] for lrs, _, _ in trace]
    np.testing.assert_allclose(lrs, [0.01, 0.01, 0.1, 0.09, 0.081, 0.0729, 0.06561], rtol=1e-14)


def _other_optimizer(lib):
    return make_optimizer(lib, momentum=0.9)


BAD = [
    lambda lib, o: S(lib).MultiplicativeLR(o, [lam]),
    lambda lib, o: S(lib).MultiplicativeLR(o, 0.9),
    lambda lib, o: S(lib).ConstantLR(o, factor=1.5),
    lambda lib, o: S(lib).ConstantLR(o, factor=-0.1),
    lambda lib, o: S(lib).CyclicLR(o, 0.01, 0.1, mode="cosine"),
    lambda lib, o: S(lib).CyclicLR(o, [0.01], 0.1),
    lambda lib, o: S(lib).CyclicLR(o, 0.01, [0.1, 0.2, 0.3]),
    lambda lib, o: S(lib).CyclicLR(lib.optim.Adagrad(o.param_groups[0]["params"]), 0.01, 0.1),
    lambda lib, o: S(lib).CyclicLR(object(), 0.01, 0.1),
    lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, T_0=0),
    lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, T_0=2.5),
    lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, T_0=3, T_mult=0),
    lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, T_0=3, T_mult=1.5),
    lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, T_0=3, eta_min="0"),
    lambda lib, o: S(lib).CosineAnnealingWarmRestarts(o, T_0=3).step(-1),
    lambda lib, o: S(lib).SequentialLR(o, [], milestones=[]),
    lambda lib, o: S(lib).SequentialLR(o, [S(lib).StepLR(o, 3), S(lib).ExponentialLR(o, 0.9)], milestones=[]),
    lambda lib, o: S(lib).SequentialLR(o, [S(lib).StepLR(o, 3), S(lib).ReduceLROnPlateau(o)], milestones=[4]),
    lambda lib, o: S(lib).SequentialLR(o, [S(lib).StepLR(o, 3), object()], milestones=[4]),
    lambda lib, o: S(lib).ChainedScheduler([]),
    lambda lib, o: S(lib).ChainedScheduler([S(lib).ReduceLROnPlateau(o)]),
    lambda lib, o: S(lib).ChainedScheduler([S(lib).StepLR(o, 3), S(lib).StepLR(_other_optimizer(lib), 3)]),
]


@pytest.mark.parametrize("i", range(len(BAD)))
def test_bad_arguments_raise_like_torch(i):
    with pytest.raises(Exception) as th:
        BAD[i](torch, make_optimizer(torch, momentum=0.9))
    with pytest.raises(type(th.value)) as mt:
        BAD[i](minitorch, make_optimizer(minitorch, momentum=0.9))
    if i == len(BAD) - 1:  # the message holds each library's optimiser repr
        assert str(mt.value).split(" has ")[0] == str(th.value).split(" has ")[0]
    else:
        assert str(mt.value) == str(th.value)


def test_every_torch_scheduler_exists():
    names = [n for n in dir(torch.optim.lr_scheduler) if n.endswith("LR") or n in (
        "ChainedScheduler", "CosineAnnealingWarmRestarts", "ReduceLROnPlateau", "LRScheduler")]
    missing = [n for n in names if not hasattr(minitorch.optim.lr_scheduler, n)]
    assert not missing and len(names) >= 16, missing
