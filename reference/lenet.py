"""The PyTorch twins of ``examples/lenet.py``: LeNet-5 with the tutorial's MyConv2d wrapper, in torch."""
from __future__ import annotations

from typing import Any

from torch import nn


class MyConv2d(nn.Module):
    """The tutorial's MyConv2d: a module holding an ``nn.Conv2d`` as ``self.conv`` and calling it."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
                 padding: int = 0) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=padding)

    def forward(self, x: Any) -> Any:
        return self.conv(x)


class LeNet5(nn.Module):
    """LeNet-5: conv 5x5 (6) - pool - conv 5x5 (16) - pool - 120 - 84 - classes, ReLU and max-pool.

    32x32 inputs as in the paper; 28x28 (MNIST) get ``padding=2`` on the first convolution.
    """

    def __init__(self, size: int = 32, classes: int = 10) -> None:
        super().__init__()
        self.conv1 = MyConv2d(1, 6, 5, padding=(32 - size) // 2)
        self.conv2 = MyConv2d(6, 16, 5)
        self.pool = nn.MaxPool2d(2)
        self.relu = nn.ReLU()
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def forward(self, x: Any) -> Any:
        x = self.pool(self.relu(self.conv1(x)))
        x = self.pool(self.relu(self.conv2(x)))
        x = x.view(x.size(0), -1)
        return self.fc3(self.relu(self.fc2(self.relu(self.fc1(x)))))
