"""autograd.trace records the nodes the engine runs, in its order, with their gradients, only inside its block."""
import numpy as np
import pytest

import minitorch as mt
from tests.autograd._graphs import small_graph


def test_trace_records_every_node_in_engine_order_with_gradients():
    y, params = small_graph()
    with mt.autograd.trace_backward() as trace:
        y.backward()
    names = [r.name for r in trace.records]
    assert names[:4] == ["SumBackward0", "PowBackward0", "TanhBackward0", "AddBackward0"]
    assert names.count("torch::autograd::AccumulateGrad") == 2
    # what the Tanh node sent on equals what the Add node received
    tanh, add = trace.records[2], trace.records[3]
    assert tanh.sent[0][0] == "AddBackward0"
    assert tanh.sent[0][1] == add.received[0]
    # the leaves received exactly their final .grad
    acc = {id(r.node.variable): r for r in trace.records if r.name.endswith("AccumulateGrad")}
    for p in params.values():
        got = acc[id(p)].received[0]
        assert got["shape"] == list(p.shape)
        assert got["norm"] == pytest.approx(float(np.linalg.norm(p.grad.numpy())), rel=1e-6)
    table = trace.table()
    assert "TanhBackward0" in table and "accumulated into .grad" in table


def test_trace_stops_recording_after_the_block():
    y, _ = small_graph()
    with mt.autograd.trace_backward() as trace:
        pass
    y.backward()
    assert trace.records == []
