"""``NAdam``: Adam with Nesterov momentum and a momentum schedule (Dozat 2016)."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from minitorch.optim.adamax import _check_betas
from minitorch.optim.optimizer import (
    Optimizer, _addcdiv_, _addcmul_, _check_flags, _check_nonnegative, _lerp_, _step_tensor,
)
from minitorch._tensor import Tensor


class NAdam(Optimizer):
    """NAdam as ``torch.optim.NAdam``: ``mu_t = beta1 (1 - 0.96^{t psi} / 2)`` with ``psi = momentum_decay``.

    Options: ``lr``, ``betas``, ``eps``, ``weight_decay`` (L2 added to the gradient, or decoupled as in
    AdamW when ``decoupled_weight_decay``), ``momentum_decay``, ``maximize``. The running product of the
    ``mu_t`` is kept in state ``mu_product`` (a 0-d tensor of the ``step`` dtype, as torch).
    """

    _state_keys = ("step", "mu_product", "exp_avg", "exp_avg_sq")
    _scalar_state_keys = ("step", "mu_product")

    def __init__(self, params: Iterable[Any], lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False) -> None:
        _check_nonnegative("learning rate", lr)
        _check_nonnegative("epsilon value", eps)
        _check_betas(betas)
        _check_nonnegative("weight_decay value", weight_decay)
        _check_nonnegative("momentum_decay value", momentum_decay)
        _check_flags("NAdam", None, capturable, differentiable)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def step(self, closure: Any = None) -> Any:
        r"""One NAdam step for every parameter with a gradient (closure: re-evaluate, return the loss).

        .. math::
            \mu_t = \beta_1 (1 - \tfrac12 0.96^{t\psi}), \qquad
            m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2

            \theta_t = \theta_{t-1} - \gamma \Big(\frac{(1-\mu_t) g_t}{1 - \prod_{i\le t}\mu_i}
                       + \frac{\mu_{t+1} m_t}{1 - \prod_{i\le t+1}\mu_i}\Big)
                       \Big/ \Big(\sqrt{v_t / (1-\beta_2^t)} + \epsilon\Big)
        """
        return super().step(closure)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> None:
        state = self.state[p]
        if len(state) == 0:
            state["step"] = _step_tensor()
            state["mu_product"] = _step_tensor(1.0)
            state["exp_avg"] = Tensor._make(np.zeros_like(p._data))
            state["exp_avg_sq"] = Tensor._make(np.zeros_like(p._data))
        lr, (beta1, beta2), weight_decay = group["lr"], group["betas"], group["weight_decay"]
        g = -grad if group["maximize"] else grad
        state["step"]._data += 1
        step = state["step"].item()
        bias_correction2 = 1 - beta2 ** step
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                p._data *= 1 - lr * weight_decay
            else:
                g = g + weight_decay * p._data
        mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * group["momentum_decay"])))
        mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * group["momentum_decay"])))
        state["mu_product"]._data *= mu
        exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
        _lerp_(exp_avg, g, 1 - beta1)
        exp_avg_sq *= beta2
        _addcmul_(exp_avg_sq, 1 - beta2, g, g)
        denom = np.sqrt(exp_avg_sq / bias_correction2)
        mu_product = state["mu_product"].item()
        mu_product_next = mu_product * mu_next
        denom += group["eps"]
        _addcdiv_(p._data, -lr * (1.0 - mu) / (1.0 - mu_product), g, denom)
        _addcdiv_(p._data, (-lr * mu_next) / (1.0 - mu_product_next), exp_avg, denom)
