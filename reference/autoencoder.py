"""The PyTorch twin of ``examples/autoencoder.py``: the autoencoder in torch."""
from __future__ import annotations

from typing import Any

from torch import nn


class AutoEncoder(nn.Module):
    """x (B, D) -> code (B, 3) -> reconstruction (B, D) in [0, 1]; ``forward`` returns both."""

    def __init__(self, in_features: int, code: int = 3) -> None:
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Linear(in_features, 128), nn.ReLU(True),
            nn.Linear(128, 64), nn.ReLU(True),
            nn.Linear(64, 12), nn.ReLU(True),
            nn.Linear(12, code),
        )
        self.decoder = nn.Sequential(
            nn.Linear(code, 12), nn.ReLU(True),
            nn.Linear(12, 64), nn.ReLU(True),
            nn.Linear(64, 128), nn.ReLU(True),
            nn.Linear(128, in_features), nn.Sigmoid(),
        )

    def forward(self, x: Any) -> tuple:
        code = self.encoder(x)
        return code, self.decoder(code)
