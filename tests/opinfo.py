"""PyTorch's OpInfo database (``op_db``) run against minitorch: the shared machinery and a CLI.

For each OpInfo entry minitorch is meant to cover, ``resolve`` finds minitorch's function (the dotted
name under ``minitorch``, e.g. ``nn.functional.x`` -> ``minitorch.nn.functional.x``, else the unbound
Tensor method, else an adapter in ``CALLS`` for the OpInfos whose call is not ``fn(input, *args,
**kwargs)``). ``run_entry(op, dtype)`` then runs, for up to ``cap`` of ``op.sample_inputs`` and of
``op.reference_inputs`` (the ones beyond the sample inputs), torch's op and minitorch's on the same data
(``to_minitorch``), and compares every output: shape, dtype, values (torch.testing's default tolerances
per dtype, NaN == NaN, ints and bools exact), recursing into tuples, lists and named tuples. For float64
samples of ops with ``supports_autograd`` it also runs a backward with the same random upstream
gradient on every floating output (after ``sample.output_process_fn_grad``) in both frameworks and
compares the gradients of every input that requires grad, including tensors inside args, kwargs and
lists. Each sample ends as ``pass``, ``fail`` (with a one-line reason) or ``unsupported`` (a case
minitorch cannot express by design: a complex tensor, an ``out=`` tensor, a dtype numpy has no storage
for, a non-CPU device), counted apart.

Refinements: where torch raises, minitorch must raise torch's builtin exception type; a float32 output that
differs from torch's passes where it is nowhere farther from torch's float64 result than torch's own (a
more accurate kernel); ``UP_TO_SIGN`` ops (eigenvectors) are compared after ``output_process_fn_grad``;
``as_strided`` sees views in their base's storage; gradcheck applies the OpInfo's gradcheck wrapper where
it is written in Tensor methods (``TENSOR_WRAPPERS``).

``SET_ASIDE`` is the one table of the op_db entries not run, each with its reason (torch internals,
complex-only, CUDA-only, sparse). ``ENTRIES`` is the rest.

The per-family test files drive one entry at a time through ``check_samples`` (chosen dtypes, caps,
tolerances), ``check_dtype_rules``, ``gradcheck_samples`` (with gradgradcheck) and ``check_error_inputs``.

CLI (``PYTHONPATH=. python -m tests.opinfo [names...]``):
  names           OpInfo names (``sort``, ``nn.functional.relu``) or ids (``div.trunc_rounding``); none = all
  --summary       totals only: entries, present, missing (names), samples passed of run, percent
  --known-failures  print the KNOWN_FAILURES dict literal of tests/ops/test_opinfo_samples.py for the current
                  code (the pytest caps), to paste after new ops land
  --json PATH     write the per-entry results
  --cap N         samples per kind per (entry, dtype) (default 12)
"""
from __future__ import annotations

import argparse
import contextlib
import contextvars
import dataclasses
import functools
import itertools
import json
import math
import re
import sys
import time
import warnings
from typing import Any, Callable, Iterator

import numpy as np
import torch
from torch.testing._internal.common_methods_invocations import op_db

import minitorch
import minitorch.nn.functional as F

from tests.parity import TORCH_DTYPES

DTYPES = {t: getattr(minitorch, name) for name, t in TORCH_DTYPES.items()}

# ---------------------------------------------------------------------------------------------------------
# The entry set
# ---------------------------------------------------------------------------------------------------------
_INTERNAL = "a torch internal (an aten op or overload, or a private function), not part of torch's public API"
_ATEN = "an aten-level kernel (torch.native_*/*_backward/grid_sampler_*), reached in torch through a public op"
_COMPLEX_ONLY = "complex-only: op.dtypes has no real dtype, and minitorch has no complex dtypes"
_CUDA_ONLY = "CUDA-only: no CPU dtypes / a CUDA jiterator or triton kernel"
_SPARSE = "sparse layout: minitorch tensors are dense (strided) only"
_ATEN_LEVEL = {
    "native_group_norm", "native_layer_norm", "native_batch_norm", "max_pool2d_with_indices_backward",
    "native_dropout_backward", "grid_sampler_2d", "grid_sampler_3d",
}


def entry_id(op: Any) -> str:
    """``name`` or ``name.variant``: the id of an OpInfo entry."""
    return op.name + (f".{op.variant_test_name}" if op.variant_test_name else "")


def _set_aside_reason(op: Any) -> str | None:
    name = op.name
    if name.startswith("torch.") or (name.startswith("_") and not name.startswith("__")):
        return _INTERNAL
    if name in _ATEN_LEVEL:
        return _ATEN
    if name.startswith("jiterator_") or op.variant_test_name == "triton_optimized" or not op.dtypes:
        return _CUDA_ONLY
    if all(d.is_complex for d in op.dtypes):
        return _COMPLEX_ONLY
    if name.startswith("sparse.") or name == "to_sparse":
        return _SPARSE
    return None


SET_ASIDE: dict[str, str] = {entry_id(op): r for op in op_db if (r := _set_aside_reason(op)) is not None}
ENTRIES: list = [op for op in op_db if entry_id(op) not in SET_ASIDE]

# ---------------------------------------------------------------------------------------------------------
# Resolution: minitorch's callable for an OpInfo
# ---------------------------------------------------------------------------------------------------------


def _method(name: str) -> Callable[..., Any]:
    return lambda x, *a, **k: getattr(x, name)(*a, **k)


def _fn(path: str, *, swap: bool = False) -> Callable[..., Any]:
    """``minitorch.<path>`` looked up at call time (``swap``: the OpInfo passes its first two args swapped)."""
    def call(*a: Any, **k: Any) -> Any:
        f = _walk(minitorch, path)
        if f is None:
            raise AttributeError(f"minitorch has no {path}")
        return f(a[1], a[0], *a[2:], **k) if swap else f(*a, **k)
    return call


# OpInfos whose call is not ``fn(input, *args, **kwargs)`` of the same name, keyed by (name, variant):
# (what minitorch must have, as a dotted name under ``minitorch`` or a Tensor attribute; the adapter).
CALLS: dict[tuple[str, str], tuple[str, Callable[..., Any]]] = {
    ("item", ""): ("item", _method("item")),
    ("cauchy", ""): ("cauchy_", _method("cauchy_")),
    ("exponential", ""): ("exponential_", _method("exponential_")),
    ("geometric", ""): ("geometric_", _method("geometric_")),
    ("log_normal", ""): ("log_normal_", _method("log_normal_")),
    ("normal", "in_place"): ("normal_", _method("normal_")),
    ("uniform", ""): ("uniform_", _method("uniform_")),
    ("normal", "number_mean"): ("normal", _fn("normal", swap=True)),
    ("resize_", ""): ("resize_", lambda x, shape: x.clone().resize_(shape)),
    ("resize_as_", ""): ("resize_as_", lambda x, other: x.clone().resize_as_(other)),
    ("zero_", ""): ("zero_", lambda x: x.clone().zero_()),
    ("einsum", ""): ("einsum", lambda tensors, equation: minitorch.einsum(equation, tensors)),
    ("special.polygamma", "special_polygamma_n_0"): (
        "special.polygamma", lambda x, n, **k: minitorch.special.polygamma(n, x, **k)),
    ("where", ""): ("where", lambda x, condition, other, **k: minitorch.where(condition, x, other, **k)),
    ("nn.functional.embedding", ""): ("nn.functional.embedding", lambda weight, idx, **k: F.embedding(idx, weight, **k)),
    ("nn.functional.embedding_bag", ""): (
        "nn.functional.embedding_bag", lambda weight, idx, **k: F.embedding_bag(idx, weight, **k)),
    ("linalg.lstsq", "grad_oriented"): (
        "linalg.lstsq", lambda a, b, driver: minitorch.linalg.lstsq(a, b, driver=driver)[:2]),
    ("linalg.pinv", "singular"): ("linalg.pinv", lambda a, b: minitorch.linalg.pinv(a @ b.mT)),
    ("svd_lowrank", ""): ("svd_lowrank", lambda a, b, **k: minitorch.svd_lowrank(a @ b.mT, **k)),
    ("pca_lowrank", ""): ("pca_lowrank", lambda a, b, **k: minitorch.pca_lowrank(a @ b.mT, **k)),
    ("slice", ""): ("__getitem__", lambda x, dim=0, start=None, end=None, step=1:
                    x[(slice(None),) * (dim % max(x.dim(), 1)) + (slice(start, end, step),)]),
}
for _n in range(5):
    CALLS[("polygamma", f"polygamma_n_{_n}")] = ("polygamma", lambda x, n, **k: minitorch.polygamma(n, x, **k))
# Tensor methods (and properties) that torch's OpInfo calls as ``x.<name>(...)``.
for _name in ("contiguous", "sum_to_size", "expand", "expand_as", "to", "reshape_as", "view", "view_as",
              "bfloat16", "bool", "byte", "char", "double", "float", "half", "int", "long", "short", "chalf",
              "new_zeros", "new_ones", "new_empty", "new_empty_strided", "new_full", "unfold", "repeat"):
    CALLS[(_name, "")] = (_name, _method(_name))
for _name in ("T", "H", "mT", "mH"):
    CALLS[(_name, "")] = (_name, (lambda n: lambda x: getattr(x, n))(_name))
# Entries whose every output is complex (a complex FFT, stft, complex construction): set aside like complex-only ops.
_COMPLEX_OUTPUT = ("complex output: the op returns a complex tensor even from real input, and minitorch has no "
                   "complex dtypes")
SET_ASIDE.update({n: _COMPLEX_OUTPUT for n in (
    "fft.fft", "fft.fft2", "fft.fftn", "fft.ifft", "fft.ifft2", "fft.ifftn", "fft.rfft", "fft.rfft2", "fft.rfftn",
    "fft.ihfft", "fft.ihfft2", "fft.ihfftn", "stft", "view_as_complex", "complex", "polar", "cdouble", "cfloat",
    "chalf")})
SET_ASIDE["hash_tensor"] = "its output is torch.uint64, a dtype minitorch has no storage for"
ENTRIES[:] = [op for op in ENTRIES if entry_id(op) not in SET_ASIDE]


def _walk(root: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        root = getattr(root, part, None)
        if root is None:
            return None
    return root


def _resolve(name: str) -> Callable[..., Any] | None:
    """minitorch's function for an OpInfo name: ``minitorch.<dotted name>`` or an unbound Tensor method."""
    f = _walk(minitorch, name)
    if f is not None and callable(f) and not isinstance(f, (minitorch.dtype, type)):
        return f
    f = getattr(minitorch.Tensor, name, None) if "." not in name else None
    return f if callable(f) else None


def _has(name: str) -> bool:
    """Whether minitorch has ``name`` (dotted under ``minitorch``, or a Tensor attribute)."""
    return _walk(minitorch, name) is not None or ("." not in name and hasattr(minitorch.Tensor, name))


def resolve(op: Any) -> Callable[..., Any] | None:
    """minitorch's callable for an OpInfo, or None where minitorch does not have the op."""
    call = CALLS.get((op.name, op.variant_test_name)) or (CALLS.get((op.name, "")) if op.variant_test_name else None)
    if call is not None:
        return call[1] if _has(call[0]) else None
    return _resolve(op.name)


# ---------------------------------------------------------------------------------------------------------
# Conversion
# ---------------------------------------------------------------------------------------------------------


class Unsupported(Exception):
    """A sample minitorch cannot express by design (the reason is the message)."""


def _unsupported_dtype(d: torch.dtype) -> str:
    if d.is_complex:
        return f"a {d} tensor: minitorch has no complex dtypes"
    return f"a {d} tensor: minitorch has no {dtype_name(d)} (numpy, its storage, has none)"


def _storage_view(v: torch.Tensor) -> Any:
    """A torch view (of a contiguous base) as the same view of a copy of its base, for ops that see storage."""
    base = minitorch.from_numpy(v._base.detach().clone().numpy())
    return base.as_strided(tuple(v.shape), v.stride(), v.storage_offset() - v._base.storage_offset())


def _to_minitorch(v: Any, leaves: list | None = None, memo: dict | None = None, storage: bool = False) -> Any:
    """A torch value as minitorch sees it: tensors (same values, strides, dtype, requires_grad), dtypes,
    devices, sizes, memory formats, layouts and distance modules mapped. ``leaves`` collects the (torch,
    minitorch) pairs of floating tensors that require grad; ``memo`` maps a torch tensor met twice to one
    minitorch tensor; with ``storage``, a view that needs no grad keeps its place in a copy of its base."""
    memo = {} if memo is None else memo
    if isinstance(v, torch.Tensor):
        if id(v) in memo:
            return memo[id(v)]
        if v.dtype not in DTYPES:
            raise Unsupported(_unsupported_dtype(v.dtype))
        if v.layout != torch.strided:
            raise Unsupported(f"a {v.layout} tensor: minitorch tensors are strided only")
        if v.device.type != "cpu":
            raise Unsupported(f"a tensor on {v.device}: minitorch is CPU only")
        if v.dim() > 64:
            raise Unsupported("a tensor of over 64 dims: numpy holds at most 64")
        viewed = storage and not v.requires_grad and v._base is not None and v._base.is_contiguous()
        out = _storage_view(v) if viewed else minitorch.from_numpy(v.detach().clone().numpy())
        if v.requires_grad:
            out.requires_grad_()
            if leaves is not None:
                leaves.append((v, out))
        memo[id(v)] = out
        return out
    if isinstance(v, torch.dtype):
        if v not in DTYPES:
            raise Unsupported(f"dtype={v}: minitorch has no such dtype")
        return DTYPES[v]
    if isinstance(v, torch.device):
        if v.type != "cpu":
            raise Unsupported(f"device {v}: minitorch is CPU only")
        return "cpu"
    if isinstance(v, torch.Size):
        return tuple(v)
    if isinstance(v, (torch.memory_format, torch.layout)):
        name = str(v).replace("torch.", "")
        return getattr(minitorch, name, v)
    if isinstance(v, torch.nn.PairwiseDistance):
        return minitorch.nn.PairwiseDistance(v.norm, v.eps, v.keepdim)
    if isinstance(v, torch.nn.CosineSimilarity):
        return minitorch.nn.CosineSimilarity(v.dim, v.eps)
    if isinstance(v, (list, tuple)):
        return type(v)(_to_minitorch(x, leaves, memo, storage) for x in v)
    if isinstance(v, dict):
        return {k: _to_minitorch(x, leaves, memo, storage) for k, x in v.items()}
    return v


def _torch_side(v: Any, fresh: dict) -> Any:
    """A sample value with each tensor that requires grad replaced by its fresh leaf copy in ``fresh``."""
    if isinstance(v, torch.Tensor):
        return fresh.get(id(v), v)
    if isinstance(v, (list, tuple)) and not isinstance(v, torch.Size):
        return type(v)(_torch_side(x, fresh) for x in v)
    if isinstance(v, dict):
        return {k: _torch_side(x, fresh) for k, x in v.items()}
    return v


@dataclasses.dataclass
class Converted:
    """One SampleInput for both frameworks. Tensors that require grad become fresh leaves on both sides
    (same values and strides), so torch and minitorch differentiate the same thing; ``leaves`` pairs them."""
    th: tuple  # (input, args, kwargs) for torch
    mt: tuple  # (input, args, kwargs) for minitorch
    leaves: list  # [(torch leaf, minitorch leaf)]


def convert_sample(sample: Any, storage: bool = False) -> Converted:
    """A SampleInput for both frameworks (``storage``: views keep their place in their base); raises Unsupported."""
    if "out" in sample.kwargs:
        raise Unsupported("out=: minitorch's functions take no out tensor")
    if any(isinstance(v, complex) for v in _flat([sample.input, list(sample.args), list(sample.kwargs.values())])):
        raise Unsupported("a complex Python scalar: minitorch has no complex dtypes")
    pairs: list = []
    memo: dict = {}
    value = (sample.input, tuple(sample.args), dict(sample.kwargs))
    mt = _to_minitorch(value, pairs, memo, storage)
    fresh = {id(t): t.detach().clone().requires_grad_() for t, _ in pairs}
    return Converted(_torch_side(value, fresh), mt, [(fresh[id(t)], m) for t, m in pairs])


def _numel(v: Any) -> int:
    if isinstance(v, torch.Tensor):
        return v.numel()
    if isinstance(v, (list, tuple)):
        return sum(_numel(x) for x in v)
    if isinstance(v, dict):
        return sum(_numel(x) for x in v.values())
    return 0


# ---------------------------------------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------------------------------------

# torch.testing.assert_close's defaults (rtol, atol) per dtype; ``check_samples`` may set others (``_TOL``).
TOLERANCES = {torch.float16: (1e-3, 1e-5), torch.float32: (1.3e-6, 1e-5), torch.float64: (1e-7, 1e-7)}
_TOL: contextvars.ContextVar = contextvars.ContextVar("tolerances", default=None)

# Ops whose outputs are random or uninitialized: only shape and dtype are compared, no gradients.
NONDETERMINISTIC = {
    "bernoulli", "normal", "multinomial", "cauchy", "exponential", "geometric", "log_normal", "uniform",
    "rand_like", "randn", "randn_like", "randint", "randint_like", "empty", "empty_like", "new_empty",
    "new_empty_strided", "empty_strided", "empty_permuted", "resize_", "resize_as_",
    "nn.functional.dropout", "nn.functional.dropout2d", "nn.functional.dropout3d", "nn.functional.alpha_dropout",
    "nn.functional.feature_alpha_dropout", "nn.functional.rrelu", "nn.functional.fractional_max_pool2d",
    "nn.functional.fractional_max_pool3d", "svd_lowrank", "pca_lowrank",
}


# Ops with outputs defined up to sign (eigenvectors; the LAPACK build picks it): compared after the
# sample's output_process_fn_grad (which takes their absolute values).
UP_TO_SIGN = {"linalg.eigh"}


def _deterministic(op: Any) -> bool:
    return op.name not in NONDETERMINISTIC and entry_id(op) != "nn.functional.feature_alpha_dropout.with_train"


def _draws_dropout(op: Any, sample: Any) -> bool:
    """Attention samples that train with dropout_p > 0: the mask comes from each framework's own random
    stream, so only shapes and dtypes can agree (dropout itself is tested in tests/nn/test_attention.py)."""
    if op.name == "nn.functional.scaled_dot_product_attention":
        return sample.kwargs.get("dropout_p", 0.0) > 0
    if op.name == "nn.functional.multi_head_attention_forward":
        return sample.args[9] > 0 and sample.kwargs.get("training", True)
    return False


def compare(got: Any, want: Any, values: bool = True, what: str = "output") -> str | None:
    """None if minitorch's ``got`` matches torch's ``want``, else a one-line reason."""
    if isinstance(want, torch.Tensor):
        if not isinstance(got, minitorch.Tensor):
            return f"{what}: torch gives a Tensor, minitorch a {type(got).__name__}"
        if tuple(got.shape) != tuple(want.shape):
            return f"{what}: shape {tuple(got.shape)} != torch's {tuple(want.shape)}"
        if TORCH_DTYPES.get(got.dtype.name) != want.dtype:
            return f"{what}: dtype {got.dtype} != torch's {want.dtype}"
        if not values:
            return None
        a, b = got.detach().numpy(), want.detach().numpy(force=True)  # force: torch's ZeroTensor gradients
        if b.dtype.kind in "biu":
            bad = a != b
        else:
            rtol, atol = _TOL.get() or TOLERANCES.get(want.dtype, (1e-7, 1e-7))
            a64, b64 = a.astype(np.float64), b.astype(np.float64)
            with np.errstate(invalid="ignore", over="ignore"):
                bad = ~(np.isclose(a64, b64, rtol=rtol, atol=atol, equal_nan=True) | (a64 == b64))
        if bad.any():
            i = tuple(int(j) for j in np.argwhere(bad)[0]) if bad.ndim else ()
            return f"{what}: {int(bad.sum())}/{bad.size} values differ, e.g. at {list(i)} {a[i]!r} vs torch {b[i]!r}"
        return None
    if isinstance(want, torch.Size):
        return None if tuple(got) == tuple(want) else f"{what}: {tuple(got)} != torch's {tuple(want)}"
    if isinstance(want, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            return f"{what}: torch gives a {type(want).__name__}, minitorch a {type(got).__name__}"
        if len(got) != len(want):
            return f"{what}: {len(got)} outputs != torch's {len(want)}"
        fields = getattr(type(want), "_fields", None) or getattr(want, "_fields", None)
        for i, (g, w) in enumerate(zip(got, want)):
            r = compare(g, w, values, f"{what}[{fields[i] if fields else i}]")
            if r:
                return r
        return None
    if isinstance(want, torch.dtype):
        return None if DTYPES.get(want) == got else f"{what}: {got} != torch's {want}"
    if isinstance(want, (bool, int, float)) or want is None:
        if isinstance(got, minitorch.Tensor) or type(got) is not type(want):
            return f"{what}: minitorch gives {type(got).__name__} {got!r}, torch {type(want).__name__} {want!r}"
        if not values or got == want or (isinstance(want, float) and (
                math.isclose(got, want, rel_tol=1e-7, abs_tol=1e-7) or (math.isnan(got) and math.isnan(want)))):
            return None
        return f"{what}: {got!r} != torch's {want!r}"
    return f"{what}: torch gives an unhandled {type(want).__name__}"


def _flat(v: Any) -> list:
    if isinstance(v, (tuple, list)):
        return [x for o in v for x in _flat(o)]
    return [v]


def _short(e: BaseException) -> str:
    msg = str(e).strip().splitlines()[0] if str(e).strip() else ""
    return f"{type(e).__name__}: {msg[:160]}"


# ---------------------------------------------------------------------------------------------------------
# Running samples
# ---------------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class SampleResult:
    kind: str  # "sample" or "reference"
    index: int
    status: str  # "pass", "fail", "unsupported", "skipped"
    reason: str = ""


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def _seed(seed: int = 0) -> None:
    torch.manual_seed(seed)
    np.random.seed(seed)
    minitorch.manual_seed(seed)


def _grad_check(sample: Any, th_out: Any, mt_out: Any, leaves: list) -> str | None:
    """Backward with the same random upstream gradient in both frameworks; None or a reason."""
    th_outs = _flat(sample.output_process_fn_grad(th_out))
    try:
        mt_outs = _flat(sample.output_process_fn_grad(mt_out))
    except Exception as e:  # noqa: BLE001
        return f"output_process_fn_grad on minitorch's output: {_short(e)}"
    if len(mt_outs) != len(th_outs):
        return f"grad: {len(mt_outs)} processed outputs != torch's {len(th_outs)}"
    rng = np.random.default_rng(0)
    pairs = [(t, m) for t, m in zip(th_outs, mt_outs)
             if isinstance(t, torch.Tensor) and t.requires_grad and t.dtype.is_floating_point]
    if not pairs or not leaves:
        return None
    for i, (t, m) in enumerate(pairs):
        if not (isinstance(m, minitorch.Tensor) and m.requires_grad):
            return f"grad: output {i} requires grad in torch, not in minitorch"
    # the same bits in both frameworks: cast in numpy once (torch's double -> half goes through float)
    ups = [rng.standard_normal(t.shape).astype(t.detach().numpy().dtype) for t, _ in pairs]
    try:
        th_grads = torch.autograd.grad([t for t, _ in pairs], [t for t, _ in leaves],
                                       [torch.from_numpy(u) for u in ups],
                                       allow_unused=True)
    except Exception:  # noqa: BLE001 - torch cannot differentiate this sample: nothing to compare
        return None
    try:
        mt_grads = minitorch.autograd.grad(
            [m for _, m in pairs], [m for _, m in leaves],
            [minitorch.from_numpy(u.copy()) for u in ups], allow_unused=True)
    except Exception as e:  # noqa: BLE001
        return f"backward raised {_short(e)}"
    for i, (g, w) in enumerate(zip(mt_grads, th_grads)):
        if w is None:
            if g is not None and np.any(g.numpy() != 0):
                return f"grad of input {i}: torch has none, minitorch nonzero"
            continue
        if g is None:
            g = minitorch.zeros(*w.shape, dtype=DTYPES[w.dtype])
        r = compare(g, w, what=f"grad of input {i}")
        if r:
            return r
    return None


def _upcast(v: Any) -> Any:
    if isinstance(v, torch.Tensor):
        return v.detach().double() if v.dtype in (torch.float32, torch.float16) else v.detach()
    if isinstance(v, (list, tuple)) and not isinstance(v, torch.Size):
        return type(v)(_upcast(x) for x in v)
    if isinstance(v, dict):
        return {k: _upcast(x) for k, x in v.items()}
    return v


def _no_farther(op: Any, sample: Any, got: Any, want: Any) -> bool:
    """Whether minitorch's float32/float16 outputs that differ from torch's are, everywhere they differ, no
    farther from torch's float64 result (the same sample in float64) than torch's own: a more accurate
    float32 kernel (a float64 computation rounded once) is not a failure."""
    try:
        ref = op(_upcast(sample.input), *_upcast(tuple(sample.args)), **_upcast(dict(sample.kwargs)))
    except Exception:  # noqa: BLE001 - no float64 reference for this sample
        return False
    triples = list(zip(_flat(got), _flat(want), _flat(ref)))
    if len(triples) != len(_flat(want)):
        return False
    for g, w, e in triples:
        if not (isinstance(w, torch.Tensor) and w.dtype in (torch.float32, torch.float16)):
            continue
        if not isinstance(e, torch.Tensor) or e.shape != w.shape or not e.dtype.is_floating_point:
            return False
        a, b, x = g.detach().numpy().astype(np.float64), w.detach().numpy().astype(np.float64), e.detach().numpy()
        rtol, atol = TOLERANCES[w.dtype]
        with np.errstate(invalid="ignore", over="ignore"):
            ok = np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=True) | (np.abs(a - x) <= np.abs(b - x))
        if not ok.all():
            return False
    return True


def _builtin_type(e: BaseException) -> type:
    """The nearest builtin class of an exception (torch raises a few of its own subclasses)."""
    return next(c for c in type(e).__mro__ if c.__module__ == "builtins")


def run_sample(op: Any, fn: Callable[..., Any], sample: Any, grad: bool, torch_fn: Callable[..., Any] | None = None,
               deterministic: bool | None = None) -> tuple[str, str]:
    """(status, reason) of one sample (``torch_fn``: torch's side, if not the OpInfo's op; ``deterministic``:
    whether values and gradients are compared, by default unless the op is random)."""
    try:
        c = convert_sample(sample, storage=op.name.startswith("as_strided"))
    except Unsupported as e:
        return "unsupported", str(e)
    if deterministic is None:
        deterministic = _deterministic(op) and not _draws_dropout(op, sample)
    try:
        _seed()
        th_out = (torch_fn or op)(c.th[0], *c.th[1], **c.th[2])
        th_err = None
    except Exception as e:  # noqa: BLE001
        th_out, th_err = None, e
    try:
        _seed()
        mt_out = fn(c.mt[0], *c.mt[1], **c.mt[2])
        mt_err = None
    except Exception as e:  # noqa: BLE001
        mt_out, mt_err = None, e
    odd = [o.dtype for o in _flat(th_out) if isinstance(o, torch.Tensor) and o.dtype not in DTYPES]
    if odd:
        return "unsupported", "torch's output is " + _unsupported_dtype(odd[0])
    if th_err is not None:
        if mt_err is None:
            return "fail", f"torch raises {_short(th_err)}; minitorch does not"
        ok = isinstance(mt_err, _builtin_type(th_err))
        return ("pass", "") if ok else ("fail", f"torch raises {_short(th_err)}; minitorch {_short(mt_err)}")
    if mt_err is not None:
        return "fail", _short(mt_err)
    if op.name in UP_TO_SIGN:
        mt_out, th_out = sample.output_process_fn_grad(mt_out), sample.output_process_fn_grad(th_out)
    r = compare(mt_out, th_out, values=deterministic)
    if r and "values differ" in r and _no_farther(op, sample, mt_out, th_out):
        r = None
    if r:
        return "fail", r
    if grad and deterministic:
        try:
            r = _grad_check(sample, th_out, mt_out, c.leaves)
        except Exception as e:  # noqa: BLE001 - a backward that raises is this sample's failure
            r = f"backward raised {_short(e)}"
        if r:
            return "fail", r
    return "pass", ""


MAX_NUMEL = 100_000  # samples with more elements in all are skipped (minitorch's numpy loops are slow there)


def samples(op: Any, dtype: torch.dtype, cap: int, grad: bool | None = None) -> list[tuple[str, int, Any, bool]]:
    """(kind, index, sample, grad) for up to ``cap`` sample inputs and ``cap`` reference inputs beyond them
    (``grad``: whether the samples require grad; by default float64 samples of a differentiable op)."""
    grad = dtype == torch.float64 and op.supports_autograd if grad is None else grad
    out = []
    with _quiet():
        _seed()
        try:
            all_samples = list(itertools.islice(op.sample_inputs("cpu", dtype, requires_grad=grad), 1000))
        except Exception:  # noqa: BLE001 - a sample function that fails on CPU: nothing to run
            all_samples = []
        out += [("sample", i, s, grad) for i, s in enumerate(all_samples[:cap])]
        if op.reference_inputs_func is not None:
            _seed()
            try:
                refs = op.reference_inputs("cpu", dtype, requires_grad=grad)
                out += [("reference", i, s, grad)
                        for i, s in enumerate(itertools.islice(refs, len(all_samples), len(all_samples) + cap))]
            except Exception:  # noqa: BLE001
                pass
    return out


def entry_dtypes(op: Any) -> list[torch.dtype]:
    """The dtypes run for an entry: float64 and float32, plus int64 and bool, where op.dtypes has them."""
    return [d for d in (torch.float64, torch.float32, torch.int64, torch.bool) if d in op.dtypes]


def run_entry(op: Any, dtype: torch.dtype, cap: int = 12, fn: Callable[..., Any] | None = None) -> list[SampleResult]:
    """Every capped sample of one (entry, dtype), run and classified."""
    fn = fn or resolve(op)
    results = []
    for kind, i, s, grad in samples(op, dtype, cap):
        if _numel((s.input, s.args, s.kwargs)) > MAX_NUMEL:
            results.append(SampleResult(kind, i, "skipped", f"over {MAX_NUMEL} elements"))
            continue
        with _quiet():
            status, reason = run_sample(op, fn, s, grad)
        results.append(SampleResult(kind, i, status, reason))
    return results


def dtype_name(d: torch.dtype) -> str:
    return str(d).replace("torch.", "")


def case_id(op: Any, dtype: torch.dtype) -> str:
    """The id of one (entry, dtype) test: ``sort-float64``, ``div.trunc_rounding-int64``."""
    return f"{entry_id(op)}-{dtype_name(dtype)}"


def first_failure(results: list[SampleResult]) -> str | None:
    bad = [r for r in results if r.status == "fail"]
    return f"{bad[0].kind} {bad[0].index}: {bad[0].reason}" if bad else None


# The caps tests/ops/test_opinfo_samples.py runs with (and --known-failures reproduces).
PYTEST_CAP = 4


def known_failures(cap: int = PYTEST_CAP) -> dict[str, str]:
    """case id -> first failure, for every (present entry, dtype) with a failing sample at ``cap``."""
    out = {}
    for op in ENTRIES:
        fn = resolve(op)
        if fn is None:
            continue
        for d in entry_dtypes(op):
            r = first_failure(run_entry(op, d, cap, fn))
            if r:
                out[case_id(op, d)] = r
    return out


def differentiable(op: Any) -> bool:
    """Whether gradcheck runs on an entry: minitorch has it, torch differentiates it in float64, deterministic."""
    return op.supports_autograd and torch.float64 in op.dtypes and _deterministic(op) and resolve(op) is not None


def _gradcheck_one(fn: Callable[..., Any], fn_torch: Callable[..., Any], sample: Any,
                   second_order: bool = False) -> str | None:
    """Why ``minitorch.autograd.gradcheck`` (and with ``second_order`` gradgradcheck, where the outputs are
    not empty) fails on this sample; "" if it passes, None if the sample has nothing to check."""
    try:
        c = convert_sample(sample)
    except Unsupported:
        return None
    if getattr(fn_torch, "gradcheck_wrapper", None) is not None and \
            fn_torch.gradcheck_wrapper.__name__ in TENSOR_WRAPPERS:
        fn = functools.partial(fn_torch.gradcheck_wrapper, fn)
    with _quiet():
        try:
            th_out = sample.output_process_fn_grad(fn_torch(c.th[0], *c.th[1], **c.th[2]))
        except Exception:  # noqa: BLE001 - torch cannot run it: nothing to check
            return None
    if any(isinstance(o, torch.Tensor) and o.dtype not in DTYPES for o in _flat(th_out)):
        return None  # an output dtype minitorch has no storage for (bfloat16)
    mt_in, mt_args, mt_kwargs = c.mt
    if not c.leaves:
        return None
    where = {id(m): i for i, (_, m) in enumerate(c.leaves)}
    # C-contiguous copies to perturb: minitorch's numerical Jacobian perturbs x._data.reshape(-1), a copy
    # (so no perturbation) for the column-major tensors LAPACK-style samples hold (lu_factor's LU)
    mts = [minitorch.from_numpy(m.detach().numpy().copy(order="C")).requires_grad_() for _, m in c.leaves]

    def put(v: Any, xs: tuple) -> Any:
        if isinstance(v, minitorch.Tensor) and id(v) in where:
            return xs[where[id(v)]]
        if isinstance(v, (list, tuple)):
            return type(v)(put(u, xs) for u in v)
        if isinstance(v, dict):
            return {k: put(u, xs) for k, u in v.items()}
        return v

    def f(*xs: Any) -> Any:
        out = sample.output_process_fn_grad(fn(put(mt_in, xs), *put(mt_args, xs), **put(mt_kwargs, xs)))
        outs = tuple(o for o in _flat(out) if isinstance(o, minitorch.Tensor) and o.requires_grad)
        return outs if len(outs) != 1 else outs[0]

    try:
        with _quiet():
            out = f(*mts)
            outs = _flat(out)
            if not outs or any(o.dtype != minitorch.float64 or not np.isfinite(o.detach().numpy()).all() for o in outs):
                return None  # nothing differentiable, outputs too coarse for central differences, or not finite
            minitorch.autograd.gradcheck(f, tuple(mts))
            if second_order and all(o.numel() for o in outs):
                minitorch.autograd.gradgradcheck(f, tuple(mts))
    except Exception as e:  # noqa: BLE001 - the failure is the result
        return _short(e)
    return ""


GRADCHECK_SAMPLES, GRADCHECK_NUMEL = 2, 60
# OpInfo gradcheck wrappers written in Tensor methods alone (so they wrap minitorch's function too): the
# input made Hermitian (input + input.mH), log-softmax-projected (ctc_loss), or triangular (via a lambda)
TENSOR_WRAPPERS = {"gradcheck_wrapper_hermitian_input", "gradcheck_wrapper_ctc_loss", "<lambda>"}


def gradcheck_entry(op: Any) -> list[str]:
    """The gradcheck failures on up to GRADCHECK_SAMPLES small float64 samples of an entry."""
    fn = resolve(op)
    chosen = []
    for _, i, s, _ in samples(op, torch.float64, PYTEST_CAP):
        if 0 < _numel((s.input, s.args, s.kwargs)) <= GRADCHECK_NUMEL:
            chosen.append((i, s))
        if len(chosen) == GRADCHECK_SAMPLES:
            break
    return [f"sample {i}: {r}" for i, s in chosen if (r := _gradcheck_one(fn, op, s))]


def known_gradcheck_failures() -> dict[str, str]:
    """entry id -> first gradcheck failure, for every differentiable present entry that fails it."""
    return {entry_id(op): r[0] for op in ENTRIES if differentiable(op) and (r := gradcheck_entry(op))}


# ---------------------------------------------------------------------------------------------------------
# Drivers for the per-family test files (one entry, chosen dtypes, caps and tolerances)
# ---------------------------------------------------------------------------------------------------------


def find(name: str, variant: str = "") -> Any:
    """The op_db entry named ``name`` with variant ``variant``."""
    return next(o for o in op_db if o.name == name and o.variant_test_name == variant)


def check_samples(name: str, variant: str = "", fn: Callable[..., Any] | None = None, *,
                  dtypes: tuple = (torch.float64,), limit: int = 12, reference: bool = False, grad: bool = True,
                  torch_fn: Callable[..., Any] | None = None, skip: Callable[[Any], bool] | None = None,
                  rtol: float | None = None, atol: float | None = None, deterministic: bool | None = None) -> int:
    """``run_sample`` on the first ``limit`` runnable sample inputs (with ``reference``, reference inputs
    beyond the sample inputs: none where the entry has no reference_inputs_func) of an entry in each dtype,
    with gradients of floating samples unless ``grad`` is False; ``fn`` is minitorch's side (default
    ``resolve``), ``skip`` drops samples, ``rtol``/``atol`` replace the default tolerances, ``deterministic``
    as ``run_sample``'s. Raises
    AssertionError with the first failure; returns how many samples passed."""
    op = find(name, variant)
    fn = fn or resolve(op)
    assert fn is not None, f"minitorch has no {entry_id(op)}"
    token = _TOL.set((rtol, atol) if rtol is not None else None)
    try:
        passed = 0
        for d in dtypes:
            chosen = [(k, i, s) for k, i, s, _ in samples(op, d, 4 * limit, grad and d.is_floating_point and
                                                          op.supports_autograd)
                      if (k == "reference") == reference and not (skip and skip(s))
                      and _numel((s.input, s.args, s.kwargs)) <= MAX_NUMEL]
            ran = 0
            for kind, i, s in chosen:
                with _quiet():
                    status, reason = run_sample(op, fn, s, grad and d.is_floating_point, torch_fn, deterministic)
                assert status != "fail", f"{entry_id(op)} {dtype_name(d)} {kind} {i}: {reason}"
                passed += status == "pass"
                ran += status == "pass"
                if ran == limit:
                    break
        return passed
    finally:
        _TOL.reset(token)


def check_dtype_rules(name: str, variant: str = "", fn: Callable[..., Any] | None = None, limit: int = 2) -> int:
    """int64, bool and float32 samples without gradients: torch's result dtypes and values, or its refusals."""
    return check_samples(name, variant, fn, dtypes=(torch.int64, torch.bool, torch.float32), limit=limit, grad=False)


def _raised(fn: Callable[..., Any], x: Any, args: tuple, kwargs: dict) -> BaseException | None:
    """What ``fn`` raises (a returned NotImplemented as a TypeError), or None."""
    try:
        with _quiet():
            out = fn(x, *args, **kwargs)
    except Exception as e:  # noqa: BLE001 - the exception is the result under test
        return e
    return TypeError(f"{fn} returned NotImplemented") if out is NotImplemented else None


def error_input_failure(op: Any, fn: Callable[..., Any], error: Any) -> str | None:
    """Why minitorch fails one ErrorInput of an entry, or None: torch raises what it says (or accepts the
    input, and then so must minitorch); minitorch raises its type and torch's builtin type, with a message
    its ``error_regex`` matches (``re.search``)."""
    s = error.sample_input
    expected = _raised(op, s.input, s.args, s.kwargs)
    got = _raised(fn, _to_minitorch(s.input), _to_minitorch(s.args), _to_minitorch(s.kwargs))
    if expected is None:
        return None if got is None else f"torch accepts this input, minitorch raised {_short(got)}"
    assert isinstance(expected, error.error_type) and re.search(error.error_regex, str(expected)), expected
    if not (isinstance(got, error.error_type) and isinstance(got, _builtin_type(expected))):
        return f"torch raised {_short(expected)}; minitorch " + ("raised nothing" if got is None else f"raised {_short(got)}")
    return None if re.search(error.error_regex, str(got)) else f"{error.error_regex!r} not in {got}"


def check_error_inputs(name: str, variant: str = "", fn: Callable[..., Any] | None = None) -> int:
    """``error_input_failure`` on every ErrorInput of an entry (those with ``out=`` left out); raises
    AssertionError with the first failure; returns how many were checked."""
    op = find(name, variant)
    fn = fn or resolve(op)
    if op.error_inputs_func is None:
        return 0
    errors = [e for e in op.error_inputs("cpu") if "out" not in e.sample_input.kwargs]
    for i, e in enumerate(errors):
        r = error_input_failure(op, fn, e)
        assert r is None, f"{entry_id(op)} error input {i}: {r}"
    return len(errors)


def gradcheck_samples(name: str, variant: str = "", fn: Callable[..., Any] | None = None, *, limit: int = 2,
                      max_numel: int = GRADCHECK_NUMEL, second_order: bool = True) -> int:
    """gradcheck (and gradgradcheck) on the first ``limit`` float64 samples of an entry with at most
    ``max_numel`` elements; raises AssertionError with the first failure; returns how many were checked."""
    op = find(name, variant)
    fn = fn or resolve(op)
    checked = 0
    with _quiet():
        _seed()
        all_samples = list(op.sample_inputs("cpu", torch.float64, requires_grad=True))
    for i, s in enumerate(all_samples):
        if checked == limit:
            break
        if 0 < _numel((s.input, s.args, s.kwargs)) <= max_numel:
            r = _gradcheck_one(fn, op, s, second_order)
            assert not r, f"{entry_id(op)} sample {i}: {r}"
            checked += r is not None
    return checked


# ---------------------------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------------------------


def _select(names: list[str]) -> list:
    if not names:
        return ENTRIES
    chosen = [op for op in ENTRIES if op.name in names or entry_id(op) in names]
    unknown = set(names) - {op.name for op in chosen} - {entry_id(op) for op in chosen}
    for n in sorted(unknown):
        print(f"{n}: not an entry" + (f" (set aside: {SET_ASIDE[n]})" if n in SET_ASIDE else ""))
    return chosen


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.opinfo", description=__doc__.split("\n")[0])
    p.add_argument("names", nargs="*")
    p.add_argument("--summary", action="store_true")
    p.add_argument("--known-failures", action="store_true")
    p.add_argument("--json", metavar="PATH")
    p.add_argument("--cap", type=int, default=12)
    a = p.parse_args(argv)
    if a.known_failures:
        kf = known_failures()
        print("KNOWN_FAILURES: dict[str, str] = {")
        for k in sorted(kf):
            print(f"    {k!r}: {kf[k]!r},")
        print("}\n\nKNOWN_GRADCHECK_FAILURES: dict[str, str] = {")
        kg = known_gradcheck_failures()
        for k in sorted(kg):
            print(f"    {k!r}: {kg[k]!r},")
        print("}")
        return 0
    chosen = _select(a.names)
    start = time.time()
    report: dict[str, Any] = {}
    totals = {k: {"pass": 0, "fail": 0, "unsupported": 0, "skipped": 0} for k in ("sample", "reference")}
    missing = []
    for op in chosen:
        fn = resolve(op)
        eid = entry_id(op)
        if fn is None:
            missing.append(eid)
            report[eid] = {"present": False}
            if not a.summary:
                print(f"{eid}: MISSING")
            continue
        per = {}
        for d in entry_dtypes(op):
            res = run_entry(op, d, a.cap, fn)
            per[dtype_name(d)] = [dataclasses.asdict(r) for r in res]
            for r in res:
                totals[r.kind][r.status] += 1
        report[eid] = {"present": True, "dtypes": per}
        if not a.summary:
            flat = [r for rs in per.values() for r in rs]
            n = {s: sum(r["status"] == s for r in flat) for s in ("pass", "fail", "unsupported", "skipped")}
            print(f"{eid}: present, {n['pass']} passed, {n['fail']} failed, {n['unsupported']} unsupported"
                  + (f", {n['skipped']} skipped" if n["skipped"] else ""))
            shown = set()
            for dn, rs in per.items():
                for r in rs:
                    if r["status"] != "pass" and r["reason"] not in shown and len(shown) < 3:
                        shown.add(r["reason"])
                        print(f"    {dn} {r['kind']} {r['index']} {r['status']}: {r['reason']}")
    present = len(chosen) - len(missing)
    print(f"\nentries: {len(chosen)} (op_db {len(op_db)}, set aside {len(SET_ASIDE)}); present: {present}; "
          f"missing: {len(missing)}")
    if a.summary:
        print("missing: " + " ".join(missing))
        if not a.names:
            reasons: dict[str, list[str]] = {}
            for k, r in SET_ASIDE.items():
                reasons.setdefault(r, []).append(k)
            for r, ks in reasons.items():
                print(f"set aside ({len(ks)}) {r}: {' '.join(ks)}")
    for kind, t in totals.items():
        run = t["pass"] + t["fail"]
        pct = 100.0 * t["pass"] / run if run else 0.0
        print(f"{kind}s: {t['pass']} passed of {run} run ({pct:.1f}%), {t['unsupported']} unsupported, "
              f"{t['skipped']} skipped")
    print(f"time: {time.time() - start:.0f} s")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
