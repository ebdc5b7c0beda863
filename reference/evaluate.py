"""The PyTorch twin of ``examples/evaluate.py``'s regressor (its classifier is ``reference/mlp.py``'s MLP)."""
from __future__ import annotations

from typing import Any

from torch import nn


class Regressor(nn.Module):
    """d_in -> hidden -> ReLU -> 1."""

    def __init__(self, d_in: int = 10, hidden: int = 32) -> None:
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, x: Any) -> Any:
        return self.layers(x)
