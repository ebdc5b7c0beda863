"""Weight normalisation with a forward pre-hook (``torch.nn.utils.weight_norm``, the deprecated form).

``weight = g * v / ||v||``, the norm taken over every dim except ``dim`` (over all of them for
``dim=None`` / -1). The parameter ``weight`` is replaced by ``weight_g`` (its norms, shaped to
broadcast along ``dim``) and ``weight_v`` (its direction); a forward pre-hook recomputes
``module.weight`` before every call, so gradients reach g and v.
"""
from __future__ import annotations

import warnings
from typing import Any, TypeVar

from minitorch.nn.modules.module import Module
from minitorch.nn.parameter import Parameter
from minitorch._tensor import Tensor

__all__ = ["WeightNorm", "weight_norm", "remove_weight_norm", "norm_except_dim"]

T_module = TypeVar("T_module", bound=Module)


def norm_except_dim(v: Tensor, pow: float = 2, dim: int = 0) -> Tensor:
    """The ``pow``-norm of v over every dim except ``dim``, kept as size-1 dims (a 0-d norm for dim == -1)."""
    if dim == -1:
        return v.norm(pow)
    dims = tuple(d for d in range(v.ndim) if d != dim % max(v.ndim, 1))
    return v.abs().pow(pow).sum(dims, keepdim=True).pow(1.0 / pow)


def weight_norm_function(v: Tensor, g: Tensor, dim: int) -> Tensor:
    """``v * (g / norm_except_dim(v, 2, dim))`` (torch's ``_weight_norm``), differentiable in v and g."""
    return v * (g / norm_except_dim(v, 2, dim))


class WeightNorm:
    """The forward pre-hook that recomputes ``module.<name>`` from ``<name>_g`` and ``<name>_v``."""

    name: str
    dim: int

    def __init__(self, name: str, dim: int | None) -> None:
        self.name = name
        self.dim = -1 if dim is None else dim

    def compute_weight(self, module: Module) -> Tensor:
        """g * v / ||v|| from the module's current parameters."""
        return weight_norm_function(getattr(module, self.name + "_v"), getattr(module, self.name + "_g"), self.dim)

    @staticmethod
    def apply(module: Module, name: str, dim: int | None) -> "WeightNorm":
        """Split ``module.<name>`` into ``<name>_g`` / ``<name>_v`` and register the hook."""
        warnings.warn("`minitorch.nn.utils.weight_norm` is deprecated in favor of "
                      "`minitorch.nn.utils.parametrizations.weight_norm`.", FutureWarning, stacklevel=3)
        for hook in module._forward_pre_hooks.values():
            if isinstance(hook, WeightNorm) and hook.name == name:
                raise RuntimeError(f"Cannot register two weight_norm hooks on the same parameter {name}")
        fn = WeightNorm(name, dim)
        weight = getattr(module, name)
        del module._parameters[name]
        module.register_parameter(name + "_g", Parameter(norm_except_dim(weight, 2, fn.dim).data))
        module.register_parameter(name + "_v", Parameter(weight.data))
        setattr(module, name, fn.compute_weight(module))
        module.register_forward_pre_hook(fn)
        return fn

    def remove(self, module: Module) -> None:
        """Fold g and v back into one parameter ``<name>``."""
        weight = self.compute_weight(module)
        delattr(module, self.name)
        del module._parameters[self.name + "_g"]
        del module._parameters[self.name + "_v"]
        setattr(module, self.name, Parameter(weight.data))

    def __call__(self, module: Module, inputs: Any) -> None:
        setattr(module, self.name, self.compute_weight(module))


def weight_norm(module: T_module, name: str = "weight", dim: int | None = 0) -> T_module:
    """Reparametrise ``module.<name>`` as ``g * v / ||v||`` (parameters ``<name>_g``, ``<name>_v``); returns module."""
    WeightNorm.apply(module, name, dim)
    return module


def remove_weight_norm(module: T_module, name: str = "weight") -> T_module:
    """Undo ``weight_norm``: ``<name>`` becomes one parameter again, holding the current g * v / ||v||."""
    for k, hook in module._forward_pre_hooks.items():
        if isinstance(hook, WeightNorm) and hook.name == name:
            hook.remove(module)
            del module._forward_pre_hooks[k]
            return module
    raise ValueError(f"weight_norm of '{name}' not found in {module}")
