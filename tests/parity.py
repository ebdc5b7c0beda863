"""The one helper every parity test uses: run the same computation in minitorch and torch.

``check(fn, *arrays)`` calls ``fn(lib, *tensors)`` once with ``lib = minitorch`` and once with
``lib = torch`` on tensors built from the same numpy arrays (floating arrays require grad),
then compares every output's shape, dtype and values and, with a random upstream gradient
(not just ``sum()``), every input's gradient.

``check_module(mt_module, torch_module, *arrays)`` copies the torch module's state_dict into
the minitorch one, runs both, and compares outputs, input gradients, parameter gradients and
buffers after the step.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import torch

import minitorch

TORCH_DTYPES = {
    "float16": torch.float16, "float32": torch.float32, "float64": torch.float64, "uint8": torch.uint8,
    "int8": torch.int8, "int16": torch.int16, "int32": torch.int32, "int64": torch.int64, "bool": torch.bool,
}


def _flat(out: Any) -> list:
    if isinstance(out, (tuple, list)):
        return [x for o in out for x in _flat(o)]
    return [out]


def _np(t: Any) -> np.ndarray:
    if isinstance(t, torch.Tensor):
        return t.detach().cpu().numpy()
    if isinstance(t, minitorch.Tensor):
        return t.detach().numpy()
    return np.asarray(t)


def assert_close(mt_value: Any, torch_value: Any, atol: float = 1e-7, rtol: float = 1e-6, what: str = "value") -> None:
    """Same shape, same dtype (by name) and values within tolerance (NaNs must match)."""
    a, b = _np(mt_value), _np(torch_value)
    assert a.shape == b.shape, f"{what}: shape {a.shape} (minitorch) != {b.shape} (torch)"
    if isinstance(mt_value, minitorch.Tensor) and isinstance(torch_value, torch.Tensor):
        assert TORCH_DTYPES[mt_value.dtype.name] == torch_value.dtype, (
            f"{what}: dtype {mt_value.dtype} (minitorch) != {torch_value.dtype} (torch)"
        )
    if a.dtype.kind in "biu":
        np.testing.assert_array_equal(a, b, err_msg=what)
    else:
        np.testing.assert_allclose(a.astype(np.float64), b.astype(np.float64), atol=atol, rtol=rtol,
                                   equal_nan=True, err_msg=what)


def make_inputs(arrays: tuple, grad: bool) -> tuple:
    """The same data as minitorch and torch tensors (floating ones require grad when ``grad``)."""
    mt_in, th_in = [], []
    for a in arrays:
        if isinstance(a, np.ndarray) or isinstance(a, (list, tuple)) and not isinstance(a, str):
            a = np.asarray(a)
            rg = grad and a.dtype.kind == "f"
            mt_in.append(minitorch.tensor(a.copy(), requires_grad=rg))
            th_in.append(torch.tensor(a.copy(), requires_grad=rg))
        else:  # Python scalars and other arguments pass through unchanged
            mt_in.append(a)
            th_in.append(a)
    return tuple(mt_in), tuple(th_in)


def check(fn: Callable, *arrays: Any, grad: bool = True, atol: float = 1e-7, rtol: float = 1e-6,
          seed: int = 0) -> tuple:
    """Compare ``fn(minitorch, *inputs)`` with ``fn(torch, *inputs)``: values, dtypes, shapes and gradients."""
    mt_in, th_in = make_inputs(arrays, grad)
    out_m, out_t = fn(minitorch, *mt_in), fn(torch, *th_in)
    flat_m, flat_t = _flat(out_m), _flat(out_t)
    assert len(flat_m) == len(flat_t), f"{len(flat_m)} outputs (minitorch) != {len(flat_t)} (torch)"
    for i, (m, t) in enumerate(zip(flat_m, flat_t)):
        assert_close(m, t, atol, rtol, what=f"output {i}")
    if not grad:
        return out_m, out_t
    rng = np.random.default_rng(seed)
    pairs = [(m, t) for m, t in zip(flat_m, flat_t)
             if isinstance(t, torch.Tensor) and t.requires_grad]
    leaves = [(m, t) for m, t in zip(mt_in, th_in) if isinstance(t, torch.Tensor) and t.requires_grad]
    if not pairs or not leaves:
        return out_m, out_t
    for m, _ in pairs:
        assert m.requires_grad, "minitorch output does not require grad but torch's does"
    ups = [rng.standard_normal(t.shape) for _, t in pairs]
    g_t = torch.autograd.grad([t for _, t in pairs], [t for _, t in leaves],
                              [torch.tensor(u, dtype=t.dtype) for u, (_, t) in zip(ups, pairs)], allow_unused=True)
    g_m = minitorch.autograd.grad([m for m, _ in pairs], [m for m, _ in leaves],
                                  [minitorch.tensor(u, dtype=m.dtype) for u, (m, _) in zip(ups, pairs)],
                                  allow_unused=True)
    for i, (gm, gt, (m, _)) in enumerate(zip(g_m, g_t, leaves)):
        gm = np.zeros(m.shape) if gm is None else gm
        gt = np.zeros(tuple(m.shape)) if gt is None else gt
        assert_close(gm, gt, atol, rtol, what=f"gradient of input {i}")
    return out_m, out_t


def gradchecks(fn: Callable, *arrays: np.ndarray, second_order: bool = True, **kw: Any) -> None:
    """minitorch's float64 gradcheck (and gradgradcheck) of ``fn(minitorch, *inputs)``."""
    inputs = tuple(
        minitorch.tensor(np.asarray(a, np.float64), requires_grad=True) if np.asarray(a).dtype.kind == "f"
        else (minitorch.tensor(a) if isinstance(a, np.ndarray) else a)
        for a in arrays
    )
    f = lambda *xs: fn(minitorch, *xs)  # noqa: E731
    assert minitorch.autograd.gradcheck(f, inputs, **kw)
    if second_order:
        assert minitorch.autograd.gradgradcheck(f, inputs, **kw)


def copy_state(mt_module: Any, torch_module: Any) -> None:
    """Load the torch module's weights into the minitorch module (strict)."""
    mt_module.load_state_dict({k: v.detach().numpy() for k, v in torch_module.state_dict().items()})


def check_module(mt_module: Any, torch_module: Any, *arrays: Any, atol: float = 1e-7, rtol: float = 1e-6,
                 seed: int = 0, forward: Callable | None = None) -> tuple:
    """Same weights, same input: compare outputs, input grads, parameter grads and buffers."""
    copy_state(mt_module, torch_module)
    mt_in, th_in = make_inputs(arrays, True)
    run = forward or (lambda mod, *xs: mod(*xs))
    out_m, out_t = run(mt_module, *mt_in), run(torch_module, *th_in)
    flat_m, flat_t = _flat(out_m), _flat(out_t)
    assert len(flat_m) == len(flat_t)
    for i, (m, t) in enumerate(zip(flat_m, flat_t)):
        assert_close(m, t, atol, rtol, what=f"output {i}")
    rng = np.random.default_rng(seed)
    pairs = [(m, t) for m, t in zip(flat_m, flat_t) if isinstance(t, torch.Tensor) and t.requires_grad]
    if pairs:
        loss_m = loss_t = 0
        for m, t in pairs:
            u = rng.standard_normal(tuple(t.shape))
            loss_t = loss_t + (t * torch.tensor(u, dtype=t.dtype)).sum()
            loss_m = loss_m + (m * minitorch.tensor(u, dtype=m.dtype)).sum()
        loss_t.backward()
        loss_m.backward()
        for i, (m, t) in enumerate(zip(mt_in, th_in)):
            if isinstance(t, torch.Tensor) and t.requires_grad:
                assert_close(m.grad if m.grad is not None else np.zeros(m.shape),
                             t.grad if t.grad is not None else np.zeros(tuple(t.shape)), atol, rtol,
                             what=f"gradient of input {i}")
        params_t = dict(torch_module.named_parameters())
        for name, p in mt_module.named_parameters():
            pt = params_t[name]
            assert_close(p.grad if p.grad is not None else np.zeros(p.shape),
                         pt.grad if pt.grad is not None else np.zeros(tuple(pt.shape)), atol, rtol,
                         what=f"gradient of parameter {name}")
    buffers_t = dict(torch_module.named_buffers())
    for name, b in mt_module.named_buffers():
        assert_close(b, buffers_t[name], atol, rtol, what=f"buffer {name}")
    return out_m, out_t
