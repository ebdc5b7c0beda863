"""``Adadelta``: a per-coordinate step size from running averages of squared gradients and squared updates."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from minitorch.optim.optimizer import Optimizer, _addcmul_, _check_flags, _check_nonnegative, _step_tensor
from minitorch._tensor import Tensor


class Adadelta(Optimizer):
    """Adadelta as ``torch.optim.Adadelta`` (Zeiler 2012), ``lr`` scaling the delta before it is applied.

    Options: ``lr``, ``rho`` in [0, 1], ``eps``, ``weight_decay`` (L2 added to the gradient), ``maximize``;
    ``foreach``/``capturable``/``differentiable`` as in ``minitorch.optim.optimizer``.
    """

    _state_keys = ("step", "square_avg", "acc_delta")

    def __init__(self, params: Iterable[Any], lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *, capturable: bool = False,
                 maximize: bool = False, differentiable: bool = False) -> None:
        _check_nonnegative("learning rate", lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        _check_nonnegative("epsilon value", eps)
        _check_nonnegative("weight_decay value", weight_decay)
        _check_flags("Adadelta", None, capturable, differentiable)
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "capturable": capturable, "foreach": foreach, "differentiable": differentiable}
        super().__init__(params, defaults)

    def step(self, closure: Any = None) -> Any:
        r"""One Adadelta step for every parameter with a gradient (closure: re-evaluate, return the loss).

        .. math::
            g_t = \pm\nabla f(\theta_{t-1}) + \lambda\theta_{t-1}, \qquad v_t = \rho v_{t-1} + (1-\rho) g_t^2

            \Delta x_t = \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}} g_t, \qquad
            u_t = \rho u_{t-1} + (1-\rho) \Delta x_t^2, \qquad \theta_t = \theta_{t-1} - \gamma \Delta x_t
        """
        return super().step(closure)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> None:
        state = self.state[p]
        if len(state) == 0:
            state["step"] = _step_tensor()
            state["square_avg"] = Tensor._make(np.zeros_like(p._data))
            state["acc_delta"] = Tensor._make(np.zeros_like(p._data))
        rho = group["rho"]
        state["step"]._data += 1
        g = -grad if group["maximize"] else grad
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p._data
        square_avg, acc_delta = state["square_avg"]._data, state["acc_delta"]._data
        square_avg *= rho
        _addcmul_(square_avg, 1 - rho, g, g)
        std = np.sqrt(square_avg + group["eps"])
        delta = np.sqrt(acc_delta + group["eps"])
        delta /= std
        delta *= g
        acc_delta *= rho
        _addcmul_(acc_delta, 1 - rho, delta, delta)
        delta *= -group["lr"]
        p._data += delta
