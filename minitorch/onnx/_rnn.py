"""Converters of the fused recurrences (``minitorch/ops/rnn.py``), unrolled over the traced sequence length.

Each layer direction becomes, per time step, the step's slice of the input projection ``xw`` (computed
by the converted ``Linear`` before it), one MatMul with W_hh^T and the gate arithmetic; the hidden states
are joined back into the (T, B, H) output. A zero initial state (the modules' default) is a constant:
the first step then skips its recurrent product, so no constant of the batch size enters the graph and
the batch axis can stay dynamic. The sequence length is fixed by the trace.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch.onnx._graph import Call
from minitorch.ops.rnn import GRULayer, LSTMLayer, RNNLayer


def _state(c: Call, t: Any) -> str | None:
    """The ONNX value of an initial state, or None for an all-zero constant."""
    value = c.rec.constant(t)
    if value is not None and not np.any(value):
        return None
    return c.name(t)


def _setup(c: Call, w_hh: Any) -> tuple:
    """(the steps in processing order, the input projection's name, W_hh^T's name)."""
    xw = c.args[0]
    if c.in_dyn(xw)[:1] == (True,):
        raise c.unsupported("a recurrence over a dynamic sequence length (the export unrolls the traced length)")
    reverse = c.args[-1] if c.cls is not RNNLayer else c.args[3]
    steps = range(xw.shape[0] - 1, -1, -1) if reverse else range(xw.shape[0])
    w = c.rec.constant(w_hh)
    w_t = c.g.initializer(w.T) if w is not None else c.g.op("Transpose", c.name(w_hh), perm=[1, 0])
    return steps, c.name(xw), w_t


def _step_input(c: Call, xw: str, t: int) -> str:
    return c.g.op("Gather", xw, c.g.initializer(np.array(t, np.int64)), axis=0)


def _join(c: Call, states: dict) -> str:
    """The per-step states (B, H), in time order, as one (T, B, H) value."""
    parts = [c.g.op("Unsqueeze", states[t], c.g.ints([0])) for t in sorted(states)]
    return c.g.op("Concat", *parts, axis=0) if len(parts) > 1 else parts[0]


def _lstm(c: Call) -> list:
    """c_t = f c_{t-1} + i g,  h_t = o tanh(c_t), gates i, f, g, o from xw_t + h_{t-1} W_hh^T."""
    xw, h0, c0, w_hh, _ = c.args
    g, n = c.g, xw.shape[2] // 4
    steps, xw_name, w_t = _setup(c, w_hh)
    h, cell = _state(c, h0), _state(c, c0)
    hs, cs = {}, {}
    for t in steps:
        a = _step_input(c, xw_name, t)
        if h is not None:
            a = g.op("Add", a, g.op("MatMul", h, w_t))
        i, f, gg, o = g.op("Split", a, g.ints([n] * 4), axis=1, n_out=4)
        i, f, gg, o = g.op("Sigmoid", i), g.op("Sigmoid", f), g.op("Tanh", gg), g.op("Sigmoid", o)
        ig = g.op("Mul", i, gg)
        cell = ig if cell is None else g.op("Add", g.op("Mul", f, cell), ig)
        h = g.op("Mul", o, g.op("Tanh", cell))
        hs[t], cs[t] = h, cell
    return [_join(c, hs), _join(c, cs), None]


def _gru(c: Call) -> list:
    """r, z = sigma(xw_rz + hw_rz),  n = tanh(xw_n + r hw_n),  h_t = n + z (h_{t-1} - n), hw = h W_hh^T + b_hh."""
    xw, h0, w_hh, b_hh, _ = c.args
    g, n = c.g, xw.shape[2] // 3
    steps, xw_name, w_t = _setup(c, w_hh)
    h = _state(c, h0)
    b = c.name(b_hh) if b_hh is not None else None
    hs = {}
    for t in steps:
        xr, xz, xn = g.op("Split", _step_input(c, xw_name, t), g.ints([n] * 3), axis=-1, n_out=3)
        hw = None if h is None else g.op("MatMul", h, w_t)
        hw = b if hw is None else (hw if b is None else g.op("Add", hw, b))
        if hw is None:
            r, z, nn = g.op("Sigmoid", xr), g.op("Sigmoid", xz), g.op("Tanh", xn)
        else:
            hr, hz, hn = g.op("Split", hw, g.ints([n] * 3), axis=-1, n_out=3)
            r, z = g.op("Sigmoid", g.op("Add", xr, hr)), g.op("Sigmoid", g.op("Add", xz, hz))
            nn = g.op("Tanh", g.op("Add", xn, g.op("Mul", r, hn)))
        back = g.op("Neg", nn) if h is None else g.op("Sub", h, nn)
        h = g.op("Add", nn, g.op("Mul", z, back))
        hs[t] = h
    return [_join(c, hs), None, None]


def _rnn(c: Call) -> str:
    """h_t = act(xw_t + h_{t-1} W_hh^T), act = tanh or relu."""
    xw, h0, w_hh, _, relu = c.args
    g = c.g
    steps, xw_name, w_t = _setup(c, w_hh)
    h = _state(c, h0)
    hs = {}
    for t in steps:
        a = _step_input(c, xw_name, t)
        if h is not None:
            a = g.op("Add", a, g.op("MatMul", h, w_t))
        h = g.op("Relu" if relu else "Tanh", a)
        hs[t] = h
    return _join(c, hs)


RNN_CONVERTERS = {LSTMLayer: _lstm, GRULayer: _gru, RNNLayer: _rnn}
