"""The PyTorch twin of ``examples/grad_clipping.py``: the exploding ReLU RNN in torch."""
from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn


class ExplodingRNN(nn.Module):
    """A ReLU ``nn.RNN`` whose recurrent weight is ``radius`` times an orthogonal matrix: with
    ``radius`` > 1 the hidden state and the gradient grow roughly like ``radius ** T``."""

    def __init__(self, hidden_size: int = 32, radius: float = 1.4, seed: int = 0) -> None:
        super().__init__()
        self.rnn = nn.RNN(1, hidden_size, nonlinearity="relu", batch_first=True)
        self.fc = nn.Linear(hidden_size, 1)
        q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((hidden_size, hidden_size)))
        with torch.no_grad():
            self.rnn.weight_hh_l0.copy_(torch.tensor((radius * q).astype(np.float32)))

    def forward(self, x: Any) -> Any:
        out, _ = self.rnn(x)
        return self.fc(out[:, -1, :])
