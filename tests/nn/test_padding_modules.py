"""The padding layers against torch's: values, gradients, repr and the errors of bad input."""
import numpy as np
import pytest
import torch

import minitorch
from tests.parity import assert_close

KINDS = ["Zero", "Constant", "Reflection", "Replication", "Circular"]


def _make(lib, kind, n, padding):
    cls = getattr(lib.nn, f"{kind}Pad{n}d")
    return cls(padding, 1.5) if kind == "Constant" else cls(padding)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n,padding", [(1, 2), (1, (1, 3)), (2, 1), (2, (1, 0, 2, 1)), (3, 1), (3, (0, 1, 1, 0, 1, 2))])
@pytest.mark.parametrize("batched", [True, False])
def test_padding_layer_matches_torch(kind, n, padding, batched):
    shape = ((2,) if batched else ()) + (3,) + (4,) * n
    x = np.random.default_rng(n).standard_normal(shape)
    tx, mx = torch.tensor(x, requires_grad=True), minitorch.tensor(x, requires_grad=True)
    tm, mm = _make(torch, kind, n, padding), _make(minitorch, kind, n, padding)
    ty, my = tm(tx), mm(mx)
    g = np.random.default_rng(1).standard_normal(tuple(ty.shape))
    ty.backward(torch.tensor(g))
    my.backward(minitorch.tensor(g))
    assert_close(my, ty)
    assert_close(mx.grad, tx.grad)
    assert repr(mm) == repr(tm) and mm.padding == tm.padding


@pytest.mark.parametrize("n", [1, 2, 3])
def test_circular_pad_names_the_dims_it_expects(n):
    x = np.zeros((1,) * (n + 3))
    with pytest.raises(ValueError) as t_err:
        torch.nn.modules.padding.__dict__[f"CircularPad{n}d"](1)(torch.tensor(x))
    with pytest.raises(ValueError) as m_err:
        getattr(minitorch.nn, f"CircularPad{n}d")(1)(minitorch.tensor(x))
    assert str(m_err.value) == str(t_err.value)


def test_padding_layers_sit_in_sequential_and_in_torchs_module_path():
    from minitorch.nn.modules.padding import ReflectionPad2d
    model = minitorch.nn.Sequential(ReflectionPad2d(1), minitorch.nn.Conv2d(1, 2, 3))
    assert model(minitorch.zeros(1, 1, 5, 5)).shape == (1, 2, 5, 5)
