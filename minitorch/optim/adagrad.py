"""``Adagrad``: per-coordinate learning rates from the running sum of squared gradients."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from minitorch.optim.optimizer import Optimizer, _addcdiv_, _addcmul_, _check_flags, _check_nonnegative, _step_tensor
from minitorch._tensor import Tensor


class Adagrad(Optimizer):
    """Adagrad as ``torch.optim.Adagrad``; its state (``step``, ``sum``) exists from construction on.

    Options: ``lr``, ``lr_decay``, ``weight_decay``, ``initial_accumulator_value``, ``eps``, ``maximize``.
    """

    _state_keys = ("step", "sum")

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        _check_nonnegative("learning rate", lr)
        _check_nonnegative("lr_decay value", lr_decay)
        _check_nonnegative("weight_decay value", weight_decay)
        _check_nonnegative("initial_accumulator_value value", initial_accumulator_value)
        _check_nonnegative("epsilon value", eps)
        _check_flags("Adagrad", fused, differentiable=differentiable)
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p)

    def _init_state(self, p: Tensor) -> dict[str, Any]:
        state = self.state[p]
        state["step"] = _step_tensor()
        state["sum"] = Tensor._make(np.full_like(p._data, self.defaults["initial_accumulator_value"]))
        return state

    def step(self, closure: Any = None) -> Any:
        r"""One Adagrad step for every parameter with a gradient (closure: re-evaluate, return the loss).

        .. math::
            g_t = \pm\nabla f(\theta_{t-1}) + \lambda\theta_{t-1}, \qquad
            \tilde\gamma = \frac{\gamma}{1 + (t-1)\,\eta} \;(\eta = \text{lr\_decay})

            s_t = s_{t-1} + g_t^2, \qquad \theta_t = \theta_{t-1} - \tilde\gamma\, \frac{g_t}{\sqrt{s_t} + \epsilon}
        """
        return super().step(closure)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> None:
        state = self.state[p] if len(self.state[p]) else self._init_state(p)
        state["step"]._data += 1
        step = state["step"].item()
        g = -grad if group["maximize"] else grad
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p._data
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        state_sum = state["sum"]._data
        _addcmul_(state_sum, 1, g, g)
        std = np.sqrt(state_sum)
        std += group["eps"]
        _addcdiv_(p._data, -clr, g, std)
