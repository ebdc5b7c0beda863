"""``RMSprop``: gradient scaled by a running root-mean-square, optionally centred and with momentum."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from minitorch.optim.optimizer import (
    Optimizer, _addcdiv_, _addcmul_, _check_flags, _check_nonnegative, _lerp_, _step_tensor,
)
from minitorch._tensor import Tensor


class RMSprop(Optimizer):
    """RMSprop as ``torch.optim.RMSprop``: ``alpha`` smoothing, ``eps`` added *outside* the square root.

    Options: ``lr``, ``alpha``, ``eps``, ``weight_decay``, ``momentum``, ``centered``, ``maximize``.
    """

    _state_keys = ("step", "square_avg", "momentum_buffer", "grad_avg")

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        _check_nonnegative("learning rate", lr)
        _check_nonnegative("epsilon value", eps)
        _check_nonnegative("momentum value", momentum)
        _check_nonnegative("weight_decay value", weight_decay)
        _check_nonnegative("alpha value", alpha)
        _check_flags("RMSprop", None, capturable, differentiable)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
                    "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)

    def step(self, closure: Any = None) -> Any:
        r"""One RMSprop step for every parameter with a gradient (closure: re-evaluate, return the loss).

        .. math::
            g_t = \pm\nabla f(\theta_{t-1}) + \lambda\theta_{t-1}, \qquad
            v_t = \alpha v_{t-1} + (1-\alpha) g_t^2

            \bar g_t = \alpha \bar g_{t-1} + (1-\alpha) g_t, \quad
            \tilde v_t = v_t - \bar g_t^2 \text{ (centered)} \quad\text{else}\quad \tilde v_t = v_t

            b_t = \mu b_{t-1} + g_t / (\sqrt{\tilde v_t} + \epsilon), \quad \theta_t = \theta_{t-1} - \gamma b_t
            \quad (\mu > 0)

            \theta_t = \theta_{t-1} - \gamma g_t / (\sqrt{\tilde v_t} + \epsilon) \quad (\mu = 0)
        """
        return super().step(closure)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> None:
        state = self.state[p]
        if len(state) == 0:
            state["step"] = _step_tensor()
            state["square_avg"] = Tensor._make(np.zeros_like(p._data))
            if group["momentum"] > 0:
                state["momentum_buffer"] = Tensor._make(np.zeros_like(p._data))
            if group["centered"]:
                state["grad_avg"] = Tensor._make(np.zeros_like(p._data))
        lr, alpha, momentum = group["lr"], group["alpha"], group["momentum"]
        state["step"]._data += 1
        g = -grad if group["maximize"] else grad
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p._data
        square_avg = state["square_avg"]._data
        square_avg *= alpha
        _addcmul_(square_avg, 1 - alpha, g, g)
        if group["centered"]:
            grad_avg = state["grad_avg"]._data
            _lerp_(grad_avg, g, 1 - alpha)
            avg = np.sqrt(square_avg - grad_avg * grad_avg)
        else:
            avg = np.sqrt(square_avg)
        avg += group["eps"]
        if momentum > 0:
            buf = state["momentum_buffer"]._data
            buf *= momentum
            _addcdiv_(buf, 1, g, avg)
            p._data -= lr * buf
        else:
            _addcdiv_(p._data, -lr, g, avg)
