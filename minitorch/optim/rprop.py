"""``Rprop``: resilient backpropagation, a per-coordinate step that grows or shrinks with the gradient's sign."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from minitorch.optim.optimizer import Optimizer, _addcmul_, _check_flags, _check_nonnegative, _step_tensor
from minitorch._tensor import Tensor


class Rprop(Optimizer):
    """Rprop as ``torch.optim.Rprop`` (Riedmiller & Braun 1993, the iRprop- variant).

    Options: ``lr`` (the initial step size), ``etas`` = (eta-, eta+) with 0 < eta- < 1 < eta+,
    ``step_sizes`` = (minimal, maximal) step size, ``maximize``.
    """

    _state_keys = ("step", "prev", "step_size")

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        _check_nonnegative("learning rate", lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        _check_flags("Rprop", None, capturable, differentiable)
        defaults = {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def step(self, closure: Any = None) -> Any:
        r"""One Rprop step for every parameter with a gradient (closure: re-evaluate, return the loss).

        .. math::
            \eta_t = \min(\eta_{t-1}\eta^+, \Gamma_{max}) \text{ if } g_t g_{t-1} > 0, \quad
            \max(\eta_{t-1}\eta^-, \Gamma_{min}) \text{ and } g_t \leftarrow 0 \text{ if } g_t g_{t-1} < 0,
            \quad \eta_{t-1} \text{ otherwise}

            \theta_t = \theta_{t-1} - \eta_t \operatorname{sign}(g_t)
        """
        return super().step(closure)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> None:
        state = self.state[p]
        if len(state) == 0:
            state["step"] = _step_tensor()
            state["prev"] = Tensor._make(np.zeros_like(p._data))
            state["step_size"] = Tensor._make(np.full_like(grad, group["lr"]))
        etaminus, etaplus = group["etas"]
        step_size_min, step_size_max = group["step_sizes"]
        g = -grad if group["maximize"] else grad
        prev, step_size = state["prev"]._data, state["step_size"]._data
        state["step"]._data += 1
        sign = np.sign(g * prev)
        sign[sign > 0] = etaplus
        sign[sign < 0] = etaminus
        sign[sign == 0] = 1
        step_size *= sign
        np.clip(step_size, step_size_min, step_size_max, out=step_size)
        g = np.array(g, copy=True)
        g[sign == etaminus] = 0
        _addcmul_(p._data, -1, np.sign(g), step_size)
        prev[...] = g
