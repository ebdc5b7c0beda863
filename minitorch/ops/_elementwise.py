"""Shared argument handling of the elementwise families (trigonometric, rounding, exponential, special):
float promotion of unary ops, torch's Tensor-only binary signatures, and in-place forms of float-valued ops."""
from __future__ import annotations

from typing import Any, Callable

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.autograd.inplace import run_inplace
from minitorch.ops._args import _binary, _check_inplace_dtype, _floating, _tensor_arg


def float_unary(op: Any, x: Tensor, *args: Any) -> Tensor:
    """``op`` on ``x`` promoted to the default float dtype when it is an integer or bool tensor."""
    _tensor_arg(x, op.__name__.lower(), "input", 1)
    return op.apply(_floating(x), *args)


def tensor_pair(fn: str, input: Any, other: Any, other_name: str = "other") -> None:
    """torch's TypeError for the binary functions that take two Tensors (no Python numbers)."""
    _tensor_arg(input, fn, "input", 1)
    _tensor_arg(other, fn, other_name, 2)


def float_binary(op: Any, fn: str, input: Any, other: Any, ints: bool = True, other_name: str = "other") -> Tensor:
    """``op`` on two tensors promoted together, integers to the default float (``ints``) or refused as torch does."""
    tensor_pair(fn, input, other, other_name)
    rt = _dtype.result_type(input, other)
    if not rt.is_floating_point and not ints:
        raise NotImplementedError(f"\"{fn}_cpu\" not implemented for '{_dtype.legacy_name(rt)}'")
    return _binary(op, input, other, floating=True)


def float_inplace(self: Tensor, compute: Callable[[Tensor], Tensor], *others: Any) -> Tensor:
    """``self = compute(self)`` in place for an op whose result is floating (integer tensors are refused, and a
    tensor ``other`` may not promote the result beyond ``self``'s dtype)."""
    other = others[0] if others else 0.0
    _check_inplace_dtype(self, other if isinstance(other, Tensor) else 0.0, "", floating=True)
    return run_inplace(self, compute, None, *others)
