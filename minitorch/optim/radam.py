"""``RAdam``: Adam with the variance of the adaptive learning rate rectified (Liu et al. 2019)."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from minitorch.optim.adamax import _check_betas
from minitorch.optim.optimizer import Optimizer, _addcmul_, _check_flags, _check_nonnegative, _lerp_, _step_tensor
from minitorch._tensor import Tensor


class RAdam(Optimizer):
    r"""RAdam as ``torch.optim.RAdam``: plain bias-corrected momentum SGD while :math:`\rho_t \le 5`, then
    Adam's adaptive step scaled by the rectification term :math:`r_t`.

    Options: ``lr``, ``betas``, ``eps``, ``weight_decay`` (L2 added to the gradient, or decoupled as in
    AdamW when ``decoupled_weight_decay``), ``maximize``.
    """

    _state_keys = ("step", "exp_avg", "exp_avg_sq")

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        _check_nonnegative("learning rate", lr)
        _check_nonnegative("epsilon value", eps)
        _check_betas(betas)
        _check_nonnegative("weight_decay value", weight_decay)
        _check_flags("RAdam", None, capturable, differentiable)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable, "decoupled_weight_decay": decoupled_weight_decay,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def step(self, closure: Any = None) -> Any:
        r"""One RAdam step for every parameter with a gradient (closure: re-evaluate, return the loss).

        .. math::
            \rho_\infty = \frac{2}{1-\beta_2} - 1, \qquad
            \rho_t = \rho_\infty - \frac{2 t \beta_2^t}{1-\beta_2^t}, \qquad
            \hat m_t = \frac{m_t}{1-\beta_1^t}

            r_t = \sqrt{\frac{(\rho_t-4)(\rho_t-2)\rho_\infty}{(\rho_\infty-4)(\rho_\infty-2)\rho_t}}, \qquad
            \theta_t = \theta_{t-1} - \gamma \hat m_t r_t \frac{\sqrt{1-\beta_2^t}}{\sqrt{v_t} + \epsilon}
            \;(\rho_t > 5) \quad\text{else}\quad \theta_t = \theta_{t-1} - \gamma \hat m_t
        """
        return super().step(closure)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> None:
        state = self.state[p]
        if len(state) == 0:
            state["step"] = _step_tensor()
            state["exp_avg"] = Tensor._make(np.zeros_like(p._data))
            state["exp_avg_sq"] = Tensor._make(np.zeros_like(p._data))
        lr, (beta1, beta2), weight_decay = group["lr"], group["betas"], group["weight_decay"]
        g = -grad if group["maximize"] else grad
        state["step"]._data += 1
        step = state["step"].item()
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                p._data *= 1 - lr * weight_decay
            else:
                g = g + weight_decay * p._data
        exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
        _lerp_(exp_avg, g, 1 - beta1)
        exp_avg_sq *= beta2
        _addcmul_(exp_avg_sq, 1 - beta2, g, g)
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        update = exp_avg / bias_correction1
        update *= lr
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
        if rho_t > 5.0:
            adaptive = np.sqrt(exp_avg_sq)
            adaptive += group["eps"]
            np.reciprocal(adaptive, out=adaptive)
            adaptive *= bias_correction2 ** 0.5  # torch evaluates ``scalar / t`` as ``t.reciprocal() * scalar``
            update *= adaptive
            update *= ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
        p._data -= update
