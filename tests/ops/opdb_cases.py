"""Run torch's OpInfo samples of an op through minitorch and torch on the same data: values, dtypes and
gradients (random upstream gradient), for the shape, joining and scatter tests."""
from __future__ import annotations

import functools
import re
from typing import Any, Callable

import numpy as np
import torch

import minitorch
from tests.parity import TORCH_DTYPES, assert_close


@functools.lru_cache(maxsize=None)
def opinfo(name: str, variant: str = "") -> Any:
    from torch.testing._internal.common_methods_invocations import op_db

    return next(o for o in op_db if o.name == name and o.variant_test_name == variant)


_MT_DTYPES = {v: k for k, v in TORCH_DTYPES.items()}


def to_mt(x: Any, leaves: list, storage: bool = False) -> Any:
    """torch tensors (nested in lists, tuples, dicts) as minitorch tensors with the same data and requires_grad;
    with ``storage``, a view as the same view of a copy of its base (for ops that see the storage)."""
    if storage and isinstance(x, torch.Tensor) and x._base is not None and x._base._base is None and x._base.is_contiguous():
        base = minitorch.tensor(x._base.detach().numpy().copy())  # a view keeps its place in its base's storage
        m = base.as_strided(tuple(x.shape), x.stride(), x.storage_offset()).requires_grad_(x.requires_grad)
        if x.requires_grad:
            leaves.append((m, x))
        return m
    if isinstance(x, torch.Tensor):
        m = minitorch.tensor(x.detach().numpy().copy(), dtype=getattr(minitorch, _MT_DTYPES[x.dtype]),
                             requires_grad=x.requires_grad)
        if x.requires_grad and not (x._base is not None and x._base.requires_grad):  # such a view's graph
            # leads to its base, not to it: torch gives it no gradient, so it is not compared
            leaves.append((m, x))
        return m
    if isinstance(x, (list, tuple)):
        out = [to_mt(v, leaves, storage) for v in x]
        return tuple(out) if isinstance(x, tuple) else out
    if isinstance(x, dict):
        return {k: to_mt(v, leaves) for k, v in x.items()}
    if isinstance(x, torch.dtype):
        return getattr(minitorch, _MT_DTYPES[x])
    return x


def _tol(t: Any) -> tuple:
    """torch.testing's default (atol, rtol) for the tensor's dtype."""
    name = str(t.dtype).split(".")[-1]
    return {"float32": (1e-5, 1.3e-6), "float16": (1e-5, 1e-3)}.get(name, (1e-7, 1e-7))


def _flat(out: Any) -> list:
    if isinstance(out, (tuple, list)):
        return [x for o in out for x in _flat(o)]
    return [out]


def default_mt(name: str) -> Callable:
    """minitorch's function of that name, or else its Tensor method."""
    return getattr(minitorch, name) if hasattr(minitorch, name) else getattr(minitorch.Tensor, name)


def run_sample(sample: Any, torch_fn: Callable, mt_fn: Callable, grad: bool, seed: int = 0,
               storage: bool = False) -> None:
    """One sample: same values and dtypes, and (when ``grad``) the same gradients of every float leaf."""
    leaves: list = []
    th = (sample.input,) + tuple(sample.args)
    mt = to_mt(th, leaves, storage)
    kw = to_mt(sample.kwargs, leaves)
    out_t = torch_fn(*th, **sample.kwargs)
    out_m = mt_fn(*mt, **kw)
    ft, fm = _flat(out_t), _flat(out_m)
    assert len(ft) == len(fm), f"{len(fm)} outputs (minitorch) != {len(ft)} (torch)"
    for i, (a, b) in enumerate(zip(fm, ft)):
        if isinstance(b, torch.Tensor):
            assert_close(a, b, *_tol(b), what=f"output {i}")
        else:
            assert a == b, f"output {i}: {a} != {b}"
    if not grad:
        return
    pairs = [(m, t) for m, t in zip(fm, ft) if isinstance(t, torch.Tensor) and t.requires_grad]
    t_leaves = [t for _, t in leaves]
    if not pairs or not leaves:
        return
    rng = np.random.default_rng(seed)
    ups = [rng.standard_normal(tuple(t.shape)) for _, t in pairs]
    g_t = torch.autograd.grad([t for _, t in pairs], t_leaves, [torch.tensor(u, dtype=t.dtype) for u, (_, t) in
                                                               zip(ups, pairs)], allow_unused=True)
    g_m = minitorch.autograd.grad([m for m, _ in pairs], [m for m, _ in leaves],
                                  [minitorch.tensor(u, dtype=m.dtype) for u, (m, _) in zip(ups, pairs)],
                                  allow_unused=True)
    for i, (gm, gt, (m, _)) in enumerate(zip(g_m, g_t, leaves)):
        gm = np.zeros(tuple(m.shape)) if gm is None else gm
        gt = np.zeros(tuple(m.shape)) if gt is None else gt
        assert_close(gm, gt, *_tol(m), what=f"gradient of input {i}")


def samples(name: str, variant: str = "", dtype: torch.dtype = torch.float64, limit: int = 12,
            reference: bool = False) -> list:
    op = opinfo(name, variant)
    grad = dtype.is_floating_point and op.supports_autograd
    gen = (op.reference_inputs if reference else op.sample_inputs)("cpu", dtype, requires_grad=grad)
    out = []
    for s in gen:
        out.append(s)
        if len(out) >= limit:
            break
    return out


def check_op(name: str, variant: str = "", mt_fn: Callable | None = None, dtypes: tuple = (torch.float64,),
             limit: int = 12, reference: bool = False) -> int:
    """All (capped) samples of the OpInfo in each dtype; returns how many ran."""
    op = opinfo(name, variant)
    fn = mt_fn or default_mt(name)
    n = 0
    for dt in dtypes:
        for i, s in enumerate(samples(name, variant, dt, limit, reference)):
            try:
                run_sample(s, op.op, fn, dt.is_floating_point and op.supports_autograd, seed=i,
                           storage=name == "as_strided")
            except AssertionError as e:
                raise AssertionError(f"{name} {dt} sample {i}: {s}: {e}") from None
            n += 1
    return n


def _substitute(x: Any, old: list, new: tuple) -> Any:
    for o, n in zip(old, new):
        if x is o:
            return n
    if isinstance(x, (list, tuple)):
        out = [_substitute(v, old, new) for v in x]
        return tuple(out) if isinstance(x, tuple) else out
    if isinstance(x, dict):
        return {k: _substitute(v, old, new) for k, v in x.items()}
    return x


def gradcheck_op(name: str, variant: str = "", mt_fn: Callable | None = None, limit: int = 3,
                 max_numel: int = 40, second_order: bool = True) -> int:
    """minitorch's gradcheck (and gradgradcheck) in float64 on the first small samples of the OpInfo."""
    fn = mt_fn or default_mt(name)
    n = 0
    for s in samples(name, variant, torch.float64, 10000):
        leaves: list = []
        args = to_mt((s.input,) + tuple(s.args), leaves)
        kw = to_mt(s.kwargs, leaves)
        ms = [m for m, _ in leaves]
        if not ms or sum(m.numel() for m in ms) > max_numel:
            continue

        def f(*vals: Any) -> Any:
            return fn(*_substitute(args, ms, vals), **_substitute(kw, ms, vals))

        if any(o.numel() == 0 for o in _flat(f(*ms)) if isinstance(o, minitorch.Tensor)):
            continue  # minitorch's gradgradcheck cannot compare the empty Jacobians of an empty output
        assert minitorch.autograd.gradcheck(f, tuple(ms)), f"{name} gradcheck: {s}"
        if second_order:
            assert minitorch.autograd.gradgradcheck(f, tuple(ms)), f"{name} gradgradcheck: {s}"
        n += 1
        if n >= limit:
            break
    return n


def check_errors(name: str, variant: str = "", mt_fn: Callable | None = None) -> int:
    """torch's error_inputs: minitorch raises the same exception type, with a message torch's regex matches."""
    op = opinfo(name, variant)
    fn = mt_fn or default_mt(name)
    n = 0
    if op.error_inputs_func is None:
        return n
    for e in op.error_inputs("cpu"):
        s = e.sample_input
        if "out" in s.kwargs:  # minitorch has no out= arguments
            continue
        leaves: list = []
        args = to_mt((s.input,) + tuple(s.args), leaves)
        kw = to_mt(s.kwargs, leaves)
        try:
            fn(*args, **kw)
        except Exception as got:  # noqa: BLE001 - compared with torch's type below
            assert isinstance(got, e.error_type), f"{name}: {type(got).__name__}({got}) is not {e.error_type.__name__}"
            assert re.search(e.error_regex, str(got)), f"{name}: {got!r} does not match {e.error_regex!r}"
            n += 1
            continue
        raise AssertionError(f"{name}: no error for {s}, torch raises {e.error_type.__name__}: {e.error_regex}")
    return n


def report(names: list) -> None:
    """Print, per op, which samples fail (a development aid: python -m tests.ops.opdb_cases name...)."""
    for spec in names:
        name, _, variant = spec.partition(":")
        op = opinfo(name, variant)
        fn = default_mt(name) if hasattr(minitorch, name) or hasattr(minitorch.Tensor, name) else None
        if fn is None:
            print(f"{spec}: missing")
            continue
        for dt in (torch.float64, torch.float32, torch.int64):
            if dt not in op.supported_dtypes("cpu"):
                continue
            for ref in (False, True):
                bad = 0
                ss = samples(name, variant, dt, 10000, ref)
                for i, s in enumerate(ss):
                    try:
                        run_sample(s, op.op, fn, dt.is_floating_point and op.supports_autograd, seed=i,
                                   storage=name == "as_strided")
                    except Exception as e:  # noqa: BLE001
                        bad += 1
                        if bad <= 2:
                            print(f"  {spec} {dt} {'ref' if ref else 'sample'} {i}: {type(e).__name__}: "
                                  f"{str(e)[:300]}  [{s.input.shape if isinstance(s.input, torch.Tensor) else ''} "
                                  f"{s.args} {s.kwargs}]")
                print(f"{spec} {dt} {'reference' if ref else 'sample'}: {len(ss) - bad}/{len(ss)} pass")
        try:
            print(f"{spec} errors: {check_errors(name, variant)} pass")
        except Exception as e:  # noqa: BLE001
            print(f"{spec} errors FAIL: {type(e).__name__}: {str(e)[:300]}")


if __name__ == "__main__":
    import sys

    report(sys.argv[1:])
