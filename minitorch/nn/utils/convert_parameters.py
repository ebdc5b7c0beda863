"""Flatten parameters into one vector and back (for optimisers and tools that work on flat vectors)."""
from __future__ import annotations

from typing import Iterable

from minitorch.ops.shape import cat
from minitorch._tensor import Tensor


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All ``parameters`` flattened and concatenated into one 1-D tensor (differentiable)."""
    return cat([p.view(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Make each of ``parameters`` a view of its consecutive slice of the 1-D tensor ``vec``."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected minitorch.Tensor, but got: {type(vec).__name__}")
    pointer = 0
    for param in parameters:
        n = param.numel()
        param.data = vec[pointer:pointer + n].view_as(param).data
        pointer += n
