"""RNN, LSTM, GRU and their cells against torch: outputs, final states, all gradients, init, errors."""
import itertools
import warnings

import numpy as np
import pytest
import torch

import minitorch
from minitorch.ops.rnn import GRULayer, LSTMLayer, RNNLayer
from tests.parity import check_module, gradchecks

MODES = [("RNN", {}), ("RNN", {"nonlinearity": "relu"}), ("LSTM", {}), ("GRU", {})]
T, B, I, H = 4, 3, 5, 4


def twins(name: str, *args, dtype=torch.float64, **kwargs) -> tuple:
    """The same layer in both frameworks, minitorch's in torch's dtype."""
    t = getattr(torch.nn, name)(*args, **kwargs).to(dtype)
    m = getattr(minitorch.nn, name)(*args, **kwargs)
    return (m.double() if dtype == torch.float64 else m), t


def run_with_state(mod, x, *state):
    """forward(input, hx) with hx = h0 or (h0, c0)."""
    return mod(x, tuple(state) if len(state) == 2 else state[0])


@pytest.mark.parametrize("name,kwargs", MODES, ids=["tanh", "relu", "lstm", "gru"])
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("initial_state", [False, True])
@pytest.mark.parametrize("batched", [True, False])
def test_module_matches_torch(name, kwargs, num_layers, bidirectional, batch_first, bias, initial_state, batched):
    m, t = twins(name, I, H, num_layers=num_layers, bidirectional=bidirectional, batch_first=batch_first, bias=bias,
                 **kwargs)
    rng = np.random.default_rng(0)
    x = rng.standard_normal(((B, T) if batch_first else (T, B)) + (I,) if batched else (T, I))
    if not initial_state:
        check_module(m, t, x)
        return
    state_shape = (num_layers * (2 if bidirectional else 1),) + ((B,) if batched else ()) + (H,)
    states = [rng.standard_normal(state_shape) for _ in range(2 if name == "LSTM" else 1)]
    check_module(m, t, x, *states, forward=run_with_state)


@pytest.mark.parametrize("name,kwargs", MODES, ids=["tanh", "relu", "lstm", "gru"])
def test_float32_matches_torch(name, kwargs):
    m, t = twins(name, I, H, num_layers=2, bidirectional=True, dtype=torch.float32, **kwargs)
    x = np.random.default_rng(1).standard_normal((T, B, I)).astype(np.float32)
    out, _ = check_module(m, t, x, atol=1e-5, rtol=1e-4)
    assert out[0].dtype == minitorch.float32


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_dropout_between_layers(name):
    """dropout acts between layers only, in training only; p = 1 zeroes the next layer's input, as in torch."""
    x = np.random.default_rng(2).standard_normal((T, B, I))
    for p, training in [(0.5, False), (1.0, True)]:
        m, t = twins(name, I, H, num_layers=2, dropout=p)
        m.train(training)
        t.train(training)
        check_module(m, t, x)
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        m, t = twins(name, I, H, dropout=0.5)
    check_module(m, t, x)  # one layer: nothing to drop, even in training

    m = getattr(minitorch.nn, name)(I, H, num_layers=2, dropout=0.5).double()
    xm = minitorch.tensor(x)
    outs = []
    for seed in (0, 0, 1):
        minitorch.manual_seed(seed)
        outs.append(m(xm)[0].detach().numpy())
    m.eval()
    evaluated = m(xm)[0].detach().numpy()
    np.testing.assert_array_equal(outs[0], outs[1])
    assert not np.allclose(outs[0], outs[2]) and not np.allclose(outs[0], evaluated)


@pytest.mark.parametrize("cell,kwargs", [("RNNCell", {}), ("RNNCell", {"nonlinearity": "relu"}), ("LSTMCell", {}),
                                         ("GRUCell", {})], ids=["tanh", "relu", "lstm", "gru"])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("initial_state", [False, True])
@pytest.mark.parametrize("batched", [True, False])
def test_cells_match_torch(cell, kwargs, bias, initial_state, batched):
    m, t = twins(cell, I, H, bias=bias, **kwargs)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((B, I) if batched else (I,))
    if not initial_state:
        check_module(m, t, x)
        return
    states = [rng.standard_normal((B, H) if batched else (H,)) for _ in range(2 if cell == "LSTMCell" else 1)]
    check_module(m, t, x, *states, forward=run_with_state)


def test_cell_unrolled_over_a_sequence_matches_torch():
    m, t = twins("LSTMCell", I, H)
    x = np.random.default_rng(4).standard_normal((T, B, I))

    def unroll(mod, x):
        state, outs = None, []
        for step in x:
            state = mod(step, state)
            outs.append(state[0])
        return outs
    check_module(m, t, x, forward=unroll)


@pytest.mark.parametrize("reverse", [False, True])
def test_fused_recurrences_gradcheck_and_gradgradcheck(reverse):
    rng = np.random.default_rng(5)
    n, steps, batch = 2, 2, 2
    gradchecks(lambda m, xw, h0, w: RNNLayer.apply(xw, h0, w, reverse, False),
               rng.standard_normal((steps, batch, n)), rng.standard_normal((batch, n)), rng.standard_normal((n, n)))
    gradchecks(lambda m, xw, h0, w: RNNLayer.apply(xw, h0, w, reverse, True),
               rng.standard_normal((steps, batch, n)) + 3, rng.uniform(0, 1, (batch, n)), rng.uniform(0, 0.5, (n, n)))
    gradchecks(lambda m, xw, h0, c0, w: LSTMLayer.apply(xw, h0, c0, w, reverse),
               rng.standard_normal((steps, batch, 4 * n)), rng.standard_normal((batch, n)),
               rng.standard_normal((batch, n)), rng.standard_normal((4 * n, n)))
    gradchecks(lambda m, xw, h0, w, b: GRULayer.apply(xw, h0, w, b, reverse),
               rng.standard_normal((steps, batch, 3 * n)), rng.standard_normal((batch, n)),
               rng.standard_normal((3 * n, n)), rng.standard_normal(3 * n))


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_module_gradcheck(name):
    """Central differences through two bidirectional layers, w.r.t. the input, h0 and every parameter."""
    m = getattr(minitorch.nn, name)(2, 2, num_layers=2, bidirectional=True).double()
    rng = np.random.default_rng(6)
    x = minitorch.tensor(rng.standard_normal((3, 2, 2)), requires_grad=True)
    h0 = minitorch.tensor(rng.standard_normal((4, 2, 2)), requires_grad=True)
    def fn(x, h0, *params):
        return m(x, (h0, h0 * 0.5) if name == "LSTM" else h0)[0]
    assert minitorch.autograd.gradcheck(fn, (x, h0) + tuple(m.parameters()))

@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_double_backward_matches_torch(name):
    """d/dW of |dL/dx|^2 through two bidirectional layers agrees with torch (create_graph)."""
    m, t = twins(name, 3, 2, num_layers=2, bidirectional=True)
    m.load_state_dict({k: v.numpy() for k, v in t.state_dict().items()})
    rng = np.random.default_rng(7)
    x, up = rng.standard_normal((3, 2, 3)), rng.standard_normal((3, 2, 4))
    res = {}
    for lib, mod in ((minitorch, m), (torch, t)):
        xs = lib.tensor(x, requires_grad=True)
        out = mod(xs)[0]
        (gx,) = lib.autograd.grad((out * lib.tensor(up)).sum(), xs, create_graph=True)
        res[lib.__name__] = lib.autograd.grad((gx * gx).sum(), [xs] + list(mod.parameters()))
    for a, b in zip(res["minitorch"], res["torch"]):
        np.testing.assert_allclose(a.numpy(), b.detach().numpy(), atol=1e-9)


def _graph_size(t: minitorch.Tensor) -> int:
    seen, stack = set(), [t.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        stack.extend(n for n, _ in node.next_functions)
    return len(seen)


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_graph_does_not_grow_with_sequence_length(name):
    """One fused node per layer and direction: the recurrence is not unrolled into per-step graph nodes."""
    m = getattr(minitorch.nn, name)(I, H, num_layers=2, bidirectional=True)
    sizes = {_graph_size(m(minitorch.randn(steps, B, I, requires_grad=True))[0]) for steps in (2, 9)}
    assert len(sizes) == 1


@pytest.mark.parametrize("name,kwargs", [("RNN", {"nonlinearity": "relu"}), ("LSTM", {}), ("GRU", {}),
                                         ("RNNCell", {}), ("LSTMCell", {}), ("GRUCell", {})])
def test_default_init_matches_torch(name, kwargs):
    """Every parameter ~ U(-1/sqrt(hidden), 1/sqrt(hidden)): same bounds, mean and std as torch's."""
    size = 64
    args = (32, size) if name.endswith("Cell") else (32, size, 2)
    m, t = getattr(minitorch.nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    bound = 1 / np.sqrt(size)
    for (nm, pm), (nt, pt) in zip(m.named_parameters(), t.named_parameters()):
        assert nm == nt and pm.shape == tuple(pt.shape) and pm.dtype == minitorch.float32
        a, b = pm.detach().numpy(), pt.detach().numpy()
        assert np.abs(a).max() <= bound and a.min() < -0.9 * bound and a.max() > 0.9 * bound
        tol = 4 * bound / np.sqrt(3 * a.size)
        assert abs(a.mean() - b.mean()) < 2 * tol and abs(a.std() - b.std()) < 2 * tol


def test_parameters_state_dict_and_repr_match_torch():
    configs = [
        ("RNN", (3, 4), {}), ("RNN", (3, 4, 2), {"nonlinearity": "relu", "dropout": 0.5}),
        ("LSTM", (3, 4), {"bias": False, "batch_first": True, "bidirectional": True}),
        ("GRU", (3, 4, 3), {"bidirectional": True}),
        ("RNNCell", (3, 4), {"nonlinearity": "relu"}), ("LSTMCell", (3, 4), {}), ("GRUCell", (3, 4), {"bias": False}),
    ]
    for name, args, kwargs in configs:
        m, t = twins(name, *args, **kwargs)
        assert repr(m) == repr(t)
        assert [(n, tuple(p.shape)) for n, p in m.named_parameters()] == \
            [(n, tuple(p.shape)) for n, p in t.named_parameters()]
        assert list(m.state_dict()) == list(t.state_dict())
        if not name.endswith("Cell"):
            assert [[tuple(p.shape) for p in ws] for ws in m.all_weights] == \
                [[tuple(p.shape) for p in ws] for ws in t.all_weights]


def test_positional_nonlinearity_like_torch():
    m, t = twins("RNN", I, H, 1, "relu")
    assert m.nonlinearity == "relu"
    check_module(m, t, np.random.default_rng(8).standard_normal((T, B, I)) + 1)


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_input_errors(name):
    m = getattr(minitorch.nn, name)(10, 20)
    for shape in [(5,), (2, 3, 4, 10)]:
        with pytest.raises(ValueError, match=rf"Expected 2D \(unbatched\) or 3D \(batched\) input to {name}, but got "
                                             rf"input of size: \[{', '.join(map(str, shape))}\]"):
            m(minitorch.randn(*shape))
    with pytest.raises(RuntimeError, match="input.size\\(-1\\) must be equal to input_size. Expected 10, got 7"):
        m(minitorch.randn(5, 3, 7))
    with pytest.raises(ValueError, match="input dtype \\(minitorch.float64\\) does not match weight dtype"):
        m(minitorch.randn(5, 3, 10, dtype=minitorch.float64))


@pytest.mark.parametrize("name", ["RNN", "GRU"])
def test_hidden_state_errors(name):
    m = getattr(minitorch.nn, name)(10, 20)
    with pytest.raises(RuntimeError, match=r"Expected hidden size \(1, 3, 20\), got \[1, 2, 20\]"):
        m(minitorch.randn(5, 3, 10), minitorch.randn(1, 2, 20))
    with pytest.raises(RuntimeError, match="For batched 3-D input, hx should also be 3-D but got 2-D tensor"):
        m(minitorch.randn(5, 3, 10), minitorch.randn(3, 20))
    with pytest.raises(RuntimeError, match="For unbatched 2-D input, hx should also be 2-D but got 3-D tensor"):
        m(minitorch.randn(5, 10), minitorch.randn(1, 1, 20))


def test_lstm_state_errors():
    m = minitorch.nn.LSTM(10, 20)
    x = minitorch.randn(5, 3, 10)
    with pytest.raises(RuntimeError, match=r"Expected hidden\[0\] size \(1, 3, 20\), got \[1, 2, 20\]"):
        m(x, (minitorch.randn(1, 2, 20), minitorch.randn(1, 3, 20)))
    with pytest.raises(RuntimeError, match=r"Expected hidden\[1\] size \(1, 3, 20\), got \[1, 3, 2\]"):
        m(x, (minitorch.randn(1, 3, 20), minitorch.randn(1, 3, 2)))
    with pytest.raises(RuntimeError, match=r"hx and cx should also be 3-D but got \(2-D, 3-D\) tensors"):
        m(x, (minitorch.randn(3, 20), minitorch.randn(1, 3, 20)))


def test_constructor_errors():
    with pytest.raises(ValueError, match="Unknown nonlinearity 'foo'. Select from 'tanh' or 'relu'."):
        minitorch.nn.RNN(3, 4, nonlinearity="foo")
    with pytest.raises(ValueError, match="dropout should be a number in range \\[0, 1\\]"):
        minitorch.nn.LSTM(3, 4, dropout=1.5)
    with pytest.raises(ValueError, match="hidden_size must be greater than zero"):
        minitorch.nn.GRU(3, 0)
    with pytest.raises(ValueError, match="num_layers must be greater than zero"):
        minitorch.nn.GRU(3, 4, num_layers=0)
    with pytest.raises(ValueError, match="proj_size argument is only supported for LSTM"):
        minitorch.nn.GRU(3, 4, proj_size=2)
    with pytest.raises(TypeError, match="batch_first should be of type bool"):
        minitorch.nn.RNN(3, 4, batch_first=1)
    cell = minitorch.nn.RNNCell(3, 4, nonlinearity="foo")
    with pytest.raises(RuntimeError, match="Unknown nonlinearity: foo"):
        cell(minitorch.randn(2, 3))


def test_cell_errors():
    cell = minitorch.nn.RNNCell(10, 20)
    with pytest.raises(ValueError, match="RNNCell: Expected input to be 1D or 2D, got 3D instead"):
        cell(minitorch.randn(5, 3, 10))
    with pytest.raises(RuntimeError, match="input has inconsistent input_size: got 7 expected 10"):
        cell(minitorch.randn(3, 7))
    with pytest.raises(RuntimeError, match="Input batch size 3 doesn't match hidden0 batch size 2"):
        cell(minitorch.randn(3, 10), minitorch.randn(2, 20))
    with pytest.raises(RuntimeError, match="hidden0 has inconsistent hidden_size: got 5, expected 20"):
        cell(minitorch.randn(3, 10), minitorch.randn(3, 5))
    with pytest.raises(RuntimeError, match=r"RNNCell: Expected hidden0 to be 1D like the input, got hidden0 of size "
                                           r"\[3, 20\] and input of size \[10\]"):
        cell(minitorch.randn(10), minitorch.randn(3, 20))
    lstm = minitorch.nn.LSTMCell(10, 20)
    with pytest.raises(RuntimeError, match="Input batch size 3 doesn't match hidden1 batch size 2"):
        lstm(minitorch.randn(3, 10), (minitorch.randn(3, 20), minitorch.randn(2, 20)))
    with pytest.raises(ValueError, match="GRUCell: Expected hidden to be 1D or 2D, got 3D instead"):
        minitorch.nn.GRUCell(10, 20)(minitorch.randn(3, 10), minitorch.randn(1, 3, 20))


def test_no_warning_without_dropout():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, layers in itertools.product(["RNN", "LSTM", "GRU"], [1, 2]):
            getattr(minitorch.nn, name)(3, 4, layers)
