"""The op_db driver of the elementwise test files: run an OpInfo's samples through torch and minitorch.

``run_samples(name, variant, fn)`` calls torch's OpInfo on each of its first samples and ``fn`` (minitorch's
form, same call) on the same data converted, and checks the outputs' values and dtypes; for differentiable
samples it also compares the gradients for a random upstream gradient. ``dtype_rules`` checks that on int64,
bool and float32 samples minitorch gives torch's result dtype and values, or refuses where torch refuses.
"""
from __future__ import annotations

import itertools
from typing import Any, Callable

import numpy as np
import torch
from torch.testing._internal.common_methods_invocations import op_db

import minitorch
from tests.parity import TORCH_DTYPES, assert_close

DTYPES = {t: getattr(minitorch, name) for name, t in TORCH_DTYPES.items()}


def opinfo(name: str, variant: str = "") -> Any:
    """The op_db entry named ``name`` (and ``variant``)."""
    return next(o for o in op_db if o.name == name and o.variant_test_name == variant)


def to_mt(v: Any) -> Any:
    """torch tensors (also inside lists and tuples) as minitorch tensors with the same values and requires_grad;
    torch dtypes as minitorch dtypes; anything else unchanged."""
    if isinstance(v, torch.Tensor):
        return minitorch.tensor(v.detach().numpy().copy(), requires_grad=v.requires_grad)
    if isinstance(v, torch.dtype):
        return DTYPES[v]
    if isinstance(v, (list, tuple)):
        return type(v)(to_mt(x) for x in v)
    return v


def fresh(v: Any) -> Any:
    """torch tensors (also inside lists and tuples) as new leaves with the same values, strides and requires_grad
    (op_db's views that are leaves would otherwise share a history with their base)."""
    if isinstance(v, torch.Tensor):
        return v.detach().clone().requires_grad_(v.requires_grad)
    if isinstance(v, (list, tuple)):
        return type(v)(fresh(x) for x in v)
    return v


def _leaves(args: tuple) -> list:
    out = []
    for a in args:
        if isinstance(a, (list, tuple)):
            out += _leaves(tuple(a))
        elif isinstance(a, (torch.Tensor, minitorch.Tensor)) and a.requires_grad:
            out.append(a)
    return out


def _flat(out: Any) -> list:
    return [x for o in out for x in _flat(o)] if isinstance(out, (list, tuple)) else [out]


def compare_sample(op: Any, fn: Callable, sample: Any, atol: float, rtol: float, grad: bool, seed: int) -> None:
    """One sample: values and dtypes, then gradients for a random upstream gradient when torch has them."""
    t_args = fresh((sample.input,) + tuple(sample.args))
    m_args = to_mt(t_args)
    m_kwargs = {k: to_mt(v) for k, v in sample.kwargs.items()}
    t_out = _flat(op(*t_args, **sample.kwargs))
    m_out = _flat(fn(*m_args, **m_kwargs))
    assert len(m_out) == len(t_out)
    for i, (m, t) in enumerate(zip(m_out, t_out)):
        if isinstance(t, torch.Tensor):
            assert_close(m, t, atol, rtol, what=f"{sample}: output {i}")
        else:
            assert m == t
    t_pairs = [(m, t) for m, t in zip(m_out, t_out) if isinstance(t, torch.Tensor) and t.requires_grad]
    t_leaves, m_leaves = _leaves(t_args), _leaves(m_args)
    if not grad or not t_pairs or not t_leaves:
        return
    rng = np.random.default_rng(seed)
    ups = [rng.standard_normal(tuple(t.shape)) for _, t in t_pairs]
    g_t = torch.autograd.grad([t for _, t in t_pairs], t_leaves, [torch.tensor(u, dtype=t.dtype) for u, (_, t)
                                                                   in zip(ups, t_pairs)], allow_unused=True)
    g_m = minitorch.autograd.grad([m for m, _ in t_pairs], m_leaves,
                                  [minitorch.tensor(u, dtype=m.dtype) for u, (m, _) in zip(ups, t_pairs)],
                                  allow_unused=True)
    for i, (gm, gt, leaf) in enumerate(zip(g_m, g_t, m_leaves)):
        gm = np.zeros(leaf.shape) if gm is None else gm
        gt = np.zeros(tuple(leaf.shape)) if gt is None or gt._is_zerotensor() else gt
        assert_close(gm, gt, atol, rtol, what=f"{sample}: gradient of input {i}")


def _unsupported(sample: Any) -> bool:
    """A sample with a complex or bfloat16 tensor or number, which minitorch (no such dtypes) cannot take."""
    parts = [sample.input, *sample.args, *sample.kwargs.values()]
    return any(isinstance(p, torch.Tensor) and p.dtype not in TORCH_DTYPES.values() or isinstance(p, complex)
               for p in parts)


def _small(sample: Any, max_numel: int) -> bool:
    return not (isinstance(sample.input, torch.Tensor) and sample.input.numel() > max_numel)


def run_samples(name: str, variant: str, fn: Callable, n: int = 10, atol: float = 1e-10, rtol: float = 1e-9,
                grad: bool = True, reference: bool = False, max_numel: int = 4096) -> int:
    """The first ``n`` float64 samples (reference_inputs when ``reference``) of an OpInfo with at most
    ``max_numel`` input elements (the time budget: reference_inputs hold 1024 x 1024 tensors); returns how many ran."""
    op = opinfo(name, variant)
    gen = (op.reference_inputs if reference else op.sample_inputs)("cpu", torch.float64, requires_grad=grad)
    count = 0
    for i, sample in enumerate(itertools.islice((s for s in gen if not _unsupported(s) and _small(s, max_numel)), n)):
        compare_sample(op, fn, sample, atol, rtol, grad, seed=i)
        count += 1
    return count


def dtype_rules(name: str, variant: str, fn: Callable, n: int = 2) -> None:
    """int64, bool and float32 samples: the same result dtype and values as torch, or the same refusal."""
    op = opinfo(name, variant)
    for dt in (torch.int64, torch.bool, torch.float32):
        try:
            samples = list(itertools.islice(op.sample_inputs("cpu", dt), n))
        except Exception:  # torch has no samples for this dtype
            continue
        for sample in samples:
            t_args = (sample.input,) + tuple(sample.args)
            try:
                t_out = op(*t_args, **sample.kwargs)
            except Exception as e:  # torch refuses: minitorch must refuse with the same builtin type
                kind = next(k for k in type(e).__mro__ if k.__module__ == "builtins")
                try:
                    fn(*to_mt(t_args), **{k: to_mt(v) for k, v in sample.kwargs.items()})
                except kind:
                    continue
                raise AssertionError(f"{name} {dt} {sample}: torch raises {kind.__name__}, minitorch does not")
            m_out = fn(*to_mt(t_args), **{k: to_mt(v) for k, v in sample.kwargs.items()})
            for m, t in zip(_flat(m_out), _flat(t_out)):
                if isinstance(t, torch.Tensor):
                    assert_close(m, t, 1e-5, 1e-5, what=f"{name} {dt} {sample}")
