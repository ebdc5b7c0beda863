"""Gradient clipping: rescale gradients to a maximum total norm, or clamp them element-wise."""
from __future__ import annotations

import types
import warnings
from typing import Iterable

import numpy as np

from minitorch.autograd.grad_mode import no_grad
from minitorch._tensor import Tensor


def _as_list(tensors: Tensor | Iterable[Tensor]) -> list:
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


def _vector_norm(arr: np.ndarray, norm_type: float) -> np.ndarray:
    """The ``norm_type``-norm of all entries of ``arr`` (inf: max |x|, -inf: min |x|, 0: count of non-zeros)."""
    flat = arr.ravel()
    if flat.size == 0:
        return np.zeros((), arr.dtype)
    return np.asarray(np.linalg.norm(flat, ord=norm_type), arr.dtype)


def get_total_norm(tensors: Tensor | Iterable[Tensor], norm_type: float = 2.0, error_if_nonfinite: bool = False,
                   foreach: bool | None = None) -> Tensor:
    """The ``norm_type``-norm of all entries of ``tensors`` together (the norm of their norms)."""
    tensors = _as_list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return Tensor._make(np.zeros((), np.float32))
    dtype = np.result_type(*[t._data.dtype for t in tensors])
    norms = np.stack([_vector_norm(t._data, norm_type).astype(dtype) for t in tensors])
    total = _vector_norm(norms, norm_type)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so it cannot be "
            "clipped. To disable this error and scale the gradients by the non-finite norm anyway, set "
            "`error_if_nonfinite=False`"
        )
    return Tensor._make(total)


def clip_grads_with_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float, total_norm: Tensor,
                          foreach: bool | None = None) -> None:
    """Scale every gradient by min(1, max_norm / (total_norm + 1e-6)), in place."""
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if not grads:
        return
    total = total_norm._data if isinstance(total_norm, Tensor) else np.asarray(total_norm)
    coef = np.minimum(float(max_norm) / (total + 1e-6), 1.0).astype(total.dtype)
    with no_grad(), np.errstate(invalid="ignore"):  # a non-finite total norm turns grads into NaN, as in torch
        for g in grads:
            g.mul_(Tensor._make(coef))


def clip_grad_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Rescale the gradients of ``parameters`` so that their total ``norm_type``-norm is at most ``max_norm``.

    Returns the total norm before clipping; ``norm_type`` may be ``inf`` (the largest |g|).
    ``foreach`` is accepted for torch compatibility (numpy has no multi-tensor kernels).
    """
    is_generator = isinstance(parameters, types.GeneratorType)
    parameters = _as_list(parameters)
    if is_generator and not parameters:
        warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.", stacklevel=2)
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total_norm, foreach)
    return total_norm


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: bool | None = None) -> None:
    """Clamp every gradient entry of ``parameters`` to [-clip_value, clip_value], in place."""
    clip_value = float(clip_value)
    with no_grad():
        for p in _as_list(parameters):
            if p.grad is not None:
                p.grad.clamp_(min=-clip_value, max=clip_value)
