"""The PyTorch twins of ``examples/linear_regression.py``: linear and polynomial regression in torch."""
from __future__ import annotations

from typing import Any

import torch
from torch import nn


class LinearRegression(nn.Module):
    """y = w x + b."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x: Any) -> Any:
        return self.linear(x)


class PolynomialRegression(nn.Module):
    """y = b + sum_k w_k x^k: the features [x, x^2, ..., x^degree] joined with ``cat``, then ``Linear``."""

    def __init__(self, degree: int = 3) -> None:
        super().__init__()
        self.degree = degree
        self.fc = nn.Linear(degree, 1)

    def forward(self, x: Any) -> Any:
        return self.fc(torch.cat([x ** k for k in range(1, self.degree + 1)], 1))
