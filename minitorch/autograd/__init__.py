"""Reverse-mode automatic differentiation (floor 1): graph nodes, the engine, grad mode, gradcheck."""
from minitorch.autograd.grad_mode import (
    enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad, set_grad_enabled,
)

from minitorch.autograd.function import AccumulateGrad, Function, Node, Op  # noqa: E402  isort: skip
from minitorch.autograd.engine import backward, grad  # noqa: E402  isort: skip
from minitorch.autograd._gradcheck import GradcheckError, gradcheck, gradgradcheck  # noqa: E402  isort: skip
from minitorch.autograd.anomaly_mode import detect_anomaly, is_anomaly_enabled, set_detect_anomaly  # noqa: E402
from minitorch.autograd.trace import trace_backward  # noqa: E402  isort: skip
from minitorch.autograd import graph  # noqa: E402  isort: skip
from minitorch.autograd.variable import Variable  # noqa: E402  isort: skip

__all__ = [
    "detect_anomaly", "is_anomaly_enabled", "set_detect_anomaly", "trace_backward", "graph",
    "AccumulateGrad", "Function", "GradcheckError", "Node", "Op", "backward", "enable_grad", "grad", "gradcheck",
    "gradgradcheck", "inference_mode", "is_grad_enabled", "is_inference_mode_enabled", "no_grad", "set_grad_enabled",
    "Variable",
]
