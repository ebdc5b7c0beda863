"""``assert_close``: torch.testing.assert_close's rules, tolerances and failure text, over numpy.

The inputs may be minitorch tensors, torch tensors, numpy arrays, Python or numpy numbers, booleans,
``None``, and sequences or mappings nesting them. As in torch, a tensor-like is compared only with a
related one (a minitorch or torch tensor with either; an ndarray with an ndarray), a number with a
number: ``assert_close(t.numpy(), t)`` is a TypeError. Tensors are compared by shape, then (optionally)
device, dtype (by name, so a minitorch float32 matches a torch float32) and stride, then values with
``|actual - expected| <= atol + rtol * |expected|`` elementwise.
"""
from __future__ import annotations

import cmath
import collections.abc
from typing import Any, Callable

import numpy as np

from minitorch._tensor import Tensor

# {dtype name: (rtol, atol)}, torch's defaults; any other dtype compares exactly.
DTYPE_PRECISIONS = {
    "float16": (0.001, 1e-5), "bfloat16": (0.016, 1e-5), "float32": (1.3e-6, 1e-5), "float64": (1e-7, 1e-7),
    "complex32": (0.001, 1e-5), "complex64": (1.3e-6, 1e-5), "complex128": (1e-7, 1e-7),
}
_NUMBER_DTYPES = {int: "int64", float: "float64", complex: "complex128"}


class _Mismatch(Exception):
    """A failed comparison: the exception type to raise, its message, and where in the nesting it happened."""

    def __init__(self, kind: type, msg: str, id: tuple = ()) -> None:
        super().__init__(msg)
        self.kind, self.msg, self.id = kind, msg, id

    def to_error(self, msg: str | Callable[[str], str] | None = None) -> Exception:
        if not isinstance(msg, str):
            generated = self.msg
            if self.id:
                generated += f"\n\nThe failure occurred for item {''.join(str([item]) for item in self.id)}"
            msg = msg(generated) if callable(msg) else generated
        return self.kind(msg)


def _is_torch_tensor(x: Any) -> bool:
    """A torch.Tensor (or subclass), recognised without importing torch."""
    return any(c.__name__ == "Tensor" and c.__module__.split(".")[0] == "torch" for c in type(x).__mro__)


class _TensorLike:
    """A tensor-like as numpy: its values, dtype name, how its framework prints dtype/shape, device, strides."""

    def __init__(self, x: Any) -> None:
        if isinstance(x, Tensor):
            self.array, self.prefix, self.device = x.detach().numpy(), "minitorch", str(x.device)
        elif _is_torch_tensor(x):
            t = x.detach().cpu().resolve_conj().resolve_neg()
            self.array, self.prefix, self.device = t.numpy(), "torch", str(x.device)
            self.torch_dtype = str(x.dtype).split(".")[-1]
        else:
            self.array, self.prefix, self.device = np.asarray(x), "minitorch", "cpu"
        self.dtype = getattr(self, "torch_dtype", None) or ("bool" if self.array.dtype == np.bool_ else self.array.dtype.name)
        item = self.array.itemsize or 1
        self.stride = tuple(s // item for s in self.array.strides)

    def show_dtype(self) -> str:
        return f"{self.prefix}.{self.dtype}"

    def show_shape(self) -> str:
        return f"{self.prefix}.Size({list(self.array.shape)})"


def default_tolerances(*dtypes: str) -> tuple:
    """(rtol, atol): the loosest of torch's defaults for these dtype names (exact for integers and bool)."""
    rtols, atols = zip(*[DTYPE_PRECISIONS.get(d, (0.0, 0.0)) for d in dtypes])
    return max(rtols), max(atols)


def _check_spec(rtol: float | None, atol: float | None, id: tuple) -> None:
    if (rtol is None) ^ (atol is None):
        raise _Mismatch(ValueError, "Both 'rtol' and 'atol' must be either specified or omitted, "
                        f"but got no {'rtol' if rtol is None else 'atol'}.", id)


def _tolerances(dtypes: tuple, rtol: float | None, atol: float | None, id: tuple) -> tuple:
    _check_spec(rtol, atol, id)
    return (rtol, atol) if rtol is not None else default_tolerances(*dtypes)


def _diff_msg(kind: str, diff: Any, idx: tuple | None, tol: float, equality: bool) -> str:
    msg = f"{kind.title()} difference: {diff}" if idx is None else f"Greatest {kind} difference: {diff} at index {idx}"
    return msg + ("" if equality else f" (up to {tol} allowed)") + "\n"


def _mismatch_msg(identifier: str, extra: str, abs_diff: Any, abs_idx: tuple | None, rel_diff: Any,
                  rel_idx: tuple | None, rtol: float, atol: float) -> str:
    equality = rtol == 0 and atol == 0
    msg = f"{identifier} are not {'equal' if equality else 'close'}!\n\n{extra.strip()}\n"
    msg += _diff_msg("absolute", abs_diff, abs_idx, atol, equality)
    msg += _diff_msg("relative", rel_diff, rel_idx, rtol, equality)
    return msg.strip()


def _scalar_msg(actual: Any, expected: Any, rtol: float, atol: float) -> str:
    abs_diff = abs(actual - expected)
    rel_diff = float("inf") if expected == 0 else abs_diff / abs(expected)
    return _mismatch_msg("Scalars", f"Expected {expected} but got {actual}.", abs_diff, None, rel_diff, None, rtol, atol)


def _compare_numbers(actual: Any, expected: Any, id: tuple, *, rtol: float | None, atol: float | None,
                     equal_nan: bool, check_dtype: bool, **options: Any) -> None:
    actual, expected = (x.item() if isinstance(x, np.number) else x for x in (actual, expected))
    rtol, atol = _tolerances((_NUMBER_DTYPES[type(actual)], _NUMBER_DTYPES[type(expected)]), rtol, atol, id)
    if check_dtype and type(actual) is not type(expected):
        raise _Mismatch(AssertionError, f"The (d)types do not match: {type(actual)} != {type(expected)}.", id)
    if actual == expected or equal_nan and cmath.isnan(actual) and cmath.isnan(expected):
        return
    abs_diff = abs(actual - expected)
    if cmath.isfinite(abs_diff) and abs_diff <= atol + rtol * abs(expected):
        return
    raise _Mismatch(AssertionError, _scalar_msg(actual, expected, rtol, atol), id)


def _isclose(a: np.ndarray, b: np.ndarray, rtol: float, atol: float, equal_nan: bool) -> np.ndarray:
    """torch.isclose: equal (infinities included), or finitely within atol + rtol * |b|; NaN == NaN with equal_nan."""
    with np.errstate(invalid="ignore", over="ignore"):
        close = a == b
        if equal_nan and a.dtype.kind in "fc":
            close |= np.isnan(a) & np.isnan(b)
        if (rtol or atol) and a.dtype.kind in "fc":
            err = np.abs(a - b)
            close |= np.isfinite(err) & (err <= atol + np.abs(rtol * b))
    return close


def _unravel(flat: int, shape: tuple) -> tuple:
    return tuple(int(i) for i in np.unravel_index(flat, shape))


def _tensor_msg(a: np.ndarray, b: np.ndarray, matches: np.ndarray, rtol: float, atol: float) -> str:
    total = matches.size
    bad = total - int(matches.sum())
    extra = f"Mismatched elements: {bad} / {total} ({bad / total:.1%})"
    a, b, m = a.ravel(), b.ravel(), matches.ravel()
    if a.dtype.kind not in "fc":  # integers and bool, as torch does, in int64
        a, b = a.astype(np.int64), b.astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        abs_diff = np.abs(a - b)
        abs_diff[m] = 0
        real = np.float32 if abs_diff.dtype.kind in "iu" else abs_diff.dtype  # int / int is float32 in torch
        rel_diff = abs_diff.astype(real) / np.abs(b).astype(real)
        rel_diff[m] = 0
    ia, ir = _argmax(abs_diff), _argmax(rel_diff)
    return _mismatch_msg("Tensor-likes", extra, abs_diff[ia].item(), _unravel(ia, matches.shape),
                         rel_diff[ir].item(), _unravel(ir, matches.shape), rtol, atol)


def _argmax(x: np.ndarray) -> int:
    """The index of the maximum, a NaN winning (torch.max propagates NaN)."""
    nan = np.isnan(x) if x.dtype.kind in "fc" else np.zeros(x.shape, bool)
    return int(np.argmax(nan)) if nan.any() else int(np.argmax(x))


def _compare_tensors(actual: Any, expected: Any, id: tuple, *, rtol: float | None, atol: float | None,
                     equal_nan: bool, check_device: bool, check_dtype: bool, check_stride: bool) -> None:
    a, e = _TensorLike(actual), _TensorLike(expected)
    rtol, atol = _tolerances((a.dtype, e.dtype), rtol, atol, id)

    def mismatch(name: str, x: str, y: str) -> _Mismatch:
        return _Mismatch(AssertionError, f"The values for attribute '{name}' do not match: {x} != {y}.", id)

    if a.array.shape != e.array.shape:
        raise mismatch("shape", a.show_shape(), e.show_shape())
    if check_stride and a.stride != e.stride:
        raise mismatch("stride()", str(a.stride), str(e.stride))
    if check_device and a.device != e.device:
        raise mismatch("device", a.device, e.device)
    if check_dtype and a.dtype != e.dtype:
        raise mismatch("dtype", a.show_dtype(), e.show_dtype())
    x, y = a.array, e.array
    if x.dtype != y.dtype:
        common = np.promote_types(x.dtype, y.dtype)
        x, y = x.astype(common), y.astype(common)
    matches = _isclose(x, y, rtol, atol, equal_nan)
    if matches.all():
        return
    if x.shape == ():
        raise _Mismatch(AssertionError, _scalar_msg(x.item(), y.item(), rtol, atol), id)
    raise _Mismatch(AssertionError, _tensor_msg(x, y, matches, rtol, atol), id)


def _tensor_family(x: Any) -> str | None:
    if isinstance(x, Tensor) or _is_torch_tensor(x):
        return "tensor"
    return "ndarray" if isinstance(x, np.ndarray) else None


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, complex, np.number)) and not isinstance(x, (bool, np.bool_))


def _originate(actual: Any, expected: Any, id: tuple, options: dict, pairs: list) -> None:
    """Recurse through sequences and mappings and collect one comparison per leaf (None, booleans, numbers,
    tensor-likes); unsupported leaves and a half-given tolerance fail here, before any value is compared."""
    seq = collections.abc.Sequence
    if isinstance(actual, seq) and not isinstance(actual, str) and isinstance(expected, seq) and not isinstance(expected, str):
        if len(actual) != len(expected):
            raise _Mismatch(AssertionError, f"The length of the sequences mismatch: {len(actual)} != {len(expected)}", id)
        for k in range(len(actual)):
            _originate(actual[k], expected[k], (*id, k), options, pairs)
        return
    if isinstance(actual, collections.abc.Mapping) and isinstance(expected, collections.abc.Mapping):
        ka, ke = set(actual.keys()), set(expected.keys())
        if ka != ke:
            raise _Mismatch(AssertionError, "The keys of the mappings do not match:\n"
                            f"Missing keys in the actual mapping: {sorted(ke - ka)}\n"
                            f"Additional keys in the actual mapping: {sorted(ka - ke)}", id)
        try:
            keys = sorted(ka)
        except TypeError:
            keys = list(ka)
        for key in keys:
            _originate(actual[key], expected[key], (*id, key), options, pairs)
        return
    if actual is None or expected is None:
        pairs.append((_compare_none, actual, expected, id))
        return
    if isinstance(actual, (bool, np.bool_)) and isinstance(expected, (bool, np.bool_)):
        pairs.append((_compare_bools, actual, expected, id))
        return
    rtol, atol = options["rtol"], options["atol"]
    if _is_number(actual) and _is_number(expected):
        _check_spec(rtol, atol, id)
        pairs.append((_compare_numbers, actual, expected, id))
        return
    family = _tensor_family(actual)
    if family is not None and family == _tensor_family(expected):
        _check_spec(rtol, atol, id)
        pairs.append((_compare_tensors, actual, expected, id))
        return
    raise _Mismatch(TypeError, f"No comparison pair was able to handle inputs of type {type(actual)} and "
                    f"{type(expected)}.", id)


def _compare_none(actual: Any, expected: Any, id: tuple, **options: Any) -> None:
    if not (actual is None and expected is None):
        raise _Mismatch(AssertionError, f"None mismatch: {actual} is not {expected}", id)


def _compare_bools(actual: Any, expected: Any, id: tuple, **options: Any) -> None:
    if bool(actual) is not bool(expected):
        raise _Mismatch(AssertionError, f"Booleans mismatch: {bool(actual)} is not {bool(expected)}", id)


def assert_close(actual: Any, expected: Any, *, allow_subclasses: bool = True, rtol: float | None = None,
                 atol: float | None = None, equal_nan: bool = False, check_device: bool = True,
                 check_dtype: bool = True, check_layout: bool = True, check_stride: bool = False,
                 msg: str | Callable[[str], str] | None = None) -> None:
    """Assert that ``actual`` and ``expected`` are close (torch.testing.assert_close's signature and text).

    Default tolerances, when neither ``rtol`` nor ``atol`` is given, are the loosest of the two dtypes':
    float16 (1e-3, 1e-5), bfloat16 (0.016, 1e-5), float32 (1.3e-6, 1e-5), float64 (1e-7, 1e-7), and 0 (exact)
    otherwise; a Python int counts as int64, a float as float64. ``msg`` replaces the message, or, if
    callable, gets it and returns the new one. minitorch has one layout (strided), so ``check_layout``
    changes nothing; a Parameter is a Tensor subclass and always compares (``allow_subclasses=False``
    refuses a Tensor against a Parameter, as torch does)."""
    __tracebackhide__ = True
    if not allow_subclasses and _tensor_family(actual) and type(actual) is not type(expected):
        raise TypeError(f"No comparison pair was able to handle inputs of type {type(actual)} and {type(expected)}.")
    options = {"rtol": rtol, "atol": atol, "equal_nan": equal_nan, "check_device": check_device,
               "check_dtype": check_dtype, "check_stride": check_stride}
    pairs: list = []
    try:
        _originate(actual, expected, (), options, pairs)
        for compare, a, e, id in pairs:
            compare(a, e, id, **options)
    except _Mismatch as error:
        raise error.to_error(msg) from None
