"""``SGD``: stochastic gradient descent with optional momentum, dampening, Nesterov and weight decay."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from minitorch.optim.optimizer import Optimizer, _check_flags, _check_nonnegative
from minitorch._tensor import Tensor


class SGD(Optimizer):
    r"""Stochastic gradient descent (torch's formulation, momentum buffer seeded with the first gradient).

    Options: ``lr`` (gamma), ``momentum`` (mu), ``dampening`` (tau), ``weight_decay`` (lambda),
    ``nesterov``, ``maximize``; ``foreach``/``differentiable``/``fused`` are kept for torch's
    ``param_groups`` layout (see ``minitorch.optim.optimizer``).
    """

    _state_keys = ("momentum_buffer",)

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False, fused: bool | None = None) -> None:
        _check_nonnegative("learning rate", lr)
        _check_nonnegative("momentum value", momentum)
        _check_nonnegative("weight_decay value", weight_decay)
        _check_flags("SGD", fused, differentiable=differentiable)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay,
                    "nesterov": nesterov, "maximize": maximize, "foreach": foreach,
                    "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)

    def step(self, closure: Any = None) -> Any:
        r"""One SGD step for every parameter with a gradient (closure: re-evaluate, return the loss).

        .. math::
            g_t = \pm\nabla f(\theta_{t-1}) + \lambda\theta_{t-1}  \quad(- \text{ if maximize})

            b_1 = g_1,\quad b_t = \mu b_{t-1} + (1-\tau) g_t  \quad(\text{if } \mu \ne 0)

            g_t \leftarrow g_t + \mu b_t \text{ (nesterov)}  \quad\text{or}\quad g_t \leftarrow b_t

            \theta_t = \theta_{t-1} - \gamma g_t
        """
        return super().step(closure)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> None:
        g = -grad if group["maximize"] else grad
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p._data
        momentum = group["momentum"]
        if momentum != 0:
            state = self.state[p]
            buf = state.get("momentum_buffer")
            if buf is None:
                b = np.array(g, copy=True)
                state["momentum_buffer"] = Tensor._make(b)
            else:
                b = buf._data
                b *= momentum
                b += (1 - group["dampening"]) * g if group["dampening"] else g
            g = g + momentum * b if group["nesterov"] else b
        p._data -= group["lr"] * g
