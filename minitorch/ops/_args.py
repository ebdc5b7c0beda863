"""Argument checks and type promotion shared by the op families: torch's answers to bad input."""
from __future__ import annotations

import builtins
import numbers
import operator
from typing import Any, Callable

import numpy as np

from minitorch import _dtype
from minitorch._dtype import dtype as DType
from minitorch._tensor import Tensor, _to_array
from minitorch.autograd.inplace import run_inplace


_PY_NUMBERS = (builtins.int, builtins.float)  # not bool: True + x promotes differently


def _np(x: Any) -> Any:
    return x._data if isinstance(x, Tensor) else x


def _tensor_arg(x: Any, fn: str, name: str, position: int) -> None:
    """torch's TypeError for a non-tensor where its signature takes only a Tensor."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be Tensor, not {type(x).__name__}")


def _self_is_tensor(x: Any, method: str) -> None:
    """torch's TypeError when a Tensor method is called (unbound) on something else."""
    if not isinstance(x, Tensor):
        raise TypeError(
            f"descriptor '{method}' for 'Tensor' objects doesn't apply to a '{type(x).__name__}' object"
        )


def _number_or_tensor(a: Any, b: Any, fn: str) -> None:
    """Binary functions like ``remainder`` take (Tensor, Tensor), (Tensor, Number) or (Number, Tensor)."""
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        raise _invalid_args(fn, (a, b), ("Tensor input, Tensor other, *, Tensor out = None", "Number self, Tensor other",
                                         "Tensor input, Number other, *, Tensor out = None"))


def _invalid_args(fn: str, args: tuple, signatures: tuple) -> TypeError:
    """torch's TypeError for arguments that match none of a function's signatures."""
    got = ", ".join("Tensor" if isinstance(a, Tensor) else type(a).__name__ for a in args)
    expected = "".join(f" * ({sig})\n" for sig in signatures)
    return TypeError(f"{fn}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                     f"{expected}")


def _as_tensor(x: Any, like: Tensor) -> Tensor:
    """Wrap a number or array for use beside ``like`` (Python numbers take torch's scalar dtype)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, numbers.Number):
        return Tensor._make(np.asarray(x, _dtype.result_type(like, x).np))
    return Tensor._make(_to_array(x, None))


def _floating(x: Tensor) -> Tensor:
    """Integer and bool inputs of float functions are promoted to the default float dtype."""
    return x if x._data.dtype.kind == "f" else x.to(_dtype.get_default_dtype())


def _float_only(x: Tensor, kernel: str, message: str | None = None) -> Tensor:
    """Functions torch defines for floating dtypes only refuse integer and bool tensors."""
    if x._data.dtype.kind != "f":
        if message:
            raise RuntimeError(message)
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_dtype.legacy_name(x.dtype)}'")
    return x


def _binary_dtype(a: Any, b: Any) -> DType:
    return _dtype.result_type(a, b)


def _binary(op: Any, a: Any, b: Any, floating: bool = False, scalar_op: Any = None) -> Tensor:
    """Apply a broadcasting binary op after torch's type promotion.

    Python scalars stay scalars (numpy then keeps the tensor's dtype); tensors of another
    dtype are cast with a differentiable ``to`` so their gradient comes back in their dtype.
    ``scalar_op`` (if given) is the op's form for a tensor and a Python number, which needs
    neither shapes nor broadcasting in backward.
    """
    kb = type(b)
    if (kb is float or kb is int) and isinstance(a, Tensor) and a._data.dtype.kind == "f":
        return (scalar_op or op).apply(a, b)  # the hot path: a float tensor and a Python number need no promotion
    ka = type(a)
    if (ka is float or ka is int) and isinstance(b, Tensor) and b._data.dtype.kind == "f":
        return op.apply(a, b)
    ta, tb = isinstance(a, Tensor), isinstance(b, Tensor)
    if ta and tb:
        da, db = a._data.dtype, b._data.dtype
        if da is not db or (floating and da.kind != "f"):
            rt = _dtype.result_type(a, b)
            if floating and not rt.is_floating_point:
                rt = _dtype.get_default_dtype()
            a, b = a.to(rt), b.to(rt)
        try:
            return op.apply(a, b)
        except ValueError as e:
            if _broadcastable(a._data.shape, b._data.shape):
                raise RuntimeError(str(e)) from None
            raise RuntimeError(
                f"{_mismatch(a.shape, b.shape)}; shapes {list(a.shape)} and {list(b.shape)} in {op.__name__}"
            ) from None
    t, s = (a, b) if ta else (b, a)
    if not isinstance(s, (numbers.Number, np.generic)):
        if isinstance(s, np.ndarray) or hasattr(s, "__array__"):
            s = Tensor._make(_to_array(s, None))
            return _binary(op, a if ta else s, s if ta else b, floating)
        return NotImplemented
    kind = t._data.dtype.kind
    if isinstance(s, (builtins.bool, np.bool_)):
        s_kind = "b"
    elif isinstance(s, (builtins.int, np.integer)):
        s_kind = "i"
    else:
        s_kind = "f"
    if (s_kind == "f" and kind != "f") or (s_kind == "i" and kind == "b") or (floating and kind != "f"):
        t = t.to(_dtype.result_type(t, s) if not floating or s_kind == "f" else _dtype.get_default_dtype())
    if isinstance(s, np.generic):
        s = s.item()
    try:
        if ta and scalar_op is not None and type(s) in (builtins.int, builtins.float):
            return scalar_op.apply(t, s)
        return op.apply(t, s) if ta else op.apply(s, t)
    except OverflowError:  # an int beyond a small int dtype wraps around, as in torch
        s = np.asarray(s).astype(t._data.dtype)
        return op.apply(t, s) if ta else op.apply(s, t)


def _no_bool_sub(a: Tensor, b: Any) -> None:
    """torch refuses ``-`` with a bool operand, with a hint that depends on whether both are bools."""
    a_bool, b_bool = a._data.dtype.kind == "b", _is_bool(b)
    if a_bool and b_bool:
        raise NotImplementedError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                                  "Use the `^` or `logical_xor()` operator instead.")
    if a_bool or b_bool:
        raise NotImplementedError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                                  "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")


def _is_bool(x: Any) -> bool:
    """True for Python/numpy bools and bool tensors."""
    if isinstance(x, Tensor):
        return x._data.dtype.kind == "b"
    return isinstance(x, (builtins.bool, np.bool_))


def _not_for_bools(kernel: str, a: Tensor, b: Any) -> None:
    """torch has no bool kernel for pow, floor division and remainder."""
    if a._data.dtype.kind == "b" and _is_bool(b):
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')


def _broadcastable(s1: tuple, s2: tuple) -> bool:
    try:
        np.broadcast_shapes(s1, s2)
    except ValueError:
        return False
    return True


def _mismatch(s1: tuple, s2: tuple) -> str:
    """torch's message for shapes that do not broadcast: the first clash, counted from the right."""
    n = builtins.max(len(s1), len(s2))
    p1, p2 = (1,) * (n - len(s1)) + tuple(s1), (1,) * (n - len(s2)) + tuple(s2)
    a, b, d = (p1[-1] if p1 else 1), (p2[-1] if p2 else 1), n - 1
    for i in range(n - 1, -1, -1):
        if p1[i] != p2[i] and p1[i] != 1 and p2[i] != 1:
            a, b, d = p1[i], p2[i], i
            break
    return f"The size of tensor a ({a}) must match the size of tensor b ({b}) at non-singleton dimension {d}"


def _check_inplace_dtype(self: Tensor, other: Any, name: str, floating: bool = False) -> None:
    """In-place ops cannot change the dtype (int_tensor.add_(0.5) is an error, as in torch) nor the shape."""
    if isinstance(other, Tensor) and other._data.shape != self._data.shape:
        a, b = self._data.shape, other._data.shape
        if not _broadcastable(a, b):
            raise RuntimeError(_mismatch(a, b))
        if np.broadcast_shapes(a, b) != a:
            raise RuntimeError(f"output with shape {list(a)} doesn't match the broadcast shape "
                               f"{list(np.broadcast_shapes(a, b))}")
    rt = _dtype.result_type(self, other)
    if floating and not rt.is_floating_point:
        rt = _dtype.get_default_dtype()
    if _dtype._category(rt) > _dtype._category(self.dtype):
        raise RuntimeError(
            f"result type {_dtype.legacy_name(rt)} can't be cast to the desired output type {_dtype.legacy_name(self.dtype)}"
        )


def _inplace_binary(self: Tensor, other: Any, name: str, op: Callable[[Any, Any], Tensor]) -> Tensor:
    """``self = op(self, other)`` in place, through the out-of-place op (its dtype rules and errors included)."""
    _check_inplace_dtype(self, other, name)
    return run_inplace(self, lambda x: op(x, other), None, other)


def _int_arg(value: Any, fn: str, name: str, position: int) -> int:
    """``value`` as the int argument ``name`` of ``fn``, with torch's TypeError for anything else (bools too)."""
    try:
        if not isinstance(value, bool):
            return operator.index(value)
    except TypeError:
        pass
    raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be int, not {type(value).__name__}")
