"""``Parameter``: a leaf tensor that a Module registers as one of its weights."""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch._tensor import Tensor


class Parameter(Tensor):
    """A tensor that is a module's learnable weight: assigning it to a Module attribute registers it.

    ``Parameter(data)`` shares memory with ``data`` and requires grad by default.
    """

    def __new__(cls, data: Any = None, requires_grad: bool = True) -> "Parameter":
        arr = data._data if isinstance(data, Tensor) else np.empty(0, np.float32) if data is None else np.asarray(data)
        p = cls._make(arr)
        if isinstance(data, Tensor):
            p._vc = data._vc
        if requires_grad:
            p.requires_grad_()
        return p

    def __init__(self, data: Any = None, requires_grad: bool = True):
        pass

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __reduce__(self) -> tuple:
        return (Parameter, (Tensor._make(self._data), self._requires_grad))


class Buffer(Tensor):
    """Marks a tensor to be registered as a buffer when assigned to a Module attribute."""

    def __new__(cls, data: Any = None, *, persistent: bool = True) -> "Buffer":
        b = cls._make(data._data if isinstance(data, Tensor) else np.asarray(data))
        b.persistent = persistent
        return b

    def __init__(self, data: Any = None, *, persistent: bool = True):
        pass
