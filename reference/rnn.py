"""The PyTorch twins of ``examples/rnn.py``: stacked RNNCells, RNNModel and the row classifiers in torch."""
from __future__ import annotations

from typing import Any

import torch
from torch import nn


class StackedRNNCells(nn.Module):
    """``num_layers`` ``RNNCell``s made with ``setattr`` and run one time step at a time.

    ``forward(inputs (T, B, input_size), states (num_layers, B, hidden_size) or None)`` returns
    ``fc`` of the top layer at every step (T, B, output_size) and the final states.
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int, output_size: int) -> None:
        super().__init__()
        self.num_layers = num_layers
        self.hidden_size = hidden_size
        for i in range(num_layers):
            setattr(self, f"rnn{i}", nn.RNNCell(input_size if i == 0 else hidden_size, hidden_size))
        self.fc = nn.Linear(hidden_size, output_size)

    def forward(self, inputs: Any, states: Any = None) -> tuple:
        batch = inputs.shape[1]
        h = [inputs.new_zeros(batch, self.hidden_size) if states is None else states[i]
             for i in range(self.num_layers)]
        tops = []
        for t in range(inputs.shape[0]):
            x = inputs[t]
            for i in range(self.num_layers):
                h[i] = getattr(self, f"rnn{i}")(x, h[i])
                x = h[i]
            tops.append(x)
        return self.fc(torch.stack(tops)), torch.stack(h)

class RNNModel(nn.Module):
    """The tutorial's ``RNNModel``: a ``layer_dim``-layer ``nn.RNN`` from zeros, last step -> ``fc``."""

    def __init__(self, input_dim: int, hidden_dim: int, layer_dim: int, output_dim: int) -> None:
        super().__init__()
        self.hidden_dim = hidden_dim
        self.layer_dim = layer_dim
        self.rnn = nn.RNN(input_dim, hidden_dim, layer_dim, batch_first=True)
        self.fc = nn.Linear(hidden_dim, output_dim)

    def forward(self, x: Any) -> Any:
        h0 = x.new_zeros(self.layer_dim, x.size(0), self.hidden_dim)
        out, _ = self.rnn(x, h0)
        return self.fc(out[:, -1, :])

class RowClassifier(nn.Module):
    """An ``nn.LSTM`` or ``nn.GRU`` over the rows of an image; its last output -> ``classifier``."""

    def __init__(self, mode: str, in_dim: int, hid_dim: int, n_layer: int, n_class: int) -> None:
        super().__init__()
        self.rnn = getattr(nn, mode)(in_dim, hid_dim, n_layer, batch_first=True)
        self.classifier = nn.Linear(hid_dim, n_class)

    def forward(self, x: Any) -> Any:
        out, _ = self.rnn(x)
        return self.classifier(out[:, -1, :])
