"""``Adafactor``: Adam-like steps with a factored (row x column) second moment (Shazeer & Stern 2018)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from minitorch.autograd.grad_mode import enable_grad, no_grad
from minitorch.optim.optimizer import Optimizer, _cast, _lerp_, _step_tensor
from minitorch._tensor import Tensor


class Adafactor(Optimizer):
    r"""Adafactor as ``torch.optim.Adafactor``: a matrix (or batch of matrices) keeps only the running row
    and column means of :math:`g^2` (``row_var``, ``col_var``), a vector or scalar a full ``variance``.

    Options: ``lr`` (the relative step :math:`\rho_t = \min(\gamma, 1/\sqrt t)`), ``beta2_decay``
    (:math:`\beta_{2,t} = 1 - t^{c}`), ``eps`` = (eps1, eps2) (eps1 None: the dtype's machine epsilon),
    ``d`` (update clipping threshold), ``weight_decay`` (decoupled), ``maximize``.
    """

    _state_keys = ("step", "row_var", "col_var", "variance")

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, beta2_decay: float = -0.8,
                 eps: tuple[float | None, float] = (None, 1e-3), d: float = 1.0, weight_decay: float = 0.0, *,
                 foreach: bool | None = None, maximize: bool = False) -> None:
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = {"lr": lr, "beta2_decay": beta2_decay, "eps": eps, "d": d, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize}
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        r"""One Adafactor step for every parameter with a gradient (closure: re-evaluate, return the loss).

        .. math::
            \rho_t = \min(\gamma, t^{-1/2}), \quad \alpha_t = \max(\epsilon_2, \mathrm{RMS}(\theta_{t-1}))\rho_t,
            \quad \theta_{t-1} \leftarrow \theta_{t-1}(1 - \gamma\lambda)

            R_t = \mathrm{lerp}(R_{t-1}, \overline{g^2}^{\,\text{cols}}, t^{c}), \quad
            C_t = \mathrm{lerp}(C_{t-1}, \overline{g^2}^{\,\text{rows}}, t^{c}), \quad
            \hat v_t = R_t C_t / \max(\overline{R_t}, \epsilon_1) \quad (\text{vectors: } \hat v_t = \mathrm{lerp}(v_{t-1}, g^2, t^c))

            u_t = g_t / \sqrt{\max(\hat v_t, \epsilon_1^2)}, \qquad
            \theta_t = \theta_{t-1} - \frac{\alpha_t}{\max(1, \mathrm{RMS}(u_t)/d)} u_t
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                eps1 = group["eps"][0]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    if eps1 is None:  # as torch: the first parameter's dtype decides for the group
                        eps1 = float(np.finfo(p._data.dtype).eps)
                    self._adafactor(p, p.grad._data, group, eps1)
                    p._vc[0] += 1
        return loss

    def _adafactor(self, p: Tensor, grad: np.ndarray, group: dict[str, Any], eps1: float) -> None:
        state = self.state[p]
        if len(state) == 0:
            state["step"] = _step_tensor()
            if grad.ndim > 1:
                state["row_var"] = Tensor._make(np.zeros(grad.shape[:-1] + (1,), grad.dtype))
                state["col_var"] = Tensor._make(np.zeros(grad.shape[:-2] + (1,) + grad.shape[-1:], grad.dtype))
            else:
                state["variance"] = Tensor._make(np.zeros_like(grad))
        lr, weight_decay = group["lr"], group["weight_decay"]
        g = -grad if group["maximize"] else grad
        state["step"]._data += 1
        step = state["step"].item()
        one_minus_beta2_t = step ** group["beta2_decay"]
        rho_t = min(lr, 1 / (step ** 0.5))
        alpha = max(group["eps"][1], float(np.sqrt(np.sum(p._data * p._data))) / (p._data.size ** 0.5)) * rho_t
        if weight_decay != 0:
            p._data *= 1 - lr * weight_decay
        if g.ndim > 1:
            row_var, col_var = state["row_var"]._data, state["col_var"]._data
            row_mean = np.sqrt(np.sum(g * g, axis=-1, keepdims=True))
            row_mean = row_mean * row_mean / g.shape[-1]
            _lerp_(row_var, row_mean, one_minus_beta2_t)
            col_mean = np.sqrt(np.sum(g * g, axis=-2, keepdims=True))
            col_mean = col_mean * col_mean / g.shape[-2]
            _lerp_(col_var, col_mean, one_minus_beta2_t)
            var_estimate = row_var @ col_var
            var_estimate /= np.maximum(row_var.mean(axis=-2, keepdims=True), eps1)
        else:
            variance = state["variance"]._data
            _lerp_(variance, g * g, one_minus_beta2_t)
            var_estimate = variance.copy()
        update = 1 / np.sqrt(np.maximum(var_estimate, eps1 * eps1))
        update *= g
        denom = max(1.0, float(np.sqrt(np.sum(update * update))) / ((update.size ** 0.5) * group["d"]))
        p._data += (-alpha / denom) * update

    def _load_state_value(self, param: Tensor, value: Any, index: Any) -> Any:
        """As the base, but ``row_var`` / ``col_var`` have the parameter's shape with a last / second-to-last 1."""
        shapes = {"row_var": param._data.shape[:-1] + (1,),
                  "col_var": param._data.shape[:-2] + (1,) + param._data.shape[-1:]}
        out = {}
        for key, v in value.items():
            if key in shapes:
                arr = np.array(v._data if isinstance(v, Tensor) else np.asarray(v), copy=True)
                if arr.shape != shapes[key]:
                    raise ValueError(f"loaded state '{key}' of parameter {index} has shape {list(arr.shape)}, "
                                     f"but it should have shape {list(shapes[key])}")
                out[key] = Tensor._make(arr.astype(param._data.dtype, copy=False))
            else:
                out[key] = _cast(param, v, index, key)
        return out
