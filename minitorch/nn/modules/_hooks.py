"""Module backward hooks: identity Functions around a module's inputs and outputs catch their gradients.

``register_full_backward_hook(hook)`` must call ``hook(module, grad_input, grad_output)`` once the
gradients with respect to the module's inputs are known. The module's tensor inputs and outputs are
passed through one identity Function each side; a pre-hook on the output node stores grad_output,
and a post-hook on the input node (which sees grad_input) calls the user's hooks, whose return
value may replace grad_input. When no input requires grad, the hooks run as soon as grad_output
is known, with grad_input all None (as in torch).
"""
from __future__ import annotations

from typing import Any, Callable

from minitorch.autograd.function import Function
from minitorch.autograd.grad_mode import is_grad_enabled
from minitorch.creation import zeros_like
from minitorch._tensor import Tensor


class BackwardHookFunction(Function):
    """y_i = x_i for every tensor; dL/dx_i = dL/dy_i. Only a place for hooks to attach."""

    @staticmethod
    def forward(ctx: Any, *args: Tensor) -> tuple:
        ctx.mark_non_differentiable(*[a for a in args if not a.requires_grad])
        return args

    @staticmethod
    def backward(ctx: Any, *grads: Tensor) -> tuple:
        return grads


def _through_identity(values: tuple) -> tuple[tuple, Any, list]:
    """Replace the grad-requiring tensors of ``values`` by identity outputs.

    Returns the new values, the identity node (None when nothing requires grad) and the positions
    of the replaced values."""
    positions = [i for i, v in enumerate(values) if isinstance(v, Tensor) and v.requires_grad]
    if not positions or not is_grad_enabled():
        return values, None, []
    outs = BackwardHookFunction.apply(*[values[i] for i in positions])
    new = list(values)
    for i, o in zip(positions, outs):
        new[i] = o
    return tuple(new), outs[0].grad_fn, positions


def call_with_backward_hooks(module: Any, hooks: list[Callable], args: tuple, kwargs: dict) -> Any:
    """Run ``module.forward`` with its inputs and outputs wrapped so the backward hooks fire."""
    n_inputs = len(args)
    args, in_node, in_positions = _through_identity(args)
    out = module.forward(*args, **kwargs)
    single = not isinstance(out, tuple)
    outs, out_node, _ = _through_identity((out,) if single else out)
    if out_node is None:
        return out
    state: dict = {}

    def fire(grad_input: tuple) -> tuple:
        for hook in hooks:
            new = hook(module, grad_input, state["grad_output"])
            if new is not None:
                grad_input = tuple(new)
        return grad_input

    def on_grad_output(grad_output: tuple) -> None:
        state["grad_output"] = tuple(grad_output)
        if in_node is None:
            fire((None,) * n_inputs)

    out_node.register_prehook(on_grad_output)
    def on_grad_input(grads: tuple, _grad_output: tuple) -> tuple:
        # tensors that need no grad get zeros (as torch materialises them), other arguments None
        full = [zeros_like(a) if isinstance(a, Tensor) else None for a in args]
        for p, g in zip(in_positions, grads):
            full[p] = g
        full = fire(tuple(full))
        return tuple(full[p] for p in in_positions)

    if in_node is not None:
        in_node.register_hook(on_grad_input)
    return outs[0] if single else outs
