"""The per-feature affine parameters (weight, bias) shared by the normalisation layers."""
from __future__ import annotations

from typing import Any

from minitorch import creation
from minitorch.autograd.grad_mode import no_grad
from minitorch.nn.modules.module import Module
from minitorch.nn.parameter import Parameter


def register_affine(module: Module, shape: Any, affine: bool, bias: bool, dtype: Any) -> None:
    """Register ``weight`` and ``bias`` Parameters of ``shape`` on ``module`` (None when not ``affine``;
    ``bias`` None when not ``bias``); their values are set by ``reset_affine``."""
    module.register_parameter("weight", Parameter(creation.empty(shape, dtype=dtype)) if affine else None)
    module.register_parameter("bias", Parameter(creation.empty(shape, dtype=dtype)) if affine and bias else None)


def reset_affine(weight: Parameter | None, bias: Parameter | None) -> None:
    """weight = 1, bias = 0 (each when present)."""
    with no_grad():
        if weight is not None:
            weight.fill_(1.0)
        if bias is not None:
            bias.zero_()
