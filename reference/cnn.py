"""The PyTorch twin of ``examples/cnn.py``: the tutorial's CNNModel in torch."""
from __future__ import annotations

from typing import Any

from torch import nn


class CNNModel(nn.Module):
    """The tutorial's CNNModel: two (3x3 conv, ReLU, 2x2 max-pool) blocks, then one fully connected layer."""

    def __init__(self, size: int = 8, classes: int = 10) -> None:
        super().__init__()
        self.cnn1 = nn.Conv2d(1, 16, kernel_size=3, stride=1, padding=1)
        self.relu1 = nn.ReLU()
        self.maxpool1 = nn.MaxPool2d(kernel_size=2)
        self.cnn2 = nn.Conv2d(16, 32, kernel_size=3, stride=1, padding=1)
        self.relu2 = nn.ReLU()
        self.maxpool2 = nn.MaxPool2d(kernel_size=2)
        self.fc1 = nn.Linear(32 * (size // 4) ** 2, classes)

    def forward(self, x: Any) -> Any:
        out = self.maxpool1(self.relu1(self.cnn1(x)))
        out = self.maxpool2(self.relu2(self.cnn2(out)))
        return self.fc1(out.view(out.size(0), -1))
