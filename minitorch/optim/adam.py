"""``Adam``: adaptive moment estimation with bias correction (and optional AMSGrad, decoupled decay)."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from minitorch.optim.optimizer import (
    Optimizer, _addcdiv_, _addcmul_, _check_flags, _check_nonnegative, _in_cache_chunks, _lerp_, _step_tensor,
)
from minitorch._tensor import Tensor


class Adam(Optimizer):
    r"""Adam, exactly as ``torch.optim.Adam``: *with* bias correction of both moments.

    The seed tutorial's Adam divides the raw moments, ``theta -= lr * m / (sqrt(v) + eps)``. Both
    moments start at zero, so early on ``m`` is too small by ``1 - beta1^t`` and ``v`` by
    ``1 - beta2^t``: its steps come out ``(1 - beta1^t) / sqrt(1 - beta2^t)`` times torch's (about
    3.2x at step 1 with the default betas, and still ~3x after 100 steps). This class divides by
    those factors (bias correction), as ``torch.optim.Adam`` does, so trajectories match PyTorch.

    Options: ``lr``, ``betas`` = (beta1, beta2) in [0, 1), ``eps``, ``weight_decay`` (L2 added to the
    gradient, or decoupled when ``decoupled_weight_decay``), ``amsgrad``, ``maximize``.
    """

    _state_keys = ("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq")

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None, decoupled_weight_decay: bool = False) -> None:
        _check_nonnegative("learning rate", lr)
        _check_nonnegative("epsilon value", eps)
        for i, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
        _check_nonnegative("weight_decay value", weight_decay)
        if not all(isinstance(beta, float) for beta in betas):
            raise ValueError("betas must be either both floats or both Tensors")
        _check_flags(type(self).__name__, fused, capturable, differentiable)
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay, "amsgrad": amsgrad,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)

    def step(self, closure: Any = None) -> Any:
        r"""One Adam step for every parameter with a gradient (closure: re-evaluate, return the loss).

        .. math::
            g_t = \pm\nabla f(\theta_{t-1}) \;[+\lambda\theta_{t-1}] \quad\text{or}\quad
            \theta_{t-1} \leftarrow \theta_{t-1}(1 - \gamma\lambda) \text{ (decoupled)}

            m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2

            \hat v_t = \max(\hat v_{t-1}, v_t) \text{ (amsgrad)} \quad\text{else}\quad \hat v_t = v_t

            \theta_t = \theta_{t-1} - \frac{\gamma}{1-\beta_1^t}\,
                       \frac{m_t}{\sqrt{\hat v_t}/\sqrt{1-\beta_2^t} + \epsilon}
        """
        return super().step(closure)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> None:
        state = self.state[p]
        if len(state) == 0:
            state["step"] = _step_tensor()
            state["exp_avg"] = Tensor._make(np.zeros_like(p._data))
            state["exp_avg_sq"] = Tensor._make(np.zeros_like(p._data))
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = Tensor._make(np.zeros_like(p._data))
        lr, (beta1, beta2), eps, weight_decay = group["lr"], group["betas"], group["eps"], group["weight_decay"]
        state["step"]._data += 1
        g = -grad if group["maximize"] else grad
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                p._data *= 1 - lr * weight_decay
            else:
                g = g + weight_decay * p._data
        exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
        step = state["step"].item()
        step_size = lr / (1 - beta1 ** step)
        bias_correction2_sqrt = (1 - beta2 ** step) ** 0.5
        arrays = (p._data, g, exp_avg, exp_avg_sq) + ((state["max_exp_avg_sq"]._data,) if group["amsgrad"] else ())
        for param, g_c, m, v, *max_v in _in_cache_chunks(*arrays):
            _lerp_(m, g_c, 1 - beta1)
            v *= beta2
            _addcmul_(v, 1 - beta2, g_c, g_c)
            if max_v:
                np.maximum(max_v[0], v, out=max_v[0])
            denom = np.sqrt(max_v[0] if max_v else v)
            denom /= bias_correction2_sqrt
            denom += eps
            _addcdiv_(param, -step_size, m, denom)
