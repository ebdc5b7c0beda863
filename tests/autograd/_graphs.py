"""A small graph (the tanh of an affine map, squared and summed) for the graph and trace tests."""
import numpy as np

import minitorch as mt


def small_graph():
    w = mt.tensor([[0.5, -1.0], [2.0, 0.1], [0.3, 0.3]], requires_grad=True)
    b = mt.zeros(2, requires_grad=True)
    x = mt.tensor(np.arange(12, dtype=np.float32).reshape(4, 3) / 10)
    y = ((x @ w + b).tanh() ** 2).sum()
    return y, {"w": w, "b": b}
