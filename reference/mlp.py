"""The PyTorch twins of ``examples/mlp.py``: TwoLayerNet, Maxout and the activation MLPs in torch."""
from __future__ import annotations

from typing import Any

from torch import nn

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "maxout")


class TwoLayerNet(nn.Module):
    """The tutorial's TwoLayerNet: linear1 -> clamp(min=0) (a ReLU) -> linear2."""

    def __init__(self, d_in: int, hidden: int, d_out: int) -> None:
        super().__init__()
        self.linear1 = nn.Linear(d_in, hidden)
        self.linear2 = nn.Linear(hidden, d_out)

    def forward(self, x: Any) -> Any:
        h_relu = self.linear1(x).clamp(min=0)
        return self.linear2(h_relu)


class Maxout(nn.Module):
    """Maxout: y_j = max_k (W_k x + b_k)_j, one Linear with ``pieces`` outputs per unit, max over pieces."""

    def __init__(self, in_features: int, out_features: int, pieces: int = 2) -> None:
        super().__init__()
        self.out_features, self.pieces = out_features, pieces
        self.linear = nn.Linear(in_features, out_features * pieces)

    def forward(self, x: Any) -> Any:
        z = self.linear(x).view(-1, self.out_features, self.pieces)
        return z.max(dim=-1).values

    def extra_repr(self) -> str:
        return f"pieces={self.pieces}"


def activation(name: str) -> nn.Module:
    """The activation module called ``name``: Sigmoid, Tanh, ReLU or LeakyReLU(0.01)."""
    layers = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.01)}
    if name not in layers:
        raise ValueError(f"unknown activation {name!r}; choose from {ACTIVATIONS}")
    return layers[name]()


class MLP(nn.Module):
    """d_in -> hidden -> hidden -> d_out with ``act`` after each hidden layer (two Maxout layers for ``maxout``)."""

    def __init__(self, act: str, d_in: int, hidden: int = 100, d_out: int = 10) -> None:
        super().__init__()
        if act == "maxout":
            self.layers = nn.Sequential(Maxout(d_in, hidden), Maxout(hidden, hidden), nn.Linear(hidden, d_out))
        else:
            self.layers = nn.Sequential(nn.Linear(d_in, hidden), activation(act), nn.Linear(hidden, hidden),
                                        activation(act), nn.Linear(hidden, d_out))

    def forward(self, x: Any) -> Any:
        return self.layers(x)
