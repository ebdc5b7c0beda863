"""``SparseAdam``: the masked Adam torch runs on sparse-layout gradients (``nn.Embedding(sparse=True)``)."""
from __future__ import annotations

from typing import Any, Iterable

from minitorch.autograd.grad_mode import enable_grad
from minitorch.optim.adamax import _check_betas
from minitorch.optim.optimizer import Optimizer


class SparseAdam(Optimizer):
    """SparseAdam as ``torch.optim.SparseAdam``: constructed with torch's options and checks.

    torch's SparseAdam updates only the entries a *sparse-layout* gradient materialises and refuses
    dense gradients. minitorch tensors are always dense (there is no sparse layout), so every gradient
    it can produce is dense and ``step()`` raises torch's error for one, pointing to ``Adam``.
    Options: ``lr`` > 0, ``betas``, ``eps`` > 0, ``maximize``.
    """

    _state_keys = ("step", "exp_avg", "exp_avg_sq")

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, maximize: bool = False) -> None:
        if not 0.0 < lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        _check_betas(betas)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "maximize": maximize}
        super().__init__(params, defaults)

    def step(self, closure: Any = None) -> Any:
        """Evaluate ``closure`` (with grad enabled); refuse the dense gradients of the parameters."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    raise RuntimeError("SparseAdam does not support dense gradients, please consider Adam instead")
        return loss
