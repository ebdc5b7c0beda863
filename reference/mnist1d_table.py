"""The PyTorch twins of ``examples/mnist1d_table.py``: the MNIST-1D paper's four baseline models in torch."""
from __future__ import annotations

from typing import Any

from torch import nn


class LinearBase(nn.Module):
    """The paper's LinearBase: logistic regression, ``Linear(40, 10)``."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(40, 10)

    def forward(self, x: Any) -> Any:
        return self.linear(x)


class MLPBase(nn.Module):
    """The paper's MLPBase: h = relu(W1 x); h = h + relu(W2 h); W3 h."""

    def __init__(self, hidden: int = 100) -> None:
        super().__init__()
        self.linear1 = nn.Linear(40, hidden)
        self.linear2 = nn.Linear(hidden, hidden)
        self.linear3 = nn.Linear(hidden, 10)

    def forward(self, x: Any) -> Any:
        h = self.linear1(x).relu()
        h = h + self.linear2(h).relu()
        return self.linear3(h)


class ConvBase(nn.Module):
    """The paper's ConvBase: three stride-2 ``Conv1d`` + ReLU (40 -> 19 -> 10 -> 5), flatten, ``Linear``."""

    def __init__(self, channels: int = 25, linear_in: int = 125) -> None:
        super().__init__()
        self.conv1 = nn.Conv1d(1, channels, 5, stride=2, padding=1)
        self.conv2 = nn.Conv1d(channels, channels, 3, stride=2, padding=1)
        self.conv3 = nn.Conv1d(channels, channels, 3, stride=2, padding=1)
        self.linear = nn.Linear(linear_in, 10)

    def forward(self, x: Any) -> Any:
        x = x.view(-1, 1, x.shape[-1])
        h1 = self.conv1(x).relu()
        h2 = self.conv2(h1).relu()
        h3 = self.conv3(h2).relu()
        h3 = h3.view(h3.shape[0], -1)
        return self.linear(h3)


class GRUBase(nn.Module):
    """The paper's GRUBase: bidirectional GRU over the 40 samples, every step's output into ``Linear(480, 10)``."""

    def __init__(self, hidden: int = 6, time_steps: int = 40) -> None:
        super().__init__()
        self.gru = nn.GRU(input_size=1, hidden_size=hidden, batch_first=True, bidirectional=True)
        self.linear = nn.Linear(2 * hidden * time_steps, 10)

    def forward(self, x: Any) -> Any:
        x = x.view(*x.shape[:2], 1)
        output, _ = self.gru(x)
        return self.linear(output.reshape(output.shape[0], -1))


MODELS = {"logistic": LinearBase, "mlp": MLPBase, "cnn": ConvBase, "gru": GRUBase}
