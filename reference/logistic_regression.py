"""The PyTorch twin of ``examples/logistic_regression.py``: logistic regression in torch."""
from __future__ import annotations

from typing import Any

from torch import nn


class LogisticRegression(nn.Module):
    """p(y = 1 | x) = sigmoid(w . x + b) for 2-D points x."""

    def __init__(self, in_features: int = 2) -> None:
        super().__init__()
        self.linear = nn.Linear(in_features, 1)

    def forward(self, x: Any) -> Any:
        return self.linear(x).sigmoid()
