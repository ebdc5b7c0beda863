"""Drive minitorch against torch's OpInfo samples: same inputs, compare values, dtypes and gradients."""
from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch.testing._internal.common_methods_invocations import op_db

import minitorch
from tests.parity import assert_close

_DT = {torch.float64: minitorch.float64, torch.float32: minitorch.float32, torch.int64: minitorch.int64,
       torch.int32: minitorch.int32, torch.bool: minitorch.bool, torch.uint8: minitorch.uint8,
       torch.int16: minitorch.int16, torch.int8: minitorch.int8, torch.float16: minitorch.float16}


def opinfos(name: str, variant: str = "") -> list:
    return [o for o in op_db if o.name == name and o.variant_test_name == variant]


def to_mt(x: Any, leaves: list) -> Any:
    """torch values to minitorch (tensors copied, the requires-grad ones collected as leaves)."""
    if isinstance(x, torch.Tensor):
        t = minitorch.tensor(x.detach().numpy().copy(), requires_grad=x.requires_grad)
        if x.requires_grad:
            leaves.append((t, x))
        return t
    if isinstance(x, torch.dtype):
        return _DT[x]
    if isinstance(x, (list, tuple)):
        return type(x)(to_mt(v, leaves) for v in x)
    if isinstance(x, dict):
        return {k: to_mt(v, leaves) for k, v in x.items()}
    return x


def mt_fn(name: str) -> Any:
    obj = minitorch
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def flat(out: Any) -> list:
    if isinstance(out, (tuple, list)):
        return [y for o in out for y in flat(o)]
    return [out]


def run_sample(name: str, op: Any, sample: Any, atol: float = 1e-7, rtol: float = 1e-6, grad: bool = True,
               fn: Any = None, seed: int = 0) -> None:
    """One OpInfo sample through torch and minitorch: outputs, then gradients for a random upstream gradient."""
    tin = [sample.input] + list(sample.args)
    leaves: list = []
    margs = to_mt(tin, leaves)
    mkw = to_mt(dict(sample.kwargs), leaves)
    out_t = op.op(*tin, **sample.kwargs)
    out_m = (fn or mt_fn(name))(*margs, **mkw)
    ft, fm = flat(out_t), flat(out_m)
    assert len(ft) == len(fm), f"{len(fm)} outputs (minitorch) != {len(ft)} (torch)"
    for i, (m, t) in enumerate(zip(fm, ft)):
        assert_close(m, t, atol, rtol, what=f"output {i}")
    pairs = [(m, t) for m, t in zip(fm, ft) if isinstance(t, torch.Tensor) and t.requires_grad]
    if not grad or not pairs or not leaves:
        return
    rng = np.random.default_rng(seed)
    ups = [rng.standard_normal(tuple(t.shape)) for _, t in pairs]
    gt = torch.autograd.grad([t for _, t in pairs], [t for _, t in leaves],
                             [torch.tensor(u, dtype=t.dtype) for u, (_, t) in zip(ups, pairs)], allow_unused=True)
    gm = minitorch.autograd.grad([m for m, _ in pairs], [m for m, _ in leaves],
                                 [minitorch.tensor(u, dtype=m.dtype) for u, (m, _) in zip(ups, pairs)],
                                 allow_unused=True)
    for i, (a, b, (m, _)) in enumerate(zip(gm, gt, leaves)):
        a = np.zeros(m.shape) if a is None else a
        b = np.zeros(tuple(m.shape)) if b is None else b
        assert_close(a, b, atol, rtol, what=f"gradient of input {i}")
