"""``Adamax``: Adam with the infinity norm in place of the second moment."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from minitorch.optim.optimizer import Optimizer, _addcdiv_, _check_flags, _check_nonnegative, _lerp_, _step_tensor
from minitorch._tensor import Tensor


def _check_betas(betas: Any) -> None:
    """torch's ``Invalid beta parameter at index i`` check: both betas in [0, 1)."""
    for i in range(2):
        if not 0.0 <= betas[i] < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {betas[i]}")


class Adamax(Optimizer):
    """Adamax as ``torch.optim.Adamax`` (Kingma & Ba, section 7): ``u_t = max(beta2 u_{t-1}, |g_t| + eps)``.

    Options: ``lr``, ``betas``, ``eps``, ``weight_decay`` (L2 added to the gradient), ``maximize``.
    """

    _state_keys = ("step", "exp_avg", "exp_inf")

    def __init__(self, params: Iterable[Any], lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        _check_nonnegative("learning rate", lr)
        _check_nonnegative("epsilon value", eps)
        _check_betas(betas)
        _check_nonnegative("weight_decay value", weight_decay)
        _check_flags("Adamax", None, capturable, differentiable)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def step(self, closure: Any = None) -> Any:
        r"""One Adamax step for every parameter with a gradient (closure: re-evaluate, return the loss).

        .. math::
            g_t = \pm\nabla f(\theta_{t-1}) + \lambda\theta_{t-1}, \qquad m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t

            u_t = \max(\beta_2 u_{t-1}, |g_t| + \epsilon), \qquad
            \theta_t = \theta_{t-1} - \frac{\gamma}{1-\beta_1^t} \frac{m_t}{u_t}
        """
        return super().step(closure)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> None:
        state = self.state[p]
        if len(state) == 0:
            state["step"] = _step_tensor()
            state["exp_avg"] = Tensor._make(np.zeros_like(p._data))
            state["exp_inf"] = Tensor._make(np.zeros_like(p._data))
        beta1, beta2 = group["betas"]
        g = -grad if group["maximize"] else grad
        state["step"]._data += 1
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p._data
        exp_avg, exp_inf = state["exp_avg"]._data, state["exp_inf"]._data
        _lerp_(exp_avg, g, 1 - beta1)
        exp_inf *= beta2
        norm = np.abs(g)
        norm += group["eps"]
        np.maximum(exp_inf, norm, out=exp_inf)
        clr = group["lr"] / (1 - beta1 ** state["step"].item())
        _addcdiv_(p._data, -clr, exp_avg, exp_inf)
