"""``ASGD``: averaged stochastic gradient descent (Polyak & Juditsky 1992)."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from minitorch.optim.optimizer import Optimizer, _check_flags, _check_nonnegative, _scalar_dtype, _step_tensor
from minitorch._tensor import Tensor


class ASGD(Optimizer):
    r"""ASGD as ``torch.optim.ASGD``: SGD with a decaying step :math:`\eta_t` and a running average ``ax``
    of the iterates, started after ``t0`` steps.

    Options: ``lr``, ``lambd`` (decay term), ``alpha`` (power of the eta update), ``t0``, ``weight_decay``,
    ``maximize``. ``eta`` and ``mu`` are 0-d tensors of the ``step`` dtype in state, as in torch.
    """

    _state_keys = ("step", "eta", "mu", "ax")
    _scalar_state_keys = ("step", "eta", "mu")

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, lambd: float = 1e-4, alpha: float = 0.75,
                 t0: float = 1e6, weight_decay: float = 0, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        _check_nonnegative("learning rate", lr)
        _check_nonnegative("weight_decay value", weight_decay)
        _check_flags("ASGD", None, capturable, differentiable)
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

    def step(self, closure: Any = None) -> Any:
        r"""One ASGD step for every parameter with a gradient (closure: re-evaluate, return the loss).

        .. math::
            \theta_t = (1 - \lambda\eta_{t-1})\theta_{t-1} - \eta_{t-1} g_t, \qquad
            \bar\theta_t = \bar\theta_{t-1} + \mu_{t-1}(\theta_t - \bar\theta_{t-1})

            \eta_t = \frac{\gamma}{(1 + \lambda\gamma t)^\alpha}, \qquad \mu_t = \frac{1}{\max(1, t - t_0)}
        """
        return super().step(closure)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> None:
        state = self.state[p]
        if len(state) == 0:
            state["step"] = _step_tensor()
            state["eta"] = _step_tensor(group["lr"])
            state["mu"] = _step_tensor(1.0)
            state["ax"] = Tensor._make(np.zeros_like(p._data))
        lr, lambd = group["lr"], group["lambd"]
        g = -grad if group["maximize"] else grad
        state["step"]._data += 1
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p._data
        eta = state["eta"].item()
        p._data *= 1 - lambd * eta
        p._data += -eta * g
        ax, mu = state["ax"]._data, state["mu"].item()
        if mu != 1:
            ax += (p._data - ax) * mu
        else:
            ax[...] = p._data
        step = state["step"].item()
        state["eta"]._data[...] = np.asarray(lr / ((1 + lambd * lr * step) ** group["alpha"]), _scalar_dtype())
        state["mu"]._data[...] = np.asarray(1 / max(1, step - group["t0"]), _scalar_dtype())
