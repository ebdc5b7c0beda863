"""The reference engine (minitorch/autograd/reference_engine.py) and the oracle built on it (tests/engine_oracle.py)."""
import numpy as np
import pytest

import minitorch as mt
from minitorch.autograd import Op, engine, reference_engine
from minitorch.autograd.function import _edge
from tests import engine_oracle


def test_topological_order_puts_every_node_before_its_inputs():
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    h = x * x
    z = (h * h + h.exp()).sum()
    order = reference_engine.topological_order([z.grad_fn])
    position = {node: i for i, node in enumerate(order)}
    assert len(position) == len(order) == 6  # sum, add, mul, exp, mul, x's accumulator: each once
    for node in order:
        for edge in node._next:
            if edge:
                assert position[node] < position[edge[0]]


def test_gradients_of_a_diamond_sum_both_paths():
    x = mt.tensor(3.0, requires_grad=True)
    h = x * x
    z = h * h + h  # dz/dh = 2h + 1 = 19, dz/dx = 19 * 2x = 114
    grads = reference_engine.gradients([z], [mt.tensor(1.0)])
    assert grads[_edge(h)].item() == 19.0 and grads[_edge(x)].item() == 114.0
    assert x.grad is None  # it touches no .grad


def test_gradients_need_no_recursion_and_keep_the_graph():
    x = mt.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0
    for _ in range(2):  # the graph is kept: it can run again
        assert reference_engine.gradients([y], [mt.tensor(2.0)])[_edge(x)].item() == 2.0


def test_oracle_checks_backward_and_grad():
    before = engine_oracle.STATS["checked"]
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    mt.autograd.grad((x * 3).sum(), x)
    assert engine_oracle.STATS["checked"] == before + 2


def test_oracle_skips_graphs_with_hooks():
    skipped = engine_oracle.STATS["skipped"]
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.register_hook(lambda g: g * 10)
    y.sum().backward()
    assert x.grad.tolist() == [20.0, 20.0]
    assert engine_oracle.STATS["skipped"] == skipped + 1


class _ArrayModeBug(Op):
    """y = 2x, whose backward is right on Tensors (dy/dx = 2) and wrong on arrays (3)."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, grad):
        return grad * (3 if isinstance(grad, np.ndarray) else 2)


def test_oracle_catches_a_fast_engine_that_differs_from_the_reference():
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(AssertionError, match="fast engine != reference engine"):
        _ArrayModeBug.apply(x).sum().backward()
    with pytest.raises(AssertionError, match="fast engine != reference engine"):
        mt.autograd.grad(_ArrayModeBug.apply(x).sum(), x)


def test_oracle_catches_a_wrong_accumulation(monkeypatch):
    def accumulate_twice(task, leaf, g):
        fast_accumulate(task, leaf, g)
        fast_accumulate(task, leaf, g)

    fast_accumulate = engine._GraphTask.accumulate_into
    monkeypatch.setattr(engine._GraphTask, "accumulate_into", accumulate_twice)
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(AssertionError, match="fast engine != reference engine"):
        (x * 3).sum().backward()


def test_oracle_catches_a_gradient_the_reference_does_not_send(monkeypatch):
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    unused = mt.tensor([1.0, 1.0], requires_grad=True)

    def run_and_write_unused(task, *args):
        captured = fast_run(task, *args)
        unused.grad = mt.ones(2)
        return captured

    fast_run = engine._GraphTask.run
    monkeypatch.setattr(engine._GraphTask, "run", run_and_write_unused)
    with pytest.raises(AssertionError, match="the reference engine sends it no gradient"):
        (x * 2).sum().backward(inputs=[x, unused])


class _TensorModeBug(Op):
    """y = 2x, whose backward fails on Tensors and works on arrays."""

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, grad):
        if not isinstance(grad, np.ndarray):
            raise ValueError("no Tensor formula")
        return grad * 2


def test_oracle_catches_a_backward_only_the_reference_engine_cannot_run():
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(AssertionError, match="the reference engine raised ValueError"):
        _TensorModeBug.apply(x).sum().backward()
